import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { badRowsOf, importErrorOf } from "../../test/support/import-error.js";
import type { ExpectedEntry } from "../domain/index.js";
import { formatAmount } from "../money/index.js";
import { parseExpectedCsv, parseExpectedCsvChecked } from "./expected-csv.js";

const HEADER = "id,date,amount,currency,description,counterparty,reference,account_id";

function entry(
  partial: Partial<ExpectedEntry> & Pick<ExpectedEntry, "id" | "date" | "amountMinor">,
): ExpectedEntry {
  return {
    currency: "USD",
    description: "",
    counterparty: null,
    reference: null,
    accountId: null,
    ...partial,
  };
}

describe("parseExpectedCsv", () => {
  it("reads the benchmark's columns, turning empty optional cells into null", () => {
    const text = `${HEADER}\nEXP-1,2025-03-29,-8703.39,USD,WeWork - ,WeWork,,acc-1\nEXP-2,2025-02-14,941.95,,Paid,,BILL-1,\n`;
    expect(parseExpectedCsv(text, "expected.csv")).toEqual([
      entry({
        id: "EXP-1",
        date: "2025-03-29",
        amountMinor: -870339,
        description: "WeWork -",
        counterparty: "WeWork",
        accountId: "acc-1",
      }),
      entry({
        id: "EXP-2",
        date: "2025-02-14",
        amountMinor: 94195,
        description: "Paid",
        reference: "BILL-1",
      }),
    ]);
  });

  it("understands header aliases whatever their case, spaces and underscores", () => {
    const text =
      'Txn ID,Posting Date,VALUE,Memo,Payee,Invoice Number,Account\nA,03/31/2025,"$1,234.50",rent,Landlord,INV 7,chk\n';
    expect(parseExpectedCsv(text, "ledger.csv")).toEqual([
      entry({
        id: "A",
        date: "2025-03-31",
        amountMinor: 123450,
        description: "rent",
        counterparty: "Landlord",
        reference: "INV 7",
        accountId: "chk",
      }),
    ]);
  });

  it("prefers the better alias when two columns name the same field", () => {
    const text = "entry_id,ledger date,total,name,vendor,check number\nB,31.12.2024,5,Alice,ACME,1042\n";
    expect(parseExpectedCsv(text, "x.csv")[0]).toMatchObject({
      id: "B",
      date: "2024-12-31",
      counterparty: "ACME",
      reference: "1042",
    });
  });

  it("reads separate debit and credit columns, debit being money out", () => {
    const text = "id,date,debit,credit\nD,2025-01-02,12.50,\nC,2025-01-02,,99\nN,2025-01-02,-7.00,0.00\n";
    expect(parseExpectedCsv(text, "x.csv").map((e) => e.amountMinor)).toEqual([-1250, 9900, -700]);
  });

  it("rejects a row with both a debit and a credit", () => {
    const text = "id,date,Debit,Credit\nD,2025-01-02,1,2\n";
    expect(importErrorOf(() => parseExpectedCsv(text, "x.csv")).message).toBe(
      "x.csv:2: Debit: and Credit are both set; expected one",
    );
  });

  it("reads amount and date ranges", () => {
    const text =
      "id,date,amount,amount_min,amount_max,date_from,date_to\nR,2025-03-01,-1000,-1000,-980,2025-03-03,03/10/2025\n";
    expect(parseExpectedCsv(text, "x.csv")[0]).toEqual(
      entry({
        id: "R",
        date: "2025-03-01",
        amountMinor: -100000,
        amountMinMinor: -100000,
        amountMaxMinor: -98000,
        dateFrom: "2025-03-03",
        dateTo: "2025-03-10",
      }),
    );
  });

  it("leaves the range fields out when the cells are empty", () => {
    const text = "id,date,amount,amountMin,amountMax\nR,2025-03-01,1,,\n";
    const [read] = parseExpectedCsv(text, "x.csv");
    expect(read).not.toHaveProperty("amountMinMinor");
    expect(read).not.toHaveProperty("amountMaxMinor");
  });

  it("handles a BOM, CRLF, and quoted fields holding commas, quotes and line breaks", () => {
    const text = `\ufeff${HEADER}\r\nQ,2025-01-01,1.00,USD,"Paid ""ACME"", Inc.\r\nsecond line",ACME,,\r\nR,2025-01-02,2,,,,,\r\n`;
    const read = parseExpectedCsv(text, "x.csv");
    expect(read.map((e) => e.description)).toEqual(['Paid "ACME", Inc.\r\nsecond line', ""]);
  });

  it("reads decimal commas, with semicolons as the delimiter, and uses the default currency", () => {
    const text = "id;date;amount\nE;31.03.2025;-1.234,56\n";
    const read = parseExpectedCsv(text, "x.csv", { decimalSeparator: ",", currency: "EUR" });
    expect(read[0]).toMatchObject({ amountMinor: -123456, currency: "EUR" });
  });

  it("upper-cases currency codes and checks them", () => {
    expect(parseExpectedCsv("id,date,amount,currency\nA,2025-01-01,100,jpy\n", "x.csv")[0]).toMatchObject({
      amountMinor: 100,
      currency: "JPY",
    });
    expect(
      importErrorOf(() => parseExpectedCsv("id,date,amount,currency\nA,2025-01-01,1,dollars\n", "x.csv"))
        .message,
    ).toBe('x.csv:2: currency "dollars" is not a currency code');
  });

  it("reports progress while reading and once at the end", () => {
    const rows = Array.from({ length: 25_000 }, (_, i) => `E${i},2025-01-01,1`).join("\n");
    const seen: number[] = [];
    parseExpectedCsv(`id,date,amount\n${rows}`, "x.csv", { onProgress: (n) => seen.push(n) });
    expect(seen).toEqual([10_000, 20_000, 25_000]);
  });

  describe("errors name the file, the line and the field", () => {
    const cases: [string, string, string][] = [
      [
        "a bad amount",
        `${HEADER}\nE1,2025-01-01,"12,3x",,,,,\n`,
        'expected.csv:2: amount "12,3x" is not a number',
      ],
      [
        "too many decimals",
        "id,date,amount\nE1,2025-01-01,12.345\n",
        'expected.csv:2: amount "12.345" has more than 2 decimal places',
      ],
      ["no id column", "a,b,c\n", "expected.csv:1: no id column (have: a, b, c)"],
      ["no amount column", "id,date,c\n", "expected.csv:1: no amount column (have: id, date, c)"],
      ["no date column", "id,amount\n", "expected.csv:1: no date column (have: id, amount)"],
      ["a missing id", "id,date,amount\n,2025-01-01,1\n", "expected.csv:2: id: expected a value"],
      ["a missing amount", "id,date,amount\nE,2025-01-01,\n", "expected.csv:2: amount: expected a value"],
      ["a missing date", "id,date,amount\nE,,1\n", "expected.csv:2: date: expected a value"],
      [
        "an impossible date",
        "id,date,amount\nE,2025-02-30,1\n",
        'expected.csv:2: date "2025-02-30" is not a date',
      ],
      [
        "an inverted range",
        "id,date,amount,amount_min,amount_max\nE,2025-01-01,1,5,4\n",
        'expected.csv:2: amount_min "5" is above amount_max',
      ],
      [
        "a stray delimiter",
        "id,date,amount\nE,2025-01-01,1,234\n",
        "expected.csv:2: 4 fields but the header has 3",
      ],
      ["an empty file", "", "expected.csv:1: no header row"],
    ];
    it.each(cases)("for %s", (_name, text, message) => {
      const error = importErrorOf(() => parseExpectedCsv(text, "expected.csv"));
      expect(error.message).toBe(message);
      expect(error.code).toBe("IMPORT");
    });

    it("for a duplicate id, pointing at the first use", () => {
      const lines = [
        "id,date,amount",
        ...Array.from({ length: 38 }, (_, i) => `E${i},2025-01-01,1`),
        "E10,2025-01-02,2",
      ];
      const error = importErrorOf(() => parseExpectedCsv(lines.join("\n"), "expected.csv"));
      expect(error.message).toBe('expected.csv:40: id "E10" already used on line 12');
      expect(error).toMatchObject({ file: "expected.csv", line: 40, field: "id" });
    });

    it("using the file's own header in the message", () => {
      const error = importErrorOf(() =>
        parseExpectedCsv("ID,Posting Date,Value\nE,2025-01-01,abc\n", "l.csv"),
      );
      expect(error.message).toBe('l.csv:2: Value "abc" is not a number');
      expect(error.field).toBe("Value");
    });

    it("counting physical lines past quoted line breaks", () => {
      const text = 'id,date,amount,description\nA,2025-01-01,1,"two\nlines"\nB,2025-01-01,oops,\n';
      expect(importErrorOf(() => parseExpectedCsv(text, "x.csv")).message).toBe(
        'x.csv:4: amount "oops" is not a number',
      );
    });
  });
});

