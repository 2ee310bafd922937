import { describe, expect, it } from "vitest";
import { checkBalances } from "./balance-check.js";
import { emptyStatement, type Statement, type StatementEntry, type StatementFile } from "./statement.js";

const e = (amountMinor: number, status: StatementEntry["status"] = "booked") =>
  ({ amountMinor, currency: "EUR", status }) as StatementEntry;
const bal = (amountMinor: number, currency = "EUR") => ({ amountMinor, currency, date: "2025-01-31" });

function file(...statements: Statement[]): StatementFile {
  return { file: "statement.sta", format: "mt940", encoding: "utf-8", statements };
}

describe("checkBalances", () => {
  it("passes when opening plus booked entries equals closing, leaving pending rows out", () => {
    const s = {
      ...emptyStatement(1, "EUR"),
      opening: bal(100_000),
      closing: bal(125_000),
      entries: [e(30_000), e(-5_000), e(-999, "pending")],
    };
    expect(checkBalances(file(s))).toEqual([
      expect.objectContaining({
        status: "ok",
        openingMinor: 100_000,
        entriesMinor: 25_000,
        closingMinor: 125_000,
        breakMinor: 0,
      }),
    ]);
  });

  it("reports a break with the numbers, the statement and its account", () => {
    const ok = { ...emptyStatement(1, "EUR"), opening: bal(0), closing: bal(0) };
    const broken = {
      ...emptyStatement(9, "EUR"),
      accountId: "NL91ABNA0417164300",
      opening: bal(100_000),
      closing: bal(120_500),
      entries: [e(25_000)],
    };
    const [, check] = checkBalances(file(ok, broken));
    expect(check).toMatchObject({ statement: 2, status: "break", breakMinor: -4_500 });
    expect(check?.message).toBe(
      "statement.sta: statement 2 (account NL91ABNA0417164300): opening 1,000.00 + entries 250.00 = 1,250.00 but closing balance says 1,205.00 (break -45.00)",
    );
  });

  it("leaves a statement unchecked when a balance is missing or the currencies differ", () => {
    const noOpening = { ...emptyStatement(1, "EUR"), closing: bal(1) };
    const mixed = { ...emptyStatement(1, "EUR"), opening: bal(1), closing: bal(1, "SEK") };
    expect(checkBalances(file(noOpening, mixed)).map((c) => [c.status, c.message])).toEqual([
      ["unchecked", "statement.sta: statement 1: balance not checked: no opening balance"],
      [
        "unchecked",
        "statement.sta: statement 2: balance not checked: opening balance in EUR but closing balance in SEK",
      ],
    ]);
  });
});
