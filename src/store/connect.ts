import { mkdirSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import BetterSqlite3 from "better-sqlite3";
import { Kysely, PostgresDialect, SqliteDialect, sql } from "kysely";
import pg from "pg";
import { ConfigError } from "../errors/index.js";
import type { Database } from "./schema.js";

export type StoreDialect = "sqlite" | "postgres";

/** Where the store lives, parsed from DATABASE_URL or an option. */
export type StoreLocation =
  | { readonly dialect: "sqlite"; readonly path: string }
  | { readonly dialect: "postgres"; readonly url: string; readonly schema: string | null };

/** An open database connection with its dialect. */
export interface Connection {
  readonly db: Kysely<Database>;
  readonly location: StoreLocation;
  readonly dialect: StoreDialect;
}

/** The data directory: BANKREC_DATA_DIR, else $XDG_DATA_HOME/bankrec, else ~/.local/share/bankrec. */
export function dataDirectory(env: Readonly<Record<string, string | undefined>> = process.env): string {
  if (env.BANKREC_DATA_DIR) return resolve(env.BANKREC_DATA_DIR);
  const base = env.XDG_DATA_HOME ? resolve(env.XDG_DATA_HOME) : join(homedir(), ".local", "share");
  return join(base, "bankrec");
}

/**
 * Reads a store location: `postgres://…` / `postgresql://…` (an optional `?schema=name` picks
 * the schema), `sqlite:path`, `sqlite:///abs/path`, `file:` URLs, `:memory:`, or a plain file
 * path; a relative path is taken from `cwd`. Absent: `bankrec.db` in the data directory.
 *
 * @example parseStoreLocation("postgres://127.0.0.1/test?schema=run_1")
 * // { dialect: "postgres", url: "postgres://127.0.0.1/test", schema: "run_1" }
 */
export function parseStoreLocation(
  value: string | undefined,
  env: Readonly<Record<string, string | undefined>> = process.env,
  cwd: string = process.cwd(),
): StoreLocation {
  const text = value?.trim() ?? "";
  if (text === "") return { dialect: "sqlite", path: join(dataDirectory(env), "bankrec.db") };
  if (/^postgres(ql)?:\/\//i.test(text)) return postgresLocation(text);
  if (text === ":memory:" || text === "sqlite::memory:") return { dialect: "sqlite", path: ":memory:" };
  if (/^sqlite:/i.test(text)) {
    const rest = text.slice("sqlite:".length).replace(/^\/\//, "");
    if (rest === "") throw new ConfigError('DATABASE_URL "sqlite:" names no file');
    return { dialect: "sqlite", path: resolve(cwd, decodeURIComponent(rest)) };
  }
  if (/^file:/i.test(text)) return { dialect: "sqlite", path: fileURLToPath(text) };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text))
    throw new ConfigError(
      `DATABASE_URL scheme "${text.split(":")[0]}" is not supported: use a file path, sqlite:… or postgres://…`,
    );
  return { dialect: "sqlite", path: isAbsolute(text) ? text : resolve(cwd, text) };
}

function postgresLocation(text: string): StoreLocation {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ConfigError("DATABASE_URL is not a valid postgres:// URL");
  }
  const schema = url.searchParams.get("schema");
  url.searchParams.delete("schema");
  if (schema !== null && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema))
    throw new ConfigError(`DATABASE_URL schema "${schema}" must be a lower-case SQL identifier`);
  return { dialect: "postgres", url: url.toString(), schema };
}

/** A description of the location that is safe to print (no password). */
export function describeLocation(location: StoreLocation): string {
  if (location.dialect === "sqlite") return `SQLite ${location.path}`;
  const url = new URL(location.url);
  url.password = "";
  const schema = location.schema === null ? "" : ` (schema ${location.schema})`;
  return `PostgreSQL ${url.host}${url.pathname}${schema}`;
}

/** Opens (but does not migrate) a connection. */
export async function connect(location: StoreLocation): Promise<Connection> {
  if (location.dialect === "sqlite") return { db: openSqlite(location.path), location, dialect: "sqlite" };
  return { db: await openPostgres(location), location, dialect: "postgres" };
}

function openSqlite(path: string): Kysely<Database> {
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  let database: BetterSqlite3.Database;
  try {
    database = new BetterSqlite3(path);
  } catch (error) {
    throw new ConfigError(`cannot open the SQLite store ${path}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  // WAL: readers never block the one writer, and a commit survives the process being killed.
  database.pragma("journal_mode = WAL");
  database.pragma("synchronous = NORMAL");
  database.pragma("foreign_keys = ON");
  // Another process holding the write lock (a sync, a migration) is waited for, not failed on.
  database.pragma("busy_timeout = 10000");
  return new Kysely<Database>({ dialect: new SqliteDialect({ database }) });
}

/** int8 (bigint, count(*), sum) arrives from pg as text; our money fits a safe integer. */
function parseInt8(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new RangeError(`integer ${text} is beyond 2^53`);
  return value;
}

async function openPostgres(location: StoreLocation & { dialect: "postgres" }): Promise<Kysely<Database>> {
  const types = {
    getTypeParser: (oid: number, format?: "text" | "binary") =>
      oid === pg.types.builtins.INT8 ? parseInt8 : pg.types.getTypeParser(oid, format),
  };
  const options: pg.PoolConfig = {
    connectionString: location.url,
    max: 4,
    connectionTimeoutMillis: 10_000,
    types: types as pg.CustomTypesConfig,
  };
  if (location.schema !== null) {
    await ensureSchema(location.url, location.schema, types);
    options.options = `-c search_path=${location.schema}`;
  }
  const pool = new pg.Pool(options);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  try {
    await sql`select 1`.execute(db);
  } catch (error) {
    await db.destroy();
    throw new ConfigError(`cannot connect to ${describeLocation(location)}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return db;
}

async function ensureSchema(url: string, schema: string, types: unknown): Promise<void> {
  const client = new pg.Client({ connectionString: url, types: types as pg.CustomTypesConfig });
  try {
    await client.connect();
    await client.query(`create schema if not exists ${schema}`);
  } catch (error) {
    throw new ConfigError(`cannot create schema ${schema}: ${(error as Error).message}`, { cause: error });
  } finally {
    await client.end().catch(() => undefined);
  }
}
