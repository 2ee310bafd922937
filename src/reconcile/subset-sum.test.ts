import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { findSubsets, type SubsetLimits } from "./subset-sum.js";

interface SubsetCase {
  readonly amounts: number[];
  readonly weak: boolean[];
  readonly target: number;
  readonly limits: SubsetLimits;
}

/** Every position subset of `n` items, as ascending positions. */
function* allSubsets(n: number): Generator<number[]> {
  for (let mask = 0; mask < 1 << n; mask++) {
    const s: number[] = [];
    for (let i = 0; i < n; i++) if (mask & (1 << i)) s.push(i);
    yield s;
  }
}

/** Why a subset breaks the rules of findSubsets, or null when it is a valid answer. */
function subsetFault(c: SubsetCase, s: readonly number[]): string | null {
  const sign = Math.sign(c.target);
  if (s.some((p, k) => !Number.isInteger(p) || p < 0 || p >= c.amounts.length || (k > 0 && p <= s[k - 1]!))) {
    return "positions are not distinct, ascending and in range";
  }
  if (s.length < c.limits.sizeMin || s.length > c.limits.sizeMax) return "size out of bounds";
  if (s.some((p) => c.amounts[p] === 0)) return "uses a zero amount";
  if (s.reduce((sum, p) => sum + c.amounts[p]!, 0) !== c.target) return "sum is not the target";
  if (s.filter((p) => c.amounts[p]! * sign < 0).length > c.limits.oppositeMax)
    return "too many opposite signs";
  if (s.filter((p) => c.weak[p]).length > c.limits.weakMax) return "too many weak items";
  return null;
}

function bruteForceSubsets(c: SubsetCase): string[] {
  const out: string[] = [];
  for (const s of allSubsets(c.amounts.length)) if (subsetFault(c, s) === null) out.push(s.join(","));
  return out.sort();
}

/** Small amounts of both signs, so that exact sums are frequent; the target often a real sum. */
const subsetCaseArb: fc.Arbitrary<SubsetCase> = fc
  .record({
    amounts: fc.array(fc.oneof(fc.integer({ min: -30, max: 60 }), fc.constantFrom(10, 20, 25, -5)), {
      minLength: 0,
      maxLength: 10,
    }),
    oppositeMax: fc.integer({ min: 1, max: 2 }),
    weakMax: fc.integer({ min: 0, max: 3 }),
    pick: fc.array(fc.boolean(), { minLength: 10, maxLength: 10 }),
    weakBits: fc.array(fc.boolean(), { minLength: 10, maxLength: 10 }),
    freeTarget: fc.integer({ min: -80, max: 150 }),
    useFreeTarget: fc.boolean(),
  })
  .map(({ amounts, oppositeMax, weakMax, pick, weakBits, freeTarget, useFreeTarget }) => {
    const picked = amounts.reduce((s, a, i) => (pick[i] ? s + a : s), 0);
    const target = useFreeTarget || picked === 0 ? freeTarget || 1 : picked;
    return {
      amounts,
      weak: amounts.map((_, i) => weakBits[i]!),
      target,
      limits: { sizeMin: 2, sizeMax: 4, oppositeMax, weakMax, solutionsMax: 100_000, nodesMax: 10_000_000 },
    };
  });

describe("findSubsets", () => {
  it("finds the example from its documentation", () => {
    const limits: SubsetLimits = {
      sizeMin: 2,
      sizeMax: 4,
      oppositeMax: 1,
      weakMax: 0,
      solutionsMax: 10,
      nodesMax: 10_000,
    };
    const found = findSubsets([500, 250, 300, -50], 700, [false, false, false, false], limits);
    expect(found).toContainEqual([0, 1, 3]);
  });

  it("returns nothing for a zero target", () => {
    const limits: SubsetLimits = {
      sizeMin: 2,
      sizeMax: 4,
      oppositeMax: 1,
      weakMax: 0,
      solutionsMax: 10,
      nodesMax: 1e4,
    };
    expect(findSubsets([5, -5, 3], 0, [false, false, false], limits)).toEqual([]);
  });

  it("returns only subsets that sum to the target within every limit", () => {
    fc.assert(
      fc.property(subsetCaseArb, (c) => {
        for (const s of findSubsets(c.amounts, c.target, c.weak, c.limits)) {
          expect(subsetFault(c, s), `subset ${s.join(",")} of ${JSON.stringify(c)}`).toBeNull();
        }
      }),
      { numRuns: 500, seed: 42 },
    );
  });

  it("finds at least one subset whenever brute force finds one", () => {
    fc.assert(
      fc.property(subsetCaseArb, (c) => {
        const brute = bruteForceSubsets(c);
        const found = findSubsets(c.amounts, c.target, c.weak, c.limits);
        expect(found.length > 0).toBe(brute.length > 0);
      }),
      { numRuns: 500, seed: 43 },
    );
  });

  it("finds exactly the brute-force set of subsets when the solution and node limits are generous", () => {
    let withSolutions = 0;
    fc.assert(
      fc.property(subsetCaseArb, (c) => {
        const found = findSubsets(c.amounts, c.target, c.weak, c.limits).map((s) => s.join(","));
        const brute = bruteForceSubsets(c);
        if (brute.length > 0) withSolutions++;
        expect(new Set(found).size).toBe(found.length);
        expect(found.sort()).toEqual(brute);
      }),
      { numRuns: 500, seed: 44 },
    );
    // The cases must not be vacuous: many of them have at least one valid subset.
    expect(withSolutions).toBeGreaterThan(100);
  });

  it("stops at solutionsMax solutions", () => {
    const amounts = [1, 1, 1, 1, 1, 1, 1, 1];
    const limits: SubsetLimits = {
      sizeMin: 2,
      sizeMax: 2,
      oppositeMax: 0,
      weakMax: 0,
      solutionsMax: 3,
      nodesMax: 1e6,
    };
    expect(
      findSubsets(
        amounts,
        2,
        amounts.map(() => false),
        limits,
      ),
    ).toHaveLength(3);
  });
});
