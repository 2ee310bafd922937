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
  readonly foreignMax: 0 | 1 | 2;
  /** How many deeper levels to explore after the first one with a solution (to find rivals). */
  readonly extraDepth: number;
  readonly solutionsMax: number;
  /** Bound on the subset sums kept while deepening. */
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
  const singles = new Map<number, number[]>();
  const pairs = new Map<number, number[]>();
  if (limits.foreignMax >= 1) for (let i = 0; i < foreign.length; i++) push(singles, foreign[i]!, i);
  if (limits.foreignMax >= 2) {
    for (let i = 0; i < foreign.length; i++) {
      for (let j = i + 1; j < foreign.length; j++) push(pairs, foreign[i]! + foreign[j]!, i * 65536 + j);
    }
  }
  // Subsets of the entries above the current depth: sum, bit mask and size, in parallel arrays.
  const sums: number[] = [0];
  const masks: number[] = [0];
  const sizes: number[] = [0];
  const found: Settlement[] = [];
  let firstDepth = 0;
  for (let depth = 1; depth <= own.length; depth++) {
    const amount = own[depth - 1]!;
    const bit = 2 ** (depth - 1);
    const count = sums.length;
    for (let s = 0; s < count && found.length < limits.solutionsMax; s++) {
      const size = sizes[s]! + 1;
      const remainder = target - sums[s]! - amount;
      const mask = masks[s]! + bit;
      if (remainder === 0 && size >= 2) found.push(settlement(mask, [], depth));
      if (size + 1 <= limits.sizeMax) {
        for (const i of singles.get(remainder) ?? []) found.push(settlement(mask, [i], depth));
      }
      if (size + 2 <= limits.sizeMax) {
        for (const p of pairs.get(remainder) ?? [])
          found.push(settlement(mask, [p >>> 16, p & 0xffff], depth));
      }
    }
    if (found.length > 0 && firstDepth === 0) firstDepth = depth;
    if (found.length >= limits.solutionsMax) break;
    if (firstDepth > 0 && depth >= firstDepth + limits.extraDepth) break;
    for (let s = 0; s < count && sums.length < limits.sumsMax; s++) {
      if (sizes[s]! + 1 > limits.sizeMax - 1) continue;
      sums.push(sums[s]! + amount);
      masks.push(masks[s]! + bit);
      sizes.push(sizes[s]! + 1);
    }
  }
  return found.slice(0, limits.solutionsMax);
}

function settlement(mask: number, foreign: number[], depth: number): Settlement {
  const own: number[] = [];
  for (let i = 0; i < depth; i++) if (Math.floor(mask / 2 ** i) % 2 === 1) own.push(i);
  return { own, foreign, depth };
}

function push(map: Map<number, number[]>, key: number, value: number): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}
