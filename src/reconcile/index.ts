export { DEFAULTS as RECONCILE_DEFAULTS, reconcile } from "./engine.js";
export { descriptorKey } from "./normalize.js";
export {
  matchPayouts,
  PAYOUT_LIMITS,
  type PayoutBankRow,
  type PayoutLedgerRow,
  type PayoutMatch,
} from "./payouts/index.js";
export {
  inProcessExecutor,
  type Proposal,
  type ProposalExecutor,
  type ProposalSnapshot,
  type ProposalTask,
  SnapshotProposer,
} from "./settlements/index.js";
export type * from "./types.js";
