import { excerpt, ImportError } from "../../errors/index.js";
import { FIELD_CHARS_MAX } from "../input-limits.js";
import { RowProblem } from "../row-problem.js";

/** Header names quoted in a "no such column" message; a header of thousands of cells is not listed whole. */
const HEADER_NAMES_SHOWN_MAX = 12;

/** A column of the report: where it is and its name as the header writes it (for messages). */
export interface Column {
  readonly index: number;
  readonly label: string;
}

/**
 * A header name as compared: lower case, runs of white space as one space (PayPal's settlement
 * report writes `Transaction  Debit or Credit` with two).
 *
 * @example columnKey(" Transaction  Debit or Credit ") // "transaction debit or credit"
 */
export function columnKey(name: string): string {
  return name.trim().replace(/\s+/g, " ").toLowerCase();
}

/** A report's header row, looked up by name (any of a field's aliases), case-insensitively. */
export class Columns {
  readonly #byKey = new Map<string, Column>();

  constructor(
    readonly header: readonly string[],
    readonly file: string,
    readonly line: number,
  ) {
    header.forEach((name, index) => {
      const key = columnKey(name);
      // The first of two same-named columns wins, as a spreadsheet's lookup would.
      if (key !== "" && !this.#byKey.has(key)) this.#byKey.set(key, { index, label: name.trim() });
    });
  }

  /** Whether the header has any of `names`. */
  has(...names: string[]): boolean {
    return names.some((name) => this.#byKey.has(columnKey(name)));
  }

  /** The first of `names` the header has. */
  find(...names: string[]): Column | undefined {
    for (const name of names) {
      const column = this.#byKey.get(columnKey(name));
      if (column !== undefined) return column;
    }
    return undefined;
  }

  /**
   * The first of `names` the header has, or an error naming the first and the report:
   * `stripe.csv:1: no net column in Stripe's payout reconciliation report (have: …)`.
   */
  require(report: string, ...names: [string, ...string[]]): Column {
    const column = this.find(...names);
    if (column !== undefined) return column;
    throw new ImportError(
      { file: this.file, line: this.line },
      `no ${names[0]} column in ${report} (have: ${this.listed()})`,
    );
  }

  /** The header's names for a message, cut after a dozen. */
  listed(): string {
    const names = this.header.slice(0, HEADER_NAMES_SHOWN_MAX).map((name) => excerpt(name.trim()));
    const rest = this.header.length - names.length;
    return rest > 0 ? `${names.join(", ")}, … and ${rest} more` : names.join(", ");
  }
}

/** A cell's text, trimmed; "" when the row is short or the column absent. */
export function cellOf(cells: readonly string[], column: Column | undefined): string {
  if (column === undefined) return "";
  const text = cells[column.index];
  if (text === undefined) return "";
  if (text.length > FIELD_CHARS_MAX)
    throw new RowProblem(
      column.label,
      `is longer than ${FIELD_CHARS_MAX.toLocaleString("en-US")} characters`,
    );
  return text.trim();
}

/** A cell that must not be empty. */
export function requiredCellOf(cells: readonly string[], column: Column): string {
  const text = cellOf(cells, column);
  if (text === "") throw new RowProblem(column.label, "is empty");
  return text;
}
