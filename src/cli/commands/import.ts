import { basename, isAbsolute, resolve } from "node:path";
import type { Command } from "commander";
import { escapeControls, ImportError } from "../../errors/index.js";
import { type BalanceCheck, checkBalances } from "../../importers/balance-check.js";
import { parseCsvMapping } from "../../importers/csv-presets.js";
import { toFeedNdjsonLines } from "../../importers/feed-ndjson.js";
import { STATEMENT_FORMATS, type Statement, type StatementFile } from "../../importers/statement.js";
import {
  readStatementFile,
  type StatementReadOptions,
  toBankAccounts,
  toBankTransactions,
} from "../../importers/statement-file.js";
import { encodingNamed } from "../../importers/text-encoding.js";
import { formatAmount } from "../../money/index.js";
import type { StatementImportOutcome } from "../../store/index.js";
import type { CliContext } from "../context.js";
import { importFailureJson, UsageError } from "../errors.js";
import { currencyCode } from "../options.js";
import { checkOutPath, emit, writeChunks } from "../output.js";
import { backends, withStore } from "../store-options.js";

export interface ImportFlags {
  readonly format?: string;
  readonly account?: string;
  readonly currency?: string;
  readonly map?: string;
  readonly preset?: string;
  readonly encoding?: string;
  readonly decimalComma?: boolean;
  readonly dateFormat?: string;
  readonly strict?: boolean;
  readonly json?: boolean;
  readonly out?: string;
  readonly database?: string;
  readonly dryRun?: boolean;
}

/** Checks every option before any reading; a bad one is a UsageError (exit 2). */
export function toStatementReadOptions(flags: ImportFlags): StatementReadOptions {
  const format = flags.format?.trim().toLowerCase() ?? "auto";
  if (format !== "auto" && !(STATEMENT_FORMATS as readonly string[]).includes(format))
    throw new UsageError(
      `--format must be one of auto, ${STATEMENT_FORMATS.join(", ")}, got ${JSON.stringify(flags.format)}`,
    );
  const encoding = flags.encoding === undefined ? undefined : encodingNamed(flags.encoding);
  if (flags.encoding !== undefined && encoding === undefined)
    throw new UsageError(
      `--encoding must be utf-8, utf-16le, utf-16be, windows-1252 or iso-8859-15, got ${JSON.stringify(flags.encoding)}`,
    );
  let mapping: ReturnType<typeof parseCsvMapping> | undefined;
  try {
    mapping = flags.map === undefined ? undefined : parseCsvMapping(flags.map);
  } catch (error) {
    throw new UsageError(`--map: ${(error as Error).message}`);
  }
  if (flags.dateFormat !== undefined && flags.dateFormat !== "auto" && !/(YYYY|YY)/.test(flags.dateFormat))
    throw new UsageError(
      `--date-format must use YYYY or YY, MM and DD, e.g. DD/MM/YYYY, got ${JSON.stringify(flags.dateFormat)}`,
    );
  return {
    format: format as StatementReadOptions["format"] & string,
    ...(flags.currency !== undefined && { currency: currencyCode("--currency", flags.currency) }),
    ...(flags.decimalComma === true && { decimalSeparator: "," as const }),
    ...(encoding !== undefined && { encoding }),
    ...(flags.account !== undefined && { accountId: flags.account }),
    ...(flags.preset !== undefined && { csvPreset: flags.preset }),
    ...(mapping !== undefined && { csvMapping: mapping }),
    ...(flags.dateFormat !== undefined && { dateFormat: flags.dateFormat }),
  };
}

function money(minor: number | null | undefined, currency: string): string {
  return minor === null || minor === undefined ? "-" : `${formatAmount(minor, currency)} ${currency}`;
}

function statementLines(s: Statement, n: number, checks: readonly BalanceCheck[]): string[] {
  const period = s.periodFrom === null ? "period unknown" : `${s.periodFrom} to ${s.periodTo ?? "?"}`;
  const status = checks.map((c) =>
    c.status === "ok"
      ? "balance ok"
      : c.status === "break"
        ? `BREAK ${money(c.breakMinor, c.currency)}`
        : `balance not checked (${c.message.split("balance not checked: ")[1] ?? ""})`,
  );
  const pending = s.entries.filter((e) => e.status !== "booked").length;
  return [
    `  ${n}. account ${s.accountId === "" ? "(none)" : s.accountId}  ${s.currency}  ${period}`,
    `     ${s.entries.length} entries${pending > 0 ? ` (${pending} pending or informational)` : ""}  opening ${money(s.opening?.amountMinor, s.opening?.currency ?? s.currency)}  closing ${money(s.closing?.amountMinor, s.closing?.currency ?? s.currency)}  ${status.join(", ")}`,
  ];
}

