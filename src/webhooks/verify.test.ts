import { createHash, createHmac, generateKeyPairSync, type KeyObject, sign } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { WebhookVerificationKey } from "../plaid/items.js";
import type { KeyLookup, WebhookKeyProvider } from "./key-cache.js";
import { verifyPlaidWebhook } from "./verify.js";

const NOW_MS = Date.UTC(2026, 5, 30, 12, 0, 0);
const NOW_S = NOW_MS / 1000;

function keyPair(kid: string, expiredAt: number | null = null) {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const jwk = publicKey.export({ format: "jwk" });
  const key: WebhookVerificationKey = {
    kid,
    alg: "ES256",
    kty: "EC",
    crv: "P-256",
    use: "sig",
    x: jwk.x ?? "",
    y: jwk.y ?? "",
    createdAt: NOW_S - 86_400,
    expiredAt,
  };
  return { privateKey, key };
}

const current = keyPair("kid-current");
const other = keyPair("kid-other");
const expired = keyPair("kid-expired", NOW_S - 10);

function provider(keys: WebhookVerificationKey[]): WebhookKeyProvider & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    async getKey(kid: string): Promise<KeyLookup> {
      asked.push(kid);
      const key = keys.find((k) => k.kid === kid);
      return key === undefined ? { status: "unknown" } : { status: "found", key };
    },
  };
}
const keys = provider([current.key, expired.key]);

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

function jwt(
  body: string,
  options: {
    header?: Record<string, unknown>;
    iat?: number;
    hash?: string;
    signer?: KeyObject;
    signature?: string;
  } = {},
): string {
  const header = b64(options.header ?? { alg: "ES256", kid: "kid-current", typ: "JWT" });
  const payload = b64({
    iat: options.iat ?? NOW_S - 5,
    request_body_sha256: options.hash ?? createHash("sha256").update(body).digest("hex"),
  });
  const input = `${header}.${payload}`;
  const signature =
    options.signature ??
    sign("sha256", Buffer.from(input), {
      key: options.signer ?? current.privateKey,
      dsaEncoding: "ieee-p1363",
    }).toString("base64url");
  return `${input}.${signature}`;
}

const body = JSON.stringify(
  {
    environment: "sandbox",
    historical_update_complete: true,
    initial_update_complete: true,
    item_id: "item_1",
    webhook_code: "SYNC_UPDATES_AVAILABLE",
    webhook_type: "TRANSACTIONS",
  },
  null,
  2,
);

async function check(token: string | undefined, rawBody: string | Uint8Array = body, via = keys) {
  const headers = token === undefined ? {} : { "Plaid-Verification": token };
  return verifyPlaidWebhook({ rawBody, headers, now: NOW_MS }, via);
}

