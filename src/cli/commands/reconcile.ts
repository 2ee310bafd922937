import { basename, isAbsolute, resolve } from "node:path";
import type { Command } from "commander";
import type { BankAccount, BankTransaction, ExpectedEntry } from "../../domain/index.js";
import type { ProcessorPayout } from "../../domain/payout.js";
import { escapeControls, ImportError } from "../../errors/index.js";
import { checkBalances } from "../../importers/index.js";
import { checkInputFile } from "../../importers/input-file.js";
import { readPayoutReport } from "../../importers/payout-reports/index.js";
import { formatAmountPlain } from "../../money/index.js";
import { RECONCILE_DEFAULTS, type ReconcileResult } from "../../reconcile/index.js";
import { toResultCsv, toResultJsonChunks } from "../../reconcile/result-json.js";
import { type CliContext, colorEnabled } from "../context.js";
import { importFailureJson, UsageError } from "../errors.js";
import {
  defaultThreads,
  LIMITS,
  type OutputChoice,
  type RawEngineFlags,
  type RawOutputFlags,
  toOutputChoice,
  toReadOptions,
  toReconcileOptions,
} from "../options.js";
import { checkOutPath, emit, selectRows, terminated, writeChunks } from "../output.js";
import { Progress } from "../progress.js";
import { renderTable } from "../table.js";
import {
  addStoredRunOptions,
  runStored,
  STORED_EXAMPLES,
  type StoredRunFlags,
  storedOnlyFlag,
} from "./reconcile-stored.js";

export interface ReconcileFlags extends RawEngineFlags, RawOutputFlags, StoredRunFlags {
  readonly bank?: string;
  readonly expected?: string;
  readonly bankFormat?: string;
  readonly settlements?: string;
}

const BANK_FORMATS = ["auto", "plaid-json", "ndjson", "ofx", "camt", "mt940", "csv"] as const;

/** --bank-format, checked before any reading. */
function bankFormatOption(flags: { readonly bankFormat?: string }): {
  format?: (typeof BANK_FORMATS)[number];
} {
  if (flags.bankFormat === undefined) return {};
  const format = BANK_FORMATS.find((f) => f === flags.bankFormat?.trim().toLowerCase());
  if (format === undefined)
    throw new UsageError(
      `--bank-format must be one of ${BANK_FORMATS.join(", ")}, got ${JSON.stringify(flags.bankFormat)}`,
    );
  return { format };
}

const D = RECONCILE_DEFAULTS;

/** The engine and reader options `reconcile` and `demo` share; defaults are read from the engine. */
export function addEngineOptions(command: Command): Command {
  return command
    .option(
      "--currency <code>",
      "currency of rows that name none, and of --tolerance and --near-max (default: USD)",
    )
    .option("--decimal-comma", "amounts are written 1.234,56: in the files and in --tolerance and --near-max")
    .option(
      "--window-before <days>",
      `days a bank row may post before its ledger date (default: ${D.dateWindowBeforeDays})`,
    )
    .option(
      "--window-after <days>",
      `days a bank row may post after its ledger date, e.g. late checks (default: ${D.dateWindowAfterDays})`,
    )
    .option(
      "--tolerance <amount>",
      `amount difference always treated as equal, e.g. 0.01 (default: ${formatAmountPlain(D.amountToleranceMinor, "USD")})`,
    )
    .option(
      "--near-max-ratio <ratio>",
      `largest shortfall of a near-amount match (a wire short by a fee) as a share of the ledger amount (default: ${D.nearAmountMaxRatio})`,
    )
    .option(
      "--near-max <amount>",
      `largest shortfall of a near-amount match (default: ${formatAmountPlain(D.nearAmountMaxMinor, "USD")})`,
    )
    .option(
      "--group-max <rows>",
      `most rows on the many side of a group match, 1 to ${LIMITS.groupSizeMax} (default: ${D.groupSizeMax})`,
    )
    .option(
      "--review-below <confidence>",
      `flag matches less sure than this (0 to 1) for review (default: ${D.reviewBelowConfidence})`,
    )
    .option(
      "--threads <n>",
      `threads for the settlement search on large inputs; the result is the same for any number (default: this machine's, ${defaultThreads()})`,
    );
}

/** The output options `reconcile` and `demo` share. */
export function addOutputOptions(command: Command): Command {
  return command
    .option(
      "-o, --out <file>",
      "write the report to a file instead of stdout; .json or .csv also picks the format",
    )
    .option("-f, --format <format>", "table, json or csv (default: table, or from the --out extension)")
    .option("--json", "same as --format json")
    .option(
      "--only <rows>",
      "list only matched (accepted), review (for a person) or unmatched rows; the summary still covers all",
    );
}

