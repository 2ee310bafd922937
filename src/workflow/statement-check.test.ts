import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { storeCases } from "../../test/support/stores.js";
import { ACCOUNT, addBankRows, entry } from "../../test/support/workflow-books.js";
import { ImportError, InputError } from "../errors/index.js";
import { emptyStatement, type Statement, type StatementFile } from "../importers/statement.js";
import { readStatementFile } from "../importers/statement-file.js";
import type { Store } from "../store/index.js";
import { booksAtDate } from "../store/workflow-balance.js";
import { importExpectedEntries, matchManually } from "./index.js";
import {
  checkStatementBalance,
  type StatementCheckItem,
  statementBalanceForAccount,
} from "./statement-check.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const fixture = (name: string) => readStatementFile(join(root, "test/fixtures/statement-balances", name));

const item = (
  id: string,
  side: "bank" | "ledger",
  date: string,
  amountMinor: number,
  currency = "USD",
): StatementCheckItem => ({ id, side, date, amountMinor, currency, description: `${side} ${id}` });

const MARCH_31 = { amountMinor: 1_024_500, currency: "USD", date: "2025-03-31" };

describe("checkStatementBalance", () => {
  it("adds the opening balance, the ledger and the adjustments up to the books' balance, and says when they agree", () => {
    const check = checkStatementBalance({
      statement: MARCH_31,
      openingMinor: 817_015,
      ledger: [{ currency: "USD", totalMinor: 208_485, count: 3 }],
      adjustments: [{ currency: "USD", totalMinor: -1_000, count: 1 }],
      openItems: [item("L9", "ledger", "2025-03-30", 30_000)],
    });
    expect(check).toMatchObject({
      booksMinor: 1_024_500,
      openingMinor: 817_015,
      ledgerMinor: 208_485,
      ledgerEntries: 3,
      adjustmentsMinor: -1_000,
      adjustmentCount: 1,
      leftOut: { ledgerEntries: 0, adjustments: 0, openItems: 0, currencies: [] },
    });
    expect(check.explanation).toMatchObject({ kind: "balanced", explained: true, differenceMinor: 0 });
    expect(check.explanation.message).toBe(
      "statement 10,245.00 USD on 2025-03-31, books 10,245.00 USD: balanced",
    );
  });

  it("names the two uncleared items that explain the difference, with the objects given", () => {
    const deposit = item("L4", "ledger", "2025-03-30", 30_000);
    const check_ = item("L5", "ledger", "2025-03-29", -55_000);
    const check = checkStatementBalance({
      statement: MARCH_31,
      openingMinor: 817_015,
      ledger: [{ currency: "USD", totalMinor: 182_485, count: 5 }],
      openItems: [
        deposit,
        check_,
        item("B1", "bank", "2025-03-10", -42_015),
        item("L2", "ledger", "2025-03-10", 777),
      ],
    });
    expect(check.booksMinor).toBe(999_500);
    expect(check.explanation.kind).toBe("explained");
    expect(check.explanation.differenceMinor).toBe(25_000);
    expect(check.explanation.candidates).toHaveLength(1);
    expect(check.explanation.candidates[0]?.items).toEqual([deposit, check_]);
    expect(check.explanation.candidates[0]?.items[0]?.description).toBe("ledger L4");
  });

  it("defaults the opening balance to 0", () => {
    const check = checkStatementBalance({
      statement: { amountMinor: 10_000, currency: "USD", date: "2025-03-31" },
      ledger: [{ currency: "USD", totalMinor: 10_000, count: 1 }],
      openItems: [],
    });
    expect(check.openingMinor).toBe(0);
    expect(check.explanation.kind).toBe("balanced");
  });

  it("leaves out totals and items in another currency, counted, never converted", () => {
    const check = checkStatementBalance({
      statement: MARCH_31,
      openingMinor: 1_000_000,
      ledger: [
        { currency: "EUR", totalMinor: 99_999, count: 2 },
        { currency: "USD", totalMinor: 0, count: 0 },
      ],
      adjustments: [{ currency: "GBP", totalMinor: -100, count: 1 }],
      openItems: [item("B1", "bank", "2025-03-31", 24_500), item("B2", "bank", "2025-03-31", 24_500, "EUR")],
    });
    expect(check.booksMinor).toBe(1_000_000);
    expect(check.leftOut).toEqual({
      ledgerEntries: 2,
      adjustments: 1,
      openItems: 1,
      currencies: ["EUR", "GBP"],
    });
    expect(check.explanation.candidates.map((c) => c.items.map((i) => i.id))).toEqual([["B1"]]);
  });

  it("tells a difference no set of open items adds up to from a search stopped by its bounds", () => {
    const openItems = [
      item("L1", "ledger", "2025-03-31", 1_000),
      item("L2", "ledger", "2025-03-30", 2_000),
      item("L3", "ledger", "2025-03-01", 4_000),
    ];
    const base = {
      statement: MARCH_31,
      openingMinor: 1_024_500 + 7_001,
      ledger: [],
      openItems,
    };
    const unexplained = checkStatementBalance(base).explanation;
    expect(unexplained.kind).toBe("unexplained");
    expect(unexplained.explained).toBe(false);
    expect(unexplained.message).toMatch(
      /difference -70\.01 USD; no set of up to 6 of the 3 open items adds up to it$/,
    );
    const found = checkStatementBalance({ ...base, openingMinor: 1_024_500 + 7_000 }).explanation;
    expect(found.candidates.map((c) => c.items.map((i) => i.id))).toEqual([["L1", "L2", "L3"]]);
    const truncated = checkStatementBalance({
      ...base,
      openingMinor: 1_024_500 + 7_000,
      limits: { poolItemsMax: 2 },
    }).explanation;
    expect(truncated.kind).toBe("truncated");
    expect(truncated.searched.truncatedBy).toEqual(["pool"]);
    expect(truncated.message).toContain("1 older open item was left out of the search");
  });

  it("refuses amounts that are not whole minor units", () => {
    const base = { statement: MARCH_31, ledger: [], openItems: [] };
    expect(() => checkStatementBalance({ ...base, openingMinor: 0.5 })).toThrow(InputError);
    expect(() =>
      checkStatementBalance({ ...base, ledger: [{ currency: "USD", totalMinor: 2 ** 60, count: 1 }] }),
    ).toThrow(/ledger total in USD is not a whole number/);
  });
});

