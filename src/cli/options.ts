import { availableParallelism } from "node:os";
import { isIsoDate } from "../domain/iso-date.js";
import type { ReadOptions } from "../importers/index.js";
import { isCurrencyCode, MoneyParseError, parseAmount } from "../money/index.js";
import type { ReconcileOptions } from "../reconcile/index.js";
import { UsageError } from "./errors.js";

/**
 * Turns the text of command-line options into checked values. Every check fails with a
 * `UsageError` whose message names the flag and quotes what was given, e.g.
 * `--window-after must be a whole number of days, got "x"`.
 */

export const FORMATS = ["table", "json", "csv"] as const;
export type OutputFormat = (typeof FORMATS)[number];

export const ONLY = ["matched", "review", "unmatched"] as const;
/** Which rows to show: auto-accepted matches, matches for review, or rows with no partner. */
export type OnlyRows = (typeof ONLY)[number];

/** Limits on the engine's knobs: generous for real use, small enough to keep a run bounded. */
export const LIMITS = {
  windowDaysMax: 366,
  groupSizeMax: 12,
  threadsMax: 64,
} as const;

/** Threads the CLI lets the engine use by default: the machine's, up to 8. */
export function defaultThreads(): number {
  return Math.min(8, Math.max(1, availableParallelism()));
}

/** The options `reconcile` and `demo` share, as commander hands them over (text or absent). */
export interface RawEngineFlags {
  readonly currency?: string;
  readonly decimalComma?: boolean;
  readonly windowBefore?: string;
  readonly windowAfter?: string;
  readonly tolerance?: string;
  readonly nearMaxRatio?: string;
  readonly nearMax?: string;
  readonly groupMax?: string;
  readonly reviewBelow?: string;
  readonly threads?: string;
}

export interface RawOutputFlags {
  readonly out?: string;
  readonly format?: string;
  readonly json?: boolean;
  readonly only?: string;
}

function quoted(value: string): string {
  return JSON.stringify(value);
}

/** A whole number within [min, max]; `unit` is plural words for the message ("days"). */
export function wholeNumber(flag: string, value: string, unit: string, min: number, max: number): number {
  if (!/^\d+$/.test(value.trim()))
    throw new UsageError(`${flag} must be a whole number of ${unit}, got ${quoted(value)}`);
  const n = Number(value.trim());
  if (n < min || n > max)
    throw new UsageError(`${flag} must be between ${min} and ${max} ${unit}, got ${quoted(value)}`);
  return n;
}

/** A number from 0 to 1 inclusive, written in decimals ("0.6", ".05", "1"). */
export function unitInterval(flag: string, value: string): number {
  const text = value.trim();
  const n = /^(\d+(\.\d*)?|\.\d+)$/.test(text) ? Number(text) : Number.NaN;
  if (!(n >= 0 && n <= 1)) throw new UsageError(`${flag} must be a number from 0 to 1, got ${quoted(value)}`);
  return n;
}

/** A non-negative amount in `currency`, as integer minor units. */
export function amountMinor(flag: string, value: string, currency: string, decimalComma: boolean): number {
  const example = decimalComma ? "0,05" : "0.05";
  let minor: number;
  try {
    minor = parseAmount(value, { currency, decimalSeparator: decimalComma ? "," : "." });
  } catch (error) {
    if (!(error instanceof MoneyParseError)) throw error;
    throw new UsageError(`${flag} must be an amount in ${currency} such as ${example}, got ${quoted(value)}`);
  }
  if (minor < 0) throw new UsageError(`${flag} must not be negative, got ${quoted(value)}`);
  return minor;
}

/** An ISO 4217 code; lower case is accepted and raised. */
export function currencyCode(flag: string, value: string): string {
  const code = value.trim().toUpperCase();
  if (!isCurrencyCode(code))
    throw new UsageError(`${flag} must be a 3-letter currency code such as USD, got ${quoted(value)}`);
  return code;
}

