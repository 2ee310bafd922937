import { dirname, join } from "node:path";
import type { Kysely } from "kysely";
import {
  type Connection,
  connect,
  dataDirectory,
  parseStoreLocation,
  type StoreDialect,
  type StoreLocation,
} from "./connect.js";
import { resolveKeySource, type SealedTokenCount } from "./key-source.js";
import type { Keyring } from "./keyring.js";
import { migrateToLatest } from "./migrations.js";
import type { Database } from "./schema.js";

export const DEFAULT_TENANT_ID = "default";

export interface OpenStoreOptions {
  /** DATABASE_URL form; default `process.env.DATABASE_URL`, else `bankrec.db` in the data directory. */
  readonly url?: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** A relative SQLite path is taken from here; default the process's working directory. */
  readonly cwd?: string;
  /** The tenant this handle reads and writes; created on open. Default "default". */
  readonly tenantId?: string;
  /** A keyring to use instead of resolving BANKREC_SECRET_KEY or the key file (tests). */
  readonly keyring?: Keyring;
  /** Whether a missing key file may be generated (default true). */
  readonly allowCreateKey?: boolean;
  /** The clock for timestamps (tests). */
  readonly now?: () => Date;
}

/**
 * An open, migrated store: the database, its dialect, the keyring that seals access tokens,
 * and the tenant this handle works for. The repositories (`items.ts`, `transactions.ts`, …)
 * take a Store.
 */
export interface Store {
  readonly db: Kysely<Database>;
  readonly dialect: StoreDialect;
  readonly location: StoreLocation;
  /**
   * Seals and opens access tokens. Resolved (BANKREC_SECRET_KEY, else the key file, created if
   * allowed) the first time it is used; a missing key is a ConfigError then.
   */
  readonly keyring: Keyring;
  /** Where the key file is (null when the key came from the environment or an option). */
  readonly keyFilePath: string | null;
  readonly tenantId: string;
  /**
   * Problems found on open that do not stop the store, one line each, for the caller to show
   * (the CLI prints them on stderr): e.g. a SQLite file that group or others can read.
   */
  readonly warnings: readonly string[];
  now(): string;
  close(): Promise<void>;
}

/**
 * Opens the store named by `url` (or DATABASE_URL), runs its migrations, refuses a database
 * from a newer bankrec, and makes sure the tenant exists.
 *
 * @example
 * const store = await openStore({ url: "sqlite:./books.db" });
 * const items = await listItems(store);
 * await store.close();
 */
export async function openStore(options: OpenStoreOptions = {}): Promise<Store> {
  const env = options.env ?? process.env;
  const location = parseStoreLocation(options.url ?? env.DATABASE_URL, env, options.cwd);
  const connection = await connect(location);
  try {
    await migrateToLatest(
      connection.db as Kysely<unknown>,
      connection.dialect,
      location.dialect === "postgres" ? location.schema : null,
    );
    const keyFilePath = options.keyring === undefined ? keyFileFor(location, env) : null;
    // Resolved on first use: listing transactions needs no key, and should neither fail for
    // want of BANKREC_SECRET_KEY nor create a key file.
    const keyring =
      options.keyring === undefined
        ? () =>
            resolveKeySource({
              env,
              keyFilePath,
              allowCreate: options.allowCreateKey ?? true,
              sealedTokens: () => sealedTokenCounts(connection),
            }).keyring
        : () => options.keyring as Keyring;
    const clock = options.now ?? (() => new Date());
    const store = storeOf(connection, keyring, keyFilePath, options.tenantId ?? DEFAULT_TENANT_ID, clock);
    await ensureTenant(store);
    return store;
  } catch (error) {
    await connection.db.destroy();
    throw error;
  }
}

function storeOf(
  connection: Connection,
  resolveKeyring: () => Keyring,
  keyFilePath: string | null,
  tenantId: string,
  clock: () => Date,
): Store {
  let keyring: Keyring | undefined;
  return {
    db: connection.db,
    dialect: connection.dialect,
    location: connection.location,
    get keyring() {
      keyring ??= resolveKeyring();
      return keyring;
    },
    keyFilePath,
    tenantId,
    warnings: connection.warnings,
    now: () => clock().toISOString(),
    close: () => connection.db.destroy(),
  };
}

/**
 * The key file sits beside the SQLite file (or in the data directory for `:memory:`).
 * Postgres has none: several machines share one database, so they must share the key through
 * BANKREC_SECRET_KEY rather than each generating its own.
 */
function keyFileFor(
  location: StoreLocation,
  env: Readonly<Record<string, string | undefined>>,
): string | null {
  if (location.dialect === "postgres") return null;
  if (location.path !== ":memory:") return join(dirname(location.path), "bankrec.key");
  return join(dataDirectory(env), "bankrec.key");
}

/** Sealed text is `v1.<12-hex key id>.…`: characters 4 to 15 name the key. */
const SEALED_TOKEN_COUNTS_SQL = `select substr(access_token_sealed, 4, 12) as key_id, count(*) as tokens
  from items group by substr(access_token_sealed, 4, 12) order by tokens desc limit 100`;

/**
 * Every tenant's sealed tokens by key id: the key file is shared by the whole file. Synchronous
 * because the keyring is resolved in a getter; key files exist only for SQLite, whose driver is.
 */
function sealedTokenCounts(connection: Connection): SealedTokenCount[] {
  if (connection.sqlite === null) return [];
  const rows = connection.sqlite.prepare(SEALED_TOKEN_COUNTS_SQL).all() as {
    key_id: string;
    tokens: number;
  }[];
  return rows.map((row) => ({ keyId: row.key_id, tokens: row.tokens }));
}

async function ensureTenant(store: Store): Promise<void> {
  await store.db
    .insertInto("tenants")
    .values({ id: store.tenantId, name: store.tenantId, created_at: store.now() })
    .onConflict((conflict) => conflict.column("id").doNothing())
    .execute();
}
