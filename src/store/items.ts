import type { Kysely, Transaction } from "kysely";
import { InputError } from "../errors/index.js";
import type { Secret } from "../secrets/index.js";
import type { Database } from "./schema.js";
import type { Store } from "./store.js";

/** An item as the store shows it: never the access token, sealed or not. */
export interface StoredItem {
  readonly id: string;
  readonly tenantId: string;
  readonly institutionId: string | null;
  readonly institutionName: string | null;
  /** `ok`, `login_required`, `error` or `removed`. */
  readonly status: string;
  readonly errorCode: string | null;
  readonly errorMessage: string | null;
  readonly webhookUrl: string | null;
  readonly products: readonly string[];
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly cursor: string | null;
  readonly lastSyncedAt: string | null;
}

export interface SaveItemInput {
  readonly id: string;
  readonly accessToken: Secret;
  readonly institutionId: string | null;
  readonly institutionName?: string | null;
  readonly webhookUrl?: string | null;
  readonly products?: readonly string[];
}

/**
 * Stores a newly linked item (or replaces the token of a re-linked one). The access token is
 * sealed with the store's keyring, bound to the item id, before it reaches SQL.
 *
 * @example await saveItem(store, { id: itemId, accessToken, institutionId: "ins_109508" });
 */
export async function saveItem(store: Store, input: SaveItemInput): Promise<void> {
  const now = store.now();
  const sealed = store.keyring.seal(input.accessToken, input.id);
  await store.db.transaction().execute(async (trx) => {
    if (input.institutionId !== null && input.institutionName)
      await trx
        .insertInto("institutions")
        .values({ id: input.institutionId, name: input.institutionName, updated_at: now })
        .onConflict((c) => c.column("id").doUpdateSet({ name: input.institutionName ?? "", updated_at: now }))
        .execute();
    await trx
      .insertInto("items")
      .values({
        id: input.id,
        tenant_id: store.tenantId,
        institution_id: input.institutionId,
        access_token_sealed: sealed,
        status: "ok",
        error_code: null,
        error_message: null,
        webhook_url: input.webhookUrl ?? null,
        products_json: JSON.stringify(input.products ?? ["transactions"]),
        created_at: now,
        updated_at: now,
      })
      .onConflict((c) =>
        c.column("id").doUpdateSet({
          access_token_sealed: sealed,
          status: "ok",
          error_code: null,
          error_message: null,
          updated_at: now,
        }),
      )
      .execute();
  });
}

function itemQuery(store: Store) {
  return store.db
    .selectFrom("items")
    .leftJoin("institutions", "institutions.id", "items.institution_id")
    .leftJoin("sync_state", "sync_state.item_id", "items.id")
    .where("items.tenant_id", "=", store.tenantId)
    .select([
      "items.id",
      "items.tenant_id",
      "items.institution_id",
      "institutions.name as institution_name",
      "items.status",
      "items.error_code",
      "items.error_message",
      "items.webhook_url",
      "items.products_json",
      "items.created_at",
      "items.updated_at",
      "sync_state.cursor",
      "sync_state.last_synced_at",
    ]);
}

type ItemSelection = Awaited<ReturnType<ReturnType<typeof itemQuery>["executeTakeFirstOrThrow"]>>;

function toStoredItem(row: ItemSelection): StoredItem {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    institutionId: row.institution_id,
    institutionName: row.institution_name,
    status: row.status,
    errorCode: row.error_code,
    errorMessage: row.error_message,
    webhookUrl: row.webhook_url,
    products: JSON.parse(row.products_json) as string[],
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    cursor: row.cursor,
    lastSyncedAt: row.last_synced_at,
  };
}

/** The tenant's items, oldest first. */
export async function listItems(store: Store): Promise<StoredItem[]> {
  const rows = await itemQuery(store).orderBy("items.created_at").orderBy("items.id").execute();
  return rows.map(toStoredItem);
}

/** One item of the tenant, or an InputError naming the id. */
export async function getItem(store: Store, itemId: string): Promise<StoredItem> {
  const row = await itemQuery(store).where("items.id", "=", itemId).executeTakeFirst();
  if (row === undefined) throw new InputError(`no item "${itemId}" in this store (bankrec items lists them)`);
  return toStoredItem(row);
}

/** The item's access token, unsealed, for the one call that needs it. */
export async function accessTokenOf(store: Store, itemId: string): Promise<Secret> {
  const row = await store.db
    .selectFrom("items")
    .select("access_token_sealed")
    .where("id", "=", itemId)
    .where("tenant_id", "=", store.tenantId)
    .executeTakeFirst();
  if (row === undefined) throw new InputError(`no item "${itemId}" in this store (bankrec items lists them)`);
  return store.keyring.open(row.access_token_sealed, itemId);
}

/** Records an item's state after a Plaid call: `ok`, or the error the user must act on. */
export async function setItemStatus(
  store: Store,
  itemId: string,
  status: {
    readonly status: string;
    readonly errorCode: string | null;
    readonly errorMessage: string | null;
  },
): Promise<void> {
  await store.db
    .updateTable("items")
    .set({
      status: status.status,
      error_code: status.errorCode,
      error_message: status.errorMessage,
      updated_at: store.now(),
    })
    .where("id", "=", itemId)
    .execute();
}

/**
 * Re-seals every access token under the keyring's current key, in one database transaction:
 * either all tokens move to the new key or none do. Returns how many were re-sealed.
 */
export async function resealAccessTokens(store: Store): Promise<number> {
  return store.db.transaction().execute(async (trx) => {
    const rows = await trx.selectFrom("items").select(["id", "access_token_sealed"]).execute();
    let count = 0;
    for (const row of rows) {
      if (!store.keyring.needsReseal(row.access_token_sealed)) continue;
      const token = store.keyring.open(row.access_token_sealed, row.id);
      await trx
        .updateTable("items")
        .set({ access_token_sealed: store.keyring.seal(token, row.id) })
        .where("id", "=", row.id)
        .execute();
      count++;
    }
    return count;
  });
}

/**
 * A successful Plaid call proves the item works again: clears a stored problem. Takes the
 * database transaction the call's results are written in, so both land together.
 */
export async function markItemOk(
  db: Kysely<Database> | Transaction<Database>,
  itemId: string,
  now: string,
): Promise<void> {
  await db
    .updateTable("items")
    .set({ status: "ok", error_code: null, error_message: null, updated_at: now })
    .where("id", "=", itemId)
    .where("status", "!=", "ok")
    .execute();
}
