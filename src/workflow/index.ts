/**
 * Reconciliation as a workflow on stored books: the ledger kept in the store, runs over a
 * scope whose proposals wait in a review queue (or are accepted above a confidence), decisions
 * that stick and teach (accept, reject, unmatch, match by hand with an adjustment), and periods
 * that close, lock what was reconciled and open again only by a recorded decision.
 *
 * Functions over a `Store`; every decision takes its `actor` (the library never guesses a
 * person) and is one database transaction. Bad input is an `InputError` saying why in one
 * line, with nothing changed. The pure parts (what to auto-accept, a manual match's sums, what
 * a match teaches, proposals without rejected pairings) are exported for tests and tools.
 *
 * @example
 * import { openStore, reconcile, importExpectedEntries, readExpectedFile, runReconciliation, acceptAbove, closePeriod } from "bankrec";
 *
 * const store = await openStore();
 * await importExpectedEntries(store, await readExpectedFile("ledger.csv"));
 * const run = await runReconciliation(store, { from: "2026-05-01", to: "2026-05-31" }, { actor: "ana", engine: reconcile });
 * console.log(run.counts); // { proposed: 412, autoAccepted: 371, waiting: 41, ... }
 * await acceptAbove(store, 0.9, { actor: "ana" });
 * await closePeriod(store, { accountId: "acc_1", through: "2026-05-31", actor: "ana", allowUnreconciled: true });
 */
export {
  importExpectedEntries,
  type LedgerChange,
  type LedgerEntryStatus,
  type LedgerFilter,
  type LedgerImportOutcome,
  listLedgerEntries,
} from "../store/ledger.js";
export {
  type BalanceTotal,
  type BooksAtDate,
  booksAtDate,
  OPEN_ITEMS_READ_MAX,
  type OpenBalanceItem,
} from "../store/workflow-balance.js";
export type { LockedChange, PeriodLock, ReconciledFields } from "../store/workflow-locks.js";
export type { MatchAdjustment, MatchStatus, WorkflowMatch } from "../store/workflow-matches.js";
export type { WorkflowBankRow } from "../store/workflow-rows.js";
export { type AliasPairing, aliasPairingsOf, aliasWeight, learnedAliasesOf } from "./aliases.js";
export {
  ADJUSTMENT_REASONS,
  type AdjustmentReason,
  AUTO_ACCEPT_CONFIDENCE_DEFAULT,
  adjustmentReasonOf,
  autoAccepts,
} from "./auto-accept.js";
export {
  type BalanceCandidate,
  type BalanceExplanation,
  type BalanceExplanationKind,
  CurrencyMismatchError,
  contributionMinor,
  EXPLAIN_LIMIT_CEILINGS,
  EXPLAIN_LIMITS,
  type ExplainBalanceInput,
  type ExplainLimits,
  type ExplainSearch,
  type ExplainTruncation,
  explainBalanceDifference,
  type OpenItem,
  type OpenItemSide,
} from "./balance-explainer.js";
export {
  type AcceptOptions,
  AUTO_ACTOR,
  acceptAbove,
  acceptMatches,
  type DecisionOptions,
  type DecisionOutcome,
  rejectMatches,
  unmatchMatches,
} from "./decisions.js";
export { REMOVE_ENTRIES_MAX, removeLedgerEntries } from "./ledger.js";
export {
  MANUAL_ROWS_MAX,
  type ManualMatchInput,
  type ManualMatchOutcome,
  matchManually,
} from "./manual.js";
export {
  checkManualMatch,
  type ManualMatchCheck,
  type MoneyRow,
  manualMatchProblem,
  matchKindOf,
  type Totals,
} from "./manual-match.js";
export {
  type ApplyOutcome,
  applyLockedChanges,
  type CloseInput,
  type CloseOutcome,
  closePeriod,
  listLockedChanges,
  listLocks,
  type ReopenInput,
  type ReopenOutcome,
  reopenPeriod,
} from "./periods.js";
export { type Engine, type Proposals, pairingKey, proposeAvoiding } from "./proposals.js";
export {
  type Decision,
  getMatch,
  type LearnedAliasStatus,
  listDecisions,
  listLearnedAliases,
  listReviewQueue,
  listRuns,
  type MatchDetail,
  type QueueFilter,
  type RunRecord,
} from "./queue.js";
export {
  type RunCounts,
  type RunOptions,
  type RunOutcome,
  type RunScope,
  type RunStatement,
  runReconciliation,
} from "./runs.js";
export {
  type StatementBalanceOptions,
  type StatementClosingBalance,
  statementBalanceFrom,
} from "./statement-balance.js";
export {
  type CurrencyTotal,
  checkStatementBalance,
  type LeftOut,
  type StatementAccount,
  type StatementCheck,
  type StatementCheckInput,
  type StatementCheckItem,
  statementBalanceForAccount,
} from "./statement-check.js";
