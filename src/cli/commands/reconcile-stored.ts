import { basename, isAbsolute, resolve } from "node:path";
import type { Command } from "commander";
import { escapeControls, InputError } from "../../errors/index.js";
import type { StatementFile, StatementFormat } from "../../importers/statement.js";
import {
  formatAmount,
  formatAmountPlain,
  isCurrencyCode,
  MoneyParseError,
  parseAmount,
} from "../../money/index.js";
import type { Store } from "../../store/index.js";
import type { RunOutcome, RunStatement } from "../../workflow/index.js";
import type { StatementCheck, StatementCheckItem } from "../../workflow/statement-check.js";
import type { CliContext } from "../context.js";
import { UsageError } from "../errors.js";
import {
  dateFlag,
  type RawEngineFlags,
  type RawOutputFlags,
  toOutputChoice,
  toReadOptions,
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
  readonly statement?: string;
  readonly openingBalance?: string;
  readonly actor?: string;
  readonly database?: string;
}

export const STORED_EXAMPLES = `  $ bankrec reconcile --stored --from 2026-05-01 --to 2026-05-31
  $ bankrec reconcile --stored --account ACCOUNT_ID --from 2026-05-01 --to 2026-05-31 --auto-accept 0.97
  $ bankrec reconcile --stored --from 2026-05-01 --to 2026-05-31 --out may.csv --format csv
  $ bankrec reconcile --stored --account ACCOUNT_ID --from 2026-05-01 --to 2026-05-31 \\
      --statement-balance 12408.17 --statement-date 2026-05-31 --opening-balance 9650.00
  $ bankrec reconcile --stored --account ACCOUNT_ID --from 2026-05-01 --to 2026-05-31 --statement may.ofx

--stored reconciles the books in the store (bankrec sync or import; bankrec ledger import):
the bank rows of the period (of --account, or all) and the ledger entries they could match
that no accepted match holds. Proposals at least --auto-accept sure (default 0.95: on the
benchmark's public data every match that sure was right), not flagged and with no pending row
are accepted (actor "auto"); the rest wait in bankrec review. The run is recorded; its proposals replace the
open proposals of earlier runs over the same rows; decisions stay; pairings people rejected
are never proposed again. --out/--format write the run's result as reconcile writes it.
With a statement balance (typed, or the closing balance of an OFX, CAMT or MT940 file: the
file's account whose id, IBAN or number is the account's, or ends with its mask), the run
then compares it with the books' balance at the statement date: --opening-balance (the
ledger's balance before its first entry, default 0) plus the account's ledger entries dated
on or before it (entries naming no account count once accepted with the account's bank rows).
When they differ, it shows the smallest sets of uncleared items (bank rows not in the books,
ledger entries not on the statement) that explain the difference, likeliest first.
An unknown --account or a statement balance in another currency than the account's exits 3
before anything is recorded.`;

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
    .option(
      "--statement-date <date>",
      "with --stored: the day the statement balance holds at (with --statement: the latest balance on or before it)",
    )
    .option(
      "--statement <file>",
      "with --stored: read the statement's closing balance from an OFX, CAMT or MT940 file",
    )
    .option(
      "--opening-balance <amount>",
      "with --stored and a statement: the books' balance before the ledger's first entry (default: 0)",
    )
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
    ["statement", "--statement"],
    ["openingBalance", "--opening-balance"],
    ["actor", "--actor"],
    ["database", "--database"],
  ];
  return names.find(([key]) => flags[key] !== undefined)?.[1];
}

/** A statement balance as given: typed with its date, or a file to read it from. */
type StatementGiven =
  | { readonly kind: "typed"; readonly balance: string; readonly date: string }
  | { readonly kind: "file"; readonly path: string; readonly onOrBefore?: string };

interface Checked {
  readonly from: string;
  readonly to: string;
  readonly accountId?: string;
  readonly autoAccept?: number;
  readonly statement?: StatementGiven;
  readonly openingBalance?: string;
}

