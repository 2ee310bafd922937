import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SETTLEMENT_POOL_MAX, type Settlement, type SettlementLimits, searchSettlements } from "./search.js";

interface Case {
  readonly own: number[];
  readonly foreign: number[];
  readonly target: number;
  readonly limits: SettlementLimits;
}

/** Limits under which nothing is cut short (pools here have at most 8 own entries). */
const generousLimits = {
  extraDepth: 9,
  solutionsMax: Number.MAX_SAFE_INTEGER,
  sumsMax: Number.MAX_SAFE_INTEGER,
} as const;

function key(own: readonly number[], foreign: readonly number[]): string {
  return `${own.join(",")}|${foreign.join(",")}`;
}

function positionsOf(mask: number, length: number): number[] {
  const positions: number[] = [];
  for (let i = 0; i < length; i++) if ((mask >> i) & 1) positions.push(i);
  return positions;
}

/** Every ascending list of at most `max` distinct positions below `n`, the empty one first. */
function subsetsUpTo(n: number, max: number): number[][] {
  const out: number[][] = [[]];
  for (let k = 0; k < out.length; k++) {
    const last = out[k]!.at(-1) ?? -1;
    if (out[k]!.length < max) for (let i = last + 1; i < n; i++) out.push([...out[k]!, i]);
  }
  return out;
}

/**
 * Every (own subset with at least one entry, foreign subset with at most foreignMax entries)
 * whose total size is 2..sizeMax and whose amounts add up to the target, by plain enumeration.
 */
function bruteForce(
  own: readonly number[],
  foreign: readonly number[],
  target: number,
  limits: Pick<SettlementLimits, "sizeMax" | "foreignMax">,
): Settlement[] {
  const solutions: Settlement[] = [];
  for (let ownMask = 1; ownMask < 2 ** own.length; ownMask++) {
    const ownPositions = positionsOf(ownMask, own.length);
    const ownSum = ownPositions.reduce((s, i) => s + own[i]!, 0);
    for (let foreignMask = 0; foreignMask < 2 ** foreign.length; foreignMask++) {
      const foreignPositions = positionsOf(foreignMask, foreign.length);
      if (foreignPositions.length > limits.foreignMax) continue;
      const size = ownPositions.length + foreignPositions.length;
      if (size < 2 || size > limits.sizeMax) continue;
      const sum = ownSum + foreignPositions.reduce((s, i) => s + foreign[i]!, 0);
      if (sum !== target) continue;
      solutions.push({ own: ownPositions, foreign: foreignPositions, depth: ownPositions.at(-1)! + 1 });
    }
  }
  return solutions;
}

function expectAscendingDistinctBelow(positions: readonly number[], length: number): void {
  for (let k = 0; k < positions.length; k++) {
    expect(Number.isInteger(positions[k])).toBe(true);
    expect(positions[k]).toBeGreaterThanOrEqual(0);
    expect(positions[k]).toBeLessThan(length);
    if (k > 0) expect(positions[k]).toBeGreaterThan(positions[k - 1]!);
  }
}

function expectValidSettlement(c: Case, s: Settlement): void {
  expectAscendingDistinctBelow(s.own, c.own.length);
  expectAscendingDistinctBelow(s.foreign, c.foreign.length);
  expect(s.own.length).toBeGreaterThanOrEqual(1);
  expect(s.foreign.length).toBeLessThanOrEqual(c.limits.foreignMax);
  const size = s.own.length + s.foreign.length;
  expect(size).toBeGreaterThanOrEqual(2);
  expect(size).toBeLessThanOrEqual(c.limits.sizeMax);
  const sum = s.own.reduce((t, i) => t + c.own[i]!, 0) + s.foreign.reduce((t, i) => t + c.foreign[i]!, 0);
  expect(sum).toBe(c.target);
  expect(s.depth).toBe(s.own.at(-1)! + 1);
}

/** Small integers of both signs, zero included: zero entries are ordinary entries, not special. */
const amountArb = fc.integer({ min: -20, max: 60 });

/**
 * Pools, limits and a target. Most targets are the sum of a random pick from the pools (so
 * that solutions are common), one in five is arbitrary (so that "no solution" is tested too).
 */
