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
  type ReportSettings,
  shown,
} from "./values.js";

/** Stripe's reporting categories (and balance transaction types) as line kinds. */
const STRIPE_KINDS: Readonly<Record<string, PayoutItemKind>> = {
  charge: "charge",
  payment: "charge",
  refund: "refund",
  payment_refund: "refund",
  refund_failure: "refund",
  partial_capture_reversal: "refund",
  fee: "fee",
  stripe_fee: "fee",
  network_cost: "fee",
  tax: "fee",
  dispute: "dispute",
  dispute_reversal: "dispute",
  adjustment: "adjustment",
  other_adjustment: "adjustment",
};

function stripeKind(category: string, grossMinor: number, feeMinor: number): PayoutItemKind {
  const known = STRIPE_KINDS[category.toLowerCase()];
  if (known !== undefined) return known;
  return category === "" ? kindBySign(grossMinor, feeMinor) : "other";
}

/** Stripe writes `net = gross − fee`, fee > 0 when charged. */
function checkNet(
  gross: number,
  fee: number,
  net: number,
  c: Record<"gross" | "fee" | "net", Column>,
  text: string,
  currency: string,
) {
  if (gross - fee !== net)
    throw new RowProblem(
      c.net.label,
      `is not ${c.gross.label} ${shown(gross, currency)} minus ${c.fee.label} ${shown(fee, currency)}`,
      text,
    );
}

/**
 * Stripe's itemized payout reconciliation report (`payout_reconciliation.itemized.*`): a row
 * per balance transaction with the automatic payout that settled it. Amounts are decimal major
 * units; `fee` is positive when Stripe kept it and `net = gross − fee`. Rows with no payout id
 * (not yet paid out) are no part of a payout and are passed over.
 */
export function stripeItemizedReader(columns: Columns, settings: ReportSettings): RowReader {
  const report = "Stripe's payout reconciliation report";
  const need = (...names: [string, ...string[]]) => columns.require(report, ...names);
  const c = {
    payout: need("automatic_payout_id"),
    payoutDate: need("automatic_payout_effective_at", "automatic_payout_effective_at_utc"),
    id: need("balance_transaction_id"),
    created: need("created", "created_utc"),
    gross: need("gross"),
    fee: need("fee"),
    net: need("net"),
    currency: need("currency"),
    category: columns.find("reporting_category"),
    description: columns.find("description"),
  };
  const references = ["charge_id", "source_id", "payment_intent_id", "invoice_id"]
    .map((name) => columns.find(name))
    .filter((column): column is Column => column !== undefined);
  return {
    processor: "stripe",
    report,
    uniqueIdLabel: c.id.label,
    read(cells, line): ReportRow[] {
      const payoutId = cellOf(cells, c.payout);
      if (payoutId === "") return [];
      const currency = currencyCell(cells, c.currency, settings);
      const gross = amountCell(cells, c.gross, currency, settings);
      const fee = amountCell(cells, c.fee, currency, settings);
      const net = amountCell(cells, c.net, currency, settings);
      checkNet(gross, fee, net, c, cellOf(cells, c.net), currency);
      const item = lineItem({
        id: requiredCellOf(cells, c.id),
        kind: stripeKind(cellOf(cells, c.category), gross, negated(fee)),
        date: dayCell(cells, c.created),
        grossMinor: gross,
        feeMinor: negated(fee),
        description: cellOf(cells, c.description),
        references: references.map((column) => cellOf(cells, column)),
      });
      return [{ kind: "item", payoutId, payoutDate: dayCell(cells, c.payoutDate), currency, item, line }];
    },
  };
}

/**
 * Stripe's balance transaction export (Dashboard → Balances → Export): `id, Type, Source,
 * Amount, Fee, Net, Currency, Created (UTC), Available On (UTC), Description, …, Transfer`,
 * where `Transfer` is the payout (`po_…`) that settled the row. The payout's own row (Type
 * `payout`) gives its net (the negative of its Net) and its date (Available On, else Created);
 * without one, a payout's date is the latest Available On of its rows. Rows with no Transfer
 * are no part of a payout.
 */
export function stripeBalanceReader(columns: Columns, settings: ReportSettings): RowReader {
  const report = "Stripe's balance transaction export";
  const need = (...names: [string, ...string[]]) => columns.require(report, ...names);
  const c = {
    id: need("id"),
    gross: need("Amount"),
    fee: need("Fee"),
    net: need("Net"),
    currency: need("Currency"),
    created: need("Created (UTC)", "Created", "created_utc"),
    transfer: need("Transfer", "Payout", "Payout ID", "automatic_payout_id"),
    type: columns.find("Type", "reporting_category"),
    source: columns.find("Source", "source_id"),
    available: columns.find("Available On (UTC)", "Available On", "available_on_utc"),
    description: columns.find("Description"),
  };
  return {
    processor: "stripe",
    report,
    uniqueIdLabel: c.id.label,
    read(cells, line): ReportRow[] {
      const type = cellOf(cells, c.type).toLowerCase();
      const source = cellOf(cells, c.source);
      const currency = currencyCell(cells, c.currency, settings);
      const gross = amountCell(cells, c.gross, currency, settings);
      const fee = amountCell(cells, c.fee, currency, settings);
      const net = amountCell(cells, c.net, currency, settings);
      checkNet(gross, fee, net, c, cellOf(cells, c.net), currency);
      const created = dayCell(cells, c.created);
      const available = cellOf(cells, c.available) === "" ? null : dayCell(cells, c.available!);
      if (type === "payout") {
        const payoutId = cellOf(cells, c.transfer) || source || requiredCellOf(cells, c.id);
        // The payout leaves the Stripe balance: its Net is negative, what the bank receives is its negative.
        return [
          {
            kind: "total",
            payoutId,
            payoutDate: available ?? created,
            currency,
            netMinor: negated(net),
            line,
          },
        ];
      }
      const payoutId = cellOf(cells, c.transfer);
      if (payoutId === "") return [];
      const item = lineItem({
        id: requiredCellOf(cells, c.id),
        kind: stripeKind(type, gross, negated(fee)),
        date: created,
        grossMinor: gross,
        feeMinor: negated(fee),
        description: cellOf(cells, c.description),
        references: [source],
      });
      return [{ kind: "item", payoutId, payoutDate: available, currency, item, line }];
    },
  };
}