describe("statementBalanceForAccount", () => {
  const statementOf = (line: number, more: Partial<Statement>): Statement => ({
    ...emptyStatement(line, "USD"),
    closing: { amountMinor: line * 100, currency: "USD", date: "2025-03-31" },
    ...more,
  });
  const fileOf = (...statements: Statement[]): StatementFile => ({
    file: "made.ofx",
    format: "ofx",
    encoding: "utf-8",
    statements,
  });

  it("reads the statement of the account imported from it, by its id", async () => {
    const file = await fixture("checking-march.ofx");
    expect(statementBalanceForAccount(file, { id: "4417001234", mask: "1234" })).toMatchObject({
      accountId: "4417001234",
      amountMinor: 1_024_500,
      date: "2025-03-31",
    });
  });

  it("maps a stored account named otherwise by its mask, and refuses a mask no account or several end with", async () => {
    const file = await fixture("mt940-two-accounts.sta");
    expect(statementBalanceForAccount(file, { id: "plaid_acc_1", mask: "4931" })).toMatchObject({
      accountId: "DE44500105175407324931",
      amountMinor: -12_050,
    });
    expect(
      statementBalanceForAccount(file, { id: "plaid_acc_2", mask: "4300" }, { onOrBefore: "2025-03-30" }),
    ).toMatchObject({ accountId: "NL91ABNA0417164300", amountMinor: 480_000, date: "2025-03-28" });
    expect(() => statementBalanceForAccount(file, { id: "plaid_acc_3", mask: "9999" })).toThrow(
      /has no statement of account plaid_acc_3 \(…9999\): it holds NL91ABNA0417164300, DE44500105175407324931$/,
    );
    const twins = fileOf(
      statementOf(1, { accountId: "111234", accountNumber: "111234" }),
      statementOf(2, { accountId: "221234", accountNumber: "221234" }),
    );
    expect(() => statementBalanceForAccount(twins, { id: "plaid_acc_4", mask: "1234" })).toThrow(
      /holds statements of 2 accounts ending in 1234 \(111234, 221234\); account plaid_acc_4 could be either/,
    );
  });

  it("takes a file of one account when the stored account has no number to tell, and refuses several", async () => {
    const one = await fixture("camt053-two-days.xml");
    expect(statementBalanceForAccount(one, { id: "acc-checking", mask: null })).toMatchObject({
      accountId: "DE89370400440532013000",
      amountMinor: -25_000,
    });
    const several = await fixture("mt940-two-accounts.sta");
    expect(() => statementBalanceForAccount(several, { id: "acc-checking", mask: null })).toThrow(
      ImportError,
    );
    expect(() => statementBalanceForAccount(several, { id: "acc-checking", mask: null })).toThrow(
      /holds statements of 2 accounts \(.*\) and account acc-checking has no number to tell which is its own/,
    );
    const nameless = fileOf(statementOf(3, {}));
    expect(statementBalanceForAccount(nameless, { id: "plaid_acc_5", mask: "1234" }).amountMinor).toBe(300);
  });
});