describe("parseExpectedCsv with several bad rows", () => {
  const text = [
    "id,date,amount,description",
    "E1,2025-01-01,1.00,fine",
    'E2,2025-01-02,"12,3x",bad amount',
    "E3,2025-02-30,1.00,bad date",
    "E4,2025-01-04,2.00,fine",
    "E1,2025-01-05,3.00,id used before",
    "E6,2025-01-06,1,2,3",
  ].join("\n");

  it("lists every bad row, each in the one-row message form, and returns none", () => {
    const error = badRowsOf(() => parseExpectedCsv(text, "expected.csv"));
    expect(error.problems.map((p) => p.message)).toEqual([
      'expected.csv:3: amount "12,3x" is not a number',
      'expected.csv:4: date "2025-02-30" is not a date',
      'expected.csv:6: id "E1" already used on line 2',
      "expected.csv:7: 5 fields but the header has 4",
    ]);
    expect(error.problems.map((p) => [p.file, p.line, p.field])).toEqual([
      ["expected.csv", 3, "amount"],
      ["expected.csv", 4, "date"],
      ["expected.csv", 6, "id"],
      ["expected.csv", 7, undefined],
    ]);
    expect(error.message).toBe(
      'expected.csv: 4 rows are bad; first: expected.csv:3: amount "12,3x" is not a number',
    );
  });

  it("returns the good rows beside the problems when asked to check", () => {
    const checked = parseExpectedCsvChecked(text, "expected.csv");
    expect(checked.rows.map((r) => r.id)).toEqual(["E1", "E4"]);
    expect(checked.problems.map((p) => p.line)).toEqual([3, 4, 6, 7]);
    expect(checked.badRowCount).toBe(4);
    expect(parseExpectedCsvChecked("id,date,amount\nE1,2025-01-01,1\n", "x.csv")).toEqual({
      rows: [expect.objectContaining({ id: "E1" })],
      problems: [],
      badRowCount: 0,
    });
  });

  it("lists the first 50 and counts the rest", () => {
    const rows = Array.from({ length: 120 }, (_, i) => `E${i},2025-01-01,x${i}`);
    const error = badRowsOf(() => parseExpectedCsv(["id,date,amount", ...rows].join("\n"), "l.csv"));
    expect(error.problems).toHaveLength(50);
    expect(error.badRowCount).toBe(120);
    expect(error.problems.at(-1)?.message).toBe('l.csv:51: amount "x49" is not a number');
    expect(error.message).toBe(
      'l.csv: 120 rows are bad (the first 50 are listed); first: l.csv:2: amount "x0" is not a number',
    );
  });

  it("keeps the bad rows found before a break that stops the read", () => {
    const broken = 'id,date,amount\nE1,2025-01-01,x\nE2,2025-01-01,1\nE3,"2025-01-01,1\n';
    const error = badRowsOf(() => parseExpectedCsv(broken, "l.csv"));
    expect(error.problems.map((p) => p.message)).toEqual([
      'l.csv:2: amount "x" is not a number',
      "l.csv:4: quoted field is never closed",
    ]);
  });
});

