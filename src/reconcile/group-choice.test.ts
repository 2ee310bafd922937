import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ascendingDays, choose, coincidenceExpectation } from "./group-choice.js";

/** The scan statistic as defined, pass by pass: for each own entry as a window's start, count. */
function expectationByDefinition(
  ownDays: readonly number[],
  ownCount: number,
  foreignDays: readonly number[],
  foreignCount: number,
  dayFirst: number,
  dayLast: number,
  target: number,
): number {
  const span = dayLast - dayFirst;
  let ownShapes = ownCount === 0 ? 1 : 0;
  if (ownCount > 0) {
    for (const start of ownDays) {
      const inSpan = ownDays.filter((d) => d >= start && d <= start + span).length;
      ownShapes += choose(inSpan - 1, ownCount - 1);
    }
  }
  const foreignInSpan = foreignDays.filter((d) => d >= dayFirst && d <= dayLast).length;
  return (ownShapes * choose(foreignInSpan, foreignCount)) / Math.max(Math.abs(target), 100);
}

describe("coincidenceExpectation", () => {
  it("equals the scan statistic counted entry by entry, for days in any order and with repeats", () => {
    const day = fc.integer({ min: 0, max: 12 });
    const arb = fc.record({
      own: fc.array(day, { maxLength: 18 }),
      foreign: fc.array(day, { maxLength: 30 }),
      ownCount: fc.integer({ min: 0, max: 6 }),
      foreignCount: fc.integer({ min: 0, max: 3 }),
      first: day,
      length: fc.integer({ min: 0, max: 8 }),
      target: fc.integer({ min: -500_000, max: 500_000 }),
    });
    fc.assert(
      fc.property(arb, (c) => {
        const expected = expectationByDefinition(
          c.own,
          c.ownCount,
          c.foreign,
          c.foreignCount,
          c.first,
          c.first + c.length,
          c.target,
        );
        const actual = coincidenceExpectation(
          ascendingDays(c.own),
          c.ownCount,
          ascendingDays(c.foreign),
          c.foreignCount,
          c.first,
          c.first + c.length,
          c.target,
        );
        expect(actual).toBe(expected);
      }),
      { numRuns: 1000, seed: 59 },
    );
  });

  it("is small for a tight group in a quiet pool and large for a spread group in a busy one", () => {
    const quiet = coincidenceExpectation(
      ascendingDays([10, 11, 30]),
      2,
      ascendingDays([]),
      0,
      10,
      11,
      125_000,
    );
    const busyDays = Array.from({ length: 18 }, (_, i) => 1 + i);
    const busy = coincidenceExpectation(ascendingDays(busyDays), 4, ascendingDays([]), 0, 1, 18, 1_000);
    expect(quiet).toBeLessThan(0.01);
    expect(busy).toBeGreaterThan(1);
  });
});
