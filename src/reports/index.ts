/**
 * Reports, pure: functions over grouped sums or rows, never a query or a file. The store runs
 * the SQL that feeds them; the CLI and the API print what they return.
 *
 * @example
 * const summary = summarizeSpending(await spendingGroups(store, query), { from: "2026-03-01", to: "2026-03-31" });
 */
export {
  type CategoryLine,
  type CurrencySpending,
  checkPeriod,
  contributionOf,
  MERCHANTS_DEFAULT,
  type MerchantLine,
  type MonthLine,
  monthsOf,
  PERIOD_DAYS_MAX,
  previousPeriod,
  type SpendingChange,
  type SpendingGroup,
  type SpendingPeriod,
  type SpendingSummary,
  type SpendingTotals,
  summarizeSpending,
} from "./spending.js";
export { groupSpending, type SpendingRow } from "./spending-groups.js";
