/**
 * Weighted set packing: choose pairwise disjoint sets (candidates sharing no row) of greatest
 * total weight. NP-hard in general; here the inputs are conflict components of group
 * candidates. Small components are solved exactly by branch and bound; larger ones greedily by
 * weight and then improved by exchanges: bring in a candidate, drop what it conflicts with, and
 * refill the freed rows with their best remaining candidates, whenever that gains weight.
 */
export interface PackingItem {
  /** Row keys the candidate uses; two candidates conflict when they share a key. */
  readonly rows: readonly number[];
  /** > 0. */
  readonly weight: number;
}

const EXACT_MAX = 18;
const EXCHANGE_PASSES_MAX = 4;

/**
 * @returns indices of the chosen items, ascending.
 * @example packSets([{ rows: [1, 2], weight: 5 }, { rows: [2], weight: 3 }, { rows: [1], weight: 3 }]) // [1, 2]
 */
export function packSets(items: readonly PackingItem[]): number[] {
  const order = items.map((_, i) => i).sort((a, b) => items[b]!.weight - items[a]!.weight || a - b);
  const picked =
    items.length <= EXACT_MAX ? exact(items, order) : improve(items, order, greedy(items, order));
  return picked.sort((a, b) => a - b);
}

function greedy(items: readonly PackingItem[], order: readonly number[]): Set<number> {
  const used = new Set<number>();
  const picked = new Set<number>();
  for (const i of order) {
    const rows = items[i]!.rows;
    if (rows.some((r) => used.has(r))) continue;
    for (const r of rows) used.add(r);
    picked.add(i);
  }
  return picked;
}

/**
 * Exchanges until a pass gains nothing. Rows are numbered densely once and kept in typed
 * arrays (who owns each row, which candidates want it): a large conflict component has tens of
 * thousands of candidates, each tried every pass.
 */
function improve(items: readonly PackingItem[], order: readonly number[], greedyPick: Set<number>): number[] {
  const rows = denseRows(items);
  const owner = new Int32Array(rows.count).fill(-1);
  const picked = new Uint8Array(items.length);
  // Candidates wanting each row, heaviest first: CSR arrays, `wanting` from `wantingStart[r]`.
  const wantingStart = new Int32Array(rows.count + 1);
  for (const i of order) for (const r of rows.of[i]!) wantingStart[r + 1]!++;
  for (let r = 0; r < rows.count; r++) wantingStart[r + 1]! += wantingStart[r]!;
  const wanting = new Int32Array(wantingStart[rows.count]!);
  const filled = wantingStart.slice(0, rows.count);
  for (const i of order) for (const r of rows.of[i]!) wanting[filled[r]!++] = i;

  const fits = (i: number): boolean => {
    for (const r of rows.of[i]!) if (owner[r] !== -1) return false;
    return true;
  };
  const take = (i: number): void => {
    picked[i] = 1;
    for (const r of rows.of[i]!) owner[r] = i;
  };
  const drop = (i: number): void => {
    picked[i] = 0;
    for (const r of rows.of[i]!) owner[r] = -1;
  };
  for (const i of greedyPick) take(i);
  const conflicts: number[] = [];
  const refilled: number[] = [];
  for (let pass = 0, changed = true; changed && pass < EXCHANGE_PASSES_MAX; pass++) {
    changed = false;
    for (const i of order) {
      if (picked[i] === 1) continue;
      // The chosen candidates sharing a row with i, in the order of i's rows.
      conflicts.length = 0;
      for (const r of rows.of[i]!) {
        const j = owner[r]!;
        if (j !== -1 && !conflicts.includes(j)) conflicts.push(j);
      }
      let loss = 0;
      for (const j of conflicts) loss += items[j]!.weight;
      for (const j of conflicts) drop(j);
      take(i);
      let gain = items[i]!.weight - loss;
      refilled.length = 0;
      for (const j of conflicts) {
        for (const r of rows.of[j]!) {
          for (let w = wantingStart[r]!; w < wantingStart[r + 1]!; w++) {
            const k = wanting[w]!;
            if (picked[k] === 1 || !fits(k)) continue;
            take(k);
            refilled.push(k);
            gain += items[k]!.weight;
          }
        }
      }
      if (gain > 1e-9) {
        changed = true;
        continue;
      }
      for (const k of refilled) drop(k);
      drop(i);
      for (const j of conflicts) take(j);
    }
  }
  const out: number[] = [];
  for (let i = 0; i < items.length; i++) if (picked[i] === 1) out.push(i);
  return out;
}

/** Each item's rows renumbered 0, 1, 2... in order of first use. */
function denseRows(items: readonly PackingItem[]): { of: Int32Array[]; count: number } {
  const ids = new Map<number, number>();
  const of = items.map((item) => {
    const dense = new Int32Array(item.rows.length);
    for (let k = 0; k < item.rows.length; k++) {
      const r = item.rows[k]!;
      let id = ids.get(r);
      if (id === undefined) {
        id = ids.size;
        ids.set(r, id);
      }
      dense[k] = id;
    }
    return dense;
  });
  return { of, count: ids.size };
}

/** Branch and bound over items in descending weight (small inputs only). */
function exact(items: readonly PackingItem[], order: readonly number[]): number[] {
  let best: number[] = [];
  let bestWeight = -1;
  const current: number[] = [];
  const used = new Map<number, number>();
  const suffix = order.map((_, k) => order.slice(k).reduce((s, i) => s + items[i]!.weight, 0));
  const visit = (k: number, weight: number): void => {
    if (weight > bestWeight) {
      bestWeight = weight;
      best = [...current];
    }
    if (k >= order.length || weight + suffix[k]! <= bestWeight) return;
    const i = order[k]!;
    const rows = items[i]!.rows;
    if (rows.every((r) => !used.has(r))) {
      current.push(i);
      for (const r of rows) used.set(r, i);
      visit(k + 1, weight + items[i]!.weight);
      for (const r of rows) used.delete(r);
      current.pop();
    }
    visit(k + 1, weight);
  };
  visit(0, 0);
  return best;
}
