import { access } from "node:fs/promises";
import { dirname, extname, join } from "node:path";
import type { ExpectedEntry } from "../domain/index.js";
import { parseExpectedCsv, parseExpectedCsvChecked } from "./expected-csv.js";
import { parseExpectedJson, parseExpectedJsonChecked } from "./expected-json.js";
import { firstSignificant, parseJson, readText, textOf } from "./file-text.js";
import { type InputFile, withInputFile } from "./input-file.js";
import { FILE_BYTES_MAX, HEAD_BYTES, LINE_CHARS_MAX, STREAM_BYTES_MAX } from "./input-limits.js";
import { parsePlaidAccounts, parsePlaidJson } from "./plaid-json.js";
import { parsePlaidNdjson, readPlaidNdjson } from "./plaid-ndjson.js";
import type { CheckedRows } from "./problem-list.js";
import type { StatementFormat } from "./statement.js";
import {
  parseStatementBytes,
  readStatementInput,
  type StatementReadOptions,
  toBankAccounts,
  toBankTransactions,
} from "./statement-file.js";
import type { BankFeed, ReadOptions } from "./types.js";

/** Where the benchmark (and our own export) puts the accounts of an NDJSON feed. */
const NDJSON_ACCOUNTS_FILE = "accounts.json";
const CSV_EXTENSIONS = [".csv", ".tsv", ".txt"];

/**
 * Reads a bank feed from a file: Plaid JSON (`.json`: a `/transactions/get` response, a bare
 * array, or a `/transactions/sync` dump), Plaid NDJSON (`.ndjson`/`.jsonl`, one transaction a
 * line, streamed), or a statement file: OFX/QFX, CAMT.052/053/054, MT940/MT942 or a bank CSV
 * export. The format is told from the content unless `options.format` names it. An NDJSON feed
 * takes its accounts from an `accounts.json` beside it, when there is one. Statement rows get
 * their import key as id (see import-keys.ts). Error messages name the path as given.
 *
 * Bounded: files read whole up to 500 MiB, NDJSON streamed up to 4 GiB, lines of CSV, NDJSON
 * and MT940 up to 1,048,576 characters; a pipe is read once, as it comes; a device is refused.
 * Plaid JSON, NDJSON and bank CSV rows are all read before failing: a BadRowsError lists every
 * bad row (up to 50).
 *
 * @example const { accounts, transactions } = await readBankFile("/tmp/bench-10k/bank.json");
 * @example const { transactions, statementFile } = await readBankFile("statement.ofx");
 * @throws ImportError `bank.json: file not found`, `bank.ndjson:5: invalid JSON`, `a.ofx:42: TRNAMT "1x" is not a number`
 */
export async function readBankFile(path: string, options: ReadOptions = {}): Promise<BankFeed> {
  return withInputFile(path, async (input) => {
    const format = bankFormatOf(path, textOf(await input.head()), options.format ?? "auto");
    if (format === "json") {
      const text = textOf(await input.readAll({ bytesMax: FILE_BYTES_MAX }));
      return parsePlaidJson(parseJson(text, path), path, options);
    }
    if (format === "ndjson") {
      const chunks = input.chunks({ bytesMax: STREAM_BYTES_MAX, lineCharsMax: LINE_CHARS_MAX });
      const transactions = await readPlaidNdjson(chunks, path, options);
      return { accounts: await siblingAccounts(path), transactions };
    }
    const statementFile = await readStatementInput(input, path, statementOptions(options, format));
    const transactions = toBankTransactions(statementFile);
    options.onProgress?.(transactions.length);
    return { accounts: toBankAccounts(statementFile), transactions, statementFile };
  });
}

function statementOptions(options: ReadOptions, format: StatementFormat | "auto"): StatementReadOptions {
  const o = options;
  return {
    format,
    ...(o.currency !== undefined && { currency: o.currency }),
    ...(o.decimalSeparator !== undefined && { decimalSeparator: o.decimalSeparator }),
    ...(o.encoding !== undefined && { encoding: o.encoding }),
    ...(o.accountId !== undefined && { accountId: o.accountId }),
    ...(o.csvPreset !== undefined && { csvPreset: o.csvPreset }),
    ...(o.csvMapping !== undefined && { csvMapping: o.csvMapping }),
    ...(o.dateFormat !== undefined && { dateFormat: o.dateFormat }),
  };
}

/**
 * Reads the ledger's expected entries from `.csv` (or `.tsv`, `.txt`) or `.json`; other
 * extensions are sniffed (JSON starts with `{` or `[`). Every row is read: when some are bad,
 * one BadRowsError lists them all (up to 50; `error.problems`) and no entry is returned.
 * Bounded like `readBankFile`: 500 MiB a file, 1,048,576 characters a CSV line, 65,536 a field.
 *
 * @example const expected = await readExpectedFile("/tmp/bench-10k/expected.csv");
 * @throws ImportError `expected.csv:17: amount "12,3x" is not a number`; BadRowsError
 *   `expected.csv: 3 rows are bad; first: expected.csv:17: amount "12,3x" is not a number`
 */
