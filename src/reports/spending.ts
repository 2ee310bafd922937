/**
 * The spending summary, pure: it folds grouped sums (from SQL on the store, or from rows in
 * memory) into income, expenses and net per currency, per category with a drill-down, top
 * merchants, a month-by-month trend, and the previous period beside it.
 *
 * How a row counts, by its category's kind:
 * - income categories (INCOME, TRANSFER_IN, LOAN_DISBURSEMENTS): their net adds to income, so a
 *   reversed salary payment lowers income;
 * - expense categories (all others): their net, negated, adds to expenses, so a refund lowers
 *   the spending of the category it was bought in;
 * - UNCATEGORIZED and unknown codes: money in is income, money out is an expense.
 * Currencies are never summed together: each has its own summary.
 */

import { type CategoryKind, describeCategory } from "../categorize/index.js";
import { InputError } from "../errors/index.js";
import { dayToIso, isoToDay } from "../reconcile/days.js";

/** Sums of the rows that share a currency, a period, a month, a category and a merchant. */
export interface SpendingGroup {
  readonly currency: string;
  /** True for rows of the previous period. */
  readonly previous: boolean;
  /** `YYYY-MM`. */
  readonly month: string;
  readonly category: string;
  readonly merchantKey: string | null;
  readonly merchantName: string | null;
  /** Sum of the amounts > 0 (money in). */
  readonly inMinor: number;
  /** Sum of the amounts < 0 (money out): zero or negative. */
  readonly outMinor: number;
  readonly count: number;
  /** How many of the rows are money out. */
  readonly outCount: number;
}

export interface SpendingPeriod {
  /** Inclusive `YYYY-MM-DD`. */
  readonly from: string;
  readonly to: string;
}

export interface SpendingTotals {
  readonly incomeMinor: number;
  readonly expensesMinor: number;
  /** Income less expenses. */
  readonly netMinor: number;
  readonly count: number;
}

/** A difference from the previous period; `percent` is null where the previous was zero. */
export interface SpendingChange {
  readonly minor: number;
  readonly percent: number | null;
}

export interface CategoryLine {
  readonly code: string;
  readonly name: string;
  readonly kind: CategoryKind;
  readonly incomeMinor: number;
  readonly expensesMinor: number;
  /** Sum of the amounts, natural sign. */
  readonly netMinor: number;
  readonly count: number;
  /** What the line is read as: spending (expense kinds) or earning (income kinds). */
  readonly side: "expenses" | "income";
  /**
   * Share of the currency's expenses (for an expenses line) or income (for an income line):
   * 0..1 as a rule, below 0 for a category whose refunds passed its purchases.
   */
  readonly share: number;
  readonly previous: {
    readonly incomeMinor: number;
    readonly expensesMinor: number;
    readonly netMinor: number;
  };
  /** The change of the line's own side (spent, or earned) from the previous period. */
  readonly change: SpendingChange;
  /**
   * The categories under a primary, adding up to it (a row given only the primary appears as
   * a line of the primary's own code); empty on these lines themselves.
   */
  readonly detailed: readonly CategoryLine[];
}

export interface MerchantLine {
  readonly key: string;
  readonly name: string;
  /** Rows that count as spending there: purchases and their refunds. */
  readonly count: number;
  /** Spent there, net of refunds. */
  readonly spentMinor: number;
  /** Share of the currency's expenses (may pass 1 when refunds elsewhere lower the total). */
  readonly share: number;
}

export interface MonthLine {
  readonly month: string;
  readonly incomeMinor: number;
  readonly expensesMinor: number;
  readonly netMinor: number;
  readonly count: number;
}

export interface CurrencySpending {
  readonly currency: string;
  readonly totals: SpendingTotals;
  readonly previous: SpendingTotals;
  readonly change: {
    readonly income: SpendingChange;
    readonly expenses: SpendingChange;
    readonly net: SpendingChange;
  };
  /** Primary categories, most spent first, then most earned. */
  readonly categories: readonly CategoryLine[];
  readonly merchants: readonly MerchantLine[];
  /** Every month the period touches, in order, zero where nothing happened. */
  readonly months: readonly MonthLine[];
}

export interface SpendingSummary {
  readonly period: SpendingPeriod;
  readonly previousPeriod: SpendingPeriod;
  readonly currencies: readonly CurrencySpending[];
}

/** How many merchants a summary lists by default. */
export const MERCHANTS_DEFAULT = 10;
/** A summary covers at most this many days (ten years): a bound on months and on the scan. */
export const PERIOD_DAYS_MAX = 3_660;

/**
 * The period before `period`: the same number of whole months when `period` is whole months
 * (so March's previous is February, however long), else the same number of days just before.
 *
 * @example previousPeriod({ from: "2026-03-01", to: "2026-03-31" }) // { from: "2026-02-01", to: "2026-02-28" }
 */
