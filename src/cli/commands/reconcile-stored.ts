import type { Command } from "commander";
import { formatAmount, isCurrencyCode, MoneyParseError, parseAmount } from "../../money/index.js";
import type { Store } from "../../store/index.js";
import type { RunOutcome, RunStatement } from "../../workflow/index.js";
import type { CliContext } from "../context.js";
import { UsageError } from "../errors.js";
import {
  dateFlag,
  type RawEngineFlags,
  type RawOutputFlags,
  toOutputChoice,
  toReconcileOptions,
  unitInterval,
} from "../options.js";
import { checkOutPath, emit } from "../output.js";
import { Progress } from "../progress.js";
import { openCliStore } from "../store-options.js";
import { render } from "./reconcile.js";
import { actorOf } from "./workflow-options.js";

/**
 * `bankrec reconcile --stored`: a run of the reconciliation workflow over the books in the
 * store (see workflow/runs.ts), reported as `reconcile` reports a run over files.
 */

export interface StoredRunFlags {
  readonly stored?: boolean;
  readonly account?: string;
  readonly from?: string;
  readonly to?: string;
  readonly autoAccept?: string;
  readonly statementBalance?: string;
  readonly statementDate?: string;
  readonly actor?: string;
  readonly database?: string;
}

export const STORED_EXAMPLES = `  $ bankrec reconcile --stored --from 2026-05-01 --to 2026-05-31
  $ bankrec reconcile --stored --account ACCOUNT_ID --from 2026-05-01 --to 2026-05-31 --auto-accept 0.97
  $ bankrec reconcile --stored --from 2026-05-01 --to 2026-05-31 --out may.csv --format csv
  $ bankrec reconcile --stored --account ACCOUNT_ID --from 2026-05-01 --to 2026-05-31 \\
      --statement-balance 12408.17 --statement-date 2026-05-31

--stored reconciles the books in the store (bankrec sync or import; bankrec ledger import):
the bank rows of the period (of --account, or all) and the ledger entries they could match
that no accepted match holds. Proposals at least --auto-accept sure (default 0.95: on the
benchmark's public data every match that sure was right), not flagged and with no pending row
are accepted (actor "auto"); the rest wait in bankrec review. The run is recorded; its proposals replace the
open proposals of earlier runs over the same rows; decisions stay; pairings people rejected
are never proposed again. --out/--format write the run's result as reconcile writes it.
An unknown --account or a statement balance in another currency than the account's exits 3.`;

/** Adds the options of a run over the store. */
export function addStoredRunOptions(command: Command): Command {
  return command
    .option("--stored", "reconcile the books in the store instead of files (a recorded run; see below)")
    .option("--account <id>", "with --stored: only this bank account (default: all)")
    .option("--from <date>", "with --stored: the first bank date, YYYY-MM-DD")
    .option("--to <date>", "with --stored: the last bank date, YYYY-MM-DD")
    .option(
      "--auto-accept <confidence>",
      "with --stored: accept proposals at least this sure (default: 0.95)",
    )
    .option(
      "--statement-balance <amount>",
      "with --stored: the statement's closing balance (kept with the run)",
    )
    .option("--statement-date <date>", "with --stored: the day the statement balance holds at")
    .option("--actor <name>", "with --stored: who runs it, recorded (default: your user name)")
    .option("--database <url>", "with --stored: the store (default: DATABASE_URL)");
}

/** The first option given that only a run over the store takes. */
export function storedOnlyFlag(flags: StoredRunFlags): string | undefined {
  const names: readonly (readonly [keyof StoredRunFlags, string])[] = [
    ["account", "--account"],
    ["from", "--from"],
    ["to", "--to"],
    ["autoAccept", "--auto-accept"],
    ["statementBalance", "--statement-balance"],
    ["statementDate", "--statement-date"],
    ["actor", "--actor"],
    ["database", "--database"],
  ];
  return names.find(([key]) => flags[key] !== undefined)?.[1];
}

interface Checked {
  readonly from: string;
  readonly to: string;
  readonly accountId?: string;
  readonly autoAccept?: number;
  readonly statement?: { readonly balance: string; readonly date: string };
}

function checked(flags: StoredRunFlags): Checked {
  const from = dateFlag("--from", flags.from);
  const to = dateFlag("--to", flags.to);
  if (from === undefined || to === undefined)
    throw new UsageError("--stored needs --from and --to: the bank dates of the run");
  if (from > to) throw new UsageError(`--from ${from} is after --to ${to}`);
  if ((flags.statementBalance === undefined) !== (flags.statementDate === undefined))
    throw new UsageError("give --statement-balance and --statement-date together");
  const statementDate = dateFlag("--statement-date", flags.statementDate);
  if (flags.statementBalance !== undefined && flags.account === undefined)
    throw new UsageError("a statement balance belongs to one account: give --account");
  const accountId = flags.account?.trim();
  if (accountId === "") throw new UsageError("--account needs an account id");
  return {
    from,
    to,
    ...(accountId !== undefined && { accountId }),
    ...(flags.autoAccept !== undefined && { autoAccept: unitInterval("--auto-accept", flags.autoAccept) }),
    ...(flags.statementBalance !== undefined &&
      statementDate !== undefined && { statement: { balance: flags.statementBalance, date: statementDate } }),
  };
}

