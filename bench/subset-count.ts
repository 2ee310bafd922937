// Counting subsets that sum to a target, for the upper bound (upper-bound.ts). Three tools, from
// cheap to dear: an exchange search that proves a second subset exists by finding one, a
// bounded count of subsets of at most four rows, and an exact count over all subsets up to a
// size by a bit-parallel dynamic programme. Counts saturate at 2: the bound only asks whether
// the true subset is the only one. All amounts are integer cents.

/**
 * A second subset of the pool, other than the true one, of at most `cap` items summing to the
 * same total, found by exchanging up to three true items for up to three others. Finding one
 * proves the group ambiguous; not finding one proves nothing (the DP decides then). `found` is
 * null when `workLimit` steps ran out first.
 */
export function findOtherSubset(
  truthValues: readonly number[],
  otherValues: readonly number[],
  cap: number,
  workLimit: number,
): { found: boolean | null; work: number } {
  const counts = new Map<number, number>();
  for (const v of otherValues) counts.set(v, (counts.get(v) ?? 0) + 1);
  const distinct = [...counts.keys()];
  let sorted: number[] | null = null; // for three from the others, sorted when first needed
  const k = truthValues.length;
  let work = 0;
  /** Some b of the others (b ≤ 3) sum to t. */
  const othersSum = (t: number, b: number): boolean => {
    if (b === 1) return (counts.get(t) ?? 0) > 0;
    if (b === 2) {
      work += distinct.length;
      for (const x of distinct) {
        const y = t - x;
        const have = counts.get(y) ?? 0;
        if (y === x ? have >= 2 : have >= 1) return true;
      }
      return false;
    }
    work += (distinct.length * (distinct.length + 1)) / 2;
    // x ≤ y ≤ z over the sorted distinct values; a repeated value needs that many copies
    sorted ??= [...distinct].sort((a, b) => a - b);
    for (let i = 0; i < sorted.length; i++) {
      const x = sorted[i]!;
      for (let j = i; j < sorted.length; j++) {
        const y = sorted[j]!;
        const z = t - x - y;
        if (z < y) break; // y only grows from here
        const cz = counts.get(z) ?? 0;
        const ok = x === z ? cz >= 3 : x === y ? counts.get(x)! >= 2 && cz >= 1 : y === z ? cz >= 2 : cz >= 1;
        if (ok) return true;
      }
    }
    return false;
  };
  // Cheapest exchanges first: a dense pool yields a witness within the first few.
  const plan: [number, number][] = [
    [1, 1],
    [0, 1],
    [2, 1],
    [1, 2],
    [2, 2],
    [3, 1],
    [3, 2],
    [0, 2],
    [1, 0],
    [2, 0],
    [3, 0],
    [1, 3],
    [2, 3],
    [3, 3],
    [0, 3],
  ];
  for (const [a, b] of plan) {
    if (a > k || k - a + b > cap || k - a + b === 0) continue;
    // three from the others costs a square of the pool: only where that is small
    if (b === 3 && distinct.length > 120) continue;
    for (const sumA of subsetSums(truthValues, a)) {
      if (work > workLimit) return { found: null, work };
      work++;
      if (b === 0 ? sumA === 0 : othersSum(sumA, b)) return { found: true, work };
    }
  }
  return { found: false, work };
}

/** The sums of every a-item subset of `values` (a ≤ 3), one per subset. */
function subsetSums(values: readonly number[], a: number): number[] {
  const n = values.length;
  if (a === 0) return [0];
  const sums: number[] = [];
  for (let i = 0; i < n; i++) {
    if (a === 1) {
      sums.push(values[i]!);
      continue;
    }
    for (let j = i + 1; j < n; j++) {
      if (a === 2) {
        sums.push(values[i]! + values[j]!);
        continue;
      }
      for (let l = j + 1; l < n; l++) sums.push(values[i]! + values[j]! + values[l]!);
    }
  }
  return sums;
}

/**
 * How many subsets of `values` with 1 to `maxSize` (at most 4) items sum to `target`: 0, 1 or 2
 * (two or more). Each subset is counted once, by its highest-but-one index x: the items below x
 * are walked, the items above x are looked up in hashes (single values, and sums of pairs above
 * x). About n² steps; null when that would exceed `workLimit`.
 */
