import { isUtf8 } from "node:buffer";
import type { Stats } from "node:fs";
import { type FileHandle, open, readdir, stat } from "node:fs/promises";
import { basename, dirname } from "node:path";
import { escapeControls, ImportError } from "../errors/index.js";
import { count, HEAD_BYTES, mebibytes } from "./input-limits.js";

/** How much is read at a time: a 436 MB feed in ~100 reads, each scanned natively. */
const CHUNK_BYTES = 4 << 20;
/** A pipe holds 64 KiB by default and 1 MiB at most (Linux's pipe-max-size). */
const PIPE_READ_BYTES = 1 << 20;
const LF = 0x0a;
const CR = 0x0d;
/** UTF-8 spends at most 3 bytes on a UTF-16 code unit, so a run of 3·N bytes holds more than N characters. */
const BYTES_PER_CHAR_MAX = 3;

/** How much of a file a reader accepts. */
export interface ReadBounds {
  /** The whole file; a larger one is refused, a regular file before any reading. */
  readonly bytesMax: number;
  /** Line-oriented formats (CSV, NDJSON, MT940): stop at the first line longer than this. */
  readonly lineCharsMax?: number;
}

/**
 * An input file opened for one sequential read, so pipes work (`--bank <(curl …)`) and nothing
 * is read twice: the first bytes read to tell the format are kept and handed out again. Every
 * read is bounded: a regular file by its size, up front; a pipe as it streams; lines, for
 * line-oriented formats, as they arrive. Devices (`/dev/zero`, a terminal) are refused, since
 * they have no end to read to.
 *
 * @example await withInputFile("bank.csv", async (input) => (await input.readAll({ bytesMax: 1 << 20 })).length)
 */
export class InputFile {
  readonly #handle: FileHandle;
  /** Bytes read and not yet handed out by `readAll`/`chunks` (the head). */
  #kept: Buffer = Buffer.alloc(0);
  #ended = false;
  #scratch: Buffer | undefined;

  private constructor(
    readonly path: string,
    handle: FileHandle,
    /** The size of a regular file; undefined for a pipe. */
    readonly size: number | undefined,
  ) {
    this.#handle = handle;
  }

  /** @throws ImportError for a missing file, a directory, a device, or one that cannot be opened */
  static async open(path: string): Promise<InputFile> {
    await checkInputFile(path);
    let handle: FileHandle;
    try {
      handle = await open(path, "r");
    } catch (error) {
      throw await openFailure(path, error);
    }
    try {
      // What was opened, which a rename since the check above could have changed.
      const info = await handle.stat();
      refuseKind(path, info);
      return new InputFile(path, handle, info.isFile() ? info.size : undefined);
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  /** The first bytes (up to `bytes`), kept for the reads that follow. */
  async head(bytes = HEAD_BYTES): Promise<Buffer> {
    while (this.#kept.length < bytes && !this.#ended) {
      const more = await this.#read(bytes - this.#kept.length);
      this.#kept = this.#kept.length === 0 ? more : Buffer.concat([this.#kept, more]);
    }
    return this.#kept.subarray(0, bytes);
  }

  /**
   * The whole file, within `bounds`. A regular file is read into one buffer of its size, so the
   * bytes are in memory once.
   */
  async readAll(bounds: ReadBounds): Promise<Buffer> {
    this.#checkSize(bounds.bytesMax);
    const guard = guardOf(this.path, bounds);
    const parts: Buffer[] = [];
    let total = 0;
    if (this.size !== undefined) {
      const whole = await this.#fill(Buffer.allocUnsafe(this.size), guard);
      parts.push(whole);
      total = whole.length;
    }
    for await (const chunk of this.#chunks(bounds, guard, total)) {
      parts.push(chunk);
      total += chunk.length;
    }
    return parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts, total);
  }

  /** The file in pieces, in order, within `bounds`: for readers that stream. */
  chunks(bounds: ReadBounds): AsyncGenerator<Buffer> {
    this.#checkSize(bounds.bytesMax);
    return this.#chunks(bounds, guardOf(this.path, bounds), 0);
  }

  async *#chunks(bounds: ReadBounds, guard: LineGuard | undefined, before: number): AsyncGenerator<Buffer> {
    let total = before;
    for (;;) {
      let chunk: Buffer;
      if (this.#kept.length > 0) {
        chunk = this.#kept;
        this.#kept = Buffer.alloc(0);
      } else if (this.#ended) {
        return;
      } else {
        chunk = await this.#read(this.#chunkBytes(total));
        if (chunk.length === 0) continue;
      }
      total += chunk.length;
      if (total > bounds.bytesMax) throw tooLarge(this.path, bounds.bytesMax);
      guard?.take(chunk);
      yield chunk;
    }
  }

