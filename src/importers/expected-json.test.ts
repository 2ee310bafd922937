import { describe, expect, it } from "vitest";
import { badRowsOf, importErrorOf } from "../../test/support/import-error.js";
import { parseExpectedJson, parseExpectedJsonChecked } from "./expected-json.js";

function message(run: () => unknown): string {
  return importErrorOf(run).message;
}

describe("parseExpectedJson", () => {
  const row = { id: "E1", date: "2025-03-31", amount: -12.5, currency: "USD", description: "Rent" };

  it("reads a bare array, with amounts as numbers in major units", () => {
    expect(parseExpectedJson([row], "e.json")).toEqual([
      {
        id: "E1",
        date: "2025-03-31",
        amountMinor: -1250,
        currency: "USD",
        description: "Rent",
        counterparty: null,
        reference: null,
        accountId: null,
      },
    ]);
  });

  it("reads {expected: [...]} and {entries: [...]}", () => {
    expect(parseExpectedJson({ expected: [row] }, "e.json")).toHaveLength(1);
    expect(parseExpectedJson({ entries: [row, { ...row, id: "E2" }] }, "e.json")).toHaveLength(2);
  });

  it("accepts camelCase keys, string amounts and ranges", () => {
    const read = parseExpectedJson(
      [
        {
          id: 42,
          date: "03/01/2025",
          amount: "1,000.00",
          accountId: "acc",
          counterparty: "ACME",
          amountMin: "980",
          amountMax: 1000,
          dateFrom: "2025-03-03",
          dateTo: "2025-03-10",
          extra: { ignored: true },
        },
      ],
      "e.json",
    );
    expect(read[0]).toEqual({
      id: "42",
      date: "2025-03-01",
      amountMinor: 100000,
      currency: "USD",
      description: "",
      counterparty: "ACME",
      reference: null,
      accountId: "acc",
      amountMinMinor: 98000,
      amountMaxMinor: 100000,
      dateFrom: "2025-03-03",
      dateTo: "2025-03-10",
    });
  });

  it("uses the currency option when a row has none, and the row's exponent for numbers", () => {
    const read = parseExpectedJson([{ id: "J", date: "2025-01-01", amount: 1200 }], "e.json", {
      currency: "JPY",
    });
    expect(read[0]).toMatchObject({ amountMinor: 1200, currency: "JPY" });
  });

  it.each([
    [[{ ...row, amount: "12,3x" }], 'e.json: [0].amount: "12,3x" is not a number'],
    [
      { entries: [row, { ...row, id: "E2", amount: 0.1 + 0.2 }] },
      'e.json: entries[1].amount: "0.30000000000000004" has more than 2 decimal places',
    ],
    [
      { expected: [row, { ...row, date: "2025-02-30" }] },
      'e.json: expected[1].date: "2025-02-30" is not a date',
    ],
    [[row, row], 'e.json: [1].id: "E1" already used at [0]'],
    [[{ ...row, id: "" }], "e.json: [0].id: expected a value"],
    [[{ ...row, description: { text: "x" } }], "e.json: [0].description: expected a string"],
    [[5], "e.json: [0]: expected an object"],
    [{ rows: [] }, 'e.json: expected an array of entries, or an object with "expected" or "entries"'],
  ])("rejects bad input with a path: %j", (input, expected) => {
    expect(message(() => parseExpectedJson(input, "e.json"))).toBe(expected);
  });

  it("lists every bad row by its path, and gives the good ones back when asked to check", () => {
    const rows = [
      row,
      { ...row, id: "E2", amount: "x" },
      { ...row, id: "E3" },
      row,
      { ...row, id: "E5", date: "" },
    ];
    const error = badRowsOf(() => parseExpectedJson({ entries: rows }, "e.json"));
    expect(error.problems.map((p) => p.message)).toEqual([
      'e.json: entries[1].amount: "x" is not a number',
      'e.json: entries[3].id: "E1" already used at entries[0]',
      "e.json: entries[4].date: expected a value",
    ]);
    expect(error.problems[0]).toMatchObject({ file: "e.json", field: "entries[1].amount" });
    expect(error.message).toBe(
      'e.json: 3 rows are bad; first: e.json: entries[1].amount: "x" is not a number',
    );
    const checked = parseExpectedJsonChecked({ entries: rows }, "e.json");
    expect(checked.rows.map((r) => r.id)).toEqual(["E1", "E3"]);
    expect(checked.badRowCount).toBe(3);
  });
});
