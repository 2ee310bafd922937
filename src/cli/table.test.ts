import { describe, expect, it } from "vitest";
import type { BankTransaction, ExpectedEntry } from "../domain/index.js";
import type { Match, ReconcileResult } from "../reconcile/index.js";
import { renderColumns, renderTable, truncate } from "./table.js";

function bankRow(i: number, amountMinor: number, currency = "USD"): BankTransaction {
  return {
    id: `bank-${i}`,
    accountId: "chk",
    amountMinor,
    currency,
    date: "2025-03-04",
    authorizedDate: null,
    name: `ORIG CO NAME:CUSTOMER ${i} ORIG ID:1841220333 DESC DATE:250304 CO ENTRY DESCR:PAYMENTS`,
    merchantName: null,
    checkNumber: null,
    pending: false,
  };
}

function ledgerRow(i: number, amountMinor: number, currency = "USD"): ExpectedEntry {
  return {
    id: `INV-${i}`,
    date: "2025-03-03",
    amountMinor,
    currency,
    description: `Invoice ${i}`,
    counterparty: `Customer ${i}`,
    reference: `INV-${i}`,
    accountId: null,
  };
}

function match(bank: string[], expected: string[], overrides: Partial<Match> = {}): Match {
  return {
    kind: bank.length > 1 ? "one_to_many" : expected.length > 1 ? "many_to_one" : "one_to_one",
    bankTransactionIds: bank,
    expectedIds: expected,
    confidence: 0.95,
    reasons: [
      { feature: "date", contribution: 0.1, detail: "bank 1 day after ledger" },
      { feature: "amount", contribution: 3, detail: "same amount" },
      { feature: "reference", contribution: 2, detail: "reference INV found" },
    ],
    amountDifferenceMinor: 0,
    currency: "USD",
    pending: false,
    needsReview: false,
    ...overrides,
  };
}

function resultOf(
  matches: Match[],
  unmatchedBank: BankTransaction[],
  unmatchedExpected: ExpectedEntry[],
): ReconcileResult {
  return {
    status: "needs_review",
    matches,
    unmatchedBank,
    unmatchedExpected,
    summary: {
      bankCount: 10,
      expectedCount: 12,
      matchCount: matches.length,
      matchedBankCount: 4,
      matchedExpectedCount: 6,
      unmatchedBankCount: unmatchedBank.length,
      unmatchedExpectedCount: unmatchedExpected.length,
      needsReviewCount: matches.filter((m) => m.needsReview).length,
      byKind: { one_to_one: 2, many_to_one: 1, one_to_many: 0 },
      totals: [
        {
          currency: "USD",
          bankMatchedMinor: 123456789,
          bankUnmatchedMinor: -1500,
          expectedMatchedMinor: 123456789,
          expectedUnmatchedMinor: 72500,
        },
      ],
    },
  };
}

const bank = Array.from({ length: 70 }, (_, i) => bankRow(i, 100000 + i));
const ledger = Array.from({ length: 70 }, (_, i) => ledgerRow(i, 100000 + i));
const data = (result: ReconcileResult) => ({
  result,
  bankById: new Map(bank.map((r) => [r.id, r])),
  expectedById: new Map(ledger.map((r) => [r.id, r])),
});

