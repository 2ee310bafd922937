import { createHash, createPublicKey, type KeyObject, timingSafeEqual, verify } from "node:crypto";
import type { WebhookVerificationKey } from "../plaid/items.js";
import { type PlaidWebhookEvent, parseWebhookEvent } from "./events.js";
import { decodeJwt } from "./jwt.js";
import type { WebhookKeyProvider } from "./key-cache.js";

/** Plaid: reject a webhook whose JWT was issued more than five minutes ago. */
export const IAT_AGE_MAX_S = 300;
/** Clock skew tolerated the other way: a JWT from the future is a forgery or a broken clock. */
export const IAT_FUTURE_MAX_S = 60;
/** Plaid's webhook bodies are small; a body past this is refused before it is hashed. */
const BODY_BYTES_MAX = 1_000_000;

export type WebhookRejection =
  | "missing_header"
  | "malformed_jwt"
  | "bad_alg"
  | "unknown_kid"
  | "key_unavailable"
  | "key_expired"
  | "bad_signature"
  | "stale_iat"
  | "body_hash_mismatch"
  | "malformed_body";

export type WebhookVerification =
  | {
      readonly ok: true;
      readonly event: PlaidWebhookEvent;
      readonly keyId: string;
      readonly issuedAt: number;
    }
  | { readonly ok: false; readonly reason: WebhookRejection; readonly detail: string };

export type HeaderValue = string | readonly string[] | undefined;

export interface WebhookRequest {
  /** The body exactly as received: its bytes are hashed, so never re-serialize parsed JSON. */
  readonly rawBody: string | Uint8Array;
  /** Node's `IncomingMessage.headers`, a plain record, or a fetch `Headers`. */
  readonly headers: Readonly<Record<string, HeaderValue>> | Headers;
  /** Milliseconds since the epoch; default Date.now(). */
  readonly now?: number;
}

/**
 * Verifies a Plaid webhook: the `Plaid-Verification` JWT must be ES256 (nothing else, checked
 * before anything else), signed by the key Plaid serves for its `kid` and not expired, issued
 * at most five minutes ago, and carry the SHA-256 of the raw body (compared in constant time).
 * Only then is the body parsed into a typed event.
 *
 * @example
 * const keys = WebhookKeyCache.forGateway(gateway);
 * const result = await verifyPlaidWebhook({ rawBody, headers: req.headers }, keys);
 * if (!result.ok) return res.writeHead(result.reason === "key_unavailable" ? 503 : 401).end();
 * if (result.event.kind === "TRANSACTIONS/SYNC_UPDATES_AVAILABLE") queueSync(result.event.itemId);
 */
export async function verifyPlaidWebhook(
  request: WebhookRequest,
  keys: WebhookKeyProvider,
): Promise<WebhookVerification> {
  const token = headerOf(request.headers, "plaid-verification");
  if (token === undefined || token === "") return reject("missing_header", "no Plaid-Verification header");
  const jwt = decodeJwt(token);
  if (jwt === null) return reject("malformed_jwt", "not a compact JWS with JSON header and payload");
  if (jwt.header.alg !== "ES256")
    return reject("bad_alg", `alg ${JSON.stringify(jwt.header.alg)} is not ES256`);
  const kid = jwt.header.kid;
  if (typeof kid !== "string" || kid === "" || kid.length > 200)
    return reject("malformed_jwt", "no kid in the header");

  const lookup = await keys.getKey(kid);
  if (lookup.status === "unknown") return reject("unknown_kid", `Plaid does not know key ${kid}`);
  if (lookup.status === "unavailable") return reject("key_unavailable", `key ${kid} could not be fetched`);
  const nowMs = request.now ?? Date.now();
  const key = lookup.key;
  if (key.expiredAt !== null && key.expiredAt * 1000 <= nowMs)
    return reject("key_expired", `key ${kid} has expired`);

  const publicKey = publicKeyOf(key);
  if (publicKey === null) return reject("unknown_kid", `key ${kid} is not a P-256 signing key`);
  // ES256 signatures in a JWS are r‖s, 32 bytes each (IEEE P1363), not DER.
  if (jwt.signature.length !== 64) return reject("bad_signature", "the signature is not 64 bytes");
  const signed = verify(
    "sha256",
    Buffer.from(jwt.signingInput, "ascii"),
    { key: publicKey, dsaEncoding: "ieee-p1363" },
    jwt.signature,
  );
  if (!signed) return reject("bad_signature", "the signature does not verify");

  const iat = jwt.payload.iat;
  if (typeof iat !== "number" || !Number.isFinite(iat)) return reject("malformed_jwt", "no numeric iat");
  const ageS = nowMs / 1000 - iat;
  if (ageS > IAT_AGE_MAX_S) return reject("stale_iat", `issued ${Math.round(ageS)} s ago`);
  if (-ageS > IAT_FUTURE_MAX_S) return reject("stale_iat", `issued ${Math.round(-ageS)} s in the future`);

  const claimed = jwt.payload.request_body_sha256;
  if (typeof claimed !== "string") return reject("malformed_jwt", "no request_body_sha256");
  const body =
    typeof request.rawBody === "string" ? Buffer.from(request.rawBody, "utf8") : Buffer.from(request.rawBody);
  if (body.length > BODY_BYTES_MAX) return reject("malformed_body", "the body is too large");
  if (!sameHash(claimed, createHash("sha256").update(body).digest("hex"))) {
    return reject("body_hash_mismatch", "the body is not the one that was signed");
  }

  const parsed = parseWebhookEvent(body.toString("utf8"));
  if (!parsed.ok) return reject("malformed_body", parsed.detail);
  return { ok: true, event: parsed.event, keyId: kid, issuedAt: iat };
}

function reject(reason: WebhookRejection, detail: string): WebhookVerification {
  return { ok: false, reason, detail };
}

/** Constant time over equal-length buffers; the length itself is public (always 64 hex digits). */
function sameHash(claimed: string, actual: string): boolean {
  const a = Buffer.from(claimed.toLowerCase(), "utf8");
  const b = Buffer.from(actual, "utf8");
  return a.length === b.length && timingSafeEqual(a, b);
}

function publicKeyOf(key: WebhookVerificationKey): KeyObject | null {
  if (key.kty !== "EC" || key.crv !== "P-256" || (key.alg !== "ES256" && key.alg !== "")) return null;
  try {
    return createPublicKey({ key: { kty: "EC", crv: "P-256", x: key.x, y: key.y }, format: "jwk" });
  } catch {
    return null;
  }
}

function headerOf(headers: WebhookRequest["headers"], name: string): string | undefined {
  if (typeof Headers !== "undefined" && headers instanceof Headers) return headers.get(name) ?? undefined;
  const record = headers as Readonly<Record<string, HeaderValue>>;
  for (const [key, value] of Object.entries(record)) {
    if (key.toLowerCase() !== name) continue;
    if (typeof value === "string") return value;
    // Two Plaid-Verification headers: ambiguous, treat as missing rather than pick one.
    return value?.length === 1 ? value[0] : undefined;
  }
  return undefined;
}
