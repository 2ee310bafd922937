import { isAscii } from "node:buffer";
import { ImportError } from "../errors/index.js";
import { type ReadBounds, withInputFile } from "./input-file.js";
import { FILE_BYTES_MAX } from "./input-limits.js";

/**
 * The whole file as UTF-8 text, without a BOM, within `bounds` (by default the cap on files
 * read whole).
 *
 * @throws ImportError `bank.json: file not found`, `bank.json: is larger than 500 MiB`, ...
 */
export async function readText(
  path: string,
  bounds: ReadBounds = { bytesMax: FILE_BYTES_MAX },
): Promise<string> {
  return withInputFile(path, async (input) => textOf(await input.readAll(bounds)));
}

/** UTF-8 bytes as text without a BOM (a cut multi-byte character at the end of a head is harmless for sniffing). */
export function textOf(bytes: Buffer): string {
  const text = decodeUtf8(bytes);
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
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
