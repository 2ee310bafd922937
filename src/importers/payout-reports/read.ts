import type { ProcessorPayout } from "../../domain/payout.js";
import { ImportError } from "../../errors/index.js";
import { parseCsv } from "../csv-records.js";
import { readText } from "../file-text.js";
import { FILE_BYTES_MAX, LINE_CHARS_MAX } from "../input-limits.js";
import { ProblemList } from "../problem-list.js";
import { atLine, RowProblem } from "../row-problem.js";
import { DEFAULT_CURRENCY, type ReadOptions } from "../types.js";
import { assemblePayouts } from "./assemble.js";
import { Columns } from "./columns.js";
import { paypalReader, STL_ROW_TYPES } from "./paypal.js";
import type { ReportRow, RowReader } from "./rows.js";
import { SQUARE_PAYOUT_ID, squareReader } from "./square.js";
import { stripeBalanceReader, stripeItemizedReader } from "./stripe.js";
import type { ReportSettings } from "./values.js";

/** What the payout report readers take: the currency of rows that name none, and the decimal separator. */
export type PayoutReadOptions = Pick<ReadOptions, "currency" | "decimalSeparator">;

/**
 * Reads a payment processor's payout report: Stripe's itemized payout reconciliation report or
 * balance transaction export, Square's deposit details, or PayPal's settlement report (STL),
 * told apart by the header. Bounded as every CSV reader (500 MiB, lines of 1,048,576
 * characters). Every row is read first: bad rows are thrown together as one BadRowsError
 * naming file, line and column.
 *
 * @example const payouts = await readPayoutReport("stripe-payouts.csv");
 * @throws ImportError `payouts.csv: file not found`; `payouts.csv:1: no net column in Stripe's
 *   payout reconciliation report (have: …)`; `payouts.csv:7: fee "1,2x" is not a number`
 */
export async function readPayoutReport(
  path: string,
  options: PayoutReadOptions = {},
): Promise<ProcessorPayout[]> {
  const text = await readText(path, { bytesMax: FILE_BYTES_MAX, lineCharsMax: LINE_CHARS_MAX });
  return parsePayoutReport(text, path, options);
}

/**
 * The same, from the report's text. Payouts come in the order the report first names them; a
 * payout's lines in the report's order.
 *
 * @example
 * parsePayoutReport(
 *   "automatic_payout_id,automatic_payout_effective_at,balance_transaction_id,created,reporting_category,gross,fee,net,currency,description\n" +
 *     "po_1,2025-01-06,txn_1,2025-01-03 12:00:00,charge,25.00,1.03,23.97,usd,Sale\n",
 *   "payouts.csv",
 * )[0]
 * // { id: "po_1", processor: "stripe", currency: "USD", date: "2025-01-06", netMinor: 2397, grossMinor: 2500, feeMinor: -103, items: [...] }
 */
export function parsePayoutReport(
  text: string,
  source: string,
  options: PayoutReadOptions = {},
): ProcessorPayout[] {
  const settings: ReportSettings = {
    currency: options.currency ?? DEFAULT_CURRENCY,
    decimalSeparator: options.decimalSeparator ?? ".",
  };
  const problems = new ProblemList(source);
  const rows: ReportRow[] = [];
  let reader: RowReader | undefined;
  let width = 0;
  let stl: boolean | undefined;
  const take = (cells: readonly string[], line: number) => {
    if (cells.length > width && cells.slice(width).some((cell) => cell.trim() !== "")) {
      problems.add(
        new ImportError({ file: source, line }, `${cells.length} fields but the header has ${width}`),
      );
      return;
    }
    try {
      for (const row of reader!.read(cells, line)) rows.push(row);
    } catch (error) {
      if (!(error instanceof RowProblem)) throw error;
      problems.add(() => atLine(source, line, error));
    }
  };
  const visit = (cells: string[], line: number) => {
    stl ??= STL_ROW_TYPES.has((cells[0] ?? "").trim().toUpperCase());
    if (!stl) {
      if (reader !== undefined) return take(cells, line);
      reader = readerOf(new Columns(cells, source, line), settings);
      width = cells.length;
      return;
    }
    const type = (cells[0] ?? "").trim().toUpperCase();
    if (type === "CH") {
      reader = paypalReader(new Columns(cells.slice(1), source, line), settings);
      width = cells.length - 1;
    } else if (type === "SB") {
      if (reader === undefined)
        problems.add(
          new ImportError({ file: source, line }, "a body row (SB) comes before the column header (CH)"),
        );
      else take(cells.slice(1), line);
    }
  };
  try {
    parseCsv(text, source, visit, delimiterOf(text));
  } catch (error) {
    problems.stop(error);
  }
  if (reader === undefined)
    throw new ImportError(
      { file: source, line: 1 },
      stl === true ? "no column header (CH) row" : "no header row",
    );
  const payouts = assemblePayouts(rows, reader, source, problems);
  problems.check();
  return payouts;
}

/** The report's layout, told by the header. */
function readerOf(columns: Columns, settings: ReportSettings): RowReader {
  if (columns.has("automatic_payout_id") && columns.has("balance_transaction_id"))
    return stripeItemizedReader(columns, settings);
  if (columns.has("id") && columns.has("Amount") && columns.has("Net") && columns.has("Transfer"))
    return stripeBalanceReader(columns, settings);
  if (columns.has(...SQUARE_PAYOUT_ID)) return squareReader(columns, settings);
  if (columns.has("Transaction Event Code")) return paypalReader(columns, settings);
  throw new ImportError(
    { file: columns.file, line: columns.line },
    "not a payout report bankrec knows: expected Stripe's payout reconciliation report " +
      "(automatic_payout_id, balance_transaction_id, …), Stripe's balance export (id, Amount, Fee, Net, …, Transfer), " +
      `Square's deposit details (Deposit ID, …) or PayPal's settlement report (have: ${columns.listed()})`,
  );
}

/** Commas, unless the first line has none and has tabs (PayPal's reports may be tab-delimited) or semicolons. */
function delimiterOf(text: string): string {
  const newline = text.indexOf("\n");
  const first = text.slice(0, newline === -1 ? LINE_CHARS_MAX : Math.min(newline, LINE_CHARS_MAX));
  if (first.includes(",")) return ",";
  if (first.includes("\t")) return "\t";
  if (first.includes(";")) return ";";
  return ",";
}
