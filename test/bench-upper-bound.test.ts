import { describe, expect, it } from "vitest";
import { floorJoin } from "../bench/floor.js";
import { payoutReportCsv } from "../bench/payout-report.js";
import { splitCsv } from "../bench/plain-read.js";
import { countSmallSubsets, countSubsetsExact, findOtherSubset } from "../bench/subset-count.js";
import { type Row, type Truth, type TruthGroup, upperBound } from "../bench/upper-bound.js";

/** Deterministic numbers for the comparisons with brute force. */
function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s / 2 ** 32;
  };
}

/** Subsets of 1 to `cap` values summing to `target`, by enumeration, saturated at 2. */
function bruteCount(values: readonly number[], target: number, cap: number): number {
  let count = 0;
  for (let mask = 1; mask < 1 << values.length; mask++) {
    let sum = 0;
    let size = 0;
    for (let i = 0; i < values.length; i++) {
      if ((mask & (1 << i)) !== 0) {
        sum += values[i]!;
        size++;
      }
    }
    if (size <= cap && sum === target) count++;
  }
  return Math.min(count, 2);
}

describe("subset counts", () => {
  it("count subsets exactly, with mixed signs, as enumeration does", () => {
    const rnd = random(7);
    for (let round = 0; round < 600; round++) {
      const n = 1 + Math.floor(rnd() * 12);
      const span = [5, 40, 3000][round % 3]!;
      const values = Array.from({ length: n }, () => Math.floor(rnd() * span) - (rnd() < 0.3 ? span : 0));
      const cap = 1 + Math.floor(rnd() * 6);
      const target = values.slice(0, 1 + Math.floor(rnd() * n)).reduce((a, b) => a + b, 0);
      const want = bruteCount(values, target, cap);
      expect(countSubsetsExact(values, target, cap, 1e12)?.count, `${values} → ${target} (≤ ${cap})`).toBe(
        want,
      );
      const small = Math.min(cap, 4);
      expect(countSmallSubsets(values, target, small, 1e12)).toBe(bruteCount(values, target, small));
    }
  });

  it("give up past the work limit instead of running long", () => {
    expect(countSubsetsExact([1, 2, 3], 1_000_000, 3, 10)).toBeNull();
    expect(countSmallSubsets([1, 2, 3, 4, 5], 9, 4, 10)).toBeNull();
  });

  it("find a second subset only where one exists", () => {
    const rnd = random(11);
    for (let round = 0; round < 400; round++) {
      const n = 2 + Math.floor(rnd() * 10);
      const values = Array.from({ length: n }, () => 1 + Math.floor(rnd() * 60));
      const k = 1 + Math.floor(rnd() * Math.min(4, n - 1));
      const truth = values.slice(0, k);
      const cap = k + 2;
      const { found } = findOtherSubset(truth, values.slice(k), cap, 1e9);
      const total = truth.reduce((a, b) => a + b, 0);
      if (found) expect(bruteCount(values, total, cap)).toBe(2);
    }
    // 30 + 70 = 100 = 40 + 60: swapping one pair for another
    expect(findOtherSubset([30, 70], [40, 60, 5], 4, 1e9).found).toBe(true);
    expect(findOtherSubset([30, 70], [41, 7], 4, 1e9).found).toBe(false);
  });
});

const row = (id: string, date: string, cents: number, accountId = "A"): Row => ({
  id,
  date,
  cents,
  currency: "USD",
  accountId,
});

function bound(bank: Row[], expected: Row[], groups: TruthGroup[], unmatched: Partial<Truth> = {}) {
  const truth: Truth = {
    groups,
    unmatched_bank: unmatched.unmatched_bank ?? [],
    unmatched_expected: unmatched.unmatched_expected ?? [],
  };
  return upperBound(new Map(bank.map((r) => [r.id, r])), new Map(expected.map((r) => [r.id, r])), truth);
}

