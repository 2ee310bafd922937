import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { rename, rm, stat } from "node:fs/promises";
import { basename, dirname, resolve } from "node:path";
import type { ReconcileResult } from "../reconcile/index.js";
import type { CliStream } from "./context.js";
import { UsageError } from "./errors.js";
import type { OnlyRows } from "./options.js";

/** How much text to gather before a write: large enough to be cheap, small enough to stream. */
const CHUNK_CHARS_MAX = 64 * 1024;

/**
 * The rows `--only` asks for. The status and summary still describe the whole run, so a
 * filtered report never hides how much is left to do.
 */
export function selectRows(result: ReconcileResult, only: OnlyRows | undefined): ReconcileResult {
  if (only === undefined) return result;
  const wantReview = only === "review";
  return {
    ...result,
    matches: only === "unmatched" ? [] : result.matches.filter((m) => m.needsReview === wantReview),
    unmatchedBank: only === "unmatched" ? result.unmatchedBank : [],
    unmatchedExpected: only === "unmatched" ? result.unmatchedExpected : [],
  };
}

/** Writes the chunks in order, in batches, waiting whenever the stream asks us to. */
export async function writeChunks(stream: NodeJS.WritableStream, chunks: Iterable<string>): Promise<void> {
  let batch = "";
  const flush = async (): Promise<void> => {
    const text = batch;
    batch = "";
    if (text !== "" && !stream.write(text)) await once(stream, "drain");
  };
  for (const chunk of chunks) {
    batch += chunk;
    if (batch.length >= CHUNK_CHARS_MAX) await flush();
  }
  await flush();
}

/** Appends a newline to every line. */
export function* terminated(lines: Iterable<string>): Generator<string> {
  for (const line of lines) yield `${line}\n`;
}

/** Fails early, before any reading, when --out cannot be written: its folder must exist. */
export async function checkOutPath(out: string, cwd: string): Promise<string> {
  const path = resolve(cwd, out);
  const folder = dirname(path);
  const info = await stat(folder).catch(() => undefined);
  if (info === undefined || !info.isDirectory()) {
    throw new UsageError(`--out ${JSON.stringify(out)}: folder ${JSON.stringify(folder)} does not exist`);
  }
  const target = await stat(path).catch(() => undefined);
  if (target?.isDirectory() === true)
    throw new UsageError(`--out ${JSON.stringify(out)} is a folder, not a file`);
  return path;
}

/**
 * Writes to `path` through a temporary file beside it, renamed into place at the end, so an
 * interrupted run never leaves half a report where a whole one is expected.
 */
export async function writeFileChunks(path: string, chunks: Iterable<string>): Promise<void> {
  const temporary = resolve(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  const stream = createWriteStream(temporary, { encoding: "utf8" });
  try {
    await once(stream, "open");
    await writeChunks(stream, chunks);
    stream.end();
    await once(stream, "finish");
    await rename(temporary, path);
  } catch (error) {
    stream.destroy();
    await rm(temporary, { force: true });
    throw error;
  }
}

/** Writes to --out when given, else to stdout. */
export async function emit(
  chunks: Iterable<string>,
  outPath: string | undefined,
  stdout: CliStream,
): Promise<void> {
  if (outPath === undefined) await writeChunks(stdout, chunks);
  else await writeFileChunks(outPath, chunks);
}
