import type { BankTransaction, ExpectedEntry } from "../domain/index.js";
import type { ProcessorPayout } from "../domain/payout.js";
import type { ProposalExecutor } from "./settlements/index.js";

/**
 * How many rows on each side a match joins: `many_to_one` is several expected entries settled
 * by one bank row; `one_to_many` is one expected entry paid by several bank rows.
 */
export type MatchKind = "one_to_one" | "many_to_one" | "one_to_many";

/** One piece of evidence behind a match and how much it moved the score. */
export interface MatchReason {
  /** amount | date | description | counterparty | reference | check_number | merchant | account | group */
  readonly feature: string;
  /** Signed contribution to the match's score, in score points. */
  readonly contribution: number;
  /** Words for people: "same amount", "bank 3 days after ledger", "reference INV-123 found". */
  readonly detail: string;
}

export interface Match {
  readonly kind: MatchKind;
  readonly bankTransactionIds: readonly string[];
  readonly expectedIds: readonly string[];
  /** 0..1: how sure the engine is that these rows belong together. */
  readonly confidence: number;
  readonly reasons: readonly MatchReason[];
  /** Bank total minus expected total, minor units (0 for exact matches). */
  readonly amountDifferenceMinor: number;
  readonly currency: string;
  /** A pending bank row is part of the match: it may still change or vanish. */
  readonly pending: boolean;
  /** True when a person should look at it (low confidence, amount difference, pending). */
  readonly needsReview: boolean;
}

export interface CurrencyTotals {
  readonly currency: string;
  readonly bankMatchedMinor: number;
  readonly bankUnmatchedMinor: number;
  readonly expectedMatchedMinor: number;
  readonly expectedUnmatchedMinor: number;
}

export interface ReconcileSummary {
  readonly bankCount: number;
  readonly expectedCount: number;
  readonly matchCount: number;
  readonly matchedBankCount: number;
  readonly matchedExpectedCount: number;
  readonly unmatchedBankCount: number;
  readonly unmatchedExpectedCount: number;
  readonly needsReviewCount: number;
  readonly byKind: Readonly<Record<MatchKind, number>>;
  readonly totals: readonly CurrencyTotals[];
  /** The limits the engine used, the learned ones among them (absent on results not made by it). */
  readonly limits?: EngineLimits;
}

/** Limits a run used: the options given, and what it learned from the books themselves. */
export interface EngineLimits {
  readonly dateWindowBeforeDays: number;
  readonly dateWindowAfterDays: number;
  /** The window of the second one-to-one pass and of instalments, from the learned lags. */
  readonly learnedWindowAfterDays: number;
  readonly groupSizeMax: number;
  /** Per bank account (or "*" for all) and direction: the lags of the confident matches. */
  readonly lags: readonly LearnedLagLimit[];
}

export interface LearnedLagLimit {
  readonly account: string;
  readonly direction: "in" | "out";
  readonly matches: number;
  readonly p50: number;
  readonly p90: number;
  /** How much the date penalty was stretched for this account and direction (1: not at all). */
  readonly stretch: number;
}

export interface ReconcileResult {
  /** `complete` when every row on both sides is matched and nothing needs review. */
  readonly status: "complete" | "needs_review";
  readonly matches: readonly Match[];
  readonly unmatchedBank: readonly BankTransaction[];
  readonly unmatchedExpected: readonly ExpectedEntry[];
  /**
   * Unmatched bank rows the engine could have settled in more than one way: it says so rather
   * than guess. (Empty on results not made by the engine.)
   */
  readonly ambiguousSettlements?: readonly AmbiguousSettlement[];
  readonly summary: ReconcileSummary;
}

export interface AmbiguousSettlement {
  readonly bankTransactionId: string;
  readonly reason: string;
}

/** Engine settings. Every field has a default; units are in the names. */
export interface ReconcileOptions {
  /** How many days before the ledger date a bank row may post. Default 5. */
  readonly dateWindowBeforeDays?: number;
  /** How many days after the ledger date a bank row may post (late checks). Default 45. */
  readonly dateWindowAfterDays?: number;
  /** Amount difference always accepted as "the same", minor units. Default 0. */
  readonly amountToleranceMinor?: number;
  /**
   * Largest shortfall accepted for a near-amount match (a wire short by the bank's fee), as a
   * share of the expected amount. Only taken with strong other evidence. Default 0.05.
   */
  readonly nearAmountMaxRatio?: number;
  /** Largest shortfall for a near-amount match in minor units. Default 10000 (100.00). */
  readonly nearAmountMaxMinor?: number;
  /** Largest number of rows on the "many" side of a group match. Default 6. */
  readonly groupSizeMax?: number;
  /** Matches with confidence below this are flagged for review. Default 0.6. */
  readonly reviewBelowConfidence?: number;
  /**
   * Threads the settlement search may use on large inputs. The engine itself is pure and has
   * none: the package's `reconcile` (and the CLI) turn a number above 1 into
   * `threadedExecutor(threads)` when no `executor` is given; the engine only checks the number.
   * The result is the same for any number. Default 1.
   */
  readonly threads?: number;
  /**
   * Where the first round of the settlement search runs (see `ProposalExecutor`): in this
   * thread by default (`inProcessExecutor`), or shared among worker threads with the package's
   * `threadedExecutor`. It changes how long a run takes, never its result.
   */
  readonly executor?: ProposalExecutor;
  /**
   * Pairings people accepted before (the workflow's decisions): a bank descriptor seen with a
   * counterparty. Each raises the name agreement of later rows with the same descriptor and
   * counterparty by its weight (0..1). Default none.
   */
  readonly learnedAliases?: readonly LearnedAlias[];
  /** Called now and then with the stage and progress, for progress bars. */
  readonly onProgress?: (stage: string, done: number, total: number) => void;
  /**
   * Payment processors' payouts and their lines (`readPayoutReport`): each is matched to its
   * bank row and its lines to ledger entries before any other stage, with certainty where
   * amounts alone cannot tell which of many equal sales a payout settled. Default none.
   */
  readonly payouts?: readonly ProcessorPayout[];
}

/** A bank descriptor a person matched to a counterparty, and how much that teaches (0..1). */
export interface LearnedAlias {
  /** The bank row's descriptor as `descriptorKey` (normalize.ts) makes it: words without numbers. */
  readonly descriptor: string;
  /** The ledger's counterparty as written (compared case- and space-insensitively). */
  readonly counterparty: string;
  readonly weight: number;
}
