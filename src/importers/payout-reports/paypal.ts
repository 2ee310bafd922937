import type { PayoutItem, PayoutItemKind } from "../../domain/payout.js";
import { RowProblem } from "../row-problem.js";
import { type Column, type Columns, cellOf, requiredCellOf } from "./columns.js";
import type { ReportRow, RowReader } from "./rows.js";
import { currencyCell, dayCell, lineItem, negated, type ReportSettings, scaleFromCents } from "./values.js";

/** The row types of PayPal's settlement report (STL): headers, footers, counts, and the body rows (SB). */
export const STL_ROW_TYPES = new Set(["RH", "FH", "SH", "CH", "SB", "SF", "SC", "RF", "RC", "FF", "FC"]);

const EVENT_CODE = /^T\d{4}$/;
const WHOLE = /^\d+$/;

/**
 * A line kind by PayPal's transaction event code family (T-codes): T00xx payments, T01xx fees,
 * T04xx withdrawals to a bank (the payouts themselves), T11xx reversals and refunds, T12xx
 * adjustments, T15xx holds and releases.
 */
function paypalKind(code: string, credit: boolean): PayoutItemKind {
  const family = code.slice(0, 3);
  if (family === "T00") return credit ? "charge" : "other";
  if (family === "T01" || code === "T1108") return "fee";
  if (family === "T11") return code === "T1106" ? "dispute" : "refund";
  if (family === "T12" || family === "T15" || family === "T02" || family === "T03") return "adjustment";
  return "other";
}

/**
 * PayPal's settlement report (STL), read by its documented body-row columns: `Transaction ID`,
 * `Transaction Event Code`, `Transaction Initiation Date`, `Transaction Completion Date`,
 * `Transaction Debit or Credit`, `Gross Transaction Amount`, `Gross Transaction Currency`,
 * `Fee Debit or Credit`, `Fee Amount`, and optionally `Invoice ID`, `PayPal Reference ID`,
 * `Custom Field`. Amounts are unsigned hundredths (10000 is 100.00) with CR/DR for the sign.
 *
 * The report names no payout: a withdrawal to the bank (event code T04xx, a debit) is one, and
 * its lines are the rows of its currency since the previous withdrawal. Rows after the last
 * withdrawal are not paid out yet and belong to no payout. The report's balances (SF rows) are
 * not read: a withdrawal's lines must add up to it, so a report should start after a withdrawal.
 */
export function paypalReader(columns: Columns, settings: ReportSettings): RowReader {
  const report = "PayPal's settlement report";
  const need = (...names: [string, ...string[]]) => columns.require(report, ...names);
  const c = {
    id: need("Transaction ID"),
    code: need("Transaction Event Code"),
    initiated: need("Transaction Initiation Date"),
    completed: columns.find("Transaction Completion Date"),
    direction: need("Transaction Debit or Credit"),
    gross: need("Gross Transaction Amount"),
    currency: need("Gross Transaction Currency"),
    feeDirection: columns.find("Fee Debit or Credit"),
    fee: columns.find("Fee Amount"),
    feeCurrency: columns.find("Fee Currency"),
  };
  const references = ["Invoice ID", "PayPal Reference ID", "Custom Field"]
    .map((name) => columns.find(name))
    .filter((column): column is Column => column !== undefined);
  /** Lines not yet paid out, by currency, in file order. */
  const waiting = new Map<string, { item: PayoutItem; line: number }[]>();
  return {
    processor: "paypal",
    report,
    uniqueIdLabel: c.id.label,
    read(cells, line): ReportRow[] {
      const id = requiredCellOf(cells, c.id);
      const code = requiredCellOf(cells, c.code).toUpperCase();
      if (!EVENT_CODE.test(code))
        throw new RowProblem(c.code.label, "is not an event code such as T0006", code);
      const currency = currencyCell(cells, c.currency, settings);
      const credit = creditOf(cells, c.direction, true);
      const gross = centsCell(cells, c.gross, currency);
      const fee = feeOf(cells, c, currency);
      if (code.startsWith("T04") && !credit) {
        const payoutDate =
          cellOf(cells, c.completed) === "" ? dayCell(cells, c.initiated) : dayCell(cells, c.completed!);
        const lines = waiting.get(currency) ?? [];
        waiting.delete(currency);
        return [
          ...lines.map(
            ({ item, line: at }): ReportRow => ({
              kind: "item",
              payoutId: id,
              payoutDate: null,
              currency,
              item,
              line: at,
            }),
          ),
          { kind: "total", payoutId: id, payoutDate, currency, netMinor: gross, line },
        ];
      }
      const item = lineItem({
        id,
        kind: paypalKind(code, credit),
        date: dayCell(cells, c.initiated),
        grossMinor: credit ? gross : negated(gross),
        feeMinor: fee,
        description: code,
        references: references.map((column) => cellOf(cells, column)),
      });
      const list = waiting.get(currency);
      if (list === undefined) waiting.set(currency, [{ item, line }]);
      else list.push({ item, line });
      return [];
    },
  };
}

/** CR (money in) or DR (money out); an empty cell is DR unless `required`. */
function creditOf(cells: readonly string[], column: Column, required: boolean): boolean {
  const text = cellOf(cells, column).toUpperCase();
  if (text === "CR") return true;
  if (text === "DR") return false;
  if (text === "" && !required) return false;
  throw new RowProblem(column.label, "is not CR or DR", text);
}

/** PayPal's unsigned hundredths, as minor units of `currency`. */
function centsCell(cells: readonly string[], column: Column, currency: string): number {
  const text = requiredCellOf(cells, column);
  if (!WHOLE.test(text))
    throw new RowProblem(
      column.label,
      "is not a whole number of hundredths (PayPal writes 100.00 as 10000)",
      text,
    );
  const cents = Number(text);
  if (!Number.isSafeInteger(cents)) throw new RowProblem(column.label, "is too large", text);
  return scaleFromCents(column.label, text, cents, currency);
}

/** The fee, natural sign: a fee PayPal charged (DR) is negative, one it gave back (CR) positive. */
function feeOf(
  cells: readonly string[],
  c: { fee: Column | undefined; feeDirection: Column | undefined; feeCurrency: Column | undefined },
  currency: string,
): number {
  if (c.fee === undefined || cellOf(cells, c.fee) === "") return 0;
  const fee = centsCell(cells, c.fee, currency);
  if (fee === 0) return 0;
  const feeCurrency = cellOf(cells, c.feeCurrency).toUpperCase();
  if (feeCurrency !== "" && feeCurrency !== currency)
    throw new RowProblem(c.feeCurrency!.label, `differs from the gross amount's ${currency}`, feeCurrency);
  // A fee with no direction is one PayPal charged: that is what a fee is unless it says otherwise.
  const credit = c.feeDirection === undefined ? false : creditOf(cells, c.feeDirection, false);
  return credit ? fee : -fee;
}
