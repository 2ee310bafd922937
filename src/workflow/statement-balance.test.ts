import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { ImportError } from "../errors/index.js";
import { parseStatementBytes, readStatementFile } from "../importers/statement-file.js";
import { CurrencyMismatchError, explainBalanceDifference } from "./balance-explainer.js";
import { statementBalanceFrom } from "./statement-balance.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const fixtures = join(root, "test/fixtures/statement-balances");
const samples = resolve(root, "../shared/samples");
const samplesPresent = existsSync(samples);

const fixture = (name: string) => readStatementFile(join(fixtures, name));

describe("statementBalanceFrom on the fixtures", () => {
  it("reads an OFX statement's LEDGERBAL, not its AVAILBAL", async () => {
    const balance = statementBalanceFrom(await fixture("checking-march.ofx"));
    expect(balance).toEqual({
      accountId: "4417001234",
      amountMinor: 1_024_500,
      currency: "USD",
      date: "2025-03-31",
      file: join(fixtures, "checking-march.ofx"),
      format: "ofx",
      statement: 1,
      line: expect.any(Number),
    });
  });

  it("reads the CAMT.053 CLBD of the latest day, whatever the order of the statements in the file", async () => {
    const file = await fixture("camt053-two-days.xml");
    expect(statementBalanceFrom(file)).toMatchObject({
      accountId: "DE89370400440532013000",
      amountMinor: -25_000, // 250.00 DBIT: an overdraft
      currency: "EUR",
      date: "2025-03-31",
      format: "camt",
      statement: 1,
    });
    expect(statementBalanceFrom(file, { onOrBefore: "2025-03-30" })).toMatchObject({
      amountMinor: 75_000,
      date: "2025-03-30",
      statement: 2,
    });
  });

  it("reads MT940's final :62F: after the :62M: of the same day, for the account asked for", async () => {
    const file = await fixture("mt940-two-accounts.sta");
    expect(statementBalanceFrom(file, { accountId: "NL91ABNA0417164300" })).toMatchObject({
      accountId: "NL91ABNA0417164300",
      amountMinor: 366_544,
      currency: "EUR",
      date: "2025-03-31",
      format: "mt940",
      statement: 3,
    });
    expect(
      statementBalanceFrom(file, { accountId: "NL91ABNA0417164300", onOrBefore: "2025-03-30" }),
    ).toMatchObject({ amountMinor: 480_000, date: "2025-03-28", statement: 1 });
    expect(statementBalanceFrom(file, { accountId: "DE44500105175407324931" })).toMatchObject({
      amountMinor: -12_050,
      date: "2025-03-31",
      statement: 4,
    });
  });

  it("asks which account when a file holds several, and names them", async () => {
    const file = await fixture("mt940-two-accounts.sta");
    expect(() => statementBalanceFrom(file)).toThrow(ImportError);
    expect(() => statementBalanceFrom(file)).toThrow(
      /holds statements of 2 accounts \(NL91ABNA0417164300, DE44500105175407324931\); say which account to read/,
    );
    expect(() => statementBalanceFrom(file, { accountId: "FR7630006000011234567890189" })).toThrow(
      /has no statement of account FR7630006000011234567890189 \(it holds NL91ABNA0417164300, DE44500105175407324931\)/,
    );
  });

  it("says when no closing balance is on or before the day asked for", async () => {
    const file = await fixture("camt053-two-days.xml");
    expect(() => statementBalanceFrom(file, { onOrBefore: "2025-03-01" })).toThrow(
      /states no closing balance on or before 2025-03-01 \(the earliest is on 2025-03-30\)/,
    );
  });
});

