/**
 * Bounded exact subset-sum: which few items add up to a target, to the cent. Used for a
 * deposit that settles several invoices, a payout net of its fee row, or an invoice paid in
 * instalments. Bounded three ways so that it stays fast on any input: the subset size, the
 * number of opposite-sign items (fees, refunds) in a subset, and the search nodes visited.
 */
export interface SubsetLimits {
  readonly sizeMin: number;
  readonly sizeMax: number;
  /** At most this many items whose sign is opposite to the target's (a fee inside a payout). */
  readonly oppositeMax: number;
  /** Items flagged `weak` (e.g. rows whose account is unknown) allowed in one subset. */
  readonly weakMax: number;
  readonly solutionsMax: number;
  readonly nodesMax: number;
}

/**
 * @param amounts minor units, any sign; zero amounts are never used.
 * @param weak per item, whether it counts against `weakMax`.
 * @returns subsets as ascending item positions, at most `solutionsMax` of them.
 * @example findSubsets([500, 250, 300, -50], 700, [false, false, false, false], limits)
 *   // [[0, 1, 3], ...]: 500 + 250 - 50
 */
export function findSubsets(
  amounts: readonly number[],
  target: number,
  weak: readonly boolean[],
  limits: SubsetLimits,
): number[][] {
  if (target === 0) return [];
  const sign = Math.sign(target);
  const main: number[] = [];
  const opposite: number[] = [];
  amounts.forEach((a, i) => {
    if (a * sign > 0) main.push(i);
    else if (a * sign < 0) opposite.push(i);
  });
  // Largest first, so that the running bound below prunes early.
  main.sort((x, y) => amounts[y]! * sign - amounts[x]! * sign || x - y);
  const values = main.map((i) => amounts[i]! * sign);
  const solutions: number[][] = [];
  const state = { nodes: 0 };
  const chosen: number[] = [];
  const withOpposite = (start: number, taken: number, sum: number, weakCount: number): void => {
    searchMain(values, main, weak, target * sign - sum, limits, taken, weakCount, chosen, solutions, state);
    if (taken >= limits.oppositeMax) return;
    for (let k = start; k < opposite.length; k++) {
      const i = opposite[k]!;
      const w = weak[i] ? 1 : 0;
      if (weakCount + w > limits.weakMax) continue;
      chosen.push(i);
      withOpposite(k + 1, taken + 1, sum + amounts[i]! * sign, weakCount + w);
      chosen.pop();
      if (solutions.length >= limits.solutionsMax || state.nodes >= limits.nodesMax) return;
    }
  };
  withOpposite(0, 0, 0, 0);
  return solutions.map((s) => [...s].sort((a, b) => a - b));
}

function searchMain(
  values: readonly number[],
  main: readonly number[],
  weak: readonly boolean[],
  remaining: number,
  limits: SubsetLimits,
  baseCount: number,
  baseWeak: number,
  chosen: number[],
  solutions: number[][],
  state: { nodes: number },
): void {
  const suffixBest = (from: number, count: number): number => {
    let s = 0;
    for (let k = from; k < from + count && k < values.length; k++) s += values[k]!;
    return s;
  };
  const dfs = (from: number, rem: number, count: number, weakCount: number): void => {
    if (rem === 0) {
      if (count >= limits.sizeMin) solutions.push([...chosen]);
      return;
    }
    if (count >= limits.sizeMax || rem < 0) return;
    for (let k = from; k < values.length; k++) {
      if (++state.nodes > limits.nodesMax || solutions.length >= limits.solutionsMax) return;
      const v = values[k]!;
      if (v > rem) continue;
      // Values only shrink from here: if the largest ones left cannot reach rem, nothing can.
      if (suffixBest(k, limits.sizeMax - count) < rem) return;
      const i = main[k]!;
      const w = weak[i] ? 1 : 0;
      if (weakCount + w > limits.weakMax) continue;
      chosen.push(i);
      dfs(k + 1, rem - v, count + 1, weakCount + w);
      chosen.pop();
    }
  };
  dfs(0, remaining, baseCount, baseWeak);
}
