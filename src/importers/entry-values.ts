import { isIsoDate } from "../domain/iso-date.js";
import {
  currencyExponent,
  type DecimalSeparator,
  isCurrencyCode,
  MoneyParseError,
  parseAmount,
} from "../money/index.js";
import { plainTextToMinor } from "./fast-amount.js";
import { RowProblem } from "./row-problem.js";

/**
 * Small readers every statement format shares: amounts, dates, currencies and free text.
 * Each fails with a RowProblem naming the field as the format names it; the format's reader
 * adds the file and line (or element path).
 */

/**
 * An unsigned or signed decimal amount in minor units; the fast path covers what banks write
 * (`-34.51`, `10000,99`), money's `parseAmount` the rest and the exact message.
 *
 * @example amountMinorOf("TRNAMT", "-34.51", "USD", ".") // -3451
 */
export function amountMinorOf(
  field: string,
  text: string,
  currency: string,
  decimal: DecimalSeparator,
): number {
  const fast = plainTextToMinor(text, currencyExponent(currency), decimal);
  if (fast !== undefined) return fast;
  try {
    return parseAmount(text, { currency, decimalSeparator: decimal });
  } catch (error) {
    if (!(error instanceof MoneyParseError)) throw error;
    throw new RowProblem(field, error.reason, text, { cause: error });
  }
}

/** A currency code as written, checked. */
export function currencyOf(field: string, text: string): string {
  const code = text.trim().toUpperCase();
  if (!isCurrencyCode(code)) throw new RowProblem(field, "is not a currency code", text);
  return code;
}

/**
 * The calendar day at the start of an ISO date or date-time (`2025-03-31`,
 * `2025-03-31T10:00:00+01:00`): the day the bank wrote, never shifted by a time zone.
 */
export function isoDayOf(field: string, text: string): string {
  const day = text.trim().slice(0, 10);
  if (!isIsoDate(day)) throw new RowProblem(field, "is not a date", text);
  return day;
}

/** `YYYYMMDD` at the start of `text` (OFX dates: `20110331120000.000[-5:EST]`), as ISO. */
export function compactDayOf(field: string, text: string): string {
  const t = text.trim();
  const day = `${t.slice(0, 4)}-${t.slice(4, 6)}-${t.slice(6, 8)}`;
  if (!/^\d{8}/.test(t) || !isIsoDate(day)) throw new RowProblem(field, "is not a date", text);
  return day;
}

/** Runs of white space (line breaks included) as one space, trimmed. */
export function oneLine(text: string): string {
  return NOT_ONE_LINE.test(text) ? text.replace(/\s+/g, " ").trim() : text;
}

/** Most descriptions are already one line; testing is cheaper than replacing. */
const NOT_ONE_LINE = /^\s|\s$|\s\s|[\t\n\r\f\v\u00a0]/;

/** Joins the parts that are present with a space; "" when none is. */
export function joinPresent(...parts: (string | null | undefined)[]): string {
  return parts.filter((p): p is string => p !== null && p !== undefined && p !== "").join(" ");
}

/** Whether `text[from, to)` is only white space; no string is made. */
export function isBlank(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return false;
  }
  return true;
}
