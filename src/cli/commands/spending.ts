import type { Command } from "commander";
import type { CategoryRule } from "../../categorize/index.js";
import type { BankTransaction } from "../../domain/index.js";
import type { SpendingPeriod, SpendingSummary } from "../../reports/index.js";
import type { Store } from "../../store/index.js";
import { type CliContext, colorEnabled } from "../context.js";
import { UsageError } from "../errors.js";
import { dateFlag, repeatable, wholeNumber } from "../options.js";
import { renderSpending, SPENDING_VIEWS, type SpendingView, spendingCsv } from "../spending-render.js";
import { addStoreOptions, printJson, STORE_HELP, type StoreFlags, withStore } from "../store-options.js";

const EXAMPLES = `
Where the money went: income, expenses and net per currency; categories (primary, with
--detailed for the drill-down); top merchants; the month-by-month trend; and the previous
period of the same length beside it. Transfers between your own accounts and credit card
payments are left out unless --include-transfers; pending rows unless --include-pending.
Refunds net against the category they were bought in. Currencies are never added together.

Without --from and --to: the month of the newest transaction.
--bank FILE reports on a feed file (any file \`reconcile\` reads) without a store; the rules
of a store apply only when --database names one.

Examples:
  $ bankrec spending --from 2026-03-01 --to 2026-03-31
  $ bankrec spending --from 2026-01-01 --to 2026-12-31 --by month
  $ bankrec spending --from 2026-03-01 --to 2026-03-31 --by merchant --top 20
  $ bankrec spending --from 2026-03-01 --to 2026-03-31 --by category --detailed
  $ bankrec spending --from 2026-03-01 --to 2026-03-31 --format csv > march.csv
  $ bankrec spending --bank statement.ofx --from 2026-03-01 --to 2026-03-31 --json
${STORE_HELP}`;

export interface SpendingFlags extends StoreFlags {
  readonly from?: string;
  readonly to?: string;
  readonly account?: readonly string[];
  readonly by?: string;
  readonly format?: string;
  readonly top?: string;
  readonly detailed?: boolean;
  readonly includePending?: boolean;
  readonly includeTransfers?: boolean;
  readonly bank?: string;
}

const FORMATS = ["table", "json", "csv"] as const;
const TOP_MAX = 1_000;

interface SpendingRequest {
  readonly period: SpendingPeriod | null;
  readonly accountIds: readonly string[];
  readonly views: readonly SpendingView[];
  readonly format: (typeof FORMATS)[number];
  readonly merchantsMax: number;
  readonly includePending: boolean;
  readonly includeTransfers: boolean;
}

function requestOf(flags: SpendingFlags): SpendingRequest {
  const from = dateFlag("--from", flags.from);
  const to = dateFlag("--to", flags.to);
  if ((from === undefined) !== (to === undefined))
    throw new UsageError("give both --from and --to, or neither");
  if (from !== undefined && to !== undefined && from > to)
    throw new UsageError(`--from ${from} is after --to ${to}`);
  const by = flags.by?.trim().toLowerCase();
  if (by !== undefined && !SPENDING_VIEWS.includes(by as SpendingView))
    throw new UsageError(`--by must be one of ${SPENDING_VIEWS.join(", ")}, got ${JSON.stringify(flags.by)}`);
  const format = flags.json === true ? "json" : (flags.format?.trim().toLowerCase() ?? "table");
  if (!FORMATS.includes(format as (typeof FORMATS)[number]))
    throw new UsageError(
      `--format must be one of ${FORMATS.join(", ")}, got ${JSON.stringify(flags.format)}`,
    );
  return {
    period: from === undefined || to === undefined ? null : { from, to },
    accountIds: (flags.account ?? []).map((id) => id.trim()).filter((id) => id !== ""),
    views: by === undefined ? SPENDING_VIEWS : [by as SpendingView],
    format: format as (typeof FORMATS)[number],
    merchantsMax: flags.top === undefined ? 10 : wholeNumber("--top", flags.top, "merchants", 1, TOP_MAX),
    includePending: flags.includePending === true,
    includeTransfers: flags.includeTransfers === true,
  };
}

/** The month of the newest date among `dates`; null when there are none. */
function monthOfNewest(newest: string | null): SpendingPeriod | null {
  if (newest === null) return null;
  const [year, month] = newest.split("-").map(Number) as [number, number];
  const last = new Date(Date.UTC(year, month, 0)).toISOString().slice(0, 10);
  return { from: `${newest.slice(0, 7)}-01`, to: last };
}

async function fromStore(store: Store, request: SpendingRequest): Promise<SpendingSummary> {
  const { spendingSummary } = await import("../../store/spending-queries.js");
  const period = request.period ?? monthOfNewest(await newestDate(store));
  if (period === null)
    throw new UsageError("the store holds no transactions: link a bank, sync, or import a statement first");
  return spendingSummary(store, {
    period,
    accountIds: request.accountIds,
    includePending: request.includePending,
    includeTransfers: request.includeTransfers,
    merchantsMax: request.merchantsMax,
  });
}

