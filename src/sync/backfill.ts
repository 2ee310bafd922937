import type { PlaidGateway } from "../plaid/index.js";
import {
  holdLockedChanges,
  markItemOk,
  plaidTransactionRow,
  reconciledBefore,
  refreshCategories,
  refreshPlannerStatistics,
  type Store,
  settleReconciledChanges,
  upsertPlaidAccounts,
  upsertTransactionRows,
  withCategories,
} from "../store/index.js";
import { withItemLock } from "./item-lock.js";
import { callForItem } from "./refresh.js";

/**
 * Fills a date range (inclusive, YYYY-MM-DD) of an item's transactions from
 * `/transactions/get`, every page of 500, upserted in one database transaction while holding
 * the item's sync lock (so it never interleaves with `syncItem`). It writes only the columns
 * sync owns: a person's notes, categories and tags are never written. The sync cursor is not
 * touched: the next `syncItem` still pulls every change since its own cursor, and replaying
 * those over the backfilled rows is harmless (upserts by id). That pull is also where a
 * pending row's edits move to the posted row that replaced it: the posted row is in its
 * `added` list whether or not a backfill stored it first.
 *
 * Rows of the range that `/transactions/get` no longer returns are not deleted or marked
 * removed. Offset pagination is no snapshot: when the bank changes history between two pages,
 * rows shift and one can be skipped, so absence from one answer proves nothing; and a
 * tombstone set here on a false absence would detach a person's edits and matches from a row
 * that still exists. `/transactions/sync`'s `removed` list is Plaid's authoritative word on
 * deletions, ordered with the rest of the changes by the cursor, so sync alone owns them.
 *
 * Rows of a closed period are gated as `syncItem` gates them (`holdLockedChanges`).
 *
 * @throws BusyError when a sync of the item is running; InputError for a malformed range;
 *   PlaidApiError (after marking the item) on an item error.
 * @example const { transactions, pages } = await backfillTransactions(store, plaid, itemId, { from: "2023-01-01", to: "2023-12-31" });
 */
export async function backfillTransactions(
  store: Store,
  gateway: PlaidGateway,
  itemId: string,
  range: { readonly from: string; readonly to: string },
): Promise<{ readonly transactions: number; readonly pages: number }> {
  return withItemLock(store, itemId, { waitMs: 0 }, async () => {
    const answer = await callForItem(store, itemId, (token) =>
      gateway.getAllTransactions(token, { startDate: range.from, endDate: range.to }),
    );
    const now = store.now();
    const owner = { tenantId: store.tenantId, itemId };
    const rows = answer.transactions.map((record) => plaidTransactionRow(record, owner, now));
    await store.db.transaction().execute(async (trx) => {
      await upsertPlaidAccounts(trx, owner, answer.accounts, now);
      // Rows of a closed period are gated as sync gates them: a changed amount or date is held.
      const gate = await holdLockedChanges(trx, store.tenantId, rows, [], now);
      const before = await reconciledBefore(
        trx,
        store.tenantId,
        gate.rows.map((row) => row.id),
      );
      await upsertTransactionRows(trx, await withCategories(trx, store.tenantId, gate.rows));
      await settleReconciledChanges(trx, store.tenantId, before, gate.rows, [], [], now);
      await refreshPlannerStatistics(trx, store.dialect, gate.rows.length);
      await refreshCategories(trx, store.tenantId, [], { alsoDates: gate.rows.map((row) => row.date) });
      await markItemOk(trx, itemId, now);
    });
    return { transactions: rows.length, pages: answer.pages };
  });
}
