import { afterAll, describe, expect, it } from "vitest";
import { storeCases } from "../../test/support/stores.js";
import { parseStatementBytes, toBankAccounts, toBankTransactions } from "../importers/statement-file.js";
import { importStatement } from "./statement-imports.js";
import type { Store } from "./store.js";
import { listTransactions } from "./transaction-queries.js";

const cases = await storeCases();

const csv = (rows: string[]) => Buffer.from(`Date,Description,Amount\n${rows.join("\n")}\n`);

function input(bytes: Buffer, fileName: string, accountId: string | undefined = "A") {
  const file = parseStatementBytes(bytes, fileName, accountId === undefined ? {} : { accountId });
  return {
    fileName,
    format: file.format,
    accounts: toBankAccounts(file),
    transactions: toBankTransactions(file),
  };
}

async function countRows(store: Store): Promise<{ transactions: number; imports: number }> {
  const transactions = await store.db
    .selectFrom("transactions")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  const imports = await store.db
    .selectFrom("statement_imports")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  return { transactions: Number(transactions.n), imports: Number(imports.n) };
}

const ofx = (amount: string) =>
  Buffer.from(
    `OFXHEADER:100\n\n<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS><CURDEF>USD<BANKACCTFROM><ACCTID>1</BANKACCTFROM><BANKTRANLIST><STMTTRN><DTPOSTED>20250102<TRNAMT>${amount}<FITID>F1<NAME>X</STMTTRN></BANKTRANLIST></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>`,
  );

describe.each(cases)("statement imports into the store on $dialect", (storeCase) => {
  afterAll(() => storeCase.cleanup());

  it.skipIf(!storeCase.available)(
    "re-importing an overlapping file adds only new rows; two identical coffees stay two",
    async () => {
      const store = await storeCase.open();
      try {
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
        expect(await importStatement(store, input(january, "jan.csv"))).toMatchObject({
          added: 4,
          unchanged: 0,
        });
        expect(await importStatement(store, input(overlapping, "feb.csv"))).toMatchObject({
          added: 2,
          unchanged: 3,
        });
        expect(await importStatement(store, input(overlapping, "feb.csv"))).toMatchObject({
          added: 0,
          unchanged: 5,
        });
        const rows = await listTransactions(store);
        expect(rows).toHaveLength(6);
        expect(rows.filter((t) => t.date === "2025-01-31" && t.amountMinor === -350)).toHaveLength(2);
        expect(rows.every((t) => t.source === "file" && t.accountId === "A")).toBe(true);
        expect(await countRows(store)).toEqual({ transactions: 6, imports: 3 });
      } finally {
        await store.close();
      }
    },
  );

  it.skipIf(!storeCase.available)(
    "reports a held bank id with other money and keeps the stored row",
    async () => {
      const store = await storeCase.open();
      try {
        await importStatement(store, input(ofx("-10.00"), "a.ofx", undefined));
        const second = await importStatement(store, input(ofx("-12.00"), "b.ofx", undefined));
        expect(second.added).toBe(0);
        expect(second.changed.map((c) => [c.held.amountMinor, c.incoming.amountMinor])).toEqual([
          [-1000, -1200],
        ]);
        expect((await listTransactions(store)).map((t) => t.amountMinor)).toEqual([-1000]);
      } finally {
        await store.close();
      }
    },
  );

  it.skipIf(!storeCase.available)("stores nothing when any row of the file cannot be stored", async () => {
    const store = await storeCase.open();
    try {
      const rows = Array.from(
        { length: 1200 },
        (_, i) =>
          `2025-03-${String((i % 28) + 1).padStart(2, "0")},Row ${i},-1.${String(i % 100).padStart(2, "0")}`,
      );
      const good = input(csv(rows), "big.csv");
      // The last chunk holds a row the database refuses (no currency), after two chunks went in.
      const broken = {
        ...good,
        transactions: good.transactions.map((t, i) =>
          i === 1100 ? { ...t, currency: null as unknown as string } : t,
        ),
      };
      await expect(importStatement(store, broken)).rejects.toThrow();
      expect(await countRows(store)).toEqual({ transactions: 0, imports: 0 });
      expect(await importStatement(store, good)).toMatchObject({ added: 1200 });
    } finally {
      await store.close();
    }
  });
});
