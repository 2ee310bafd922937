import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createRng, type Rng } from "../emulator/prng.js";
import { InputError } from "../errors/index.js";
import { dayToIso, isoToDay } from "../reconcile/days.js";
import {
  type BalanceExplanation,
  CurrencyMismatchError,
  contributionMinor,
  type ExplainBalanceInput,
  type ExplainLimits,
  explainBalanceDifference,
  type OpenItem,
} from "./balance-explainer.js";

const DATE = "2025-03-31";

function item(
  id: string,
  side: "bank" | "ledger",
  date: string,
  amountMinor: number,
  currency = "USD",
): OpenItem {
  return { id, side, date, amountMinor, currency };
}

function explain(
  openItems: readonly OpenItem[],
  differenceMinor: number,
  limits: Partial<ExplainLimits> = {},
): BalanceExplanation {
  return explainBalanceDifference({
    statement: { amountMinor: 1_000_000 + differenceMinor, currency: "USD", date: DATE },
    books: { amountMinor: 1_000_000, currency: "USD" },
    openItems,
    limits,
  });
}

const ids = (e: BalanceExplanation) => e.candidates.map((c) => c.items.map((i) => `${i.side}:${i.id}`));
const keyOf = (i: OpenItem) => `${i.side}:${i.id}`;
const sumOf = (items: readonly OpenItem[]) => items.reduce((s, i) => s + contributionMinor(i), 0);

describe("the sign each open item contributes to statement − books", () => {
  it("is the amount for a bank row the books lack and its opposite for a ledger entry the bank lacks", () => {
    expect(contributionMinor({ side: "ledger", amountMinor: 20_000 })).toBe(-20_000); // deposit in transit
    expect(contributionMinor({ side: "ledger", amountMinor: -15_000 })).toBe(15_000); // outstanding check
    expect(contributionMinor({ side: "bank", amountMinor: -500 })).toBe(-500); // bank fee not booked
    expect(contributionMinor({ side: "bank", amountMinor: 1_250 })).toBe(1_250); // interest not booked
  });

  it("explains a statement above the books by an outstanding check, and below by a deposit in transit", () => {
    const check = item("chk-1", "ledger", "2025-03-29", -15_000);
    const deposit = item("dep-1", "ledger", "2025-03-30", 15_000);
    expect(ids(explain([check, deposit], 15_000))).toEqual([["ledger:chk-1"]]);
    expect(ids(explain([check, deposit], -15_000))).toEqual([["ledger:dep-1"]]);
  });
});