export function previousPeriod(period: SpendingPeriod): SpendingPeriod {
  checkPeriod(period);
  const months = wholeMonths(period);
  if (months !== null) {
    const [year, month] = period.from.split("-").map(Number) as [number, number];
    const start = new Date(Date.UTC(year, month - 1 - months, 1)).toISOString().slice(0, 10);
    return { from: start, to: dayToIso(isoToDay(period.from) - 1) };
  }
  const days = isoToDay(period.to) - isoToDay(period.from) + 1;
  return { from: dayToIso(isoToDay(period.from) - days), to: dayToIso(isoToDay(period.from) - 1) };
}

/** Refuses a period whose ends are not dates, are reversed, or span more than ten years. */
export function checkPeriod(period: SpendingPeriod): void {
  let from: number;
  let to: number;
  try {
    from = isoToDay(period.from);
    to = isoToDay(period.to);
  } catch (error) {
    throw new InputError(`period: ${(error as Error).message}`);
  }
  if (from > to) throw new InputError(`period: from ${period.from} is after to ${period.to}`);
  if (to - from + 1 > PERIOD_DAYS_MAX)
    throw new InputError(`period: ${period.from} to ${period.to} is longer than ${PERIOD_DAYS_MAX} days`);
}

function wholeMonths(period: SpendingPeriod): number | null {
  if (!period.from.endsWith("-01")) return null;
  const next = dayToIso(isoToDay(period.to) + 1);
  if (!next.endsWith("-01")) return null;
  const [fy, fm] = period.from.split("-").map(Number) as [number, number];
  const [ny, nm] = next.split("-").map(Number) as [number, number];
  return (ny - fy) * 12 + (nm - fm);
}

/** The months `period` touches, `YYYY-MM`, in order. */
export function monthsOf(period: SpendingPeriod): string[] {
  const out: string[] = [];
  let [year, month] = period.from.split("-").map(Number) as [number, number];
  const last = period.to.slice(0, 7);
  for (;;) {
    const label = `${year}-${String(month).padStart(2, "0")}`;
    out.push(label);
    if (label >= last) return out;
    month++;
    if (month > 12) {
      month = 1;
      year++;
    }
  }
}

interface Contribution {
  readonly income: number;
  readonly expenses: number;
}

/** What a group adds to income and expenses, by its category's kind (see the header). */
export function contributionOf(kind: CategoryKind, inMinor: number, outMinor: number): Contribution {
  if (kind === "income") return { income: inMinor + outMinor, expenses: 0 };
  if (kind === "expense") return { income: 0, expenses: -(inMinor + outMinor) };
  return { income: inMinor, expenses: -outMinor };
}

class Tally {
  income = 0;
  expenses = 0;
  net = 0;
  count = 0;
  add(c: Contribution, net: number, count: number): void {
    this.income += c.income;
    this.expenses += c.expenses;
    this.net += net;
    this.count += count;
  }
  totals(): SpendingTotals {
    for (const value of [this.income, this.expenses, this.net])
      if (!Number.isSafeInteger(value)) throw new RangeError("a spending total passed 2^53 minor units");
    return {
      incomeMinor: this.income,
      expensesMinor: this.expenses,
      netMinor: this.income - this.expenses,
      count: this.count,
    };
  }
}

/**
 * Folds grouped sums into the summary.
 *
 * @example
 * const summary = summarizeSpending(groups, { from: "2026-03-01", to: "2026-03-31" });
 * summary.currencies[0]?.totals // { incomeMinor: 512000, expensesMinor: 230455, netMinor: 281545, count: 212 }
 */
export function summarizeSpending(
  groups: readonly SpendingGroup[],
  period: SpendingPeriod,
  options: { readonly merchantsMax?: number } = {},
): SpendingSummary {
  const previous = previousPeriod(period);
  const byCurrency = new Map<string, SpendingGroup[]>();
  for (const group of groups) {
    const list = byCurrency.get(group.currency) ?? [];
    list.push(group);
    byCurrency.set(group.currency, list);
  }
  const currencies = [...byCurrency.keys()]
    .sort()
    .map((currency) =>
      currencySummary(
        currency,
        byCurrency.get(currency) ?? [],
        period,
        options.merchantsMax ?? MERCHANTS_DEFAULT,
      ),
    );
  return { period, previousPeriod: previous, currencies };
}

