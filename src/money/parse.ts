import { currencyExponent } from "./currency.js";

/** Why a money string or number could not be read; `reason` is a short phrase for messages. */
export class MoneyParseError extends Error {
  readonly code = "MONEY_PARSE";
  constructor(
    readonly input: string,
    readonly reason: string,
  ) {
    super(`amount "${input}" ${reason}`);
    this.name = "MoneyParseError";
  }
}

export type DecimalSeparator = "." | ",";

export interface ParseAmountOptions {
  /** ISO 4217 code; decides how many decimals are allowed. */
  readonly currency: string;
  /** "," for locales that write 1.234,56. Default ".". */
  readonly decimalSeparator?: DecimalSeparator;
}

const SYMBOLS = /^[$€£¥₹₩₽₪₫฿₺₴₦]|[$€£¥₹₩₽₪₫฿₺₴₦]$/u;
const LEADING_CODE = /^[A-Z]{3}\s*/;
const TRAILING_CODE = /\s*[A-Z]{3}$/;
const SPACES = /[\s\u00a0\u202f]/g;

/**
 * Reads a human-written amount into integer minor units, exactly (no float ever touches it).
 * Accepts a sign, a trailing minus, accounting parentheses, a currency symbol or code, and
 * digit grouping; rejects anything else, and decimals the currency cannot hold.
 *
 * @example parseAmount("(1,234.56)", { currency: "USD" }) // -123456
 * @example parseAmount("1.234,56", { currency: "EUR", decimalSeparator: "," }) // 123456
 * @example parseAmount("¥1,200", { currency: "JPY" }) // 1200
 */
export function parseAmount(text: string, options: ParseAmountOptions): number {
  const exponent = currencyExponent(options.currency);
  const decimal = options.decimalSeparator ?? ".";
  let s = text.trim();
  if (s === "") throw new MoneyParseError(text, "is empty");
  let negative = false;
  if (s.startsWith("(") && s.endsWith(")")) {
    negative = true;
    s = s.slice(1, -1).trim();
  }
  s = s.replace(/\u2212/g, "-");
  ({ s, negative } = takeSign(s, negative, text));
  s = s.replace(LEADING_CODE, "").replace(TRAILING_CODE, "").replace(SYMBOLS, "").trim();
  ({ s, negative } = takeSign(s, negative, text));
  return digitsToMinor(s, decimal, exponent, negative, text);
}

function takeSign(s: string, negative: boolean, input: string): { s: string; negative: boolean } {
  let sign = 0;
  if (s.startsWith("-") || s.startsWith("+")) {
    sign = s[0] === "-" ? -1 : 1;
    s = s.slice(1).trim();
  } else if (s.endsWith("-")) {
    sign = -1;
    s = s.slice(0, -1).trim();
  }
  if (sign === -1 && negative) throw new MoneyParseError(input, "has two minus signs");
  return { s, negative: negative || sign === -1 };
}

function digitsToMinor(
  s: string,
  decimal: DecimalSeparator,
  exponent: number,
  negative: boolean,
  input: string,
): number {
  const group = decimal === "." ? "," : ".";
  const cut = s.lastIndexOf(decimal);
  let whole = cut === -1 ? s : s.slice(0, cut);
  const fraction = cut === -1 ? "" : s.slice(cut + 1);
  if (!/^\d*$/.test(fraction)) throw new MoneyParseError(input, "is not a number");
  whole = ungroup(whole.replace(SPACES, group === "." ? "." : ","), group, input);
  if (whole === "" && fraction === "") throw new MoneyParseError(input, "is not a number");
  return scale(whole, fraction, exponent, negative, input);
}

function ungroup(whole: string, group: string, input: string): string {
  if (/^\d*$/.test(whole)) return whole;
  const parts = whole.split(group);
  const [head, ...rest] = parts;
  const valid =
    head !== undefined && /^\d{1,3}$/.test(head) && rest.length > 0 && rest.every((p) => /^\d{3}$/.test(p));
  if (!valid) throw new MoneyParseError(input, "is not a number");
  return parts.join("");
}

function scale(whole: string, fraction: string, exponent: number, negative: boolean, input: string): number {
  const excess = fraction.slice(exponent);
  if (/[1-9]/.test(excess)) {
    throw new MoneyParseError(input, `has more than ${exponent} decimal place${exponent === 1 ? "" : "s"}`);
  }
  const digits = (whole + fraction.slice(0, exponent).padEnd(exponent, "0")).replace(/^0+(?=\d)/, "");
  const magnitude = Number(digits === "" ? "0" : digits);
  if (!Number.isSafeInteger(magnitude)) throw new MoneyParseError(input, "is too large");
  return negative && magnitude !== 0 ? -magnitude : magnitude;
}

/**
 * Converts a JSON number (as Plaid sends amounts) to minor units without float error: the
 * number's shortest decimal form is exact for any literal that was written with at most
 * 15 significant digits, so it is read as text rather than multiplied.
 *
 * @example numberToMinor(12.3, "USD") // 1230
 * @example numberToMinor(0.1 + 0.2, "USD") // throws: more than 2 decimal places
 */
export function numberToMinor(value: number, currency: string): number {
  if (!Number.isFinite(value)) throw new MoneyParseError(String(value), "is not a finite number");
  const exponent = currencyExponent(currency);
  const [mantissa = "", expText] = Math.abs(value).toString().split("e");
  const [intPart = "", fracPart = ""] = mantissa.split(".");
  const shift = expText === undefined ? 0 : Number(expText);
  let whole = intPart;
  let fraction = fracPart;
  if (shift > 0) {
    const padded = fraction.padEnd(shift, "0");
    whole += padded.slice(0, shift);
    fraction = padded.slice(shift);
  } else if (shift < 0) {
    fraction = "0".repeat(-shift - 1) + whole + fraction;
    whole = "0";
  }
  return scale(whole, fraction, exponent, value < 0, String(value));
}

/**
 * Converts a Plaid amount (money out > 0, a float) into bankrec's natural sign
 * (money in > 0) in minor units. This is the one place the sign flips.
 *
 * @example fromPlaidAmount(25.5, "USD") // -2550 (money left the account)
 */
export function fromPlaidAmount(amount: number, currency: string): number {
  const minor = numberToMinor(amount, currency);
  return minor === 0 ? 0 : -minor;
}