describe("parseExpectedCsv within bounds", () => {
  it("refuses a line of a megabyte and more, quoting none of it", () => {
    const nuls = "\u0000".repeat(2_000_000);
    const error = importErrorOf(() => parseExpectedCsv(nuls, "zeros.csv"));
    expect(error.message).toBe("zeros.csv:1: line is longer than 1,048,576 characters");
    const row = importErrorOf(() =>
      parseExpectedCsv(`id,date,amount\nE1,2025-01-01,"${"9".repeat(1_100_000)}"\n`, "l.csv"),
    );
    expect(row.message).toBe("l.csv:2: row is longer than 1,048,576 characters");
  });

  it("quotes a bad header by short, escaped excerpts of a few of its names", () => {
    const header = ["\u001b[31mred", "x".repeat(500), ...Array.from({ length: 30 }, (_, i) => `c${i}`)].join(
      ",",
    );
    const error = importErrorOf(() => parseExpectedCsv(`${header}\n`, "l.csv"));
    expect(error.message).toBe(
      `l.csv:1: no id column (have: \\x1b[31mred, ${"x".repeat(39)}…, c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, … and 20 more)`,
    );
  });

  it("refuses a field over 65,536 characters, and quotes a long bad value in part", () => {
    const long = "d".repeat(70_000);
    expect(
      importErrorOf(() => parseExpectedCsv(`id,date,amount,description\nE1,2025-01-01,1,${long}\n`, "l.csv"))
        .message,
    ).toBe(`l.csv:2: description "${"d".repeat(39)}…" is longer than 65,536 characters`);
    expect(
      importErrorOf(() => parseExpectedCsv(`id,date,amount\nE1,2025-01-01,${"7".repeat(5000)}x\n`, "l.csv"))
        .message,
    ).toBe(`l.csv:2: amount "${"7".repeat(39)}…" is not a number`);
  });
});

