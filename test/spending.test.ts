import { describe, expect, it } from "vitest";
import { describeCategory, isCategoryCode } from "../src/categorize/index.js";
import { parseStatementBytes, toBankAccounts, toBankTransactions } from "../src/importers/statement-file.js";
import { writeOfx } from "../src/importers/statement-writer.js";
import type { SpendingPeriod, SpendingSummary } from "../src/reports/index.js";
import { previousPeriod } from "../src/reports/index.js";
import {
  editTransaction,
  importStatement,
  listTransactions,
  refreshCategories,
  type Store,
  type StoredTransaction,
} from "../src/store/index.js";
import { addRule, reapplyRules, removeRule, testRule } from "../src/store/rules.js";
import { spendingSummary } from "../src/store/spending-queries.js";
import { syncItem } from "../src/sync/index.js";
import { useEmulatedStore } from "./support/emulated-store.js";
import { storeCases } from "./support/stores.js";

const cases = await storeCases();

/** The summary recomputed from the rows themselves, with plain loops: what the report must say. */
function independentSums(rows: readonly StoredTransaction[], period: SpendingPeriod) {
  const counted = rows.filter(
    (t) =>
      t.removedAt === null &&
      !t.pending &&
      t.resolved.reportRole === "counted" &&
      t.date >= period.from &&
      t.date <= period.to,
  );
  const out = new Map<
    string,
    {
      income: number;
      expenses: number;
      net: number;
      count: number;
      categories: Map<string, number>;
      merchants: Map<string, number>;
      months: Map<string, number>;
    }
  >();
  for (const t of counted) {
    const c = out.get(t.currency) ?? {
      income: 0,
      expenses: 0,
      net: 0,
      count: 0,
      categories: new Map(),
      merchants: new Map(),
      months: new Map(),
    };
    const kind = describeCategory(t.resolved.category).kind;
    let spent = 0;
    if (kind === "income") c.income += t.amountMinor;
    else if (kind === "expense") spent = -t.amountMinor;
    else if (t.amountMinor > 0) c.income += t.amountMinor;
    else spent = -t.amountMinor;
    c.expenses += spent;
    c.net += t.amountMinor;
    c.count++;
    const primary = describeCategory(t.resolved.category).primary;
    c.categories.set(primary, (c.categories.get(primary) ?? 0) + t.amountMinor);
    if (t.resolved.merchantKey !== null && spent !== 0)
      c.merchants.set(t.resolved.merchantKey, (c.merchants.get(t.resolved.merchantKey) ?? 0) + spent);
    const month = t.date.slice(0, 7);
    c.months.set(month, (c.months.get(month) ?? 0) + t.amountMinor);
    out.set(t.currency, c);
  }
  return out;
}

function expectSummaryEquals(summary: SpendingSummary, rows: readonly StoredTransaction[]): void {
  const truth = independentSums(rows, summary.period);
  expect(summary.currencies.map((c) => c.currency)).toEqual([...truth.keys()].sort());
  for (const c of summary.currencies) {
    const t = truth.get(c.currency);
    if (t === undefined) throw new Error(`no truth for ${c.currency}`);
    expect(c.totals).toEqual({
      incomeMinor: t.income,
      expensesMinor: t.expenses,
      netMinor: t.net,
      count: t.count,
    });
    const categories = new Map(
      c.categories.filter((line) => line.count > 0).map((line) => [line.code, line.netMinor]),
    );
    expect(categories).toEqual(t.categories);
    for (const line of c.categories)
      expect(line.detailed.reduce((sum, d) => sum + d.netMinor, 0)).toBe(line.count > 0 ? line.netMinor : 0);
    const monthsWithRows = new Map(c.months.filter((m) => m.count > 0).map((m) => [m.month, m.netMinor]));
    expect(monthsWithRows).toEqual(t.months);
    // Top merchants: the largest spends, each equal to the sum straight from the rows.
    const ranked = [...t.merchants].filter(([, spent]) => spent > 0).sort((a, b) => b[1] - a[1]);
    expect(c.merchants.map((m) => m.spentMinor)).toEqual(
      ranked.slice(0, c.merchants.length).map(([, s]) => s),
    );
    for (const m of c.merchants) expect(m.spentMinor).toBe(t.merchants.get(m.key));
  }
}

async function allRows(store: Store): Promise<StoredTransaction[]> {
  return listTransactions(store, { includeRemoved: true, limit: 1_000_000 });
}

