import { maxWeightMatching } from "./assign.js";
import { type BankIndex, type CandidateLimits, oneToOneCandidates } from "./candidates.js";
import { confidenceOf } from "./confidence.js";
import type { LagModel } from "./learned-lags.js";
import type { PreparedBank, PreparedExpected, Vocabulary } from "./prepare.js";
import { SCORE_ACCEPT_MIN } from "./score.js";

/** A chosen one-to-one pair with the evidence needed to explain it. */
export interface PairChoice {
  readonly bank: number;
  readonly expected: number;
  readonly score: number;
  readonly confidence: number;
  /** Neither row had another candidate: the pair says something about the books (learned-lags.ts). */
  readonly unrivalled: boolean;
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
  lags?: LagModel,
): PairChoice[] {
  const edges = oneToOneCandidates(bank, expected, index, vocabulary, limits, isOpenBank, lags);
  const weight = edges.score.map((s) => s - SCORE_ACCEPT_MIN + 1);
  // Entries that name their account first, if a component grows too large to solve at once.
  // `expected` may be some of the entries (a second pass): look them up by their index.
  const accountless = new Uint8Array(expected.length === 0 ? 0 : expected[expected.length - 1]!.index + 1);
  for (const e of expected) if (e.account === null) accountless[e.index] = 1;
  const tier = edges.expected.map((e) => accountless[e]!);
  const chosen = maxWeightMatching({ left: edges.bank, right: edges.expected, weight, tier });
  const byBank = new TopTwo(bank.length);
  const byExpected = new TopTwo(accountless.length);
  for (let k = 0; k < edges.score.length; k++) {
    byBank.add(edges.bank[k]!, edges.score[k]!);
    byExpected.add(edges.expected[k]!, edges.score[k]!);
  }
  return chosen.map((k) => {
    const score = edges.score[k]!;
    const rival = Math.max(byBank.rival(edges.bank[k]!, score), byExpected.rival(edges.expected[k]!, score));
    return {
      bank: edges.bank[k]!,
      expected: edges.expected[k]!,
      score,
      confidence: confidenceOf(score, rival === Number.NEGATIVE_INFINITY ? null : rival),
      unrivalled: rival === Number.NEGATIVE_INFINITY,
    };
  });
}

/** The two best scores seen per row, in flat arrays (one pair per row, no allocation per edge). */
class TopTwo {
  private readonly first: Float64Array;
  private readonly second: Float64Array;
  constructor(rows: number) {
    this.first = new Float64Array(rows).fill(Number.NEGATIVE_INFINITY);
    this.second = new Float64Array(rows).fill(Number.NEGATIVE_INFINITY);
  }
  add(row: number, score: number): void {
    if (score > this.first[row]!) {
      this.second[row] = this.first[row]!;
      this.first[row] = score;
    } else if (score > this.second[row]!) this.second[row] = score;
  }
  /** The best score of the row's other candidates (-Infinity when it had none). */
  rival(row: number, own: number): number {
    return this.first[row] === own ? this.second[row]! : this.first[row]!;
  }
}
