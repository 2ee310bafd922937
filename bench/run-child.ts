// Runs one child process with a time limit and collects its wall time, exit and output tail.
import { spawn } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import type { ChildUsage } from "./measured.js";

export interface ChildRun {
  /** `timeout`: killed at the limit; `failed`: non-zero exit, a signal, or it could not start. */
  readonly status: "ok" | "failed" | "timeout";
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  /** From spawn to exit, measured by the parent: includes Node's start-up (~50 ms). */
  readonly wallMs: number;
  readonly usage: ChildUsage | null;
  readonly stdout: string;
  /** The last lines of stderr, for failure reports. */
  readonly stderrTail: string;
}

export interface ChildSpec {
  readonly args: readonly string[];
  readonly timeoutMs: number;
  readonly env?: NodeJS.ProcessEnv;
}

/** Output kept per stream: enough for a stack trace, bounded so a chatty child cannot fill memory. */
const OUTPUT_BYTES_MAX = 64 * 1024;
const TAIL_LINES_MAX = 15;

const measuredScript = join(dirname(fileURLToPath(import.meta.url)), "measured.js");

/** Runs `node measured.js script args...` so the child's peak RSS comes back with its time. */
export async function runMeasured(
  script: string,
  args: readonly string[],
  usageFile: string,
  timeoutMs: number,
  extra: { readonly nodeFlags?: readonly string[]; readonly env?: Readonly<Record<string, string>> } = {},
): Promise<ChildRun> {
  rmSync(usageFile, { force: true }); // a stale file from an earlier run must not pass for this one
  const env = { ...process.env, ...extra.env, BANKREC_BENCH_USAGE_FILE: usageFile };
  const nodeArgs = [...(extra.nodeFlags ?? []), measuredScript, script, ...args];
  const run = await runNode({ args: nodeArgs, timeoutMs, env });
  const usage = existsSync(usageFile) ? (JSON.parse(readFileSync(usageFile, "utf8")) as ChildUsage) : null;
  return { ...run, usage };
}

/** Spawns `node args...`; never rejects: a child that cannot start is a failed run. */
export function runNode(spec: ChildSpec): Promise<ChildRun> {
  return new Promise((resolveRun) => {
    const startedMs = performance.now();
    const child = spawn(process.execPath, [...spec.args], {
      env: spec.env ?? process.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const stdout = boundedCollector();
    const stderr = boundedCollector();
    child.stdout.on("data", stdout.add);
    child.stderr.on("data", stderr.add);
    let timedOut = false;
    let exitedMs = 0;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL"); // the child is node itself, not a shell: no grandchildren are left
    }, spec.timeoutMs);
    child.on("exit", () => {
      exitedMs = performance.now(); // stop the clock at exit, not when the pipes drain
    });
    child.on("error", (error) => stderr.add(Buffer.from(`spawn failed: ${error.message}\n`)));
    child.on("close", (exitCode, signal) => {
      clearTimeout(timer);
      const wallMs = (exitedMs || performance.now()) - startedMs;
      const status = timedOut ? "timeout" : exitCode === 0 ? "ok" : "failed";
      resolveRun({
        status,
        exitCode,
        signal,
        wallMs,
        usage: null,
        stdout: stdout.text(),
        stderrTail: tail(stderr.text()),
      });
    });
  });
}

/** Keeps the last OUTPUT_BYTES_MAX bytes of a stream. */
function boundedCollector() {
  let chunks: Buffer[] = [];
  let bytes = 0;
  return {
    add: (chunk: Buffer) => {
      chunks.push(chunk);
      bytes += chunk.length;
      if (bytes > 2 * OUTPUT_BYTES_MAX) {
        const kept = Buffer.concat(chunks).subarray(-OUTPUT_BYTES_MAX);
        chunks = [kept];
        bytes = kept.length;
      }
    },
    text: () => Buffer.concat(chunks).subarray(-OUTPUT_BYTES_MAX).toString("utf8"),
  };
}

function tail(text: string): string {
  return text.trimEnd().split("\n").slice(-TAIL_LINES_MAX).join("\n");
}