function oneOf<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  const found = allowed.find((a) => a === value.trim().toLowerCase());
  if (found === undefined) {
    throw new UsageError(`${flag} must be one of ${allowed.join(", ")}, got ${quoted(value)}`);
  }
  return found;
}

/** The currency amount options are read in: --currency, else USD (the readers' default too). */
function flagCurrency(flags: RawEngineFlags): string {
  return flags.currency === undefined ? "USD" : currencyCode("--currency", flags.currency);
}

/** What the readers are told: only the options the user gave, so the readers' defaults hold. */
export function toReadOptions(flags: RawEngineFlags): ReadOptions {
  return {
    ...(flags.currency !== undefined && { currency: currencyCode("--currency", flags.currency) }),
    ...(flags.decimalComma === true && { decimalSeparator: "," as const }),
  };
}

/** What the engine is told: only the options the user gave, so the engine's defaults hold. */
export function toReconcileOptions(flags: RawEngineFlags): ReconcileOptions {
  const currency = flagCurrency(flags);
  const comma = flags.decimalComma === true;
  const days = (flag: string, v: string) => wholeNumber(flag, v, "days", 0, LIMITS.windowDaysMax);
  const f = flags;
  return {
    ...(f.windowBefore !== undefined && { dateWindowBeforeDays: days("--window-before", f.windowBefore) }),
    ...(f.windowAfter !== undefined && { dateWindowAfterDays: days("--window-after", f.windowAfter) }),
    ...(f.tolerance !== undefined && {
      amountToleranceMinor: amountMinor("--tolerance", f.tolerance, currency, comma),
    }),
    ...(f.nearMaxRatio !== undefined && {
      nearAmountMaxRatio: unitInterval("--near-max-ratio", f.nearMaxRatio),
    }),
    ...(f.nearMax !== undefined && {
      nearAmountMaxMinor: amountMinor("--near-max", f.nearMax, currency, comma),
    }),
    ...(f.groupMax !== undefined && {
      groupSizeMax: wholeNumber("--group-max", f.groupMax, "rows", 1, LIMITS.groupSizeMax),
    }),
    ...(f.reviewBelow !== undefined && {
      reviewBelowConfidence: unitInterval("--review-below", f.reviewBelow),
    }),
    threads:
      f.threads === undefined
        ? defaultThreads()
        : wholeNumber("--threads", f.threads, "threads", 1, LIMITS.threadsMax),
  };
}

export interface OutputChoice {
  readonly format: OutputFormat;
  /** Absent: stdout. */
  readonly out?: string;
  readonly only?: OnlyRows;
}

/** The output format: --format, else --json, else the --out file's extension, else a table. */
export function toOutputChoice(flags: RawOutputFlags): OutputChoice {
  let format: OutputFormat | undefined;
  if (flags.format !== undefined) format = oneOf("--format", flags.format, FORMATS);
  if (flags.json === true) {
    if (format !== undefined && format !== "json") {
      throw new UsageError(`--json and --format ${format} disagree; give one of them`);
    }
    format = "json";
  }
  if (flags.out !== undefined && flags.out.trim() === "")
    throw new UsageError(`--out needs a file name, got ""`);
  format ??= formatFromExtension(flags.out);
  return {
    format,
    ...(flags.out !== undefined && { out: flags.out }),
    ...(flags.only !== undefined && { only: oneOf("--only", flags.only, ONLY) }),
  };
}

function formatFromExtension(out: string | undefined): OutputFormat {
  const lower = out?.toLowerCase() ?? "";
  if (lower.endsWith(".json")) return "json";
  if (lower.endsWith(".csv")) return "csv";
  return "table";
}

/** A `YYYY-MM-DD` calendar date, or undefined when the flag was not given. */
export function dateFlag(flag: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!isIsoDate(value.trim())) throw new UsageError(`${flag} must be a date as YYYY-MM-DD, got "${value}"`);
  return value.trim();
}

/** Commander's collector for an option given several times (`--account a --account b`). */
export function repeatable(value: string, previous: readonly string[] = []): string[] {
  return [...previous, value];
}
