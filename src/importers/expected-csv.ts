import type { ExpectedEntry } from "../domain/index.js";
import { ImportError } from "../errors/index.js";
import { parseCsv } from "./csv-records.js";
import { type ExpectedField, mapColumns } from "./expected-columns.js";
import {
  type EntrySettings,
  ExpectedEntryReader,
  type ExpectedLabels,
  type ExpectedLayout,
} from "./expected-entry.js";
import { atLine, RowProblem } from "./row-problem.js";
import { DEFAULT_CURRENCY, PROGRESS_ROWS_STEP, type ReadOptions } from "./types.js";

/**
 * Reads a ledger's expected entries from CSV text. The header names the columns: the
 * benchmark's `id,date,amount,currency,description,counterparty,reference,account_id`, common
 * aliases (`Posting Date`, `Payee`, `Invoice Number`, ...), `debit`/`credit` instead of
 * `amount`, and optional ranges `amount_min`, `amount_max`, `date_from`, `date_to`.
 * A header without commas but with semicolons or tabs switches the delimiter (European exports).
 *
 * @example parseExpectedCsv("id,date,amount\nE1,2025-03-31,-12.50\n", "ledger.csv")
 * // [{ id: "E1", date: "2025-03-31", amountMinor: -1250, currency: "USD", description: "", ... }]
 * @throws ImportError `ledger.csv:17: amount "12,3x" is not a number`
 */
export function parseExpectedCsv(text: string, source: string, options: ReadOptions = {}): ExpectedEntry[] {
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
    if (cells.length > width) checkWidth(cells, width, source, line);
    const entry = readRow(reader, cells, labels, source, line);
    const known = ids.size;
    if (ids.add(entry.id).size === known) {
      const previous = lines[entries.findIndex((earlier) => earlier.id === entry.id)];
      const problem = new RowProblem(labels.id ?? "id", `already used on line ${previous}`, entry.id);
      throw atLine(source, line, problem);
    }
    lines.push(line);
    entries.push(entry);
    if (entries.length % PROGRESS_ROWS_STEP === 0) options.onProgress?.(entries.length);
  };
  parseCsv(text, source, visitRow, delimiterOf(text));
  if (reader === undefined) throw new ImportError({ file: source, line: 1 }, "no header row");
  options.onProgress?.(entries.length);
  return entries;
}

function readRow(
  reader: ExpectedEntryReader,
  cells: readonly string[],
  labels: ExpectedLabels,
  source: string,
  line: number,
): ExpectedEntry {
  try {
    return reader.read(cells, labels);
  } catch (error) {
    if (error instanceof RowProblem) throw atLine(source, line, error);
    throw error;
  }
}

function requireColumns(header: readonly string[], source: string, line: number): ExpectedLayout {
  const layout = mapColumns(header);
  const have = header.join(", ");
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
function checkWidth(cells: readonly string[], width: number, source: string, line: number): void {
  if (cells.slice(width).every((cell) => cell.trim() === "")) return;
  throw new ImportError({ file: source, line }, `${cells.length} fields but the header has ${width}`);
}

function delimiterOf(text: string): string {
  const newline = text.indexOf("\n");
  const first = newline === -1 ? text : text.slice(0, newline);
  if (first.includes(",")) return ",";
  if (first.includes(";")) return ";";
  if (first.includes("\t")) return "\t";
  return ",";
}