function summaryJson(
  file: StatementFile,
  checks: readonly BalanceCheck[],
  outPath: string | undefined,
  stored: StoredImport | null,
): unknown {
  return {
    stored:
      stored === null
        ? null
        : {
            store: stored.where,
            importId: stored.outcome.importId,
            added: stored.outcome.added,
            unchanged: stored.outcome.unchanged,
            changed: stored.outcome.changed.map((c) => ({
              id: c.incoming.id,
              heldAmountMinor: c.held.amountMinor,
              incomingAmountMinor: c.incoming.amountMinor,
              heldDate: c.held.date,
              incomingDate: c.incoming.date,
            })),
          },
    file: file.file,
    format: file.format,
    encoding: file.encoding,
    transactions: toBankTransactions(file).length,
    out: outPath ?? null,
    statements: file.statements.map((s, i) => ({
      id: s.id,
      accountId: s.accountId,
      iban: s.iban,
      currency: s.currency,
      periodFrom: s.periodFrom,
      periodTo: s.periodTo,
      entries: s.entries.length,
      opening: s.opening,
      closing: s.closing,
      closingAvailable: s.closingAvailable,
      balanceChecks: checks.filter((c) => c.statement === i + 1),
    })),
  };
}

interface StoredImport {
  readonly where: string;
  readonly outcome: StatementImportOutcome;
}

/** Stores the file's rows (all or nothing) in the store --database or DATABASE_URL names. */
async function storeRows(file: StatementFile, flags: ImportFlags, ctx: CliContext): Promise<StoredImport> {
  // Loaded on use, like the other store commands: `import --dry-run` and `--help` stay fast.
  const { store: repo } = await backends();
  return withStore(flags, ctx, async (store) => {
    const outcome = await repo.importStatement(store, {
      fileName: file.file,
      format: file.format,
      accounts: toBankAccounts(file),
      transactions: toBankTransactions(file),
    });
    return { where: repo.describeLocation(store.location), outcome };
  });
}

function storedLines(stored: StoredImport | null): string[] {
  if (stored === null) return ["not stored (--dry-run)"];
  const { added, unchanged, changed } = stored.outcome;
  return [
    `stored in ${stored.where}: ${added} added, ${unchanged} already held` +
      (changed.length === 0 ? "" : `, ${changed.length} held with other money (kept as stored)`),
    ...changed
      .slice(0, 20)
      .map(
        (c) =>
          `  ${c.incoming.id}: stored ${c.held.date} ${formatAmount(c.held.amountMinor, c.held.currency)}, ` +
          `file says ${c.incoming.date} ${formatAmount(c.incoming.amountMinor, c.incoming.currency)}`,
      ),
  ];
}

/**
 * `bankrec import FILE`: reads a statement file, checks its balances, stores its rows (rows the
 * store already holds are not added twice), prints a summary per statement and, with --out,
 * writes its rows as NDJSON for `bankrec reconcile --bank`. All or nothing: a bad file (or,
 * with --strict, a balance break) stores and writes nothing and exits 3; every bad row of a
 * CSV is listed, on stderr and, with --json, as `problems` on stdout.
 */
export async function runImport(file: string, flags: ImportFlags, ctx: CliContext): Promise<void> {
  const options = toStatementReadOptions(flags);
  const outPath = flags.out === undefined ? undefined : await checkOutPath(flags.out, ctx.cwd);
  try {
    await importFile(file, flags, options, outPath, ctx);
  } catch (error) {
    if (flags.json === true && error instanceof ImportError)
      await writeChunks(ctx.stdout, [importFailureJson(error)]);
    throw error;
  }
}

