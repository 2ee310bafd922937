import { access } from "node:fs/promises";
import { dirname, extname, join } from "node:path";
import type { ExpectedEntry } from "../domain/index.js";
import { ImportError } from "../errors/index.js";
import { parseExpectedCsv } from "./expected-csv.js";
import { parseExpectedJson } from "./expected-json.js";
import { fileError, firstSignificant, parseJson, readHead, readText } from "./file-text.js";
import { parsePlaidAccounts, parsePlaidJson } from "./plaid-json.js";
import { readPlaidNdjson } from "./plaid-ndjson.js";
import type { StatementFormat } from "./statement.js";
import {
  readStatementFile,
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
 * @example const { accounts, transactions } = await readBankFile("/tmp/bench-10k/bank.json");
 * @example const { transactions, statementFile } = await readBankFile("statement.ofx");
 * @throws ImportError `bank.json: file not found`, `bank.ndjson:5: invalid JSON`, `a.ofx:42: TRNAMT "1x" is not a number`
 */
export async function readBankFile(path: string, options: ReadOptions = {}): Promise<BankFeed> {
  const format = await bankFormatOf(path, options.format ?? "auto");
  if (format === "json") return parsePlaidJson(parseJson(await readText(path), path), path, options);
  if (format === "ndjson") {
    const transactions = await readNdjson(path, options);
    return { accounts: await siblingAccounts(path), transactions };
  }
  const statementFile = await readStatementFile(path, statementOptions(options, format));
  const transactions = toBankTransactions(statementFile);
  options.onProgress?.(transactions.length);
  return { accounts: toBankAccounts(statementFile), transactions, statementFile };
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
 * extensions are sniffed (JSON starts with `{` or `[`).
 *
 * @example const expected = await readExpectedFile("/tmp/bench-10k/expected.csv");
 * @throws ImportError `expected.csv:17: amount "12,3x" is not a number`, ...
 */
export async function readExpectedFile(path: string, options: ReadOptions = {}): Promise<ExpectedEntry[]> {
  const text = await readText(path);
  const ext = extname(path).toLowerCase();
  const json =
    ext === ".json" || (!CSV_EXTENSIONS.includes(ext) && "{[".includes(firstSignificant(text) || " "));
  if (json) return parseExpectedJson(parseJson(text, path), path, options);
  return parseExpectedCsv(text, path, options);
}

/**
 * Plaid's JSON and NDJSON keep their own fast paths; anything else is a statement file, whose
 * reader decodes the bytes properly (UTF-16, 1252) before telling OFX, CAMT, MT940 and CSV apart.
 */
async function bankFormatOf(
  path: string,
  stated: ReadOptions["format"] & string,
): Promise<"json" | "ndjson" | StatementFormat | "auto"> {
  const head = await readHead(path); // also turns a missing file into `file not found` early
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

async function readNdjson(path: string, options: ReadOptions) {
  try {
    return await readPlaidNdjson(path, path, options);
  } catch (error) {
    // Only the file system's errors (they carry a string `code`) are about the file.
    const fromFileSystem = typeof (error as { code?: unknown } | null)?.code === "string";
    throw fromFileSystem && !(error instanceof ImportError) ? fileError(path, error) : error;
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
