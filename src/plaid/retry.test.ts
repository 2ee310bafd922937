import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isRetryable, PlaidApiError } from "./errors.js";
import { type RetryEvent, type RetryPolicy, type RetryTiming, withRetry } from "./retry.js";

function plaidError(httpStatus: number | null, errorType: string, errorCode: string): PlaidApiError {
  return new PlaidApiError({
    operation: "test",
    errorType,
    errorCode,
    errorMessage: "",
    displayMessage: null,
    requestId: null,
    httpStatus,
    retryable: isRetryable(httpStatus, errorType, errorCode),
    outcomeUnknown: httpStatus === null || httpStatus >= 500,
  });
}

const policy: RetryPolicy = { attemptsMax: 5, delayBaseMs: 100, delayMaxMs: 1_000, totalMaxMs: 10_000 };

/** A fake clock: sleeping advances it. */
function fakeTiming(random = () => 0.5): RetryTiming & { slept: number[] } {
  let nowMs = 0;
  const slept: number[] = [];
  return {
    slept,
    now: () => nowMs,
    random,
    sleep: async (ms) => {
      slept.push(ms);
      nowMs += ms;
    },
  };
}

async function run(
  failures: PlaidApiError[],
  options: { repeatable?: boolean; timing?: RetryTiming; policy?: RetryPolicy } = {},
) {
  let calls = 0;
  const events: RetryEvent[] = [];
  const outcome = await withRetry(
    "test",
    async () => {
      const failure = failures[calls++];
      if (failure !== undefined) throw failure;
      return "ok";
    },
    {
      policy: options.policy ?? policy,
      timing: options.timing ?? fakeTiming(),
      repeatable: options.repeatable ?? true,
      onRetry: (e) => events.push(e),
    },
  ).catch((error: unknown) => error);
  return { outcome, calls, events };
}

describe("withRetry", () => {
  it("retries 429s, 5xx, institution outages and network errors until success", async () => {
    const { outcome, calls, events } = await run([
      plaidError(429, "RATE_LIMIT_EXCEEDED", "TRANSACTIONS_LIMIT"),
      plaidError(500, "API_ERROR", "INTERNAL_SERVER_ERROR"),
      plaidError(400, "INSTITUTION_ERROR", "INSTITUTION_DOWN"),
      plaidError(null, "NETWORK_ERROR", "TIMEOUT"),
    ]);
    expect(outcome).toBe("ok");
    expect(calls).toBe(5);
    expect(events.map((e) => e.error.errorCode)).toEqual([
      "TRANSACTIONS_LIMIT",
      "INTERNAL_SERVER_ERROR",
      "INSTITUTION_DOWN",
      "TIMEOUT",
    ]);
  });

  it("never retries an input error", async () => {
    const invalid = plaidError(400, "INVALID_REQUEST", "INVALID_FIELD");
    const { outcome, calls } = await run([invalid]);
    expect(outcome).toBe(invalid);
    expect(calls).toBe(1);
    const login = plaidError(400, "ITEM_ERROR", "ITEM_LOGIN_REQUIRED");
    expect((await run([login])).calls).toBe(1);
  });

  it("stops after the attempt limit with the last error", async () => {
    const busy = Array.from({ length: 10 }, () => plaidError(503, "API_ERROR", "INTERNAL_SERVER_ERROR"));
    const { outcome, calls } = await run(busy);
    expect(calls).toBe(policy.attemptsMax);
    expect(outcome).toBe(busy[policy.attemptsMax - 1]);
  });

  it("stops when the next wait would pass the total time bound", async () => {
    const busy = Array.from({ length: 10 }, () => plaidError(500, "API_ERROR", "INTERNAL_SERVER_ERROR"));
    const timing = fakeTiming(() => 0.99);
    const tight = { ...policy, attemptsMax: 10, totalMaxMs: 500 };
    const { calls } = await run(busy, { timing, policy: tight });
    expect(timing.slept.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(500);
    expect(calls).toBeLessThan(10);
  });

  it("repeats a non-repeatable request only when Plaid surely did nothing", async () => {
    const serverError = plaidError(500, "API_ERROR", "INTERNAL_SERVER_ERROR");
    expect((await run([serverError], { repeatable: false })).calls).toBe(1);
    const limited = plaidError(429, "RATE_LIMIT_EXCEEDED", "RATE_LIMIT");
    expect((await run([limited], { repeatable: false })).outcome).toBe("ok");
  });

  it("waits a uniformly drawn delay under an exponentially growing ceiling (full jitter)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.double({ min: 0, max: 0.999999, noNaN: true }), { minLength: 4, maxLength: 4 }),
        async (draws) => {
          let i = 0;
          const timing = fakeTiming(() => draws[i++] ?? 0);
          const busy = Array.from({ length: 4 }, () => plaidError(429, "RATE_LIMIT_EXCEEDED", "RATE_LIMIT"));
          await run(busy, { timing });
          expect(timing.slept).toHaveLength(4);
          timing.slept.forEach((ms, n) => {
            const ceiling = Math.min(policy.delayMaxMs, policy.delayBaseMs * 2 ** n);
            expect(ms).toBe(Math.floor((draws[n] ?? 0) * ceiling));
            expect(ms).toBeLessThan(ceiling);
          });
        },
      ),
      { numRuns: 50 },
    );
  });
});