describe("renderTable", () => {
  const result = resultOf(
    [
      match(["bank-1"], ["INV-1"]),
      match(["bank-2"], ["INV-2", "INV-3", "INV-4"]),
      match(["bank-5"], ["INV-5"], { needsReview: true, confidence: 0.41, amountDifferenceMinor: -2500 }),
    ],
    [bank[9] as BankTransaction],
    [ledger[9] as ExpectedEntry],
  );
  const text = renderTable(data(result), { color: false }).join("\n");

  it("prints the four sections in order, then the summary", () => {
    const order = [
      "Matched (2)",
      "Needs review (1)",
      "Unmatched bank (1)",
      "Unmatched expected (1)",
      "Summary",
    ];
    const at = order.map((h) => text.indexOf(h));
    expect(at.every((i) => i >= 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
  });

  it("right-aligns amounts with grouping", () => {
    expect(text).toMatch(/ {2}1,000\.01 {2}bank-1 /);
    expect(text).toContain("1,234,567.89");
  });

  it("gives the top two reasons in words, strongest first", () => {
    expect(text).toContain("same amount; reference INV found");
    expect(text).not.toContain("bank 1 day after ledger");
  });

  it("shows every row of a group match on its own line", () => {
    const lines = text.split("\n");
    const first = lines.findIndex((l) => l.includes("INV-2 "));
    expect(lines[first + 1]).toContain("INV-3");
    expect(lines[first + 2]).toContain("INV-4");
    expect(lines[first + 1]).not.toContain("bank-");
  });

  it("says why a match needs review", () => {
    expect(text).toContain("bank differs by -25.00");
    expect(text).toContain("0.41");
  });

  it("ends with the status", () => {
    expect(text.trimEnd().endsWith("Status  needs review")).toBe(true);
  });

  it("caps a long section and says how many more there are", () => {
    const long = resultOf([], bank.slice(0, 70), []);
    const lines = renderTable(data(long), { color: false });
    expect(lines.filter((l) => l.includes("ORIG CO NAME"))).toHaveLength(50);
    expect(lines).toContain("  … and 20 more (use --format csv or json for all)");
  });

  it("shows only the asked-for sections but always the summary", () => {
    const review = renderTable(data(result), { color: false, only: "review" }).join("\n");
    expect(review).toContain("Needs review (1)");
    expect(review).not.toContain("Matched (");
    expect(review).not.toContain("Unmatched bank (");
    expect(review).toContain("Summary");
  });

  it("numbers matches the same with and without --only", () => {
    const review = renderTable(data(result), { color: false, only: "review" });
    expect(review.some((l) => /^\s+3 {2}2025-03-04/.test(l))).toBe(true);
  });

  it("writes no escape codes without colour, and some with it", () => {
    expect(text).not.toContain("\u001b[");
    expect(renderTable(data(result), { color: true }).join("\n")).toContain("\u001b[");
  });

  it("adds the currency code to amounts only when a run has several currencies", () => {
    const multi: ReconcileResult = {
      ...result,
      summary: {
        ...result.summary,
        totals: [
          ...result.summary.totals,
          {
            currency: "EUR",
            bankMatchedMinor: 0,
            bankUnmatchedMinor: 0,
            expectedMatchedMinor: 0,
            expectedUnmatchedMinor: 0,
          },
        ],
      },
    };
    expect(renderTable(data(multi), { color: false }).join("\n")).toContain("1,000.01 USD");
    expect(text).not.toContain("1,000.01 USD");
  });

  it("says none for an empty section", () => {
    const empty = renderTable(data(resultOf([], [], [])), { color: false });
    expect(empty.slice(0, 2)).toEqual(["Matched (0)", "  none"]);
  });
});

describe("truncate", () => {
  it("cuts long text with an ellipsis and flattens whitespace", () => {
    expect(truncate("ORIG CO NAME:HARBORVIEW", 10)).toBe("ORIG CO N…");
    expect(truncate("a\n  b", 10)).toBe("a b");
  });
});

describe("text from files on the terminal", () => {
  const hostile = "PAYEE \u001b[2J\u001b]0;owned\u0007 \u202eevil\r\u009b31m";
  const escaped = "PAYEE \\x1b[2J\\x1b]0;owned\\x07 \\u202eevil \\x9b31m";
  const controls = /[\p{Cc}\u202e]/u;

  it("reaches the report escaped in every cell: descriptions, ids, accounts and the title", () => {
    const b = { ...bankRow(1, -500), id: "bank\u001b[1", name: hostile, accountId: "acc\u0007" };
    const l = { ...ledgerRow(1, -500), description: hostile, counterparty: hostile, reference: "\u0000ref" };
    const lines = renderTable(
      {
        result: resultOf([match([b.id], [l.id])], [b], [l]),
        bankById: new Map([[b.id, b]]),
        expectedById: new Map([[l.id, l]]),
        accountsById: new Map([
          ["acc\u0007", { id: "acc\u0007", name: "Chk\u001b", mask: "1\u00072", type: null, subtype: null }],
        ]),
      },
      { color: false, widthMax: 400, title: "demo \u001b[5m" },
    );
    expect(lines.filter((line) => controls.test(line))).toEqual([]);
    const text = lines.join("\n");
    expect(text).toContain(escaped);
    expect(text).toContain("Chk\\x1b …1\\x072");
    expect(lines[0]).toBe("demo \\x1b[5m");
  });

  it("reaches a listing escaped, colour codes being bankrec's own", () => {
    const lines = renderColumns(
      [
        { header: "Name", align: "left" },
        { header: "Note", align: "left" },
      ],
      [[hostile, { text: "\u001b[31mred", style: "red" }]],
      { color: true, widthMax: 400 },
    );
    expect(lines[1]).toContain(escaped);
    expect(lines[1]).toContain("\u001b[31m\\x1b[31mred\u001b[39m");
  });
});
