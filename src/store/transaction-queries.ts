import { InputError } from "../errors/index.js";
import { refreshCategories } from "./categories.js";
import type { TransactionRow } from "./schema.js";
import type { Store } from "./store.js";

/** A stored transaction as programs see it: minor units, natural sign, edits beside Plaid's fields. */
export interface StoredTransaction {
  readonly id: string;
  readonly itemId: string | null;
  readonly accountId: string;
  readonly source: string;
  readonly amountMinor: number;
  readonly currency: string;
  readonly date: string;
  readonly authorizedDate: string | null;
  readonly name: string;
  readonly merchantName: string | null;
  readonly checkNumber: string | null;
  readonly pending: boolean;
  readonly pendingTransactionId: string | null;
  readonly category: {
    readonly primary: string;
    readonly detailed: string | null;
    readonly version: string | null;
  } | null;
  readonly removedAt: string | null;
  readonly edits: TransactionEdits;
  /** What bankrec resolved (see `categorize`): stored at write time, what reports count. */
  readonly resolved: ResolvedCategory;
}

/** The category, merchant and report role bankrec resolved for a row, and where they came from. */
export interface ResolvedCategory {
  readonly category: string;
  readonly categoryPrimary: string;
  /** `user`, `rule`, `plaid`, `legacy`, `statement`, `none`. */
  readonly source: string;
  readonly ruleId: string | null;
  readonly merchantKey: string | null;
  readonly merchantName: string | null;
  /** Tags added by rules; a person's own are in `edits.tags`. */
  readonly ruleTags: readonly string[];
  /** `counted`, `transfer`, `excluded`. */
  readonly reportRole: string;
  readonly transferPartnerId: string | null;
}

/** What a person may change; sync never overwrites these. */
export interface TransactionEdits {
  readonly note: string | null;
  readonly category: string | null;
  readonly merchantName: string | null;
  readonly tags: readonly string[];
}

export interface TransactionFilter {
  /** Inclusive YYYY-MM-DD bounds on the bank date. */
  readonly from?: string;
  readonly to?: string;
  readonly accountId?: string;
  readonly itemId?: string;
  /** Case-insensitive substring of the name, merchant or note. */
  readonly search?: string;
  /** Include rows Plaid removed (tombstones); default false. */
  readonly includeRemoved?: boolean;
  /** At most this many rows (default 10,000; the store may hold millions). */
  readonly limit?: number;
}

export const LIST_LIMIT_DEFAULT = 10_000;

/**
 * The tenant's transactions, newest first, then by id.
 *
 * @example await listTransactions(store, { from: "2026-06-01", to: "2026-06-30", search: "coffee" })
 */
export async function listTransactions(
  store: Store,
  filter: TransactionFilter = {},
): Promise<StoredTransaction[]> {
  let query = store.db.selectFrom("transactions").selectAll().where("tenant_id", "=", store.tenantId);
  if (filter.from !== undefined) query = query.where("date", ">=", filter.from);
  if (filter.to !== undefined) query = query.where("date", "<=", filter.to);
  if (filter.accountId !== undefined) query = query.where("account_id", "=", filter.accountId);
  if (filter.itemId !== undefined) query = query.where("item_id", "=", filter.itemId);
  if (filter.includeRemoved !== true) query = query.where("removed_at", "is", null);
  if (filter.search !== undefined && filter.search !== "") {
    const pattern = `%${filter.search.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where((eb) =>
      eb.or(
        ["name", "merchant_name", "user_note", "user_merchant_name"].map((column) =>
          eb(eb.fn("lower", [eb.ref(column as "name")]), "like", eb.val(pattern)),
        ),
      ),
    );
  }
  const rows = await query
    .orderBy("date", "desc")
    .orderBy("id")
    .limit(filter.limit ?? LIST_LIMIT_DEFAULT)
    .execute();
  return rows.map(toStoredTransaction);
}

export function toStoredTransaction(row: TransactionRow): StoredTransaction {
  return {
    id: row.id,
    itemId: row.item_id,
    accountId: row.account_id,
    source: row.source,
    amountMinor: row.amount_minor,
    currency: row.currency,
    date: row.date,
    authorizedDate: row.authorized_date,
    name: row.name,
    merchantName: row.merchant_name,
    checkNumber: row.check_number,
    pending: row.pending === 1,
    pendingTransactionId: row.pending_transaction_id,
    category:
      row.pfc_primary === null
        ? null
        : { primary: row.pfc_primary, detailed: row.pfc_detailed, version: row.pfc_version },
    removedAt: row.removed_at,
    edits: {
      note: row.user_note,
      category: row.user_category,
      merchantName: row.user_merchant_name,
      tags: row.user_tags_json === null ? [] : (JSON.parse(row.user_tags_json) as string[]),
    },
    resolved: {
      category: row.category,
      categoryPrimary: row.category_primary,
      source: row.category_source,
      ruleId: row.category_rule_id,
      merchantKey: row.merchant_key,
      merchantName: row.merchant_display,
      ruleTags: row.rule_tags_json === null ? [] : (JSON.parse(row.rule_tags_json) as string[]),
      reportRole: row.report_role,
      transferPartnerId: row.transfer_partner_id,
    },
  };
}

/**
 * Records a person's edits to a transaction. Fields left undefined stay as they were; null
 * clears one. Sync never overwrites them, and they follow a pending row to its posted row.
 *
 * @example await editTransaction(store, "txn_123", { note: "team lunch", category: "FOOD_AND_DRINK" })
 */
export async function editTransaction(
  store: Store,
  id: string,
  edits: Partial<{ -readonly [K in keyof TransactionEdits]: TransactionEdits[K] | null }>,
): Promise<void> {
  const set: Record<string, string | null> = { user_edited_at: store.now() };
  if (edits.note !== undefined) set.user_note = edits.note;
  if (edits.category !== undefined) set.user_category = edits.category;
  if (edits.merchantName !== undefined) set.user_merchant_name = edits.merchantName;
  if (edits.tags !== undefined) set.user_tags_json = edits.tags === null ? null : JSON.stringify(edits.tags);
  await store.db.transaction().execute(async (trx) => {
    const result = await trx
      .updateTable("transactions")
      .set(set)
      .where("id", "=", id)
      .where("tenant_id", "=", store.tenantId)
      .executeTakeFirst();
    if (result.numUpdatedRows === 0n) throw new InputError(`no transaction "${id}" in this store`);
    await refreshCategories(trx, store.tenantId, [id]);
  });
}
