import { maxWeightMatching } from "./assign.js";
import { confidenceOf } from "./confidence.js";
import { pushTo } from "./multimap.js";
import type { PreparedBank, PreparedExpected, Vocabulary } from "./prepare.js";
import { firstDayFor, lastDayFor, REFERENCE_WEIGHT, scorePair, textSimilarity } from "./score.js";
import { firstAbove, firstAtLeast } from "./sorted.js";

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
  // An entry that names its account looks through that account's rows by amount (a shortfall
  // is a narrow amount range, found by binary search). One that does not would look through
  // every account's, a number that grows with the feed; but a near amount is only accepted when
  // the names or the reference agree, so it looks through the rows sharing one of its words
  // or its reference, by day.
  const byAccount = new Map<string, PreparedBank[]>();
  const byToken = new Map<number, PreparedBank[]>();
  for (const b of bank) {
    if (b.account !== null) pushTo(byAccount, `${b.currency}|${b.account}`, b);
    for (const t of b.words) pushTo(byToken, t, b);
    for (const t of b.codes) pushTo(byToken, t, b);
  }
  for (const list of byAccount.values()) list.sort((x, y) => x.amount - y.amount || x.index - y.index);
  for (const list of byToken.values()) list.sort((x, y) => x.day - y.day || x.index - y.index);
  const left: number[] = [];
  const right: number[] = [];
  const score: number[] = [];
  const found: PreparedBank[] = [];
  for (const e of expected) {
    const magnitude = Math.abs(e.amount);
    const shortfallMax = Math.min(limits.shortfallMaxMinor, Math.floor(magnitude * limits.ratioMax));
    if (shortfallMax <= 0) continue;
    // Money in arrives short (a smaller positive amount); money out leaves short too.
    const low = e.amount > 0 ? e.amount - shortfallMax : e.amount + 1;
    const high = e.amount > 0 ? e.amount - 1 : e.amount + shortfallMax;
    found.length = 0;
    const dayFrom = firstDayFor(e, limits);
    const dayTo = lastDayFor(e, limits);
    if (e.account !== null) {
      const list = byAccount.get(`${e.currency}|${e.account}`);
      if (list === undefined) continue;
      for (
        let i = firstAtLeast(list.length, (k) => list[k]!.amount, low);
        i < list.length && list[i]!.amount <= high;
        i++
      )
        found.push(list[i]!);
    } else {
      const tokens = e.reference >= 0 ? [...e.words, e.reference] : e.words;
      for (const t of tokens) {
        const list = byToken.get(t);
        if (list === undefined) continue;
        const from = firstAbove(list.length, (k) => list[k]!.day, dayFrom - 1);
        const to = Math.min(list.length, from + TOKEN_SCAN_MAX);
        for (let i = from; i < to && list[i]!.day <= dayTo; i++) {
          const b = list[i]!;
          if (b.currency === e.currency && b.amount >= low && b.amount <= high && !found.includes(b))
            found.push(b);
        }
      }
    }
    for (const b of found) {
      if (b.day < dayFrom || b.day > dayTo) continue;
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

/** Rows read per word or reference of an entry without an account, from the start of its window. */
const TOKEN_SCAN_MAX = 400;

function hasReference(b: PreparedBank, e: PreparedExpected): boolean {
  return e.reference >= 0 && b.codes.includes(e.reference);
}
