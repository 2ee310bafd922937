import { maxWeightMatching } from "./assign.js";
import { confidenceOf } from "./confidence.js";
import type { PreparedBank, PreparedExpected, Vocabulary } from "./prepare.js";
import { REFERENCE_WEIGHT, scorePair, textSimilarity } from "./score.js";

/**
 * Near-amount matches among what is left: a bank row short of the entry by a small amount (an
 * incoming wire less the bank's fee, a card payment less a processor's cut). A shortfall is
 * only accepted with strong other evidence (the names agree or the reference is echoed), and
 * is always reported with its difference and flagged for review.
 */
export interface NearLimits {
  readonly ratioMax: number;
  readonly shortfallMaxMinor: number;
  readonly dateWindowBeforeDays: number;
  readonly dateWindowAfterDays: number;
}

export interface NearChoice {
  readonly bank: number;
  readonly expected: number;
  readonly score: number;
  readonly confidence: number;
}

/** Names must agree at least this much, unless the reference is found. */
const SIMILARITY_MIN = 0.34;
const NEAR_ACCEPT_MIN = 45;
const SHORTFALL_PENALTY = 6;

export function matchNearAmounts(
  bank: readonly PreparedBank[],
  expected: readonly PreparedExpected[],
  vocabulary: Vocabulary,
  limits: NearLimits,
): NearChoice[] {
  // Per currency, by amount: a shortfall is a narrow amount range, found by binary search.
  const byCurrency = new Map<string, PreparedBank[]>();
  for (const b of bank) {
    const list = byCurrency.get(b.currency);
    if (list === undefined) byCurrency.set(b.currency, [b]);
    else list.push(b);
  }
  for (const list of byCurrency.values()) list.sort((x, y) => x.amount - y.amount || x.index - y.index);
  const left: number[] = [];
  const right: number[] = [];
  const score: number[] = [];
  for (const e of expected) {
    const magnitude = Math.abs(e.amount);
    const shortfallMax = Math.min(limits.shortfallMaxMinor, Math.floor(magnitude * limits.ratioMax));
    const list = byCurrency.get(e.currency);
    if (shortfallMax <= 0 || list === undefined) continue;
    // Money in arrives short (a smaller positive amount); money out leaves short too.
    const low = e.amount > 0 ? e.amount - shortfallMax : e.amount + 1;
    const high = e.amount > 0 ? e.amount - 1 : e.amount + shortfallMax;
    for (let i = lowerBound(list, low); i < list.length && list[i]!.amount <= high; i++) {
      const b = list[i]!;
      if (e.account !== null && b.account !== e.account) continue;
      const lag = b.day - e.day;
      if (lag < -limits.dateWindowBeforeDays || lag > limits.dateWindowAfterDays) continue;
      const base = scorePair(b, e, vocabulary);
      const referenced = base - REFERENCE_WEIGHT > 0 && hasReference(b, e);
      if (!referenced && textSimilarity(b, e, vocabulary) < SIMILARITY_MIN) continue;
      const s = base - SHORTFALL_PENALTY;
      if (s < NEAR_ACCEPT_MIN) continue;
      left.push(b.index);
      right.push(e.index);
      score.push(s);
    }
  }
  const chosen = maxWeightMatching({ left, right, weight: score.map((s) => s - NEAR_ACCEPT_MIN + 1) });
  return chosen.map((k) => ({
    bank: left[k]!,
    expected: right[k]!,
    score: score[k]!,
    confidence: Math.min(confidenceOf(score[k]!, null), 0.75),
  }));
}

function lowerBound(list: readonly PreparedBank[], amount: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid]!.amount < amount) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function hasReference(b: PreparedBank, e: PreparedExpected): boolean {
  return e.reference >= 0 && b.codes.includes(e.reference);
}
