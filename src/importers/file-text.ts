import { isAscii } from "node:buffer";
import { open, readFile } from "node:fs/promises";
import { ImportError } from "../errors/index.js";

/** Enough of a file to tell its format, and to hold the first line of any sane feed. */
const HEAD_BYTES = 64 * 1024;

/** The whole file as UTF-8 text, without a BOM. */
export async function readText(path: string): Promise<string> {
  try {
    const text = decodeUtf8(await readFile(path));
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  } catch (error) {
    throw fileError(path, error);
  }
}

/** The first bytes of a file as text, without a BOM (a cut multi-byte character at the end is harmless for sniffing). */
export async function readHead(path: string): Promise<string> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(path, "r");
    const buffer = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, HEAD_BYTES, 0);
    const text = buffer.toString("utf8", 0, bytesRead);
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  } catch (error) {
    throw fileError(path, error);
  } finally {
    await handle?.close();
  }
}

/** `bank.json: file not found`, and the like for the other ways a read fails. */
export function fileError(path: string, error: unknown): ImportError {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === "ENOENT") return new ImportError({ file: path }, "file not found", { cause: error });
  if (code === "EISDIR")
    return new ImportError({ file: path }, "is a directory, not a file", { cause: error });
  const why = typeof code === "string" ? code : String(error);
  return new ImportError({ file: path }, `cannot be read (${why})`, { cause: error });
}

/**
 * JSON.parse with the failure as an ImportError; when the engine reports a position, the
 * message carries its line, as every other import message does.
 */
export function parseJson(text: string, source: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const position = /position (\d+)/.exec(String((error as Error).message))?.[1];
    const line = position === undefined ? undefined : lineAt(text, Number(position));
    const location = line === undefined ? { file: source } : { file: source, line };
    throw new ImportError(location, "invalid JSON", { cause: error });
  }
}

function lineAt(text: string, position: number): number {
  let line = 1;
  for (let nl = text.indexOf("\n"); nl !== -1 && nl < position; nl = text.indexOf("\n", nl + 1)) line++;
  return line;
}

/** The first character that is not whitespace, or "" for an empty text. */
export function firstSignificant(text: string): string {
  return /\S/.exec(text)?.[0] ?? "";
}

/**
 * UTF-8 bytes to text. Pure ASCII (most feeds and ledgers) is decoded as latin1, which gives
 * the same string: measured 2–3x faster than the UTF-8 decoder on a 436 MB feed.
 */
export function decodeUtf8(bytes: Buffer): string {
  return isAscii(bytes) ? bytes.toString("latin1") : bytes.toString("utf8");
}
