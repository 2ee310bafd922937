import { isIsoDate } from "../../domain/iso-date.js";
import type { PayoutItem, PayoutItemKind } from "../../domain/payout.js";
import { currencyExponent, type DecimalSeparator, formatAmount } from "../../money/index.js";
import { toIsoDate } from "../calendar-date.js";
import { amountMinorOf, currencyOf, oneLine } from "../entry-values.js";
import { RowProblem } from "../row-problem.js";
import { type Column, cellOf, requiredCellOf } from "./columns.js";

/** What every report reader is told. */
export interface ReportSettings {
  /** Currency of rows whose report names none (Square's deposit details may not). */
  readonly currency: string;
  readonly decimalSeparator: DecimalSeparator;
}

const YEAR_FIRST = /^(\d{4})[-/](\d{2})[-/](\d{2})(?:$|[T\s])/;
const MONTH_FIRST_SHORT_YEAR = /^(\d{1,2})\/(\d{1,2})\/(\d{2})$/;

/**
 * The calendar date a report writes, with any time of day dropped, never shifted by a time
 * zone: `2025-01-03`, `2025-01-03 12:00:00`, `2025-01-03T23:10:00Z`, PayPal's
 * `2025/01/03 12:00:00 -0800`, and US `01/03/2025` or `01/03/25` (Square's exports).
 *
 * @example payoutDayOf("created", "2025-01-03 12:00:00") // "2025-01-03"
 * @throws RowProblem `created "yesterday" is not a date`
 */
export function payoutDayOf(field: string, text: string): string {
  const t = text.trim();
  const ymd = YEAR_FIRST.exec(t);
  if (ymd !== null) {
    const day = `${ymd[1]}-${ymd[2]}-${ymd[3]}`;
    if (isIsoDate(day)) return day;
    throw new RowProblem(field, "is not a date", text);
  }
  const datePart = t.split(/\s+/)[0] ?? "";
  const short = MONTH_FIRST_SHORT_YEAR.exec(datePart);
  const day = short === null ? toIsoDate(datePart) : toIsoDate(`${short[1]}/${short[2]}/20${short[3]}`);
  if (day === null) throw new RowProblem(field, "is not a date", text);
  return day;
}

/** A required date cell. */
export function dayCell(cells: readonly string[], column: Column): string {
  return payoutDayOf(column.label, requiredCellOf(cells, column));
}

/** A currency cell (`usd` or `USD`), or the settings' currency when the report has no such column. */
export function currencyCell(cells: readonly string[], column: Column | undefined, settings: ReportSettings) {
  if (column === undefined) return settings.currency;
  return currencyOf(column.label, requiredCellOf(cells, column));
}

/** A decimal amount in major units (`-12.34`, `$1,234.56`), as minor units of `currency`. */
export function amountCell(
  cells: readonly string[],
  column: Column,
  currency: string,
  settings: ReportSettings,
): number {
  return amountMinorOf(column.label, requiredCellOf(cells, column), currency, settings.decimalSeparator);
}

/** An optional amount: 0 when the column is absent or the cell empty. */
export function optionalAmountCell(
  cells: readonly string[],
  column: Column | undefined,
  currency: string,
  settings: ReportSettings,
): number {
  const text = cellOf(cells, column);
  if (column === undefined || text === "") return 0;
  return amountMinorOf(column.label, text, currency, settings.decimalSeparator);
}

/** `-x` without the `-0` that breaks deep equality and prints as "-0.00". */
export function negated(minor: number): number {
  return minor === 0 ? 0 : -minor;
}

/** Amounts for messages: `12.34`, `-1,000.00`. */
export function shown(minor: number, currency: string): string {
  return formatAmount(minor, currency);
}

/** The line's text fields, one line each, and its other ids (empty and repeated ones dropped). */
export function lineItem(fields: {
  readonly id: string;
  readonly kind: PayoutItemKind;
  readonly date: string;
  readonly grossMinor: number;
  readonly feeMinor: number;
  readonly description: string;
  readonly references: readonly string[];
}): PayoutItem {
  const { id, kind, date, grossMinor, feeMinor } = fields;
  const references = [...new Set(fields.references.filter((r) => r !== "" && r !== id))];
  // A fee line's amount is its fee: gross 0, so that a payout's gross is its sales and refunds.
  const gross = kind === "fee" ? 0 : grossMinor;
  const fee = kind === "fee" ? grossMinor + feeMinor : feeMinor;
  const net = gross + fee;
  if (!Number.isSafeInteger(net)) throw new RowProblem("net", "is too large");
  return {
    id,
    kind,
    date,
    grossMinor: gross,
    feeMinor: fee,
    netMinor: net,
    description: oneLine(fields.description),
    references,
  };
}

/** The kind a line has by its sign alone, when the report does not say. */
export function kindBySign(grossMinor: number, feeMinor: number): PayoutItemKind {
  if (grossMinor > 0) return "charge";
  if (grossMinor < 0) return "refund";
  return feeMinor !== 0 ? "fee" : "other";
}

/** Minor units per unit of `currency`'s exponent relative to 2 (PayPal writes every amount with 2 implied decimals). */
export function scaleFromCents(field: string, text: string, cents: number, currency: string): number {
  const exponent = currencyExponent(currency);
  if (exponent >= 2) return cents * 10 ** (exponent - 2);
  const divisor = 10 ** (2 - exponent);
  if (cents % divisor !== 0)
    throw new RowProblem(
      field,
      `has more decimals than ${currency} allows (amounts are in hundredths)`,
      text,
    );
  return cents / divisor;
}
