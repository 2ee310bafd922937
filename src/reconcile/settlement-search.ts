/**
 * Which open entries does one settlement add up to? A payout or a customer's payment settles
 * the oldest open entries first, so the pool is given oldest first and the search deepens one
 * entry at a time: it first tries subsets of the 2 oldest, then of the 3 oldest, and so on,
 * and stops a little after the first depth that has an exact sum. Solutions that use only
 * the oldest entries are both the likeliest and the least likely to be coincidences.
 *
 * Entries from a second pool (rows whose account is unknown) may join, at most two, found by
 * hashing their amounts and pair sums.
 */
export interface SettlementLimits {
  readonly sizeMax: number;
  readonly foreignMax: 0 | 1 | 2 | 3;
  /** How many deeper levels to explore after the first one with a solution (to find rivals). */
  readonly extraDepth: number;
  readonly solutionsMax: number;
  /** Bound on the foreign pairs considered (nearest pool rows first). Default: no bound. */
  readonly foreignPairsMax?: number;
  /** Which foreign rows may go together (e.g. dated close to each other). Default: any. */
  readonly foreignTogether?: (i: number, j: number) => boolean;
  /** Bound on the subset sums kept while deepening (at most 2^24). */
  readonly sumsMax: number;
}

export interface Settlement {
  /** Positions in the own pool, ascending. */
  readonly own: number[];
  /** Positions in the foreign pool, ascending. */
  readonly foreign: number[];
  /** 1 + the deepest own position used: how far down the pool the search had to go. */
  readonly depth: number;
}

/** Foreign triples are drawn from this many foreign rows at most. */
export const FOREIGN_TRIPLE_POOL_MAX = 16;

/** At most 30 own entries: subsets are kept as bit masks. */
export const SETTLEMENT_POOL_MAX = 30;

/**
 * @example searchSettlements([300, 500, 250, 900], [], 800, limits) // [{ own: [0, 1], foreign: [], depth: 2 }, ...]
 */
export function searchSettlements(
  own: readonly number[],
  foreign: readonly number[],
  target: number,
  limits: SettlementLimits,
): Settlement[] {
  if (own.length > SETTLEMENT_POOL_MAX) throw new RangeError(`own pool over ${SETTLEMENT_POOL_MAX}`);
  if (limits.solutionsMax <= 0) return [];
  // Remainders that foreign rows can fill: none, any single row, any pair.
  const fillAmounts: number[] = [0];
  const fillRows: number[][] = [[]];
  if (limits.foreignMax >= 1) {
    for (let i = 0; i < foreign.length; i++) {
      fillAmounts.push(foreign[i]!);
      fillRows.push([i]);
    }
  }
  const together = limits.foreignTogether ?? (() => true);
  const pairsMax = limits.foreignPairsMax ?? Number.POSITIVE_INFINITY;
  let pairs = 0;
  if (limits.foreignMax >= 2) {
    for (let j = 1; j < foreign.length && pairs < pairsMax; j++) {
      for (let i = 0; i < j && pairs < pairsMax; i++) {
        if (!together(i, j)) continue;
        fillAmounts.push(foreign[i]! + foreign[j]!);
        fillRows.push([i, j]);
        pairs++;
      }
    }
  }
  // Triples only among the first rows of the foreign pool: their number grows with the cube.
  const tripleRows = Math.min(foreign.length, FOREIGN_TRIPLE_POOL_MAX);
  if (limits.foreignMax >= 3) {
    for (let i = 0; i < tripleRows; i++) {
      for (let j = i + 1; j < tripleRows; j++) {
        for (let k = j + 1; k < tripleRows; k++) {
          if (!together(i, j) || !together(j, k) || !together(i, k)) continue;
          fillAmounts.push(foreign[i]! + foreign[j]! + foreign[k]!);
          fillRows.push([i, j, k]);
        }
      }
    }
  }
  // Subsets of the entries above the current depth, in a hash table keyed by their sum.
  const sums = new SumTable(tableCapacity(own.length, limits));
  sums.add(0, 0, 0);
  const found: Settlement[] = [];
  let fillsByAmount: Map<number, number[]> | undefined;
  let firstDepth = 0;
  for (let depth = 1; depth <= own.length; depth++) {
    const amount = own[depth - 1]!;
    const bit = 2 ** (depth - 1);
    // Each solution at this depth takes the entry at this depth plus a subset above it, plus a
    // fill; look up whichever side is smaller in the other.
    const accept = (k: number, f: number): boolean => {
      const rows = fillRows[f]!;
      const size = sums.size(k) + 1 + rows.length;
      if (size < 2 || size > limits.sizeMax) return true;
      found.push(settlement(sums.mask(k) + bit, rows, depth));
      return found.length < limits.solutionsMax;
    };
    if (fillAmounts.length <= sums.count) {
      for (let f = 0; f < fillAmounts.length; f++) {
        const wanted = target - amount - fillAmounts[f]!;
        for (let k = sums.first(wanted); k !== -1; k = sums.next(k, wanted)) if (!accept(k, f)) return found;
      }
    } else {
      fillsByAmount ??= indexFills(fillAmounts);
      for (let k = 0; k < sums.count; k++) {
        const fills = fillsByAmount.get(target - amount - sums.sum(k));
        if (fills !== undefined) for (const f of fills) if (!accept(k, f)) return found;
      }
    }
    if (found.length > 0 && firstDepth === 0) firstDepth = depth;
    if (firstDepth > 0 && depth >= firstDepth + limits.extraDepth) break;
    const count = sums.count;
    for (let k = 0; k < count && sums.count < limits.sumsMax; k++) {
      if (sums.size(k) + 1 > limits.sizeMax - 1) continue;
      sums.add(sums.sum(k) + amount, sums.mask(k) + bit, sums.size(k) + 1);
    }
  }
  return found;
}