describe("verifyPlaidWebhook", () => {
  it("accepts a correctly signed webhook and returns its typed event", async () => {
    const result = await check(jwt(body));
    expect(result).toMatchObject({ ok: true, keyId: "kid-current" });
    if (!result.ok || result.event.kind !== "TRANSACTIONS/SYNC_UPDATES_AVAILABLE")
      throw new Error("expected a sync event");
    expect(result.event.itemId).toBe("item_1");
    expect(result.event.body.historical_update_complete).toBe(true);
  });

  it("accepts the body as bytes and the header in any case, or from fetch Headers", async () => {
    const token = jwt(body);
    const bytes = new TextEncoder().encode(body);
    expect(
      (
        await verifyPlaidWebhook(
          { rawBody: bytes, headers: { "plaid-verification": token }, now: NOW_MS },
          keys,
        )
      ).ok,
    ).toBe(true);
    const headers = new Headers({ "PLAID-VERIFICATION": token });
    expect((await verifyPlaidWebhook({ rawBody: body, headers, now: NOW_MS }, keys)).ok).toBe(true);
  });

  it("rejects a missing header", async () => {
    expect(await check(undefined)).toMatchObject({ ok: false, reason: "missing_header" });
  });

  it("rejects anything that is not a compact JWS", async () => {
    for (const token of ["abc", "a.b", "a.b.c.d", "!!.??.**", `${b64([1])}.${b64({})}.`, "x".repeat(9_000)]) {
      expect(await check(token)).toMatchObject({ ok: false, reason: "malformed_jwt" });
    }
  });

  it("rejects alg none, HS256 and other algorithms before looking up any key", async () => {
    const asking = provider([current.key]);
    const hs256Input = `${b64({ alg: "HS256", kid: "kid-current" })}.${b64({ iat: NOW_S, request_body_sha256: "x" })}`;
    const hs256 = `${hs256Input}.${createHmac("sha256", current.key.x).update(hs256Input).digest("base64url")}`;
    const tokens = [
      jwt(body, { header: { alg: "none", kid: "kid-current" }, signature: "" }),
      hs256,
      jwt(body, { header: { alg: "ES384", kid: "kid-current" } }),
      jwt(body, { header: { alg: "es256", kid: "kid-current" } }),
      jwt(body, { header: { kid: "kid-current" } }),
    ];
    for (const token of tokens)
      expect(await check(token, body, asking)).toMatchObject({ ok: false, reason: "bad_alg" });
    expect(asking.asked).toEqual([]);
  });

  it("rejects an unknown kid and a key that has expired", async () => {
    expect(await check(jwt(body, { header: { alg: "ES256", kid: "kid-nobody" } }))).toMatchObject({
      reason: "unknown_kid",
    });
    const byExpired = jwt(body, { header: { alg: "ES256", kid: "kid-expired" }, signer: expired.privateKey });
    expect(await check(byExpired)).toMatchObject({ ok: false, reason: "key_expired" });
  });

  it("rejects a signature by another key, a forged one, and a DER-encoded one", async () => {
    expect(await check(jwt(body, { signer: other.privateKey }))).toMatchObject({ reason: "bad_signature" });
    const valid = jwt(body);
    const forged = `${valid.slice(0, valid.lastIndexOf(".") + 1)}${Buffer.alloc(64, 7).toString("base64url")}`;
    expect(await check(forged)).toMatchObject({ reason: "bad_signature" });
    const [h, p] = valid.split(".");
    const der = sign("sha256", Buffer.from(`${h}.${p}`), current.privateKey).toString("base64url");
    expect(await check(`${h}.${p}.${der}`)).toMatchObject({ reason: "bad_signature" });
  });

  it("rejects a payload changed after signing (a fresher iat pasted in)", async () => {
    const [h, , s] = jwt(body, { iat: NOW_S - 3_600 }).split(".");
    const fresh = b64({ iat: NOW_S, request_body_sha256: createHash("sha256").update(body).digest("hex") });
    expect(await check(`${h}.${fresh}.${s}`)).toMatchObject({ reason: "bad_signature" });
  });

  it("rejects an iat older than five minutes or too far in the future", async () => {
    expect(await check(jwt(body, { iat: NOW_S - 301 }))).toMatchObject({ reason: "stale_iat" });
    expect(await check(jwt(body, { iat: NOW_S + 3_600 }))).toMatchObject({ reason: "stale_iat" });
    expect((await check(jwt(body, { iat: NOW_S - 299 }))).ok).toBe(true);
  });

  it("rejects a body that is not the one signed, even by one byte of whitespace", async () => {
    const token = jwt(body);
    expect(await check(token, body.replace("item_1", "item_2"))).toMatchObject({
      reason: "body_hash_mismatch",
    });
    expect(await check(token, `${body} `)).toMatchObject({ reason: "body_hash_mismatch" });
    expect(await check(jwt(body, { hash: "abc" }))).toMatchObject({ reason: "body_hash_mismatch" });
  });

  it("rejects a signed body that is not a webhook", async () => {
    for (const text of [
      "not json",
      "[1,2]",
      '{"webhook_type":1}',
      '{"webhook_type":"TRANSACTIONS","webhook_code":"SYNC_UPDATES_AVAILABLE"}',
    ]) {
      expect(await check(jwt(text), text)).toMatchObject({ ok: false, reason: "malformed_body" });
    }
  });
});
