import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from "node:crypto";
import {
  closeSync,
  fchmodSync,
  fstatSync,
  fsyncSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import { basename, dirname, join } from "node:path";
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
/** A key file holds one key; a .previous file one per rotation. Either beyond this is not ours. */
const KEY_FILE_BYTES_MAX = 64 * 1024;
const FILE_MODE_PRIVATE = 0o600;
const DIR_MODE_PRIVATE = 0o700;
/** Group and other permission bits: a key others can read leaks, one they can write can be swapped. */
const MODE_GROUP_OTHER = 0o077;

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

/** Where the current key came from; `keyFilePath` is set for "file" and "created". */
export interface KeySource {
  readonly keyring: Keyring;
  readonly source: "env" | "file" | "created";
  readonly keyFilePath: string | null;
}

/**
 * Finds the key: `BANKREC_SECRET_KEY` first, else the key file, else (with `allowCreate`) a new
 * key written to the key file with mode 0600. Keys in `BANKREC_SECRET_KEY_PREVIOUS`
 * (comma-separated) and in `<keyFilePath>.previous` (one a line) join as read-only keys, so
 * tokens sealed before a rotation still open. An empty `BANKREC_SECRET_KEY` counts as unset.
 *
 * @example
 * const { keyring, source } = resolveKeySource({
 *   env: process.env,
 *   keyFilePath: join(dirname(sqlitePath), "bankrec.key"),
 *   allowCreate: true,
 * });
 */
export function resolveKeySource(options: {
  env: Readonly<Record<string, string | undefined>>;
  keyFilePath: string | null;
  allowCreate: boolean;
}): KeySource {
  const { env, keyFilePath, allowCreate } = options;
  const envPrevious = previousKeysFromEnv(env[ENV_SECRET_KEY_PREVIOUS]);
  const envText = env[ENV_SECRET_KEY];
  if (envText !== undefined && envText.trim() !== "") {
    const current = EncryptionKey.fromText(envText, ENV_SECRET_KEY);
    return freezeSource(createKeyring(current, envPrevious), "env", null);
  }
  if (keyFilePath === null) {
    throw new ConfigError(
      `no encryption key for access tokens: set ${ENV_SECRET_KEY} (64 hex characters or base64 of ` +
        `32 bytes, e.g. from "openssl rand -hex 32")`,
    );
  }
  const fileText = readPrivateFile(keyFilePath);
  const previous = [...readPreviousFile(keyFilePath), ...envPrevious];
  if (fileText !== null) {
    const current = EncryptionKey.fromText(fileText, `key file ${keyFilePath}`);
    return freezeSource(createKeyring(current, previous), "file", keyFilePath);
  }
  if (!allowCreate) {
    throw new ConfigError(
      `no encryption key for access tokens: set ${ENV_SECRET_KEY} or create the key file ${keyFilePath}`,
    );
  }
  const created = EncryptionKey.generate();
  if (writePrivateFileAtomic(keyFilePath, created.toText() + "\n", { replace: false })) {
    return freezeSource(createKeyring(created, previous), "created", keyFilePath);
  }
  // Another process created the file between our read and our write: its key is the key.
  const raced = readPrivateFile(keyFilePath);
  if (raced === null) throw new ConfigError(`key file ${keyFilePath} vanished while it was being created`);
  const current = EncryptionKey.fromText(raced, `key file ${keyFilePath}`);
  return freezeSource(createKeyring(current, previous), "file", keyFilePath);
}

function freezeSource(keyring: Keyring, source: KeySource["source"], keyFilePath: string | null): KeySource {
  return Object.freeze({ keyring, source, keyFilePath });
}

function previousKeysFromEnv(text: string | undefined): EncryptionKey[] {
  if (text === undefined) return [];
  return text
    .split(",")
    .map((piece, index) => ({ piece: piece.trim(), index }))
    .filter(({ piece }) => piece !== "")
    .map(({ piece, index }) =>
      EncryptionKey.fromText(piece, `${ENV_SECRET_KEY_PREVIOUS} (entry ${index + 1})`),
    );
}

function readPreviousFile(keyFilePath: string): EncryptionKey[] {
  const path = previousFilePath(keyFilePath);
  const text = readPrivateFile(path);
  if (text === null) return [];
  return text
    .split("\n")
    .map((line, index) => ({ line: line.trim(), index }))
    .filter(({ line }) => line !== "")
    .map(({ line, index }) => EncryptionKey.fromText(line, `key file ${path} (line ${index + 1})`));
}

function previousFilePath(keyFilePath: string): string {
  return `${keyFilePath}.previous`;
}

/**
 * The file's text, or null when it does not exist. Refuses a file that group or others may
 * read or write (POSIX only: Windows has no such mode bits). The mode is read from the open
 * descriptor, so the checked file is the one read.
 */
function readPrivateFile(path: string): string | null {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch (error) {
    if (isErrno(error, "ENOENT")) return null;
    throw new ConfigError(`cannot open key file ${path}`, { cause: error });
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new ConfigError(`key file ${path} is not a regular file`);
    if (process.platform !== "win32" && (stat.mode & MODE_GROUP_OTHER) !== 0) {
      const mode = (stat.mode & 0o777).toString(8).padStart(4, "0");
      throw new ConfigError(
        `key file ${path} has mode ${mode}, open to group or others; run: chmod 600 ${path}`,
      );
    }
    if (stat.size > KEY_FILE_BYTES_MAX) {
      throw new ConfigError(`key file ${path} is larger than ${KEY_FILE_BYTES_MAX} bytes`);
    }
    return readFileSync(fd, "utf8");
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes through a 0600 temp file in the same directory (fsync, then rename or link) so a crash
 * leaves the old file or the new one, never half of one. With `replace: false` the temp file is
 * hard-linked into place, which fails rather than overwriting a key another process just wrote;
 * returns false in that case.
 */
function writePrivateFileAtomic(path: string, text: string, options: { replace: boolean }): boolean {
  const dir = dirname(path);
  const tempPath = join(dir, `.${basename(path)}.${randomBytes(6).toString("hex")}.tmp`);
  let placed = false;
  try {
    mkdirSync(dir, { recursive: true, mode: DIR_MODE_PRIVATE });
    writeTempFile(tempPath, text);
    placed = options.replace ? renameInto(tempPath, path) : linkInto(tempPath, path);
    if (placed) fsyncDirectory(dir);
  } catch (error) {
    throw new ConfigError(`cannot write key file ${path}`, { cause: error });
  } finally {
    if (!(options.replace && placed)) unlinkQuietly(tempPath);
  }
  return placed;
}

function writeTempFile(tempPath: string, text: string): void {
  const fd = openSync(tempPath, "wx", FILE_MODE_PRIVATE);
  try {
    // The umask can only clear bits, but a 0600 promise should not depend on it.
    if (process.platform !== "win32") fchmodSync(fd, FILE_MODE_PRIVATE);
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function renameInto(tempPath: string, path: string): true {
  renameSync(tempPath, path);
  return true;
}

/** Fails instead of replacing: the first process to create a key file decides the key. */
function linkInto(tempPath: string, path: string): boolean {
  try {
    linkSync(tempPath, path);
    return true;
  } catch (error) {
    if (isErrno(error, "EEXIST")) return false;
    throw error;
  }
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Already gone (renamed into place, or never created): nothing to clean.
  }
}

/** Makes the rename itself durable; Windows cannot open a directory, and NTFS journals it anyway. */
function fsyncDirectory(dir: string): void {
  if (process.platform === "win32") return;
  const fd = openSync(dir, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function isErrno(error: unknown, code: string): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === code;
}

/**
 * Rotates a file-held key: appends `old` to `<keyFilePath>.previous`, then makes `next` the
 * key file, each write atomic and 0600. The previous file is written first, so a crash between
 * the two writes leaves the old key both current and previous, never lost. Returns the keyring
 * a later `resolveKeySource` will build from these files.
 *
 * @example
 * const ring = installNewKeyFile(path, EncryptionKey.generate(), [old.current, ...old.previous]);
 * // then reseal: for each token where ring.needsReseal(t), store ring.seal(ring.open(t, id), id)
 */
export function installNewKeyFile(
  keyFilePath: string,
  next: EncryptionKey,
  old: readonly EncryptionKey[],
): Keyring {
  const kept = readPreviousFile(keyFilePath);
  const keyIds = new Set([next.keyId, ...kept.map((key) => key.keyId)]);
  for (const key of old) {
    if (keyIds.has(key.keyId)) continue;
    keyIds.add(key.keyId);
    kept.push(key);
  }
  const withoutNext = kept.filter((key) => key.keyId !== next.keyId);
  const previousText = withoutNext.map((key) => key.toText() + "\n").join("");
  writePrivateFileAtomic(previousFilePath(keyFilePath), previousText, { replace: true });
  writePrivateFileAtomic(keyFilePath, next.toText() + "\n", { replace: true });
  return createKeyring(next, withoutNext);
}