describe("explainBalanceDifference", () => {
  it("says the balances agree when there is no difference", () => {
    const result = explain([item("a", "bank", DATE, 100)], 0);
    expect(result).toMatchObject({ kind: "balanced", explained: true, candidates: [], differenceMinor: 0 });
    expect(result.message).toBe("statement 10,000.00 USD on 2025-03-31, books 10,000.00 USD: balanced");
  });

  it("finds the smallest set, not a larger one that also adds up", () => {
    const items = [
      item("a", "bank", "2025-03-31", 100),
      item("b", "bank", "2025-03-31", 200),
      item("c", "bank", "2025-03-01", 300),
    ];
    const result = explain(items, 300);
    expect(ids(result)).toEqual([["bank:c"]]);
    expect(result.searched.completeUpToItems).toBe(1);
  });

  it("ranks equally small sets by how near their items are to the statement date", () => {
    const items = [
      item("old", "ledger", "2025-01-15", -4_200),
      item("recent", "ledger", "2025-03-28", -4_200),
      item("newest", "bank", "2025-03-31", 4_200),
      item("pair-a", "bank", "2025-03-31", 2_100),
      item("pair-b", "bank", "2025-03-31", 2_100),
    ];
    const result = explain(items, 4_200);
    expect(ids(result)).toEqual([["bank:newest"], ["ledger:recent"], ["ledger:old"]]);
    expect(result.candidates.map((c) => c.daysBeforeSum)).toEqual([0, 3, 75]);
    expect(result.searched.candidatesFound).toBe(3);
  });

  it("ranks by the days added up over the set, then by its oldest item", () => {
    const items = [
      item("today", "bank", "2025-03-31", 1_000),
      item("ten-days", "ledger", "2025-03-21", -2_000), // with today: 10 days in all, the oldest 10
      item("six-a", "bank", "2025-03-25", 1_500),
      item("six-b", "bank", "2025-03-25", 1_500), // together: 12 days in all, the oldest 6
      item("five", "bank", "2025-03-26", 2_500),
      item("seven", "bank", "2025-03-24", 500), // together: 12 days in all, the oldest 7
    ];
    const result = explain(items, 3_000);
    expect(ids(result)).toEqual([
      ["bank:today", "ledger:ten-days"],
      ["bank:six-a", "bank:six-b"],
      ["bank:five", "bank:seven"],
    ]);
    expect(result.candidates.map((c) => c.daysBeforeSum)).toEqual([10, 12, 12]);
  });

  it("leaves out items dated after the statement date and items of amount 0", () => {
    const items = [
      item("later", "bank", "2025-04-01", 500),
      item("nothing", "bank", "2025-03-30", 0),
      item("fee", "bank", "2025-03-30", -500),
    ];
    const result = explain(items, 500);
    expect(result).toMatchObject({ kind: "unexplained", explained: false, candidates: [] });
    expect(result.searched).toMatchObject({
      itemsOffered: 3,
      items: 1,
      itemsSkipped: { afterDate: 1, zero: 1, pool: 0 },
    });
  });

  it("returns the caller's own objects, extra fields and all", () => {
    const rich = { ...item("chk-9", "ledger", "2025-03-30", -7_500), payee: "Acme Supplies" };
    const result = explainBalanceDifference({
      statement: { amountMinor: 7_500, currency: "USD", date: DATE },
      books: { amountMinor: 0, currency: "USD" },
      openItems: [rich],
    });
    expect(result.candidates[0]?.items[0]).toBe(rich);
  });
});

/** A day within `daysMax` before the statement date. */
function dayBefore(rng: Rng, daysMax: number): string {
  return dayToIso(isoToDay(DATE) - rng.int(daysMax + 1));
}

/** `count` open items of random sides, dates and amounts (both signs, up to 50,000.00). */
function randomItems(rng: Rng, count: number, amountMax = 5_000_000): OpenItem[] {
  return Array.from({ length: count }, (_, i) => {
    const magnitude = rng.between(1, amountMax);
    return item(
      `i${i}`,
      rng.chance(0.5) ? "bank" : "ledger",
      dayBefore(rng, 90),
      rng.chance(0.5) ? magnitude : -magnitude,
    );
  });
}

/** k distinct positions out of n. */
function choose(rng: Rng, n: number, k: number): number[] {
  const picked = new Set<number>();
  while (picked.size < k) picked.add(rng.int(n));
  return [...picked];
}

/**
 * An oracle independent of the explainer's search: how many sets of 1, 2 and 3 items add up to
 * `target` (by a map of values, O(n²)), so a test knows when the true set is the unique smallest.
 */
function countSets(values: readonly number[], target: number): [number, number, number] {
  const later = new Map<number, number>(); // value → how many items after the current one
  const counts: [number, number, number] = [0, 0, 0];
  for (let i = values.length - 1; i >= 0; i--) {
    const vi = values[i] as number;
    if (vi === target) counts[0]++;
    counts[1] += later.get(target - vi) ?? 0;
    // Triples with i first: pairs j < k after i, counted with the map of items after j.
    later.set(vi, (later.get(vi) ?? 0) + 1);
  }
  for (let i = 0; i < values.length; i++) {
    const after = new Map<number, number>();
    for (let j = values.length - 1; j > i; j--) {
      const need = target - (values[i] as number) - (values[j] as number);
      counts[2] += after.get(need) ?? 0;
      after.set(values[j] as number, (after.get(values[j] as number) ?? 0) + 1);
    }
  }
  return counts;
}

