import type { Kysely, Transaction } from "kysely";
import type { PlaidAccountRecord } from "../plaid/index.js";
import type { Database } from "./schema.js";
import type { Store } from "./store.js";

type Executor = Kysely<Database> | Transaction<Database>;

/** An account as the store shows it, with its latest balance snapshot when there is one. */
export interface StoredAccount {
  readonly id: string;
  readonly itemId: string | null;
  readonly source: string;
  readonly name: string;
  readonly officialName: string | null;
  readonly mask: string | null;
  readonly type: string | null;
  readonly subtype: string | null;
  readonly currency: string | null;
  readonly balance: StoredBalance | null;
}

/** Balances as Plaid states them (a credit account's `current` > 0 is money owed). */
export interface StoredBalance {
  readonly takenAt: string;
  readonly currency: string | null;
  readonly currentMinor: number | null;
  readonly availableMinor: number | null;
  readonly limitMinor: number | null;
}

/** Inserts or refreshes an item's accounts. */
export async function upsertPlaidAccounts(
  db: Executor,
  owner: { readonly tenantId: string; readonly itemId: string },
  accounts: readonly PlaidAccountRecord[],
  now: string,
): Promise<void> {
  if (accounts.length === 0) return;
  const rows = accounts.map((account) => ({
    id: account.id,
    tenant_id: owner.tenantId,
    item_id: owner.itemId,
    source: "plaid",
    name: account.name,
    official_name: account.officialName,
    mask: account.mask,
    type: account.type,
    subtype: account.subtype,
    currency: account.balances.currency,
    raw_json: JSON.stringify(account.raw),
    updated_at: now,
  }));
  await db
    .insertInto("accounts")
    .values(rows)
    .onConflict((conflict) =>
      conflict.columns(["tenant_id", "id"]).doUpdateSet((eb) => ({
        name: eb.ref("excluded.name"),
        official_name: eb.ref("excluded.official_name"),
        mask: eb.ref("excluded.mask"),
        type: eb.ref("excluded.type"),
        subtype: eb.ref("excluded.subtype"),
        currency: eb.ref("excluded.currency"),
        raw_json: eb.ref("excluded.raw_json"),
        updated_at: eb.ref("excluded.updated_at"),
      })),
    )
    .execute();
}

/** Appends one balance snapshot per account (history is kept; the latest is shown). */
export async function recordBalanceSnapshots(
  db: Executor,
  accounts: readonly PlaidAccountRecord[],
  takenAt: string,
): Promise<void> {
  if (accounts.length === 0) return;
  await db
    .insertInto("balance_snapshots")
    .values(
      accounts.map((account) => ({
        account_id: account.id,
        taken_at: takenAt,
        currency: account.balances.currency,
        current_minor: account.balances.currentMinor,
        available_minor: account.balances.availableMinor,
        limit_minor: account.balances.limitMinor,
      })),
    )
    .execute();
}

/**
 * The tenant's accounts with their latest balance snapshot.
 *
 * @example for (const a of await listAccounts(store)) console.log(a.name, a.balance?.currentMinor);
 */
export async function listAccounts(
  store: Store,
  options: { readonly itemId?: string } = {},
): Promise<StoredAccount[]> {
  let query = store.db
    .selectFrom("accounts")
    .selectAll()
    .where("tenant_id", "=", store.tenantId)
    .orderBy("item_id")
    .orderBy("name")
    .orderBy("id");
  if (options.itemId !== undefined) query = query.where("item_id", "=", options.itemId);
  const accounts = await query.execute();
  const latest = await latestSnapshots(
    store,
    accounts.map((account) => account.id),
  );
  return accounts.map((row) => ({
    id: row.id,
    itemId: row.item_id,
    source: row.source,
    name: row.name,
    officialName: row.official_name,
    mask: row.mask,
    type: row.type,
    subtype: row.subtype,
    currency: row.currency,
    balance: latest.get(row.id) ?? null,
  }));
}

async function latestSnapshots(
  store: Store,
  accountIds: readonly string[],
): Promise<Map<string, StoredBalance>> {
  const out = new Map<string, StoredBalance>();
  if (accountIds.length === 0) return out;
  const rows = await store.db
    .selectFrom("balance_snapshots as s")
    .selectAll("s")
    .where("s.account_id", "in", accountIds)
    .where(({ eb, selectFrom }) =>
      eb(
        "s.id",
        "=",
        selectFrom("balance_snapshots as t")
          .select(({ fn }) => fn.max("t.id").as("id"))
          .whereRef("t.account_id", "=", "s.account_id"),
      ),
    )
    .execute();
  for (const row of rows)
    out.set(row.account_id, {
      takenAt: row.taken_at,
      currency: row.currency,
      currentMinor: row.current_minor,
      availableMinor: row.available_minor,
      limitMinor: row.limit_minor,
    });
  return out;
}
