import { isIsoDate } from "../domain/iso-date.js";
import { floatToMinor } from "../importers/fast-amount.js";
import {
  currencyExponent,
  fromPlaidAmount,
  isCurrencyCode,
  MoneyParseError,
  numberToMinor,
} from "../money/index.js";
import { PlaidApiError } from "./errors.js";

/**
 * Field readers for Plaid's responses. The SDK's types are promises, not checks: these read
 * a field, accept what Plaid documents (and any new enum value, as an open string), and throw
 * a PlaidApiError naming the record and field when a value cannot be used.
 */

export type Row = Readonly<Record<string, unknown>>;

/** The record being mapped, for messages: `transaction t_123`. */
export interface Where {
  readonly kind: string;
  readonly id: string;
}

export function invalid(where: Where, field: string, problem: string): PlaidApiError {
  return new PlaidApiError({
    operation: `map ${where.kind}`,
    errorType: "INVALID_RESPONSE",
    errorCode: "UNUSABLE_FIELD",
    errorMessage: `${where.kind} ${where.id}: ${field} ${problem}`,
    displayMessage: null,
    requestId: null,
    httpStatus: null,
    retryable: false,
    outcomeUnknown: false,
  });
}

export function asRow(value: unknown, where: Where): Row {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw invalid(where, "record", "is not an object");
  }
  return value as Row;
}

export function requiredId(row: Row, key: string, kind: string): string {
  const value = row[key];
  if (typeof value !== "string" || value === "") {
    throw invalid({ kind, id: "(unknown)" }, key, "is missing or not a string");
  }
  return value;
}

export function requiredString(row: Row, key: string, where: Where): string {
  const value = row[key];
  if (typeof value !== "string") throw invalid(where, key, "is missing or not a string");
  return value;
}

/** An optional string; an enum value Plaid adds later passes through as it is. */
export function openString(row: Row, key: string): string | null {
  const value = row[key];
  return typeof value === "string" ? value : null;
}

export function optionalNumber(row: Row, key: string): number | null {
  const value = row[key];
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}

export function optionalBoolean(row: Row, key: string): boolean | null {
  const value = row[key];
  return typeof value === "boolean" ? value : null;
}

export function stringList(row: Row, key: string): readonly string[] | null {
  const value = row[key];
  if (!Array.isArray(value)) return null;
  return value.filter((item): item is string => typeof item === "string");
}

export function requiredDate(row: Row, key: string, where: Where): string {
  const value = row[key];
  if (typeof value !== "string" || !isIsoDate(value)) throw invalid(where, key, "is not a YYYY-MM-DD date");
  return value;
}

export function optionalDate(row: Row, key: string, where: Where): string | null {
  const value = row[key];
  if (value === undefined || value === null) return null;
  if (typeof value !== "string" || !isIsoDate(value)) throw invalid(where, key, "is not a YYYY-MM-DD date");
  return value;
}

/** A currency from the ISO code, or else Plaid's unofficial code (crypto and the like). */
export interface CurrencyOf {
  readonly currency: string;
  readonly currencyIsOfficial: boolean;
}

export function currencyOf(row: Row, where: Where, fallback: string | null = null): CurrencyOf {
  const iso = openString(row, "iso_currency_code");
  if (iso !== null) {
    if (!isCurrencyCode(iso)) throw invalid(where, "iso_currency_code", `"${iso}" is not a currency code`);
    return { currency: iso, currencyIsOfficial: true };
  }
  const unofficial = openString(row, "unofficial_currency_code");
  if (unofficial !== null) {
    if (!isCurrencyCode(unofficial)) {
      throw invalid(
        where,
        "unofficial_currency_code",
        `"${unofficial}" has no three-letter code bankrec can hold`,
      );
    }
    return { currency: unofficial, currencyIsOfficial: false };
  }
  if (fallback !== null) return { currency: fallback, currencyIsOfficial: true };
  throw invalid(where, "iso_currency_code", "and unofficial_currency_code are both null");
}

/** A Plaid flow amount (money out > 0) in bankrec's natural sign, exactly. */
export function flowMinor(row: Row, key: string, currency: string, where: Where): number {
  const value = row[key];
  if (typeof value !== "number") throw invalid(where, key, "is not a number");
  // The common case (a float with at most the currency's decimals) without text conversion.
  const fast = floatToMinor(value, currencyExponent(currency));
  if (fast !== undefined) return fast === 0 ? 0 : -fast;
  try {
    return fromPlaidAmount(value, currency);
  } catch (error) {
    if (error instanceof MoneyParseError) throw invalid(where, key, error.reason);
    throw error;
  }
}

/** An amount Plaid states as it is (a balance, a payment due), in minor units, exactly. */
export function statedMinor(row: Row, key: string, currency: string, where: Where): number | null {
  const value = row[key];
  if (value === undefined || value === null) return null;
  if (typeof value !== "number") throw invalid(where, key, "is not a number");
  const fast = floatToMinor(value, currencyExponent(currency));
  if (fast !== undefined) return fast;
  try {
    return numberToMinor(value, currency);
  } catch (error) {
    if (error instanceof MoneyParseError) throw invalid(where, key, error.reason);
    throw error;
  }
}

/**
 * A value that is a product of a price and a quantity (a holding's value, a cost basis): Plaid
 * sends it with more decimals than the currency has, so it is rounded half away from zero to
 * the minor unit from its decimal form (never by multiplying the float).
 */
export function roundedMinor(row: Row, key: string, currency: string, where: Where): number | null {
  const value = row[key];
  if (value === undefined || value === null) return null;
  if (typeof value !== "number" || !Number.isFinite(value)) throw invalid(where, key, "is not a number");
  const magnitude = roundHalfUp(Math.abs(value), currencyExponent(currency));
  if (!Number.isSafeInteger(magnitude)) throw invalid(where, key, "is too large");
  return value < 0 && magnitude !== 0 ? -magnitude : magnitude;
}

/** Rounds the number's shortest decimal form (what Plaid wrote), so 2.675 is a half, not 2.67499…. */
function roundHalfUp(magnitude: number, exponent: number): number {
  const text = /e/.test(String(magnitude)) ? magnitude.toFixed(20) : String(magnitude);
  const [whole = "0", fraction = ""] = text.split(".");
  const kept = Number(whole + fraction.slice(0, exponent).padEnd(exponent, "0"));
  return (fraction[exponent] ?? "0") >= "5" ? kept + 1 : kept;
}
