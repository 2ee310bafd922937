import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { createKeyring, EncryptionKey, type Keyring, openStore, type Store } from "../../src/store/index.js";

/**
 * The store dialects every store test runs on. SQLite always; PostgreSQL at
 * BANKREC_TEST_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/test). In CI a missing
 * Postgres fails the tests that need it; elsewhere they are skipped with a message.
 */
export const POSTGRES_URL =
  process.env.BANKREC_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";

export interface StoreCase {
  readonly dialect: "sqlite" | "postgres";
  /** False only outside CI when Postgres cannot be reached. */
  readonly available: boolean;
  /** A DATABASE_URL naming a fresh, empty database (a new SQLite file or a new Postgres schema). */
  freshUrl(): string;
  /** Opens a fresh store (a test keyring unless one is given). */
  open(options?: { readonly url?: string; readonly keyring?: Keyring }): Promise<Store>;
  /** Drops everything this case created. */
  cleanup(): Promise<void>;
}

let postgresReachable: Promise<boolean> | undefined;

async function reachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query("select 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The same test keyring for a whole run, so child processes can be given it. */
export const TEST_KEY = EncryptionKey.generate();
export const testKeyring = (): Keyring => createKeyring(TEST_KEY);

export async function storeCases(): Promise<StoreCase[]> {
  postgresReachable ??= reachable();
  const postgres = await postgresReachable;
  if (!postgres && process.env.CI === undefined)
    console.warn(
      `store tests: PostgreSQL is not reachable at ${POSTGRES_URL}; its cases are skipped (they run in CI)`,
    );
  return [sqliteCase(), postgresCase(postgres || process.env.CI !== undefined)];
}

function sqliteCase(): StoreCase {
  const folder = mkdtempSync(join(tmpdir(), "bankrec-store-"));
  let counter = 0;
  const freshUrl = () => `sqlite:${join(folder, `store-${++counter}.db`)}`;
  return {
    dialect: "sqlite",
    available: true,
    freshUrl,
    open: (options) =>
      openStore({ url: options?.url ?? freshUrl(), keyring: options?.keyring ?? testKeyring() }),
    cleanup: async () => rmSync(folder, { recursive: true, force: true }),
  };
}

function postgresCase(available: boolean): StoreCase {
  const run = `t${process.pid}_${randomBytes(3).toString("hex")}`;
  const schemas: string[] = [];
  const freshUrl = () => {
    const schema = `bankrec_${run}_${schemas.length + 1}`;
    schemas.push(schema);
    const url = new URL(POSTGRES_URL);
    url.searchParams.set("schema", schema);
    return url.toString();
  };
  return {
    dialect: "postgres",
    available,
    freshUrl,
    open: (options) =>
      openStore({ url: options?.url ?? freshUrl(), keyring: options?.keyring ?? testKeyring() }),
    cleanup: async () => {
      if (!available || schemas.length === 0) return;
      const client = new pg.Client({ connectionString: POSTGRES_URL });
      await client.connect();
      try {
        for (const schema of schemas) await client.query(`drop schema if exists ${schema} cascade`);
      } finally {
        await client.end();
      }
    },
  };
}
