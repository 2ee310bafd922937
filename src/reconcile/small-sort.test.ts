import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { sortSmall } from "./small-sort.js";

describe("sortSmall", () => {
  it("orders like Array.prototype.sort, stably, at every length", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ key: fc.integer({ min: 0, max: 9 }), at: fc.nat() }), { maxLength: 120 }),
        (rows) => {
          const compare = (a: { key: number }, b: { key: number }) => a.key - b.key;
          expect(sortSmall([...rows], compare)).toEqual([...rows].sort(compare));
        },
      ),
    );
  });
});
