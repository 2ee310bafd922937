import { pushTo } from "./multimap.js";

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

function improve(items: readonly PackingItem[], order: readonly number[], picked: Set<number>): number[] {
  const owner = new Map<number, number>();
  for (const i of picked) for (const r of items[i]!.rows) owner.set(r, i);
  const byRow = new Map<number, number[]>();
  for (const i of order) {
    for (const r of items[i]!.rows) {
      pushTo(byRow, r, i);
    }
  }
  const fits = (i: number) => items[i]!.rows.every((r) => !owner.has(r));
  const take = (i: number) => {
    picked.add(i);
    for (const r of items[i]!.rows) owner.set(r, i);
  };
  const drop = (i: number) => {
    picked.delete(i);
    for (const r of items[i]!.rows) owner.delete(r);
  };
  for (let pass = 0, changed = true; changed && pass < EXCHANGE_PASSES_MAX; pass++) {
    changed = false;
    for (const i of order) {
      if (picked.has(i)) continue;
      const conflicts = new Set<number>();
      for (const r of items[i]!.rows) {
        const j = owner.get(r);
        if (j !== undefined) conflicts.add(j);
      }
      let loss = 0;
      for (const j of conflicts) loss += items[j]!.weight;
      for (const j of conflicts) drop(j);
      take(i);
      let gain = items[i]!.weight - loss;
      const refilled: number[] = [];
      for (const j of conflicts) {
        for (const r of items[j]!.rows) {
          for (const k of byRow.get(r) ?? []) {
            if (picked.has(k) || !fits(k)) continue;
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
  return [...picked];
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
