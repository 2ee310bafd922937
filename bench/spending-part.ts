// The spending part of `npm run bench`: `size` transactions (default 1,000,000, a year of one
// emulator item) stored in SQLite and in PostgreSQL through bankrec's own write path
// (upsert, then categorize at write time), then timed in the same process:
//   baseline  a bare `select category, count(*), sum(amount_minor) … group by category` over
//             the same table and year: the floor any report has to scan
//   summary   spendingSummary for the year: income, expenses, net, categories with the
//             drill-down, top merchants, the monthly trend and the previous period
//   rule      addRule with a rule matching about 100,000 of the rows: saved and re-applied to
//             every stored row in one database transaction
// Each query is run five times interleaved with the other; the median is reported, and the
// summary as a multiple of the baseline (this machine's speed drifts between hours, so only
// ratios within a run compare).
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import pg from "pg";
import { startEmulator } from "../src/emulator/index.js";
import { toPlaidTransactionRecord } from "../src/plaid/index.js";
import { toSecret } from "../src/secrets/index.js";
import {
  createKeyring,
  EncryptionKey,
  openStore,
  plaidTransactionRow,
  recategorizeAll,
  refreshCategories,
  refreshPlannerStatistics,
  type Store,
  saveItem,
  upsertTransactionRows,
  withCategories,
} from "../src/store/index.js";
import { addRule } from "../src/store/rules.js";
import { spendingSummary } from "../src/store/spending-queries.js";

export interface SpendingFigure {
  readonly way: "sqlite" | "postgres";
  readonly transactions: number;
  /** Writing the rows (upsert) and categorizing them, seconds. */
  readonly loadSeconds: number;
  readonly categorizeSeconds: number;
  readonly baselineSeconds: number;
  readonly summarySeconds: number;
  readonly ruleSeconds: number;
  readonly ruleChanged: number;
}

export interface SpendingSkip {
  readonly way: "postgres";
  readonly skipped: string;
}

const POSTGRES_URL =
  process.env.BANKREC_BENCH_POSTGRES_URL ??
  process.env.BANKREC_TEST_POSTGRES_URL ??
  "postgres://postgres@127.0.0.1:5432/test";
const RUNS = 5;
const RULE_TARGET_ROWS = 100_000;
/** Rows a sync run applies at once here: a month of a busy business, and a bounded heap. */
const SYNC_RUN_ROWS = 100_000;

interface Dataset {
  readonly itemId: string;
  readonly accessToken: string;
  readonly raw: readonly unknown[];
  readonly period: { readonly from: string; readonly to: string };
}

/**
 * Times the spending summary against the bare aggregate on SQLite and PostgreSQL.
 *
 * @example console.log(formatSpending(await benchSpending(1_000_000)));
 */
export async function benchSpending(size: number): Promise<(SpendingFigure | SpendingSkip)[]> {
  const emu = await startEmulator({ seed: 5 });
  let dataset: Dataset;
  try {
    const { itemId, accessToken } = await emu.admin.createItem({
      user: "user_good",
      transactionCount: size,
      historyDays: 365,
    });
    const raw = emu.admin.itemTruth(accessToken).transactions;
    let first = "9999-12-31";
    let last = "0000-01-01";
    for (const t of raw) {
      if (t.date < first) first = t.date;
      if (t.date > last) last = t.date;
    }
    dataset = { itemId, accessToken, raw, period: { from: first, to: last } };
  } finally {
    await emu.close();
  }
  const dir = mkdtempSync(join(tmpdir(), "bankrec-bench-spending-"));
  let sqlite: SpendingFigure;
  try {
    sqlite = await measure("sqlite", `sqlite:${join(dir, "bench.db")}`, dataset);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return [sqlite, await onPostgres(dataset)];
}

async function onPostgres(dataset: Dataset): Promise<SpendingFigure | SpendingSkip> {
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
    return await measure("postgres", url.toString(), dataset);
  } finally {
    await admin.query(`drop schema if exists ${schema} cascade`);
    await admin.end();
  }
}

async function measure(way: "sqlite" | "postgres", url: string, dataset: Dataset): Promise<SpendingFigure> {
  const store = await openStore({ url, keyring: createKeyring(EncryptionKey.generate()) });
  try {
    progress(`${way}: storing ${dataset.raw.length} transactions, categorized as they are written`);
    const loadSeconds = await timed(() => load(store, dataset));
    progress(`${way}: re-categorizing every stored row`);
    const categorizeSeconds = await timed(() =>
      store.db.transaction().execute((trx) => recategorizeAll(trx, store.tenantId)),
    );
    if (way === "postgres") await sql`analyze transactions`.execute(store.db);
    const baseline: number[] = [];
    const summary: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      baseline.push(await timed(() => bareAggregate(store, dataset.period)));
      summary.push(await timed(() => spendingSummary(store, { period: dataset.period })));
    }
    const rule = await ruleTouching(store, RULE_TARGET_ROWS);
    progress(`${way}: re-applying a rule that matches ${rule.matching} rows`);
    let ruleChanged = 0;
    const ruleSeconds = await timed(async () => {
      ruleChanged = (await addRule(store, rule.rule)).outcome.changed;
    });
    return {
      way,
      transactions: dataset.raw.length,
      loadSeconds,
      categorizeSeconds,
      baselineSeconds: median(baseline),
      summarySeconds: median(summary),
      ruleSeconds,
      ruleChanged,
    };
  } finally {
    await store.close();
  }
}

