import { createReadStream } from "node:fs";
import type { BankTransaction } from "../domain/index.js";
import { ImportError } from "../errors/index.js";
import { decodeUtf8 } from "./file-text.js";
import { toBankTransaction } from "./plaid-transaction.js";
import { atLine, RowProblem } from "./row-problem.js";
import { TextPool } from "./text-pool.js";
import { TransactionSet } from "./transaction-set.js";
import { DEFAULT_CURRENCY, PROGRESS_ROWS_STEP, type ReadOptions } from "./types.js";

/** Read size: a 436 MB feed in 4 MiB pieces is ~100 chunks, each decoded and split natively. */
const CHUNK_BYTES = 4 << 20;
const LF = 0x0a;

/**
 * Streams a file of Plaid transactions, one JSON object a line, without holding the text:
 * memory grows with the transactions kept, not the file. Blank lines are skipped; CRLF is
 * fine. Splitting is done on bytes (a UTF-8 line break is never inside a character), so each
 * chunk is decoded once; `readline`, which costs an event and a decode per line, was slower.
 *
 * @example await readPlaidNdjson("bank.ndjson", "bank.ndjson") // [{ id: "t1", ... }, ...]
 * @throws ImportError `bank.ndjson:5: invalid JSON`, `bank.ndjson:5: amount: expected a number`
 */
export async function readPlaidNdjson(
  path: string,
  source: string,
  options: ReadOptions = {},
): Promise<BankTransaction[]> {
  const lines = new LineReader(source, options.currency ?? DEFAULT_CURRENCY, options.onProgress);
  let carry: Buffer = Buffer.alloc(0);
  for await (const chunk of createReadStream(path, { highWaterMark: CHUNK_BYTES }) as AsyncIterable<Buffer>) {
    const last = chunk.lastIndexOf(LF);
    if (last === -1) {
      carry = Buffer.concat([carry, chunk]);
      continue;
    }
    let from = 0;
    if (carry.length > 0) {
      from = chunk.indexOf(LF) + 1;
      lines.takeText(decodeUtf8(Buffer.concat([carry, chunk.subarray(0, from)])));
    }
    lines.takeText(decodeUtf8(chunk.subarray(from, last + 1)));
    carry = Buffer.from(chunk.subarray(last + 1));
  }
  if (carry.length > 0) lines.takeText(decodeUtf8(carry));
  return lines.finish();
}

/** Turns whole lines of text into transactions, counting lines for messages. */
class LineReader {
  readonly #set = new TransactionSet();
  readonly #pool = new TextPool();
  #line = 0;
  #rows = 0;

  constructor(
    readonly source: string,
    readonly currency: string,
    readonly onProgress: ((rows: number) => void) | undefined,
  ) {}

  /** Lines ending in "\n", except perhaps the file's last. */
  takeText(text: string): void {
    let start = 0;
    for (let nl = text.indexOf("\n"); start < text.length; nl = text.indexOf("\n", start)) {
      const stop = nl === -1 ? text.length : nl;
      this.take(text, start, stop);
      start = stop + 1;
    }
  }

  finish(): BankTransaction[] {
    this.onProgress?.(this.#rows);
    return this.#set.toArray();
  }

  private take(text: string, start: number, stop: number): void {
    const line = ++this.#line;
    if (line === 1 && text.charCodeAt(start) === 0xfeff) start++;
    if (stop > start && text.charCodeAt(stop - 1) === 0x0d) stop--;
    const row = text.slice(start, stop);
    if (row.length === 0 || (row.charCodeAt(0) <= 0x20 && row.trim() === "")) return;
    let value: unknown;
    try {
      value = JSON.parse(row);
    } catch (error) {
      throw new ImportError({ file: this.source, line }, "invalid JSON", { cause: error });
    }
    try {
      this.#set.add(toBankTransaction(value, this.currency, this.#pool), line);
    } catch (error) {
      if (error instanceof RowProblem) throw atLine(this.source, line, error);
      throw error;
    }
    if (++this.#rows % PROGRESS_ROWS_STEP === 0) this.onProgress?.(this.#rows);
  }
}
