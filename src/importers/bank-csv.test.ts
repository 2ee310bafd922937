import { describe, expect, it } from "vitest";
import { badRowsOf, importErrorOf } from "../../test/support/import-error.js";
import { checkBalances } from "./balance-check.js";
import { dayOf, parseBankCsv } from "./bank-csv.js";
import { parseCsvMapping } from "./csv-presets.js";
import { parseStatementBytes } from "./statement-file.js";

const USD = { currency: "USD" };

describe("parseBankCsv", () => {
  it("reads the generic Date,Description,Amount layout in the natural sign", () => {
    const [s] = parseBankCsv(
      'Date,Description,Amount\n2025-01-02,Coffee,-3.50\n2025-01-03,"Refund, partial",10\n',
      "a.csv",
      USD,
    );
    expect(s?.entries.map((e) => [e.date, e.description, e.amountMinor, e.line])).toEqual([
      ["2025-01-02", "Coffee", -350, 2],
      ["2025-01-03", "Refund, partial", 1000, 3],
    ]);
    expect(s).toMatchObject({
      accountId: "",
      currency: "USD",
      opening: null,
      periodFrom: "2025-01-02",
      periodTo: "2025-01-03",
    });
  });

  it("picks the Chase-style preset from its header; its newest-first balance column bounds the statement", () => {
    const text = [
      "Details,Posting Date,Description,Amount,Type,Balance,Check or Slip #",
      "DEBIT,01/05/2025,ACME SUPPLIES,-120.00,ACH_DEBIT,880.00,",
      "CHECK,01/04/2025,CHECK 1042,-100.00,CHECK_PAID,1000.00,1042",
      "CREDIT,01/02/2025,PAYROLL,1100.00,ACH_CREDIT,1100.00,",
    ].join("\r\n");
    const [s] = parseBankCsv(text, "chase.csv", { ...USD, accountId: "chk-1" });
    expect(s?.entries.map((e) => [e.date, e.amountMinor, e.type, e.checkNumber])).toEqual([
      ["2025-01-05", -12000, "ACH_DEBIT", null],
      ["2025-01-04", -10000, "CHECK_PAID", "1042"],
      ["2025-01-02", 110000, "ACH_CREDIT", null],
    ]);
    expect(s).toMatchObject({
      accountId: "chk-1",
      opening: { amountMinor: 0 },
      closing: { amountMinor: 88000, date: "2025-01-05" },
    });
    const file = { file: "chase.csv", format: "csv" as const, encoding: "utf-8" as const, statements: [s!] };
    expect(checkBalances(file)[0]?.status).toBe("ok");
  });

  it("reads separate debit and credit columns after a preamble", () => {
    const text =
      "Account:,12345678\nPeriod:,January\n\nDate,Description,Debit,Credit,Balance\n01/02/2025,Rent,1500.00,,500.00\n01/03/2025,Deposit,,250.00,750.00\n";
    const [s] = parseBankCsv(text, "dc.csv", USD);
    expect(s?.entries.map((e) => [e.date, e.amountMinor, e.line])).toEqual([
      ["2025-01-02", -150000, 5],
      ["2025-01-03", 25000, 6],
    ]);
    expect(s?.opening?.amountMinor).toBe(200000);
  });

  it("reads a European semicolon export: decimal comma, thousands dots, DD.MM.YYYY, currency column", () => {
    const text =
      "Buchungstag;Valutadatum;Auftraggeber/Empfänger;Verwendungszweck;Betrag;Währung\n02.01.2025;03.01.2025;ACME GmbH;Rechnung 7;-1.234,56;EUR\n03.01.2025;03.01.2025;Kunde;Zahlung;99,00;EUR\n";
    const [s] = parseBankCsv(text, "de.csv", USD);
    expect(
      s?.entries.map((e) => [e.date, e.valueDate, e.amountMinor, e.currency, e.description, e.counterparty]),
    ).toEqual([
      ["2025-01-02", "2025-01-03", -123456, "EUR", "ACME GmbH Rechnung 7", "ACME GmbH"],
      ["2025-01-03", "2025-01-03", 9900, "EUR", "Kunde Zahlung", "Kunde"],
    ]);
  });

  it("follows a person's mapping, date layout and decimal comma", () => {
    const mapping = parseCsvMapping("date=Booked,amount=Sum,description=Who,description=What,id=Ref");
    const text = "Booked\tWho\tWhat\tSum\tRef\n31/01/2025\tShop\tPens\t-4,20\tR1\n";
    const [s] = parseBankCsv(text, "m.tsv", {
      ...USD,
      mapping,
      dateFormat: "DD/MM/YYYY",
      decimalSeparator: ",",
    });
    expect(s?.entries[0]).toMatchObject({
      date: "2025-01-31",
      amountMinor: -420,
      description: "Shop Pens",
      bankId: "R1",
    });
    expect(() => parseCsvMapping("date=A,amount")).toThrow('"amount" is not field=Column');
    expect(() => parseCsvMapping("date=A,colour=B,amount=C")).toThrow(/"colour" is not a field/);
    expect(() => parseCsvMapping("date=A,debit=B")).toThrow(
      /needs amount=<column>, or debit=<column> and credit=<column>/,
    );
  });

  it("reads UTF-16 with a BOM and Windows-1252 text", () => {
    const text = "Date,Description,Amount\r\n2025-01-02,Café Crème,-3.50\r\n";
    const le = parseStatementBytes(
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]),
      "le.csv",
    );
    const be = Buffer.from(text, "utf16le").swap16();
    const beFile = parseStatementBytes(Buffer.concat([Buffer.from([0xfe, 0xff]), be]), "be.csv");
    const cp = parseStatementBytes(Buffer.from(text, "latin1"), "cp.csv");
    expect([le.encoding, beFile.encoding, cp.encoding]).toEqual(["utf-16le", "utf-16be", "windows-1252"]);
    for (const f of [le, beFile, cp]) expect(f.statements[0]?.entries[0]?.description).toBe("Café Crème");
  });

  it("names file, line and column of a bad value, and says what a header lacks", () => {
    expect(
      importErrorOf(() =>
        parseBankCsv("Date,Description,Amount\n2025-01-02,x,1\n2025-01-03,y,12.3x\n", "a.csv", USD),
      ).message,
    ).toBe('a.csv:3: Amount "12.3x" is not a number');
    expect(
      importErrorOf(() => parseBankCsv("Date,Description,Amount\n2025-02-30,x,1\n", "a.csv", USD)).message,
    ).toBe('a.csv:2: Date "2025-02-30" is not a date');
    expect(
      importErrorOf(() =>
        parseBankCsv("Date,Description,Debit,Credit\n2025-01-02,x,1.00,2.00\n", "a.csv", USD),
      ).message,
    ).toBe('a.csv:2: Debit "1.00|2.00" and Credit are both filled');
    expect(
      importErrorOf(() => parseBankCsv("When,What\n1,2\n", "a.csv", { ...USD, preset: "chase-checking" }))
        .message,
    ).toMatch(/^a\.csv:1: header "When,What" does not match preset chase-checking/);
    expect(
      importErrorOf(() => parseBankCsv("When,What\n1,2\n", "a.csv", { ...USD, preset: "nope" })).message,
    ).toMatch(/no CSV preset named "nope"/);
  });
});

