import type { PayoutItemKind } from "../../domain/payout.js";
import { RowProblem } from "../row-problem.js";
import { type Column, type Columns, cellOf, requiredCellOf } from "./columns.js";
import type { ReportRow, RowReader } from "./rows.js";
import {
  amountCell,
  currencyCell,
  dayCell,
  kindBySign,
  lineItem,
  negated,
  optionalAmountCell,
  type ReportSettings,
  shown,
} from "./values.js";

/** The column names Square's deposit (transfer, payout) details export has used, and the API's. */
export const SQUARE_PAYOUT_ID = ["Deposit ID", "Transfer ID", "Payout ID", "payout_id"] as const;

function squareKind(type: string, grossMinor: number, feeMinor: number): PayoutItemKind {
  const t = type.toLowerCase();
  if (t.includes("refund")) return "refund";
  if (t.includes("fee")) return "fee";
  if (t.includes("dispute") || t.includes("chargeback")) return "dispute";
  if (t.includes("adjust")) return "adjustment";
  if (t.includes("charge") || t.includes("payment") || t.includes("sale")) return "charge";
  return kindBySign(grossMinor, feeMinor);
}

/**
 * Square's deposit details export (Dashboard → Balance → Transfer reports → Export details; the
 * Payouts API's payout entries carry the same facts): a row per payment, refund or fee with the
 * deposit that settled it. Columns by name: the deposit (`Deposit ID`, `Transfer ID` or
 * `Payout ID`) and its date, the amount (`Total Collected`, `Gross Sales`, `Gross Amount`,
 * `Amount`), `Fees` and the net (`Net Total`, `Deposited`, `Net Amount`, `Net`), optionally the
 * payment (`Transaction ID`, `Payment ID`), its date and type, a description and a currency.
 * Square writes fees negative (`-$3.13`); a positive fee is read as kept too when the net says so.
 * A `Deposit Amount` column, when there is one, is checked against the rows' nets.
 */
export function squareReader(columns: Columns, settings: ReportSettings): RowReader {
  const report = "Square's deposit details";
  const need = (...names: [string, ...string[]]) => columns.require(report, ...names);
  const c = {
    payout: need(...SQUARE_PAYOUT_ID),
    payoutDate: need("Deposit Date", "Transfer Date", "Payout Date", "payout_date"),
    gross: need("Total Collected", "Gross Sales", "Gross Amount", "Gross", "Amount", "gross_amount"),
    fee: columns.find("Fees", "Fee", "Processing Fees", "Fee Amount", "fee_amount"),
    net: columns.find("Net Total", "Deposited", "Net Amount", "Net", "net_amount"),
    id: columns.find("Transaction ID", "Payment ID", "Entry ID", "payment_id"),
    date: columns.find("Transaction Date", "Payment Date", "Date", "Created At", "effective_at"),
    type: columns.find("Transaction Type", "Entry Type", "Type"),
    description: columns.find("Description", "Details", "Deposit Details", "Notes"),
    currency: columns.find("Currency"),
    total: columns.find("Deposit Amount", "Transfer Amount", "Payout Amount"),
    orderId: columns.find("Order ID", "order_id"),
  };
  return {
    processor: "square",
    report,
    // A refund can carry its payment's transaction id: ids need not be unique here.
    uniqueIdLabel: null,
    read(cells, line): ReportRow[] {
      const payoutId = requiredCellOf(cells, c.payout);
      const payoutDate = dayCell(cells, c.payoutDate);
      const currency = currencyCell(cells, c.currency, settings);
      const gross = amountCell(cells, c.gross, currency, settings);
      const written = optionalAmountCell(cells, c.fee, currency, settings);
      const fee = feeOf(gross, written, cells, c, currency, settings);
      const id = cellOf(cells, c.id) || `${payoutId}:${line}`;
      const item = lineItem({
        id,
        kind: squareKind(cellOf(cells, c.type), gross, fee),
        date: cellOf(cells, c.date) === "" ? payoutDate : dayCell(cells, c.date!),
        grossMinor: gross,
        feeMinor: fee,
        description: cellOf(cells, c.description),
        references: [cellOf(cells, c.orderId)],
      });
      const rows: ReportRow[] = [{ kind: "item", payoutId, payoutDate, currency, item, line }];
      if (cellOf(cells, c.total) !== "") {
        const netMinor = amountCell(cells, c.total!, currency, settings);
        rows.push({ kind: "total", payoutId, payoutDate, currency, netMinor, line });
      }
      return rows;
    },
  };
}

/** The fee in the natural sign: as written when the net agrees, or negated when the net says it was kept. */
function feeOf(
  gross: number,
  written: number,
  cells: readonly string[],
  c: { readonly gross: Column; readonly fee: Column | undefined; readonly net: Column | undefined },
  currency: string,
  settings: ReportSettings,
): number {
  if (c.net === undefined || cellOf(cells, c.net) === "") return written > 0 ? negated(written) : written;
  const net = amountCell(cells, c.net, currency, settings);
  if (gross + written === net) return written;
  if (gross - written === net) return negated(written);
  const fees = c.fee?.label ?? "fees";
  throw new RowProblem(
    c.net.label,
    `is not ${c.gross.label} ${shown(gross, currency)} less ${fees} ${shown(Math.abs(written), currency)}`,
    cellOf(cells, c.net),
  );
}
