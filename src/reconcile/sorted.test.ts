import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { firstAbove, firstAtLeast } from "./sorted.js";

/** The answers by looking at every key. */
function linearAtLeast(keys: readonly number[], target: number): number {
  const i = keys.findIndex((k) => k >= target);
  return i === -1 ? keys.length : i;
}

function linearAbove(keys: readonly number[], target: number): number {
  const i = keys.findIndex((k) => k > target);
  return i === -1 ? keys.length : i;
}

/** Whole-number keys, ascending, with runs of equal ones (many rows share a day). */
const sortedKeys = fc
  .array(fc.integer({ min: -50, max: 50 }), { maxLength: 40 })
  .map((keys) => keys.sort((x, y) => x - y));
/** Targets between and beyond the keys, fractions and infinities among them. */
const targets = fc.oneof(
  fc.integer({ min: -60, max: 60 }),
  fc.double({ min: -60, max: 60, noNaN: true }),
  fc.constantFrom(Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY),
);

describe("firstAtLeast and firstAbove", () => {
  it("find what a scan of every key finds", () => {
    fc.assert(
      fc.property(sortedKeys, targets, (keys, target) => {
        const keyAt = (i: number) => keys[i]!;
        expect(firstAtLeast(keys.length, keyAt, target)).toBe(linearAtLeast(keys, target));
        expect(firstAbove(keys.length, keyAt, target)).toBe(linearAbove(keys, target));
      }),
      { numRuns: 3000, seed: 7 },
    );
  });

  it("search typed arrays and rows alike", () => {
    const days = Float64Array.from([3, 5, 5, 9]);
    expect(firstAtLeast(days.length, (i) => days[i]!, 5)).toBe(1);
    expect(firstAbove(days.length, (i) => days[i]!, 5)).toBe(3);
    const rows = [{ day: 3 }, { day: 5 }, { day: 9 }];
    expect(firstAbove(rows.length, (i) => rows[i]!.day, 4.5)).toBe(1);
    expect(firstAtLeast(rows.length, (i) => rows[i]!.day, 10)).toBe(3);
    expect(firstAtLeast(0, () => Number.NaN, 1)).toBe(0);
  });
});
