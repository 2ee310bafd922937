import { createRequire } from "node:module";
import { debuglog } from "node:util";

/**
 * The HTTP debug channels that would print a Plaid request's headers (`PLAID-SECRET` among
 * them), and what bankrec does about each. Two channels exist, and they differ in whether a
 * running process can turn them off:
 *
 * - The `debug` package (`DEBUG=*`, `DEBUG=follow-redirects`): axios's redirect follower logs
 *   every request's options, headers included, and its proxy agents log the proxy URL with its
 *   password and each request's options. The package reads `DEBUG` when it loads but checks its
 *   namespaces on every call, so the gateway can switch those namespaces off at any time
 *   ({@link silenceHttpDebugLogs}), and the CLI also removes them from `DEBUG` before anything
 *   loads. The user's other namespaces keep logging. (The gateway also stops using the redirect
 *   follower at all: see `createPlaidApi`.)
 * - Node's own tracing (`NODE_DEBUG=http`, `https`, `net`): the `http` client logs each
 *   request's options, `https` and `net` their connection options, headers included. Node
 *   parses `NODE_DEBUG` once, at start-up; changing or deleting it later does nothing, and there
 *   is no API to turn a section off. So it cannot be neutralized from inside the process: the
 *   gateway refuses to build its client instead ({@link httpTracingProblem}), with a message
 *   naming the variable. `tls` is not refused: its traces are handshake events without options
 *   or headers (and NODE_DEBUG=tls is how one debugs a proxy's certificate).
 */

/** Node's tracing sections whose output includes a request's options, headers and all. */
const NODE_DEBUG_SECTIONS_LEAKING = ["http", "https", "net"] as const;

/**
 * `debug`-package namespaces of the SDK's HTTP stack (axios's redirect follower and its proxy
 * agents), as negations: they win over `*` and over the names themselves.
 */
const HTTP_DEBUG_NEGATIONS = [
  "-follow-redirects",
  "-axios",
  "-axios:*",
  "-https-proxy-agent",
  "-https-proxy-agent:*",
  "-agent-base",
  "-agent-base:*",
] as const;

/**
 * Where the `debug` modules the SDK's HTTP stack loads live, as chains of package names each
 * resolved from the previous one: the very instances those packages `require`, even when a
 * project holds several copies of `debug`. (`debug` is not a dependency of bankrec's own.)
 */
const DEBUG_MODULE_CHAINS: readonly (readonly string[])[] = [
  ["plaid", "axios", "follow-redirects", "debug"],
  ["plaid", "axios", "https-proxy-agent", "debug"],
  ["plaid", "axios", "https-proxy-agent", "agent-base", "debug"],
];

/**
 * The `DEBUG` value with the SDK's HTTP namespaces switched off; unchanged when it enables
 * nothing (unset, empty, or only negations) or already switches them off.
 *
 * @example withoutHttpDebug("*") // "*,-follow-redirects,-axios,-axios:*,-https-proxy-agent,…"
 * @example withoutHttpDebug("express:*") // "express:*,-follow-redirects,…" (express keeps logging)
 */
export function withoutHttpDebug(namespaces: string | undefined): string | undefined {
  if (namespaces === undefined) return undefined;
  const names = namespaces.split(/[\s,]+/).filter((name) => name !== "");
  if (!names.some((name) => !name.startsWith("-"))) return namespaces;
  const missing = HTTP_DEBUG_NEGATIONS.filter((negation) => !names.includes(negation));
  return missing.length === 0 ? namespaces : [...names, ...missing].join(",");
}

/** Whether Node traces a NODE_DEBUG section in this process (with its wildcards, as Node reads it). */
function nodeTraces(section: string): boolean {
  return debuglog(section).enabled;
}

/**
 * Why Plaid must not be called from this process, or null: Node's tracing of `http`, `https`
 * or `net` is on (NODE_DEBUG, read by Node at start-up, so asked of Node rather than of
 * `process.env`), and would print the Plaid secret with every request.
 *
 * @example httpTracingProblem() // null, or "NODE_DEBUG traces http, net, which prints …: unset NODE_DEBUG …"
 */
export function httpTracingProblem(traces: (section: string) => boolean = nodeTraces): string | null {
  const sections = NODE_DEBUG_SECTIONS_LEAKING.filter((section) => traces(section));
  if (sections.length === 0) return null;
  return (
    `NODE_DEBUG traces ${sections.join(", ")}, which prints every request's headers, the Plaid secret ` +
    `among them: unset NODE_DEBUG (or keep only other sections, such as tls) to call Plaid`
  );
}

interface DebugModule {
  enable(namespaces: string): void;
  readonly namespaces?: unknown;
}

let debugModules: readonly DebugModule[] | undefined;

/** The `debug` instances of the SDK's HTTP stack that can be found (none is not an error). */
function httpDebugModules(): readonly DebugModule[] {
  if (debugModules !== undefined) return debugModules;
  const found = new Map<string, DebugModule>();
  for (const chain of DEBUG_MODULE_CHAINS) {
    let from = import.meta.url;
    try {
      for (const name of chain) from = createRequire(from).resolve(name);
      const loaded: unknown = createRequire(import.meta.url)(from);
      if (isDebugModule(loaded)) found.set(from, loaded);
    } catch {
      // Not installed along this chain (follow-redirects takes `debug` as optional): nothing logs there.
    }
  }
  debugModules = [...found.values()];
  return debugModules;
}

function isDebugModule(value: unknown): value is DebugModule {
  return typeof value === "function" && typeof (value as { enable?: unknown }).enable === "function";
}

/**
 * Switches off the `debug` namespaces of the SDK's HTTP stack in this process, keeping the
 * user's others: in the loaded `debug` instances (whose loggers check on every call) and in
 * `DEBUG` (for copies loaded later). Called whenever the gateway builds an SDK client, so a
 * library user is covered without the CLI's help; idempotent.
 *
 * @example silenceHttpDebugLogs(); // DEBUG=* still logs everything but axios's HTTP layer
 */
export function silenceHttpDebugLogs(): void {
  for (const module of httpDebugModules()) {
    const current = typeof module.namespaces === "string" ? module.namespaces : process.env.DEBUG;
    const next = withoutHttpDebug(current);
    if (next !== undefined && next !== current) module.enable(next);
  }
  const env = withoutHttpDebug(process.env.DEBUG);
  if (env !== undefined && env !== process.env.DEBUG) process.env.DEBUG = env;
}
