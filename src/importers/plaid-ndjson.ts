import type { BankTransaction } from "../domain/index.js";
import { ImportError } from "../errors/index.js";
import { decodeUtf8 } from "./file-text.js";
import { lineTooLong } from "./input-file.js";
import { LINE_CHARS_MAX } from "./input-limits.js";
import { toBankTransaction } from "./plaid-transaction.js";
import { ProblemList } from "./problem-list.js";
import { atLine, RowProblem } from "./row-problem.js";
import { TextPool } from "./text-pool.js";
import { TransactionSet } from "./transaction-set.js";
import { DEFAULT_CURRENCY, PROGRESS_ROWS_STEP, type ReadOptions } from "./types.js";

const LF = 0x0a;
/** A partial line held between chunks is refused past this: UTF-8 spends at most 3 bytes a character. */
const CARRY_BYTES_MAX = 3 * LINE_CHARS_MAX;

/**
 * Reads Plaid transactions, one JSON object a line, from a file's chunks without holding the
 * text: memory grows with the transactions kept, not the file. Blank lines are skipped; CRLF is
 * fine. Splitting is done on bytes (a UTF-8 line break is never inside a character), so each
 * chunk is decoded once; `readline`, which costs an event and a decode per line, was slower.
 * Lines are independent, so every bad one is found: one BadRowsError lists them (up to 50).
 * A line longer than 1,048,576 characters stops the read.
 *
 * @example await readPlaidNdjson(input.chunks({ bytesMax: STREAM_BYTES_MAX }), "bank.ndjson") // [{ id: "t1", ... }, ...]
 * @throws ImportError `bank.ndjson:5: invalid JSON`, `bank.ndjson:5: amount: expected a number`
 */
export async function readPlaidNdjson(
  chunks: AsyncIterable<Buffer>,
  source: string,
  options: ReadOptions = {},
): Promise<BankTransaction[]> {
  const lines = new LineReader(source, options.currency ?? DEFAULT_CURRENCY, options.onProgress);
  let carry: Buffer = Buffer.alloc(0);
  try {
    for await (const chunk of chunks) carry = lines.takeChunk(carry, chunk);
  } catch (error) {
    // The reading stopped (a line past the bound, the file too large): with the bad lines before it.
    lines.stop(error);
  }
  return lines.finish(carry);
}

/**
 * The same from bytes in memory.
 *
 * @example parsePlaidNdjson(Buffer.from('{"transaction_id":"t1",...}\n'), "bank.ndjson")
 */
export function parsePlaidNdjson(
  bytes: Buffer,
  source: string,
  options: ReadOptions = {},
): BankTransaction[] {
  const lines = new LineReader(source, options.currency ?? DEFAULT_CURRENCY, options.onProgress);
  return lines.finish(lines.takeChunk(Buffer.alloc(0), bytes));
}

/** Turns whole lines of text into transactions, counting lines for messages. */
class LineReader {
  readonly #set = new TransactionSet();
  readonly #pool = new TextPool();
  readonly #problems: ProblemList;
  #line = 0;
  #rows = 0;

  constructor(
    readonly source: string,
    readonly currency: string,
    readonly onProgress: ((rows: number) => void) | undefined,
  ) {
    this.#problems = new ProblemList(source);
  }

  /** Reads the whole lines of `carry` + `chunk`; gives back the partial line at the end. */
  takeChunk(carry: Buffer, chunk: Buffer): Buffer {
    const last = chunk.lastIndexOf(LF);
    if (last === -1) {
      const held = carry.length === 0 ? Buffer.from(chunk) : Buffer.concat([carry, chunk]);
      if (held.length > CARRY_BYTES_MAX) this.stop(lineTooLong(this.source, this.#line + 1, LINE_CHARS_MAX));
      return held;
    }
    let from = 0;
    if (carry.length > 0) {
      from = chunk.indexOf(LF) + 1;
      this.#takeText(decodeUtf8(Buffer.concat([carry, chunk.subarray(0, from)])));
    }
    this.#takeText(decodeUtf8(chunk.subarray(from, last + 1)));
    return Buffer.from(chunk.subarray(last + 1));
  }

  finish(carry: Buffer): BankTransaction[] {
    if (carry.length > 0) this.#takeText(decodeUtf8(carry));
    this.#problems.check();
    this.onProgress?.(this.#rows);
    return this.#set.toArray();
  }

  /** Lines ending in "\n", except perhaps the file's last. */
  #takeText(text: string): void {
    let start = 0;
    for (let nl = text.indexOf("\n"); start < text.length; nl = text.indexOf("\n", start)) {
      const stop = nl === -1 ? text.length : nl;
      this.#take(text, start, stop);
      start = stop + 1;
    }
  }

  #take(text: string, start: number, stop: number): void {
    const line = ++this.#line;
    if (stop - start > LINE_CHARS_MAX) this.stop(lineTooLong(this.source, line, LINE_CHARS_MAX));
    if (line === 1 && text.charCodeAt(start) === 0xfeff) start++;
    if (stop > start && text.charCodeAt(stop - 1) === 0x0d) stop--;
    const row = text.slice(start, stop);
    if (row.length === 0 || (row.charCodeAt(0) <= 0x20 && row.trim() === "")) return;
    let value: unknown;
    try {
      value = JSON.parse(row);
    } catch (error) {
      this.#problems.add(
        () => new ImportError({ file: this.source, line }, "invalid JSON", { cause: error }),
      );
      return;
    }
    try {
      this.#set.add(toBankTransaction(value, this.currency, this.#pool), line);
    } catch (error) {
      if (!(error instanceof RowProblem)) throw error;
      this.#problems.add(() => atLine(this.source, line, error));
      return;
    }
    if (++this.#rows % PROGRESS_ROWS_STEP === 0) this.onProgress?.(this.#rows);
  }

  /** Reading cannot go on: throws `error`, or with the bad lines found before it, all of them. */
  stop(error: unknown): never {
    return this.#problems.stop(error);
  }
}