  /** Reads into `buffer` (the head first) until it is full or the file ends; what was filled. */
  async #fill(buffer: Buffer, guard: LineGuard | undefined): Promise<Buffer> {
    let filled = this.#kept.copy(buffer, 0, 0, Math.min(this.#kept.length, buffer.length));
    this.#kept = this.#kept.subarray(filled);
    guard?.take(buffer.subarray(0, filled));
    while (filled < buffer.length && !this.#ended) {
      const want = Math.min(CHUNK_BYTES, buffer.length - filled);
      const bytesRead = await this.#readInto(buffer, filled, want);
      guard?.take(buffer.subarray(filled, filled + bytesRead));
      filled += bytesRead;
    }
    return buffer.subarray(0, filled);
  }

  async close(): Promise<void> {
    await this.#handle.close();
  }

  /** What is left of a regular file, in pieces of CHUNK_BYTES; past its stated size (it grew), more of those. */
  #chunkBytes(total: number): number {
    if (this.size === undefined || total >= this.size) return CHUNK_BYTES;
    return Math.min(CHUNK_BYTES, this.size - total);
  }

  #checkSize(bytesMax: number): void {
    if (this.size !== undefined && this.size > bytesMax) throw tooLarge(this.path, bytesMax);
  }

  async #read(bytes: number): Promise<Buffer> {
    if (this.size === undefined) {
      // A pipe hands out what it holds (64 KiB) a read: read into one buffer, keep a copy of what came.
      this.#scratch ??= Buffer.allocUnsafe(PIPE_READ_BYTES);
      const bytesRead = await this.#readInto(this.#scratch, 0, Math.min(bytes, PIPE_READ_BYTES));
      return Buffer.from(this.#scratch.subarray(0, bytesRead));
    }
    const buffer = Buffer.allocUnsafe(bytes);
    return buffer.subarray(0, await this.#readInto(buffer, 0, bytes));
  }

  /** One read at the file's position (sequential, so pipes work too); 0 at the end. */
  async #readInto(buffer: Buffer, at: number, bytes: number): Promise<number> {
    let bytesRead: number;
    try {
      ({ bytesRead } = await this.#handle.read(buffer, at, bytes, null));
    } catch (error) {
      throw fileError(this.path, error);
    }
    if (bytesRead === 0) this.#ended = true;
    return bytesRead;
  }
}

/** Opens `path`, hands it to `use`, and closes it whatever happens. */
export async function withInputFile<T>(path: string, use: (input: InputFile) => Promise<T>): Promise<T> {
  const input = await InputFile.open(path);
  try {
    return await use(input);
  } finally {
    await input.close();
  }
}

/**
 * Fails, in the readers' words, when `path` cannot be an input: missing, a directory, a device.
 * Nothing is opened (opening a pipe here would take it from the reader that comes later).
 *
 * @throws ImportError `bank.json: file not found`, `/dev/zero: is a character device, not a file`
 */
export async function checkInputFile(path: string): Promise<void> {
  let info: Stats;
  try {
    info = await stat(path);
  } catch (error) {
    throw await openFailure(path, error);
  }
  refuseKind(path, info);
}

function refuseKind(path: string, info: Stats): void {
  if (info.isFile() || info.isFIFO()) return;
  if (info.isDirectory()) throw new ImportError({ file: path }, "is a directory, not a file");
  const kind = info.isCharacterDevice()
    ? "a character device"
    : info.isBlockDevice()
      ? "a block device"
      : info.isSocket()
        ? "a socket"
        : "not a regular file";
  throw new ImportError(
    { file: path },
    `is ${kind}, not a file (bankrec reads regular files and pipes, which end)`,
  );
}

function tooLarge(path: string, bytesMax: number): ImportError {
  return new ImportError({ file: path }, `is larger than ${mebibytes(bytesMax)}`);
}

function guardOf(path: string, bounds: ReadBounds): LineGuard | undefined {
  return bounds.lineCharsMax === undefined ? undefined : new LineGuard(path, bounds.lineCharsMax);
}

/**
 * Counts lines in raw bytes as they are read, and stops at one too long to be a row. A line ends
 * at LF or CR (old Mac exports end lines with CR alone); lines are numbered by LF, or by CR in a
 * file that has none.
 */
class LineGuard {
  #lineFeeds = 0;
  #returns = 0;
  #runBytes = 0;
  readonly #runBytesMax: number;

  constructor(
    readonly file: string,
    readonly charsMax: number,
  ) {
    this.#runBytesMax = BYTES_PER_CHAR_MAX * charsMax;
  }

