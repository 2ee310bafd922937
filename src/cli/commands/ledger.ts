import { isAbsolute, resolve } from "node:path";
import type { Command } from "commander";
import { ImportError } from "../../errors/index.js";
import { checkInputFile } from "../../importers/input-file.js";
import type { LedgerEntryStatus, LedgerImportOutcome } from "../../store/index.js";
import type { CliContext } from "../context.js";
import { importFailureJson, UsageError } from "../errors.js";
import { dateFlag, toReadOptions, wholeNumber } from "../options.js";
import { writeChunks } from "../output.js";
import {
  addStoreOptions,
  moneyText,
  printJson,
  printTable,
  STORE_HELP,
  type StoreFlags,
  withStore,
} from "../store-options.js";
import { actorOf, addActorOption, entryJson } from "./workflow-options.js";

const EXAMPLES = `
The ledger's expected entries kept in the store, for \`bankrec reconcile --stored\`. A file is
read as \`reconcile --expected\` reads it (CSV with id,date,amount,currency,description,
counterparty,reference,account_id and the same aliases and bounds, or JSON; natural sign:
money in > 0). Importing is idempotent by the ledger's own id: a new id is added, the same
entry again changes nothing, and an entry whose content differs is listed with the fields that
differ and left as it was, unless --update (refused for entries of a closed period, and for a
changed date, amount, currency or account of an entry in an accepted match: undo it first).
A file with bad rows is refused whole, every bad row listed.

Examples:
  $ bankrec ledger import ledger.csv
  $ bankrec ledger import ledger.csv --update
  $ bankrec ledger list --from 2026-05-01 --to 2026-05-31 --open
  $ bankrec ledger list --account ACCOUNT_ID --json
  $ bankrec ledger remove INV-1043 INV-1044
${STORE_HELP}`;

interface ImportFlags extends StoreFlags {
  readonly update?: boolean;
  readonly currency?: string;
  readonly decimalComma?: boolean;
}

interface ListFlags extends StoreFlags {
  readonly account?: string;
  readonly from?: string;
  readonly to?: string;
  readonly open?: boolean;
  readonly limit?: string;
}

interface RemoveFlags extends StoreFlags {
  readonly actor?: string;
}

/** `bankrec ledger import FILE`. */
async function runImport(file: string, flags: ImportFlags, ctx: CliContext): Promise<void> {
  const readOptions = toReadOptions(flags);
  const path = isAbsolute(file) ? file : resolve(ctx.cwd, file);
  let entries: Awaited<ReturnType<CliContext["engine"]["readExpectedFile"]>>;
  try {
    await checkInputFile(path);
    entries = await ctx.engine.readExpectedFile(path, readOptions);
  } catch (error) {
    if (flags.json === true && error instanceof ImportError)
      await writeChunks(ctx.stdout, [importFailureJson(error)]);
    throw error;
  }
  const { importExpectedEntries } = await import("../../store/ledger.js");
  const outcome = await withStore(flags, ctx, (store) =>
    importExpectedEntries(store, entries, { update: flags.update === true }),
  );
  if (flags.json === true) {
    printJson(ctx, {
      file,
      entries: entries.length,
      added: outcome.added,
      unchanged: outcome.unchanged,
      updated: outcome.updated,
      changed: outcome.changed.map((c) => ({ id: c.id, fields: c.fields })),
    });
    return;
  }
  ctx.stdout.write(`${importLines(file, entries.length, outcome, flags.update === true).join("\n")}\n`);
}

/** Lines shown at most for changed entries (the JSON lists up to the store's bound). */
const CHANGED_SHOWN_MAX = 20;

function importLines(file: string, total: number, outcome: LedgerImportOutcome, update: boolean): string[] {
  const parts = [`${count(outcome.added)} added`, `${count(outcome.unchanged)} unchanged`];
  if (update) parts.push(`${count(outcome.updated)} updated`);
  else if (outcome.changed.length > 0)
    parts.push(`${count(outcome.changed.length)} changed, not overwritten`);
  const lines = [`${file}: ${count(total)} ledger entries: ${parts.join(", ")}`];
  if (outcome.changed.length === 0) return lines;
  lines.push(update ? "updated:" : "changed in the file (bankrec ledger import --update to overwrite them):");
  for (const change of outcome.changed.slice(0, CHANGED_SHOWN_MAX))
    lines.push(`  ${change.id}: ${change.fields.join(", ")}`);
  if (outcome.changed.length > CHANGED_SHOWN_MAX)
    lines.push(`  … and ${count(outcome.changed.length - CHANGED_SHOWN_MAX)} more (--json lists them all)`);
  return lines;
}

function count(n: number): string {
  return n.toLocaleString("en-US");
}

const LIST_LIMIT_MAX = 1_000_000;

