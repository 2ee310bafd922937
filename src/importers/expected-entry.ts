import type { ExpectedEntry } from "../domain/index.js";
import {
  currencyExponent,
  type DecimalSeparator,
  isCurrencyCode,
  MoneyParseError,
  numberToMinor,
  parseAmount,
} from "../money/index.js";
import { toIsoDate } from "./calendar-date.js";
import type { ExpectedField } from "./expected-columns.js";
import { plainTextToMinor } from "./fast-amount.js";
import { count, FIELD_CHARS_MAX } from "./input-limits.js";
import { RowProblem } from "./row-problem.js";
import { TextPool } from "./text-pool.js";

/** Which cell of a row holds each field: a CSV column index, or a slot JSON keys are put in. */
export type ExpectedLayout = Partial<Record<ExpectedField, number>>;
/** How the input spells each field (its header or key), so messages quote the user's words. */
export type ExpectedLabels = Partial<Record<ExpectedField, string>>;

export interface EntrySettings {
  readonly currency: string;
  readonly decimalSeparator: DecimalSeparator;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * Maps rows, whatever their format, to ExpectedEntry values, or throws a RowProblem naming the
 * field. A row is an array of cells (CSV text, or JSON strings, numbers and nulls) read through
 * a layout fixed for the file: no per-row objects or closures, which at a million rows showed
 * in the garbage collector's time. Amounts are in the natural sign; a `debit` column holds
 * money out, whatever its sign.
 *
 * @example new ExpectedEntryReader(usd, { id: 0, date: 1, debit: 2 }).read(["E1", "03/31/2025", "12.50"], {})
 * // { id: "E1", date: "2025-03-31", amountMinor: -1250, currency: "USD", ... }
 */
export class ExpectedEntryReader {
  readonly #hasRanges: boolean;
  readonly #pool = new TextPool();

  constructor(
    readonly settings: EntrySettings,
    readonly layout: ExpectedLayout,
  ) {
    this.#hasRanges = RANGE_FIELDS.some((field) => layout[field] !== undefined);
  }

  read(cells: readonly unknown[], labels: ExpectedLabels): ExpectedEntry {
    const id = textOf(this.#cell(cells, "id"), labels.id ?? "id");
    if (id === "") throw new RowProblem(labels.id ?? "id", "expected a value");
    const pool = this.#pool;
    const date = dateOf(this.#cell(cells, "date"), labels.date ?? "date");
    if (date === undefined) throw new RowProblem(labels.date ?? "date", "expected a value");
    const currency = pool.share(
      this.currencyOf(this.#cell(cells, "currency"), labels.currency ?? "currency"),
    );
    const entry: Mutable<ExpectedEntry> = {
      id,
      date: pool.share(date),
      amountMinor: this.signedAmount(cells, labels, currency),
      currency,
      description: textOf(this.#cell(cells, "description"), labels.description ?? "description"),
      counterparty: pool.shareOrNull(
        nullIfEmpty(textOf(this.#cell(cells, "counterparty"), labels.counterparty ?? "counterparty")),
      ),
      reference: nullIfEmpty(textOf(this.#cell(cells, "reference"), labels.reference ?? "reference")),
      accountId: pool.shareOrNull(
        nullIfEmpty(textOf(this.#cell(cells, "account_id"), labels.account_id ?? "account_id")),
      ),
    };
    if (this.#hasRanges) this.addRanges(entry, cells, labels);
    return entry;
  }

  #cell(cells: readonly unknown[], field: ExpectedField): unknown {
    const index = this.layout[field];
    return index === undefined ? undefined : cells[index];
  }

  private signedAmount(cells: readonly unknown[], labels: ExpectedLabels, currency: string): number {
    const amount = this.amountOf(cells, labels, "amount", currency);
    if (amount !== undefined) return amount;
    const debit = this.amountOf(cells, labels, "debit", currency);
    const credit = this.amountOf(cells, labels, "credit", currency);
    if (debit !== undefined && debit !== 0 && credit !== undefined && credit !== 0) {
      throw new RowProblem(
        labels.debit ?? "debit",
        `and ${labels.credit ?? "credit"} are both set; expected one`,
      );
    }
    if (credit !== undefined && credit !== 0) return Math.abs(credit);
    if (debit !== undefined) return debit === 0 ? 0 : -Math.abs(debit);
    if (credit !== undefined) return 0;
    throw new RowProblem(labels.amount ?? "amount", "expected a value");
  }

  private addRanges(entry: Mutable<ExpectedEntry>, cells: readonly unknown[], labels: ExpectedLabels): void {
    const min = this.amountOf(cells, labels, "amount_min", entry.currency);
    const max = this.amountOf(cells, labels, "amount_max", entry.currency);
    if (min !== undefined && max !== undefined && min > max) {
      const field = labels.amount_min ?? "amount_min";
      const written = String(this.#cell(cells, "amount_min")).trim();
      throw new RowProblem(field, `is above ${labels.amount_max ?? "amount_max"}`, written);
    }
    if (min !== undefined) entry.amountMinMinor = min;
    if (max !== undefined) entry.amountMaxMinor = max;
    const from = dateOf(this.#cell(cells, "date_from"), labels.date_from ?? "date_from");
    const to = dateOf(this.#cell(cells, "date_to"), labels.date_to ?? "date_to");
    if (from !== undefined && to !== undefined && from > to) {
      throw new RowProblem(labels.date_from ?? "date_from", `is after ${labels.date_to ?? "date_to"}`, from);
    }
    if (from !== undefined) entry.dateFrom = from;
    if (to !== undefined) entry.dateTo = to;
  }

  private currencyOf(value: unknown, label: string): string {
    const text = textOf(value, label);
    if (text === "") return this.settings.currency;
    if (isCurrencyCode(text)) return text;
    const code = text.toUpperCase();
    if (!isCurrencyCode(code)) throw new RowProblem(label, "is not a currency code", text);
    return code;
  }

  /** Text through parseAmount, JSON numbers through numberToMinor (both exact), plain shapes fast. */
  private amountOf(
    cells: readonly unknown[],
    labels: ExpectedLabels,
    field: ExpectedField,
    currency: string,
  ): number | undefined {
    const value = this.#cell(cells, field);
    const label = labels[field] ?? field;
    try {
      if (typeof value === "number") return numberToMinor(value, currency);
      const text = textOf(value, label);
      if (text === "") return undefined;
      const decimalSeparator = this.settings.decimalSeparator;
      const fast = plainTextToMinor(text, currencyExponent(currency), decimalSeparator);
      if (fast !== undefined) return fast;
      return parseAmount(text, { currency, decimalSeparator });
    } catch (error) {
      if (!(error instanceof MoneyParseError)) throw error;
      throw new RowProblem(label, error.reason, error.input, { cause: error });
    }
  }
}

const RANGE_FIELDS: readonly ExpectedField[] = ["amount_min", "amount_max", "date_from", "date_to"];

function textOf(value: unknown, label: string): string {
  if (value === undefined || value === null) return "";
  if (typeof value === "string") {
    if (value.length > FIELD_CHARS_MAX)
      throw new RowProblem(label, `is longer than ${count(FIELD_CHARS_MAX)} characters`, value);
    return value.trim();
  }
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  throw new RowProblem(label, "expected a string");
}

function nullIfEmpty(text: string): string | null {
  return text === "" ? null : text;
}

function dateOf(value: unknown, label: string): string | undefined {
  const text = textOf(value, label);
  if (text === "") return undefined;
  const iso = toIsoDate(text);
  if (iso === null) throw new RowProblem(label, "is not a date", text);
  return iso;
}
