/**
 * The spending report's one query: grouped sums over the covering index `transactions_report`,
 * the period and the one before it in one scan. Identical on SQLite and PostgreSQL (sums are
 * cast to bigint, which both drivers hand back as safe integers).
 */
import { sql } from "kysely";
import {
  checkPeriod,
  MERCHANTS_DEFAULT,
  previousPeriod,
  type SpendingGroup,
  type SpendingPeriod,
  type SpendingSummary,
  summarizeSpending,
} from "../reports/index.js";
import type { Store } from "./store.js";

export interface SpendingQuery {
  readonly period: SpendingPeriod;
  /** Only these accounts (default all). */
  readonly accountIds?: readonly string[];
  /** Count pending rows too (default false: only what has posted). */
  readonly includePending?: boolean;
  /** Count transfers between own accounts and card payments too (default false). */
  readonly includeTransfers?: boolean;
  /** How many merchants to list (default 10). */
  readonly merchantsMax?: number;
}

interface GroupRow {
  readonly currency: string;
  readonly previous: number;
  readonly month: string;
  readonly category: string;
  readonly merchant_key: string | null;
  readonly merchant_name: string | null;
  readonly in_minor: number | string;
  readonly out_minor: number | string;
  readonly n: number | string;
  readonly out_n: number | string;
}

/**
 * The grouped sums of `query.period` and the period before it.
 *
 * @example await spendingGroups(store, { period: { from: "2026-01-01", to: "2026-12-31" } })
 */
export async function spendingGroups(store: Store, query: SpendingQuery): Promise<SpendingGroup[]> {
  checkPeriod(query.period);
  const previous = previousPeriod(query.period);
  const roles = query.includeTransfers === true ? ["counted", "transfer"] : ["counted"];
  const pending = query.includePending === true ? sql`` : sql`and pending = 0`;
  const accounts =
    query.accountIds === undefined || query.accountIds.length === 0
      ? sql``
      : sql`and account_id in (${sql.join(query.accountIds)})`;
  const result = await sql<GroupRow>`
    select currency,
           case when date < ${query.period.from} then 1 else 0 end as previous,
           substr(date, 1, 7) as month,
           category,
           merchant_key,
           max(merchant_display) as merchant_name,
           cast(sum(case when amount_minor > 0 then amount_minor else 0 end) as bigint) as in_minor,
           cast(sum(case when amount_minor < 0 then amount_minor else 0 end) as bigint) as out_minor,
           count(*) as n,
           sum(case when amount_minor < 0 then 1 else 0 end) as out_n
    from transactions
    where tenant_id = ${store.tenantId}
      and date >= ${previous.from} and date <= ${query.period.to}
      and report_role in (${sql.join(roles)})
      and removed_at is null
      ${pending}
      ${accounts}
    group by 1, 2, 3, 4, 5`.execute(store.db);
  return result.rows.map((row) => ({
    currency: row.currency,
    previous: Number(row.previous) === 1,
    month: row.month,
    category: row.category,
    merchantKey: row.merchant_key,
    merchantName: row.merchant_name,
    inMinor: safe(row.in_minor),
    outMinor: safe(row.out_minor),
    count: safe(row.n),
    outCount: safe(row.out_n),
  }));
}

function safe(value: number | string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new RangeError(`a spending sum (${value}) is not a safe integer`);
  return n;
}

/**
 * The spending summary of a period from the store: income, expenses and net per currency,
 * categories with drill-down, top merchants, the month-by-month trend and the previous period.
 *
 * @example
 * const summary = await spendingSummary(store, { period: { from: "2026-03-01", to: "2026-03-31" } });
 * summary.currencies[0]?.categories[0]?.name // "Food and drink"
 */
export async function spendingSummary(store: Store, query: SpendingQuery): Promise<SpendingSummary> {
  const groups = await spendingGroups(store, query);
  return summarizeSpending(groups, query.period, { merchantsMax: query.merchantsMax ?? MERCHANTS_DEFAULT });
}
