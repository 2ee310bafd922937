import { randomBytes } from "node:crypto";
import {
  chmodSync,
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
import { basename, dirname, join, resolve } from "node:path";
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
export const MODE_GROUP_OTHER = 0o077;
/** How many key ids a missing-key error names; the rest are counted. */
const KEY_IDS_SHOWN_MAX = 5;

/** Where the current key came from; `keyFilePath` is set for "file" and "created". */
export interface KeySource {
  readonly keyring: Keyring;
  readonly source: "env" | "file" | "created";
  readonly keyFilePath: string | null;
}

/** The access tokens a store holds, by the id of the key that sealed them. */
export interface SealedTokenCount {
  readonly keyId: string;
  readonly tokens: number;
}

/**
 * Finds the key: `BANKREC_SECRET_KEY` first, else the key file, else (with `allowCreate`) a new
 * key written to the key file with mode 0600. Keys in `BANKREC_SECRET_KEY_PREVIOUS`
 * (comma-separated) and in `<keyFilePath>.previous` (one a line) join as read-only keys, so
 * tokens sealed before a rotation still open. An empty `BANKREC_SECRET_KEY` counts as unset.
 *
 * Before creating a key, `sealedTokens` (when given) is asked what the store already holds: a
 * token sealed under a key that is neither in the file nor previous means the key file was
 * lost, and a new key would silently strand that token, so that is a ConfigError instead.
 *
 * @example
 * const { keyring, source } = resolveKeySource({
 *   env: process.env,
 *   keyFilePath: join(dirname(sqlitePath), "bankrec.key"),
 *   allowCreate: true,
 *   sealedTokens: () => [{ keyId: "3f9a0c1b2d4e", tokens: 2 }], // from the store's items
 * });
 */
export function resolveKeySource(options: {
  env: Readonly<Record<string, string | undefined>>;
  keyFilePath: string | null;
  allowCreate: boolean;
  /** The store's sealed tokens by key id; asked only when a new key file would be created. */
  sealedTokens?: () => readonly SealedTokenCount[];
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
  refuseStrandedTokens(keyFilePath, previous, options.sealedTokens?.() ?? []);
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

/**
 * A missing key file is only new when nothing was sealed under a key we lack: otherwise it was
 * deleted or not restored, and the user must bring it back (a new key would open none of them).
 */
function refuseStrandedTokens(
  keyFilePath: string,
  previous: readonly EncryptionKey[],
  sealed: readonly SealedTokenCount[],
): void {
  const known = new Set(previous.map((key) => key.keyId));
  const stranded = sealed.filter((entry) => entry.tokens > 0 && !known.has(entry.keyId));
  if (stranded.length === 0) return;
  const tokens = stranded.reduce((sum, entry) => sum + entry.tokens, 0);
  const shown = stranded.slice(0, KEY_IDS_SHOWN_MAX).map((entry) => entry.keyId);
  const more = stranded.length > shown.length ? ` and ${stranded.length - shown.length} more` : "";
  const keys = `${shown.length === 1 ? "key" : "keys"} ${shown.join(", ")}${more}`;
  throw new ConfigError(
    `the key file ${keyFilePath} is missing, but this store holds ${tokens} access ` +
      `${tokens === 1 ? "token" : "tokens"} sealed under ${keys}; a new key would not open them, ` +
      `so none was made. Restore ${keyFilePath} from a backup (then chmod 600 it), or set ` +
      `${ENV_SECRET_KEY} to that key. If the key is lost for good, those items must be removed ` +
      "from the store and linked again",
  );
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
    makePrivateDirectory(dir);
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

/**
 * Creates `dir` and any missing parents with mode 0700. `mkdir`'s mode passes through the umask,
 * so each directory this call created is chmod-ed as well; directories that were already there
 * are the user's and are left as they are.
 *
 * @example makePrivateDirectory(dataDirectory()) // ~/.local/share/bankrec, 0700 if it was new
 */
export function makePrivateDirectory(dir: string): void {
  const first = mkdirSync(dir, { recursive: true, mode: DIR_MODE_PRIVATE });
  if (first === undefined || process.platform === "win32") return;
  for (let created = resolve(dir); ; created = dirname(created)) {
    chmodSync(created, DIR_MODE_PRIVATE);
    if (created === resolve(first) || dirname(created) === created) return;
  }
}

/**
 * Makes a file this process created private whatever the umask (POSIX; Windows has no mode bits).
 *
 * @example chmodPrivate("/srv/books.db")
 */
export function chmodPrivate(path: string): void {
  if (process.platform !== "win32") chmodSync(path, FILE_MODE_PRIVATE);
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

/**
 * Deletes `<keyFilePath>.previous` once no stored token needs its keys (after `keys rotate`
 * re-sealed them all), so a copy of the database and of this folder no longer opens an old
 * token. Returns whether there was a file to delete.
 *
 * @example if (outcome.stale === 0) deletePreviousKeyFile(store.keyFilePath)
 */
export function deletePreviousKeyFile(keyFilePath: string): boolean {
  const path = previousFilePath(keyFilePath);
  try {
    unlinkSync(path);
  } catch (error) {
    if (isErrno(error, "ENOENT")) return false;
    throw new ConfigError(`cannot delete the old key file ${path}`, { cause: error });
  }
  fsyncDirectory(dirname(path));
  return true;
}