describe("parseExpectedCsv round trip", () => {
  const awkward = fc
    .array(fc.constantFrom("a", "Z", "7", " ", ",", '"', "\n", "\r\n", "é", "€", "\t", "'", ";", "中"), {
      maxLength: 10,
    })
    .map((parts) => parts.join("").trim());
  const text = fc.oneof(
    awkward,
    fc.string({ unit: "grapheme", maxLength: 12 }).map((s) => s.trim()),
  );
  const optional = text.map((s) => (s === "" ? null : s));
  const row = fc.record({
    id: text.filter((s) => s !== ""),
    day: fc.integer({ min: 0, max: 20_000 }),
    usFormat: fc.boolean(),
    amountMinor: fc.integer({ min: -1e13, max: 1e13 }),
    currency: fc.constantFrom("USD", "JPY", "BHD", "EUR"),
    grouping: fc.boolean(),
    description: text,
    counterparty: optional,
    reference: optional,
    accountId: optional,
  });

  it("gives back exactly the rows written, however they are quoted", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(row, { selector: (r) => r.id, maxLength: 20 }),
        fc.boolean(),
        fc.boolean(),
        (rows, crlf, quoteAll) => {
          const newline = crlf ? "\r\n" : "\n";
          const cell = (value: string | null) => {
            const s = value ?? "";
            return quoteAll || /[",\r\n]/.test(s) || s.startsWith('"') ? `"${s.replaceAll('"', '""')}"` : s;
          };
          const expected: ExpectedEntry[] = [];
          const lines = [HEADER];
          for (const r of rows) {
            const iso = new Date(Date.UTC(1990, 0, 1) + r.day * 86_400_000).toISOString().slice(0, 10);
            const written = r.usFormat ? `${iso.slice(5, 7)}/${iso.slice(8)}/${iso.slice(0, 4)}` : iso;
            const amount = formatAmount(r.amountMinor, r.currency, { grouping: r.grouping });
            const { id, description, counterparty, reference, accountId, currency, amountMinor } = r;
            lines.push(
              [id, written, amount, currency, description, counterparty, reference, accountId]
                .map(cell)
                .join(","),
            );
            expected.push({
              id,
              date: iso,
              amountMinor,
              currency,
              description,
              counterparty,
              reference,
              accountId,
            });
          }
          expect(parseExpectedCsv(lines.join(newline) + newline, "p.csv")).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });
});
