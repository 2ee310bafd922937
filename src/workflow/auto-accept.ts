import type { Match, MatchReason } from "../reconcile/index.js";

/**
 * Which of a run's proposals are accepted without a person, and what an adjustment is called.
 * Pure: the run (runs.ts) stores what these choose.
 */

/**
 * Proposals at least this sure (and not flagged, no pending row) are accepted automatically.
 * Measured on the benchmark's public data set (10,003 ledger entries, 8,686 bank rows): every
 * one of the 5,777 matches it accepts (72% of the engine's 7,989) is right, pair precision
 * 1.0000; the first wrong pairs appear below 0.90. On our three generator profiles (bench/
 * profiles, 10,000 rows each) the same threshold accepts 51-60% of matches at pair precision
 * 0.991-0.999. See README, "Reconciliation workflow".
 */
export const AUTO_ACCEPT_CONFIDENCE_DEFAULT = 0.95;

/**
 * Whether a proposal is accepted without a person: sure enough, not flagged by the engine
 * (an amount difference, a low score) and no pending row in it (it may still change).
 *
 * @example autoAccepts({ ...match, confidence: 0.97, needsReview: false, pending: false }, 0.95) // true
 */
export function autoAccepts(match: Match, confidenceMin: number): boolean {
  return !match.needsReview && !match.pending && match.confidence >= confidenceMin;
}

/** Why an adjustment balances a match: a fee, a rounding, a currency conversion, or other. */
export type AdjustmentReason = "fee" | "rounding" | "fx" | "other";

export const ADJUSTMENT_REASONS: readonly AdjustmentReason[] = ["fee", "rounding", "fx", "other"];

/**
 * The reason to give an engine match's amount difference when it is accepted and no reason was
 * given: `fee` when the engine's own reasons speak of a fee (a payout net of its fee, a wire
 * short by the bank's charge), else `other`.
 *
 * @example adjustmentReasonOf([{ feature: "amount", contribution: 40, detail: "Stripe fee 5.80 kept as an adjustment" }]) // "fee"
 */
export function adjustmentReasonOf(reasons: readonly MatchReason[]): AdjustmentReason {
  return reasons.some((r) => /\bfees?\b/i.test(r.detail)) ? "fee" : "other";
}
