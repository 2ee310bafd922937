import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type PackingItem, packSets } from "./set-packing.js";

/** Largest total weight over every pairwise-disjoint subset, the empty one included, by plain enumeration. */
function bruteForceBest(items: readonly PackingItem[]): number {
  const used = new Set<number>();
  const visit = (k: number): number => {
    if (k === items.length) return 0;
    let best = visit(k + 1);
    const rows = [...new Set(items[k]!.rows)];
    if (rows.every((r) => !used.has(r))) {
      for (const r of rows) used.add(r);
      best = Math.max(best, items[k]!.weight + visit(k + 1));
      for (const r of rows) used.delete(r);
    }
    return best;
  };
  return visit(0);
}

/** Plain greedy: heaviest first (ties by index), take whatever still fits. */
function greedyByWeight(items: readonly PackingItem[]): number[] {
  const order = items.map((_, i) => i).sort((a, b) => items[b]!.weight - items[a]!.weight || a - b);
  const used = new Set<number>();
  const chosen: number[] = [];
  for (const i of order) {
    if (items[i]!.rows.some((r) => used.has(r))) continue;
    for (const r of items[i]!.rows) used.add(r);
    chosen.push(i);
  }
  return chosen.sort((a, b) => a - b);
}

function totalOf(items: readonly PackingItem[], chosen: readonly number[]): number {
  return chosen.reduce((s, i) => s + items[i]!.weight, 0);
}

function expectValidPacking(items: readonly PackingItem[], chosen: readonly number[]): void {
  expect([...chosen]).toEqual([...chosen].sort((a, b) => a - b));
  expect(new Set(chosen).size).toBe(chosen.length);
  const used = new Set<number>();
  for (const i of chosen) {
    expect(Number.isInteger(i)).toBe(true);
    expect(i).toBeGreaterThanOrEqual(0);
    expect(i).toBeLessThan(items.length);
    const rows = new Set(items[i]!.rows);
    for (const r of rows) {
      expect(used.has(r)).toBe(false);
      used.add(r);
    }
  }
}

/** No unchosen item could be added without sharing a row with a chosen one. */
function expectMaximal(items: readonly PackingItem[], chosen: readonly number[]): void {
  const used = new Set(chosen.flatMap((i) => items[i]!.rows));
  const picked = new Set(chosen);
  for (let i = 0; i < items.length; i++) {
    if (picked.has(i)) continue;
    expect(
      items[i]!.rows.some((r) => used.has(r)),
      `item ${i} fits but was left out`,
    ).toBe(true);
  }
}

/** Weights drawn so that ties are common: small integers, halves, and arbitrary fractions. */
const weightArb = fc.oneof(
  fc.integer({ min: 1, max: 4 }),
  fc.integer({ min: 1, max: 8 }).map((n) => n / 2),
  fc.double({ min: 0.01, max: 100, noNaN: true, noDefaultInfinity: true }),
);

/**
 * Random items over a small key space of sparse row labels (as the engine's row indices are);
 * an item uses one to four rows, occasionally repeating a key.
 */
function itemsArb(minItems: number, maxItems: number): fc.Arbitrary<PackingItem[]> {
  return fc
    .record({
      keys: fc.integer({ min: 2, max: 16 }),
      stride: fc.integer({ min: 1, max: 7 }),
    })
    .chain(({ keys, stride }) =>
      fc.array(
        fc.record({
          rows: fc.array(
            fc.integer({ min: 0, max: keys - 1 }).map((k) => k * stride + 3),
            { minLength: 1, maxLength: 4 },
          ),
          weight: weightArb,
        }),
        { minLength: minItems, maxLength: maxItems },
      ),
    );
}

/** Harder instances for the heuristic: 10 to 20 keys, two to four distinct rows an item, weights 1 to 4. */
const wideItemsArb: fc.Arbitrary<PackingItem[]> = fc.integer({ min: 10, max: 20 }).chain((keys) =>
  fc.array(
    fc.record({
      rows: fc.uniqueArray(fc.integer({ min: 0, max: keys - 1 }), { minLength: 2, maxLength: 4 }),
      weight: fc.integer({ min: 1, max: 4 }),
    }),
    { minLength: 19, maxLength: 22 },
  ),
);

