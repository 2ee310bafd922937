import { maxWeightMatching } from "./assign.js";
import { type BankIndex, type CandidateLimits, oneToOneCandidates } from "./candidates.js";
import { confidenceOf } from "./confidence.js";
import type { PreparedBank, PreparedExpected, Vocabulary } from "./prepare.js";
import { SCORE_ACCEPT_MIN } from "./score.js";

/** A chosen one-to-one pair with the evidence needed to explain it. */
export interface PairChoice {
  readonly bank: number;
  readonly expected: number;
  readonly score: number;
  readonly confidence: number;
}

/**
 * Candidates, then the optimal assignment, then a confidence per chosen pair from its best
 * rival (the strongest other candidate either row had).
 */
export function matchOneToOne(
  bank: readonly PreparedBank[],
  expected: readonly PreparedExpected[],
  index: BankIndex,
  vocabulary: Vocabulary,
  limits: CandidateLimits,
  isOpenBank?: (i: number) => boolean,
): PairChoice[] {
  const edges = oneToOneCandidates(bank, expected, index, vocabulary, limits, isOpenBank);
  const weight = edges.score.map((s) => s - SCORE_ACCEPT_MIN + 1);
  // Entries that name their account first, if a component grows too large to solve at once.
  const tier = edges.expected.map((e) => (expected[e]!.account === null ? 1 : 0));
  const chosen = maxWeightMatching({ left: edges.bank, right: edges.expected, weight, tier });
  const bestByBank = new Map<number, [number, number]>();
  const bestByExpected = new Map<number, [number, number]>();
  for (let k = 0; k < edges.score.length; k++) {
    track(bestByBank, edges.bank[k]!, edges.score[k]!);
    track(bestByExpected, edges.expected[k]!, edges.score[k]!);
  }
  return chosen.map((k) => {
    const score = edges.score[k]!;
    const rival = Math.max(
      rivalOf(bestByBank.get(edges.bank[k]!)!, score),
      rivalOf(bestByExpected.get(edges.expected[k]!)!, score),
    );
    return {
      bank: edges.bank[k]!,
      expected: edges.expected[k]!,
      score,
      confidence: confidenceOf(score, rival === Number.NEGATIVE_INFINITY ? null : rival),
    };
  });
}

/** Keeps the two best scores seen per row. */
function track(map: Map<number, [number, number]>, key: number, score: number): void {
  const top = map.get(key);
  if (top === undefined) map.set(key, [score, Number.NEGATIVE_INFINITY]);
  else if (score > top[0]) map.set(key, [score, top[0]]);
  else if (score > top[1]) top[1] = score;
}

function rivalOf(top: [number, number], own: number): number {
  return top[0] === own ? top[1] : top[0];
}
