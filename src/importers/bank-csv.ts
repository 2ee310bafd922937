import { excerpt, ImportError } from "../errors/index.js";
import { currencyExponent, type DecimalSeparator, isCurrencyCode } from "../money/index.js";
import { toIsoDate } from "./calendar-date.js";
import {
  CSV_PRESETS,
  type CsvField,
  type CsvMapping,
  type CsvPreset,
  csvPreset,
  type DateFormat,
} from "./csv-presets.js";
import { parseCsv } from "./csv-records.js";
import { amountMinorOf, currencyOf, joinPresent, oneLine } from "./entry-values.js";
import { count, FIELD_CHARS_MAX } from "./input-limits.js";
import { ProblemList } from "./problem-list.js";
import { atLine, RowProblem } from "./row-problem.js";
import { emptyStatement, NO_DETAILS, type Statement, type StatementEntry } from "./statement.js";

/**
 * Bank CSV exports with a column mapping: a preset (`csv-presets.ts`) picked by name or by the
 * header, or a mapping a person gives. The delimiter (`,` `;` tab) is read from the header line,
 * the decimal separator from the amounts unless stated, dates by the preset's or stated layout.
 * A bank's preamble lines before the header (account name, period) are skipped.
 */
export interface BankCsvOptions {
  readonly currency: string;
  readonly preset?: string;
  readonly mapping?: CsvMapping;
  readonly decimalSeparator?: DecimalSeparator;
  readonly dateFormat?: DateFormat;
  /** Account of the rows when the file has no account column. */
  readonly accountId?: string;
}

/** How many records may come before the header. */
const PREAMBLE_RECORDS_MAX = 30;
/** Amounts looked at to tell a decimal comma from a decimal point. */
const DECIMAL_SAMPLE_ROWS = 200;

type Columns = Partial<Record<CsvField, number[]>>;

/**
 * Reads a bank CSV export into one statement per account (one in all when it has no account column).
 * Every row is read: when some are bad, one BadRowsError lists them all (up to 50).
 *
 * @example parseBankCsv("Date,Description,Amount\n2025-01-02,Coffee,-3.50\n", "bank.csv", { currency: "USD" })
 * @throws ImportError `bank.csv:7: Amount "12,3x" is not a number`, `bank.csv: no header matches a preset ...`
 */
export function parseBankCsv(text: string, source: string, options: BankCsvOptions): Statement[] {
  const delimiter = delimiterOf(text);
  const records: { fields: string[]; line: number }[] = [];
  parseCsv(text, source, (fields, line) => records.push({ fields, line }), delimiter);
  const { preset, columns, headerAt } = findHeader(records, source, options);
  const rows = records.slice(headerAt + 1);
  const firstCurrency = cellOf(rows[0]?.fields ?? [], columns.currency).toUpperCase();
  const exponent = currencyExponent(isCurrencyCode(firstCurrency) ? firstCurrency : options.currency);
  const decimal =
    options.decimalSeparator ?? preset?.decimalSeparator ?? guessDecimal(rows, columns, exponent);
  const dateFormat = options.dateFormat ?? preset?.dateFormat ?? "auto";
  const byAccount = new Map<string, { entries: StatementEntry[]; balances: (number | null)[] }>();
  const problems = new ProblemList(source);
  const headerFields = records[headerAt]?.fields ?? [];
  for (const { fields, line } of rows) {
    const cell = (field: CsvField) => {
      const text = cellOf(fields, columns[field]);
      if (text.length > FIELD_CHARS_MAX)
        throw new RowProblem(
          (headerFields[columns[field]?.[0] ?? -1] ?? field).trim(),
          `is longer than ${count(FIELD_CHARS_MAX)} characters`,
          text,
        );
      return text;
    };
    try {
      if (cell("date") === "" && cell("amount") === "" && cell("debit") === "" && cell("credit") === "")
        continue;
      const account = cell("account") || options.accountId || "";
      const currency =
        cell("currency") === ""
          ? options.currency
          : currencyOf(header(records, headerAt, columns.currency), cell("currency"));
      const entry = toEntry(cell, line, currency, decimal, dateFormat, headerFields, columns);
      const balanceText = cell("balance");
      const balance =
        balanceText === ""
          ? null
          : amountMinorOf(header(records, headerAt, columns.balance), balanceText, currency, decimal);
      const group = byAccount.get(account) ?? { entries: [], balances: [] };
      byAccount.set(account, group);
      group.entries.push(entry);
      group.balances.push(balance);
    } catch (error) {
      if (!(error instanceof RowProblem)) throw error;
      problems.add(() => atLine(source, line, error));
    }
  }
  problems.check();
  if (byAccount.size === 0) byAccount.set(options.accountId ?? "", { entries: [], balances: [] });
  const headerLine = records[headerAt]?.line ?? 1;
  return [...byAccount].map(([account, group]) =>
    toStatement(account, group.entries, group.balances, headerLine, options.currency),
  );
}

