/**
 * How many non-empty subsets of `amounts` add up exactly to `target` (0, 1, or 2 meaning "more
 * than one"), and the first one found. Meet in the middle: every sum of each half, the left's
 * in a map, each right sum looked up; 2 × 2^(n/2) sums instead of 2^n. For pools of up to ~24.
 *
 * @example countSubsetSums([300, 500, 250], 800) // { count: 1, first: [0, 1] }
 */
export function countSubsetSums(
  amounts: readonly number[],
  target: number,
): { count: 0 | 1 | 2; first: number[] | null } {
  const n = amounts.length;
  if (n > 30) throw new RangeError(`countSubsetSums: ${n} amounts is too many to count every subset`);
  const half = n >>> 1;
  const left = sumsOf(amounts, 0, half);
  const right = sumsOf(amounts, half, n);
  // Left sums: how many masks give each, and the first one.
  const bySum = new Map<number, number>();
  const firstMask = new Map<number, number>();
  for (let mask = 0; mask < left.length; mask++) {
    const s = left[mask]!;
    const seen = bySum.get(s);
    if (seen === undefined) {
      bySum.set(s, 1);
      firstMask.set(s, mask);
    } else bySum.set(s, seen + 1);
  }
  let count = 0;
  let first: number[] | null = null;
  for (let mask = 0; mask < right.length; mask++) {
    const want = target - right[mask]!;
    let ways = bySum.get(want);
    if (ways === undefined) continue;
    // The empty set on both sides is not a subset anyone means.
    if (mask === 0 && want === 0) ways--;
    if (ways <= 0) continue;
    count += ways;
    if (first === null) {
      let leftMask = firstMask.get(want)!;
      if (mask === 0 && leftMask === 0) leftMask = secondMask(left, want);
      first = [...bits(leftMask, 0), ...bits(mask, half)];
    }
    if (count > 1) return { count: 2, first: null };
  }
  return { count: count as 0 | 1, first };
}

function sumsOf(amounts: readonly number[], from: number, to: number): Float64Array {
  const size = to - from;
  const sums = new Float64Array(1 << size);
  for (let i = 0; i < size; i++) {
    const bit = 1 << i;
    const amount = amounts[from + i]!;
    for (let mask = 0; mask < bit; mask++) sums[mask | bit] = sums[mask]! + amount;
  }
  return sums;
}

function secondMask(sums: Float64Array, sum: number): number {
  for (let mask = 1; mask < sums.length; mask++) if (sums[mask] === sum) return mask;
  return 0;
}

function bits(mask: number, offset: number): number[] {
  const out: number[] = [];
  for (let i = 0; mask !== 0; i++, mask >>>= 1) if (mask & 1) out.push(offset + i);
  return out;
}
