/** A compact JWS split into its parts, the header and payload decoded but not yet trusted. */
export interface DecodedJwt {
  readonly header: Readonly<Record<string, unknown>>;
  readonly payload: Readonly<Record<string, unknown>>;
  /** `base64url(header) "." base64url(payload)`: the bytes the signature covers. */
  readonly signingInput: string;
  readonly signature: Buffer;
}

/** Plaid's JWTs are a few hundred bytes; anything far larger is not one. */
const JWT_LENGTH_MAX = 8_192;
const BASE64URL = /^[A-Za-z0-9_-]*$/;

/**
 * Splits and decodes a compact JWS. Returns null for anything that is not three base64url
 * parts whose first two are JSON objects.
 */
export function decodeJwt(token: string): DecodedJwt | null {
  if (token.length > JWT_LENGTH_MAX) return null;
  const parts = token.trim().split(".");
  if (parts.length !== 3) return null;
  const [headerPart = "", payloadPart = "", signaturePart = ""] = parts;
  if (!parts.every((part) => BASE64URL.test(part)) || headerPart === "" || payloadPart === "") return null;
  const header = jsonObject(headerPart);
  const payload = jsonObject(payloadPart);
  if (header === null || payload === null) return null;
  return {
    header,
    payload,
    signingInput: `${headerPart}.${payloadPart}`,
    signature: Buffer.from(signaturePart, "base64url"),
  };
}

function jsonObject(part: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}