/**
 * The delimiter that splits the most of the first lines into the same number of fields: a
 * header and its rows agree, while a description's stray comma or a decimal comma does not.
 */
function delimiterOf(text: string): string {
  const firstLines = text
    .slice(0, 8192)
    .split("\n")
    .slice(0, PREAMBLE_RECORDS_MAX + 5);
  let best = ",";
  let bestScore = 0;
  for (const candidate of [",", ";", "\t", "|"]) {
    const counts = new Map<number, number>();
    for (const line of firstLines) {
      const n = line.split(candidate).length - 1;
      if (n > 0) counts.set(n, (counts.get(n) ?? 0) + 1);
    }
    for (const [fields, lines] of counts) {
      const score = lines * 1000 + fields;
      if (score > bestScore) {
        best = candidate;
        bestScore = score;
      }
    }
  }
  return best;
}

const norm = (s: string) =>
  s
    .replace(/^\ufeff/, "")
    .trim()
    .toLowerCase();

function columnsFor(mapping: CsvMapping, headerFields: readonly string[]): Columns {
  const names = headerFields.map(norm);
  const columns: Columns = {};
  for (const [field, candidates] of Object.entries(mapping) as [CsvField, readonly string[]][]) {
    const found: number[] = [];
    for (const candidate of candidates) {
      const at = names.indexOf(norm(candidate));
      if (at !== -1 && !found.includes(at)) found.push(at);
      // Descriptions join every column found; any other field takes the first present.
      if (found.length > 0 && field !== "description") break;
    }
    if (found.length > 0) columns[field] = found;
  }
  return columns;
}

function usable(columns: Columns, requires: readonly CsvField[]): boolean {
  const hasAmount =
    columns.amount !== undefined || (columns.debit !== undefined && columns.credit !== undefined);
  return hasAmount && requires.every((f) => columns[f] !== undefined);
}

function findHeader(
  records: readonly { fields: string[]; line: number }[],
  source: string,
  options: BankCsvOptions,
): { preset: CsvPreset | undefined; columns: Columns; headerAt: number } {
  const named = options.preset === undefined ? undefined : csvPreset(options.preset);
  if (options.preset !== undefined && named === undefined)
    throw new ImportError(
      { file: source },
      `no CSV preset named "${options.preset}" (try ${CSV_PRESETS.map((p) => p.name).join(", ")})`,
    );
  const limit = Math.min(records.length, PREAMBLE_RECORDS_MAX);
  for (let at = 0; at < limit; at++) {
    const fields = records[at]?.fields ?? [];
    if (options.mapping !== undefined) {
      const columns = columnsFor(options.mapping, fields);
      if (usable(columns, ["date"])) return { preset: named, columns, headerAt: at };
      continue;
    }
    for (const preset of named === undefined ? CSV_PRESETS : [named]) {
      const columns = columnsFor(preset.mapping, fields);
      if (usable(columns, preset.requires)) return { preset, columns, headerAt: at };
    }
  }
  const first = records[0];
  const shown = first === undefined ? "the file is empty" : `header "${excerpt(first.fields.join(","), 80)}"`;
  const wanted =
    options.mapping !== undefined
      ? `the columns of --map (${Object.values(options.mapping).flat().join(", ")})`
      : named !== undefined
        ? `preset ${named.name} (${named.summary})`
        : "any preset; give --map date=<column>,amount=<column>,description=<column>";
  throw new ImportError({ file: source, line: first?.line ?? 1 }, `${shown} does not match ${wanted}`);
}

