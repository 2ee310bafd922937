import { join } from "node:path";
import type { Command } from "commander";
import type { CliContext } from "../context.js";
import { packageInfo } from "../package-root.js";
import type { LiveDemoFlags } from "./demo-live.js";
import { addEngineOptions, addOutputOptions, runReconcile } from "./reconcile.js";

/** Where the demo's data set lives, inside the package (shipped: package.json "files"). */
export function demoPaths(): { readonly bankPath: string; readonly expectedPath: string } {
  const folder = join(packageInfo().root, "examples", "demo");
  return { bankPath: join(folder, "bank.json"), expectedPath: join(folder, "expected.csv") };
}

const EXAMPLES = `
By default the demo is the main job, offline: it starts the Plaid emulator in this process,
links a sandbox item of First Platypus Bank with the official Plaid SDK, syncs it into a fresh
SQLite store (demo.db in the data directory: BANKREC_DATA_DIR, else ~/.local/share/bankrec),
writes the emulated business's ledger for its last 30 days (a bookkeeper's dates, split
invoices, processor payouts net of fees, a wire short by a fee, an outstanding check) into the
store, reconciles, stores the run and prints the report.

--sample reconciles the files shipped in examples/demo instead: a month of a small print
shop's books, including an invoice paid in instalments.

Examples:
  $ bankrec demo
  $ bankrec demo --only review
  $ bankrec demo --database postgres://127.0.0.1/books
  $ bankrec demo --sample --out demo-result.json
  $ bankrec demo --format csv | head`;

/** `bankrec demo`: link → sync → reconcile against the emulator, or the shipped sample (--sample). */
export function registerDemo(program: Command, ctx: CliContext): void {
  const command = program
    .command("demo")
    .description(
      "offline main job: link an emulated bank, sync it into the store, reconcile a sample ledger, report",
    )
    .option("--sample", "reconcile the files shipped in examples/demo instead (no emulator, no store)")
    .option(
      "--database <url>",
      "store to use instead of a fresh demo.db (a file path, sqlite:… or postgres://…)",
    );
  addOutputOptions(command);
  addEngineOptions(command);
  command
    .addHelpText("after", EXAMPLES)
    .action(async (flags: LiveDemoFlags & { readonly sample?: boolean }) => {
      if (flags.sample !== true) {
        // Loaded on use: the emulator, the Plaid SDK and the store take a while to load.
        const { runLiveDemo } = await import("./demo-live.js");
        await runLiveDemo(flags, ctx);
        return;
      }
      const paths = demoPaths();
      const title = "Demo: Tidewater Print & Sign Co., March 2025 (examples/demo: bank.json vs expected.csv)";
      await runReconcile({ ...paths, title }, flags, ctx);
    });
}