function currencySummary(
  currency: string,
  groups: readonly SpendingGroup[],
  period: SpendingPeriod,
  merchantsMax: number,
): CurrencySpending {
  const now = new Tally();
  const before = new Tally();
  const categories = new Map<string, { now: Tally; before: Tally }>();
  const merchants = new Map<string, { name: string; count: number; spent: number }>();
  const months = new Map(monthsOf(period).map((m) => [m, new Tally()]));
  for (const g of groups) {
    const info = describeCategory(g.category);
    const c = contributionOf(info.kind, g.inMinor, g.outMinor);
    const net = g.inMinor + g.outMinor;
    (g.previous ? before : now).add(c, net, g.count);
    const line = categories.get(g.category) ?? { now: new Tally(), before: new Tally() };
    (g.previous ? line.before : line.now).add(c, net, g.count);
    categories.set(g.category, line);
    if (g.previous) continue;
    months.get(g.month)?.add(c, net, g.count);
    if (g.merchantKey !== null && info.kind !== "income" && (info.kind === "expense" || g.outCount > 0)) {
      const m = merchants.get(g.merchantKey) ?? { name: g.merchantName ?? g.merchantKey, count: 0, spent: 0 };
      m.count += info.kind === "expense" ? g.count : g.outCount;
      m.spent += c.expenses;
      merchants.set(g.merchantKey, m);
    }
  }
  const totals = now.totals();
  const previous = before.totals();
  return {
    currency,
    totals,
    previous,
    change: {
      income: changeOf(totals.incomeMinor, previous.incomeMinor),
      expenses: changeOf(totals.expensesMinor, previous.expensesMinor),
      net: changeOf(totals.netMinor, previous.netMinor),
    },
    categories: categoryLines(categories, totals),
    merchants: [...merchants]
      .filter(([, m]) => m.spent > 0)
      .sort((a, b) => b[1].spent - a[1].spent || (a[0] < b[0] ? -1 : 1))
      .slice(0, merchantsMax)
      .map(([key, m]) => ({
        key,
        name: m.name,
        count: m.count,
        spentMinor: m.spent,
        share: ratio(m.spent, totals.expensesMinor),
      })),
    months: [...months].map(([month, tally]) => {
      const t = tally.totals();
      return {
        month,
        incomeMinor: t.incomeMinor,
        expensesMinor: t.expensesMinor,
        netMinor: t.netMinor,
        count: t.count,
      };
    }),
  };
}

function categoryLines(
  categories: Map<string, { now: Tally; before: Tally }>,
  totals: SpendingTotals,
): CategoryLine[] {
  const primaries = new Map<string, { now: Tally; before: Tally; detailed: CategoryLine[] }>();
  for (const [code, tallies] of categories) {
    const info = describeCategory(code);
    const primary = primaries.get(info.primary) ?? { now: new Tally(), before: new Tally(), detailed: [] };
    merge(primary.now, tallies.now);
    merge(primary.before, tallies.before);
    // Rows categorized only at the primary level get a line of their own, so the drill-down
    // always adds up to its primary.
    if (tallies.now.count > 0) primary.detailed.push(lineOf(code, tallies.now, tallies.before, totals, []));
    primaries.set(info.primary, primary);
  }
  return [...primaries]
    .filter(([, p]) => p.now.count > 0 || p.before.count > 0)
    .map(([code, p]) => lineOf(code, p.now, p.before, totals, p.detailed.sort(byWeight)))
    .sort(byWeight);
}

function byWeight(a: CategoryLine, b: CategoryLine): number {
  return b.expensesMinor - a.expensesMinor || b.incomeMinor - a.incomeMinor || (a.code < b.code ? -1 : 1);
}

function merge(into: Tally, from: Tally): void {
  into.income += from.income;
  into.expenses += from.expenses;
  into.net += from.net;
  into.count += from.count;
}

function lineOf(
  code: string,
  now: Tally,
  before: Tally,
  totals: SpendingTotals,
  detailed: CategoryLine[],
): CategoryLine {
  const info = describeCategory(code);
  const isIncome =
    info.kind === "income" ||
    (info.kind === "unknown" && now.income + before.income > now.expenses + before.expenses);
  return {
    code,
    name: info.name,
    kind: info.kind,
    incomeMinor: now.income,
    expensesMinor: now.expenses,
    netMinor: now.net,
    count: now.count,
    side: isIncome ? "income" : "expenses",
    share: isIncome ? ratio(now.income, totals.incomeMinor) : ratio(now.expenses, totals.expensesMinor),
    previous: { incomeMinor: before.income, expensesMinor: before.expenses, netMinor: before.net },
    change: isIncome ? changeOf(now.income, before.income) : changeOf(now.expenses, before.expenses),
    detailed,
  };
}

function changeOf(now: number, before: number): SpendingChange {
  return {
    minor: now - before,
    percent: before === 0 ? null : Math.round(((now - before) / Math.abs(before)) * 1000) / 10,
  };
}

function ratio(part: number, whole: number): number {
  return whole === 0 ? 0 : Math.round((part / whole) * 10_000) / 10_000;
}