function header(records: readonly { fields: string[] }[], at: number, columns: number[] | undefined): string {
  const index = columns?.[0];
  return index === undefined ? "" : (records[at]?.fields[index] ?? "").trim();
}

function cellOf(fields: readonly string[], columns: number[] | undefined): string {
  if (columns === undefined) return "";
  if (columns.length === 1) return (fields[columns[0] as number] ?? "").trim();
  return joinPresent(...columns.map((c) => (fields[c] ?? "").trim()));
}

/**
 * A decimal comma when more amounts say so than say a decimal point. Each amount votes by its
 * last separator: both present (`1.234,56`), or followed by other than three digits (`-3,5`).
 * Three digits after one separator (`1.234`) are a thousands group as often as decimals, so
 * they vote only for currencies with three decimals.
 */
function guessDecimal(
  rows: readonly { fields: string[] }[],
  columns: Columns,
  exponent: number,
): DecimalSeparator {
  let commas = 0;
  let points = 0;
  const amountColumns = [
    ...(columns.amount ?? []),
    ...(columns.debit ?? []),
    ...(columns.credit ?? []),
    ...(columns.balance ?? []),
  ];
  for (const { fields } of rows.slice(0, DECIMAL_SAMPLE_ROWS)) {
    for (const c of amountColumns) {
      const v = (fields[c] ?? "").trim();
      const m = /([.,])(\d*)\D*$/.exec(v);
      if (m === null) continue;
      const both = v.includes(".") && v.includes(",");
      if (!both && (m[2] as string).length === 3 && exponent !== 3) continue;
      if (m[1] === ",") commas++;
      else points++;
    }
  }
  return commas > points ? "," : ".";
}

function toEntry(
  cell: (field: CsvField) => string,
  line: number,
  currency: string,
  decimal: DecimalSeparator,
  dateFormat: DateFormat,
  headerFields: readonly string[],
  columns: Columns,
): StatementEntry {
  const name = (field: CsvField) => (headerFields[columns[field]?.[0] ?? -1] ?? field).trim();
  const dateText = cell("date");
  const date = dayOf(name("date"), dateText, dateFormat);
  const valueText = cell("valueDate");
  const description = cell("description");
  const counterparty = cell("counterparty") || null;
  return {
    amountMinor: amountOf(cell, name, currency, decimal),
    currency,
    date,
    valueDate: valueText === "" ? null : dayOf(name("valueDate"), valueText, dateFormat),
    authorizedDate: null,
    status: "booked",
    description: oneLine(
      joinPresent(
        counterparty !== null && !description.includes(counterparty) ? counterparty : null,
        description,
      ),
    ),
    bankId: cell("id") || null,
    reference: cell("reference") || null,
    endToEndId: null,
    counterparty,
    counterpartyAccount: null,
    checkNumber: cell("checkNumber") || null,
    type: cell("type") || null,
    details: NO_DETAILS,
    line,
    path: null,
  };
}

function amountOf(
  cell: (field: CsvField) => string,
  name: (field: CsvField) => string,
  currency: string,
  decimal: DecimalSeparator,
): number {
  const amount = cell("amount");
  if (amount !== "") return amountMinorOf(name("amount"), amount, currency, decimal);
  const debit = cell("debit");
  const credit = cell("credit");
  const out = debit === "" ? 0 : Math.abs(amountMinorOf(name("debit"), debit, currency, decimal));
  const into = credit === "" ? 0 : Math.abs(amountMinorOf(name("credit"), credit, currency, decimal));
  if (debit === "" && credit === "")
    throw new RowProblem(name("amount") || "amount", "is empty (no amount, debit or credit)");
  if (out !== 0 && into !== 0)
    throw new RowProblem(name("debit"), `and ${name("credit")} are both filled`, `${debit}|${credit}`);
  return into - out;
}