function caseArb(options: {
  readonly ownMax: number;
  readonly foreignMaxLength: number;
  readonly amount?: fc.Arbitrary<number>;
  readonly limits: fc.Arbitrary<Omit<SettlementLimits, "sizeMax" | "foreignMax">>;
}): fc.Arbitrary<Case> {
  return fc
    .record({
      own: fc.array(options.amount ?? amountArb, { maxLength: options.ownMax }),
      foreign: fc.array(options.amount ?? amountArb, { maxLength: options.foreignMaxLength }),
      sizeMax: fc.integer({ min: 2, max: 5 }),
      foreignMax: fc.constantFrom<0 | 1 | 2>(0, 1, 2),
      rest: options.limits,
    })
    .chain(({ own, foreign, sizeMax, foreignMax, rest }) => {
      const ownIndices = own.map((_, i) => i);
      const foreignIndices = foreign.map((_, i) => i);
      const picked = fc
        .tuple(
          fc.subarray(ownIndices, {
            minLength: Math.min(1, own.length),
            maxLength: Math.min(sizeMax, own.length),
          }),
          fc.subarray(foreignIndices, { maxLength: Math.min(foreignMax, foreign.length) }),
        )
        .map(([o, f]) => o.reduce((s, i) => s + own[i]!, 0) + f.reduce((s, i) => s + foreign[i]!, 0));
      return fc
        .oneof({ arbitrary: picked, weight: 4 }, { arbitrary: fc.integer({ min: -60, max: 200 }), weight: 1 })
        .map((target) => ({ own, foreign, target, limits: { sizeMax, foreignMax, ...rest } }));
    });
}

/** Small pools with generous limits: small enough to enumerate every subset. */
const generousCaseArb: fc.Arbitrary<Case> = caseArb({
  ownMax: 8,
  foreignMaxLength: 5,
  limits: fc.constant(generousLimits),
});

/** As above, but with amounts so small that many subsets tie and solutions come in numbers. */
const crowdedCaseArb: fc.Arbitrary<Case> = caseArb({
  ownMax: 8,
  foreignMaxLength: 5,
  amount: fc.integer({ min: -3, max: 6 }),
  limits: fc.constant(generousLimits),
});

/** Larger pools with arbitrary, often tight limits. */
const anyCaseArb: fc.Arbitrary<Case> = caseArb({
  ownMax: 14,
  foreignMaxLength: 6,
  limits: fc.record({
    extraDepth: fc.integer({ min: 0, max: 4 }),
    solutionsMax: fc.integer({ min: 1, max: 25 }),
    sumsMax: fc.integer({ min: 1, max: 300 }),
  }),
});

/** Runs a property and checks afterwards that at least `share` of the runs had a solution. */
function assertWithSolutions(
  arb: fc.Arbitrary<Case>,
  check: (c: Case, result: Settlement[]) => void,
  params: { readonly numRuns: number; readonly seed: number; readonly share: number },
): void {
  let runs = 0;
  let withSolutions = 0;
  fc.assert(
    fc.property(arb, (c) => {
      const result = searchSettlements(c.own, c.foreign, c.target, c.limits);
      runs++;
      if (result.length > 0) withSolutions++;
      check(c, result);
    }),
    { numRuns: params.numRuns, seed: params.seed },
  );
  expect(withSolutions).toBeGreaterThanOrEqual(params.share * runs);
}