describe("parseBankCsv with several bad rows", () => {
  it("lists every one, each naming its line and the file's own column", () => {
    const text = [
      "Date,Description,Amount,Balance",
      "2025-01-02,Coffee,-3.50,96.50",
      "2025-01-03,Lunch,12.3x,84.20",
      "2025-02-30,Rent,-1.00,83.20",
      "2025-01-05,Salary,1000.00,x",
    ].join("\n");
    const error = badRowsOf(() => parseBankCsv(text, "a.csv", USD));
    expect(error.problems.map((p) => p.message)).toEqual([
      'a.csv:3: Amount "12.3x" is not a number',
      'a.csv:4: Date "2025-02-30" is not a date',
      'a.csv:5: Balance "x" is not a number',
    ]);
    expect(error.message).toBe('a.csv: 3 rows are bad; first: a.csv:3: Amount "12.3x" is not a number');
  });

  it("quotes a header of NULs as a short escaped excerpt", () => {
    const error = importErrorOf(() => parseBankCsv(`${"\u0000".repeat(100_000)}\n`, "z.csv", USD));
    expect(error.message).toBe(
      `z.csv:1: header "${"\\x00".repeat(79)}…" does not match any preset; give --map date=<column>,amount=<column>,description=<column>`,
    );
  });
});

describe("dayOf", () => {
  it("reads stated layouts, two-digit years and a time after the date", () => {
    expect(dayOf("d", "2025-01-31 10:00", "auto")).toBe("2025-01-31");
    expect(dayOf("d", "20250131", "auto")).toBe("2025-01-31");
    expect(dayOf("d", "1/2/25", "M/D/YY")).toBe("2025-01-02");
    expect(dayOf("d", "31-01-2025", "DD-MM-YYYY")).toBe("2025-01-31");
    expect(() => dayOf("d", "01/31/2025", "DD/MM/YYYY")).toThrow("is not a date in the form DD/MM/YYYY");
  });
});