/** Inputs of one run, with how to name them in progress lines. */
export interface RunInputs {
  readonly bankPath: string;
  readonly expectedPath: string;
  /** A payment processor's payout report (Stripe, Square, PayPal), when there is one. */
  readonly settlementsPath?: string;
  /** A line over the table (the demo says what it reconciles). */
  readonly title?: string;
}

export interface Loaded {
  readonly bank: readonly BankTransaction[];
  readonly expected: readonly ExpectedEntry[];
  readonly accounts: readonly BankAccount[];
  /** The payouts of `--settlements`, when it was given. */
  readonly payouts?: readonly ProcessorPayout[];
}

/** A path as the user typed it when it already resolves from here; else made absolute. */
function inputPath(path: string, ctx: CliContext): string {
  return isAbsolute(path) || ctx.cwd === process.cwd() ? path : resolve(ctx.cwd, path);
}

async function load(
  inputs: RunInputs,
  flags: RawEngineFlags,
  ctx: CliContext,
  progress: Progress,
): Promise<Loaded> {
  const bankPath = inputPath(inputs.bankPath, ctx);
  const expectedPath = inputPath(inputs.expectedPath, ctx);
  // A missing ledger (or a device, a directory) is reported before a large bank feed is read.
  await checkInputFile(bankPath);
  await checkInputFile(expectedPath);
  const settlementsPath =
    inputs.settlementsPath === undefined ? undefined : inputPath(inputs.settlementsPath, ctx);
  if (settlementsPath !== undefined) await checkInputFile(settlementsPath);
  const readOptions = toReadOptions(flags);
  // A payout report is small: a bad one is told before a large bank feed is read.
  const payouts =
    settlementsPath === undefined ? undefined : await readPayoutReport(settlementsPath, readOptions);
  // Progress lines name the files: escaped, as everything a file name brings to the terminal.
  const bankLabel = escapeControls(basename(bankPath));
  const feed = await ctx.engine.readBankFile(bankPath, {
    ...readOptions,
    ...bankFormatOption(flags as { readonly bankFormat?: string }),
    onProgress: progress.reading(bankLabel),
  });
  progress.read(bankLabel, feed.transactions.length);
  // A statement whose own balances do not add up may be missing rows: say so before matching,
  // as `bankrec import` does (the rows are still reconciled: unmatched entries will show where).
  if (feed.statementFile !== undefined) {
    for (const check of checkBalances(feed.statementFile)) {
      if (check.status === "break") ctx.stderr.write(`bankrec: warning: ${escapeControls(check.message)}\n`);
    }
  }
  const expectedLabel = escapeControls(basename(expectedPath));
  const expected = await ctx.engine.readExpectedFile(expectedPath, {
    ...readOptions,
    onProgress: progress.reading(expectedLabel),
  });
  progress.read(expectedLabel, expected.length);
  const loaded = { bank: feed.transactions, expected, accounts: feed.accounts };
  return payouts === undefined ? loaded : { ...loaded, payouts };
}

export function render(
  result: ReconcileResult,
  loaded: Loaded,
  choice: OutputChoice,
  ctx: CliContext,
  title: string | undefined,
): Iterable<string> {
  const shown = selectRows(result, choice.only);
  if (choice.format === "json") return toResultJsonChunks(shown);
  // Only the CSV and the table look rows up by id (two maps of a million rows each).
  const bankById = new Map(loaded.bank.map((row) => [row.id, row]));
  const expectedById = new Map(loaded.expected.map((row) => [row.id, row]));
  if (choice.format === "csv") return terminated(toResultCsv(shown, bankById, expectedById));
  const toTerminal = choice.out === undefined;
  // The table gets the whole result: it picks its sections from --only itself and so keeps each
  // match's number the same with and without --only.
  const lines = renderTable(
    { result, bankById, expectedById, accountsById: new Map(loaded.accounts.map((a) => [a.id, a])) },
    {
      color: toTerminal && colorEnabled(ctx.stdout, ctx.env),
      ...(choice.only !== undefined && { only: choice.only }),
      ...(toTerminal &&
        ctx.stdout.isTTY === true &&
        ctx.stdout.columns !== undefined && { widthMax: ctx.stdout.columns }),
      ...(title !== undefined && { title }),
    },
  );
  return terminated(lines);
}

/**
 * One reconciliation from files to a report: check every option first (exit 2 before any
 * reading), read both sides, run the engine, write the report to --out or stdout.
 */