export function countSmallSubsets(
  values: readonly number[],
  target: number,
  maxSize: number,
  workLimit: number,
): 0 | 1 | 2 | null {
  if (maxSize > 4) throw new Error(`countSmallSubsets: at most 4 items, got ${maxSize}`);
  const n = values.length;
  if (n * n > workLimit) return null;
  // out of reach of any maxSize items: nothing to walk (a savings account's interest and fees)
  const ordered = [...values].sort((a, b) => a - b);
  let least = 0;
  let most = 0;
  for (let i = 0; i < Math.min(maxSize, n); i++) {
    least += Math.min(0, ordered[i]!);
    most += Math.max(0, ordered[n - 1 - i]!);
  }
  if (target < least || target > most) return 0;
  let count = values.filter((v) => v === target).length;
  const singles = new CountTable(n); // values at indices above x
  const pairs = new CountTable(maxSize >= 4 ? (n * (n - 1)) / 2 : 0); // sums of two of them
  for (let x = n - 1; x >= 0 && count < 2 && maxSize >= 2; x--) {
    const vx = values[x]!;
    count += singles.get(target - vx); // {x, y}
    for (let w = 0; w < x && count < 2 && maxSize >= 3; w++) {
      const rest = target - vx - values[w]!;
      count += singles.get(rest); // {w, x, y}
      if (maxSize >= 4) count += pairs.get(rest); // {w, x, y, z}
    }
    if (maxSize >= 4) for (let y = x + 1; y < n; y++) pairs.add(vx + values[y]!);
    singles.add(vx);
  }
  return count >= 2 ? 2 : (count as 0 | 1);
}

/**
 * Counts of integers in an open-addressing table: a Map of numbers costs several times as much
 * in the n² loop above, the upper bound's largest cost at 100,000 rows.
 */
class CountTable {
  private readonly keys: Float64Array;
  private readonly counts: Int32Array;
  private readonly mask: number;
  private readonly shift: number;

  constructor(capacity: number) {
    let bits = 4;
    while (2 ** bits < capacity * 2) bits++;
    this.keys = new Float64Array(2 ** bits);
    this.counts = new Int32Array(2 ** bits);
    this.mask = 2 ** bits - 1;
    this.shift = 32 - bits;
  }

  add(key: number): void {
    const i = this.slot(key);
    this.keys[i] = key;
    this.counts[i]!++;
  }

  get(key: number): number {
    return this.counts[this.slot(key)]!;
  }

  /** The key's slot, or the empty slot where it would go. */
  private slot(key: number): number {
    let i = Math.imul(key | 0, 0x9e3779b1) >>> this.shift; // the product's high bits mix best
    while (this.counts[i] !== 0 && this.keys[i] !== key) i = (i + 1) & this.mask;
    return i;
  }
}

/**
 * How many subsets of `values` with 1 to `cap` items sum to `target`: 0, 1 or 2 (two or more),
 * exactly. A dynamic programme over (size, sum) whose rows are bitsets in two planes (reached
 * once, reached twice or more), so one item updates 32 sums a machine word.
 *
 * Mixed signs: the negatives go first, so that partial sums stay within [low, 0] (low: the sum of
 * the `cap` most negative values); the positives then go largest first, and a partial sum above
 * the target is dropped (it can only grow). A partial sum too small to reach the target with the
 * slots and the items left is dropped too. Returns null when the estimated work (items × sizes ×
 * words) exceeds `workLimit`.
 */
