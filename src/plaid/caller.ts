import { Configuration, PlaidApi } from "plaid";
import { ConfigError } from "../errors/index.js";
import type { Secret } from "../secrets/index.js";
import type { PlaidConfig } from "./config.js";
import { toPlaidApiError } from "./errors.js";
import { httpTracingProblem, silenceHttpDebugLogs } from "./http-debug.js";
import {
  REAL_TIMING,
  RETRY_POLICY_DEFAULT,
  type RetryEvent,
  type RetryPolicy,
  type RetryTiming,
  withRetry,
} from "./retry.js";

/** The slice of the SDK's response the gateway reads. */
export interface SdkResponse<T> {
  readonly data: T;
}

/** The Plaid API version the gateway's types and mapping were written against. */
export const PLAID_API_VERSION = "2020-09-14";

export interface CallerOptions {
  readonly config: PlaidConfig;
  /** A prebuilt SDK client (tests inject a fake); by default one is made from `config`. */
  readonly api?: PlaidApi | undefined;
  readonly retry?: Partial<RetryPolicy> | undefined;
  readonly timing?: Partial<RetryTiming> | undefined;
  /** Told about each retry; the error in it is already scrubbed. */
  readonly onRetry?: ((event: RetryEvent) => void) | undefined;
}

/**
 * Makes the official SDK's client. Credentials go in headers (Plaid accepts them there or in
 * the body); the secret is revealed here and nowhere else in the gateway.
 *
 * No debug channel may print those headers (see http-debug.ts): with Node's HTTP tracing on
 * (NODE_DEBUG=http, https, net), which nothing inside the process can switch off, this refuses
 * with a ConfigError naming NODE_DEBUG; the `debug` package's HTTP namespaces (DEBUG=*) are
 * switched off. `maxRedirects: 0` keeps axios off its redirect follower (follow-redirects),
 * whose debug log prints each request's headers, and which would resend the secret header
 * and the body to whatever host a redirect names (it strips only Authorization and Cookie).
 * Plaid's API answers POSTs and never redirects; a 3xx becomes a PlaidApiError.
 *
 * @example const api = createPlaidApi(resolvePlaidConfig({ baseUrl: "http://127.0.0.1:4010" }));
 * @throws ConfigError when NODE_DEBUG traces http, https or net.
 */
export function createPlaidApi(config: PlaidConfig): PlaidApi {
  const tracing = httpTracingProblem();
  if (tracing !== null) throw new ConfigError(tracing);
  silenceHttpDebugLogs();
  return new PlaidApi(
    new Configuration({
      basePath: config.basePath,
      baseOptions: {
        headers: {
          "PLAID-CLIENT-ID": config.clientId,
          "PLAID-SECRET": config.secret.reveal(),
          "Plaid-Version": PLAID_API_VERSION,
        },
        timeout: config.timeoutMs,
        maxRedirects: 0,
      },
    }),
  );
}

/**
 * Sends SDK calls with retries, turning every failure into a scrubbed PlaidApiError. The SDK
 * client sits in a private field: inspecting or serializing the caller (or the gateway that
 * holds it) cannot reach the headers that carry the secret.
 */
export class PlaidCaller {
  readonly #api: PlaidApi;
  readonly #secret: Secret;
  readonly #policy: RetryPolicy;
  readonly #timing: RetryTiming;
  readonly #onRetry: ((event: RetryEvent) => void) | undefined;
  readonly now: () => number;

  constructor(options: CallerOptions) {
    this.#api = options.api ?? createPlaidApi(options.config);
    this.#secret = options.config.secret;
    this.#policy = { ...RETRY_POLICY_DEFAULT, ...options.retry };
    this.#timing = { ...REAL_TIMING, ...options.timing };
    this.#onRetry = options.onRetry;
    this.now = this.#timing.now;
  }

  /**
   * Calls `send` with the SDK client. `tokens` are the access tokens in the request, scrubbed
   * from any error text; `repeatable` says whether a retry is harmless if an attempt that
   * failed in fact took effect (reads are; creating sandbox transactions is not).
   */
  async call<T>(
    operation: string,
    tokens: readonly Secret[],
    send: (api: PlaidApi) => Promise<SdkResponse<T>>,
    repeatable = true,
  ): Promise<T> {
    const secrets = [this.#secret, ...tokens];
    return withRetry(
      operation,
      async () => {
        try {
          return (await send(this.#api)).data;
        } catch (thrown) {
          throw toPlaidApiError(thrown, operation, secrets);
        }
      },
      { policy: this.#policy, timing: this.#timing, repeatable, onRetry: this.#onRetry },
    );
  }

  toJSON(): string {
    return "[PlaidCaller]";
  }
}