/**
 * The statement balance in minor units: in the currency written with it (`12408.17 EUR`), else
 * the account's. A currency other than the account's is the library's to refuse (exit 3).
 */
async function statementOf(
  store: Store,
  accountId: string,
  statement: { readonly balance: string; readonly date: string },
): Promise<RunStatement> {
  const code = /([A-Za-z]{3})\s*$|^\s*([A-Za-z]{3})/.exec(statement.balance);
  const written = (code?.[1] ?? code?.[2])?.toUpperCase();
  if (written !== undefined && !isCurrencyCode(written))
    throw new UsageError(`--statement-balance: ${written} is not a currency code`);
  const { accountFacts } = await import("../../store/workflow-rows.js");
  const facts = await accountFacts(store.db, store.tenantId, accountId);
  const currency = written ?? facts?.currencies[0] ?? "USD";
  try {
    return { date: statement.date, balanceMinor: parseAmount(statement.balance, { currency }), currency };
  } catch (error) {
    if (!(error instanceof MoneyParseError)) throw error;
    throw new UsageError(
      `--statement-balance must be an amount in ${currency} such as 12408.17, got ${JSON.stringify(statement.balance)}`,
    );
  }
}

/** `bankrec reconcile --stored …`. */
export async function runStored(
  flags: StoredRunFlags & RawEngineFlags & RawOutputFlags,
  ctx: CliContext,
): Promise<void> {
  const options = toReconcileOptions(flags);
  const choice = toOutputChoice(flags);
  const scope = checked(flags);
  const actor = actorOf(flags, ctx);
  const outPath = choice.out === undefined ? undefined : await checkOutPath(choice.out, ctx.cwd);
  const [{ runReconciliation }, { listAccounts }] = await Promise.all([
    import("../../workflow/runs.js"),
    import("../../store/index.js"),
  ]);
  const store = await openCliStore(flags, ctx);
  const progress = new Progress(ctx.stderr);
  try {
    const statement =
      scope.statement === undefined
        ? undefined
        : await statementOf(store, scope.accountId ?? "", scope.statement);
    const run = await runReconciliation(
      store,
      {
        from: scope.from,
        to: scope.to,
        ...(scope.accountId !== undefined && { accountId: scope.accountId }),
      },
      {
        actor,
        ...(scope.autoAccept !== undefined && { autoAcceptConfidence: scope.autoAccept }),
        ...(statement !== undefined && { statement }),
        reconcile: options,
        engine: (bank, expected, engineOptions) => {
          const onProgress = progress.stages(bank.length + expected.length);
          return ctx.engine.reconcile(bank, expected, {
            ...engineOptions,
            ...(onProgress !== undefined && { onProgress }),
          });
        },
      },
    );
    progress.clear();
    const accounts = await listAccounts(store);
    const loaded = { bank: run.bank, expected: run.expected, accounts };
    await emit(render(run.result, loaded, choice, ctx, titleOf(run, scope)), outPath, ctx.stdout);
    if (choice.format === "table" || outPath !== undefined)
      ctx.stdout.write(`${summaryLine(run, statement)}\n`);
  } finally {
    progress.clear();
    await store.close();
  }
}

function titleOf(run: RunOutcome, scope: Checked): string {
  return (
    `Run ${run.runId}: ${scope.accountId === undefined ? "every account" : `account ${scope.accountId}`}, ${scope.from} to ${scope.to} ` +
    `(${run.counts.bankRows} open bank rows; ${run.counts.ledgerEntries} open ledger entries dated ${run.ledgerFrom} to ${run.ledgerTo})`
  );
}

function summaryLine(run: RunOutcome, statement: RunStatement | undefined): string {
  const c = run.counts;
  const parts = [
    `run ${run.runId}: ${c.proposed} proposed`,
    `${c.autoAccepted} accepted automatically`,
    `${c.waiting} waiting for review (bankrec review)`,
  ];
  if (c.superseded > 0) parts.push(`${c.superseded} earlier proposals replaced`);
  if (c.droppedRejected > 0) parts.push(`${c.droppedRejected} rejected pairings left out`);
  if (c.learnedAliases > 0) parts.push(`${c.learnedAliases} learned aliases used`);
  if (statement !== undefined)
    parts.push(
      `statement balance ${formatAmount(statement.balanceMinor, statement.currency)} ${statement.currency} on ${statement.date} kept`,
    );
  return parts.join("; ");
}