/** packSets's total over the brute-force optimum on each instance: average, count optimal, and the worst. */
function measureAgainstOptimum(instances: readonly PackingItem[][]) {
  let sum = 0;
  let greedySum = 0;
  let optimal = 0;
  let worst = Number.POSITIVE_INFINITY;
  let worstGot = 0;
  let worstBest = 0;
  let worstItems: readonly PackingItem[] = [];
  for (const items of instances) {
    const chosen = packSets(items);
    expectValidPacking(items, chosen);
    const best = bruteForceBest(items);
    const got = totalOf(items, chosen);
    const ratio = got / best;
    expect(ratio).toBeLessThanOrEqual(1 + 1e-9);
    sum += ratio;
    greedySum += totalOf(items, greedyByWeight(items)) / best;
    if (ratio >= 1 - 1e-9) optimal++;
    if (ratio < worst) [worst, worstGot, worstBest, worstItems] = [ratio, got, best, items];
  }
  const n = instances.length;
  return { average: sum / n, greedyAverage: greedySum / n, optimal, worst, worstGot, worstBest, worstItems };
}

describe("packSets", () => {
  it("returns the example from its documentation", () => {
    expect(
      packSets([
        { rows: [1, 2], weight: 5 },
        { rows: [2], weight: 3 },
        { rows: [1], weight: 3 },
      ]),
    ).toEqual([1, 2]);
  });

  it("returns nothing for no items", () => {
    expect(packSets([])).toEqual([]);
  });

  it("returns ascending, distinct, in-range indices of pairwise disjoint items for any input", () => {
    fc.assert(
      fc.property(itemsArb(1, 60), (items) => {
        expectValidPacking(items, packSets(items));
      }),
      { numRuns: 400, seed: 20250311 },
    );
  });

  it("reaches the brute-force maximum total weight whenever there are at most 18 items", () => {
    fc.assert(
      fc.property(itemsArb(1, 18), (items) => {
        const chosen = packSets(items);
        expectValidPacking(items, chosen);
        expect(Math.abs(totalOf(items, chosen) - bruteForceBest(items))).toBeLessThanOrEqual(1e-9);
      }),
      { numRuns: 400, seed: 31 },
    );
  });

  it("reaches the brute-force maximum at 18 items even when every weight ties", () => {
    fc.assert(
      fc.property(itemsArb(18, 18), (items) => {
        const tied = items.map((item) => ({ ...item, weight: 1 }));
        const chosen = packSets(tied);
        expectValidPacking(tied, chosen);
        expect(totalOf(tied, chosen)).toBe(bruteForceBest(tied));
      }),
      { numRuns: 200, seed: 37 },
    );
  });

  it("fixes the documented greedy trap by exchange when there are too many items to solve exactly", () => {
    // Twenty disjoint fillers push the input onto the heuristic path; greedy alone takes the 5.
    const fillers = Array.from({ length: 20 }, (_, k) => ({ rows: [100 + k], weight: 1 }));
    const items = [
      { rows: [1, 2], weight: 5 },
      { rows: [2], weight: 3 },
      { rows: [1], weight: 3 },
      ...fillers,
    ];
    expect(packSets(items)).toEqual(items.map((_, i) => i).slice(1));
  });

  it("returns a maximal packing no lighter than plain greedy for 19 to 40 items", () => {
    fc.assert(
      fc.property(itemsArb(19, 40), (items) => {
        const chosen = packSets(items);
        expectValidPacking(items, chosen);
        expectMaximal(items, chosen);
        expect(totalOf(items, chosen)).toBeGreaterThanOrEqual(totalOf(items, greedyByWeight(items)) - 1e-9);
      }),
      { numRuns: 400, seed: 41 },
    );
  });

  it("stays within 10% of the optimum on average for 19 to 22 items", () => {
    const families = {
      "random keys and weights": fc.sample(itemsArb(19, 22), { numRuns: 300, seed: 43 }),
      "wider items, tied integer weights": fc.sample(wideItemsArb, { numRuns: 300, seed: 47 }),
    };
    const lines: string[] = [];
    for (const [name, instances] of Object.entries(families)) {
      const ratio = measureAgainstOptimum(instances);
      expect(ratio.average).toBeGreaterThanOrEqual(0.9);
      lines.push(
        `${name}: ${instances.length} instances, average ratio to optimum ${ratio.average.toFixed(4)} ` +
          `(plain greedy ${ratio.greedyAverage.toFixed(4)}), optimal on ${ratio.optimal}, ` +
          `worst ${ratio.worst.toFixed(4)} (got ${ratio.worstGot}, optimum ${ratio.worstBest}) ` +
          `on ${JSON.stringify(ratio.worstItems)}`,
      );
    }
    console.log(`packSets heuristic on 19..22 items\n${lines.join("\n")}`);
  });
});