export function countSubsetsExact(
  values: readonly number[],
  target: number,
  cap: number,
  workLimit: number,
): { count: 0 | 1 | 2; work: number } | null {
  const flip = target < 0 ? -1 : 1;
  const t = target * flip;
  const negatives = values.map((v) => v * flip).filter((v) => v < 0);
  negatives.sort((x, y) => x - y);
  let low = 0;
  for (let i = 0; i < Math.min(cap, negatives.length); i++) low += negatives[i]!;
  // a positive above t − low cannot be in any subset of at most cap items summing to t
  const positives = values.map((v) => v * flip).filter((v) => v >= 0 && v <= t - low);
  positives.sort((x, y) => y - x);
  const items = [...negatives, ...positives];
  const sizes = Math.min(cap, items.length);
  const width = t - low + 1;
  const words = (width + 31) >>> 5;
  const estimate = items.length * sizes * words;
  if (estimate > workLimit) return null;
  // The most the items from i on can add with r slots: the r largest positives left (the
  // positives go largest first, so those are the next r of them; negatives add nothing).
  const prefix = [0];
  for (const p of positives) prefix.push(prefix.at(-1)! + p);
  const reachFrom = (i: number, r: number): number => {
    const p = Math.max(0, i - negatives.length);
    return prefix[Math.min(positives.length, p + r)]! - prefix[p]!;
  };
  // Rows are padded with a zero word at each end, so that a shifted read never leaves the array;
  // words outside a row's active range [loW, hiW] are kept zero.
  const one = Array.from({ length: sizes + 1 }, () => new Int32Array(words + 2));
  const two = Array.from({ length: sizes + 1 }, () => new Int32Array(words + 2));
  const loW = new Int32Array(sizes + 1).fill(words);
  const hiW = new Int32Array(sizes + 1).fill(-1);
  const zero = -low;
  one[0]![(zero >>> 5) + 1] = 1 << (zero & 31);
  loW[0] = hiW[0] = zero >>> 5;
  let work = 0;
  for (let i = 0; i < items.length; i++) {
    const v = items[i]!;
    for (let j = Math.min(sizes - 1, i); j >= 0; j--) {
      // sums of j items that the rest (this one included) cannot lift to t are dead
      const floor = t - reachFrom(i, sizes - j) - low;
      const dead = Math.min(hiW[j]! + 1, (floor >> 5) - 1);
      if (dead > loW[j]!) {
        one[j]!.fill(0, loW[j]! + 1, dead + 1);
        two[j]!.fill(0, loW[j]! + 1, dead + 1);
        loW[j] = dead;
      }
      if (hiW[j]! < loW[j]!) continue;
      work += shiftOr(one[j]!, two[j]!, one[j + 1]!, two[j + 1]!, v, loW, hiW, j, words);
    }
  }
  const bit = t - low;
  let count = 0;
  for (let j = 1; j <= sizes; j++) {
    const w = (bit >>> 5) + 1;
    const mask = 1 << (bit & 31);
    if ((two[j]![w]! & mask) !== 0) count += 2;
    else if ((one[j]![w]! & mask) !== 0) count += 1;
  }
  return { count: count >= 2 ? 2 : (count as 0 | 1), work };
}

/**
 * Row j+1 |= row j shifted by v bits, in both planes: a sum reached twice, or reached once in
 * each of the two rows, is reached twice. Keeps the rows' active word ranges; returns the words
 * touched.
 */
function shiftOr(
  src1: Int32Array,
  src2: Int32Array,
  dst1: Int32Array,
  dst2: Int32Array,
  v: number,
  loW: Int32Array,
  hiW: Int32Array,
  j: number,
  words: number,
): number {
  const sl = loW[j]!;
  const sh = hiW[j]!;
  const up = v >= 0;
  const s = up ? v : -v;
  const ws = s >>> 5;
  const bs = s & 31;
  // the bits carried over from the neighbouring word; none when the shift is whole words
  const rs = (32 - bs) & 31;
  const carry = bs === 0 ? 0 : -1;
  const dlo = up ? sl + ws : Math.max(0, sl - ws - (carry & 1));
  const dhi = up ? Math.min(words - 1, sh + ws + (carry & 1)) : sh - ws;
  if (dhi < dlo) return 0;
  // padded indices: word w of a row is at w + 1
  if (up) {
    for (let w = dlo + 1, a = dlo + 1 - ws; w <= dhi + 1; w++, a++) {
      const x1 = (src1[a]! << bs) | ((src1[a - 1]! >>> rs) & carry);
      const x2 = (src2[a]! << bs) | ((src2[a - 1]! >>> rs) & carry);
      const d1 = dst1[w]!;
      dst2[w] = dst2[w]! | x2 | (d1 & x1);
      dst1[w] = d1 | x1;
    }
  } else {
    for (let w = dlo + 1, a = dlo + 1 + ws; w <= dhi + 1; w++, a++) {
      const x1 = (src1[a]! >>> bs) | ((src1[a + 1]! << rs) & carry);
      const x2 = (src2[a]! >>> bs) | ((src2[a + 1]! << rs) & carry);
      const d1 = dst1[w]!;
      dst2[w] = dst2[w]! | x2 | (d1 & x1);
      dst1[w] = d1 | x1;
    }
  }
  loW[j + 1] = Math.min(loW[j + 1]!, dlo);
  hiW[j + 1] = Math.max(hiW[j + 1]!, dhi);
  return dhi - dlo + 1;
}