describe("statementBalanceFrom on files without a usable balance", () => {
  const ofx = (balance: string) =>
    parseStatementBytes(
      Buffer.from(
        [
          "OFXHEADER:100",
          "DATA:OFXSGML",
          "VERSION:102",
          "",
          "<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS><CURDEF>USD",
          "<BANKACCTFROM><BANKID>1<ACCTID>99<ACCTTYPE>CHECKING</BANKACCTFROM>",
          "<BANKTRANLIST><DTSTART>20250301<DTEND>20250331</BANKTRANLIST>",
          balance,
          "</STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>",
        ].join("\n"),
      ),
      "bare.ofx",
    );

  it("refuses a statement that states no closing balance, naming the file, line and what it expected", () => {
    expect(() => statementBalanceFrom(ofx(""))).toThrow(
      /^bare\.ofx:5: statement 1 \(account 99\) states no closing balance \(expected LEDGERBAL\)$/,
    );
  });

  it("refuses a closing balance without the day it holds at", () => {
    expect(() => statementBalanceFrom(ofx("<LEDGERBAL><BALAMT>10.00</LEDGERBAL>"))).toThrow(
      /^bare\.ofx:5: statement 1 \(account 99\) states its closing balance without the day it holds at$/,
    );
  });

  it("refuses a file with no statement at all", () => {
    const empty = { file: "empty.sta", format: "mt940" as const, encoding: "utf-8", statements: [] };
    expect(() => statementBalanceFrom(empty)).toThrow(/^empty\.sta: holds no statement$/);
  });
});

describe.skipIf(!samplesPresent)("statementBalanceFrom on the shared real samples", () => {
  it.each([
    ["ofx/ofxparse__checking.ofx", { amountMinor: 10_099, currency: "USD", date: "2013-05-25" }],
    ["ofx/ofxparse__anzcc.ofx", { amountMinor: -12_345, currency: "AUD", date: "2017-05-10" }],
    ["mt940/mt940-js__ing-1.mta", { amountMinor: -994_509, currency: "EUR", date: "2010-07-23" }],
    ["camt/genkgo-camt__camt053.v2.minimal.xml", { amountMinor: -2_700, currency: "SEK" }],
  ])("reads the closing balance of %s", async (name, expected) => {
    const balance = statementBalanceFrom(await readStatementFile(join(samples, name)));
    expect(balance).toMatchObject(expected);
    expect(balance.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });
});

describe("a statement balance read from a file, explained against the books", () => {
  it("finds the deposit in transit, the outstanding check and the unbooked fee", async () => {
    const statement = statementBalanceFrom(await fixture("checking-march.ofx"));
    const item = (id: string, side: "bank" | "ledger", date: string, amountMinor: number) => ({
      id,
      side,
      date,
      amountMinor,
      currency: "USD",
    });
    const explanation = explainBalanceDifference({
      statement,
      books: { amountMinor: 1_000_000, currency: "USD" },
      openItems: [
        item("inv-7", "ledger", "2025-02-02", 12_000),
        item("chk-1041", "ledger", "2025-03-28", -55_000),
        item("2025033101", "bank", "2025-03-31", -500),
        item("int-03", "bank", "2025-03-31", 3_750),
        item("dep-88", "ledger", "2025-03-30", 30_000),
        item("dep-90", "ledger", "2025-04-02", 24_500), // after the statement: in neither balance
      ],
    });
    expect(explanation.kind).toBe("explained");
    expect(explanation.differenceMinor).toBe(24_500);
    expect(explanation.candidates.map((c) => c.items.map((i) => i.id))).toEqual([
      ["2025033101", "dep-88", "chk-1041"],
    ]);
    expect(explanation.searched.itemsSkipped).toEqual({ afterDate: 1, zero: 0, pool: 0 });
    expect(explanation.message).toBe(
      "statement 10,245.00 USD on 2025-03-31, books 10,000.00 USD: difference 245.00 USD; explained by one set of 3 of the 5 open items",
    );
  });

  it("refuses books kept in another currency than the statement's, naming both", async () => {
    const statement = statementBalanceFrom(await fixture("camt053-two-days.xml"));
    const explain = () =>
      explainBalanceDifference({ statement, books: { amountMinor: 0, currency: "USD" }, openItems: [] });
    expect(explain).toThrow(CurrencyMismatchError);
    expect(explain).toThrow(/the books' balance is in USD but the statement balance is in EUR/);
  });
});
