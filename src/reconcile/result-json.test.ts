import { describe, expect, it } from "vitest";
import type { BankTransaction, ExpectedEntry } from "../domain/index.js";
import {
  csvField,
  RESULT_CSV_COLUMNS,
  spreadsheetText,
  toResultCsv,
  toResultJson,
  toResultJsonChunks,
} from "./result-json.js";
import type { ReconcileResult } from "./types.js";

function bankRow(id: string, amountMinor: number, name: string, date = "2025-03-04"): BankTransaction {
  return {
    id,
    accountId: "acc-chk",
    amountMinor,
    currency: "USD",
    date,
    authorizedDate: null,
    name,
    merchantName: null,
    checkNumber: null,
    pending: false,
  };
}

function ledgerRow(id: string, amountMinor: number, description: string, date = "2025-03-03"): ExpectedEntry {
  return {
    id,
    date,
    amountMinor,
    currency: "USD",
    description,
    counterparty: null,
    reference: null,
    accountId: null,
  };
}

const bank = [
  bankRow("b1", 186000, "ORIG CO NAME:HARBORVIEW DENTA IND ID:INV2041"),
  bankRow("b2", 394500, 'NORTHGATE PROP "MGMT", LLC'),
  bankRow("b3", -1500, "MONTHLY SERVICE FEE"),
  bankRow("b4", 747500, "WIRE IN OLD PORT REALTY"),
];
const expected = [
  ledgerRow("INV-2041", 186000, "Harborview Dental, invoice 2041"),
  ledgerRow("INV-2038", 124000, "Northgate invoice 2038"),
  ledgerRow("INV-2045", 61500, "Northgate invoice 2045"),
  ledgerRow("INV-2047", 209000, "Northgate invoice 2047"),
  ledgerRow("INV-2049", 72500, "Pinecone Bakery check deposit"),
  ledgerRow("INV-2050", 750000, "Old Port Realty retainer"),
];

const result: ReconcileResult = {
  status: "needs_review",
  matches: [
    {
      kind: "one_to_one",
      bankTransactionIds: ["b1"],
      expectedIds: ["INV-2041"],
      confidence: 0.97654,
      reasons: [
        { feature: "amount", contribution: 4.0, detail: "same amount" },
        { feature: "date", contribution: -0.2, detail: "bank 1 day after ledger" },
        { feature: "reference", contribution: 3.123456, detail: "reference INV-2041 found" },
      ],
      amountDifferenceMinor: 0,
      currency: "USD",
      pending: false,
      needsReview: false,
    },
    {
      kind: "many_to_one",
      bankTransactionIds: ["b2"],
      expectedIds: ["INV-2038", "INV-2045", "INV-2047"],
      confidence: 0.9,
      reasons: [{ feature: "group", contribution: 3, detail: "3 invoices sum to the deposit" }],
      amountDifferenceMinor: 0,
      currency: "USD",
      pending: false,
      needsReview: false,
    },
    {
      kind: "one_to_one",
      bankTransactionIds: ["b4"],
      expectedIds: ["INV-2050"],
      confidence: 0.55,
      reasons: [{ feature: "amount", contribution: -1, detail: "bank 25.00 short" }],
      amountDifferenceMinor: -2500,
      currency: "USD",
      pending: false,
      needsReview: true,
    },
  ],
  unmatchedBank: [bank[2] as BankTransaction],
  unmatchedExpected: [expected[4] as ExpectedEntry],
  summary: {
    bankCount: 4,
    expectedCount: 6,
    matchCount: 3,
    matchedBankCount: 3,
    matchedExpectedCount: 5,
    unmatchedBankCount: 1,
    unmatchedExpectedCount: 1,
    needsReviewCount: 1,
    byKind: { one_to_one: 2, many_to_one: 1, one_to_many: 0 },
    totals: [
      {
        currency: "USD",
        bankMatchedMinor: 1328000,
        bankUnmatchedMinor: -1500,
        expectedMatchedMinor: 1330500,
        expectedUnmatchedMinor: 72500,
      },
    ],
  },
};

const bankById = new Map(bank.map((r) => [r.id, r]));
const expectedById = new Map(expected.map((r) => [r.id, r]));