export async function runReconcile(
  inputs: RunInputs,
  flags: RawEngineFlags & RawOutputFlags,
  ctx: CliContext,
) {
  const options = toReconcileOptions(flags);
  bankFormatOption(flags as { readonly bankFormat?: string });
  const choice = toOutputChoice(flags);
  const outPath = choice.out === undefined ? undefined : await checkOutPath(choice.out, ctx.cwd);
  const progress = new Progress(ctx.stderr);
  let loaded: Loaded;
  try {
    loaded = await load(inputs, flags, ctx, progress);
  } catch (error) {
    progress.clear();
    // A program asked for JSON gets the bad rows as JSON too; people read them on stderr.
    if (choice.format === "json" && error instanceof ImportError)
      await writeChunks(ctx.stdout, [importFailureJson(error)]);
    throw error;
  }
  const onProgress = progress.stages(loaded.bank.length + loaded.expected.length);
  const result = ctx.engine.reconcile(loaded.bank, loaded.expected, {
    ...options,
    ...(onProgress !== undefined && { onProgress }),
    ...(loaded.payouts !== undefined && { payouts: loaded.payouts }),
  });
  progress.clear();
  await emit(render(result, loaded, choice, ctx, inputs.title), outPath, ctx.stdout);
}

const EXAMPLES = `
Examples:
  $ bankrec reconcile --bank bank.json --expected ledger.csv
  $ bankrec reconcile --bank bank.ndjson --expected ledger.csv --out result.json
  $ bankrec reconcile --bank bank.json --expected ledger.csv --only review
  $ bankrec reconcile --bank bank.json --expected ledger.csv --format csv > result.csv
  $ bankrec reconcile --bank bank.json --expected ledger.csv --window-after 60 --tolerance 0.01
  $ bankrec reconcile --bank bank.json --expected ledger.csv --settlements stripe-payouts.csv
${STORED_EXAMPLES}

Amounts in the ledger use the natural sign (money in > 0); Plaid's feed is converted as read.
--settlements reads a processor's payout report, told apart by its header: Stripe's itemized
payout reconciliation report (automatic_payout_id, automatic_payout_effective_at,
balance_transaction_id, created, reporting_category, gross, fee, net, currency, description) or
balance export (id, Type, Source, Amount, Fee, Net, Currency, Created (UTC), ..., Transfer),
Square's deposit details (Deposit ID, Deposit Date, Transaction ID, Total Collected, Fees,
Net Total, ...) or PayPal's settlement report (STL). Each payout then matches its bank deposit
and its sales by charge id, or by amount and date; a fee the ledger does not book is kept as
the match's adjustment.
Exit codes: 0 it ran (unmatched rows are a result), 2 bad option, 3 bad or missing input file
(every bad row of the ledger or the payout report is listed; with --json also as "problems"
on stdout), 1 unexpected error (set BANKREC_DEBUG=1 for the stack).`;

/** `bankrec reconcile`: match a bank feed against the ledger's expected entries. */
export function registerReconcile(program: Command, ctx: CliContext): void {
  const command = program
    .command("reconcile")
    .description("match a bank feed against the ledger's expected entries and report matches and leftovers")
    .option(
      "--bank <file>",
      "(required without --stored) bank feed: Plaid /transactions/get JSON, NDJSON, a sync dump, or a statement file (OFX/QFX, CAMT, MT940, bank CSV)",
    )
    .option(
      "--bank-format <format>",
      "auto, plaid-json, ndjson, ofx, camt, mt940 or csv (default: auto, from the content)",
    )
    .option(
      "--expected <file>",
      "(required without --stored) ledger entries: CSV (id,date,amount,currency,description,counterparty,reference,account_id) or JSON",
    )
    .option(
      "--settlements <file>",
      "a payment processor's payout report: Stripe payout reconciliation or balance export, Square deposit details, PayPal settlement report (CSV)",
    );
  addStoredRunOptions(command);
  addOutputOptions(command);
  addEngineOptions(command);
  command.addHelpText("after", EXAMPLES).action(async (flags: ReconcileFlags) => {
    if (flags.stored === true) {
      for (const [flag, given] of [
        ["--bank", flags.bank],
        ["--expected", flags.expected],
        ["--settlements", flags.settlements],
        ["--bank-format", flags.bankFormat],
      ] as const)
        if (given !== undefined)
          throw new UsageError(`--stored reconciles the books in the store: leave out ${flag}`);
      await runStored(flags, ctx);
      return;
    }
    const onlyStored = storedOnlyFlag(flags);
    if (onlyStored !== undefined)
      throw new UsageError(`${onlyStored} goes with --stored (a run over the store)`);
    // Required without --stored, in commander's own words.
    if (flags.bank === undefined) throw new UsageError("required option '--bank <file>' not specified");
    if (flags.expected === undefined)
      throw new UsageError("required option '--expected <file>' not specified");
    await runReconcile(
      {
        bankPath: flags.bank,
        expectedPath: flags.expected,
        ...(flags.settlements !== undefined && { settlementsPath: flags.settlements }),
      },
      flags,
      ctx,
    );
  });
}
