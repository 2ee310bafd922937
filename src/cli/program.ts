import { Command } from "commander";
import { registerAccounts } from "./commands/accounts.js";
import { registerBalances } from "./commands/balances.js";
import { registerCategories } from "./commands/categories.js";
import { registerClose } from "./commands/close.js";
import { registerDemo } from "./commands/demo.js";
import { registerEmulator } from "./commands/emulator.js";
import { registerHoldings } from "./commands/holdings.js";
import { registerImport } from "./commands/import.js";
import { registerItems } from "./commands/items.js";
import { registerKeys } from "./commands/keys.js";
import { registerLedger } from "./commands/ledger.js";
import { registerLiabilities } from "./commands/liabilities.js";
import { registerLink } from "./commands/link.js";
import { registerMatch } from "./commands/match.js";
import { registerReconcile } from "./commands/reconcile.js";
import { registerReopen } from "./commands/reopen.js";
import { registerReview } from "./commands/review.js";
import { registerRules } from "./commands/rules.js";
import { registerSpending } from "./commands/spending.js";
import { registerSync } from "./commands/sync.js";
import { registerTransactions } from "./commands/transactions.js";
import { type CliContext, processContext } from "./context.js";
import { type ExitCode, reportError } from "./errors.js";
import { packageInfo } from "./package-root.js";

const EXAMPLES = `
Examples:
  $ bankrec demo                                          link an emulated bank, sync, reconcile (offline)
  $ bankrec reconcile --bank bank.json --expected ledger.csv
  $ bankrec reconcile --bank bank.json --expected ledger.csv --out result.json
  $ bankrec reconcile --help                              every matching option
  $ bankrec import statement.ofx                          summarize a statement file, check balances
  $ bankrec emulator --port 4010                          a local Plaid for development
  $ bankrec link                                          a sandbox item, stored and synced
  $ bankrec sync                                          new transactions for every item
  $ bankrec transactions --from 2026-06-01 --search coffee
  $ bankrec spending --from 2026-06-01 --to 2026-06-30  income, expenses, categories, merchants
  $ bankrec rules add --merchant-contains uber --category TRANSPORTATION_TAXIS_AND_RIDE_SHARES
  $ bankrec ledger import ledger.csv                      the ledger into the store
  $ bankrec reconcile --stored --from 2026-05-01 --to 2026-05-31   a recorded run over the store
  $ bankrec review                                        proposals waiting for a person
  $ bankrec match TXN_ID INV-1,INV-2 --adjust -12.50 --reason fee
  $ bankrec close --account ACCOUNT_ID --through 2026-05-31

The store is DATABASE_URL (or --database): a file path, sqlite:PATH or postgres://…
Exit codes: 0 it ran, 2 bad option, 3 bad or missing input (a file, an id, a decision
that cannot be taken: nothing changed), 4 Plaid failed,
5 another sync holds the item, 1 unexpected error.`;

/** Commander's own messages ("error: unknown option '--x'") in bankrec's one-line form. */
function commanderLine(text: string): string {
  const flat = text.replace(/\s*\r?\n\s*/g, " ").trim();
  return `bankrec: ${flat.replace(/^error:\s*/, "")}\n`;
}

/**
 * The `bankrec` program, writing only through `ctx`: tests run it in-process with their own
 * streams. Commander never exits the process here; `runCli` turns outcomes into exit codes.
 *
 * @example
 * await buildProgram(ctx).parseAsync(["demo", "--json"], { from: "user" });
 */
export function buildProgram(ctx: CliContext = processContext()): Command {
  const program = new Command("bankrec")
    .description(
      "Reconcile bank feeds (Plaid JSON, NDJSON, OFX, CAMT, MT940, bank CSV) against your ledger's expected entries.",
    )
    .version(packageInfo().version, "-V, --version", "print the version")
    .helpOption("-h, --help", "show help")
    .exitOverride()
    .configureOutput({
      writeOut: (text) => ctx.stdout.write(text),
      writeErr: (text) => ctx.stderr.write(text),
      outputError: (text, write) => write(commanderLine(text)),
      getOutHelpWidth: () => (ctx.stdout.isTTY === true ? (ctx.stdout.columns ?? 80) : 100),
      getErrHelpWidth: () => (ctx.stderr.isTTY === true ? (ctx.stderr.columns ?? 80) : 100),
    })
    .addHelpText("after", EXAMPLES)
    .showSuggestionAfterError(true);
  // Subcommands copy the settings above when created, so they are registered last.
  registerReconcile(program, ctx);
  registerDemo(program, ctx);
  registerImport(program, ctx);
  registerEmulator(program, ctx);
  registerLink(program, ctx);
  registerItems(program, ctx);
  registerSync(program, ctx);
  registerAccounts(program, ctx);
  registerBalances(program, ctx);
  registerTransactions(program, ctx);
  registerSpending(program, ctx);
  registerCategories(program, ctx);
  registerRules(program, ctx);
  registerHoldings(program, ctx);
  registerLiabilities(program, ctx);
  registerKeys(program, ctx);
  registerLedger(program, ctx);
  registerReview(program, ctx);
  registerMatch(program, ctx);
  registerClose(program, ctx);
  registerReopen(program, ctx);
  program.helpCommand("help [command]", "show help for a command");
  return program;
}

/**
 * Runs bankrec with `argv` (without node and the script) and returns the exit code: 0 it ran,
 * 2 bad usage, 3 bad input file, 4 Plaid failed, 5 busy, 1 unexpected. Errors are reported on `ctx.stderr` in one line.
 */
export async function runCli(argv: readonly string[], ctx: CliContext = processContext()): Promise<ExitCode> {
  try {
    await buildProgram(ctx).parseAsync([...argv], { from: "user" });
    return 0;
  } catch (error) {
    return reportError(error, ctx);
  }
}
