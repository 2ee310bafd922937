/**
 * A whole feed categorized in memory: each row resolved, transfers paired across the rows,
 * and each row's report role. The store does the same in SQL-sized pages
 * (`store/categories.ts`); this serves a file read without a store.
 */
import {
  type Categorization,
  type CategorizeInput,
  categorize,
  type ReportRole,
  reportRole,
} from "./resolve.js";
import type { CompiledRule } from "./rules.js";
import { pairTransfers } from "./transfers.js";

export interface FeedRow extends CategorizeInput {
  readonly id: string;
  readonly date: string;
  readonly pending: boolean;
}

export interface CategorizedRow {
  readonly row: FeedRow;
  readonly categorization: Categorization;
  readonly transferPartnerId: string | null;
  readonly role: ReportRole;
}

/**
 * Categorizes every row and pairs transfers among them; every account the rows name is taken
 * as the owner's (a file holds one owner's accounts).
 *
 * @example categorizeRows(rows, compileRules([])).filter((r) => r.role === "counted")
 */
export function categorizeRows(rows: readonly FeedRow[], rules: readonly CompiledRule[]): CategorizedRow[] {
  const resolved = rows.map((row) => ({ row, categorization: categorize(row, rules) }));
  const own = new Set(rows.map((row) => row.accountId).filter((id) => id !== ""));
  const pairs = pairTransfers(
    resolved.map(({ row, categorization }) => ({
      id: row.id,
      accountId: row.accountId,
      amountMinor: row.amountMinor,
      currency: row.currency,
      date: row.date,
      category: categorization.category,
      description: row.description,
      markTransfer: categorization.markTransfer,
    })),
    own,
  );
  const partner = new Map<string, string>();
  for (const pair of pairs) {
    partner.set(pair.outId, pair.inId);
    partner.set(pair.inId, pair.outId);
  }
  return resolved.map(({ row, categorization }) => {
    const transferPartnerId = partner.get(row.id) ?? null;
    return {
      row,
      categorization,
      transferPartnerId,
      role: reportRole(categorization, transferPartnerId !== null),
    };
  });
}
