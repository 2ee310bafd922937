import { BusyError } from "../errors/index.js";
import type { PlaidGateway, SyncEnd } from "../plaid/index.js";
import {
  accessTokenOf,
  carryPendingOver,
  holdLockedChanges,
  markItemOk,
  markTransactionsRemoved,
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
import { ChangeSet } from "./change-set.js";
import { withItemLock } from "./item-lock.js";
import { type ItemProblem, recordItemProblem } from "./item-problem.js";

export interface SyncItemOptions {
  /** Page size for /transactions/sync (1..500, default 500). */
  readonly count?: number;
  /** How long to wait for another process's sync of the same item; default 0 (fail at once). */
  readonly lockWaitMs?: number;
  /** Called after each page is staged and when the run restarts. */
  readonly onProgress?: (progress: SyncProgress) => void;
  /** Called once every page is in, right before the database transaction that applies them. */
  readonly onApplyStart?: () => void;
}

export interface SyncProgress {
  readonly itemId: string;
  readonly pages: number;
  readonly staged: number;
  readonly restarts: number;
}

/** What a sync of one item did. An item needing the user is an outcome, not an exception. */
export type SyncItemReport =
  | {
      readonly outcome: "synced";
      readonly itemId: string;
      readonly added: number;
      readonly modified: number;
      readonly removed: number;
      /** Pending rows whose edits or match moved to the posted row. */
      readonly carriedOver: number;
      /**
       * Changes to rows of a closed period (amount, date, removal, …) held for review instead
       * of applied (`listLockedChanges`, `bankrec review --locked`).
       */
      readonly heldLockedChanges: number;
      /** Accepted matches sent back to review or undone because the bank changed a row in them. */
      readonly matchesReopened: number;
      readonly pages: number;
      readonly restarts: number;
      readonly cursor: string;
    }
  | { readonly outcome: "not_ready"; readonly itemId: string; readonly pages: number }
  | { readonly outcome: "item_error"; readonly itemId: string; readonly problem: ItemProblem };

/**
 * Syncs one item's transactions into the store. Holding the item's lock, it pulls every page
 * from the stored cursor into a change-set (starting over when Plaid reports a mutation
 * during pagination), then applies added, modified and removed, the accounts, the
 * pending→posted carry-over and the new cursor in one database transaction. A crash at any
 * instant leaves the previous cursor with the previous rows, so the next run repeats the pull.
 *
 * @example
 * const report = await syncItem(store, plaid, itemId, { onProgress: (p) => bar.update(p.pages) });
 * if (report.outcome === "item_error") console.error(report.problem.action);
 */
export async function syncItem(
  store: Store,
  gateway: PlaidGateway,
  itemId: string,
  options: SyncItemOptions = {},
): Promise<SyncItemReport> {
  const accessToken = await accessTokenOf(store, itemId);
  return withItemLock(store, itemId, { waitMs: options.lockWaitMs ?? 0 }, async (lock) => {
    const state = await store.db
      .selectFrom("sync_state")
      .select("cursor")
      .where("item_id", "=", itemId)
      .executeTakeFirst();
    const changes = new ChangeSet();
    let end: SyncEnd | null = null;
    try {
      const steps = gateway.syncTransactions(accessToken, {
        cursor: state?.cursor ?? "",
        ...(options.count === undefined ? {} : { count: options.count }),
      });
      for await (const step of steps) {
        if (step.kind === "page") changes.stage(step);
        else if (step.kind === "restart") changes.clear();
        else end = step;
        if (step.kind !== "end") {
          await lock.renew();
          options.onProgress?.({
            itemId,
            pages: step.kind === "page" ? step.pageIndex + 1 : 0,
            staged: changes.size,
            restarts: step.kind === "page" ? step.run : 0,
          });
        }
      }
    } catch (error) {
      const problem = await recordItemProblem(store, itemId, error);
      if (problem === null) throw error;
      return { outcome: "item_error", itemId, problem };
    }
    if (end === null) throw new Error("sync ended without an end step");
    if (!end.ready) return { outcome: "not_ready", itemId, pages: end.pages };
    options.onApplyStart?.();
    const applied = await applyRun(store, itemId, changes, end, state?.cursor ?? null);
    return {
      outcome: "synced",
      itemId,
      ...changes.counts,
      ...applied,
      pages: end.pages,
      restarts: end.restarts,
      cursor: end.nextCursor,
    };
  });
}

/**
 * The one database transaction of a run. Rows of a closed period are gated first: a change to
 * what was reconciled is held for review, never applied silently.
 */
async function applyRun(
  store: Store,
  itemId: string,
  changes: ChangeSet,
  end: SyncEnd,
  startCursor: string | null,
): Promise<{ carriedOver: number; heldLockedChanges: number; matchesReopened: number }> {
  const now = store.now();
  const owner = { tenantId: store.tenantId, itemId };
  const upserts = changes.upserts();
  const rows = upserts.map((record) => plaidTransactionRow(record, owner, now));
  const links = upserts
    .filter((record) => record.pendingTransactionId !== null)
    .map((record) => ({ postedId: record.id, pendingId: record.pendingTransactionId ?? "" }));
  const counts = changes.counts;
  return store.db.transaction().execute(async (trx) => {
    // The lock should make this impossible; if a lease was lost (a stalled process), the
    // cursor check still refuses to apply a run on top of another run's changes.
    const current = await trx
      .selectFrom("sync_state")
      .select("cursor")
      .where("item_id", "=", itemId)
      .executeTakeFirst();
    if ((current?.cursor ?? null) !== startCursor)
      throw new BusyError(
        `item ${itemId} was synced by another process during this run; nothing applied, sync again`,
      );
    await upsertPlaidAccounts(trx, owner, changes.accounts(), now);
    const gate = await holdLockedChanges(trx, store.tenantId, rows, changes.removals(), now);
    const before = await reconciledBefore(trx, store.tenantId, [
      ...gate.rows.map((row) => row.id),
      ...gate.removals,
      ...links.map((link) => link.pendingId),
    ]);
    await upsertTransactionRows(trx, await withCategories(trx, store.tenantId, gate.rows));
    await refreshPlannerStatistics(trx, store.dialect, gate.rows.length);
    await markTransactionsRemoved(trx, store.tenantId, gate.removals, now);
    const carried = await carryPendingOver(trx, store.tenantId, links);
    const reopened = await settleReconciledChanges(
      trx,
      store.tenantId,
      before,
      gate.rows,
      gate.removals,
      links,
      now,
    );
    // After the carry-over, so a person's category on a pending row is what its posted row
    // shows; transfers are paired again over every day the run touched.
    await refreshCategories(trx, store.tenantId, [...links.map((link) => link.postedId), ...gate.removals], {
      alsoDates: gate.rows.map((row) => row.date),
    });
    const state = {
      cursor: end.nextCursor,
      last_synced_at: now,
      last_update_status: end.updateStatus,
      last_added: counts.added,
      last_modified: counts.modified,
      last_removed: counts.removed,
    };
    await trx
      .insertInto("sync_state")
      .values({ item_id: itemId, ...state })
      .onConflict((conflict) => conflict.column("item_id").doUpdateSet(state))
      .execute();
    await markItemOk(trx, itemId, now);
    return { carriedOver: carried, heldLockedChanges: gate.held, matchesReopened: reopened };
  });
}