function indexFills(amounts: readonly number[]): Map<number, number[]> {
  const map = new Map<number, number[]>();
  amounts.forEach((amount, f) => {
    const list = map.get(amount);
    if (list === undefined) map.set(amount, [f]);
    else list.push(f);
  });
  return map;
}

/** As many subset sums as can exist (sizes up to sizeMax - 1), within sumsMax and 2^24. */
function tableCapacity(n: number, limits: SettlementLimits): number {
  let subsets = 0;
  let c = 1;
  for (let k = 0; k <= Math.min(n, limits.sizeMax - 1); k++) {
    subsets += c;
    c = (c * (n - k)) / (k + 1);
  }
  return Math.max(1, Math.min(limits.sumsMax, subsets, SUMS_HARD_MAX));
}

const SUMS_HARD_MAX = 2 ** 24;

/**
 * Subset sums in typed arrays with chained hashing: no allocation per entry, and all buffers
 * are reused across searches (a generation stamp marks which buckets are current), because the
 * engine runs a search for every open bank row. One search at a time: it is synchronous.
 */
class SumTable {
  private static bucketsHead = new Int32Array(0);
  private static bucketsStamp = new Int32Array(0);
  private static generation = 0;
  private static entrySums = new Float64Array(0);
  private static entryMasks = new Float64Array(0);
  private static entrySizes = new Uint8Array(0);
  private static entryChain = new Int32Array(0);
  private readonly sums: Float64Array;
  private readonly masks: Float64Array;
  private readonly sizes: Uint8Array;
  private readonly chain: Int32Array;
  private readonly bits: number;
  private readonly stamp: number;
  count = 0;

  constructor(capacity: number) {
    if (SumTable.entrySums.length < capacity) {
      SumTable.entrySums = new Float64Array(capacity);
      SumTable.entryMasks = new Float64Array(capacity);
      SumTable.entrySizes = new Uint8Array(capacity);
      SumTable.entryChain = new Int32Array(capacity);
    }
    this.sums = SumTable.entrySums;
    this.masks = SumTable.entryMasks;
    this.sizes = SumTable.entrySizes;
    this.chain = SumTable.entryChain;
    this.bits = Math.max(4, Math.ceil(Math.log2(capacity * 2)));
    if (SumTable.bucketsHead.length < 2 ** this.bits) {
      SumTable.bucketsHead = new Int32Array(2 ** this.bits);
      SumTable.bucketsStamp = new Int32Array(2 ** this.bits);
      SumTable.generation = 0;
    }
    this.stamp = ++SumTable.generation;
  }

  add(sum: number, mask: number, size: number): void {
    const k = this.count++;
    this.sums[k] = sum;
    this.masks[k] = mask;
    this.sizes[k] = size;
    const bucket = this.bucket(sum);
    const current = SumTable.bucketsStamp[bucket] === this.stamp;
    this.chain[k] = current ? SumTable.bucketsHead[bucket]! : -1;
    SumTable.bucketsHead[bucket] = k;
    SumTable.bucketsStamp[bucket] = this.stamp;
  }

  first(sum: number): number {
    const bucket = this.bucket(sum);
    if (SumTable.bucketsStamp[bucket] !== this.stamp) return -1;
    return this.seek(SumTable.bucketsHead[bucket]!, sum);
  }

  next(k: number, sum: number): number {
    return this.seek(this.chain[k]!, sum);
  }

  sum(k: number): number {
    return this.sums[k]!;
  }
  mask(k: number): number {
    return this.masks[k]!;
  }
  size(k: number): number {
    return this.sizes[k]!;
  }

  private seek(k: number, sum: number): number {
    while (k !== -1 && this.sums[k] !== sum) k = this.chain[k]!;
    return k;
  }

  private bucket(sum: number): number {
    const mixed = (sum | 0) ^ ((sum / 4294967296) | 0);
    return Math.imul(mixed, 0x9e3779b1) >>> (32 - this.bits);
  }
}

function settlement(mask: number, foreign: number[], depth: number): Settlement {
  const own: number[] = [];
  for (let i = 0; i < depth; i++) if (Math.floor(mask / 2 ** i) % 2 === 1) own.push(i);
  return { own, foreign, depth };
}
