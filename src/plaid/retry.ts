import type { PlaidApiError } from "./errors.js";

/** Bounds on retrying one call: attempts, the backoff curve, and the time spent in all. */
export interface RetryPolicy {
  readonly attemptsMax: number;
  readonly delayBaseMs: number;
  readonly delayMaxMs: number;
  /** No retry starts once this much time has passed since the first attempt (sleeps included). */
  readonly totalMaxMs: number;
}

export const RETRY_POLICY_DEFAULT: RetryPolicy = {
  attemptsMax: 4,
  delayBaseMs: 250,
  delayMaxMs: 8_000,
  totalMaxMs: 30_000,
};

/** The clock and dice, injectable so that tests run without waiting. */
export interface RetryTiming {
  readonly sleep: (ms: number) => Promise<void>;
  readonly random: () => number;
  readonly now: () => number;
}

export const REAL_TIMING: RetryTiming = {
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
  now: Date.now,
};

export interface RetryEvent {
  readonly operation: string;
  /** The attempt that failed, from 1. */
  readonly attempt: number;
  readonly delayMs: number;
  readonly error: PlaidApiError;
}

export interface RetryOptions {
  readonly policy: RetryPolicy;
  readonly timing: RetryTiming;
  /**
   * Whether repeating the request is harmless even if a failed attempt took effect. When not,
   * only failures that prove Plaid did nothing (429, bank down, connection refused) are retried.
   */
  readonly repeatable: boolean;
  readonly onRetry?: ((event: RetryEvent) => void) | undefined;
}

/**
 * Runs `attempt` until it succeeds, a failure is not retryable, or the policy's bounds are
 * reached; waits between attempts with exponential backoff and full jitter (a uniform delay
 * in [0, min(max, base·2^(n-1))]), which spreads a crowd of clients hit by the same 429.
 *
 * @example await withRetry("itemGet", () => call(), { policy: RETRY_POLICY_DEFAULT, timing: REAL_TIMING, repeatable: true })
 */
export async function withRetry<T>(
  operation: string,
  attempt: () => Promise<T>,
  options: RetryOptions,
): Promise<T> {
  const { policy, timing } = options;
  const startedMs = timing.now();
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (error) {
      const failure = error as PlaidApiError;
      if (n >= policy.attemptsMax || !shouldRetry(failure, options.repeatable)) throw failure;
      const ceilingMs = Math.min(policy.delayMaxMs, policy.delayBaseMs * 2 ** (n - 1));
      const delayMs = Math.floor(timing.random() * ceilingMs);
      if (timing.now() - startedMs + delayMs > policy.totalMaxMs) throw failure;
      options.onRetry?.({ operation, attempt: n, delayMs, error: failure });
      await timing.sleep(delayMs);
    }
  }
}

function shouldRetry(error: PlaidApiError, repeatable: boolean): boolean {
  if (typeof error !== "object" || error === null || error.retryable !== true) return false;
  return repeatable || !error.outcomeUnknown;
}
