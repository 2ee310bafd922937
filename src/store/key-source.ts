import { randomBytes } from "node:crypto";
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
import { ConfigError } from "../errors/index.js";
import {
  createKeyring,
  ENV_SECRET_KEY,
  ENV_SECRET_KEY_PREVIOUS,
  EncryptionKey,
  type Keyring,
} from "./keyring.js";

/**
 * Where the key that seals access tokens comes from: BANKREC_SECRET_KEY (and
 * BANKREC_SECRET_KEY_PREVIOUS), or a private key file beside the SQLite store, created on first
 * use and replaced atomically on rotation. The cryptography itself is in keyring.ts.
 */
/** A key file holds one key; a .previous file one per rotation. Either beyond this is not ours. */
const KEY_FILE_BYTES_MAX = 64 * 1024;
const FILE_MODE_PRIVATE = 0o600;
const DIR_MODE_PRIVATE = 0o700;
/** Group and other permission bits: a key others can read leaks, one they can write can be swapped. */
const MODE_GROUP_OTHER = 0o077;

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
