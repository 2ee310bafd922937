import type { Kysely, Transaction } from "kysely";
import type { PlaidLiabilities } from "../plaid/index.js";
import { chunksOf } from "./chunks.js";
import type { Database } from "./schema.js";
import type { Store } from "./store.js";

type Executor = Kysely<Database> | Transaction<Database>;

/** A liability as the store shows it: the account, its kind and Plaid's own object. */
export interface StoredLiability {
  readonly accountId: string;
  readonly itemId: string;
  /** `credit`, `mortgage`, `student`, or a kind Plaid adds later. */
  readonly kind: "credit" | "mortgage" | "student" | (string & {});
  /** The Plaid liability object as received (amounts in Plaid's units, rates in percent). */
  readonly details: Record<string, unknown>;
}

/**
 * Replaces an item's liabilities with Plaid's current answer (one row per account). Run it
 * inside a database transaction so readers never see the item half replaced. A liability
 * that names no account cannot be keyed and is left out; returns how many rows were written.
 */
export async function replaceLiabilities(
  db: Executor,
  itemId: string,
  liabilities: PlaidLiabilities,
  now: string,
): Promise<number> {
  const byAccount = new Map<string, { kind: string; raw: Readonly<Record<string, unknown>> }>();
  for (const record of [...liabilities.credit, ...liabilities.mortgage, ...liabilities.student])
    if (record.accountId !== null) byAccount.set(record.accountId, { kind: record.kind, raw: record.raw });
  const rows = [...byAccount].map(([accountId, record]) => ({
    account_id: accountId,
    item_id: itemId,
    kind: record.kind,
    raw_json: JSON.stringify(record.raw),
    updated_at: now,
  }));
  await db.deleteFrom("liabilities").where("item_id", "=", itemId).execute();
  for (const chunk of chunksOf(rows)) {
    // On conflict, so that two refreshes of one item racing on Postgres both end in a full set.
    await db
      .insertInto("liabilities")
      .values(chunk)
      .onConflict((conflict) =>
        conflict.column("account_id").doUpdateSet((eb) => ({
          item_id: eb.ref("excluded.item_id"),
          kind: eb.ref("excluded.kind"),
          raw_json: eb.ref("excluded.raw_json"),
          updated_at: eb.ref("excluded.updated_at"),
        })),
      )
      .execute();
  }
  return rows.length;
}

/**
 * The tenant's liabilities (one item's with `itemId`), by item, kind and account.
 *
 * @example
 * for (const l of await listLiabilities(store)) console.log(l.kind, l.accountId, l.details.next_payment_due_date);
 */
export async function listLiabilities(
  store: Store,
  options: { readonly itemId?: string } = {},
): Promise<StoredLiability[]> {
  let query = store.db
    .selectFrom("liabilities as l")
    .innerJoin("items as i", "i.id", "l.item_id")
    .where("i.tenant_id", "=", store.tenantId)
    .select(["l.account_id", "l.item_id", "l.kind", "l.raw_json"])
    .orderBy("l.item_id")
    .orderBy("l.kind")
    .orderBy("l.account_id");
  if (options.itemId !== undefined) query = query.where("l.item_id", "=", options.itemId);
  const rows = await query.execute();
  return rows.map((row) => ({
    accountId: row.account_id,
    itemId: row.item_id,
    kind: row.kind,
    details: JSON.parse(row.raw_json) as Record<string, unknown>,
  }));
}
