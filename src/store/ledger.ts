import type { ExpectedEntry } from "../domain/index.js";
import { chunksOf } from "./chunks.js";
import type { ExpectedEntriesTable } from "./schema.js";
import type { Store } from "./store.js";

/**
 * Stores the business's expected entries (its ledger), replacing entries with the same id.
 * All or nothing: one database transaction.
 *
 * @example await saveExpectedEntries(store, await readExpectedFile("ledger.csv"));
 */
export async function saveExpectedEntries(store: Store, entries: readonly ExpectedEntry[]): Promise<void> {
  const now = store.now();
  const rows = entries.map(
    (entry): ExpectedEntriesTable => ({
      id: entry.id,
      tenant_id: store.tenantId,
      date: entry.date,
      amount_minor: entry.amountMinor,
      currency: entry.currency,
      description: entry.description,
      counterparty: entry.counterparty,
      reference: entry.reference,
      account_id: entry.accountId,
      amount_min_minor: entry.amountMinMinor ?? null,
      amount_max_minor: entry.amountMaxMinor ?? null,
      date_from: entry.dateFrom ?? null,
      date_to: entry.dateTo ?? null,
      created_at: now,
    }),
  );
  await store.db.transaction().execute(async (trx) => {
    for (const chunk of chunksOf(rows)) {
      await trx
        .insertInto("expected_entries")
        .values(chunk)
        .onConflict((conflict) =>
          conflict.columns(["tenant_id", "id"]).doUpdateSet((eb) => ({
            date: eb.ref("excluded.date"),
            amount_minor: eb.ref("excluded.amount_minor"),
            currency: eb.ref("excluded.currency"),
            description: eb.ref("excluded.description"),
            counterparty: eb.ref("excluded.counterparty"),
            reference: eb.ref("excluded.reference"),
            account_id: eb.ref("excluded.account_id"),
            amount_min_minor: eb.ref("excluded.amount_min_minor"),
            amount_max_minor: eb.ref("excluded.amount_max_minor"),
            date_from: eb.ref("excluded.date_from"),
            date_to: eb.ref("excluded.date_to"),
          })),
        )
        .execute();
    }
  });
}

/** The tenant's expected entries, by date then id; optionally within inclusive dates. */
export async function listExpectedEntries(
  store: Store,
  range: { readonly from?: string; readonly to?: string } = {},
): Promise<ExpectedEntry[]> {
  let query = store.db.selectFrom("expected_entries").selectAll().where("tenant_id", "=", store.tenantId);
  if (range.from !== undefined) query = query.where("date", ">=", range.from);
  if (range.to !== undefined) query = query.where("date", "<=", range.to);
  const rows = await query.orderBy("date").orderBy("id").execute();
  return rows.map((row) => ({
    id: row.id,
    date: row.date,
    amountMinor: row.amount_minor,
    currency: row.currency,
    description: row.description,
    counterparty: row.counterparty,
    reference: row.reference,
    accountId: row.account_id,
    ...(row.amount_min_minor === null ? {} : { amountMinMinor: row.amount_min_minor }),
    ...(row.amount_max_minor === null ? {} : { amountMaxMinor: row.amount_max_minor }),
    ...(row.date_from === null ? {} : { dateFrom: row.date_from }),
    ...(row.date_to === null ? {} : { dateTo: row.date_to }),
  }));
}
