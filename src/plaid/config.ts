import { z } from "zod";
import { ConfigError } from "../errors/index.js";
import { type Secret, toSecret } from "../secrets/index.js";
import { httpTracingProblem } from "./http-debug.js";

/** Plaid's hosts, by environment. Development is gone: Plaid retired it in June 2024. */
const HOSTS = {
  sandbox: "https://sandbox.plaid.com",
  production: "https://production.plaid.com",
} as const;

export type PlaidEnvironment = keyof typeof HOSTS;

/** A request that has not answered by then is abandoned (and retried when that is safe). */
export const PLAID_TIMEOUT_MS_DEFAULT = 30_000;
const TIMEOUT_MS_MAX = 600_000;

const NOT_CONFIGURED = "Plaid is not configured: set PLAID_CLIENT_ID and PLAID_SECRET";
const DEVELOPMENT_GONE =
  'PLAID_ENV "development" is no longer available: Plaid removed the Development environment in 2024; use "sandbox" or "production"';

/** What a caller may pass; each unset field falls back to the environment variable. */
export interface PlaidConfigOptions {
  /** `PLAID_CLIENT_ID` */
  readonly clientId?: string;
  /** `PLAID_SECRET` */
  readonly secret?: string | Secret;
  /** `PLAID_ENV`: `sandbox` (default) or `production`. */
  readonly env?: string;
  /** `PLAID_BASE_URL`: replaces the environment's host, e.g. the local emulator. */
  readonly baseUrl?: string;
  /** `PLAID_TIMEOUT_MS`: per request. */
  readonly timeoutMs?: number;
}

/** A complete, checked configuration. The secret stays wrapped until the SDK needs it. */
export interface PlaidConfig {
  readonly clientId: string;
  readonly secret: Secret;
  readonly env: PlaidEnvironment;
  /** The URL the SDK sends requests to (`basePath`). */
  readonly basePath: string;
  readonly timeoutMs: number;
}

export type PlaidConfigStatus =
  | { readonly configured: true; readonly env: PlaidEnvironment; readonly basePath: string }
  | { readonly configured: false; readonly reason: string };

type Env = Readonly<Record<string, string | undefined>>;

const schema = z.object({
  clientId: z.string().trim().min(1).max(200),
  secret: z.string().min(1).max(500),
  env: z.enum(["sandbox", "production"], { error: 'must be "sandbox" or "production"' }),
  baseUrl: z
    .url({ protocol: /^https?$/, error: "must be an http or https URL" })
    .transform((url) => url.replace(/\/+$/, ""))
    .optional(),
  timeoutMs: z.number().int().min(1).max(TIMEOUT_MS_MAX),
});

/**
 * Reads the Plaid configuration from `options`, falling back to `PLAID_CLIENT_ID`,
 * `PLAID_SECRET`, `PLAID_ENV`, `PLAID_BASE_URL` and `PLAID_TIMEOUT_MS`.
 *
 * @example
 * const config = resolvePlaidConfig({ baseUrl: "http://localhost:4010" });
 * config.basePath // "http://localhost:4010"
 * @throws ConfigError when credentials are missing or a value is invalid; the message never
 *   contains the secret.
 */
export function resolvePlaidConfig(options: PlaidConfigOptions = {}, env: Env = process.env): PlaidConfig {
  const clientId = options.clientId ?? nonEmpty(env.PLAID_CLIENT_ID);
  const secret = options.secret ?? nonEmpty(env.PLAID_SECRET);
  if (clientId === undefined || secret === undefined || clientId.trim() === "") {
    throw new ConfigError(NOT_CONFIGURED);
  }
  const environment = (options.env ?? nonEmpty(env.PLAID_ENV) ?? "sandbox").trim().toLowerCase();
  if (environment === "development") throw new ConfigError(DEVELOPMENT_GONE);
  const parsed = schema.safeParse({
    clientId,
    secret: toSecret(secret).reveal(),
    env: environment,
    baseUrl: options.baseUrl ?? nonEmpty(env.PLAID_BASE_URL),
    timeoutMs: options.timeoutMs ?? timeoutFromEnv(env.PLAID_TIMEOUT_MS),
  });
  if (!parsed.success) {
    // zod's messages quote the input: name the field only, so the secret cannot leak here.
    const issue = parsed.error.issues[0];
    const field = String(issue?.path[0] ?? "configuration");
    throw new ConfigError(`Plaid configuration: ${ENV_NAME[field] ?? field} ${describe(issue?.message)}`);
  }
  const value = parsed.data;
  return {
    clientId: value.clientId,
    secret: toSecret(secret),
    env: value.env,
    basePath: value.baseUrl ?? HOSTS[value.env],
    timeoutMs: value.timeoutMs,
  };
}

/**
 * Whether Plaid is usable, as a value an app can show ("Plaid is not configured: set
 * PLAID_CLIENT_ID and PLAID_SECRET") instead of an exception at start-up. Node's HTTP tracing
 * (NODE_DEBUG=http, https or net) makes it unusable too: the gateway would refuse to build its
 * client rather than let Node print the secret.
 *
 * @example plaidConfigStatus({}, {}) // { configured: false, reason: "Plaid is not configured: ..." }
 */
export function plaidConfigStatus(
  options: PlaidConfigOptions = {},
  env: Env = process.env,
): PlaidConfigStatus {
  try {
    const config = resolvePlaidConfig(options, env);
    const tracing = httpTracingProblem();
    if (tracing !== null) return { configured: false, reason: tracing };
    return { configured: true, env: config.env, basePath: config.basePath };
  } catch (error) {
    if (error instanceof ConfigError) return { configured: false, reason: error.message };
    throw error;
  }
}

const ENV_NAME: Readonly<Record<string, string>> = {
  clientId: "PLAID_CLIENT_ID",
  secret: "PLAID_SECRET",
  env: "PLAID_ENV",
  baseUrl: "PLAID_BASE_URL",
  timeoutMs: "PLAID_TIMEOUT_MS",
};

function describe(message: string | undefined): string {
  if (message === undefined) return "is invalid";
  if (/^must /.test(message)) return message;
  return `is invalid (${message.replace(/^Invalid input: /, "").toLowerCase()})`;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}

function timeoutFromEnv(value: string | undefined): number | string {
  if (value === undefined || value === "") return PLAID_TIMEOUT_MS_DEFAULT;
  return /^\d+$/.test(value) ? Number(value) : value;
}