describe("toResultJson", () => {
  it("carries the benchmark contract's keys on every match", () => {
    const json = toResultJson(result);
    expect(json.matches.map((m) => [m.bank_transaction_ids, m.expected_ids])).toEqual([
      [["b1"], ["INV-2041"]],
      [["b2"], ["INV-2038", "INV-2045", "INV-2047"]],
      [["b4"], ["INV-2050"]],
    ]);
  });

  it("writes money as decimal strings and never as floats", () => {
    const json = toResultJson(result);
    expect(json.matches[2]?.amount_difference).toBe("-25.00");
    expect(json.unmatched_bank[0]?.amount).toBe("-15.00");
    expect(json.unmatched_expected[0]?.amount).toBe("725.00");
    expect(json.summary.totals[0]).toEqual({
      currency: "USD",
      bank_matched: "13280.00",
      bank_unmatched: "-15.00",
      expected_matched: "13305.00",
      expected_unmatched: "725.00",
    });
  });

  it("rounds confidence and contributions to three decimals", () => {
    const match = toResultJson(result).matches[0];
    expect(match?.confidence).toBe(0.977);
    expect(match?.reasons.map((r) => r.contribution)).toEqual([4, -0.2, 3.123]);
  });

  it("uses snake_case throughout the summary", () => {
    expect(Object.keys(toResultJson(result).summary)).toEqual([
      "bank_count",
      "expected_count",
      "match_count",
      "matched_bank_count",
      "matched_expected_count",
      "unmatched_bank_count",
      "unmatched_expected_count",
      "needs_review_count",
      "by_kind",
      "totals",
    ]);
  });

  it("survives a round trip through JSON unchanged", () => {
    const json = toResultJson(result);
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
  });
});

describe("toResultJsonChunks", () => {
  it("writes the same document as toResultJson, one match a line", () => {
    const text = [...toResultJsonChunks(result)].join("");
    expect(JSON.parse(text)).toEqual(toResultJson(result));
    expect(text.split("\n").filter((line) => line.includes('"kind"'))).toHaveLength(3);
  });

  it("writes empty lists as []", () => {
    const empty: ReconcileResult = { ...result, matches: [], unmatchedBank: [], unmatchedExpected: [] };
    const parsed = JSON.parse([...toResultJsonChunks(empty)].join(""));
    expect(parsed.matches).toEqual([]);
    expect(parsed.unmatched_bank).toEqual([]);
    expect(parsed.unmatched_expected).toEqual([]);
  });
});

describe("toResultCsv", () => {
  it("starts with the documented header", () => {
    const [header] = toResultCsv(result, bankById, expectedById);
    expect(header).toBe(RESULT_CSV_COLUMNS.join(","));
    expect(header).toBe("match_no,status,kind,side,id,date,amount,currency,description,confidence,reasons");
  });

  it("writes one line per row of every match, then the unmatched rows", () => {
    const lines = [...toResultCsv(result, bankById, expectedById)];
    // header + (1+1) + (1+3) + (1+1) + 1 unmatched bank + 1 unmatched expected
    expect(lines).toHaveLength(1 + 2 + 4 + 2 + 2);
    expect(lines[1]).toBe(
      "1,matched,one_to_one,bank,b1,2025-03-04,1860.00,USD,ORIG CO NAME:HARBORVIEW DENTA IND ID:INV2041," +
        "0.977,same amount; reference INV-2041 found; bank 1 day after ledger",
    );
    expect(lines.filter((l) => l.startsWith("2,"))).toHaveLength(4);
    expect(lines.at(-2)).toBe(",unmatched,,bank,b3,2025-03-04,-15.00,USD,MONTHLY SERVICE FEE,,");
    expect(lines.at(-1)).toBe(
      ",unmatched,,expected,INV-2049,2025-03-03,725.00,USD,Pinecone Bakery check deposit,,",
    );
  });

  it("marks matches that need a person as needs_review", () => {
    const lines = [...toResultCsv(result, bankById, expectedById)];
    expect(lines.filter((l) => l.startsWith("3,needs_review,"))).toHaveLength(2);
  });

  it("quotes fields holding commas and quotes", () => {
    const lines = [...toResultCsv(result, bankById, expectedById)];
    expect(lines[3]).toContain(',"NORTHGATE PROP ""MGMT"", LLC",');
    expect(csvField("a\nb")).toBe('"a\nb"');
    expect(csvField("plain")).toBe("plain");
  });

  it("is lazy: the first line comes without walking the rows", () => {
    const iterator = toResultCsv(result, new Map(), new Map());
    expect(iterator.next().value).toBe(RESULT_CSV_COLUMNS.join(","));
    expect(() => iterator.next()).toThrow(/match 1 names bank row "b1"/);
  });
});

describe("spreadsheetText", () => {
  it("makes a description that a spreadsheet would run as a formula inert", () => {
    expect(spreadsheetText('=HYPERLINK("http://x")')).toBe('\'=HYPERLINK("http://x")');
    expect(spreadsheetText("+1+1")).toBe("'+1+1");
    expect(spreadsheetText("-2+3")).toBe("'-2+3");
    expect(spreadsheetText("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(spreadsheetText("\tcmd")).toBe("'\tcmd");
  });

  it("leaves ordinary text alone", () => {
    expect(spreadsheetText("ACH CREDIT ACME 1+1")).toBe("ACH CREDIT ACME 1+1");
    expect(spreadsheetText("")).toBe("");
  });
});
