import type { PlaidGateway } from "../plaid/index.js";
import {
  markItemOk,
  replaceHoldings,
  type Store,
  upsertInvestmentTransactions,
  upsertPlaidAccounts,
  upsertSecurities,
} from "../store/index.js";
import { callForItem } from "./refresh.js";

/**
 * Refreshes an item's holdings from `/investments/holdings/get`. Holdings are a snapshot, not
 * a history: the item's rows are replaced (delete and insert in one database transaction,
 * with the securities and accounts), so a position Plaid no longer lists disappears and a
 * reader sees either the old set or the new one.
 *
 * @throws PlaidApiError after marking the item when Plaid reports an item error.
 * @example const { holdings, securities } = await refreshHoldings(store, plaid, itemId);
 */
export async function refreshHoldings(
  store: Store,
  gateway: PlaidGateway,
  itemId: string,
): Promise<{ readonly holdings: number; readonly securities: number }> {
  const answer = await callForItem(store, itemId, (token) => gateway.getInvestmentHoldings(token));
  const now = store.now();
  return store.db.transaction().execute(async (trx) => {
    await upsertPlaidAccounts(trx, { tenantId: store.tenantId, itemId }, answer.accounts, now);
    const securities = await upsertSecurities(trx, answer.securities, now);
    const holdings = await replaceHoldings(trx, itemId, answer.holdings, now);
    await markItemOk(trx, itemId, now);
    return { holdings, securities };
  });
}

/**
 * Stores an item's investment transactions of a date range (inclusive, YYYY-MM-DD) from
 * `/investments/transactions/get`, every page of 500, upserted by id in one database
 * transaction with their securities and accounts: a repeated refresh adds nothing.
 *
 * @throws InputError for a malformed range; PlaidApiError (after marking the item) on an item error.
 * @example await refreshInvestmentTransactions(store, plaid, itemId, { from: "2024-01-01", to: "2024-12-31" });
 */
export async function refreshInvestmentTransactions(
  store: Store,
  gateway: PlaidGateway,
  itemId: string,
  range: { readonly from: string; readonly to: string },
): Promise<{ readonly transactions: number }> {
  const answer = await callForItem(store, itemId, (token) =>
    gateway.getAllInvestmentTransactions(token, { startDate: range.from, endDate: range.to }),
  );
  const now = store.now();
  return store.db.transaction().execute(async (trx) => {
    await upsertPlaidAccounts(trx, { tenantId: store.tenantId, itemId }, answer.accounts, now);
    await upsertSecurities(trx, answer.securities, now);
    const transactions = await upsertInvestmentTransactions(trx, itemId, answer.investmentTransactions, now);
    await markItemOk(trx, itemId, now);
    return { transactions };
  });
}
