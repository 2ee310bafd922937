// The store part of `npm run bench`: one emulator item of `size` transactions synced whole
// (pages of 500, syncItem's default) three ways in the same run:
//   gateway   PlaidGateway.syncTransactions alone, nothing stored: the baseline (emulator,
//             HTTP, SDK, mapping), which a store sync cannot beat
//   sqlite    syncItem into a fresh SQLite file (temp directory, removed afterwards)
//   postgres  syncItem into a fresh Postgres schema (dropped afterwards); skipped with a note
//             when Postgres cannot be reached
// For each: the time, transactions a second, the ratio to the baseline, and the apply alone
// (from the last page fetched to the commit, timed through syncItem's onApplyStart hook).
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { startEmulator } from "../src/emulator/index.js";
import { plaidGatewayFor } from "../src/emulator/testing.js";
import type { PlaidGateway } from "../src/plaid/index.js";
import { toSecret } from "../src/secrets/index.js";
import { createKeyring, EncryptionKey, openStore, saveItem } from "../src/store/index.js";
import { syncItem } from "../src/sync/index.js";

export interface StoreFigure {
  readonly way: "gateway" | "sqlite" | "postgres";
  readonly transactions: number;
  readonly seconds: number;
  /** Seconds from the last page to the commit; null for the baseline, which stores nothing. */
  readonly applySeconds: number | null;
}

export interface StoreSkip {
  readonly way: "postgres";
  readonly skipped: string;
}

const PAGE_SIZE = 500;
const POSTGRES_URL =
  process.env.BANKREC_BENCH_POSTGRES_URL ??
  process.env.BANKREC_TEST_POSTGRES_URL ??
  "postgres://postgres@127.0.0.1:5432/test";

/**
 * Times a whole sync of a `size`-transaction emulator item into each store against the
 * gateway-only baseline.
 *
 * @example
 * console.log(formatStore(await benchStore(100_000)));
 */
export async function benchStore(size: number): Promise<(StoreFigure | StoreSkip)[]> {
  const emu = await startEmulator({ seed: 1 });
  try {
    // user_good: the history stays still, so every way pulls the same transactions.
    const { itemId, accessToken } = await emu.admin.createItem({ user: "user_good", transactionCount: size });
    const gateway = plaidGatewayFor(emu);
    const baseline = await gatewayOnly(gateway, accessToken);
    const dir = mkdtempSync(join(tmpdir(), "bankrec-bench-store-"));
    let sqlite: StoreFigure;
    try {
      sqlite = await storeSync("sqlite", `sqlite:${join(dir, "bench.db")}`, gateway, itemId, accessToken);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    return [baseline, sqlite, await postgresSync(gateway, itemId, accessToken)];
  } finally {
    await emu.close();
  }
}

async function gatewayOnly(gateway: PlaidGateway, accessToken: string): Promise<StoreFigure> {
  const started = performance.now();
  let transactions = 0;
  for await (const step of gateway.syncTransactions(toSecret(accessToken), { count: PAGE_SIZE })) {
    if (step.kind === "page") transactions += step.added.length;
    else if (step.kind === "restart")
      throw new Error("the baseline restarted on an item that does not change");
  }
  return { way: "gateway", transactions, seconds: (performance.now() - started) / 1000, applySeconds: null };
}

async function storeSync(
  way: "sqlite" | "postgres",
  url: string,
  gateway: PlaidGateway,
  itemId: string,
  accessToken: string,
): Promise<StoreFigure> {
  const store = await openStore({ url, keyring: createKeyring(EncryptionKey.generate()) });
  try {
    await saveItem(store, {
      id: itemId,
      accessToken: toSecret(accessToken),
      institutionId: "ins_109508",
      institutionName: "First Platypus Bank",
    });
    let applyStarted = Number.NaN;
    const started = performance.now();
    const report = await syncItem(store, gateway, itemId, {
      count: PAGE_SIZE,
      onApplyStart: () => {
        applyStarted = performance.now();
      },
    });
    const ended = performance.now();
    if (report.outcome !== "synced") throw new Error(`${way}: the sync ended ${report.outcome}`);
    return {
      way,
      transactions: report.added,
      seconds: (ended - started) / 1000,
      applySeconds: (ended - applyStarted) / 1000,
    };
  } finally {
    await store.close();
  }
}

async function postgresSync(
  gateway: PlaidGateway,
  itemId: string,
  accessToken: string,
): Promise<StoreFigure | StoreSkip> {
  const admin = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 3000 });
  try {
    await admin.connect();
  } catch (error) {
    await admin.end().catch(() => undefined);
    return { way: "postgres", skipped: `Postgres not reachable (${(error as Error).message})` };
  }
  const schema = `bankrec_bench_${process.pid}_${randomBytes(3).toString("hex")}`;
  try {
    const url = new URL(POSTGRES_URL);
    url.searchParams.set("schema", schema);
    return await storeSync("postgres", url.toString(), gateway, itemId, accessToken);
  } finally {
    await admin.query(`drop schema if exists ${schema} cascade`);
    await admin.end();
  }
}

export function formatStore(figures: readonly (StoreFigure | StoreSkip)[]): string {
  const baseline = figures.find((f): f is StoreFigure => f.way === "gateway")?.seconds ?? Number.NaN;
  const lines = figures.map((f) => {
    if ("skipped" in f) return `  ${f.way.padEnd(9)} skipped: ${f.skipped}`;
    const rate = Math.round(f.transactions / f.seconds);
    const apply =
      f.applySeconds === null
        ? ""
        : `  apply ${f.applySeconds.toFixed(2)} s (${Math.round(f.transactions / f.applySeconds)} tx/s)`;
    return (
      `  ${f.way.padEnd(9)} ${String(f.transactions).padStart(8)} tx  ${f.seconds.toFixed(2).padStart(7)} s  ` +
      `${String(rate).padStart(8)} tx/s  ${(f.seconds / baseline).toFixed(2)}× gateway${apply}`
    );
  });
  return [
    `sync into the store, pages of ${PAGE_SIZE} (gateway = the same pull, nothing stored: the baseline)`,
    ...lines,
  ].join("\n");
}