async function importFile(
  file: string,
  flags: ImportFlags,
  options: StatementReadOptions,
  outPath: string | undefined,
  ctx: CliContext,
): Promise<void> {
  const path = isAbsolute(file) || ctx.cwd === process.cwd() ? file : resolve(ctx.cwd, file);
  const read = await readStatementFile(path, options);
  const statementFile = { ...read, file };
  const checks = checkBalances(statementFile);
  const breaks = checks.filter((c) => c.status === "break");
  if (flags.strict === true && breaks.length > 0)
    throw new ImportError(
      { file },
      `balance check failed (--strict): ${(breaks[0] as BalanceCheck).message}`,
    );
  const stored = flags.dryRun === true ? null : await storeRows(statementFile, flags, ctx);
  if (outPath !== undefined) await emit(toFeedNdjsonLines(statementFile), outPath, ctx.stdout);
  if (flags.json === true) {
    await writeChunks(ctx.stdout, [
      `${JSON.stringify(summaryJson(statementFile, checks, flags.out, stored), null, 2)}\n`,
    ]);
    return;
  }
  const rows = toBankTransactions(statementFile).length;
  const lines = [
    `${basename(file)}: ${statementFile.format}, ${statementFile.encoding}, ${statementFile.statements.length} statement(s), ${rows} transaction(s)`,
    ...statementFile.statements.flatMap((s, i) =>
      statementLines(
        s,
        i + 1,
        checks.filter((c) => c.statement === i + 1),
      ),
    ),
    ...(outPath === undefined
      ? []
      : [`wrote ${rows} transaction(s) to ${flags.out} (NDJSON for bankrec reconcile --bank)`]),
    ...storedLines(stored),
  ];
  // Account ids, file names and messages come from the file: escaped, never a terminal's controls.
  await writeChunks(
    ctx.stdout,
    lines.map((l) => `${escapeControls(l)}\n`),
  );
  for (const b of breaks) ctx.stderr.write(`bankrec: warning: ${escapeControls(b.message)}\n`);
}

const EXAMPLES = `
Examples:
  $ bankrec import statement.ofx
  $ bankrec import statement.ofx --database postgres://127.0.0.1/books
  $ bankrec import camt053.xml --json --dry-run
  $ bankrec import statement.sta --strict --out bank.ndjson
  $ bankrec import export.csv --preset eu-semicolon --account DE89370400440532013000
  $ bankrec import export.csv --map "date=Posting Date,amount=Amount,description=Description" --date-format MM/DD/YYYY

Formats: OFX/QFX (1.x SGML, 2.x XML), CAMT.052/053/054 (.02-.08), MT940/MT942, bank CSV
(presets: chase-checking, eu-semicolon, debit-credit, generic; or --map). Balance breaks are
warnings; --strict makes them errors. Rows go into the store (DATABASE_URL, else bankrec.db in
the data directory) in one transaction; importing an overlapping file again adds only rows the
store does not hold, and a held bank id with other money is reported, not overwritten.
Exit codes: 0 read and stored, 2 bad option, 3 bad file (nothing stored or written).`;

/** Registers `bankrec import`. */
export function registerImport(program: Command, ctx: CliContext): void {
  program
    .command("import")
    .description("read a bank statement file (OFX, CAMT, MT940, CSV), check its balances and store its rows")
    .argument("<file>", "the statement file")
    .option("--format <format>", "auto, ofx, camt, mt940 or csv (default: auto, from the content)")
    .option("--account <id>", "account of rows whose file names none (CSV)")
    .option("--currency <code>", "currency of rows whose file names none (default: USD)")
    .option(
      "--map <mapping>",
      "CSV columns: date=<column>,amount=<column>|debit=..,credit=..,description=<column>,...",
    )
    .option(
      "--preset <name>",
      "CSV preset: chase-checking, eu-semicolon, debit-credit or generic (default: from the header)",
    )
    .option("--encoding <name>", "utf-8, utf-16le, utf-16be, windows-1252 (default: detected)")
    .option("--decimal-comma", "CSV amounts are written 1.234,56 (default: detected)")
    .option(
      "--date-format <layout>",
      "CSV dates, e.g. DD/MM/YYYY or YYYYMMDD (default: the preset's, else ISO, MM/DD/YYYY or DD.MM.YYYY)",
    )
    .option("--strict", "a balance break is an error (exit 3, nothing written), not a warning")
    .option("--json", "print the summary as JSON")
    .option(
      "--database <url>",
      "store to write to (default: DATABASE_URL, else bankrec.db in the data directory)",
    )
    .option("--dry-run", "read and check only; store nothing")
    .option("-o, --out <file>", "write the transactions as NDJSON that bankrec reconcile --bank reads")
    .addHelpText("after", EXAMPLES)
    .action(async (file: string, flags: ImportFlags) => {
      await runImport(file, flags, ctx);
    });
}
