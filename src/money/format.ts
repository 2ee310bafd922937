import { currencyExponent } from "./currency.js";
import type { DecimalSeparator } from "./parse.js";

export interface FormatAmountOptions {
  readonly decimalSeparator?: DecimalSeparator;
  /** Group thousands (1,234.56). Default true. */
  readonly grouping?: boolean;
}

/**
 * Writes minor units as a decimal string with exactly the currency's decimals.
 * `parseAmount(formatAmount(x, c), { currency: c })` returns `x` for every safe integer.
 *
 * @example formatAmount(-123456, "USD") // "-1,234.56"
 * @example formatAmount(1200, "JPY") // "1,200"
 * @example formatAmount(123456, "EUR", { decimalSeparator: "," }) // "1.234,56"
 */
export function formatAmount(minor: number, currency: string, options: FormatAmountOptions = {}): string {
  if (!Number.isSafeInteger(minor)) throw new RangeError(`${minor} is not a whole number of minor units`);
  const exponent = currencyExponent(currency);
  const decimal = options.decimalSeparator ?? ".";
  const group = decimal === "." ? "," : ".";
  const digits = Math.abs(minor)
    .toString()
    .padStart(exponent + 1, "0");
  let whole = digits.slice(0, digits.length - exponent);
  const fraction = digits.slice(digits.length - exponent);
  if (options.grouping ?? true) whole = whole.replace(/\B(?=(\d{3})+(?!\d))/g, group);
  const sign = minor < 0 ? "-" : "";
  return exponent === 0 ? sign + whole : `${sign}${whole}${decimal}${fraction}`;
}

/** Plain machine form: no grouping, "." decimals, e.g. "-1234.56". Used in CSV and JSON output. */
export function formatAmountPlain(minor: number, currency: string): string {
  return formatAmount(minor, currency, { grouping: false });
}
