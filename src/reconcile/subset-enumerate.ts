/**
 * Exact sums drawn from two pools: a small "own" pool (rows in the same account, nearest first)
 * searched exhaustively, and a larger "foreign" pool (rows whose account is unknown) from which
 * at most two rows may join, found by hashing single amounts and pair sums. This finds a payout
 * whose sales partly lack an account without trying every combination of a crowded window.
 */
export interface TwoPoolLimits {
  readonly sizeMax: number;
  readonly foreignMax: 0 | 1 | 2;
  readonly solutionsMax: number;
}

export interface TwoPoolSolution {
  /** Positions in the own pool, ascending. */
  readonly own: number[];
  /** Positions in the foreign pool, ascending. */
  readonly foreign: number[];
}

/**
 * @example findTwoPoolSums([500, 250], [300, -50], 700, { sizeMax: 4, foreignMax: 1, solutionsMax: 4 })
 *   // [{ own: [0, 1], foreign: [1] }]
 */
export function findTwoPoolSums(
  own: readonly number[],
  foreign: readonly number[],
  target: number,
  limits: TwoPoolLimits,
): TwoPoolSolution[] {
  const singles = new Map<number, number[]>();
  const pairs = new Map<number, [number, number][]>();
  if (limits.foreignMax >= 1) for (let i = 0; i < foreign.length; i++) push(singles, foreign[i]!, i);
  if (limits.foreignMax >= 2) {
    for (let i = 0; i < foreign.length; i++) {
      for (let j = i + 1; j < foreign.length; j++) push(pairs, foreign[i]! + foreign[j]!, [i, j]);
    }
  }
  const solutions: TwoPoolSolution[] = [];
  const chosen: number[] = [];
  const visit = (from: number, sum: number): boolean => {
    const size = chosen.length;
    const remainder = target - sum;
    if (remainder === 0 && size >= 2) solutions.push({ own: [...chosen], foreign: [] });
    if (size + 1 <= limits.sizeMax && size + 1 >= 2) {
      for (const i of singles.get(remainder) ?? []) solutions.push({ own: [...chosen], foreign: [i] });
    }
    if (size + 2 <= limits.sizeMax) {
      for (const p of pairs.get(remainder) ?? []) solutions.push({ own: [...chosen], foreign: [...p] });
    }
    if (solutions.length >= limits.solutionsMax) return false;
    if (size >= limits.sizeMax) return true;
    for (let k = from; k < own.length; k++) {
      chosen.push(k);
      const go = visit(k + 1, sum + own[k]!);
      chosen.pop();
      if (!go) return false;
    }
    return true;
  };
  visit(0, 0);
  return solutions.slice(0, limits.solutionsMax);
}

function push<T>(map: Map<number, T[]>, key: number, value: T): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

/** n choose k, as a float (only used for estimates). */
export function choose(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  let c = 1;
  for (let i = 1; i <= k; i++) c = (c * (n - k + i)) / i;
  return c;
}

/**
 * How many subsets of the same shape would be expected to hit the target by chance: the
 * number of such subsets over the number of distinct sums they could take. Below ~0.01 an
 * exact sum is evidence; near 1 it is noise.
 */
export function coincidenceExpectation(
  ownRank: number,
  ownCount: number,
  foreignPool: number,
  foreignCount: number,
  targetMinor: number,
): number {
  const shapes = choose(ownRank, ownCount) * choose(foreignPool, foreignCount);
  return shapes / Math.max(Math.abs(targetMinor), 100);
}
