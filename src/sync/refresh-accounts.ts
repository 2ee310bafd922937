import type { PlaidAccountRecord, PlaidGateway } from "../plaid/index.js";
import { markItemOk, recordBalanceSnapshots, type Store, upsertPlaidAccounts } from "../store/index.js";
import { callForItem } from "./refresh.js";

/**
 * Refreshes an item's accounts from `/accounts/get` and appends one balance snapshot per
 * account: the balances Plaid last cached (free, possibly hours old), taken at the store's now.
 * An item marked as needing its user keeps its mark: Plaid answers this call from its cache.
 *
 * @throws PlaidApiError after marking the item when Plaid reports an item error.
 * @example const { accounts } = await refreshAccounts(store, plaid, itemId);
 */
export async function refreshAccounts(
  store: Store,
  gateway: PlaidGateway,
  itemId: string,
): Promise<{ readonly accounts: number }> {
  const answer = await callForItem(store, itemId, (token) => gateway.getAccounts(token));
  // Plaid serves /accounts/get from its cache even to an item that needs its user, so its
  // success proves nothing about the login: a stored problem stays.
  await saveAccounts(store, itemId, answer.accounts, store.now(), { provesLogin: false });
  return { accounts: answer.accounts.length };
}

/**
 * Refreshes an item's accounts and balances from `/accounts/balance/get` (real-time, billed
 * per call), through the gateway's max-age cache: an answer younger than `maxAgeMs` is reused.
 * The snapshot is dated when Plaid answered, so a reused answer adds no second snapshot.
 *
 * @throws PlaidApiError after marking the item when Plaid reports an item error.
 * @example await refreshBalances(store, plaid, itemId, { maxAgeMs: 0 }); // force a call
 */
export async function refreshBalances(
  store: Store,
  gateway: PlaidGateway,
  itemId: string,
  options: { readonly maxAgeMs?: number } = {},
): Promise<{ readonly accounts: number }> {
  const answer = await callForItem(store, itemId, (token) =>
    gateway.getBalances(token, options.maxAgeMs === undefined ? {} : { maxAgeMs: options.maxAgeMs }),
  );
  const takenAt = new Date(answer.fetchedAtMs).toISOString();
  await saveAccounts(store, itemId, answer.accounts, takenAt, { provesLogin: !answer.fromCache });
  return { accounts: answer.accounts.length };
}

/**
 * Accounts and their snapshots in one database transaction; a snapshot already stored (same
 * account, same instant) is not added twice. Only a call that reached the bank clears a
 * stored item problem.
 */
async function saveAccounts(
  store: Store,
  itemId: string,
  accounts: readonly PlaidAccountRecord[],
  takenAt: string,
  call: { readonly provesLogin: boolean },
): Promise<void> {
  const now = store.now();
  await store.db.transaction().execute(async (trx) => {
    await upsertPlaidAccounts(trx, { tenantId: store.tenantId, itemId }, accounts, now);
    const ids = accounts.map((account) => account.id);
    const already =
      ids.length === 0
        ? []
        : await trx
            .selectFrom("balance_snapshots")
            .select("account_id")
            .where("account_id", "in", ids)
            .where("taken_at", "=", takenAt)
            .execute();
    const stored = new Set(already.map((row) => row.account_id));
    await recordBalanceSnapshots(
      trx,
      accounts.filter((account) => !stored.has(account.id)),
      takenAt,
    );
    if (call.provesLogin) await markItemOk(trx, itemId, now);
  });
}
