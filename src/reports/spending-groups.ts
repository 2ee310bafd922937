/**
 * The grouped sums a spending summary folds, computed in memory: the store computes the same
 * groups in SQL (`store/spending-queries.ts`); this serves rows read from a file.
 */
import { previousPeriod, type SpendingGroup, type SpendingPeriod } from "./spending.js";

/** What a summary needs of a row that counts (transfers and excluded rows already left out). */
export interface SpendingRow {
  readonly currency: string;
  readonly date: string;
  readonly category: string;
  readonly merchantKey: string | null;
  readonly merchantName: string | null;
  readonly amountMinor: number;
}

/**
 * Groups the rows of `period` and of the period before it.
 *
 * @example summarizeSpending(groupSpending(rows, period), period)
 */
export function groupSpending(rows: Iterable<SpendingRow>, period: SpendingPeriod): SpendingGroup[] {
  const previous = previousPeriod(period);
  const groups = new Map<string, { -readonly [K in keyof SpendingGroup]: SpendingGroup[K] }>();
  for (const row of rows) {
    if (row.date < previous.from || row.date > period.to) continue;
    const isPrevious = row.date < period.from;
    const month = row.date.slice(0, 7);
    const key = `${row.currency}|${isPrevious}|${month}|${row.category}|${row.merchantKey ?? ""}`;
    let group = groups.get(key);
    if (group === undefined) {
      group = {
        currency: row.currency,
        previous: isPrevious,
        month,
        category: row.category,
        merchantKey: row.merchantKey,
        merchantName: row.merchantName,
        inMinor: 0,
        outMinor: 0,
        count: 0,
        outCount: 0,
      };
      groups.set(key, group);
    }
    if (row.amountMinor > 0) group.inMinor += row.amountMinor;
    else {
      group.outMinor += row.amountMinor;
      if (row.amountMinor < 0) group.outCount++;
    }
    group.count++;
  }
  return [...groups.values()];
}