describe("upper bound per kind", () => {
  // a payout of two sales and a fee: 100.00 + 50.00 − 4.35 = 145.65, paid on the 5th
  const payoutBank = row("B1", "2025-01-05", 14565);
  const sales = [
    row("E1", "2025-01-02", 10000),
    row("E2", "2025-01-03", 5000),
    row("E3", "2025-01-03", -435),
  ];
  const payout: TruthGroup = { kind: "payout", bank: ["B1"], expected: ["E1", "E2", "E3"] };
  const invoice: TruthGroup = { kind: "invoice", bank: ["B2"], expected: ["E9"] };
  const oneToOne = [row("B2", "2025-01-04", 2500)];
  const oneToOneLedger = [row("E9", "2025-01-04", 2500)];

  it("is 1 for a group no other open entries can imitate, and for one-to-one kinds", () => {
    const result = bound([payoutBank, ...oneToOne], [...sales, ...oneToOneLedger], [payout, invoice]);
    expect(result.kinds.payout?.bound).toBe(1);
    expect(result.kinds.payout?.estimated).toBe(false);
    expect(result.kinds.invoice).toMatchObject({ shape: "one-to-one", bound: 1 });
  });

  it("is 0 when another subset of open entries in the window sums to the deposit", () => {
    // 60.00 + 40.00 could stand in for the 100.00 sale: an accountless entry counts too
    const rivals = [row("R1", "2025-01-03", 6000), row("R2", "2025-01-04", 4000, "")];
    const result = bound([payoutBank], [...sales, ...rivals], [payout], { unmatched_expected: ["R1", "R2"] });
    expect(result.kinds.payout).toMatchObject({ bound: 0, pairs: 3, ambiguousPairs: 3 });
  });

  it("ignores entries of another account, outside the window, or matched one-to-one", () => {
    const elsewhere = [
      row("R1", "2025-01-03", 6000, "OTHER"), // another account
      row("R2", "2025-01-04", 4000, "OTHER"),
      row("R3", "2024-12-30", 6000), // before the earliest sale
      row("R4", "2025-01-03", 4000),
      row("R5", "2025-01-03", 6000), // matched one-to-one: not open
      row("R6", "2025-01-09", 4000), // after the payout
    ];
    const matched: TruthGroup = { kind: "invoice", bank: ["B5"], expected: ["R5"] };
    const result = bound(
      [payoutBank, row("B5", "2025-01-03", 6000)],
      [...sales, ...elsewhere],
      [payout, matched],
      {
        unmatched_expected: ["R1", "R2", "R3", "R4", "R6"],
      },
    );
    expect(result.kinds.payout?.bound).toBe(1);
  });

  it("weighs groups by pairs: one ambiguous payout of three pairs, one clear of two", () => {
    const second = [row("F1", "2025-02-10", 7000), row("F2", "2025-02-10", -300)];
    const secondBank = row("B3", "2025-02-12", 6700);
    const rivals = [row("R1", "2025-01-03", 6000), row("R2", "2025-01-04", 4000)];
    const result = bound(
      [payoutBank, secondBank],
      [...sales, ...second, ...rivals],
      [payout, { kind: "payout", bank: ["B3"], expected: ["F1", "F2"] }],
      { unmatched_expected: ["R1", "R2"] },
    );
    expect(result.kinds.payout?.bound).toBeCloseTo(2 / 5);
  });

  it("judges instalments within one account, any account for an accountless entry", () => {
    // an invoice of 300.00 paid 100.00 + 200.00; elsewhere 250.00 + 50.00 also make 300.00
    const parts = [row("P1", "2025-03-03", 10000), row("P2", "2025-03-10", 20000)];
    const rivals = [row("Q1", "2025-03-05", 25000, "OTHER"), row("Q2", "2025-03-06", 5000, "OTHER")];
    const group: TruthGroup = { kind: "partial_payment", bank: ["P1", "P2"], expected: ["INV"] };
    const unmatched = { unmatched_bank: ["Q1", "Q2"] };
    const known = bound([...parts, ...rivals], [row("INV", "2025-03-01", 30000)], [group], unmatched);
    expect(known.kinds.partial_payment).toMatchObject({ shape: "one-to-many", bound: 1 });
    const accountless = bound(
      [...parts, ...rivals],
      [row("INV", "2025-03-01", 30000, "")],
      [group],
      unmatched,
    );
    expect(accountless.kinds.partial_payment?.bound).toBe(0);
    // 150.00 + 150.00 split over two accounts is no subset within one account
    const split = [row("S1", "2025-03-05", 15000, "OTHER"), row("S2", "2025-03-06", 15000, "THIRD")];
    const apart = bound([...parts, ...split], [row("INV", "2025-03-01", 30000, "")], [group], {
      unmatched_bank: ["S1", "S2"],
    });
    expect(apart.kinds.partial_payment?.bound).toBe(1);
  });

  it("samples a kind with more groups than the limit, and says so", () => {
    const bank: Row[] = [];
    const expected: Row[] = [];
    const groups: TruthGroup[] = [];
    for (let i = 0; i < 30; i++) {
      const day = `2025-01-${String(1 + (i % 28)).padStart(2, "0")}`;
      bank.push(row(`B${i}`, day, 1000 + i, `ACC${i}`));
      expected.push(row(`X${i}`, day, 600 + i, `ACC${i}`), row(`Y${i}`, day, 400, `ACC${i}`));
      groups.push({ kind: "batch_payment", bank: [`B${i}`], expected: [`X${i}`, `Y${i}`] });
    }
    const truth: Truth = { groups, unmatched_bank: [], unmatched_expected: [] };
    const limits = {
      groupsPerKind: 10,
      witnessWork: 1e5,
      exactWork: 1e7,
      totalWork: 1e8,
      sampleGroups: 4,
      sampleWork: 1e7,
      sampleTotalWork: 1e8,
    };
    const result = upperBound(
      new Map(bank.map((r) => [r.id, r])),
      new Map(expected.map((r) => [r.id, r])),
      truth,
      limits,
    );
    expect(result.kinds.batch_payment).toMatchObject({
      groups: 30,
      judgedGroups: 10,
      bound: 1,
      estimated: true,
    });
  });
});