const TOKEN = /YYYY|YY|MM|DD|M|D/g;
const formatCache = new Map<string, RegExp>();

/**
 * A date in the stated layout (`DD/MM/YYYY`, `YYYYMMDD`, `MM-DD-YY`, ...) or, with "auto",
 * ISO, US `MM/DD/YYYY`, European `DD.MM.YYYY` and compact `YYYYMMDD`. A time after the date is ignored.
 */
export function dayOf(field: string, text: string, format: DateFormat): string {
  const t = text.trim();
  let day: string | null;
  if (format === "auto") {
    const datePart = t.split(/[ T]/, 1)[0] ?? "";
    day =
      toIsoDate(datePart) ??
      (/^\d{8}$/.test(datePart)
        ? toIsoDate(`${datePart.slice(0, 4)}-${datePart.slice(4, 6)}-${datePart.slice(6)}`)
        : null);
  } else {
    day = byFormat(t, format);
  }
  if (day === null)
    throw new RowProblem(
      field,
      format === "auto" ? "is not a date" : `is not a date in the form ${format}`,
      text,
    );
  return day;
}

function byFormat(text: string, format: string): string | null {
  let pattern = formatCache.get(format);
  const order = format.match(TOKEN) ?? [];
  if (pattern === undefined) {
    const source = format
      .split(TOKEN)
      .map((literal) => literal.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&"))
      .reduce(
        (acc, literal, i) => acc + literal + (order[i] === undefined ? "" : tokenPattern(order[i] as string)),
        "",
      );
    pattern = new RegExp(`^${source}(?:[ T].*)?$`);
    formatCache.set(format, pattern);
  }
  const m = pattern.exec(text);
  if (m === null) return null;
  let year = "";
  let month = "";
  let day = "";
  order.forEach((token, i) => {
    const value = m[i + 1] ?? "";
    if (token === "YYYY") year = value;
    else if (token === "YY") year = String(2000 + Number(value));
    else if (token.startsWith("M")) month = value.padStart(2, "0");
    else day = value.padStart(2, "0");
  });
  return toIsoDate(`${year}-${month}-${day}`);
}

function tokenPattern(token: string): string {
  if (token === "YYYY") return "(\\d{4})";
  if (token === "YY") return "(\\d{2})";
  return token.length === 2 ? "(\\d{1,2})" : "(\\d{1,2})";
}

/**
 * A running balance column gives the statement's ends: the oldest row's balance before it and the
 * newest row's balance after it. Exports list newest first as often as oldest first; the dates say which.
 */
function toStatement(
  account: string,
  entries: StatementEntry[],
  balances: readonly (number | null)[],
  line: number,
  fallbackCurrency: string,
): Statement {
  const first = entries[0];
  const last = entries.at(-1);
  const currency = first?.currency ?? fallbackCurrency;
  let opening = null;
  let closing = null;
  if (first !== undefined && last !== undefined && balances.every((b) => b !== null)) {
    const newestFirst = first.date > last.date;
    const oldest = newestFirst ? last : first;
    const oldestBalance = (newestFirst ? balances.at(-1) : balances[0]) as number;
    const newestBalance = (newestFirst ? balances[0] : balances.at(-1)) as number;
    opening = { amountMinor: oldestBalance - oldest.amountMinor, currency, date: oldest.date };
    closing = { amountMinor: newestBalance, currency, date: (newestFirst ? first : last).date };
  }
  const dates = entries.map((e) => e.date).sort();
  return {
    ...emptyStatement(line, currency),
    accountId: account,
    accountNumber: account === "" ? null : account,
    periodFrom: dates[0] ?? null,
    periodTo: dates.at(-1) ?? null,
    opening,
    closing,
    entries,
  };
}