/** Sync's own write path: categorized as written, then transfers paired over the days. */
async function load(store: Store, dataset: Dataset): Promise<void> {
  await saveItem(store, {
    id: dataset.itemId,
    accessToken: toSecret(dataset.accessToken),
    institutionId: "ins_109508",
  });
  const owner = { tenantId: store.tenantId, itemId: dataset.itemId };
  const now = store.now();
  const records = dataset.raw.map(toPlaidTransactionRecord);
  // The accounts first, so transfers between them pair as the rows arrive.
  const accountIds = [...new Set(records.map((r) => r.accountId))];
  await store.db
    .insertInto("accounts")
    .values(
      accountIds.map((id) => ({
        id,
        tenant_id: store.tenantId,
        item_id: dataset.itemId,
        source: "plaid",
        name: id,
        official_name: null,
        mask: null,
        type: null,
        subtype: null,
        currency: "USD",
        raw_json: null,
        updated_at: now,
      })),
    )
    .onConflict((c) => c.columns(["tenant_id", "id"]).doNothing())
    .execute();
  // A year arrives as runs of sync in date order, each applied in one database transaction as
  // sync-item.ts applies a run: categorized as written, transfers paired over its days.
  records.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  for (let start = 0; start < records.length; start += SYNC_RUN_ROWS) {
    const rows = records.slice(start, start + SYNC_RUN_ROWS).map((r) => plaidTransactionRow(r, owner, now));
    await store.db.transaction().execute(async (trx) => {
      await upsertTransactionRows(trx, await withCategories(trx, store.tenantId, rows));
      await refreshPlannerStatistics(trx, store.dialect, rows.length);
      await refreshCategories(trx, store.tenantId, [], { alsoDates: rows.map((row) => row.date) });
    });
  }
}

async function bareAggregate(
  store: Store,
  period: { readonly from: string; readonly to: string },
): Promise<unknown> {
  return sql`select category, count(*) as n, cast(sum(amount_minor) as bigint) as total from transactions
    where tenant_id = ${store.tenantId} and date >= ${period.from} and date <= ${period.to}
    group by category`.execute(store.db);
}

/**
 * An amount band of money out that holds about `target` rows, from the data itself: the rule
 * every bookkeeper writes ("card spend between $X and $Y is office supplies").
 */
async function ruleTouching(store: Store, target: number): Promise<{ rule: unknown; matching: number }> {
  const rows = await store.db
    .selectFrom("transactions")
    .select("amount_minor")
    .where("tenant_id", "=", store.tenantId)
    .where("amount_minor", "<", 0)
    .execute();
  const magnitudes = rows.map((r) => -Number(r.amount_minor)).sort((a, b) => a - b);
  const start = Math.floor(magnitudes.length / 4);
  const low = magnitudes[start] ?? 1;
  const high = magnitudes[Math.min(start + target, magnitudes.length) - 1] ?? low;
  const matching = magnitudes.filter((m) => m >= low && m <= high).length;
  const decimal = (minor: number) => (minor / 100).toFixed(2);
  return {
    rule: {
      name: "bench: a band of card spend",
      conditions: { direction: "out", amountMin: decimal(low), amountMax: decimal(high) },
      actions: { category: "GENERAL_MERCHANDISE_OFFICE_SUPPLIES", addTags: ["bench"] },
    },
    matching,
  };
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return (performance.now() - started) / 1000;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

function progress(line: string): void {
  process.stderr.write(`bench: spending: ${line}\n`);
}

export function formatSpending(figures: readonly (SpendingFigure | SpendingSkip)[]): string {
  const lines = figures.map((f) => {
    if ("skipped" in f) return `  ${f.way.padEnd(9)} skipped: ${f.skipped}`;
    const ratio = f.summarySeconds / f.baselineSeconds;
    return [
      `  ${f.way.padEnd(9)} ${f.transactions} tx: stored (categorized as written) in ${f.loadSeconds.toFixed(1)} s (${Math.round(f.transactions / f.loadSeconds)} tx/s); every row re-categorized (rules apply) in ${f.categorizeSeconds.toFixed(1)} s`,
      `            year's summary ${f.summarySeconds.toFixed(3)} s = ${ratio.toFixed(2)}× the bare aggregate (${f.baselineSeconds.toFixed(3)} s); target ≤ 3× and < 2 s: ${ratio <= 3 && f.summarySeconds < 2 ? "met" : "NOT met"}`,
      `            a rule matching ~${RULE_TARGET_ROWS} rows saved and re-applied to all: ${f.ruleSeconds.toFixed(1)} s (${f.ruleChanged} rows changed)`,
    ].join("\n");
  });
  return [
    `spending reports (median of ${RUNS} interleaved runs; baseline = select category, count(*), sum(amount) … group by category)`,
    ...lines,
  ].join("\n");
}
