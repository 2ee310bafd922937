import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { sortByRank, sortSmall } from "./small-sort.js";

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

describe("sortByRank", () => {
  const byRankThenId = (a: { rank: number; id: number }, b: { rank: number; id: number }) =>
    a.rank - b.rank || a.id - b.id;

  it("orders by rank, then id, like a comparison sort", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.record({ rank: fc.integer({ min: 0, max: 40 }), id: fc.nat(10_000) }), {
          selector: (row) => row.id,
          maxLength: 200,
        }),
        (rows) => {
          const sorted = sortByRank(
            [...rows],
            (row) => row.rank,
            (row) => row.id,
          );
          expect(sorted).toEqual([...rows].sort(byRankThenId));
        },
      ),
    );
  });

  it("falls back to a comparison sort for ranks it cannot count", () => {
    const rows = [
      { rank: 1.5, id: 2 },
      { rank: 10_000, id: 1 },
      { rank: 0, id: 3 },
      { rank: 1.5, id: 0 },
    ];
    const sorted = sortByRank(
      [...rows],
      (row) => row.rank,
      (row) => row.id,
    );
    expect(sorted).toEqual([...rows].sort(byRankThenId));
  });
});