async function newestDate(store: Store): Promise<string | null> {
  const row = await store.db
    .selectFrom("transactions")
    .select((eb) => eb.fn.max("date").as("newest"))
    .where("tenant_id", "=", store.tenantId)
    .where("removed_at", "is", null)
    .executeTakeFirst();
  return row?.newest ?? null;
}

async function fromFile(
  path: string,
  request: SpendingRequest,
  rules: readonly CategoryRule[],
  ctx: CliContext,
): Promise<SpendingSummary> {
  const [{ categorizeRows, compileRules }, { groupSpending, summarizeSpending }, { readPlaidFacts }] =
    await Promise.all([
      import("../../categorize/index.js"),
      import("../../reports/index.js"),
      import("../../importers/plaid-facts.js"),
    ]);
  const feed = await ctx.engine.readBankFile(path, {});
  const facts = feed.statementFile === undefined ? await readPlaidFacts(path) : new Map();
  const rows = feed.transactions.map((t: BankTransaction) => {
    const f = facts.get(t.id);
    return {
      id: t.id,
      date: t.date,
      pending: t.pending,
      description: t.name,
      accountId: t.accountId ?? "",
      amountMinor: t.amountMinor,
      currency: t.currency,
      merchantName: t.merchantName,
      merchantEntityId: f?.merchantEntityId ?? null,
      counterparty: f?.counterparty ?? (feed.statementFile === undefined ? null : t.merchantName),
      pfcPrimary: f?.pfcPrimary ?? null,
      pfcDetailed: f?.pfcDetailed ?? null,
      pfcConfidence: f?.pfcConfidence ?? null,
      legacyCategory: f?.legacyCategory ?? null,
      statementType: t.typeCode ?? f?.statementType ?? null,
      userCategory: null,
      userMerchantName: null,
    };
  });
  const period =
    request.period ??
    monthOfNewest(rows.reduce<string | null>((m, r) => (m === null || r.date > m ? r.date : m), null));
  if (period === null) throw new UsageError(`${path} holds no transactions`);
  const accounts = new Set(request.accountIds);
  const counted = categorizeRows(rows, compileRules(rules)).filter(
    ({ row, role }) =>
      (role === "counted" || (request.includeTransfers && role === "transfer")) &&
      (request.includePending || !row.pending) &&
      (accounts.size === 0 || accounts.has(row.accountId)),
  );
  const groups = groupSpending(
    counted.map(({ row, categorization }) => ({
      currency: row.currency,
      date: row.date,
      category: categorization.category,
      merchantKey: categorization.merchantKey,
      merchantName: categorization.merchantName,
      amountMinor: row.amountMinor,
    })),
    period,
  );
  return summarizeSpending(groups, period, { merchantsMax: request.merchantsMax });
}

/** `bankrec spending`. */
export async function runSpending(flags: SpendingFlags, ctx: CliContext): Promise<void> {
  const request = requestOf(flags);
  let summary: SpendingSummary;
  if (flags.bank !== undefined) {
    const bank = flags.bank;
    const rules =
      flags.database === undefined
        ? []
        : await withStore(flags, ctx, async (store) =>
            (await import("../../store/rules.js")).listRules(store),
          );
    summary = await fromFile(bank, request, rules, ctx);
  } else {
    summary = await withStore(flags, ctx, (store) => fromStore(store, request));
  }
  if (request.format === "json") {
    printJson(ctx, summary);
    return;
  }
  if (request.format === "csv") {
    ctx.stdout.write(`${spendingCsv(summary, request.views[0] ?? "category").join("\n")}\n`);
    return;
  }
  const widthMax = ctx.stdout.isTTY === true ? (ctx.stdout.columns ?? 120) : 120;
  const lines = renderSpending(summary, {
    color: colorEnabled(ctx.stdout, ctx.env),
    widthMax,
    views: request.views,
    detailed: flags.detailed === true,
  });
  ctx.stdout.write(`${lines.join("\n")}\n`);
}

/** `bankrec spending`. */
export function registerSpending(program: Command, ctx: CliContext): void {
  const command = program
    .command("spending")
    .description("where the money went: income, expenses, categories, merchants and the monthly trend")
    .option("--from <date>", "first day, YYYY-MM-DD (with --to)")
    .option("--to <date>", "last day, YYYY-MM-DD (with --from)")
    .option("--account <id>", "only this account (repeat for several)", repeatable)
    .option("--by <view>", `one view only: ${SPENDING_VIEWS.join(", ")} (default: all three)`)
    .option("--format <format>", `${FORMATS.join(", ")} (default: table; csv writes the --by view)`)
    .option("--top <n>", "how many merchants to list (default 10)")
    .option("--detailed", "list the detailed categories under each primary")
    .option("--include-pending", "count pending transactions too")
    .option("--include-transfers", "count transfers between your accounts and card payments too")
    .option("--bank <file>", "report on a feed file instead of the store");
  addStoreOptions(command)
    .addHelpText("after", EXAMPLES)
    .action(async (flags: SpendingFlags) => {
      await runSpending(flags, ctx);
    });
}
