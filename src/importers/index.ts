/**
 * Readers that turn bank feeds and ledger exports into domain types, once, at the edge.
 * Every failure is an ImportError whose message leads with `file:line:` or `file: path:`;
 * bad rows are all found first and thrown together as one BadRowsError.
 */

// The errors the readers add; listed here so the package exports them with the readers.
export { BadRowsError, type InputProblem } from "../errors/index.js";

export { type BalanceCheck, checkBalances } from "./balance-check.js";
export { CSV_PRESETS, type CsvMapping, type CsvPreset, parseCsvMapping } from "./csv-presets.js";
export { type BankFileFormat, detectStatementFormat } from "./detect-format.js";
export { parseExpectedCsv, parseExpectedCsvChecked } from "./expected-csv.js";
export { parseExpectedJson, parseExpectedJsonChecked } from "./expected-json.js";
export { toFeedNdjsonLines } from "./feed-ndjson.js";
export { importKeys, type MergeResult, mergeImport, normalizeDescription } from "./import-keys.js";
export { INPUT_LIMITS } from "./input-limits.js";
export { type PayoutReadOptions, parsePayoutReport, readPayoutReport } from "./payout-reports/index.js";
export { parsePlaidJson } from "./plaid-json.js";
export type { CheckedRows } from "./problem-list.js";
export { readBankFile, readExpectedFile, readExpectedFileChecked } from "./read-file.js";
export type {
  DeclaredTotal,
  EntryDetail,
  EntryStatus,
  Statement,
  StatementBalance,
  StatementEntry,
  StatementFile,
  StatementFormat,
} from "./statement.js";
export {
  parseStatementBytes,
  readStatementFile,
  type StatementReadOptions,
  toBankAccounts,
  toBankTransactions,
} from "./statement-file.js";
export { ENCODINGS, type TextEncodingName } from "./text-encoding.js";
export type { BankFeed, ReadOptions } from "./types.js";