/** How many sets of each size 1 … sizeMax add up to `target`, by trying every one. */
function bruteForceCounts(values: readonly number[], target: number, sizeMax: number): number[] {
  const counts = new Array<number>(sizeMax).fill(0);
  const walk = (from: number, size: number, sum: number) => {
    for (let i = from; i < values.length; i++) {
      const next = sum + (values[i] as number);
      if (next === target) counts[size] = (counts[size] as number) + 1;
      if (size + 1 < sizeMax) walk(i + 1, size + 1, next);
    }
  };
  walk(0, 0, 0);
  return counts;
}

describe("explainBalanceDifference on generated books: hundreds of open items, 1 to 3 missing", () => {
  it("finds a set of the missing items' size or smaller adding up to the difference, and the true set when it is the only smallest", () => {
    let uniqueCases = 0;
    const runs = 60;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (seed) => {
        const rng = createRng(seed);
        const items = randomItems(rng, rng.between(200, 600));
        const missing = choose(rng, items.length, rng.between(1, 3)).map((i) => items[i] as OpenItem);
        const difference = sumOf(missing);
        if (difference === 0) return;
        const result = explain(items, difference);
        expect(result.kind).toBe("explained");
        const size = result.candidates[0]?.items.length ?? 0;
        expect(size).toBeGreaterThanOrEqual(1);
        expect(size).toBeLessThanOrEqual(missing.length);
        for (const candidate of result.candidates) {
          expect(candidate.items).toHaveLength(size);
          expect(sumOf(candidate.items)).toBe(difference);
          expect(candidate.totalMinor).toBe(difference);
          expect(new Set(candidate.items.map(keyOf)).size).toBe(size);
        }
        expect(result.searched.completeUpToItems).toBeGreaterThanOrEqual(size - 1);
        const counts = countSets(items.map(contributionMinor), difference);
        expect(size).toBe(counts.findIndex((c) => c > 0) + 1);
        expect(result.searched.candidatesFound).toBe(counts[size - 1]);
        const smaller = counts.slice(0, missing.length - 1).some((c) => c > 0);
        if (!smaller && counts[missing.length - 1] === 1) {
          uniqueCases++;
          expect(result.candidates).toHaveLength(1);
          expect(new Set(result.candidates[0]?.items.map(keyOf))).toEqual(new Set(missing.map(keyOf)));
        }
      }),
      { numRuns: runs, seed: 20250331 },
    );
    expect(uniqueCases).toBeGreaterThan(runs / 2);
  });

  it("puts the true set among the ranked candidates when equally small sets compete", () => {
    // Amounts up to 50.00 among 150 items: pairs often share a sum, so the true pair has rivals.
    let rivalled = 0;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (seed) => {
        const rng = createRng(seed);
        const items = randomItems(rng, 150, 5_000);
        const missing = choose(rng, items.length, 2).map((i) => items[i] as OpenItem);
        const difference = sumOf(missing);
        const counts = countSets(items.map(contributionMinor), difference);
        if (difference === 0 || counts[0] > 0 || counts[1] > 100) return;
        if (counts[1] > 1) rivalled++;
        const result = explain(items, difference, { candidatesMax: 100 });
        expect(result.kind).toBe("explained");
        expect(result.searched.candidatesFound).toBe(counts[1]);
        const truth = new Set(missing.map(keyOf));
        const found = result.candidates.some((c) => c.items.every((i) => truth.has(keyOf(i))));
        expect(found).toBe(true);
      }),
      { numRuns: 40, seed: 7 },
    );
    expect(rivalled).toBeGreaterThan(10);
  });

  it("finds exactly the sets of four to six items a brute force finds, none twice", () => {
    // 26 items of amounts up to 30.00: sets often share a sum, so the pair table has chains.
    let checked = 0;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (seed) => {
        const rng = createRng(seed);
        const items = randomItems(rng, 26, 3_000);
        const missing = choose(rng, items.length, rng.between(4, 6)).map((i) => items[i] as OpenItem);
        const difference = sumOf(missing);
        const counts = bruteForceCounts(items.map(contributionMinor), difference, 6);
        const smallest = counts.findIndex((c) => c > 0);
        if (difference === 0 || smallest < 3) return;
        checked++;
        const result = explain(items, difference, { candidatesMax: 100, candidatesCollectedMax: 100_000 });
        expect(result.candidates[0]?.items).toHaveLength(smallest + 1);
        expect(result.searched.candidatesFound).toBe(counts[smallest]);
        const keys = result.candidates.map((c) => c.items.map(keyOf).join(","));
        expect(new Set(keys).size).toBe(keys.length);
      }),
      { numRuns: 60, seed: 11 },
    );
    expect(checked).toBeGreaterThan(20);
  });

  it("gives the same answer whatever the order of the open items", () => {
    const rng = createRng(42);
    const items = randomItems(rng, 300, 20_000);
    const difference = sumOf([items[3], items[150], items[299]] as OpenItem[]);
    const expected = explain(items, difference);
    expect(expected.searched.candidatesFound).toBeGreaterThan(1); // ties in rank are broken too
    fc.assert(
      fc.property(
        fc.shuffledSubarray(items, { minLength: items.length, maxLength: items.length }),
        (shuffled) => {
          expect(explain(shuffled, difference)).toEqual(expected);
        },
      ),
      { numRuns: 25, seed: 3 },
    );
  });

  it("answers 500 items with 3 missing within a small, fixed amount of work", () => {
    const rng = createRng(500);
    const items = randomItems(rng, 500);
    const missing = [items[17], items[260], items[481]] as OpenItem[];
    const result = explain(items, sumOf(missing));
    expect(new Set(result.candidates[0]?.items.map(keyOf))).toEqual(new Set(missing.map(keyOf)));
    // Sizes 1 to 3: the single-item table (500), then every pair as the first two of a triple (124,251).
    expect(result.searched.combinations).toBeLessThan(130_000);
    expect(result.searched.truncated).toBe(false);
  });
});

