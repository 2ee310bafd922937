import { describe, expect, it } from "vitest";
import { PlaidApiError } from "../plaid/errors.js";
import type { WebhookVerificationKey } from "../plaid/items.js";
import { WebhookKeyCache } from "./key-cache.js";

function key(kid: string, expiredAt: number | null = null): WebhookVerificationKey {
  return { kid, alg: "ES256", kty: "EC", crv: "P-256", use: "sig", x: "x", y: "y", createdAt: 1, expiredAt };
}

function plaidFailure(httpStatus: number, errorCode: string): PlaidApiError {
  return new PlaidApiError({
    operation: "webhookVerificationKeyGet",
    errorType: httpStatus >= 500 ? "API_ERROR" : "INVALID_INPUT",
    errorCode,
    errorMessage: "",
    displayMessage: null,
    requestId: null,
    httpStatus,
    retryable: httpStatus >= 500,
    outcomeUnknown: false,
  });
}

/** A fake Plaid key endpoint: a table of keys, counting requests. */
function server() {
  const keys = new Map<string, WebhookVerificationKey>();
  const asked: string[] = [];
  let down = false;
  return {
    keys,
    asked,
    setDown: (value: boolean) => (down = value),
    fetch: async (kid: string) => {
      asked.push(kid);
      if (down) throw plaidFailure(500, "INTERNAL_SERVER_ERROR");
      const found = keys.get(kid);
      if (found === undefined) throw plaidFailure(400, "INVALID_FIELD");
      return found;
    },
  };
}

describe("WebhookKeyCache", () => {
  it("caches many kids at once and asks Plaid once per kid", async () => {
    const plaid = server();
    plaid.keys.set("a", key("a", 100));
    plaid.keys.set("b", key("b"));
    const cache = new WebhookKeyCache(plaid.fetch, { now: () => 0 });
    await Promise.all([cache.getKey("a"), cache.getKey("a"), cache.getKey("b")]);
    await cache.getKey("a");
    await cache.getKey("b");
    expect(cache.size).toBe(2);
    expect(plaid.asked.filter((k) => k === "a")).toHaveLength(1);
    expect((await cache.getKey("a")).status).toBe("found");
  });

  it("learns that a cached key expired when a new kid appears", async () => {
    const plaid = server();
    plaid.keys.set("old", key("old"));
    const cache = new WebhookKeyCache(plaid.fetch, { now: () => 0 });
    expect(await cache.getKey("old")).toMatchObject({ status: "found", key: { expiredAt: null } });
    plaid.keys.set("old", key("old", 50));
    plaid.keys.set("new", key("new"));
    await cache.getKey("new");
    expect(await cache.getKey("old")).toMatchObject({ status: "found", key: { expiredAt: 50 } });
  });

  it("rechecks a current key after the refresh period", async () => {
    let nowMs = 0;
    const plaid = server();
    plaid.keys.set("k", key("k"));
    const cache = new WebhookKeyCache(plaid.fetch, { now: () => nowMs, refreshMs: 1_000 });
    await cache.getKey("k");
    nowMs = 500;
    await cache.getKey("k");
    nowMs = 1_501;
    await cache.getKey("k");
    expect(plaid.asked).toEqual(["k", "k"]);
  });

  it("remembers an unknown kid for a while, so forged kids cost one request each", async () => {
    let nowMs = 0;
    const plaid = server();
    const cache = new WebhookKeyCache(plaid.fetch, { now: () => nowMs, unknownTtlMs: 1_000 });
    expect(await cache.getKey("forged")).toEqual({ status: "unknown" });
    expect(await cache.getKey("forged")).toEqual({ status: "unknown" });
    expect(plaid.asked).toEqual(["forged"]);
    nowMs = 2_000;
    await cache.getKey("forged");
    expect(plaid.asked).toHaveLength(2);
  });

  it("says unavailable when Plaid cannot be reached, but keeps using a key it already has", async () => {
    let nowMs = 0;
    const plaid = server();
    plaid.keys.set("k", key("k"));
    const cache = new WebhookKeyCache(plaid.fetch, { now: () => nowMs, refreshMs: 10 });
    await cache.getKey("k");
    plaid.setDown(true);
    nowMs = 100;
    expect((await cache.getKey("k")).status).toBe("found");
    expect((await cache.getKey("never-seen")).status).toBe("unavailable");
  });

  it("holds a bounded number of kids", async () => {
    const plaid = server();
    for (let i = 0; i < 10; i++) plaid.keys.set(`k${i}`, key(`k${i}`, 1));
    const cache = new WebhookKeyCache(plaid.fetch, { now: () => 0, entriesMax: 3 });
    for (let i = 0; i < 10; i++) await cache.getKey(`k${i}`);
    expect(cache.size).toBe(3);
  });
});
