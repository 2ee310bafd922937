import { existsSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { basename, dirname, isAbsolute, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import BetterSqlite3 from "better-sqlite3";
import { Kysely, PostgresDialect, SqliteDialect, sql } from "kysely";
import pg from "pg";
import { ConfigError } from "../errors/index.js";
import { chmodPrivate, MODE_GROUP_OTHER, makePrivateDirectory } from "./key-source.js";
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
  /**
   * The better-sqlite3 handle under `db` (null on PostgreSQL), for the one read that must be
   * synchronous: whether tokens are sealed, asked while the keyring is resolved on first use.
   */
  readonly sqlite: BetterSqlite3.Database | null;
  /** Problems worth a line on stderr that do not stop the store, e.g. a file others can read. */
  readonly warnings: readonly string[];
}

/** The files SQLite keeps beside the database; each holds rows (the -shm only page numbers). */
const SQLITE_SIDE_FILES = ["-wal", "-shm", "-journal"] as const;

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

/**
 * Opens (but does not migrate) a connection. A SQLite file, its WAL and shared-memory files and
 * any directory created for them are made private (0600, 0700) when this call creates them; an
 * existing file that group or others can read is left alone, with a warning naming the fix.
 */
export async function connect(location: StoreLocation): Promise<Connection> {
  if (location.dialect === "sqlite") {
    const { database, warnings } = openSqlite(location.path);
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database }) });
    return { db, location, dialect: "sqlite", sqlite: database, warnings };
  }
  return { db: await openPostgres(location), location, dialect: "postgres", sqlite: null, warnings: [] };
}

function openSqlite(path: string): { database: BetterSqlite3.Database; warnings: string[] } {
  const file = path === ":memory:" ? null : path;
  const created = file !== null && !existsSync(file);
  let database: BetterSqlite3.Database;
  try {
    if (file !== null) makePrivateDirectory(dirname(file));
    database = new BetterSqlite3(path);
    // Before the WAL exists: SQLite gives the -wal and -shm files the database file's mode.
    if (created) chmodPrivate(file);
  } catch (error) {
    throw new ConfigError(`cannot open the SQLite store ${path}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  // WAL: readers never block the one writer, and a commit survives the process being killed.
  database.pragma("journal_mode = WAL");
  database.pragma("synchronous = NORMAL");
  database.pragma("foreign_keys = ON");
  // Deleted and overwritten content is zeroed, not left in free space: an access token sealed
  // under an old key must not survive a rotation in the file's free pages.
  database.pragma("secure_delete = ON");
  // Another process holding the write lock (a sync, a migration) is waited for, not failed on.
  database.pragma("busy_timeout = 10000");
  if (file === null) return { database, warnings: [] };
  if (created) for (const side of sidePaths(file)) chmodPrivate(side);
  return { database, warnings: created ? [] : modeWarnings(file) };
}

/** The database's side files that exist now. */
function sidePaths(file: string): string[] {
  return SQLITE_SIDE_FILES.map((suffix) => file + suffix).filter((side) => existsSync(side));
}

/**
 * One line when the store (or a side file) can be read by group or others: it holds a
 * business's bank rows. Never an error: the store still works, and the fix is the user's call.
 */
function modeWarnings(file: string): string[] {
  if (process.platform === "win32") return [];
  const open: { path: string; mode: number }[] = [];
  for (const path of [file, ...sidePaths(file)]) {
    let mode: number;
    try {
      mode = statSync(path).mode & 0o777;
    } catch {
      continue; // a side file removed since we looked: nothing to warn about
    }
    if ((mode & MODE_GROUP_OTHER) !== 0) open.push({ path, mode });
  }
  if (open.length === 0) return [];
  const modes = open.map(({ path, mode }) => `${basename(path)} ${mode.toString(8).padStart(4, "0")}`);
  return [
    `the store ${file} holds bank data and group or others can read it (${modes.join(", ")}); ` +
      `run: chmod 600 ${open.map(({ path }) => path).join(" ")}`,
  ];
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
