import type { PlaidGateway } from "../plaid/index.js";
import { markItemOk, replaceLiabilities, type Store, upsertPlaidAccounts } from "../store/index.js";
import { callForItem } from "./refresh.js";

/**
 * Refreshes an item's liabilities (credit cards, mortgages, student loans) from
 * `/liabilities/get`. Like holdings they are a current state: the item's rows are replaced in
 * one database transaction with the accounts, so a paid-off loan Plaid drops disappears.
 *
 * @throws PlaidApiError after marking the item when Plaid reports an item error.
 * @example const { liabilities } = await refreshLiabilities(store, plaid, itemId);
 */
export async function refreshLiabilities(
  store: Store,
  gateway: PlaidGateway,
  itemId: string,
): Promise<{ readonly liabilities: number }> {
  const answer = await callForItem(store, itemId, (token) => gateway.getLiabilities(token));
  const now = store.now();
  return store.db.transaction().execute(async (trx) => {
    await upsertPlaidAccounts(trx, { tenantId: store.tenantId, itemId }, answer.accounts, now);
    const liabilities = await replaceLiabilities(trx, itemId, answer.liabilities, now);
    await markItemOk(trx, itemId, now);
    return { liabilities };
  });
}