describe("payout report and floor", () => {
  it("writes a payout's sales as charge lines and its fee as a fee line, in major units", () => {
    const bank = new Map([["B1", row("B1", "2025-01-05", 14565)]]);
    const expected = new Map(
      [row("E1", "2025-01-02", 10000), row("E2", "2025-01-03", 5000), row("E3", "2025-01-03", -435)].map(
        (r) => [r.id, { ...r, description: "" }] as const,
      ),
    );
    const truth: Truth = {
      groups: [{ kind: "payout", bank: ["B1"], expected: ["E3", "E1", "E2"] }],
      unmatched_bank: [],
      unmatched_expected: [],
    };
    const lines = payoutReportCsv({ bank, expected, truth }).trimEnd().split("\n");
    expect(lines[0]).toBe(
      "automatic_payout_id,automatic_payout_effective_at,balance_transaction_id,created,reporting_category,gross,fee,net,currency,description",
    );
    const fields = lines.slice(1).map((line) => line.split(","));
    expect(fields.map((f) => f.slice(3, 9))).toEqual([
      ["2025-01-02", "charge", "100.00", "0.00", "100.00", "usd"],
      ["2025-01-03", "charge", "50.00", "0.00", "50.00", "usd"],
      ["2025-01-03", "fee", "0.00", "4.35", "-4.35", "usd"],
    ]);
    expect(new Set(fields.map((f) => `${f[0]} ${f[1]}`))).toEqual(new Set([`${fields[0]![0]} 2025-01-05`]));
    expect(fields[0]![0]).toMatch(/^po_[0-9a-f]{16}$/);
    expect(fields[0]![2]).toMatch(/^ch_[0-9a-f]{16}$/);
  });

  it("joins on the exact amount, each bank row taking the first unused entry", () => {
    const { matches, unmatchedBank, unmatchedExpected } = floorJoin(
      [
        { id: "b1", cents: -2500 },
        { id: "b2", cents: -2500 },
        { id: "b3", cents: 999 },
      ],
      [
        { id: "e1", cents: 2500 },
        { id: "e2", cents: 1000 },
        { id: "e3", cents: 2500 },
      ],
    );
    expect(matches.map((m) => `${m.bank_transaction_ids[0]}-${m.expected_ids[0]}`)).toEqual([
      "b1-e1",
      "b2-e3",
    ]);
    expect(unmatchedBank).toEqual(["b3"]);
    expect(unmatchedExpected).toEqual(["e2"]);
  });

  it("splits CSV fields with quotes, doubled quotes, commas and CRLF", () => {
    expect(splitCsv('id,desc\r\n1,"a, ""b"""\r\n2,\n3,x')).toEqual([
      ["id", "desc"],
      ["1", 'a, "b"'],
      ["2", ""],
      ["3", "x"],
    ]);
  });
});