describe("explainBalanceDifference when nothing explains the difference", () => {
  it("says so when every set of up to the bound was tried", () => {
    // Whole dollars only: no set reaches 43.21.
    const rng = createRng(9);
    const items = randomItems(rng, 40, 50_000).map((i) => ({ ...i, amountMinor: i.amountMinor * 100 }));
    const result = explain(items, 4_321);
    expect(result).toMatchObject({ kind: "unexplained", explained: false, candidates: [] });
    expect(result.searched).toMatchObject({
      items: 40,
      completeUpToItems: 6,
      truncated: false,
      truncatedBy: [],
    });
    expect(result.message).toBe(
      "statement 10,043.21 USD on 2025-03-31, books 10,000.00 USD: difference 43.21 USD; no set of up to 6 of the 40 open items adds up to it",
    );
  });

  it("rules out a difference beyond what any set can reach without searching", () => {
    const items = randomItems(createRng(10), 500, 1_000);
    const result = explain(items, 10_000_000);
    expect(result.kind).toBe("unexplained");
    expect(result.searched.combinations).toBe(0);
  });

  it("reports a search stopped by its work bound as truncated, not as unexplained", () => {
    const rng = createRng(11);
    const items = randomItems(rng, 500, 50_000).map((i) => ({ ...i, amountMinor: i.amountMinor * 100 }));
    const result = explain(items, 4_321);
    expect(result).toMatchObject({ kind: "truncated", explained: false, candidates: [] });
    expect(result.searched).toMatchObject({ completeUpToItems: 4, truncated: true, truncatedBy: ["work"] });
    expect(result.searched.combinations).toBeLessThanOrEqual(5_000_000 + 1);
    expect(result.message).toMatch(
      /no set of up to 4 of the 500 open items adds up to it, and the search stopped at its bound of 5,000,000 combinations$/,
    );
  });

  it("reports items left out of the pool as a truncation, keeping the nearest", () => {
    const items = [
      item("near", "bank", "2025-03-30", 700),
      item("nearer", "bank", "2025-03-31", 800),
      item("far", "ledger", "2024-12-01", -999),
    ];
    const result = explain(items, 999, { poolItemsMax: 2 });
    expect(result.kind).toBe("truncated");
    expect(result.searched).toMatchObject({ items: 2, itemsSkipped: { pool: 1 }, truncatedBy: ["pool"] });
    expect(result.message).toMatch(/adds up to it, and 1 older open item was left out of the search$/);
    expect(explain(items, 999).kind).toBe("explained");
    // A set found in the pool is still reported, with what was left out.
    const found = explain(items, 1_500, { poolItemsMax: 2 });
    expect(found).toMatchObject({ kind: "explained", searched: { truncated: true, truncatedBy: ["pool"] } });
    expect(found.message).toMatch(
      /explained by one set of 2 of the 2 open items; 1 older open item was left/,
    );
  });

  it("stops collecting past its bound when many equally small sets explain it", () => {
    const items = Array.from({ length: 100 }, (_, i) => item(`sub-${i}`, "bank", "2025-03-15", -999));
    const result = explain(items, -2_997, { candidatesCollectedMax: 50 });
    expect(result.kind).toBe("explained");
    expect(result.candidates).toHaveLength(5);
    expect(result.searched).toMatchObject({ candidatesFound: 50, truncatedBy: ["candidates"] });
    expect(result.message).toMatch(
      /explained by 50 or more sets of 3 of the 100 open items, the likeliest 5 shown$/,
    );
  });
});

