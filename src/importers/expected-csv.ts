import type { ExpectedEntry } from "../domain/index.js";
import { excerpt, ImportError } from "../errors/index.js";
import { parseCsv } from "./csv-records.js";
import { type ExpectedField, mapColumns } from "./expected-columns.js";
import {
  type EntrySettings,
  ExpectedEntryReader,
  type ExpectedLabels,
  type ExpectedLayout,
} from "./expected-entry.js";
import { LINE_CHARS_MAX } from "./input-limits.js";
import { type CheckedRows, ProblemList } from "./problem-list.js";
import { atLine, RowProblem } from "./row-problem.js";
import { DEFAULT_CURRENCY, PROGRESS_ROWS_STEP, type ReadOptions } from "./types.js";

/** Header names quoted in a "no id column" message; a header of thousands of cells is not listed whole. */
const HEADER_NAMES_SHOWN_MAX = 12;

/**
 * Reads a ledger's expected entries from CSV text. The header names the columns: the
 * benchmark's `id,date,amount,currency,description,counterparty,reference,account_id`, common
 * aliases (`Posting Date`, `Payee`, `Invoice Number`, ...), `debit`/`credit` instead of
 * `amount`, and optional ranges `amount_min`, `amount_max`, `date_from`, `date_to`.
 * A header without commas but with semicolons or tabs switches the delimiter (European exports).
 * Every row is read: when some are bad, one BadRowsError lists them all (up to 50) and no row
 * is returned.
 *
 * @example parseExpectedCsv("id,date,amount\nE1,2025-03-31,-12.50\n", "ledger.csv")
 * // [{ id: "E1", date: "2025-03-31", amountMinor: -1250, currency: "USD", description: "", ... }]
 * @throws ImportError `ledger.csv:17: amount "12,3x" is not a number`; BadRowsError
 *   `ledger.csv: 3 rows are bad; first: ledger.csv:17: amount "12,3x" is not a number`
 */
export function parseExpectedCsv(text: string, source: string, options: ReadOptions = {}): ExpectedEntry[] {
  const problems = new ProblemList(source);
  const entries = collectExpectedCsv(text, source, options, problems);
  problems.check();
  return entries;
}

/**
 * The same, with the bad rows' problems returned beside the good rows instead of thrown. It
 * still throws when the file as a whole is unreadable (no header, a quote never closed).
 *
 * @example parseExpectedCsvChecked("id,date,amount\nE1,2025-03-31,x\n", "l.csv").problems[0]?.message
 * // 'l.csv:2: amount "x" is not a number'
 */
export function parseExpectedCsvChecked(
  text: string,
  source: string,
  options: ReadOptions = {},
): CheckedRows<ExpectedEntry> {
  const problems = new ProblemList(source);
  return problems.checked(collectExpectedCsv(text, source, options, problems));
}

function collectExpectedCsv(
  text: string,
  source: string,
  options: ReadOptions,
  problems: ProblemList,
): ExpectedEntry[] {
  const settings: EntrySettings = {
    currency: options.currency ?? DEFAULT_CURRENCY,
    decimalSeparator: options.decimalSeparator ?? ".",
  };
  const entries: ExpectedEntry[] = [];
  // A Set costs one hash a row; the earlier line is looked up only when there is a duplicate.
  const ids = new Set<string>();
  const lines: number[] = [];
  let width = 0;
  let reader: ExpectedEntryReader | undefined;
  let labels: ExpectedLabels = {};
  const visitRow = (cells: string[], line: number) => {
    if (reader === undefined) {
      const header = cells.map((name) => name.trim());
      const layout = requireColumns(header, source, line);
      reader = new ExpectedEntryReader(settings, layout);
      labels = labelsOf(layout, header);
      width = header.length;
      return;
    }
    const entry = readRow(reader, cells, width, labels, source, line, problems);
    if (entry === undefined) return;
    const known = ids.size;
    if (ids.add(entry.id).size === known) {
      const previous = lines[entries.findIndex((earlier) => earlier.id === entry.id)];
      const problem = new RowProblem(labels.id ?? "id", `already used on line ${previous}`, entry.id);
      problems.add(() => atLine(source, line, problem));
      return;
    }
    lines.push(line);
    entries.push(entry);
    if (entries.length % PROGRESS_ROWS_STEP === 0) options.onProgress?.(entries.length);
  };
  try {
    parseCsv(text, source, visitRow, delimiterOf(text));
  } catch (error) {
    problems.stop(error);
  }
  if (reader === undefined) throw new ImportError({ file: source, line: 1 }, "no header row");
  options.onProgress?.(entries.length);
  return entries;
}

/** The row's entry, or undefined when it is bad (its problem noted). */
function readRow(
  reader: ExpectedEntryReader,
  cells: readonly string[],
  width: number,
  labels: ExpectedLabels,
  source: string,
  line: number,
  problems: ProblemList,
): ExpectedEntry | undefined {
  if (cells.length > width && !extraCellsEmpty(cells, width)) {
    problems.add(
      new ImportError({ file: source, line }, `${cells.length} fields but the header has ${width}`),
    );
    return undefined;
  }
  try {
    return reader.read(cells, labels);
  } catch (error) {
    if (!(error instanceof RowProblem)) throw error;
    problems.add(() => atLine(source, line, error));
    return undefined;
  }
}

function requireColumns(header: readonly string[], source: string, line: number): ExpectedLayout {
  const layout = mapColumns(header);
  const names = header.slice(0, HEADER_NAMES_SHOWN_MAX).map((name) => excerpt(name));
  const rest = header.length - names.length;
  const have = rest > 0 ? `${names.join(", ")}, … and ${rest} more` : names.join(", ");
  const missing = (name: string) =>
    new ImportError({ file: source, line }, `no ${name} column (have: ${have})`);
  if (layout.id === undefined) throw missing("id");
  if (layout.date === undefined) throw missing("date");
  if (layout.amount === undefined && layout.debit === undefined && layout.credit === undefined) {
    throw missing("amount");
  }
  return layout;
}

function labelsOf(layout: ExpectedLayout, header: readonly string[]): ExpectedLabels {
  const labels: ExpectedLabels = {};
  for (const [field, index] of Object.entries(layout) as [ExpectedField, number][]) {
    labels[field] = header[index] ?? field;
  }
  return labels;
}

/** Short rows are fine (some tools drop trailing empty cells); extra cells mean a stray delimiter. */
function extraCellsEmpty(cells: readonly string[], width: number): boolean {
  return cells.slice(width).every((cell) => cell.trim() === "");
}

function delimiterOf(text: string): string {
  const newline = text.indexOf("\n");
  // A first line past the bound is refused by the CSV reader; only its start matters here.
  const first = text.slice(0, newline === -1 ? LINE_CHARS_MAX : Math.min(newline, LINE_CHARS_MAX));
  if (first.includes(",")) return ",";
  if (first.includes(";")) return ";";
  if (first.includes("\t")) return "\t";
  return ",";
}
