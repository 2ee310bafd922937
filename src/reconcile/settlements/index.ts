/**
 * Settlements: one bank row that pays several ledger entries at once (a processor's payout of
 * many sales net of its fee, a customer paying several invoices). The word-guided search
 * proposes exact sums of open entries for each bank row and chooses among rival claims
 * (many-to-one.ts); the structure-led pass finds payouts by their fee entry alone
 * (fee-anchored.ts). The first round of proposals runs on an executor the caller supplies,
 * in this thread by default (executor.ts).
 */

export {
  firstRoundTask,
  inProcessExecutor,
  type ProposalExecutor,
  type ProposalSnapshot,
  type ProposalTask,
  SnapshotProposer,
} from "./executor.js";
export { chooseFeeAnchored } from "./fee-anchored.js";
export { chooseManyToOne, type ManyToOneSettings } from "./many-to-one.js";
export { type Proposal, SettlementProposer } from "./proposals.js";
export { type Settlement, type SettlementLimits, searchSettlements } from "./search.js";
