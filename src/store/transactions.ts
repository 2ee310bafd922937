import type { Kysely, Transaction } from "kysely";
import type { PlaidTransactionRecord } from "../plaid/index.js";
import { CATEGORIZED_COLUMNS } from "./categories.js";
import { chunksOf } from "./chunks.js";
import type { Database, NewTransactionRow } from "./schema.js";

type Executor = Kysely<Database> | Transaction<Database>;

/** The Plaid columns of a transaction row: everything sync owns (never the `user_*` fields). */
export function plaidTransactionRow(
  record: PlaidTransactionRecord,
  owner: { readonly tenantId: string; readonly itemId: string },
  now: string,
): NewTransactionRow {
  const category = record.personalFinanceCategoryV2 ?? record.personalFinanceCategoryV1;
  return {
    id: record.id,
    tenant_id: owner.tenantId,
    item_id: owner.itemId,
    account_id: record.accountId,
    source: "plaid",
    amount_minor: record.amountMinor,
    currency: record.currency,
    date: record.date,
    authorized_date: record.authorizedDate,
    name: record.name,
    merchant_name: record.merchantName,
    check_number: record.checkNumber,
    pending: record.pending ? 1 : 0,
    pending_transaction_id: record.pendingTransactionId,
    payment_channel: record.paymentChannel,
    pfc_primary: category?.primary ?? null,
    pfc_detailed: category?.detailed ?? null,
    pfc_confidence: category?.confidenceLevel ?? null,
    pfc_version: record.personalFinanceCategoryV2 ? "v2" : record.personalFinanceCategoryV1 ? "v1" : null,
    legacy_category_json: record.legacyCategory === null ? null : JSON.stringify(record.legacyCategory),
    raw_json: JSON.stringify(record.raw),
    first_seen_at: now,
    updated_at: now,
    removed_at: null,
    merchant_entity_id: record.merchantEntityId,
    counterparty_name: record.counterparties[0]?.name ?? null,
    bank_type_code: null,
  };
}

/**
 * Columns an upsert overwrites: all of sync's, none of a person's, and not first_seen_at. Rows
 * are expected to carry their categorization (see `withCategories`); without it they get the
 * schema's defaults until `refreshCategories` runs.
 */
const SYNC_OWNED = [
  "item_id",
  "account_id",
  "amount_minor",
  "currency",
  "date",
  "authorized_date",
  "name",
  "merchant_name",
  "check_number",
  "pending",
  "pending_transaction_id",
  "payment_channel",
  "pfc_primary",
  "pfc_detailed",
  "pfc_confidence",
  "pfc_version",
  "legacy_category_json",
  "raw_json",
  "updated_at",
  "removed_at",
  "merchant_entity_id",
  "counterparty_name",
  "bank_type_code",
  // Resolved from the columns above (withCategories) in the same write; the transfer partner
  // is not: pairing runs over the written rows' dates afterwards.
  ...CATEGORIZED_COLUMNS,
] as const;

/**
 * Inserts or overwrites rows by id. A row that was removed and comes back is live again.
 * Idempotent: replaying the same rows changes nothing but `updated_at`.
 */
export async function upsertTransactionRows(db: Executor, rows: readonly NewTransactionRow[]): Promise<void> {
  for (const chunk of chunksOf(rows)) {
    await db
      .insertInto("transactions")
      .values(chunk)
      .onConflict((conflict) =>
        conflict.columns(["tenant_id", "id"]).doUpdateSet((eb) => {
          const set: Record<string, unknown> = {};
          for (const column of SYNC_OWNED) set[column] = eb.ref(`excluded.${column}`);
          return set as never;
        }),
      )
      .execute();
  }
}

/** Marks rows removed (a tombstone, so edits and matches can follow the row that replaces it). */
export async function markTransactionsRemoved(
  db: Executor,
  tenantId: string,
  ids: readonly string[],
  now: string,
): Promise<void> {
  for (const chunk of chunksOf(ids)) {
    await db
      .updateTable("transactions")
      .set({ removed_at: now, updated_at: now })
      .where("tenant_id", "=", tenantId)
      .where("id", "in", chunk)
      .where("removed_at", "is", null)
      .execute();
  }
}

/**
 * When a posted transaction names the pending one it replaces, the person's edits (where the
 * posted row has none of its own) and any reconciliation match move to the posted row.
 * Returns how many pending rows handed something over.
 */
export async function carryPendingOver(
  db: Executor,
  tenantId: string,
  links: readonly { readonly postedId: string; readonly pendingId: string }[],
): Promise<number> {
  let carried = 0;
  for (const chunk of chunksOf(links)) {
    const pendingIds = chunk.map((link) => link.pendingId);
    const edited = await db
      .selectFrom("transactions")
      .select(["id", "user_note", "user_category", "user_merchant_name", "user_tags_json", "user_edited_at"])
      .where("tenant_id", "=", tenantId)
      .where("id", "in", pendingIds)
      .where("user_edited_at", "is not", null)
      .execute();
    const matched = await db
      .selectFrom("match_members")
      .select("member_id")
      .distinct()
      .where("side", "=", "bank")
      .where("member_id", "in", pendingIds)
      .execute();
    const postedOf = new Map(chunk.map((link) => [link.pendingId, link.postedId]));
    for (const row of edited) {
      await db
        .updateTable("transactions")
        .set({
          user_note: row.user_note,
          user_category: row.user_category,
          user_merchant_name: row.user_merchant_name,
          user_tags_json: row.user_tags_json,
          user_edited_at: row.user_edited_at,
        })
        .where("tenant_id", "=", tenantId)
        .where("id", "=", postedOf.get(row.id) ?? "")
        .where("user_edited_at", "is", null)
        .execute();
    }
    for (const row of matched)
      await db
        .updateTable("match_members")
        .set({ member_id: postedOf.get(row.member_id) ?? row.member_id })
        .where("side", "=", "bank")
        .where("member_id", "=", row.member_id)
        .execute();
    carried += new Set([...edited.map((row) => row.id), ...matched.map((row) => row.member_id)]).size;
  }
  return carried;
}
