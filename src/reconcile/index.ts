export { DEFAULTS as RECONCILE_DEFAULTS, reconcile } from "./engine.js";
export {
  matchPayouts,
  PAYOUT_LIMITS,
  type PayoutBankRow,
  type PayoutLedgerRow,
  type PayoutMatch,
} from "./payouts/index.js";
export type * from "./types.js";
