/**
 * bankrec as a library: read a bank feed (Plaid JSON, statement files) and a ledger, reconcile
 * them, write the result; talk to Plaid through the gateway and verify its webhooks; keep a
 * store, categorize its transactions with rules and report where the money went; reconcile the
 * stored books as a workflow (recorded runs, a review queue, decisions, closed periods).
 *
 * @example
 * import { readBankFile, readExpectedFile, reconcile, toResultJson } from "bankrec";
 *
 * const feed = await readBankFile("bank.json");
 * const expected = await readExpectedFile("expected.csv");
 * const result = reconcile(feed.transactions, expected, { dateWindowAfterDays: 60 });
 * // With a processor's payout report, its payouts match their deposits and sales for certain:
 * // reconcile(feed.transactions, expected, { payouts: await readPayoutReport("stripe-payouts.csv") });
 * console.log(result.summary.matchCount, JSON.stringify(toResultJson(result)));
 */

export * from "./categorize/index.js";
export type { BankAccount, BankTransaction, ExpectedEntry } from "./domain/index.js";
export {
  type PayoutItem,
  type PayoutItemKind,
  type PayoutProcessor,
  PROCESSOR_NAMES,
  type ProcessorPayout,
} from "./domain/payout.js";
export {
  BankrecError,
  type BankrecErrorCode,
  BusyError,
  ConfigError,
  ImportError,
  InputError,
  type InputLocation,
} from "./errors/index.js";
export * from "./importers/index.js";
export * from "./money/index.js";
export * from "./plaid/index.js";
export * from "./reconcile/index.js";
export {
  type MatchJson,
  RESULT_CSV_COLUMNS,
  type ReasonJson,
  type ResultJson,
  type SummaryJson,
  type TotalsJson,
  toResultCsv,
  toResultJson,
  toResultJsonChunks,
  type UnmatchedBankJson,
  type UnmatchedExpectedJson,
} from "./reconcile/result-json.js";
// The package's `reconcile` honours `threads` with worker threads; the engine's own (pure)
// one, which `export *` above would give, runs in one thread unless handed an executor.
export { reconcile, threadedExecutor } from "./reconcile-threads/index.js";
export * from "./reports/index.js";
export { Secret, toSecret } from "./secrets/index.js";
export * from "./store/index.js";
export {
  acceptSuggestion,
  addRule,
  dismissSuggestion,
  listRules,
  RULES_MAX,
  type RulePlacement,
  reapplyRules,
  removeRule,
  ruleSuggestions,
  testRule,
} from "./store/rules.js";
export { type SpendingQuery, spendingGroups, spendingSummary } from "./store/spending-queries.js";
export * from "./sync/index.js";
export * from "./webhooks/index.js";
export * from "./workflow/index.js";