function checked(flags: StoredRunFlags): Checked {
  const from = dateFlag("--from", flags.from);
  const to = dateFlag("--to", flags.to);
  if (from === undefined || to === undefined)
    throw new UsageError("--stored needs --from and --to: the bank dates of the run");
  if (from > to) throw new UsageError(`--from ${from} is after --to ${to}`);
  if (flags.statementBalance !== undefined && flags.statement !== undefined)
    throw new UsageError("give --statement-balance or --statement, not both");
  if (
    flags.statement === undefined &&
    (flags.statementBalance === undefined) !== (flags.statementDate === undefined)
  )
    throw new UsageError("give --statement-balance and --statement-date together");
  const statementDate = dateFlag("--statement-date", flags.statementDate);
  const given = flags.statementBalance !== undefined || flags.statement !== undefined;
  if (given && flags.account === undefined)
    throw new UsageError("a statement balance belongs to one account: give --account");
  if (flags.openingBalance !== undefined && !given)
    throw new UsageError("--opening-balance goes with --statement-balance or --statement");
  if (flags.statement?.trim() === "") throw new UsageError("--statement needs a file");
  const accountId = flags.account?.trim();
  if (accountId === "") throw new UsageError("--account needs an account id");
  let statement: StatementGiven | undefined;
  if (flags.statement !== undefined)
    statement = {
      kind: "file",
      path: flags.statement,
      ...(statementDate !== undefined && { onOrBefore: statementDate }),
    };
  else if (flags.statementBalance !== undefined && statementDate !== undefined)
    statement = { kind: "typed", balance: flags.statementBalance, date: statementDate };
  return {
    from,
    to,
    ...(accountId !== undefined && { accountId }),
    ...(flags.autoAccept !== undefined && { autoAccept: unitInterval("--auto-accept", flags.autoAccept) }),
    ...(statement !== undefined && { statement }),
    ...(flags.openingBalance !== undefined && { openingBalance: flags.openingBalance }),
  };
}

/** An amount option written in the currency given or with its own code (`12408.17 EUR`). */
function amountOption(flag: string, text: string, currency: string): { minor: number; currency: string } {
  const code = /([A-Za-z]{3})\s*$|^\s*([A-Za-z]{3})/.exec(text);
  const written = (code?.[1] ?? code?.[2])?.toUpperCase();
  if (written !== undefined && !isCurrencyCode(written))
    throw new UsageError(`${flag}: ${written} is not a currency code`);
  const wanted = written ?? currency;
  try {
    return { minor: parseAmount(text, { currency: wanted }), currency: wanted };
  } catch (error) {
    if (!(error instanceof MoneyParseError)) throw error;
    throw new UsageError(
      `${flag} must be an amount in ${wanted} such as 12408.17, got ${JSON.stringify(text)}`,
    );
  }
}

/** Where the statement balance came from. */
type StatementSource =
  | { readonly kind: "typed" }
  | {
      readonly kind: "file";
      readonly file: string;
      readonly format: StatementFormat;
      /** The statement in the file (1-based), its line and the account the file names. */
      readonly statement: number;
      readonly line: number;
      readonly accountId: string;
    };

interface ResolvedStatement {
  readonly run: RunStatement;
  readonly source: StatementSource;
}

/**
 * A typed statement balance in minor units: in the currency written with it (`12408.17 EUR`),
 * else the account's. A currency other than the account's is the library's to refuse (exit 3).
 */
async function typedStatement(
  store: Store,
  accountId: string,
  statement: { readonly balance: string; readonly date: string },
): Promise<ResolvedStatement> {
  const { accountFacts } = await import("../../store/workflow-rows.js");
  const facts = await accountFacts(store.db, store.tenantId, accountId);
  const amount = amountOption("--statement-balance", statement.balance, facts?.currencies[0] ?? "USD");
  return {
    run: { date: statement.date, balanceMinor: amount.minor, currency: amount.currency },
    source: { kind: "typed" },
  };
}