describe("searchSettlements", () => {
  it("returns the example from its documentation", () => {
    const limits: SettlementLimits = {
      sizeMax: 3,
      foreignMax: 0,
      extraDepth: 2,
      solutionsMax: 10,
      sumsMax: 1000,
    };
    const result = searchSettlements([300, 500, 250, 900], [], 800, limits);
    expect(result[0]).toEqual({ own: [0, 1], foreign: [], depth: 2 });
    expect(result).toEqual([{ own: [0, 1], foreign: [], depth: 2 }]);
  });

  it("lets foreign entries join one at a time and in pairs, singles before pairs", () => {
    const limits: SettlementLimits = {
      sizeMax: 3,
      foreignMax: 2,
      extraDepth: 5,
      solutionsMax: 10,
      sumsMax: 1000,
    };
    expect(searchSettlements([100, 200], [50, 25, 25], 150, limits)).toEqual([
      { own: [0], foreign: [0], depth: 1 },
      { own: [0], foreign: [1, 2], depth: 1 },
    ]);
  });

  it("returns nothing for an empty own pool, even when foreign entries alone add up", () => {
    const limits: SettlementLimits = {
      sizeMax: 4,
      foreignMax: 2,
      extraDepth: 5,
      solutionsMax: 10,
      sumsMax: 1000,
    };
    expect(searchSettlements([], [40, 60], 100, limits)).toEqual([]);
  });

  it("never returns a lone own entry, even when it equals the target", () => {
    const limits: SettlementLimits = {
      sizeMax: 4,
      foreignMax: 2,
      extraDepth: 5,
      solutionsMax: 10,
      sumsMax: 1000,
    };
    expect(searchSettlements([100, 60, 40], [], 100, limits)).toEqual([
      { own: [1, 2], foreign: [], depth: 3 },
    ]);
  });

  it("returns only valid settlements whose amounts add up to the target, whatever the limits", () => {
    assertWithSolutions(
      anyCaseArb,
      (c, result) => {
        for (const s of result) expectValidSettlement(c, s);
        expect(result.length).toBeLessThanOrEqual(c.limits.solutionsMax);
        expect(new Set(result.map((s) => key(s.own, s.foreign))).size).toBe(result.length);
      },
      { numRuns: 500, seed: 20250611, share: 0.35 },
    );
  });

  it("finds exactly the brute-force solutions when the limits are generous", () => {
    assertWithSolutions(
      generousCaseArb,
      (c, result) => {
        for (const s of result) expectValidSettlement(c, s);
        const found = result.map((s) => key(s.own, s.foreign));
        expect(new Set(found).size).toBe(found.length);
        const expected = bruteForce(c.own, c.foreign, c.target, c.limits).map((s) => key(s.own, s.foreign));
        expect(found.sort()).toEqual(expected.sort());
      },
      { numRuns: 500, seed: 31, share: 0.35 },
    );
  });

  it("finds exactly the brute-force solutions when amounts tie and zero amounts are common", () => {
    assertWithSolutions(
      crowdedCaseArb,
      (c, result) => {
        for (const s of result) expectValidSettlement(c, s);
        const found = result.map((s) => key(s.own, s.foreign));
        expect(new Set(found).size).toBe(found.length);
        const expected = bruteForce(c.own, c.foreign, c.target, c.limits).map((s) => key(s.own, s.foreign));
        expect(found.sort()).toEqual(expected.sort());
      },
      { numRuns: 400, seed: 33, share: 0.35 },
    );
  });

  it("finds the brute-force solutions when long foreign pools come back (their fills are cached)", () => {
    // Pools of 12 or more foreign rows are kept from search to search: the same pool again,
    // and pools differing in one amount or one day, must each give their own solutions.
    const amount = fc.integer({ min: -20, max: 40 });
    const poolArb = fc.array(fc.record({ amount, day: fc.integer({ min: 0, max: 9 }) }), {
      minLength: 12,
      maxLength: 14,
    });
    const searchArb = fc.record({
      pool: fc.nat(2),
      change: fc.constantFrom("none", "amount", "day"),
      at: fc.nat(13),
      own: fc.array(amount, { minLength: 1, maxLength: 5 }),
      target: fc.integer({ min: -30, max: 80 }),
      foreignMax: fc.constantFrom<1 | 2 | 3>(1, 2, 3),
      together: fc.boolean(),
    });
    let withSolutions = 0;
    fc.assert(
      fc.property(
        fc.array(poolArb, { minLength: 3, maxLength: 3 }),
        fc.array(searchArb, { minLength: 30, maxLength: 30 }),
        (pools, searches) => {
          for (const q of searches) {
            const rows = pools[q.pool]!.map((row) => ({ ...row }));
            const changed = rows[q.at % rows.length]!;
            if (q.change === "amount") changed.amount += 1;
            if (q.change === "day") changed.day += 5;
            const foreign = rows.map((row) => row.amount);
            const days = rows.map((row) => row.day);
            const limits: SettlementLimits = {
              ...generousLimits,
              sizeMax: 4,
              foreignMax: q.foreignMax,
              ...(q.together && { foreignTogether: { days, daysMax: 2 } }),
            };
            const found = searchSettlements(q.own, foreign, q.target, limits).map((s) =>
              key(s.own, s.foreign),
            );
            const together = (picked: readonly number[]) =>
              !q.together || picked.every((i) => picked.every((j) => Math.abs(days[i]! - days[j]!) <= 2));
            const expected: string[] = [];
            for (const picked of subsetsUpTo(foreign.length, q.foreignMax)) {
              if (!together(picked)) continue;
              const rest = q.target - picked.reduce((t, i) => t + foreign[i]!, 0);
              for (const s of bruteForce(q.own, [], rest, { sizeMax: 4 - picked.length, foreignMax: 0 })) {
                expected.push(key(s.own, picked));
              }
              // bruteForce wants two rows at least; with foreign rows, one own row is enough.
              if (picked.length > 0) {
                for (let i = 0; i < q.own.length; i++) if (q.own[i] === rest) expected.push(key([i], picked));
              }
            }
            expect(found.sort()).toEqual(expected.sort());
            if (found.length > 0) withSolutions++;
          }
        },
      ),
      { numRuns: 40, seed: 37 },
    );
    expect(withSolutions).toBeGreaterThan(100);
  });

  it("returns a settlement of the smallest possible depth first, and never a shallower one after a deeper one", () => {
    assertWithSolutions(
      generousCaseArb,
      (c, result) => {
        const expected = bruteForce(c.own, c.foreign, c.target, c.limits);
        if (expected.length === 0) {
          expect(result).toEqual([]);
          return;
        }
        const minDepth = Math.min(...expected.map((s) => s.depth));
        expect(result[0]?.depth).toBe(minDepth);
        for (let k = 1; k < result.length; k++) {
          expect(result[k]!.depth).toBeGreaterThanOrEqual(result[k - 1]!.depth);
        }
      },
      { numRuns: 400, seed: 37, share: 0.35 },
    );
  });

  it("returns at most solutionsMax settlements: the first ones an uncapped search returns", () => {
    const cappedArb = fc.tuple(crowdedCaseArb, fc.integer({ min: 1, max: 6 }));
    let runs = 0;
    let capped = 0;
    fc.assert(
      fc.property(cappedArb, ([c, solutionsMax]) => {
        runs++;
        const full = searchSettlements(c.own, c.foreign, c.target, c.limits);
        const result = searchSettlements(c.own, c.foreign, c.target, { ...c.limits, solutionsMax });
        expect(result.length).toBe(Math.min(solutionsMax, full.length));
        expect(result).toEqual(full.slice(0, solutionsMax));
        if (full.length > solutionsMax) capped++;
      }),
      { numRuns: 400, seed: 41 },
    );
    expect(capped).toBeGreaterThanOrEqual(0.2 * runs);
  });

  it("returns only settlements of the smallest depth, and all of them, when extraDepth is 0", () => {
    assertWithSolutions(
      generousCaseArb,
      (c, result) => {
        const limits = { ...c.limits, extraDepth: 0 };
        const shallow = searchSettlements(c.own, c.foreign, c.target, limits);
        const expected = bruteForce(c.own, c.foreign, c.target, c.limits);
        if (expected.length === 0) {
          expect(shallow).toEqual([]);
          return;
        }
        const minDepth = Math.min(...expected.map((s) => s.depth));
        for (const s of shallow) expect(s.depth).toBe(minDepth);
        const atMinDepth = expected.filter((s) => s.depth === minDepth).map((s) => key(s.own, s.foreign));
        expect(shallow.map((s) => key(s.own, s.foreign)).sort()).toEqual(atMinDepth.sort());
        // The generous search returns the same settlements first.
        expect(result.slice(0, shallow.length)).toEqual(shallow);
      },
      { numRuns: 400, seed: 43, share: 0.35 },
    );
  });

  it("explores exactly extraDepth levels past the first one with a solution", () => {
    const arb = fc.tuple(generousCaseArb, fc.integer({ min: 0, max: 4 }));
    let runs = 0;
    let withSolutions = 0;
    fc.assert(
      fc.property(arb, ([c, extraDepth]) => {
        runs++;
        const result = searchSettlements(c.own, c.foreign, c.target, { ...c.limits, extraDepth });
        const expected = bruteForce(c.own, c.foreign, c.target, c.limits);
        if (expected.length === 0) {
          expect(result).toEqual([]);
          return;
        }
        withSolutions++;
        const minDepth = Math.min(...expected.map((s) => s.depth));
        const within = expected
          .filter((s) => s.depth <= minDepth + extraDepth)
          .map((s) => key(s.own, s.foreign));
        expect(result.map((s) => key(s.own, s.foreign)).sort()).toEqual(within.sort());
      }),
      { numRuns: 400, seed: 47 },
    );
    expect(withSolutions).toBeGreaterThanOrEqual(0.35 * runs);
  });

  it("without foreign rows, returns the brute-force solutions by depth, then by subset descending", () => {
    // Deepening reports by depth, then by the subset below the depth's entry, descending (as
    // its hash chains run). A pool with nothing to fill from is searched another way, which must
    // report the same, and be cut short by extraDepth and solutionsMax the same way.
    // Half the cases are long pools, six to a settlement: those are met in the middle.
    const shape = fc.oneof(
      fc.record({ length: fc.integer({ min: 0, max: 14 }), sizeMax: fc.integer({ min: 2, max: 6 }) }),
      fc.record({ length: fc.integer({ min: 12, max: 14 }), sizeMax: fc.constant(6) }),
    );
    const arb = fc.record({
      own: shape.chain(({ length, sizeMax }) =>
        fc.array(fc.integer({ min: -3, max: 8 }), { minLength: length, maxLength: length }).map((own) => ({
          own,
          sizeMax,
        })),
      ),
      target: fc.integer({ min: -4, max: 24 }),
      foreign: fc.constantFrom<"none" | "not allowed">("none", "not allowed"),
      extraDepth: fc.constantFrom(0, 1, 3, 30),
      solutionsMax: fc.constantFrom(1, 4, 25, Number.MAX_SAFE_INTEGER),
    });
    let withSolutions = 0;
    fc.assert(
      fc.property(arb, ({ own: { own, sizeMax }, ...c }) => {
        const limits: SettlementLimits = {
          sizeMax,
          foreignMax: 0,
          extraDepth: c.extraDepth,
          solutionsMax: c.solutionsMax,
          sumsMax: Number.MAX_SAFE_INTEGER,
        };
        const foreign = c.foreign === "none" ? [] : [1, 2, 3];
        const all = bruteForce(own, [], c.target, limits);
        const depthOf = (mask: number) => Math.floor(Math.log2(mask)) + 1;
        const masks = all
          .map((s) => s.own.reduce((m, i) => m + 2 ** i, 0))
          .sort((x, y) => depthOf(x) - depthOf(y) || y - x);
        const depthMax = masks.length === 0 ? 0 : depthOf(masks[0]!) + c.extraDepth;
        const expected = masks
          .filter((m) => depthOf(m) <= depthMax)
          .slice(0, c.solutionsMax)
          .map((m) => ({ own: positionsOf(m, own.length), foreign: [], depth: depthOf(m) }));
        expect(searchSettlements(own, foreign, c.target, limits)).toEqual(expected);
        if (expected.length > 0) withSolutions++;
      }),
      { numRuns: 400, seed: 53 },
    );
    expect(withSolutions).toBeGreaterThan(100);
  });

  it("throws a RangeError for an own pool over SETTLEMENT_POOL_MAX and accepts one of exactly that size", () => {
    const limits: SettlementLimits = {
      sizeMax: 3,
      foreignMax: 1,
      extraDepth: 0,
      solutionsMax: 5,
      sumsMax: 5000,
    };
    const full = Array.from({ length: SETTLEMENT_POOL_MAX }, (_, i) =>
      i === SETTLEMENT_POOL_MAX - 1 ? 1 : 1000,
    );
    expect(() => searchSettlements([...full, 7], [], 1001, limits)).toThrow(RangeError);
    // Only 1000 + the last entry adds up: the deepest position a bit mask can hold is usable.
    const result = searchSettlements(full, [], 1001, limits);
    expect(result).toHaveLength(5);
    // Which five of the equal solutions come first is not specified; that they are right is.
    expect(new Set(result.map((s) => s.own[0])).size).toBe(5);
    for (const s of result) {
      expect(s.own).toHaveLength(2);
      expect(s.own[1]).toBe(SETTLEMENT_POOL_MAX - 1);
      expect(s.depth).toBe(SETTLEMENT_POOL_MAX);
    }
  });
});
