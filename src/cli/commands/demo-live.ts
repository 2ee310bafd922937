import { rmSync } from "node:fs";
import { join } from "node:path";
import { sampleLedger } from "../../emulator/ledger.js";
import { startEmulator } from "../../emulator/server.js";
import { plaidGatewayFor } from "../../emulator/testing.js";
import {
  dataDirectory,
  describeLocation,
  listAccounts,
  listTransactions,
  saveExpectedEntries,
  saveReconciliationRun,
} from "../../store/index.js";
import { linkSandboxItem, syncItem } from "../../sync/index.js";
import type { CliContext } from "../context.js";
import type { RawEngineFlags, RawOutputFlags } from "../options.js";
import { toOutputChoice, toReconcileOptions } from "../options.js";
import { checkOutPath, emit } from "../output.js";
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
  } finally {
    await store.close();
    await emu.close();
  }
}