/** `bankrec ledger list`. */
async function runList(flags: ListFlags, ctx: CliContext): Promise<void> {
  const from = dateFlag("--from", flags.from);
  const to = dateFlag("--to", flags.to);
  if (from !== undefined && to !== undefined && from > to)
    throw new UsageError(`--from ${from} is after --to ${to}`);
  const limit =
    flags.limit === undefined ? undefined : wholeNumber("--limit", flags.limit, "entries", 1, LIST_LIMIT_MAX);
  const { listLedgerEntries, LEDGER_LIST_LIMIT_DEFAULT } = await import("../../store/ledger.js");
  const rows = await withStore(flags, ctx, (store) =>
    listLedgerEntries(store, {
      ...(flags.account === undefined ? {} : { accountId: flags.account.trim() }),
      ...(from === undefined ? {} : { from }),
      ...(to === undefined ? {} : { to }),
      ...(flags.open === true && { open: true }),
      ...(limit === undefined ? {} : { limit }),
    }),
  );
  if (flags.json === true) {
    printJson(
      ctx,
      rows.map((row) => ({ ...entryJson(row.entry), status: row.status, match_id: row.matchId })),
    );
    return;
  }
  printTable(
    ctx,
    [
      { header: "Id", align: "left", widthMax: 24, widthMin: 8 },
      { header: "Date", align: "left" },
      { header: "Amount", align: "right" },
      { header: "Description", align: "left", widthMax: 40, widthMin: 12 },
      { header: "Counterparty", align: "left", widthMax: 24, widthMin: 8 },
      { header: "Account", align: "left", widthMax: 24, widthMin: 8 },
      { header: "Status", align: "left" },
      { header: "Match", align: "left" },
    ],
    rows.map(listRow),
    "no ledger entries match",
  );
  const shown = limit ?? LEDGER_LIST_LIMIT_DEFAULT;
  if (rows.length === shown)
    ctx.stdout.write(`(the first ${count(shown)} entries; narrow the dates or raise --limit)\n`);
}

function listRow(row: LedgerEntryStatus): string[] {
  const e = row.entry;
  return [
    e.id,
    e.date,
    `${moneyText(e.amountMinor, e.currency)} ${e.currency}`,
    e.description,
    e.counterparty ?? "",
    e.accountId ?? "",
    row.status,
    row.matchId ?? "",
  ];
}

/** `bankrec ledger remove ID...`. */
async function runRemove(ids: readonly string[], flags: RemoveFlags, ctx: CliContext): Promise<void> {
  const actor = actorOf(flags, ctx);
  const wanted = [
    ...new Set(
      ids
        .flatMap((id) => id.split(","))
        .map((id) => id.trim())
        .filter((id) => id !== ""),
    ),
  ];
  if (wanted.length === 0) throw new UsageError("name at least one ledger entry id");
  const { removeLedgerEntries } = await import("../../workflow/ledger.js");
  const outcome = await withStore(flags, ctx, (store) => removeLedgerEntries(store, wanted, { actor }));
  if (flags.json === true) {
    printJson(ctx, { removed: outcome.removed, replaced_proposals: outcome.replacedProposals, ids: wanted });
    return;
  }
  const replaced =
    outcome.replacedProposals === 0
      ? ""
      : ` (${count(outcome.replacedProposals)} open proposal${outcome.replacedProposals === 1 ? "" : "s"} holding them replaced)`;
  ctx.stdout.write(
    `removed ${count(outcome.removed)} ledger entr${outcome.removed === 1 ? "y" : "ies"}${replaced}\n`,
  );
}

/** `bankrec ledger import|list|remove`. */
export function registerLedger(program: Command, ctx: CliContext): void {
  const ledger = program
    .command("ledger")
    .description("the ledger's expected entries in the store: import a file, list, remove")
    .addHelpText("after", EXAMPLES);
  const importing = ledger
    .command("import")
    .description("import ledger entries from a CSV or JSON file (idempotent by id)")
    .argument(
      "<file>",
      "ledger entries: CSV (id,date,amount,currency,description,counterparty,reference,account_id) or JSON",
    )
    .option("--update", "overwrite stored entries whose content changed (default: list them, leave them)")
    .option("--currency <code>", "currency of rows that name none (default: USD)")
    .option("--decimal-comma", "amounts are written 1.234,56");
  addStoreOptions(importing)
    .addHelpText("after", EXAMPLES)
    .action(async (file: string, flags: ImportFlags) => {
      await runImport(file, flags, ctx);
    });
  const listing = ledger
    .command("list")
    .description("list stored ledger entries with their status (open, proposed, accepted, locked)")
    .option("--account <id>", "only entries naming this bank account")
    .option("--from <date>", "first ledger date, YYYY-MM-DD")
    .option("--to <date>", "last ledger date, YYYY-MM-DD")
    .option("--open", "only entries not reconciled yet (in no accepted match)")
    .option("--limit <n>", "at most this many entries (default 10,000)");
  addStoreOptions(listing)
    .addHelpText("after", EXAMPLES)
    .action(async (flags: ListFlags) => {
      await runList(flags, ctx);
    });
  const removing = ledger
    .command("remove")
    .description("remove ledger entries (refused for an entry in an accepted match or a closed period)")
    .argument("<ids...>", "ledger entry ids (spaces or commas between them)");
  addActorOption(removing);
  addStoreOptions(removing)
    .addHelpText("after", EXAMPLES)
    .action(async (ids: string[], flags: RemoveFlags) => {
      await runRemove(ids, flags, ctx);
    });
}
