import type { ExpectedEntry } from "../domain/index.js";
import { ImportError } from "../errors/index.js";
import { type ExpectedField, fieldOf } from "./expected-columns.js";
import { ExpectedEntryReader, type ExpectedLabels, type ExpectedLayout } from "./expected-entry.js";
import { type CheckedRows, ProblemList } from "./problem-list.js";
import { atPath, RowProblem } from "./row-problem.js";
import { DEFAULT_CURRENCY, PROGRESS_ROWS_STEP, type ReadOptions } from "./types.js";

const FIELDS: readonly ExpectedField[] = [
  "id",
  "date",
  "amount",
  "currency",
  "description",
  "counterparty",
  "reference",
  "account_id",
  "debit",
  "credit",
  "amount_min",
  "amount_max",
  "date_from",
  "date_to",
];
/** JSON keys vary by row, so each row's values are put in these fixed slots. */
const SLOTS: ExpectedLayout = Object.fromEntries(FIELDS.map((field, index) => [field, index]));

/**
 * Reads expected entries from already-parsed JSON: an array, or `{expected: [...]}` /
 * `{entries: [...]}`. Keys follow the CSV columns in snake_case or camelCase (`account_id`,
 * `accountId`, `amountMin`, ...); amounts are strings or numbers in major units, natural sign.
 * Every row is read: when some are bad, one BadRowsError lists them all (up to 50).
 *
 * @example parseExpectedJson([{ id: "E1", date: "2025-03-31", amount: -12.5 }], "ledger.json")
 * // [{ id: "E1", date: "2025-03-31", amountMinor: -1250, currency: "USD", ... }]
 * @throws ImportError `ledger.json: entries[3].date: "2025-02-30" is not a date`
 */
export function parseExpectedJson(
  value: unknown,
  source: string,
  options: ReadOptions = {},
): ExpectedEntry[] {
  const problems = new ProblemList(source);
  const entries = collectExpectedJson(value, source, options, problems);
  problems.check();
  return entries;
}

/** The same, with the bad rows' problems returned beside the good rows instead of thrown. */
export function parseExpectedJsonChecked(
  value: unknown,
  source: string,
  options: ReadOptions = {},
): CheckedRows<ExpectedEntry> {
  const problems = new ProblemList(source);
  return problems.checked(collectExpectedJson(value, source, options, problems));
}

function collectExpectedJson(
  value: unknown,
  source: string,
  options: ReadOptions,
  problems: ProblemList,
): ExpectedEntry[] {
  const settings = {
    currency: options.currency ?? DEFAULT_CURRENCY,
    decimalSeparator: options.decimalSeparator ?? ".",
  };
  const reader = new ExpectedEntryReader(settings, SLOTS);
  const { rows, name } = rowsOf(value, source);
  const entries: ExpectedEntry[] = [];
  const pathById = new Map<string, string>();
  rows.forEach((row, index) => {
    const path = `${name}[${index}]`;
    try {
      const entry = reader.read(...cellsOf(row));
      const previous = pathById.get(entry.id);
      if (previous !== undefined) throw new RowProblem("id", `already used at ${previous}`, entry.id);
      pathById.set(entry.id, path);
      entries.push(entry);
    } catch (error) {
      if (!(error instanceof RowProblem)) throw error;
      problems.add(() => atPath(source, path, error));
      return;
    }
    if (entries.length % PROGRESS_ROWS_STEP === 0) options.onProgress?.(entries.length);
  });
  options.onProgress?.(entries.length);
  return entries;
}

function rowsOf(value: unknown, source: string): { rows: readonly unknown[]; name: string } {
  if (Array.isArray(value)) return { rows: value, name: "" };
  if (typeof value === "object" && value !== null) {
    for (const name of ["expected", "entries"]) {
      const rows = (value as Record<string, unknown>)[name];
      if (Array.isArray(rows)) return { rows, name };
    }
  }
  throw new ImportError(
    { file: source },
    'expected an array of entries, or an object with "expected" or "entries"',
  );
}

/** The row's values in SLOTS order, and the keys it used for them; the better-ranked alias wins. */
function cellsOf(row: unknown): [unknown[], ExpectedLabels] {
  if (typeof row !== "object" || row === null || Array.isArray(row)) {
    throw new RowProblem("", "expected an object");
  }
  const cells: unknown[] = [];
  const labels: ExpectedLabels = {};
  const ranks: Partial<Record<ExpectedField, number>> = {};
  for (const [key, value] of Object.entries(row)) {
    const hit = fieldOf(key);
    if (hit === undefined || (ranks[hit.field] ?? Number.POSITIVE_INFINITY) <= hit.rank) continue;
    cells[SLOTS[hit.field] as number] = value;
    labels[hit.field] = key;
    ranks[hit.field] = hit.rank;
  }
  return [cells, labels];
}
