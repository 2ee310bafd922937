import type { PayoutItem, PayoutProcessor } from "../../domain/payout.js";

/** A line of a payout, read from one row of the report. */
export interface ItemRow {
  readonly kind: "item";
  readonly payoutId: string;
  /** The payout's date as this row gives it, or null when only the payout's own row does. */
  readonly payoutDate: string | null;
  readonly currency: string;
  readonly item: PayoutItem;
  readonly line: number;
}

/** A payout's own row (PayPal's withdrawal, the payout in Stripe's balance export): its net and date. */
export interface TotalRow {
  readonly kind: "total";
  readonly payoutId: string;
  readonly payoutDate: string;
  readonly currency: string;
  readonly netMinor: number;
  readonly line: number;
}

export type ReportRow = ItemRow | TotalRow;

/**
 * Reads the data rows of one report layout (the header is already known). A bad row throws a
 * RowProblem naming the column; the caller adds file and line and goes on to the next row.
 */
export interface RowReader {
  readonly processor: PayoutProcessor;
  /** The report's name in messages: "Stripe's payout reconciliation report". */
  readonly report: string;
  /** The line id's column as the header names it, when ids are unique in the report (a repeat is a bad row). */
  readonly uniqueIdLabel: string | null;
  /** The rows this one yields: none (not part of a payout, or held until its payout's own row), or some. */
  read(cells: readonly string[], line: number): readonly ReportRow[];
}