/**
 * Reads a statement file as `bankrec import` does (any format it reads; a bad file exits 3
 * before the store is opened); a statement naming no account is taken as `accountId`'s.
 */
async function readStatement(
  path: string,
  accountId: string,
  flags: RawEngineFlags,
  ctx: CliContext,
): Promise<StatementFile> {
  const [{ readStatementFile }, { checkBalances }] = await Promise.all([
    import("../../importers/statement-file.js"),
    import("../../importers/balance-check.js"),
  ]);
  const where = isAbsolute(path) || ctx.cwd === process.cwd() ? path : resolve(ctx.cwd, path);
  const { currency, decimalSeparator } = toReadOptions(flags);
  const read = await readStatementFile(where, {
    accountId,
    ...(currency !== undefined && { currency }),
    ...(decimalSeparator !== undefined && { decimalSeparator }),
  });
  const file = { ...read, file: path };
  // A statement whose balances do not add up may be missing rows: said, as import and reconcile do.
  for (const check of checkBalances(file))
    if (check.status === "break") ctx.stderr.write(`bankrec: warning: ${escapeControls(check.message)}\n`);
  return file;
}

/** The closing balance a statement file states for the stored account (see statementBalanceForAccount). */
async function fileStatement(
  store: Store,
  accountId: string,
  file: StatementFile,
  onOrBefore: string | undefined,
): Promise<ResolvedStatement> {
  const [{ accountFacts }, { statementBalanceForAccount }] = await Promise.all([
    import("../../store/workflow-rows.js"),
    import("../../workflow/statement-check.js"),
  ]);
  if ((await accountFacts(store.db, store.tenantId, accountId)) === null)
    throw new InputError(`no account "${accountId}" in this store`);
  const account = await store.db
    .selectFrom("accounts")
    .select("mask")
    .where("tenant_id", "=", store.tenantId)
    .where("id", "=", accountId)
    .executeTakeFirst();
  const closing = statementBalanceForAccount(
    file,
    { id: accountId, mask: account?.mask ?? null },
    onOrBefore === undefined ? {} : { onOrBefore },
  );
  return {
    run: { date: closing.date, balanceMinor: closing.amountMinor, currency: closing.currency },
    source: {
      kind: "file",
      file: closing.file,
      format: closing.format,
      statement: closing.statement,
      line: closing.line,
      accountId: closing.accountId,
    },
  };
}

/** `--opening-balance` in the statement's currency (another one written with it exits 3). */
function openingOf(text: string | undefined, statement: RunStatement): number {
  if (text === undefined) return 0;
  const amount = amountOption("--opening-balance", text, statement.currency);
  if (amount.currency !== statement.currency)
    throw new InputError(
      `the opening balance ${formatAmount(amount.minor, amount.currency)} is in ${amount.currency}, but the statement balance is in ${statement.currency}`,
    );
  return amount.minor;
}

