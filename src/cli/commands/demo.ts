import { join } from "node:path";
import type { Command } from "commander";
import type { CliContext } from "../context.js";
import type { RawEngineFlags, RawOutputFlags } from "../options.js";
import { packageInfo } from "../package-root.js";
import { addEngineOptions, addOutputOptions, runReconcile } from "./reconcile.js";

/** Where the demo's data set lives, inside the package (shipped: package.json "files"). */
export function demoPaths(): { readonly bankPath: string; readonly expectedPath: string } {
  const folder = join(packageInfo().root, "examples", "demo");
  return { bankPath: join(folder, "bank.json"), expectedPath: join(folder, "expected.csv") };
}

const EXAMPLES = `
The demo is a month of a small print shop's books: 2 bank accounts (checking and a card)
against its ledger. It shows batch deposits, a processor payout net of fees, an invoice paid
in instalments, a wire short by a fee, a late check, a pending charge, and rows with no partner.

Examples:
  $ bankrec demo
  $ bankrec demo --only review
  $ bankrec demo --out demo-result.json
  $ bankrec demo --format csv | head`;

/** `bankrec demo`: reconcile the sample data set the package ships. */
export function registerDemo(program: Command, ctx: CliContext): void {
  const command = program
    .command("demo")
    .description("reconcile the sample month shipped in examples/demo and print the report");
  addOutputOptions(command);
  addEngineOptions(command);
  command.addHelpText("after", EXAMPLES).action(async (flags: RawEngineFlags & RawOutputFlags) => {
    const paths = demoPaths();
    const title = "Demo: Tidewater Print & Sign Co., March 2025 (examples/demo: bank.json vs expected.csv)";
    await runReconcile({ ...paths, title }, flags, ctx);
  });
}
