/**
 * Payment processors' payout reports (Stripe, Square, PayPal) read into `ProcessorPayout`s:
 * which sales, refunds and fees each bank deposit from a processor settles.
 */
export type {
  PayoutItem,
  PayoutItemKind,
  PayoutProcessor,
  ProcessorPayout,
} from "../../domain/payout.js";
export { type PayoutReadOptions, parsePayoutReport, readPayoutReport } from "./read.js";