describe.each(cases)("spending on $dialect", (storeCase) => {
  const env = useEmulatedStore(storeCase, 31);

  it.skipIf(!storeCase.available)(
    "reports the emulator's month as independent sums of its rows, transfers and card payments left out",
    async () => {
      const { store, itemId } = await env.linkedStore({ user: "user_good", historyDays: 120 });
      try {
        const report = await syncItem(store, env.gateway, itemId);
        expect(report.outcome).toBe("synced");
        const rows = await allRows(store);
        // Every category bankrec stored is in the taxonomy (the emulator sends only known ones).
        for (const row of rows) expect(isCategoryCode(row.resolved.category)).toBe(true);
        const cardPayments = rows.filter((t) => t.category?.detailed === "LOAN_PAYMENTS_CREDIT_CARD_PAYMENT");
        expect(cardPayments.length).toBeGreaterThan(0);
        for (const t of cardPayments) expect(t.resolved.reportRole).toBe("transfer");
        const paired = rows.filter((t) => t.resolved.transferPartnerId !== null);
        expect(paired.length).toBeGreaterThan(0);
        const byId = new Map(rows.map((t) => [t.id, t]));
        for (const t of paired) {
          const partner = byId.get(t.resolved.transferPartnerId as string);
          expect(partner?.resolved.transferPartnerId).toBe(t.id);
          expect(partner?.accountId).not.toBe(t.accountId);
          expect(partner?.amountMinor).toBe(-t.amountMinor);
          expect(t.resolved.reportRole).toBe("transfer");
        }
        const dates = rows.map((t) => t.date).sort();
        const newest = dates.at(-1) ?? "";
        const month = newest.slice(0, 7);
        for (const period of [
          { from: `${month}-01`, to: newest },
          previousPeriod({ from: `${month}-01`, to: newest }),
          { from: dates[0] ?? newest, to: newest },
        ]) {
          const summary = await spendingSummary(store, { period, merchantsMax: 25 });
          expectSummaryEquals(summary, rows);
          const income = summary.currencies[0]?.totals.incomeMinor ?? 0;
          expect(income).toBeGreaterThan(0);
        }
      } finally {
        await store.close();
      }
    },
  );

  it.skipIf(!storeCase.available)(
    "keeps a person's category through a rule change, a re-sync and pending to posted",
    async () => {
      const { store, itemId } = await env.linkedStore();
      try {
        await syncItem(store, env.gateway, itemId);
        const pending = (await allRows(store)).find((t) => t.pending && t.resolved.merchantName !== null);
        if (pending === undefined) throw new Error("the emulator gave no pending row with a merchant");
        await editTransaction(store, pending.id, { category: "GENERAL_SERVICES_CONSULTING_AND_LEGAL" });
        const { rule } = await addRule(store, {
          conditions: { merchant: { equals: pending.resolved.merchantName } },
          actions: { category: "ENTERTAINMENT_OTHER_ENTERTAINMENT" },
        });
        const afterRule = (await allRows(store)).find((t) => t.id === pending.id);
        expect(afterRule?.resolved).toMatchObject({
          category: "GENERAL_SERVICES_CONSULTING_AND_LEGAL",
          source: "user",
        });
        await env.emu.clock.advance(3);
        const report = await syncItem(store, env.gateway, itemId);
        expect(report.outcome).toBe("synced");
        const rows = await allRows(store);
        const posted = rows.find((t) => t.pendingTransactionId === pending.id);
        if (posted === undefined) throw new Error("the pending row did not post");
        expect(posted.resolved).toMatchObject({
          category: "GENERAL_SERVICES_CONSULTING_AND_LEGAL",
          source: "user",
        });
        // Others of that merchant follow the rule; the person's row does not.
        const others = rows.filter(
          (t) =>
            t.resolved.merchantName === pending.resolved.merchantName &&
            t.edits.category === null &&
            t.removedAt === null,
        );
        for (const t of others)
          expect(t.resolved).toMatchObject({
            category: "ENTERTAINMENT_OTHER_ENTERTAINMENT",
            source: "rule",
            ruleId: rule.id,
          });
        await removeRule(store, rule.id);
        const afterRemoval = (await allRows(store)).find((t) => t.id === posted.id);
        expect(afterRemoval?.resolved.source).toBe("user");
        await syncItem(store, env.gateway, itemId);
        expect((await allRows(store)).find((t) => t.id === posted.id)?.resolved.category).toBe(
          "GENERAL_SERVICES_CONSULTING_AND_LEGAL",
        );
      } finally {
        await store.close();
      }
    },
  );

  it.skipIf(!storeCase.available)("counts in a rule's test exactly what applying it changes", async () => {
    const { store, itemId } = await env.linkedStore({ user: "user_good", historyDays: 90 });
    try {
      await syncItem(store, env.gateway, itemId);
      const rows = await allRows(store);
      const word =
        (rows.find((t) => t.resolved.merchantName !== null)?.resolved.merchantName ?? "").split(" ")[0] ?? "";
      const rules = [
        {
          conditions: { description: { contains: word } },
          actions: { category: "TRAVEL_FLIGHTS", addTags: ["t"] },
        },
        { conditions: { direction: "out", amountMin: "100" }, actions: { excludeFromReports: true } },
        { conditions: { category: "FOOD_AND_DRINK" }, actions: { renameMerchant: "Food" } },
      ];
      for (const rule of rules) {
        const tested = await testRule(store, rule);
        expect(tested.changed).toBeGreaterThan(0);
        const { outcome } = await addRule(store, rule);
        expect(outcome.changed).toBe(tested.changed);
        expect(outcome.examples).toEqual(tested.examples);
        expect((await reapplyRules(store)).changed).toBe(0);
      }
      const excluded = (await allRows(store)).filter((t) => t.resolved.reportRole === "excluded");
      expect(excluded.length).toBeGreaterThan(0);
      for (const t of excluded) expect(t.amountMinor).toBeLessThanOrEqual(-10_000);
    } finally {
      await store.close();
    }
  });

  it.skipIf(!storeCase.available)(
    "reports statement files: fees from the file's codes, refunds netted, transfers out, currencies apart",
    async () => {
      const store = await storeCase.open();
      try {
        const usd = {
          accountId: "CHK-1",
          currency: "USD",
          openingMinor: 500_000,
          fromDate: "2026-03-01",
          toDate: "2026-03-31",
          entries: [
            { amountMinor: 420_000, date: "2026-03-01", description: "ACME CORP PAYROLL", bankId: "u1" },
            {
              amountMinor: -5_600,
              date: "2026-03-03",
              description: "SQ *BLUE BOTTLE COFFEE 0303",
              bankId: "u2",
            },
            {
              amountMinor: -3_200,
              date: "2026-03-09",
              description: "SQ *BLUE BOTTLE COFFEE 0309",
              bankId: "u3",
            },
            {
              amountMinor: 1_200,
              date: "2026-03-10",
              description: "SQ *BLUE BOTTLE COFFEE REFUND",
              bankId: "u4",
            },
            {
              amountMinor: -1_500,
              date: "2026-03-15",
              description: "MONTHLY SERVICE FEE",
              bankId: "u5",
              type: "SRVCHG",
            },
            { amountMinor: 37, date: "2026-03-31", description: "INTEREST PAID", bankId: "u6", type: "INT" },
            {
              amountMinor: -100_000,
              date: "2026-03-20",
              description: "ONLINE TRANSFER TO SAV 4411",
              bankId: "u7",
            },
            {
              amountMinor: -2_000,
              date: "2026-02-27",
              description: "MONTHLY SERVICE FEE",
              bankId: "u8",
              type: "SRVCHG",
            },
          ],
        };
        const savings = {
          accountId: "SAV-4411",
          currency: "USD",
          openingMinor: 0,
          fromDate: "2026-03-01",
          toDate: "2026-03-31",
          entries: [
            { amountMinor: 100_000, date: "2026-03-21", description: "TRANSFER FROM CHK 0001", bankId: "s1" },
          ],
        };
        const eur = {
          accountId: "DE-1",
          currency: "EUR",
          openingMinor: 10_000,
          fromDate: "2026-03-01",
          toDate: "2026-03-31",
          entries: [
            { amountMinor: -4_500, date: "2026-03-05", description: "REWE MARKT 1234 BERLIN", bankId: "e1" },
            { amountMinor: -900, date: "2026-03-06", description: "BANK CHARGES", bankId: "e2", type: "FEE" },
          ],
        };
        for (const [name, statements] of [
          ["usd.ofx", [usd, savings]],
          ["eur.ofx", [eur]],
        ] as const) {
          const file = parseStatementBytes(Buffer.from(writeOfx(statements)), name);
          await importStatement(store, {
            fileName: name,
            format: file.format,
            accounts: toBankAccounts(file),
            transactions: toBankTransactions(file),
          });
        }
        const rows = await allRows(store);
        const byBankId = (suffix: string) => rows.find((t) => t.id.endsWith(`|${suffix}`));
        expect(byBankId("u5")?.resolved).toMatchObject({
          category: "BANK_FEES_OTHER_BANK_FEES",
          source: "statement",
        });
        expect(byBankId("u6")?.resolved).toMatchObject({
          category: "INCOME_INTEREST_EARNED",
          source: "statement",
        });
        expect(byBankId("u7")?.resolved).toMatchObject({
          reportRole: "transfer",
          transferPartnerId: byBankId("s1")?.id,
        });
        // The coffee shop is one merchant in three descriptors; give it a category by hand, twice.
        await editTransaction(store, byBankId("u2")?.id as string, { category: "FOOD_AND_DRINK_COFFEE" });
        await editTransaction(store, byBankId("u3")?.id as string, { category: "FOOD_AND_DRINK_COFFEE" });
        await addRule(store, {
          conditions: { description: { words: ["refund"] } },
          actions: { category: "FOOD_AND_DRINK_COFFEE" },
        });
        const period = { from: "2026-03-01", to: "2026-03-31" };
        const summary = await spendingSummary(store, { period });
        expectSummaryEquals(summary, await allRows(store));
        const [eurSummary, usdSummary] = summary.currencies;
        expect(eurSummary?.totals).toEqual({
          incomeMinor: 0,
          expensesMinor: 5_400,
          netMinor: -5_400,
          count: 2,
        });
        expect(usdSummary?.totals).toEqual({
          incomeMinor: 420_037,
          expensesMinor: 9_100,
          netMinor: 410_937,
          count: 6,
        });
        const food = usdSummary?.categories.find((c) => c.code === "FOOD_AND_DRINK");
        expect(food?.expensesMinor).toBe(5_600 + 3_200 - 1_200);
        expect(food?.detailed.map((d) => d.code)).toEqual(["FOOD_AND_DRINK_COFFEE"]);
        expect(usdSummary?.previous.expensesMinor).toBe(2_000);
        expect(usdSummary?.change.expenses).toEqual({ minor: 7_100, percent: 355 });
      } finally {
        await store.close();
      }
    },
  );

  it.skipIf(!storeCase.available)(
    "keeps a category code it does not know and reports it under its primary",
    async () => {
      const store = await storeCase.open();
      try {
        const file = parseStatementBytes(
          Buffer.from(
            writeOfx([
              {
                accountId: "A",
                currency: "USD",
                openingMinor: 0,
                fromDate: "2026-05-01",
                toDate: "2026-05-31",
                entries: [
                  { amountMinor: -999, date: "2026-05-02", description: "ORBITAL SNACKS", bankId: "x1" },
                ],
              },
            ]),
          ),
          "x.ofx",
        );
        await importStatement(store, {
          fileName: "x.ofx",
          format: "ofx",
          accounts: toBankAccounts(file),
          transactions: toBankTransactions(file),
        });
        const [row] = await allRows(store);
        await store.db
          .updateTable("transactions")
          .set({
            pfc_primary: "FOOD_AND_DRINK",
            pfc_detailed: "FOOD_AND_DRINK_SPACE_FOOD",
            pfc_confidence: "HIGH",
          })
          .where("id", "=", row?.id as string)
          .execute();
        await refreshCategories(store.db, store.tenantId, [row?.id as string]);
        const [after] = await allRows(store);
        expect(after?.resolved).toMatchObject({
          category: "FOOD_AND_DRINK_SPACE_FOOD",
          categoryPrimary: "FOOD_AND_DRINK",
        });
        const summary = await spendingSummary(store, { period: { from: "2026-05-01", to: "2026-05-31" } });
        const line = summary.currencies[0]?.categories[0];
        expect(line?.code).toBe("FOOD_AND_DRINK");
        expect(line?.detailed[0]).toMatchObject({
          code: "FOOD_AND_DRINK_SPACE_FOOD",
          name: "FOOD_AND_DRINK_SPACE_FOOD",
          expensesMinor: 999,
        });
      } finally {
        await store.close();
      }
    },
  );
});
