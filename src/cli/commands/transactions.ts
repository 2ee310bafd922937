import type { Command } from "commander";
import type { StoredTransaction, TransactionFilter } from "../../store/index.js";
import type { CliContext } from "../context.js";
import { UsageError } from "../errors.js";
import { dateFlag, wholeNumber } from "../options.js";
import {
  addStoreOptions,
  backends,
  itemFlag,
  moneyJson,
  moneyText,
  printJson,
  printTable,
  STORE_HELP,
  type StoreFlags,
  withStore,
} from "../store-options.js";
import type { Cell } from "../table.js";

const EXAMPLES = `
Stored transactions, newest first. Amounts are in the natural sign: money in is positive.
Dates are the bank's posting dates, inclusive. --search looks in the name, merchant and note.

Examples:
  $ bankrec transactions --from 2026-06-01 --to 2026-06-30
  $ bankrec transactions --search coffee --limit 20
  $ bankrec transactions --account ACCOUNT_ID --json > june.json
  $ bankrec transactions --item ITEM_ID --include-removed
${STORE_HELP}`;

export interface TransactionsFlags extends StoreFlags {
  readonly from?: string;
  readonly to?: string;
  readonly account?: string;
  readonly search?: string;
  readonly item?: string;
  readonly limit?: string;
  readonly includeRemoved?: boolean;
}

const LIMIT_MAX = 1_000_000;
const SEARCH_CHARS_MAX = 200;

/** The flags as a store filter, every value checked and named in its error. */
export function transactionFilter(flags: TransactionsFlags): TransactionFilter {
  const from = dateFlag("--from", flags.from);
  const to = dateFlag("--to", flags.to);
  if (from !== undefined && to !== undefined && from > to)
    throw new UsageError(`--from ${from} is after --to ${to}`);
  if (flags.search !== undefined && flags.search.length > SEARCH_CHARS_MAX)
    throw new UsageError(`--search is limited to ${SEARCH_CHARS_MAX} characters`);
  const itemId = itemFlag(flags.item);
  const limit =
    flags.limit === undefined ? undefined : wholeNumber("--limit", flags.limit, "rows", 1, LIMIT_MAX);
  return {
    ...(from === undefined ? {} : { from }),
    ...(to === undefined ? {} : { to }),
    ...(flags.account === undefined ? {} : { accountId: flags.account.trim() }),
    ...(flags.search === undefined ? {} : { search: flags.search }),
    ...(itemId === undefined ? {} : { itemId }),
    ...(limit === undefined ? {} : { limit }),
    includeRemoved: flags.includeRemoved === true,
  };
}

function transactionJson(t: StoredTransaction): Record<string, unknown> {
  return {
    id: t.id,
    item_id: t.itemId,
    account_id: t.accountId,
    date: t.date,
    authorized_date: t.authorizedDate,
    ...moneyJson(t.amountMinor, t.currency),
    currency: t.currency,
    name: t.name,
    merchant_name: t.merchantName,
    pending: t.pending,
    pending_transaction_id: t.pendingTransactionId,
    category: t.category,
    resolved: {
      category: t.resolved.category,
      source: t.resolved.source,
      rule_id: t.resolved.ruleId,
      merchant: t.resolved.merchantName,
      merchant_key: t.resolved.merchantKey,
      tags: t.resolved.ruleTags,
      report_role: t.resolved.reportRole,
      transfer_partner_id: t.resolved.transferPartnerId,
    },
    removed_at: t.removedAt,
    edits: {
      note: t.edits.note,
      category: t.edits.category,
      merchant_name: t.edits.merchantName,
      tags: t.edits.tags,
    },
  };
}

function transactionRow(t: StoredTransaction, showCurrency: boolean): Cell[] {
  const amount = moneyText(t.amountMinor, t.currency);
  const notes = [
    t.pending ? "pending" : "",
    t.removedAt === null ? "" : "removed",
    t.resolved.reportRole === "counted" ? "" : t.resolved.reportRole,
    t.edits.note ?? "",
  ];
  return [
    t.date,
    showCurrency ? `${amount} ${t.currency}` : amount,
    t.resolved.merchantName ?? t.name,
    t.resolved.category,
    t.accountId,
    notes.filter((n) => n !== "").join("; "),
  ];
}

/** `bankrec transactions`. */
export async function runTransactions(flags: TransactionsFlags, ctx: CliContext): Promise<void> {
  const filter = transactionFilter(flags);
  const { store: repo } = await backends();
  const rows = await withStore(flags, ctx, (store) => repo.listTransactions(store, filter));
  if (flags.json === true) {
    printJson(ctx, rows.map(transactionJson));
    return;
  }
  const showCurrency = new Set(rows.map((t) => t.currency)).size > 1;
  printTable(
    ctx,
    [
      { header: "Date", align: "left" },
      { header: "Amount", align: "right" },
      { header: "Description", align: "left", widthMax: 40, widthMin: 12 },
      { header: "Category", align: "left", widthMax: 40, widthMin: 8 },
      { header: "Account", align: "left", widthMax: 40, widthMin: 10 },
      { header: "Note", align: "left", widthMax: 40, widthMin: 8 },
    ],
    rows.map((t) => transactionRow(t, showCurrency)),
    "no transactions match",
  );
  const limit = filter.limit ?? repo.LIST_LIMIT_DEFAULT;
  if (rows.length === limit)
    ctx.stdout.write(
      `(the first ${limit.toLocaleString("en-US")} rows; narrow the dates or raise --limit)\n`,
    );
}

/** `bankrec transactions`. */
export function registerTransactions(program: Command, ctx: CliContext): void {
  const command = program
    .command("transactions")
    .description("list stored transactions, filtered by date, account, item or text")
    .option("--from <date>", "first posting date, YYYY-MM-DD")
    .option("--to <date>", "last posting date, YYYY-MM-DD")
    .option("--account <id>", "only this account")
    .option("--search <text>", "case-insensitive text in the name, merchant or note")
    .option("--item <id>", "only this item")
    .option("--limit <n>", "at most this many rows (default 10,000)")
    .option("--include-removed", "also list rows Plaid removed (tombstones)");
  addStoreOptions(command)
    .addHelpText("after", EXAMPLES)
    .action(async (flags: TransactionsFlags) => {
      await runTransactions(flags, ctx);
    });
}
