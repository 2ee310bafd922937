import { type Kysely, sql, type Transaction } from "kysely";
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
 * What became of the bytes of tokens sealed under an old key. `erased`: the SQLite file was
 * rewritten (VACUUM) and its WAL emptied (checkpoint TRUNCATE), so no copy is left in free pages
 * or old WAL frames. `incomplete`: the re-seal committed but that could not be done (`reason`:
 * another process kept the WAL busy, the disk is full); running the rotation again finishes it.
 * `unsupported`: PostgreSQL, whose old row versions stay until autovacuum reuses their space, and
 * in its WAL archives and backups: there, deleting the old key is what protects them.
 */
export type OldCiphertextErasure =
  | { readonly kind: "erased" }
  | { readonly kind: "incomplete"; readonly reason: string }
  | { readonly kind: "unsupported" };

/** What `resealAccessTokens` did. */
export interface ResealOutcome {
  /** Tokens moved to the keyring's current key. */
  readonly resealed: number;
  /**
   * Tokens still sealed under another key when the re-seal committed: another process, holding
   * the old key, sealed them meanwhile. While any remain, the old key must be kept.
   */
  readonly stale: number;
  /** Whether the old ciphertext is gone from the files (SQLite), see `OldCiphertextErasure`. */
  readonly erasure: OldCiphertextErasure;
}

/**
 * Re-seals every access token (every tenant's: the key is the file's) under the keyring's
 * current key in one database transaction, so either all tokens move or none do; then, on
 * SQLite, overwrites what the old ciphertext left on disk. With every token re-sealed and the
 * file rewritten, a copy of the database no longer holds anything the old key opens.
 *
 * @example
 * const outcome = await resealAccessTokens(store);
 * // { resealed: 2, stale: 0, erasure: { kind: "erased" } }
 */
export async function resealAccessTokens(store: Store): Promise<ResealOutcome> {
  const resealed = await store.db.transaction().execute(async (trx) => {
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
  const after = await store.db.selectFrom("items").select("access_token_sealed").execute();
  const stale = after.filter((row) => store.keyring.needsReseal(row.access_token_sealed)).length;
  return { resealed, stale, erasure: await eraseFreedSpace(store) };
}

/**
 * SQLite keeps an updated row's old bytes in the page's free space and in WAL frames until they
 * are reused. `secure_delete` (set on every connection) zeroes what is freed from now on; VACUUM
 * rebuilds the file for what was left before (an older bankrec ran without it); checkpoint
 * (TRUNCATE) copies the WAL into the file and empties it. The re-seal has committed by now, so a
 * failure here is reported, not thrown.
 */
async function eraseFreedSpace(store: Store): Promise<OldCiphertextErasure> {
  if (store.location.dialect !== "sqlite") return { kind: "unsupported" };
  if (store.location.path === ":memory:") return { kind: "erased" };
  try {
    await sql`vacuum`.execute(store.db);
    const { rows } = await sql<{ busy: number }>`pragma wal_checkpoint(TRUNCATE)`.execute(store.db);
    if (rows[0]?.busy !== 0)
      return {
        kind: "incomplete",
        reason: "another process was reading the store, so its WAL was not emptied",
      };
    return { kind: "erased" };
  } catch (error) {
    return { kind: "incomplete", reason: `the store could not be rewritten: ${(error as Error).message}` };
  }
}

/**
 * Resolves the key that seals access tokens, or throws its ConfigError (no BANKREC_SECRET_KEY for
 * PostgreSQL, a lost key file). Call it before anything that cannot be undone and ends in
 * `saveItem`, such as creating an item at Plaid.
 *
 * @example assertCanSeal(store); const { publicToken } = await gateway.createSandboxPublicToken(…);
 */
export function assertCanSeal(store: Store): void {
  // The getter resolves the key (creating the key file where allowed) or throws: reading it is the check.
  void store.keyring;
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
