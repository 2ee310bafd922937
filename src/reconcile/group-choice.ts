import { confidenceOf } from "./confidence.js";
import { pushTo } from "./multimap.js";
import { packSets } from "./set-packing.js";
import { firstAbove } from "./sorted.js";
import type { MatchReason } from "./types.js";

/**
 * A proposed group match: rows on each side (indices), its score, and the reasons for it,
 * written out only for the candidates finally chosen (thousands are proposed per run).
 */
export interface GroupCandidate {
  readonly bank: readonly number[];
  readonly expected: readonly number[];
  readonly score: number;
  readonly explain: () => MatchReason[];
}

export interface GroupLimits {
  readonly sizeMax: number;
  readonly dateWindowBeforeDays: number;
  readonly dateWindowAfterDays: number;
}

export interface ChosenGroup {
  readonly candidate: GroupCandidate;
  readonly confidence: number;
}

/** A group scoring below this is not proposed: leaving its rows open is better. */
export const GROUP_ACCEPT_MIN = 25;
/** Above this many expected coincidences an exact sum proves nothing. */
export const COINCIDENCE_MAX = 5;

/**
 * How many subsets like this one would add up to the target by chance: the number of subsets
 * of the pools with as many entries, spread over no more days (a scan statistic: a settlement
 * covers a short period, so entries scattered over weeks are weaker evidence), over the number
 * of distinct sums they could take. Below ~0.01 an exact sum is strong evidence; near 1 it is
 * noise.
 *
 * It runs for every exact sum a search finds (millions at a million rows), so the pools' days
 * come sorted, once per pool: then each count is a moving window or a binary search rather
 * than a pass over the pool per entry. The counts are whole numbers, so their order of
 * summing changes nothing.
 *
 * @param ownDays the own pool's days, ascending; @param foreignDays the foreign pool's, ascending.
 */
export function coincidenceExpectation(
  ownDays: ArrayLike<number>,
  ownCount: number,
  foreignDays: ArrayLike<number>,
  foreignCount: number,
  dayFirst: number,
  dayLast: number,
  targetMinor: number,
): number {
  const span = dayLast - dayFirst;
  let ownShapes = ownCount === 0 ? 1 : 0;
  if (ownCount > 0) {
    // For each entry as the start of a window `span` days long, the entries in that window
    // (all of that day's, the start's own included), choose the others from them.
    let sameDayFirst = 0;
    let end = 0;
    for (let i = 0; i < ownDays.length; i++) {
      const start = ownDays[i]!;
      if (i > 0 && start !== ownDays[i - 1]) sameDayFirst = i;
      while (end < ownDays.length && ownDays[end]! <= start + span) end++;
      ownShapes += choose(end - sameDayFirst - 1, ownCount - 1);
    }
  }
  const dayAt = (k: number) => foreignDays[k]!;
  const foreignInSpan =
    firstAbove(foreignDays.length, dayAt, dayLast) - firstAbove(foreignDays.length, dayAt, dayFirst - 1);
  return (ownShapes * choose(foreignInSpan, foreignCount)) / Math.max(Math.abs(targetMinor), 100);
}

/** The days, ascending, in a new typed array (the caller's order is kept). */
export function ascendingDays(days: readonly number[]): Float64Array {
  return Float64Array.from(days).sort();
}

/** n choose k, as a float (only used for estimates). */
export function choose(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  let c = 1;
  for (let i = 1; i <= k; i++) c = (c * (n - k + i)) / i;
  return c;
}

/** Points lost (or, below 0.01, won) for how likely an exact sum is to be a coincidence. */
export function coincidencePenalty(expectation: number): number {
  return 8 * (Math.log10(Math.max(expectation, 1e-4)) + 2);
}

/**
 * Chooses disjoint candidates of greatest total score. Candidates that share a row form a
 * conflict component; small components are solved exactly, large ones greedily by score.
 */
export function chooseGroups(candidates: readonly GroupCandidate[]): ChosenGroup[] {
  // Rows as one key space: bank rows even, expected entries odd.
  const items = candidates.map((c) => ({
    rows: [...c.bank.map((b) => 2 * b), ...c.expected.map((e) => 2 * e + 1)],
    weight: c.score - GROUP_ACCEPT_MIN + 1,
  }));
  const byRow = new Map<number, number[]>();
  items.forEach((item, i) => {
    for (const r of item.rows) {
      pushTo(byRow, r, i);
    }
  });
  return packSets(items).map((i) => {
    const c = candidates[i]!;
    // The strongest other candidate that wanted one of its rows, if any.
    let rival: number | null = null;
    for (const r of items[i]!.rows) {
      for (const j of byRow.get(r)!) if (j !== i) rival = Math.max(rival ?? 0, candidates[j]!.score);
    }
    return { candidate: c, confidence: confidenceOf(c.score, rival) };
  });
}
