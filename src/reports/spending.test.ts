import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { InputError } from "../errors/index.js";
import {
  type CategoryLine,
  type CurrencySpending,
  checkPeriod,
  MERCHANTS_DEFAULT,
  monthsOf,
  PERIOD_DAYS_MAX,
  previousPeriod,
  type SpendingChange,
  type SpendingPeriod,
  summarizeSpending,
} from "./spending.js";
import { groupSpending, type SpendingRow } from "./spending-groups.js";

const DAY_MS = 86_400_000;

/** `YYYY-MM-DD` `days` after `iso`, by the calendar. */
function addDays(iso: string, days: number): string {
  return new Date(Date.parse(`${iso}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

function summarize(rows: readonly SpendingRow[], period: SpendingPeriod, merchantsMax?: number) {
  const options = merchantsMax === undefined ? {} : { merchantsMax };
  return summarizeSpending(groupSpending(rows, period), period, options);
}

function row(fields: Partial<SpendingRow> & Pick<SpendingRow, "amountMinor">): SpendingRow {
  return {
    currency: "USD",
    date: "2026-03-10",
    category: "FOOD_AND_DRINK_COFFEE",
    merchantKey: null,
    merchantName: null,
    ...fields,
  };
}

function only(summary: { currencies: readonly CurrencySpending[] }, currency = "USD"): CurrencySpending {
  const found = summary.currencies.find((c) => c.currency === currency);
  if (found === undefined) throw new Error(`no ${currency} in the summary`);
  return found;
}

const MARCH_2026 = { from: "2026-03-01", to: "2026-03-31" };

describe("previousPeriod", () => {
  test.each([
    ["March 2026 → February, not a leap year", MARCH_2026, { from: "2026-02-01", to: "2026-02-28" }],
    [
      "March 2028 → February, a leap year",
      { from: "2028-03-01", to: "2028-03-31" },
      { from: "2028-02-01", to: "2028-02-29" },
    ],
    [
      "a quarter → the quarter before",
      { from: "2026-04-01", to: "2026-06-30" },
      { from: "2026-01-01", to: "2026-03-31" },
    ],
    [
      "two months over a leap February",
      { from: "2028-03-01", to: "2028-04-30" },
      { from: "2028-01-01", to: "2028-02-29" },
    ],
    [
      "January → December of the year before",
      { from: "2026-01-01", to: "2026-01-31" },
      { from: "2025-12-01", to: "2025-12-31" },
    ],
    [
      "February → January, whatever their lengths",
      { from: "2026-02-01", to: "2026-02-28" },
      { from: "2026-01-01", to: "2026-01-31" },
    ],
    [
      "a whole year → the year before",
      { from: "2028-01-01", to: "2028-12-31" },
      { from: "2027-01-01", to: "2027-12-31" },
    ],
    [
      "a 10-day span → the 10 days before",
      { from: "2026-03-05", to: "2026-03-14" },
      { from: "2026-02-23", to: "2026-03-04" },
    ],
    [
      "a month less its last day → the same number of days before",
      { from: "2026-03-01", to: "2026-03-30" },
      { from: "2026-01-30", to: "2026-02-28" },
    ],
    [
      "one day → the day before",
      { from: "2028-03-01", to: "2028-03-01" },
      { from: "2028-02-29", to: "2028-02-29" },
    ],
  ])("%s", (_what, period, expected) => {
    expect(previousPeriod(period)).toEqual(expected);
  });

  test("a span that is not whole months has as many days as the period and ends the day before it", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3000 }), fc.integer({ min: 0, max: 400 }), (start, length) => {
        const from = addDays("2020-01-02", start);
        const to = addDays(from, length);
        fc.pre(!(from.endsWith("-01") && addDays(to, 1).endsWith("-01")));
        const previous = previousPeriod({ from, to });
        expect(previous.to).toBe(addDays(from, -1));
        expect(previous.from).toBe(addDays(from, -(length + 1)));
      }),
    );
  });
});

describe("checkPeriod", () => {
  test.each([
    ["a date that is not one", { from: "2026-02-30", to: "2026-03-31" }, "period:"],
    ["a date in another form", { from: "2026/03/01", to: "2026-03-31" }, "period:"],
    [
      "reversed ends",
      { from: "2026-03-31", to: "2026-03-01" },
      "period: from 2026-03-31 is after to 2026-03-01",
    ],
    [
      "a span past the limit",
      { from: "2020-01-01", to: addDays("2020-01-01", PERIOD_DAYS_MAX) },
      `longer than ${PERIOD_DAYS_MAX} days`,
    ],
  ])("refuses %s with an InputError", (_what, period, message) => {
    expect(() => checkPeriod(period)).toThrow(InputError);
    expect(() => checkPeriod(period)).toThrow(message);
    expect(() => previousPeriod(period)).toThrow(InputError);
    expect(() => summarizeSpending([], period)).toThrow(InputError);
  });

  test("accepts one day and a span of exactly the limit", () => {
    expect(() => checkPeriod({ from: "2026-03-01", to: "2026-03-01" })).not.toThrow();
    expect(() =>
      checkPeriod({ from: "2020-01-01", to: addDays("2020-01-01", PERIOD_DAYS_MAX - 1) }),
    ).not.toThrow();
  });
});

describe("monthsOf", () => {
  test("lists every month the period touches, in order, across a year end", () => {
    expect(monthsOf({ from: "2026-11-15", to: "2027-02-03" })).toEqual([
      "2026-11",
      "2026-12",
      "2027-01",
      "2027-02",
    ]);
  });

  test("one month for a period inside a month", () => {
    expect(monthsOf({ from: "2026-03-05", to: "2026-03-05" })).toEqual(["2026-03"]);
    expect(monthsOf(MARCH_2026)).toEqual(["2026-03"]);
  });
});

describe("summarizeSpending: examples", () => {
  test("a refund in an expense category lowers that category's spending, not raises income", () => {
    const rows = [
      row({ amountMinor: -5_00 }),
      row({ amountMinor: -3_00 }),
      row({ amountMinor: 3_00, date: "2026-03-12" }),
      row({ amountMinor: 2_000_00, category: "INCOME_SALARY" }),
    ];
    const usd = only(summarize(rows, MARCH_2026));
    expect(usd.totals).toEqual({ incomeMinor: 2_000_00, expensesMinor: 5_00, netMinor: 1_995_00, count: 4 });
    const food = usd.categories.find((c) => c.code === "FOOD_AND_DRINK");
    expect(food).toMatchObject({
      incomeMinor: 0,
      expensesMinor: 5_00,
      netMinor: -5_00,
      count: 3,
      side: "expenses",
    });
    expect(food?.detailed.map((d) => [d.code, d.expensesMinor, d.count])).toEqual([
      ["FOOD_AND_DRINK_COFFEE", 5_00, 3],
    ]);
  });

  test("a row given only a primary category is a line of the primary's own code in the drill-down", () => {
    const rows = [
      row({ amountMinor: -5_00, category: "FOOD_AND_DRINK" }),
      row({ amountMinor: -20_00, category: "FOOD_AND_DRINK_GROCERIES" }),
    ];
    const food = only(summarize(rows, MARCH_2026)).categories.find((c) => c.code === "FOOD_AND_DRINK");
    expect(food?.expensesMinor).toBe(25_00);
    expect(food?.detailed.map((d) => [d.code, d.expensesMinor, d.detailed])).toEqual([
      ["FOOD_AND_DRINK_GROCERIES", 20_00, []],
      ["FOOD_AND_DRINK", 5_00, []],
    ]);
  });

  test("a reversed salary payment lowers income", () => {
    const rows = [
      row({ amountMinor: 2_000_00, category: "INCOME_SALARY" }),
      row({ amountMinor: -500_00, category: "INCOME_SALARY" }),
    ];
    expect(only(summarize(rows, MARCH_2026)).totals).toEqual({
      incomeMinor: 1_500_00,
      expensesMinor: 0,
      netMinor: 1_500_00,
      count: 2,
    });
  });

  test("an uncategorized or unknown row counts by its sign", () => {
    const rows = [
      row({ amountMinor: 40_00, category: "UNCATEGORIZED" }),
      row({ amountMinor: -15_00, category: "UNCATEGORIZED" }),
      row({ amountMinor: -7_00, category: "SOMETHING_PLAID_ADDED" }),
    ];
    expect(only(summarize(rows, MARCH_2026)).totals).toEqual({
      incomeMinor: 40_00,
      expensesMinor: 22_00,
      netMinor: 18_00,
      count: 3,
    });
  });

  test("currencies are never summed together, and are listed in order", () => {
    const rows = [
      row({ amountMinor: -10, currency: "JPY" }),
      row({ amountMinor: -10_00, currency: "USD" }),
      row({ amountMinor: -1_00, currency: "EUR" }),
    ];
    const summary = summarize(rows, MARCH_2026);
    expect(summary.currencies.map((c) => [c.currency, c.totals.expensesMinor])).toEqual([
      ["EUR", 1_00],
      ["JPY", 10],
      ["USD", 10_00],
    ]);
    expect(summary.period).toEqual(MARCH_2026);
    expect(summary.previousPeriod).toEqual({ from: "2026-02-01", to: "2026-02-28" });
  });

  test("rows outside the period and the one before it are left out", () => {
    const rows = [
      row({ amountMinor: -1_00, date: "2026-01-31" }),
      row({ amountMinor: -2_00, date: "2026-02-01" }),
      row({ amountMinor: -4_00, date: "2026-03-31" }),
      row({ amountMinor: -8_00, date: "2026-04-01" }),
    ];
    const usd = only(summarize(rows, MARCH_2026));
    expect(usd.totals.expensesMinor).toBe(4_00);
    expect(usd.previous.expensesMinor).toBe(2_00);
  });

  test("change from the previous period, with no percent where the previous was zero", () => {
    const rows = [
      row({ amountMinor: -100_00, date: "2026-02-10" }),
      row({ amountMinor: -150_00, date: "2026-03-10" }),
      row({ amountMinor: 1_000_00, date: "2026-03-10", category: "INCOME_SALARY" }),
    ];
    const usd = only(summarize(rows, MARCH_2026));
    expect(usd.change.expenses).toEqual({ minor: 50_00, percent: 50 });
    expect(usd.change.income).toEqual({ minor: 1_000_00, percent: null });
    // Net went from -100.00 to +850.00.
    expect(usd.change.net).toEqual({ minor: 950_00, percent: 950 });
    const income = usd.categories.find((c) => c.code === "INCOME");
    expect(income?.change).toEqual({ minor: 1_000_00, percent: null });
    expect(income?.previous).toEqual({ incomeMinor: 0, expensesMinor: 0, netMinor: 0 });
  });

  test("a category spent in only the previous period is listed, with nothing now", () => {
    const rows = [row({ amountMinor: -30_00, date: "2026-02-10", category: "TRAVEL_FLIGHTS" })];
    const usd = only(summarize(rows, MARCH_2026));
    const travel = usd.categories.find((c) => c.code === "TRAVEL");
    expect(travel).toMatchObject({ expensesMinor: 0, count: 0, previous: { expensesMinor: 30_00 } });
    expect(travel?.change).toEqual({ minor: -30_00, percent: -100 });
    expect(travel?.detailed).toEqual([]);
    expect(usd.totals).toEqual({ incomeMinor: 0, expensesMinor: 0, netMinor: 0, count: 0 });
  });

  test("merchants list only spending, net of refunds, most spent first, up to merchantsMax", () => {
    const at = (merchantKey: string, amountMinor: number, category = "FOOD_AND_DRINK_COFFEE") =>
      row({ merchantKey, merchantName: merchantKey.toUpperCase(), amountMinor, category });
    const rows = [
      at("a", -10_00),
      at("b", -30_00),
      at("b", 5_00),
      at("c", -20_00),
      at("d", -40_00),
      at("d", 40_00),
      at("employer", 3_000_00, "INCOME_SALARY"),
      at("e", -1_00),
      row({ amountMinor: -99_00 }),
    ];
    const usd = only(summarize(rows, MARCH_2026, 3));
    expect(usd.merchants.map((m) => [m.key, m.name, m.spentMinor, m.count])).toEqual([
      ["b", "B", 25_00, 2],
      ["c", "C", 20_00, 1],
      ["a", "A", 10_00, 1],
    ]);
    expect(usd.merchants[0]?.share).toBeCloseTo(25_00 / usd.totals.expensesMinor, 4);
    expect(only(summarize(rows, MARCH_2026)).merchants.map((m) => m.key)).toEqual(["b", "c", "a", "e"]);
  });

  test(`at most ${MERCHANTS_DEFAULT} merchants by default`, () => {
    const rows = Array.from({ length: MERCHANTS_DEFAULT + 5 }, (_, i) =>
      row({ merchantKey: `m${i}`, merchantName: `M${i}`, amountMinor: -(i + 1) * 1_00 }),
    );
    const merchants = only(summarize(rows, MARCH_2026)).merchants;
    expect(merchants).toHaveLength(MERCHANTS_DEFAULT);
    expect(merchants[0]?.key).toBe(`m${MERCHANTS_DEFAULT + 4}`);
  });

  test("months list every month of the period, zero where nothing happened", () => {
    const rows = [
      row({ amountMinor: -5_00, date: "2026-01-15" }),
      row({ amountMinor: 7_00, date: "2026-03-02" }),
    ];
    const usd = only(summarize(rows, { from: "2026-01-01", to: "2026-03-31" }));
    expect(usd.months).toEqual([
      { month: "2026-01", incomeMinor: 0, expensesMinor: 5_00, netMinor: -5_00, count: 1 },
      { month: "2026-02", incomeMinor: 0, expensesMinor: 0, netMinor: 0, count: 0 },
      { month: "2026-03", incomeMinor: 0, expensesMinor: -7_00, netMinor: 7_00, count: 1 },
    ]);
  });

  test("no rows give no currencies", () => {
    expect(summarize([], MARCH_2026).currencies).toEqual([]);
  });
});

describe("summarizeSpending over random rows", () => {
  type Kind = "income" | "expense" | "unknown";
  /** The test's own table of the categories it draws: primary and kind. */
  const CATEGORIES: Record<string, { primary: string; kind: Kind }> = {
    INCOME_SALARY: { primary: "INCOME", kind: "income" },
    TRANSFER_IN_DEPOSIT: { primary: "TRANSFER_IN", kind: "income" },
    FOOD_AND_DRINK: { primary: "FOOD_AND_DRINK", kind: "expense" },
    FOOD_AND_DRINK_COFFEE: { primary: "FOOD_AND_DRINK", kind: "expense" },
    FOOD_AND_DRINK_GROCERIES: { primary: "FOOD_AND_DRINK", kind: "expense" },
    FOOD_AND_DRINK_SOMETHING_NEW: { primary: "FOOD_AND_DRINK", kind: "expense" },
    RENT_AND_UTILITIES_RENT: { primary: "RENT_AND_UTILITIES", kind: "expense" },
    UNCATEGORIZED: { primary: "UNCATEGORIZED", kind: "unknown" },
    MYSTERY: { primary: "MYSTERY", kind: "unknown" },
  };
  const MERCHANTS: Record<string, string> = { "desc:a": "A", "desc:b": "B", "name:c": "C", "entity:d": "D" };

  const PERIODS: SpendingPeriod[] = [
    { from: "2026-03-01", to: "2026-04-30" },
    { from: "2026-03-10", to: "2026-03-24" },
    { from: "2026-02-01", to: "2026-02-28" },
  ];

  const rowArb: fc.Arbitrary<SpendingRow> = fc
    .record({
      currency: fc.constantFrom("USD", "EUR", "JPY"),
      day: fc.integer({ min: 0, max: 150 }),
      category: fc.constantFrom(...Object.keys(CATEGORIES)),
      merchantKey: fc.constantFrom(null, ...Object.keys(MERCHANTS)),
      amountMinor: fc.oneof(fc.integer({ min: -50_000, max: 50_000 }), fc.constantFrom(-1, 1, 0)),
    })
    .map(({ day, merchantKey, ...rest }) => ({
      ...rest,
      date: addDays("2025-12-15", day),
      merchantKey,
      merchantName: merchantKey === null ? null : (MERCHANTS[merchantKey] ?? null),
    }));

  const input = fc.record({
    rows: fc.array(rowArb, { maxLength: 80 }),
    period: fc.constantFrom(...PERIODS),
    merchantsMax: fc.integer({ min: 1, max: 5 }),
  });

  interface Sums {
    income: number;
    expenses: number;
    net: number;
    count: number;
  }
  const zero = (): Sums => ({ income: 0, expenses: 0, net: 0, count: 0 });

  function addRow(sums: Sums, r: SpendingRow): void {
    const kind = CATEGORIES[r.category]?.kind ?? "unknown";
    const a = r.amountMinor;
    if (kind === "income") sums.income += a;
    else if (kind === "expense") sums.expenses -= a;
    else if (a > 0) sums.income += a;
    else sums.expenses -= a;
    sums.net += a;
    sums.count++;
  }

  function sumOf(rows: readonly SpendingRow[], keep: (r: SpendingRow) => boolean): Sums {
    const sums = zero();
    for (const r of rows) if (keep(r)) addRow(sums, r);
    return sums;
  }

  function expectChange(change: SpendingChange, now: number, before: number): void {
    expect(change.minor).toBe(now - before);
    if (before === 0) expect(change.percent).toBeNull();
    else expect(change.percent).toBeCloseTo(((now - before) / Math.abs(before)) * 100, 1);
  }

  function expectLine(line: CategoryLine | undefined, now: Sums, before: Sums): void {
    expect(line).toBeDefined();
    expect(line).toMatchObject({
      incomeMinor: now.income,
      expensesMinor: now.expenses,
      netMinor: now.net,
      count: now.count,
      previous: { incomeMinor: before.income, expensesMinor: before.expenses, netMinor: before.net },
    });
  }

  test("totals, categories, months and merchants equal plain sums over the rows, per currency", () => {
    fc.assert(
      fc.property(input, ({ rows, period, merchantsMax }) => {
        const previous = previousPeriod(period);
        const isNow = (r: SpendingRow) => r.date >= period.from && r.date <= period.to;
        const isBefore = (r: SpendingRow) => r.date >= previous.from && r.date <= previous.to;
        const summary = summarize(rows, period, merchantsMax);

        const currencies = [
          ...new Set(rows.filter((r) => isNow(r) || isBefore(r)).map((r) => r.currency)),
        ].sort();
        expect(summary.currencies.map((c) => c.currency)).toEqual(currencies);

        for (const spending of summary.currencies) {
          const mine = rows.filter((r) => r.currency === spending.currency);
          const now = sumOf(mine, isNow);
          const before = sumOf(mine, isBefore);
          expect(spending.totals).toEqual({
            incomeMinor: now.income,
            expensesMinor: now.expenses,
            netMinor: now.net,
            count: now.count,
          });
          expect(spending.previous).toEqual({
            incomeMinor: before.income,
            expensesMinor: before.expenses,
            netMinor: before.net,
            count: before.count,
          });
          expectChange(spending.change.income, now.income, before.income);
          expectChange(spending.change.expenses, now.expenses, before.expenses);
          expectChange(spending.change.net, now.net, before.net);

          // Categories: one line per primary seen in either period; under it a line for each code
          // of this period, the primary's own code included, so the drill-down adds up to it.
          const primaries = new Set(
            mine.filter((r) => isNow(r) || isBefore(r)).map((r) => CATEGORIES[r.category]?.primary),
          );
          expect(spending.categories.map((c) => c.code).sort()).toEqual([...primaries].sort());
          for (const line of spending.categories) {
            const inPrimary = (r: SpendingRow) => CATEGORIES[r.category]?.primary === line.code;
            expectLine(
              line,
              sumOf(mine, (r) => inPrimary(r) && isNow(r)),
              sumOf(mine, (r) => inPrimary(r) && isBefore(r)),
            );
            const detailedCodes = new Set(
              mine.filter((r) => inPrimary(r) && isNow(r)).map((r) => r.category),
            );
            expect(line.detailed.map((d) => d.code).sort()).toEqual([...detailedCodes].sort());
            for (const d of line.detailed)
              expectLine(
                d,
                sumOf(mine, (r) => r.category === d.code && isNow(r)),
                sumOf(mine, (r) => r.category === d.code && isBefore(r)),
              );
            const totalOf = (lines: readonly CategoryLine[]) =>
              lines.reduce(
                (t, d) => ({
                  incomeMinor: t.incomeMinor + d.incomeMinor,
                  expensesMinor: t.expensesMinor + d.expensesMinor,
                  netMinor: t.netMinor + d.netMinor,
                  count: t.count + d.count,
                }),
                { incomeMinor: 0, expensesMinor: 0, netMinor: 0, count: 0 },
              );
            expect(totalOf(line.detailed)).toEqual({
              incomeMinor: line.incomeMinor,
              expensesMinor: line.expensesMinor,
              netMinor: line.netMinor,
              count: line.count,
            });
          }
          const weights = spending.categories.map((c) => [c.expensesMinor, c.incomeMinor] as const);
          for (let i = 1; i < weights.length; i++) {
            const [e0, i0] = weights[i - 1] ?? [0, 0];
            const [e1, i1] = weights[i] ?? [0, 0];
            expect(e0 > e1 || (e0 === e1 && i0 >= i1)).toBe(true);
          }

          // Months: every month of the period, in order, each the sum of its rows.
          expect(spending.months.map((m) => m.month)).toEqual(monthsOf(period));
          for (const m of spending.months) {
            const s = sumOf(mine, (r) => isNow(r) && r.date.startsWith(m.month));
            expect(m).toEqual({
              month: m.month,
              incomeMinor: s.income,
              expensesMinor: s.expenses,
              netMinor: s.net,
              count: s.count,
            });
          }

          // Merchants: what was spent there this period (net of refunds), only where positive.
          const spent = new Map<string, number>();
          for (const r of mine) {
            if (!isNow(r) || r.merchantKey === null) continue;
            const one = zero();
            addRow(one, r);
            spent.set(r.merchantKey, (spent.get(r.merchantKey) ?? 0) + one.expenses);
          }
          const expected = [...spent]
            .filter(([, minor]) => minor > 0)
            .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
            .slice(0, merchantsMax);
          expect(spending.merchants.map((m) => [m.key, m.spentMinor])).toEqual(expected);
          for (const m of spending.merchants) {
            expect(m.name).toBe(MERCHANTS[m.key]);
            // Shares are rounded to four decimals.
            const share = now.expenses === 0 ? 0 : m.spentMinor / now.expenses;
            expect(Math.abs(m.share - share)).toBeLessThanOrEqual(0.00005 + 1e-12);
          }
        }
      }),
      { numRuns: 400 },
    );
  });

  test("where every line has one sign, the shares of each side's lines add up to one", () => {
    // Income kinds take money in, expense kinds money out, and each unknown code keeps one sign.
    const signOf: Record<string, 1 | -1> = { UNCATEGORIZED: -1, MYSTERY: 1 };
    const oneSigned = rowArb
      .filter((r) => r.amountMinor !== 0)
      .map((r) => {
        const info = CATEGORIES[r.category];
        const sign = info?.kind === "income" ? 1 : info?.kind === "expense" ? -1 : (signOf[r.category] ?? 1);
        return { ...r, amountMinor: sign * Math.abs(r.amountMinor) };
      });
    fc.assert(
      fc.property(fc.array(oneSigned, { maxLength: 60 }), fc.constantFrom(...PERIODS), (rows, period) => {
        for (const spending of summarize(rows, period).currencies) {
          for (const side of ["expenses", "income"] as const) {
            const lines = spending.categories.filter((c) => c.side === side);
            const total = side === "expenses" ? spending.totals.expensesMinor : spending.totals.incomeMinor;
            const shares = lines.reduce((sum, c) => sum + c.share, 0);
            expect(shares).toBeCloseTo(total === 0 ? 0 : 1, 3);
            for (const c of lines) expect(c.share).toBeGreaterThanOrEqual(0);
            for (const c of lines)
              expect(c.detailed.reduce((sum, d) => sum + d.share, 0)).toBeCloseTo(c.share, 3);
          }
          const merchantShares = spending.merchants.reduce((sum, m) => sum + m.share, 0);
          expect(merchantShares).toBeLessThanOrEqual(1.001);
        }
      }),
      { numRuns: 300 },
    );
  });
});
