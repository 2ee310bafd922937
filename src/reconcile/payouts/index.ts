/** The payout stage: processor payouts matched to their bank rows and ledger entries (see match-payouts.ts). */
export {
  matchPayouts,
  PAYOUT_LIMITS,
  type PayoutBankRow,
  type PayoutLedgerRow,
  type PayoutMatch,
} from "./match-payouts.js";
