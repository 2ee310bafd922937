import { describe, expect, test } from "vitest";
import { InputError } from "../errors/index.js";
import { FaultBook } from "./faults.js";
import { createRng } from "./prng.js";

const ITEM = ["access-sandbox-1", "item-1"];

describe("fault rules", () => {
  test("a rule for the next N calls fires N times, then is gone", () => {
    const book = new FaultBook(createRng(1));
    book.set({ kind: "server_error", times: 2 });
    const codes = [1, 2, 3].map(() => book.evaluate("/item/get", ITEM).failure?.errorCode ?? null);
    expect(codes).toEqual(["INTERNAL_SERVER_ERROR", "INTERNAL_SERVER_ERROR", null]);
  });

  test("rate limits take the endpoint's own code unless the rule names one", () => {
    const book = new FaultBook(createRng(1));
    book.set({ kind: "rate_limit", times: 3 });
    expect(book.evaluate("/transactions/sync", ITEM).failure).toMatchObject({
      errorCode: "TRANSACTIONS_SYNC_LIMIT",
      status: 429,
    });
    expect(book.evaluate("/link/token/create", []).failure?.errorCode).toBe("RATE_LIMIT");
    book.clear();
    book.set({ kind: "rate_limit", errorCode: "ACCOUNTS_LIMIT" });
    expect(book.evaluate("/transactions/sync", ITEM).failure?.errorCode).toBe("ACCOUNTS_LIMIT");
  });

  test("item rules skip other items and calls without an item; latency adds up alongside a failure", () => {
    const book = new FaultBook(createRng(1));
    book.set({ kind: "item_login_required" });
    book.set({ kind: "latency", latencyMs: 30, item: "item-1" });
    book.set({ kind: "latency", latencyMs: 20 });
    expect(book.evaluate("/item/get", ["access-sandbox-2", "item-2"])).toEqual({
      delayMs: 20,
      failure: expect.objectContaining({ errorCode: "ITEM_LOGIN_REQUIRED" }),
    });
    expect(book.evaluate("/link/token/create", []).failure).toBeNull();
    expect(book.evaluate("/item/get", ITEM).delayMs).toBe(50);
  });

  test("a mutation fault only touches /transactions/sync", () => {
    const book = new FaultBook(createRng(1));
    book.set({ kind: "mutation_during_pagination", times: 1 });
    expect(book.evaluate("/transactions/get", ITEM).failure).toBeNull();
    expect(book.evaluate("/transactions/sync", ITEM).failure?.errorCode).toBe(
      "TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION",
    );
  });

  test.each([
    [{ kind: "server_error", times: 0 }],
    [{ kind: "server_error", probability: 1.5 }],
    [{ kind: "latency" }],
    [{ kind: "meteor" }],
  ])("an impossible rule %j is an InputError", (rule) => {
    const book = new FaultBook(createRng(1));
    expect(() => book.set(rule as never)).toThrow(InputError);
  });
});