describe("explainBalanceDifference on bad input", () => {
  const base: ExplainBalanceInput = {
    statement: { amountMinor: 100, currency: "USD", date: DATE },
    books: { amountMinor: 0, currency: "USD" },
    openItems: [],
  };

  it("refuses books in another currency, naming both", () => {
    const run = () => explainBalanceDifference({ ...base, books: { amountMinor: 0, currency: "EUR" } });
    expect(run).toThrow(CurrencyMismatchError);
    expect(run).toThrow("the books' balance is in EUR but the statement balance is in USD");
  });

  it("refuses an open item in another currency, naming it and both currencies", () => {
    const run = () =>
      explainBalanceDifference({ ...base, openItems: [item("fx-1", "bank", DATE, 100, "GBP")] });
    expect(run).toThrow(CurrencyMismatchError);
    expect(run).toThrow(/^open bank item "fx-1" is in GBP but the statement balance is in USD/);
    try {
      run();
    } catch (error) {
      expect(error).toBeInstanceOf(InputError);
      expect(error).toMatchObject({ code: "INPUT", actual: "GBP", expected: "USD" });
    }
  });

  it("refuses an item given twice, a date that is not one, and an amount past the bound", () => {
    const twice = [item("x", "bank", DATE, 1), item("x", "bank", DATE, 2)];
    expect(() => explainBalanceDifference({ ...base, openItems: twice })).toThrow(
      'open bank item "x" is given twice',
    );
    expect(() =>
      explainBalanceDifference({ ...base, openItems: [item("d", "ledger", "31/03/2025", 1)] }),
    ).toThrow(/open ledger item "d" has date "31\/03\/2025"/);
    expect(() =>
      explainBalanceDifference({ ...base, openItems: [item("big", "bank", DATE, 2 ** 50)] }),
    ).toThrow(/open bank item "big" has amount/);
    // The same id on the other side is another item.
    expect(() =>
      explainBalanceDifference({
        ...base,
        openItems: [item("x", "bank", DATE, 1), item("x", "ledger", DATE, 1)],
      }),
    ).not.toThrow();
  });

  it("refuses limits outside their bounds, naming the limit", () => {
    expect(() => explainBalanceDifference({ ...base, limits: { setItemsMax: 9 } })).toThrow(
      "balance explainer limit setItemsMax is 9; expected a whole number from 1 to 8",
    );
    expect(() => explainBalanceDifference({ ...base, limits: { combinationsMax: 0 } })).toThrow(InputError);
  });
});
