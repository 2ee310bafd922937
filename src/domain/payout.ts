/**
 * A payment processor's payout: the one bank deposit that settles many card sales, refunds and
 * the processor's fees, as the processor's own report lists them (Stripe's payout
 * reconciliation, Square's deposit details, PayPal's settlement report). With it a payout is
 * matched to its bank row and its lines to the ledger by id, where amounts alone cannot tell
 * which of many equal sales a payout settled.
 *
 * Amounts are integer minor units in the natural sign (> 0 is money received): a sale is
 * positive, a refund negative, and a fee the processor kept is negative too. For every line and
 * every payout `netMinor === grossMinor + feeMinor`. Dates are calendar dates `YYYY-MM-DD`.
 */

/** The processors whose reports bankrec reads. */
export type PayoutProcessor = "stripe" | "square" | "paypal";

/**
 * What a payout line is. Charges, refunds, disputes and adjustments are money the ledger should
 * know as its own entries; fees are the processor's (a ledger may book them, or not).
 */
export type PayoutItemKind = "charge" | "refund" | "fee" | "dispute" | "adjustment" | "other";

/** One line of a payout: a charge, a refund, a fee, ... */
export interface PayoutItem {
  /** The processor's id of the line: Stripe's balance transaction, Square's payment, PayPal's transaction. */
  readonly id: string;
  readonly kind: PayoutItemKind;
  /** When the line happened (the sale's date), `YYYY-MM-DD`. */
  readonly date: string;
  /** The line's amount before fees; 0 for a fee line (its amount is its fee). */
  readonly grossMinor: number;
  /** The processor's fee on the line, natural sign: a fee charged is negative. */
  readonly feeMinor: number;
  /** `grossMinor + feeMinor`: what the line adds to the payout. */
  readonly netMinor: number;
  readonly description: string;
  /**
   * Other ids the ledger may know the line by (Stripe's charge and payment intent, PayPal's
   * invoice id): a ledger entry whose reference or description names one is this line's.
   */
  readonly references: readonly string[];
}

/** One payout and its lines. */
export interface ProcessorPayout {
  /** The processor's payout id (`po_…`, a Square deposit id, a PayPal withdrawal's transaction id). */
  readonly id: string;
  readonly processor: PayoutProcessor;
  /** ISO 4217, upper case. */
  readonly currency: string;
  /** When the payout reaches (or is to reach) the bank: its arrival or effective date, `YYYY-MM-DD`. */
  readonly date: string;
  /** What the bank receives: the sum of the lines' nets. */
  readonly netMinor: number;
  /** The sum of the lines' gross amounts. */
  readonly grossMinor: number;
  /** The sum of the lines' fees, natural sign (negative when fees were kept). */
  readonly feeMinor: number;
  readonly items: readonly PayoutItem[];
}

/** The processor's name as people write it: `Stripe`, `Square`, `PayPal`. */
export const PROCESSOR_NAMES: Readonly<Record<PayoutProcessor, string>> = {
  stripe: "Stripe",
  square: "Square",
  paypal: "PayPal",
};
