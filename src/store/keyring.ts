import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { inspect } from "node:util";
import { ConfigError, InputError } from "../errors/index.js";
import { Secret } from "../secrets/index.js";

const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_ID_HEX_CHARS = 12;
const SEALED_VERSION = "v1";
const AAD_PREFIX = "bankrec-token:v1:";
const KEY_ID_PREFIX = "bankrec-key-id:";
/** Access tokens are ~60 bytes; the bound keeps a corrupt row from costing megabytes of work. */
const PLAIN_BYTES_MAX = 64 * 1024;
const SEALED_CHARS_MAX = 2 * PLAIN_BYTES_MAX;

export const ENV_SECRET_KEY = "BANKREC_SECRET_KEY";
export const ENV_SECRET_KEY_PREVIOUS = "BANKREC_SECRET_KEY_PREVIOUS";

const HEX_KEY = /^[0-9a-fA-F]{64}$/;
/** 32 bytes are 43 base64 characters and one pad; both alphabets are accepted. */
const BASE64_KEY = /^[A-Za-z0-9+/_-]{43}=?$/;
const BASE64URL_PART = /^[A-Za-z0-9_-]*$/;
const KEY_ID = /^[0-9a-f]{12}$/;

let keyBytesOf: (key: EncryptionKey) => Buffer;

/**
 * A 32-byte AES-256 key. The bytes never leave through text: `String`, template literals,
 * `JSON.stringify` and `util.inspect` all print `[EncryptionKey <keyId>]`; only `toText()` hands
 * the key out, for writing a key file.
 *
 * @example
 * const key = EncryptionKey.fromText(process.env.BANKREC_SECRET_KEY ?? "", "BANKREC_SECRET_KEY");
 * `${key}` // "[EncryptionKey 3f9a0c1b2d4e]"
 */
export class EncryptionKey {
  readonly #bytes: Buffer;
  /** First 12 hex characters of sha256("bankrec-key-id:" ‖ the 32 key bytes): names the key, reveals nothing. */
  readonly keyId: string;

  static {
    keyBytesOf = (key) => key.#bytes;
  }