/** The statement balance against the books' balance at its date, explained (after the run). */
async function statementCheckOf(
  store: Store,
  accountId: string,
  statement: RunStatement,
  openingMinor: number,
): Promise<{ readonly check: StatementCheck; readonly notRead: { bank: number; ledger: number } }> {
  const [{ booksAtDate }, { checkStatementBalance }] = await Promise.all([
    import("../../store/workflow-balance.js"),
    import("../../workflow/statement-check.js"),
  ]);
  const books = await booksAtDate(store.db, store.tenantId, { accountId, date: statement.date });
  const check = checkStatementBalance({
    statement: { amountMinor: statement.balanceMinor, currency: statement.currency, date: statement.date },
    openingMinor,
    ledger: books.ledger,
    adjustments: books.adjustments,
    openItems: books.openItems,
  });
  return { check, notRead: books.openItemsNotRead };
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
  const accountId = scope.accountId ?? "";
  // A statement file that cannot be read is told before the store is opened.
  const statementFile =
    scope.statement?.kind === "file"
      ? await readStatement(scope.statement.path, accountId, flags, ctx)
      : undefined;
  const [{ runReconciliation }, { listAccounts }] = await Promise.all([
    import("../../workflow/runs.js"),
    import("../../store/index.js"),
  ]);
  const store = await openCliStore(flags, ctx);
  const progress = new Progress(ctx.stderr);
  try {
    // Everything about the statement is checked before the run records anything.
    const given = scope.statement;
    const statement =
      given === undefined
        ? undefined
        : given.kind === "typed"
          ? await typedStatement(store, accountId, given)
          : await fileStatement(store, accountId, statementFile as StatementFile, given.onOrBefore);
    const openingMinor = statement === undefined ? 0 : openingOf(scope.openingBalance, statement.run);
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
        ...(statement !== undefined && { statement: statement.run }),
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
    const outcome =
      statement === undefined
        ? undefined
        : await statementCheckOf(store, accountId, statement.run, openingMinor);
    const accounts = await listAccounts(store);
    const loaded = { bank: run.bank, expected: run.expected, accounts };
    const report = render(run.result, loaded, choice, ctx, titleOf(run, scope));
    const withCheck =
      outcome === undefined || statement === undefined || choice.format !== "json"
        ? report
        : withJsonKey(report, "statement_check", statementCheckJson(accountId, statement, outcome));
    await emit(withCheck, outPath, ctx.stdout);
    const lines =
      outcome === undefined || statement === undefined ? [] : statementCheckLines(statement, outcome);
    if (choice.format === "table" || outPath !== undefined) {
      ctx.stdout.write(`${summaryLine(run, statement?.run)}\n`);
      for (const line of lines) ctx.stdout.write(`${line}\n`);
    } else if (choice.format === "csv") for (const line of lines) ctx.stderr.write(`${line}\n`);
  } finally {
    progress.clear();
    await store.close();
  }
}

/** Result JSON chunks (ending `\n}\n`) with one more key before the closing brace. */
function* withJsonKey(chunks: Iterable<string>, key: string, value: unknown): Generator<string> {
  let held: string | undefined;
  for (const chunk of chunks) {
    if (held !== undefined) yield held;
    held = chunk;
  }
  if (held === undefined || !held.endsWith("}\n")) throw new Error("the result JSON does not end with }");
  const head = held.slice(0, held.lastIndexOf("}")).replace(/\n$/, "");
  yield `${head},\n${JSON.stringify(key)}: ${JSON.stringify(value, null, 2)}\n}\n`;
}

type CheckOutcome = Awaited<ReturnType<typeof statementCheckOf>>;

function itemJson(item: StatementCheckItem) {
  return {
    side: item.side,
    id: item.id,
    date: item.date,
    amount: formatAmountPlain(item.amountMinor, item.currency),
    currency: item.currency,
    description: item.description,
  };
}

/** The statement check for scripts: the balances, the difference and the ranked candidate sets. */
function statementCheckJson(
  accountId: string,
  statement: ResolvedStatement,
  { check, notRead }: CheckOutcome,
) {
  const e = check.explanation;
  const money = (minor: number) => formatAmountPlain(minor, e.currency);
  const source = statement.source;
  return {
    account_id: accountId,
    date: e.date,
    currency: e.currency,
    source:
      source.kind === "typed"
        ? { kind: "typed" }
        : {
            kind: "file",
            file: source.file,
            format: source.format,
            statement: source.statement,
            line: source.line,
            account_id: source.accountId,
          },
    statement_balance: money(e.statementMinor),
    books_balance: money(e.booksMinor),
    difference: money(e.differenceMinor),
    opening_balance: money(check.openingMinor),
    ledger_total: money(check.ledgerMinor),
    ledger_entries: check.ledgerEntries,
    adjustments_total: money(check.adjustmentsMinor),
    adjustments: check.adjustmentCount,
    kind: e.kind,
    explained: e.explained,
    message: e.message,
    open_items: { offered: e.searched.itemsOffered, searched: e.searched.items, not_read: notRead },
    left_out: {
      ledger_entries: check.leftOut.ledgerEntries,
      adjustments: check.leftOut.adjustments,
      open_items: check.leftOut.openItems,
      currencies: check.leftOut.currencies,
      after_date: e.searched.itemsSkipped.afterDate,
      zero: e.searched.itemsSkipped.zero,
      pool: e.searched.itemsSkipped.pool,
    },
    search: {
      combinations: e.searched.combinations,
      complete_up_to_items: e.searched.completeUpToItems,
      candidates_found: e.searched.candidatesFound,
      truncated: e.searched.truncated,
      truncated_by: e.searched.truncatedBy,
    },
    candidates: e.candidates.map((c) => ({
      total: money(c.totalMinor),
      days_before_sum: c.daysBeforeSum,
      items: c.items.map(itemJson),
    })),
  };
}