  take(chunk: Buffer): void {
    let from = 0;
    let nextLf = chunk.indexOf(LF);
    let nextCr = chunk.indexOf(CR);
    while (nextLf !== -1 || nextCr !== -1) {
      const at = nextCr === -1 || (nextLf !== -1 && nextLf < nextCr) ? nextLf : nextCr;
      if (this.#runBytes + at - from > this.#runBytesMax) this.#fail();
      if (at === nextLf) {
        this.#lineFeeds++;
        nextLf = chunk.indexOf(LF, at + 1);
      } else {
        this.#returns++;
        nextCr = chunk.indexOf(CR, at + 1);
      }
      this.#runBytes = 0;
      from = at + 1;
    }
    this.#runBytes += chunk.length - from;
    if (this.#runBytes > this.#runBytesMax) this.#fail();
  }

  #fail(): never {
    const line = (this.#lineFeeds > 0 ? this.#lineFeeds : this.#returns) + 1;
    throw lineTooLong(this.file, line, this.charsMax);
  }
}

/** `bank.csv:1: line is longer than 1,048,576 characters` */
export function lineTooLong(file: string, line: number, charsMax: number, what = "line"): ImportError {
  return new ImportError({ file, line }, `${what} is longer than ${count(charsMax)} characters`);
}

const ERRNO_TEXT: Readonly<Record<string, string>> = {
  ENOENT: "file not found",
  EACCES: "permission denied",
  EPERM: "permission denied",
  EISDIR: "is a directory, not a file",
  ENOTDIR: "a part of the path is not a directory",
  ELOOP: "too many symbolic links in the path",
  ENAMETOOLONG: "the name is too long",
};

/**
 * `bank.json: file not found`, and the like for the other ways opening or reading fails: the one
 * place the readers turn an errno into words.
 */
export function fileError(path: string, error: unknown): ImportError {
  const code = (error as { code?: unknown } | null)?.code;
  const text = typeof code === "string" ? ERRNO_TEXT[code] : undefined;
  if (text === undefined) {
    const why = typeof code === "string" ? code : String(error);
    return new ImportError({ file: path }, `cannot be read (${why})`, { cause: error });
  }
  const note =
    code === "ENOENT" && path.includes("\ufffd")
      ? " (the name holds U+FFFD, which is how Node.js reads a name that is not valid UTF-8)"
      : "";
  return new ImportError({ file: path }, `${text}${note}`, { cause: error });
}

/**
 * Node.js reads a command-line argument that is not valid UTF-8 (a Latin-1 `café.csv`) with
 * U+FFFD in place of the bad bytes, and so cannot open the file by that name: "file not found"
 * would be wrong. When the folder holds a file whose name reads that way, it is named as it is
 * on disk (bad bytes as `\xNN`) with what stands in the way.
 */
async function openFailure(path: string, error: unknown): Promise<ImportError> {
  const code = (error as { code?: unknown } | null)?.code;
  if (code !== "ENOENT" || !basename(path).includes("\ufffd")) return fileError(path, error);
  const base = basename(path);
  const folder = path.slice(0, path.length - base.length);
  let names: Buffer[];
  try {
    names = await readdir(dirname(path), { encoding: "buffer" });
  } catch {
    return fileError(path, error);
  }
  const matches = names.filter((name) => !isUtf8(name) && name.toString("utf8") === base);
  const first = matches[0];
  if (first === undefined) return fileError(path, error);
  const shown = (name: Buffer) => `${folder}${escapeBytes(name)}`;
  if (matches.length > 1)
    return new ImportError(
      { file: path },
      `file name is not valid UTF-8, and ${matches.length} files here read as it (${matches.map(shown).join(", ")}); rename them`,
      { cause: error },
    );
  try {
    await (await open(Buffer.concat([Buffer.from(folder), first]), "r")).close();
  } catch (rawError) {
    return fileError(shown(first), rawError);
  }
  return new ImportError(
    { file: shown(first) },
    "cannot be opened by name: the name is not valid UTF-8, which Node.js cannot pass on; " +
      "rename the file, or give it on standard input (/dev/stdin < FILE)",
    { cause: error },
  );
}

/** Bytes of a name as text: valid UTF-8 as it reads, other bytes as `\xNN`, controls escaped. */
export function escapeBytes(bytes: Uint8Array): string {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  let out = "";
  let i = 0;
  while (i < buffer.length) {
    const n = utf8Length(buffer, i);
    if (n === 0) {
      out += `\\x${(buffer[i] as number).toString(16).padStart(2, "0")}`;
      i++;
      continue;
    }
    out += escapeControls(buffer.toString("utf8", i, i + n));
    i += n;
  }
  return out;
}

/** The length of the valid UTF-8 character at `i`, or 0 when the bytes there are not one. */
function utf8Length(bytes: Buffer, i: number): number {
  const lead = bytes[i] as number;
  if (lead < 0x80) return 1;
  const n =
    lead >= 0xc2 && lead <= 0xdf
      ? 2
      : lead >= 0xe0 && lead <= 0xef
        ? 3
        : lead >= 0xf0 && lead <= 0xf4
          ? 4
          : 0;
  return n !== 0 && i + n <= bytes.length && isUtf8(bytes.subarray(i, i + n)) ? n : 0;
}