const cases = await storeCases();

describe.each(cases)("the books at a statement date on $dialect", (storeCase) => {
  afterAll(() => storeCase.cleanup());
  let store: Store;
  beforeEach(async (context) => {
    if (!storeCase.available) context.skip();
    store = await storeCase.open();
    return () => store.close();
  });

  it("counts what the books hold at the date, and opens what clears after it, is pending or is in no match", async () => {
    await addBankRows(store, [
      { id: "b1", amountMinor: 50_000, date: "2025-03-10", name: "ACME PAYMENT" },
      { id: "b2", amountMinor: -12_000, date: "2025-03-20", name: "GLOBEX POWER" },
      { id: "b3", amountMinor: 30_000, date: "2025-04-02", name: "DEPOSIT" },
      { id: "b4", amountMinor: -4_500, date: "2025-03-25", name: "COFFEE", pending: true },
      { id: "b5", amountMinor: -500, date: "2025-03-31", name: "SERVICE FEE" },
      { id: "b6", amountMinor: 97_000, date: "2025-03-15", name: "WIRE INITECH" },
      { id: "x1", amountMinor: -3_000, date: "2025-03-28", name: "OTHER", accountId: "acc-savings" },
    ]);
    await importExpectedEntries(store, [
      entry("e1", 50_000, "2025-03-09", "Invoice 1 Acme"),
      entry("e2", -12_000, "2025-03-19", "Power bill", { accountId: ACCOUNT }),
      entry("e3", 30_000, "2025-03-31", "Deposit in transit"),
      entry("e4", -4_500, "2025-03-24", "Coffee", { accountId: ACCOUNT }),
      entry("e5", 9_900, "2025-03-15", "No account, no match"),
      entry("e6", -3_000, "2025-03-28", "Savings", { accountId: "acc-savings" }),
      entry("e7", 100_000, "2025-03-12", "Invoice 7 Initech", { accountId: ACCOUNT }),
      entry("e8", 1_000, "2025-04-01", "After the date", { accountId: ACCOUNT }),
    ]);
    for (const [bank, expected] of [
      ["b1", "e1"],
      ["b2", "e2"],
      ["b3", "e3"],
      ["b4", "e4"],
      ["x1", "e6"],
    ] as const)
      await matchManually(store, { bankTransactionIds: [bank], expectedIds: [expected], actor: "ana" });
    await matchManually(store, {
      bankTransactionIds: ["b6"],
      expectedIds: ["e7"],
      adjustment: { amountMinor: -3_000, reason: "fee" },
      actor: "ana",
    });
    const books = await booksAtDate(store.db, store.tenantId, { accountId: ACCOUNT, date: "2025-03-31" });
    // e1 (no account, accepted with b1), e2, e3 (no account, accepted with b3), e4, e7.
    expect(books.ledger).toEqual([{ currency: "USD", totalMinor: 163_500, count: 5 }]);
    expect(books.adjustments).toEqual([{ currency: "USD", totalMinor: -3_000, count: 1 }]);
    expect(books.openItems.map((i) => `${i.side}:${i.id}`)).toEqual(["bank:b5", "ledger:e3", "ledger:e4"]);
    expect(books.openItems[0]).toEqual({
      side: "bank",
      id: "b5",
      date: "2025-03-31",
      amountMinor: -500,
      currency: "USD",
      description: "SERVICE FEE",
    });
    expect(books.openItemsNotRead).toEqual({ bank: 0, ledger: 0 });
    // The statement: b1 + b2 + b5 + b6 (b3 posts after the date, b4 is pending) over an opening of 1,000.00.
    const check = checkStatementBalance({
      statement: { amountMinor: 100_000 + 134_500, currency: "USD", date: "2025-03-31" },
      openingMinor: 100_000,
      ledger: books.ledger,
      adjustments: books.adjustments,
      openItems: books.openItems,
    });
    expect(check.booksMinor).toBe(260_500);
    expect(check.explanation.differenceMinor).toBe(-26_000);
    expect(check.explanation.candidates.map((c) => c.items.map((i) => i.id).sort())).toEqual([
      ["b5", "e3", "e4"],
    ]);
    const capped = await booksAtDate(store.db, store.tenantId, { accountId: ACCOUNT, date: "2025-03-31" }, 1);
    expect(capped.openItems.map((i) => i.id)).toEqual(["b5", "e3"]);
    expect(capped.openItemsNotRead).toEqual({ bank: 0, ledger: 1 });
  });
});
