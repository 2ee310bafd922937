import { rmSync } from "node:fs";
import { join } from "node:path";
import { sampleLedger } from "../../emulator/ledger.js";
import { startEmulator } from "../../emulator/server.js";
import { plaidGatewayFor } from "../../emulator/testing.js";
import type { Store } from "../../store/index.js";
import {
  dataDirectory,
  describeLocation,
  listAccounts,
  listTransactions,
  saveExpectedEntries,
  saveReconciliationRun,
} from "../../store/index.js";
import { spendingSummary } from "../../store/spending-queries.js";
import { linkSandboxItem, syncItem } from "../../sync/index.js";
import type { CliContext } from "../context.js";
import { colorEnabled } from "../context.js";
import type { RawEngineFlags, RawOutputFlags } from "../options.js";
import { toOutputChoice, toReconcileOptions } from "../options.js";
import { checkOutPath, emit } from "../output.js";
import { renderSpending } from "../spending-render.js";
import { openCliStore } from "../store-options.js";
import { render } from "./reconcile.js";

/** The emulated business's bank and the seed of its data and ledger: the same demo every run. */
export const DEMO_INSTITUTION_ID = "ins_109508";
export const DEMO_SEED = 7;

export interface LiveDemoFlags extends RawEngineFlags, RawOutputFlags {
  /** A DATABASE_URL to use instead of a fresh demo.db in the data directory. */
  readonly database?: string;
}

/** A fresh demo store each run, so the demo always shows the same thing. */
function demoStoreUrl(flags: LiveDemoFlags, ctx: CliContext): string {
  if (flags.database !== undefined) return flags.database;
  const path = join(dataDirectory(ctx.env), "demo.db");
  for (const suffix of ["", "-wal", "-shm"]) rmSync(`${path}${suffix}`, { force: true });
  return `sqlite:${path}`;
}

/**
 * The main job, offline: start the Plaid emulator in this process, link a sandbox item through
 * the official SDK, sync it into the store, write the emulated business's ledger (with a
 * bookkeeper's usual discrepancies) into the store, reconcile, store the run, print the report.
 */
export async function runLiveDemo(flags: LiveDemoFlags, ctx: CliContext): Promise<void> {
  const options = toReconcileOptions(flags);
  const choice = toOutputChoice(flags);
  const outPath = choice.out === undefined ? undefined : await checkOutPath(choice.out, ctx.cwd);
  const emu = await startEmulator({
    seed: DEMO_SEED,
    clientId: "bankrec-demo",
    secret: "bankrec-demo-secret",
  });
  const store = await openCliStore({ database: demoStoreUrl(flags, ctx) }, ctx);
  try {
    const plaid = plaidGatewayFor(emu);
    const { itemId, institutionName } = await linkSandboxItem(store, plaid, {
      institutionId: DEMO_INSTITUTION_ID,
    });
    const report = await syncItem(store, plaid, itemId);
    if (report.outcome !== "synced") throw new Error(`the demo's sync did not complete (${report.outcome})`);
    // A stored transaction is a BankTransaction with the store's fields beside it.
    const bank = await listTransactions(store, { itemId, limit: 1_000_000 });
    const ledger = sampleLedger(bank, { seed: DEMO_SEED });
    await saveExpectedEntries(store, ledger.entries);
    const inBooks = bank.filter((row) => ledger.period === null || row.date >= ledger.period.from);
    const result = ctx.engine.reconcile(inBooks, ledger.entries, options);
    await saveReconciliationRun(store, result, { demo: true, ...options });
    const accounts = await listAccounts(store, { itemId });
    const period = ledger.period === null ? "" : ` ${ledger.period.from} to ${ledger.period.to}`;
    const title =
      `Demo (offline): linked ${institutionName ?? DEMO_INSTITUTION_ID} through the Plaid emulator, synced ${report.added} ` +
      `transactions in ${report.pages} page${report.pages === 1 ? "" : "s"} into ${describeLocation(store.location)}, ` +
      `and reconciled the books${period} (${ledger.entries.length} ledger entries) against them`;
    const loaded = { bank: inBooks, expected: ledger.entries, accounts };
    await emit(render(result, loaded, choice, ctx, title), outPath, ctx.stdout);
    // The report for people ends with where the money went; JSON and CSV stay the match list.
    if (choice.format === "table" && outPath === undefined && ledger.period !== null)
      await printDemoSpending(store, ledger.period, ctx);
  } finally {
    await store.close();
    await emu.close();
  }
}

/** The books' period's spending summary from the store: totals, top categories, top merchants. */
async function printDemoSpending(
  store: Store,
  period: { readonly from: string; readonly to: string },
  ctx: CliContext,
): Promise<void> {
  const summary = await spendingSummary(store, { period, merchantsMax: 5 });
  const lines = renderSpending(summary, {
    color: colorEnabled(ctx.stdout, ctx.env),
    widthMax: ctx.stdout.isTTY === true ? (ctx.stdout.columns ?? 120) : 120,
    views: ["category", "merchant"],
    detailed: false,
  });
  ctx.stdout.write(
    `\n${lines.join("\n")}\n(bankrec spending --from ${period.from} --to ${period.to} for more)\n`,
  );
}
