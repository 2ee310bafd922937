import { describe, expect, it } from "vitest";
import { useEmulatedStore } from "../../test/support/emulated-store.js";
import { storeCases, testKeyring } from "../../test/support/stores.js";
import { InputError } from "../errors/index.js";
import { PlaidApiError } from "../plaid/index.js";
import { toSecret } from "../secrets/index.js";
import {
  getItem,
  listAccounts,
  listHoldings,
  listLiabilities,
  openStore,
  type Store,
} from "../store/index.js";
import { refreshAccounts, refreshBalances } from "./refresh-accounts.js";
import { refreshHoldings, refreshInvestmentTransactions } from "./refresh-investments.js";
import { refreshLiabilities } from "./refresh-liabilities.js";

const cases = await storeCases();
const PRODUCTS = ["transactions", "investments", "liabilities"];

describe.each(cases)("refresh on $dialect", (storeCase) => {
  const env = useEmulatedStore(storeCase, 23);

  async function count(
    store: Store,
    table: "balance_snapshots" | "investment_transactions",
  ): Promise<number> {
    const row = await store.db
      .selectFrom(table)
      .select(({ fn }) => fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  it.skipIf(!storeCase.available)(
    "stores the accounts and cached balances /accounts/get serves, once per account",
    async () => {
      const { store, itemId, accessToken } = await env.linkedStore({ products: PRODUCTS });
      try {
        const truth = await env.gateway.getAccounts(toSecret(accessToken));
        expect(await refreshAccounts(store, env.gateway, itemId)).toEqual({
          accounts: truth.accounts.length,
        });
        expect(await refreshAccounts(store, env.gateway, itemId)).toEqual({
          accounts: truth.accounts.length,
        });
        const stored = await listAccounts(store, { itemId });
        expect(stored.map((a) => a.id).sort()).toEqual(truth.accounts.map((a) => a.id).sort());
        for (const account of truth.accounts) {
          const copy = stored.find((a) => a.id === account.id);
          expect(copy?.balance?.currentMinor).toBe(account.balances.currentMinor);
          expect(copy?.balance?.availableMinor).toBe(account.balances.availableMinor);
        }
        // Each /accounts/get is a new observation: one snapshot per account per refresh.
        expect(await count(store, "balance_snapshots")).toBe(2 * truth.accounts.length);
      } finally {
        await store.close();
      }
    },
  );

  it.skipIf(!storeCase.available)(
    "stores real-time balances and adds no snapshot for an answer the cache reused",
    async () => {
      const { store, itemId, accessToken } = await env.linkedStore({ products: PRODUCTS });
      try {
        const truth = await env.gateway.getBalances(toSecret(accessToken), { maxAgeMs: 0 });
        await refreshBalances(store, env.gateway, itemId, { maxAgeMs: 0 });
        await refreshBalances(store, env.gateway, itemId, { maxAgeMs: 60_000 });
        const stored = await listAccounts(store, { itemId });
        expect(stored).toHaveLength(truth.accounts.length);
        for (const account of truth.accounts)
          expect(stored.find((a) => a.id === account.id)?.balance?.currentMinor).toBe(
            account.balances.currentMinor,
          );
        expect(await count(store, "balance_snapshots")).toBe(truth.accounts.length);
        await new Promise((resolve) => setTimeout(resolve, 5));
        await refreshBalances(store, env.gateway, itemId, { maxAgeMs: 0 });
        expect(await count(store, "balance_snapshots")).toBe(2 * truth.accounts.length);
      } finally {
        await store.close();
      }
    },
  );

  it.skipIf(!storeCase.available)(
    "stores the holdings and securities the SDK reads, and a second refresh duplicates nothing",
    async () => {
      const { store, itemId, accessToken } = await env.linkedStore({ products: PRODUCTS });
      try {
        const truth = await env.gateway.getInvestmentHoldings(toSecret(accessToken));
        expect(truth.holdings.length).toBeGreaterThan(0);
        const expected = { holdings: truth.holdings.length, securities: truth.securities.length };
        expect(await refreshHoldings(store, env.gateway, itemId)).toEqual(expected);
        expect(await refreshHoldings(store, env.gateway, itemId)).toEqual(expected);
        const stored = await listHoldings(store, { itemId });
        expect(stored).toHaveLength(truth.holdings.length);
        for (const holding of truth.holdings) {
          const copy = stored.find(
            (h) => h.accountId === holding.accountId && h.securityId === holding.securityId,
          );
          const security = truth.securities.find((s) => s.securityId === holding.securityId);
          expect(copy).toMatchObject({
            itemId,
            quantity: holding.quantity,
            institutionValueMinor: holding.institutionValueMinor,
            costBasisMinor: holding.costBasisMinor,
            currency: "USD",
            security: { tickerSymbol: security?.tickerSymbol, closePrice: security?.closePrice },
          });
          expect(Number.isSafeInteger(copy?.institutionValueMinor)).toBe(true);
        }
        const accounts = await listAccounts(store, { itemId });
        expect(accounts.map((a) => a.id).sort()).toEqual(truth.accounts.map((a) => a.id).sort());
      } finally {
        await store.close();
      }
    },
  );

  it.skipIf(!storeCase.available)(
    "replaces the item's holdings: a position Plaid no longer lists is gone, a changed one restored",
    async () => {
      const { store, itemId } = await env.linkedStore({ products: PRODUCTS });
      try {
        await refreshHoldings(store, env.gateway, itemId);
        const before = await listHoldings(store, { itemId });
        const first = before[0];
        if (first === undefined) throw new Error("the emulator served no holdings");
        // The emulator's portfolio never drops a position, so the stale one is planted here.
        await store.db
          .insertInto("holdings")
          .values({
            account_id: first.accountId,
            security_id: "sold-long-ago",
            item_id: itemId,
            quantity: 3,
            institution_value_minor: 12_345,
            cost_basis_minor: null,
            currency: "USD",
            raw_json: "{}",
            updated_at: store.now(),
          })
          .execute();
        await store.db
          .updateTable("holdings")
          .set({ quantity: 0.5 })
          .where("account_id", "=", first.accountId)
          .where("security_id", "=", first.securityId)
          .execute();
        expect(await listHoldings(store, { itemId })).toHaveLength(before.length + 1);
        await refreshHoldings(store, env.gateway, itemId);
        expect(await listHoldings(store, { itemId })).toEqual(before);
      } finally {
        await store.close();
      }
    },
  );

  it.skipIf(!storeCase.available)(
    "stores every investment transaction of a range in the natural sign, once",
    async () => {
      const { store, itemId, accessToken } = await env.linkedStore({ products: PRODUCTS });
      try {
        const today = env.emu.clock.today();
        const range = { from: `${Number(today.slice(0, 4)) - 1}${today.slice(4)}`, to: today };
        const truth = await env.gateway.getAllInvestmentTransactions(toSecret(accessToken), {
          startDate: range.from,
          endDate: range.to,
        });
        expect(truth.investmentTransactions.length).toBeGreaterThan(0);
        const expected = { transactions: truth.investmentTransactions.length };
        expect(await refreshInvestmentTransactions(store, env.gateway, itemId, range)).toEqual(expected);
        expect(await refreshInvestmentTransactions(store, env.gateway, itemId, range)).toEqual(expected);
        expect(await count(store, "investment_transactions")).toBe(truth.investmentTransactions.length);
        const rows = await store.db.selectFrom("investment_transactions").selectAll().execute();
        for (const t of truth.investmentTransactions) {
          const row = rows.find((r) => r.id === t.id);
          expect(row).toMatchObject({ item_id: itemId, account_id: t.accountId, date: t.date });
          expect(row?.amount_minor).toBe(t.amountMinor);
        }
        // A buy is cash out of the account: negative in the natural sign.
        const buy = rows.find((r) => r.type === "buy");
        expect(buy?.amount_minor).toBeLessThan(0);
        await expect(
          refreshInvestmentTransactions(store, env.gateway, itemId, { from: range.to, to: range.from }),
        ).rejects.toBeInstanceOf(InputError);
      } finally {
        await store.close();
      }
    },
  );

  it.skipIf(!storeCase.available)(
    "stores the liabilities the SDK reads and replaces them on the next refresh",
    async () => {
      const { store, itemId, accessToken } = await env.linkedStore({ products: PRODUCTS });
      try {
        const truth = await env.gateway.getLiabilities(toSecret(accessToken));
        const all = [
          ...truth.liabilities.credit,
          ...truth.liabilities.mortgage,
          ...truth.liabilities.student,
        ];
        expect(new Set(all.map((l) => l.kind))).toEqual(new Set(["credit", "mortgage", "student"]));
        expect(await refreshLiabilities(store, env.gateway, itemId)).toEqual({ liabilities: all.length });
        await store.db
          .insertInto("liabilities")
          .values({
            account_id: "closed-card",
            item_id: itemId,
            kind: "credit",
            raw_json: "{}",
            updated_at: "",
          })
          .execute();
        expect(await refreshLiabilities(store, env.gateway, itemId)).toEqual({ liabilities: all.length });
        const stored = await listLiabilities(store, { itemId });
        expect(stored).toHaveLength(all.length);
        for (const liability of all) {
          const copy = stored.find((l) => l.accountId === liability.accountId);
          expect(copy?.kind).toBe(liability.kind);
          expect(copy?.details).toEqual(liability.raw);
        }
        const card = truth.liabilities.credit[0];
        const cardCopy = stored.find((l) => l.accountId === card?.accountId);
        expect(Math.round(Number(cardCopy?.details.last_payment_amount) * 100)).toBe(
          card?.lastPaymentAmountMinor,
        );
      } finally {
        await store.close();
      }
    },
  );

  it.skipIf(!storeCase.available)(
    "marks an item that needs its user, rethrows the Plaid error, and clears the mark once it works",
    async () => {
      const { store, itemId } = await env.linkedStore({ products: PRODUCTS });
      try {
        env.emu.admin.setLoginRequired(itemId, true);
        for (const refresh of [refreshHoldings, refreshLiabilities, refreshBalances]) {
          const failure = await refresh(store, env.gateway, itemId).catch((error: unknown) => error);
          expect(failure).toBeInstanceOf(PlaidApiError);
          expect((failure as PlaidApiError).errorCode).toBe("ITEM_LOGIN_REQUIRED");
        }
        const marked = await getItem(store, itemId);
        expect(marked).toMatchObject({ status: "login_required", errorCode: "ITEM_LOGIN_REQUIRED" });
        expect(marked.errorMessage).toContain("bankrec link --update");
        expect(await listHoldings(store, { itemId })).toEqual([]);
        // /accounts/get answers from Plaid's cache regardless: it stores, and the mark stays.
        expect((await refreshAccounts(store, env.gateway, itemId)).accounts).toBeGreaterThan(0);
        expect((await getItem(store, itemId)).status).toBe("login_required");
        env.emu.admin.setLoginRequired(itemId, false);
        await refreshHoldings(store, env.gateway, itemId);
        expect(await getItem(store, itemId)).toMatchObject({ status: "ok", errorCode: null });
      } finally {
        await store.close();
      }
    },
  );

  it.skipIf(!storeCase.available)(
    "keeps one tenant's holdings and liabilities from another, and refuses its items",
    async () => {
      const { store, url, itemId } = await env.linkedStore({ products: PRODUCTS });
      const other = await openStore({ url, keyring: testKeyring(), tenantId: "other" });
      try {
        await refreshHoldings(store, env.gateway, itemId);
        await refreshLiabilities(store, env.gateway, itemId);
        expect((await listHoldings(store)).length).toBeGreaterThan(0);
        expect((await listLiabilities(store)).length).toBeGreaterThan(0);
        expect(await listHoldings(other)).toEqual([]);
        expect(await listLiabilities(other)).toEqual([]);
        await expect(refreshHoldings(other, env.gateway, itemId)).rejects.toBeInstanceOf(InputError);
      } finally {
        await other.close();
        await store.close();
      }
    },
  );
});