  private constructor(bytes: Buffer) {
    if (bytes.length !== KEY_BYTES) throw new Error(`assert: an encryption key has ${KEY_BYTES} bytes`);
    this.#bytes = Buffer.from(bytes);
    // Hashing the raw bytes (not the text) gives one id whichever encoding the user wrote.
    const digest = createHash("sha256").update(KEY_ID_PREFIX).update(this.#bytes).digest("hex");
    this.keyId = digest.slice(0, KEY_ID_HEX_CHARS);
  }

  /** A fresh random key. */
  static generate(): EncryptionKey {
    return new EncryptionKey(randomBytes(KEY_BYTES));
  }

  /**
   * Reads a key written as 64 hex characters or as base64/base64url of 32 bytes (surrounding
   * whitespace ignored). `where` names the origin for the error, which never repeats the text.
   *
   * @example
   * EncryptionKey.fromText("00".repeat(32), "BANKREC_SECRET_KEY").keyId
   */
  static fromText(text: string, where: string): EncryptionKey {
    const trimmed = text.trim();
    if (HEX_KEY.test(trimmed)) return new EncryptionKey(Buffer.from(trimmed, "hex"));
    if (BASE64_KEY.test(trimmed)) {
      const bytes = Buffer.from(trimmed, "base64");
      // The 43rd character carries 2 spare bits; a key with them set is a typo, not a key.
      const canonical = bytes.toString("base64url");
      if (bytes.length === KEY_BYTES && canonical === toBase64url(trimmed)) return new EncryptionKey(bytes);
    }
    throw new ConfigError(
      `${where} is not a valid encryption key: expected 64 hex characters or the base64/base64url ` +
        `text of 32 bytes (got ${trimmed.length} characters; the value is not shown)`,
    );
  }

  /** The key as base64url text, the form written to key files. */
  toText(): string {
    return this.#bytes.toString("base64url");
  }

  /** Whether two keys hold the same bytes (constant-time). */
  equals(other: EncryptionKey): boolean {
    return timingSafeEqual(this.#bytes, other.#bytes);
  }

  toString(): string {
    return `[EncryptionKey ${this.keyId}]`;
  }

  toJSON(): string {
    return this.toString();
  }

  [inspect.custom](): string {
    return this.toString();
  }

  get [Symbol.toStringTag](): string {
    return "EncryptionKey";
  }
}

function toBase64url(base64: string): string {
  return base64.replace(/=+$/, "").replaceAll("+", "-").replaceAll("/", "_");
}

/**
 * Seals and opens access tokens with AES-256-GCM. New tokens use `current`; `previous` keys
 * only open tokens sealed before a rotation.
 */
export interface Keyring {
  readonly current: EncryptionKey;
  /** Read-only keys from before a rotation. */
  readonly previous: readonly EncryptionKey[];
  /**
   * Encrypts under the current key with a fresh IV; `context` (the item id) is bound as
   * additional data, so a token moved to another item does not open.
   */
  seal(plain: Secret, context: string): string;
  /** Decrypts; a ConfigError when the key is unknown, the text malformed, or authentication fails. */
  open(sealed: string, context: string): Secret;
  /** Whether the token was sealed under a key other than `current` (malformed text: ConfigError). */
  needsReseal(sealed: string): boolean;
}

interface SealedParts {
  readonly keyId: string;
  readonly iv: Buffer;
  readonly ciphertext: Buffer;
  readonly tag: Buffer;
}

class AesGcmKeyring implements Keyring {
  readonly current: EncryptionKey;
  readonly previous: readonly EncryptionKey[];
  readonly #byKeyId: ReadonlyMap<string, EncryptionKey>;

  constructor(current: EncryptionKey, previous: readonly EncryptionKey[]) {
    const byKeyId = new Map<string, EncryptionKey>([[current.keyId, current]]);
    const kept: EncryptionKey[] = [];
    for (const key of previous) {
      const known = byKeyId.get(key.keyId);
      if (known === undefined) {
        byKeyId.set(key.keyId, key);
        kept.push(key);
      } else if (!known.equals(key)) {
        throw new ConfigError(`two different keys share the key id ${key.keyId}; remove one of them`);
      }
    }
    this.current = current;
    this.previous = Object.freeze(kept);
    this.#byKeyId = byKeyId;
  }

  seal(plain: Secret, context: string): string {
    const plainBytes = Buffer.from(plain.reveal(), "utf8");
    if (plainBytes.length > PLAIN_BYTES_MAX) {
      throw new InputError(`a secret to seal is limited to ${PLAIN_BYTES_MAX} bytes`);
    }
    if (plainBytes.toString("utf8") !== plain.reveal()) {
      throw new InputError("a secret to seal must be well-formed Unicode (it has a lone surrogate)");
    }
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv("aes-256-gcm", keyBytesOf(this.current), iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(additionalData(context));
    const ciphertext = Buffer.concat([cipher.update(plainBytes), cipher.final()]);
    const tag = cipher.getAuthTag();
    return [SEALED_VERSION, this.current.keyId, iv, ciphertext, tag]
      .map((part) => (typeof part === "string" ? part : part.toString("base64url")))
      .join(".");
  }

  open(sealed: string, context: string): Secret {
    const parts = parseSealed(sealed);
    const key = this.#byKeyId.get(parts.keyId);
    if (key === undefined) {
      const known = [...this.#byKeyId.keys()].join(", ");
      throw new ConfigError(
        `access token for item ${JSON.stringify(context)} was sealed with key ${parts.keyId}, which is ` +
          `not in the keyring (known: ${known}); add that key to ${ENV_SECRET_KEY_PREVIOUS} or the ` +
          `key file's .previous file`,
      );
    }
    const decipher = createDecipheriv("aes-256-gcm", keyBytesOf(key), parts.iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(additionalData(context));
    decipher.setAuthTag(parts.tag);
    try {
      const plain = Buffer.concat([decipher.update(parts.ciphertext), decipher.final()]);
      return new Secret(plain.toString("utf8"));
    } catch {
      // The cause is dropped on purpose: OpenSSL's message says nothing more than this one.
      throw new ConfigError(
        `access token for item ${JSON.stringify(context)} could not be decrypted (wrong key or tampered)`,
      );
    }
  }

  needsReseal(sealed: string): boolean {
    return parseSealed(sealed).keyId !== this.current.keyId;
  }

  toString(): string {
    const previous = this.previous.map((key) => key.keyId).join(",");
    return `[Keyring current=${this.current.keyId} previous=${previous || "none"}]`;
  }

  toJSON(): string {
    return this.toString();
  }

  [inspect.custom](): string {
    return this.toString();
  }

  get [Symbol.toStringTag](): string {
    return "Keyring";
  }
}

function additionalData(context: string): Buffer {
  const bytes = Buffer.from(AAD_PREFIX + context, "utf8");
  // A lone surrogate becomes U+FFFD, so two different contexts would share one AAD.
  if (bytes.toString("utf8") !== AAD_PREFIX + context) {
    throw new InputError("a sealing context must be well-formed Unicode (it has a lone surrogate)");
  }
  return bytes;
}

function parseSealed(sealed: string): SealedParts {
  const malformed = (why: string) =>
    new ConfigError(`a stored access token is not a sealed token (${why}); the store may be corrupt`);
  if (sealed.length > SEALED_CHARS_MAX) throw malformed(`longer than ${SEALED_CHARS_MAX} characters`);
  const fields = sealed.split(".");
  if (fields.length !== 5) throw malformed(`expected 5 dot-separated fields, found ${fields.length}`);
  const [version, keyId, ivText, ciphertextText, tagText] = fields as [
    string,
    string,
    string,
    string,
    string,
  ];
  if (version !== SEALED_VERSION) throw malformed(`unknown format version`);
  if (!KEY_ID.test(keyId)) throw malformed("the key id is not 12 lowercase hex characters");
  const iv = decodeBase64url(ivText, IV_BYTES);
  const ciphertext = decodeBase64url(ciphertextText, null);
  const tag = decodeBase64url(tagText, TAG_BYTES);
  if (iv === null) throw malformed(`the IV is not base64url of ${IV_BYTES} bytes`);
  if (ciphertext === null) throw malformed("the ciphertext is not base64url");
  if (tag === null) throw malformed(`the tag is not base64url of ${TAG_BYTES} bytes`);
  return { keyId, iv, ciphertext, tag };
}

/** Canonical base64url only: Node's decoder ignores spare bits, which would let an edit go unseen. */
function decodeBase64url(text: string, bytesExpected: number | null): Buffer | null {
  if (!BASE64URL_PART.test(text)) return null;
  const bytes = Buffer.from(text, "base64url");
  if (bytes.toString("base64url") !== text) return null;
  if (bytesExpected !== null && bytes.length !== bytesExpected) return null;
  return bytes;
}

/**
 * A keyring sealing under `current` and opening with it or any of `previous`.
 *
 * @example
 * const ring = createKeyring(EncryptionKey.generate());
 * const sealed = ring.seal(new Secret("access-sandbox-123"), "item-1");
 * ring.open(sealed, "item-1").reveal() // "access-sandbox-123"
 */
export function createKeyring(current: EncryptionKey, previous: readonly EncryptionKey[] = []): Keyring {
  return new AesGcmKeyring(current, previous);
}