/** The statement check for people: the verdict, how the books add up, the candidate sets. */
function statementCheckLines(statement: ResolvedStatement, { check, notRead }: CheckOutcome): string[] {
  const e = check.explanation;
  const money = (minor: number) => formatAmount(minor, e.currency);
  const count = (n: number, one: string, many: string) =>
    `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;
  const source = statement.source;
  const lines = [`statement check: ${e.message}`];
  if (source.kind === "file")
    lines.push(
      `  statement: ${basename(source.file)} (${source.format}, statement ${source.statement} at line ${source.line}, account ${source.accountId === "" ? "(none named)" : source.accountId})`,
    );
  lines.push(
    `  books: opening ${money(check.openingMinor)} + ${count(check.ledgerEntries, "ledger entry", "ledger entries")} ${money(check.ledgerMinor)}` +
      (check.adjustmentCount === 0
        ? ""
        : ` + ${count(check.adjustmentCount, "adjustment", "adjustments")} ${money(check.adjustmentsMinor)}`) +
      ` = ${money(check.booksMinor)} ${e.currency} on ${e.date}`,
  );
  const left = check.leftOut;
  if (left.ledgerEntries + left.adjustments + left.openItems > 0)
    lines.push(
      `  left out, in ${left.currencies.join(", ")} (not converted): ${count(left.ledgerEntries, "ledger entry", "ledger entries")}, ${count(left.adjustments, "adjustment", "adjustments")}, ${count(left.openItems, "open item", "open items")}`,
    );
  if (notRead.bank + notRead.ledger > 0)
    lines.push(`  ${count(notRead.bank + notRead.ledger, "older open item", "older open items")} not read`);
  if (e.kind === "unexplained")
    lines.push(
      "  something outside the open items makes the difference: a wrong amount, a missing entry, the opening balance",
    );
  else if (e.kind === "truncated")
    lines.push(
      `  the search stopped short (${e.searched.truncatedBy.join(", ")}): a smaller period or fewer open items may find it`,
    );
  e.candidates.forEach((candidate, i) => {
    lines.push(
      `  ${e.candidates.length === 1 ? "the items" : `candidate ${i + 1}`} (${count(candidate.items.length, "item", "items")}, ${money(candidate.totalMinor)}):`,
    );
    const rows = candidate.items.map((item) => [
      item.side === "bank" ? "bank row" : "ledger entry",
      item.id,
      item.date,
      formatAmount(item.amountMinor, item.currency),
      item.side === "bank" ? "not in the books" : "not on the statement",
      item.description,
    ]);
    const widths = [0, 1, 2, 3, 4].map((c) => Math.max(...rows.map((r) => (r[c] as string).length)));
    for (const row of rows)
      lines.push(
        `    ${row
          .map((cell, c) =>
            c === 3 ? cell.padStart(widths[c] as number) : c === 5 ? cell : cell.padEnd(widths[c] as number),
          )
          .join("  ")}`,
      );
  });
  // Ids and descriptions come from files and the bank: escaped, never a terminal's controls.
  return lines.map(escapeControls);
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
