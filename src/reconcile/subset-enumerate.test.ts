import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { findTwoPoolSums, type TwoPoolLimits } from "./subset-enumerate.js";

/** Every position subset of `n` items, as ascending positions. */
function* allSubsets(n: number): Generator<number[]> {
  for (let mask = 0; mask < 1 << n; mask++) {
    const s: number[] = [];
    for (let i = 0; i < n; i++) if (mask & (1 << i)) s.push(i);
    yield s;
  }
}

interface TwoPoolCase {
  readonly own: number[];
  readonly foreign: number[];
  readonly target: number;
  readonly limits: TwoPoolLimits;
}

function twoPoolKey(s: { readonly own: readonly number[]; readonly foreign: readonly number[] }): string {
  return `${s.own.join(",")}|${s.foreign.join(",")}`;
}

/** Own ⊆ own pool (any size) plus foreign ⊆ foreign pool (≤ foreignMax), 2..sizeMax rows in all. */
function bruteForceTwoPool(c: TwoPoolCase): string[] {
  const out: string[] = [];
  for (const own of allSubsets(c.own.length)) {
    for (const foreign of allSubsets(c.foreign.length)) {
      if (foreign.length > c.limits.foreignMax) continue;
      const size = own.length + foreign.length;
      if (size < 2 || size > c.limits.sizeMax) continue;
      const sum = own.reduce((s, i) => s + c.own[i]!, 0) + foreign.reduce((s, i) => s + c.foreign[i]!, 0);
      if (sum === c.target) out.push(twoPoolKey({ own, foreign }));
    }
  }
  return out.sort();
}

const amountArb = fc.oneof(fc.integer({ min: -20, max: 60 }), fc.constantFrom(10, 20, 30, -10));

const twoPoolCaseArb: fc.Arbitrary<TwoPoolCase> = fc
  .record({
    own: fc.array(amountArb, { maxLength: 8 }),
    foreign: fc.array(amountArb, { maxLength: 6 }),
    sizeMax: fc.integer({ min: 2, max: 5 }),
    foreignMax: fc.constantFrom<0 | 1 | 2>(0, 1, 2),
    ownPick: fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
    foreignPick: fc.nat(5),
    freeTarget: fc.integer({ min: -40, max: 150 }),
    useFreeTarget: fc.boolean(),
  })
  .map(({ own, foreign, sizeMax, foreignMax, ownPick, foreignPick, freeTarget, useFreeTarget }) => {
    const picked =
      own.reduce((s, a, i) => (ownPick[i] ? s + a : s), 0) +
      (foreign.length > 0 ? foreign[foreignPick % foreign.length]! : 0);
    return {
      own,
      foreign,
      target: useFreeTarget ? freeTarget : picked,
      limits: { sizeMax, foreignMax, solutionsMax: 100_000 },
    };
  });

describe("findTwoPoolSums", () => {
  it("finds the example from its documentation", () => {
    const found = findTwoPoolSums([500, 250], [300, -50], 700, {
      sizeMax: 4,
      foreignMax: 1,
      solutionsMax: 4,
    });
    expect(found).toEqual([{ own: [0, 1], foreign: [1] }]);
  });

  it("returns only valid combinations: exact sum, 2..sizeMax rows, at most foreignMax foreign rows", () => {
    fc.assert(
      fc.property(twoPoolCaseArb, (c) => {
        for (const s of findTwoPoolSums(c.own, c.foreign, c.target, c.limits)) {
          const size = s.own.length + s.foreign.length;
          expect(size).toBeGreaterThanOrEqual(2);
          expect(size).toBeLessThanOrEqual(c.limits.sizeMax);
          expect(s.foreign.length).toBeLessThanOrEqual(c.limits.foreignMax);
          expect(s.own).toEqual([...new Set(s.own)].sort((a, b) => a - b));
          expect(s.foreign).toEqual([...new Set(s.foreign)].sort((a, b) => a - b));
          const sum =
            s.own.reduce((t, i) => t + c.own[i]!, 0) + s.foreign.reduce((t, i) => t + c.foreign[i]!, 0);
          expect(sum).toBe(c.target);
        }
      }),
      { numRuns: 500, seed: 45 },
    );
  });

  it("finds at least one combination whenever brute force finds one", () => {
    fc.assert(
      fc.property(twoPoolCaseArb, (c) => {
        const found = findTwoPoolSums(c.own, c.foreign, c.target, c.limits);
        expect(found.length > 0).toBe(bruteForceTwoPool(c).length > 0);
      }),
      { numRuns: 500, seed: 46 },
    );
  });

  it("finds exactly the brute-force set of combinations when solutionsMax is generous", () => {
    let withSolutions = 0;
    fc.assert(
      fc.property(twoPoolCaseArb, (c) => {
        const found = findTwoPoolSums(c.own, c.foreign, c.target, c.limits).map(twoPoolKey);
        const brute = bruteForceTwoPool(c);
        if (brute.length > 0) withSolutions++;
        expect(new Set(found).size).toBe(found.length);
        expect(found.sort()).toEqual(brute);
      }),
      { numRuns: 500, seed: 47 },
    );
    // The cases must not be vacuous: many of them have at least one valid combination.
    expect(withSolutions).toBeGreaterThan(100);
  });

  it("returns at most solutionsMax combinations", () => {
    const found = findTwoPoolSums([1, 1, 1, 1, 1], [1, 1], 2, { sizeMax: 2, foreignMax: 2, solutionsMax: 3 });
    expect(found).toHaveLength(3);
  });
});
