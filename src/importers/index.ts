/**
 * Readers that turn bank feeds and ledger exports into domain types, once, at the edge.
 * Every failure is an ImportError whose message leads with `file:line:` or `file: path:`.
 */

export { type BalanceCheck, checkBalances } from "./balance-check.js";
export { CSV_PRESETS, type CsvMapping, type CsvPreset, parseCsvMapping } from "./csv-presets.js";
export { type BankFileFormat, detectStatementFormat } from "./detect-format.js";
export { parseExpectedCsv } from "./expected-csv.js";
export { parseExpectedJson } from "./expected-json.js";
export { toFeedNdjsonLines } from "./feed-ndjson.js";
export { importKeys, type MergeResult, mergeImport, normalizeDescription } from "./import-keys.js";
export { parsePlaidJson } from "./plaid-json.js";
export { readBankFile, readExpectedFile } from "./read-file.js";
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