export async function readExpectedFile(path: string, options: ReadOptions = {}): Promise<ExpectedEntry[]> {
  const { text, json } = await readLedgerText(path);
  if (json) return parseExpectedJson(parseJson(text, path), path, options);
  return parseExpectedCsv(text, path, options);
}

/**
 * The same, but bad rows are values: the rows that read cleanly and the problems of the others
 * (file, line or JSON path, field, message; up to 50, all counted). It throws only when the file
 * as a whole cannot be read: missing, too large, no header, invalid JSON, a quote never closed.
 *
 * @example
 * const { rows, problems, badRowCount } = await readExpectedFileChecked("ledger.csv");
 * for (const p of problems) console.error(p.message); // ledger.csv:17: amount "12,3x" is not a number
 */
export async function readExpectedFileChecked(
  path: string,
  options: ReadOptions = {},
): Promise<CheckedRows<ExpectedEntry>> {
  const { text, json } = await readLedgerText(path);
  if (json) return parseExpectedJsonChecked(parseJson(text, path), path, options);
  return parseExpectedCsvChecked(text, path, options);
}

/** A ledger's text, and whether it is JSON; a CSV one stops at its first line past the bound. */
async function readLedgerText(path: string): Promise<{ text: string; json: boolean }> {
  return withInputFile(path, async (input: InputFile) => {
    const json = ledgerIsJson(path, textOf(await input.head()));
    const bounds = json
      ? { bytesMax: FILE_BYTES_MAX }
      : { bytesMax: FILE_BYTES_MAX, lineCharsMax: LINE_CHARS_MAX };
    return { text: textOf(await input.readAll(bounds)), json };
  });
}

function ledgerIsJson(path: string, head: string): boolean {
  const ext = extname(path).toLowerCase();
  return ext === ".json" || (!CSV_EXTENSIONS.includes(ext) && "{[".includes(firstSignificant(head) || " "));
}

/**
 * `readExpectedFile` on bytes in memory (an upload; the fuzz tests), `source` naming the file.
 *
 * @example parseExpectedBytes(Buffer.from("id,date,amount\nE1,2025-01-01,5\n"), "ledger.csv")[0]?.amountMinor // 500
 */
export function parseExpectedBytes(
  bytes: Buffer,
  source: string,
  options: ReadOptions = {},
): ExpectedEntry[] {
  const text = textOf(bytes);
  if (ledgerIsJson(source, text.slice(0, HEAD_BYTES)))
    return parseExpectedJson(parseJson(text, source), source, options);
  return parseExpectedCsv(text, source, options);
}

/**
 * `readBankFile` on bytes in memory, `source` naming the file (an NDJSON feed's `accounts.json`
 * beside it is not looked for).
 *
 * @example parseBankBytes(Buffer.from(JSON.stringify({ transactions: [] })), "bank.json").transactions // []
 */
export function parseBankBytes(bytes: Buffer, source: string, options: ReadOptions = {}): BankFeed {
  const format = bankFormatOf(source, textOf(bytes.subarray(0, HEAD_BYTES)), options.format ?? "auto");
  if (format === "json") return parsePlaidJson(parseJson(textOf(bytes), source), source, options);
  if (format === "ndjson") return { accounts: [], transactions: parsePlaidNdjson(bytes, source, options) };
  const statementFile = parseStatementBytes(bytes, source, statementOptions(options, format));
  const transactions = toBankTransactions(statementFile);
  options.onProgress?.(transactions.length);
  return { accounts: toBankAccounts(statementFile), transactions, statementFile };
}

/**
 * Plaid's JSON and NDJSON keep their own fast paths; anything else is a statement file, whose
 * reader decodes the bytes properly (UTF-16, 1252) before telling OFX, CAMT, MT940 and CSV apart.
 */
function bankFormatOf(
  path: string,
  head: string,
  stated: ReadOptions["format"] & string,
): "json" | "ndjson" | StatementFormat | "auto" {
  if (stated === "plaid-json") return "json";
  if (stated !== "auto") return stated;
  const ext = extname(path).toLowerCase();
  if (ext === ".json") return "json";
  if (ext === ".ndjson" || ext === ".jsonl") return "ndjson";
  const first = firstSignificant(head);
  if (first === "[") return "json";
  if (first !== "{") return "auto";
  return firstLineIsTransaction(head) ? "ndjson" : "json";
}

/** A JSON document can open with `{` too; NDJSON's first line is a whole transaction. */
function firstLineIsTransaction(head: string): boolean {
  const line = head.trimStart().split("\n", 1)[0] ?? "";
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === "object" && value !== null && "transaction_id" in value;
  } catch {
    return false;
  }
}

async function siblingAccounts(path: string) {
  const accountsPath = join(dirname(path), NDJSON_ACCOUNTS_FILE);
  const exists = await access(accountsPath).then(
    () => true,
    () => false,
  );
  if (!exists) return [];
  return parsePlaidAccounts(parseJson(await readText(accountsPath), accountsPath), accountsPath);
}
