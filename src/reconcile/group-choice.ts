import { confidenceOf } from "./confidence.js";
import type { MatchReason } from "./types.js";

/** A proposed group match: rows on each side (indices), its score and the reasons for it. */
export interface GroupCandidate {
  readonly bank: readonly number[];
  readonly expected: readonly number[];
  readonly score: number;
  readonly reasons: MatchReason[];
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
export const GROUP_ACCEPT_MIN = 30;
/** Above this many expected coincidences an exact sum proves nothing. */
export const COINCIDENCE_MAX = 5;

/**
 * How many subsets like this one would add up to the target by chance: the number of subsets
 * of the pools with as many entries, spread over no more days (a scan statistic: a settlement
 * covers a short period, so entries scattered over weeks are weaker evidence), over the number
 * of distinct sums they could take. Below ~0.01 an exact sum is strong evidence; near 1 it is
 * noise.
 *
 * @param ownDays the own pool's days; @param foreignDays the foreign pool's days.
 */
export function coincidenceExpectation(
  ownDays: readonly number[],
  ownCount: number,
  foreignDays: readonly number[],
  foreignCount: number,
  dayFirst: number,
  dayLast: number,
  targetMinor: number,
): number {
  const span = dayLast - dayFirst;
  let ownShapes = ownCount === 0 ? 1 : 0;
  if (ownCount > 0) {
    for (const start of ownDays) {
      let inSpan = 0;
      for (const d of ownDays) if (d >= start && d <= start + span) inSpan++;
      ownShapes += choose(inSpan - 1, ownCount - 1);
    }
  }
  let foreignInSpan = 0;
  for (const d of foreignDays) if (d >= dayFirst && d <= dayLast) foreignInSpan++;
  return (ownShapes * choose(foreignInSpan, foreignCount)) / Math.max(Math.abs(targetMinor), 100);
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
  const order = candidates
    .map((_, i) => i)
    .sort((x, y) => candidates[y]!.score - candidates[x]!.score || x - y);
  const components = conflictComponents(candidates);
  const chosen: ChosenGroup[] = [];
  for (const members of components) {
    const sorted = order.filter((i) => members.has(i));
    const picked = sorted.length <= 18 ? exactBest(candidates, sorted) : greedy(candidates, sorted);
    for (const i of picked) {
      const c = candidates[i]!;
      const rival = sorted.find((j) => j !== i && overlaps(c, candidates[j]!));
      chosen.push({
        candidate: c,
        confidence: confidenceOf(c.score, rival === undefined ? null : candidates[rival]!.score),
      });
    }
  }
  return chosen;
}

function overlaps(a: GroupCandidate, b: GroupCandidate): boolean {
  return a.bank.some((x) => b.bank.includes(x)) || a.expected.some((x) => b.expected.includes(x));
}

function conflictComponents(candidates: readonly GroupCandidate[]): Set<number>[] {
  const parent = candidates.map((_, i) => i);
  const find = (x: number): number => (parent[x] === x ? x : (parent[x] = find(parent[x]!)));
  const owner = new Map<string, number>();
  candidates.forEach((c, i) => {
    for (const key of [...c.bank.map((b) => `b${b}`), ...c.expected.map((e) => `e${e}`)]) {
      const j = owner.get(key);
      if (j === undefined) owner.set(key, i);
      else parent[find(i)] = find(j);
    }
  });
  const groups = new Map<number, Set<number>>();
  candidates.forEach((_, i) => {
    const root = find(i);
    let set = groups.get(root);
    if (set === undefined) groups.set(root, (set = new Set()));
    set.add(i);
  });
  return [...groups.values()];
}

function greedy(candidates: readonly GroupCandidate[], sorted: readonly number[]): number[] {
  const picked: number[] = [];
  for (const i of sorted) if (picked.every((j) => !overlaps(candidates[i]!, candidates[j]!))) picked.push(i);
  return picked;
}

/** Maximum-weight set of pairwise disjoint candidates, by branch and bound (small inputs only). */
function exactBest(candidates: readonly GroupCandidate[], sorted: readonly number[]): number[] {
  let best: number[] = [];
  let bestScore = -1;
  const current: number[] = [];
  const gain = (i: number) => candidates[i]!.score - GROUP_ACCEPT_MIN + 1;
  const suffix = sorted.map((_, k) => sorted.slice(k).reduce((s, i) => s + gain(i), 0));
  const visit = (k: number, score: number): void => {
    if (score > bestScore) {
      bestScore = score;
      best = [...current];
    }
    if (k >= sorted.length || score + suffix[k]! <= bestScore) return;
    const i = sorted[k]!;
    if (current.every((j) => !overlaps(candidates[i]!, candidates[j]!))) {
      current.push(i);
      visit(k + 1, score + gain(i));
      current.pop();
    }
    visit(k + 1, score);
  };
  visit(0, 0);
  return best;
}

export function round(x: number): number {
  return Math.round(x * 100) / 100;
}
