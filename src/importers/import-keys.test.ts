import { describe, expect, it } from "vitest";
import type { BankTransaction } from "../domain/index.js";
import { importKeys, mergeImport, normalizeDescription } from "./import-keys.js";
import { emptyStatement, type Statement, type StatementEntry } from "./statement.js";
import { parseStatementBytes, toBankTransactions } from "./statement-file.js";

function entry(
  date: string,
  amountMinor: number,
  description: string,
  bankId: string | null = null,
): StatementEntry {
  return {
    amountMinor,
    currency: "EUR",
    date,
    valueDate: null,
    authorizedDate: null,
    status: "booked",
    description,
    bankId,
    reference: null,
    endToEndId: null,
    counterparty: null,
    counterpartyAccount: null,
    checkNumber: null,
    type: null,
    details: [],
    line: 1,
    path: null,
  };
}

function statement(accountId: string, entries: StatementEntry[]): Statement {
  return { ...emptyStatement(1, "EUR"), accountId, entries };
}

const csv = (rows: string[]) => Buffer.from(`Date,Description,Amount\n${rows.join("\n")}\n`);

describe("importKeys", () => {
  it("keys rows by the bank's id within their account, and fingerprints the rest with an occurrence count", () => {
    const keys = importKeys([
      statement("A", [
        entry("2025-01-02", -350, "Coffee", null),
        entry("2025-01-02", -350, "COFFEE!", null),
        entry("2025-01-02", 100, "x", "F1"),
      ]),
      statement("B", [entry("2025-01-02", 100, "x", "F1")]),
    ]);
    expect(keys).toEqual([
      ["A|fp|2025-01-02|-350EUR|coffee|0", "A|fp|2025-01-02|-350EUR|coffee|1", "A|id|F1"],
      ["B|id|F1"],
    ]);
  });

  it("does not trust an id the file repeats for one account: those rows are fingerprinted", () => {
    const [keys] = importKeys([
      statement("A", [entry("2025-01-02", -1, "a", "SAME"), entry("2025-01-03", -2, "b", "SAME")]),
    ]);
    expect(keys).toEqual(["A|fp|2025-01-02|-1EUR|a|0", "A|fp|2025-01-03|-2EUR|b|0"]);
  });

  it("ignores case, punctuation and spacing in descriptions", () => {
    expect(normalizeDescription("  STARBUCKS #123,  Seattle ")).toBe("starbucks 123 seattle");
    expect(normalizeDescription("Café—Crème")).toBe("café crème");
  });
});

describe("mergeImport", () => {
  it("re-importing an overlapping later file adds only new rows and keeps identical coffees as two", () => {
    const january = csv([
      "2025-01-30,Coffee,-3.50",
      "2025-01-31,Coffee,-3.50",
      "2025-01-31,Coffee,-3.50",
      "2025-01-31,Salary,2000.00",
    ]);
    const overlapping = csv([
      "2025-01-31,Coffee,-3.50",
      "2025-01-31,Salary,2000.00",
      "2025-01-31,Coffee,-3.50",
      "2025-02-01,Coffee,-3.50",
      "2025-02-01,Coffee,-3.50",
    ]);
    const store = new Map<string, BankTransaction>();
    const first = mergeImport(
      store,
      toBankTransactions(parseStatementBytes(january, "jan.csv", { accountId: "A" })),
    );
    for (const t of first.added) store.set(t.id, t);
    const second = mergeImport(
      store,
      toBankTransactions(parseStatementBytes(overlapping, "feb.csv", { accountId: "A" })),
    );
    for (const t of second.added) store.set(t.id, t);
    expect(first.added).toHaveLength(4);
    expect(second.added.map((t) => [t.date, t.amountMinor])).toEqual([
      ["2025-02-01", -350],
      ["2025-02-01", -350],
    ]);
    expect(second.unchanged).toHaveLength(3);
    const coffeesOn31 = [...store.values()].filter((t) => t.date === "2025-01-31" && t.amountMinor === -350);
    expect(coffeesOn31).toHaveLength(2);
    expect(store.size).toBe(6);
    // A third import of the same files changes nothing.
    expect(
      mergeImport(store, toBankTransactions(parseStatementBytes(overlapping, "feb.csv", { accountId: "A" })))
        .added,
    ).toEqual([]);
  });

  it("reports a held id with other money as changed, never overwriting it", () => {
    const ofx = (amount: string) =>
      Buffer.from(
        `OFXHEADER:100\n\n<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS><CURDEF>USD<BANKACCTFROM><ACCTID>1</BANKACCTFROM><BANKTRANLIST><STMTTRN><DTPOSTED>20250102<TRNAMT>${amount}<FITID>F1<NAME>X</STMTTRN></BANKTRANLIST></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>`,
      );
    const held = toBankTransactions(parseStatementBytes(ofx("-1.00"), "a.ofx"));
    const store = new Map(held.map((t) => [t.id, t]));
    const again = mergeImport(store, toBankTransactions(parseStatementBytes(ofx("-2.00"), "a.ofx")));
    expect(again.added).toEqual([]);
    expect(again.changed.map((c) => [c.held.amountMinor, c.incoming.amountMinor])).toEqual([[-100, -200]]);
    expect(mergeImport(new Set(store.keys()), held).unchanged).toHaveLength(1);
  });
});
