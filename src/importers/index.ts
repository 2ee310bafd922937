/**
 * Readers that turn bank feeds and ledger exports into domain types, once, at the edge.
 * Every failure is an ImportError whose message leads with `file:line:` or `file: path:`.
 */
export { parseExpectedCsv } from "./expected-csv.js";
export { parseExpectedJson } from "./expected-json.js";
export { parsePlaidJson } from "./plaid-json.js";
export { readBankFile, readExpectedFile } from "./read-file.js";
export type { BankFeed, ReadOptions } from "./types.js";
