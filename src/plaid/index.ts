/**
 * The Plaid gateway: configuration, the official SDK behind retries and one error type, and
 * the mapping of Plaid's answers to bankrec's types at this edge.
 *
 * @example
 * import { PlaidGateway, collectSyncRun, plaidConfigStatus } from "bankrec";
 * const status = plaidConfigStatus();
 * if (!status.configured) console.error(status.reason);
 * const plaid = new PlaidGateway();
 * const run = await collectSyncRun(plaid.syncTransactions(accessToken, { cursor }));
 */
export type { AccountsOptions, AccountsResult, BalancesOptions, BalancesResult } from "./accounts.js";
export { BALANCE_MAX_AGE_MS_DEFAULT } from "./balance-cache.js";
export { createPlaidApi, PLAID_API_VERSION } from "./caller.js";
export {
  PLAID_TIMEOUT_MS_DEFAULT,
  type PlaidConfig,
  type PlaidConfigOptions,
  type PlaidConfigStatus,
  type PlaidEnvironment,
  plaidConfigStatus,
  resolvePlaidConfig,
} from "./config.js";
export { isRetryable, NETWORK_ERROR_TYPE, PlaidApiError, type PlaidApiErrorFields } from "./errors.js";
export { PlaidGateway, type PlaidGatewayOptions } from "./gateway.js";
export type { HoldingsResult, InvestmentTransactionsPage } from "./investments.js";
export type { ExchangedItem, LinkToken, LinkTokenOptions, WebhookVerificationKey } from "./items.js";
export type { LiabilitiesResult } from "./liabilities.js";
export {
  itemErrorOf,
  type PlaidAccountRecord,
  type PlaidBalances,
  type PlaidItem,
  type PlaidItemError,
  toPlaidAccountRecord,
  toPlaidItem,
} from "./map-account.js";
export {
  type PlaidHoldingRecord,
  type PlaidInvestmentTransactionRecord,
  type PlaidSecurityRecord,
  toPlaidHoldingRecord,
  toPlaidInvestmentTransactionRecord,
  toPlaidSecurityRecord,
} from "./map-investments.js";
export { type PlaidLiabilities, type PlaidLiabilityRecord, toPlaidLiabilities } from "./map-liabilities.js";
export {
  type PlaidCategory,
  type PlaidCounterparty,
  type PlaidLocation,
  type PlaidTransactionRecord,
  toPlaidTransactionRecord,
} from "./map-transaction.js";
export {
  REAL_TIMING,
  RETRY_POLICY_DEFAULT,
  type RetryEvent,
  type RetryPolicy,
  type RetryTiming,
} from "./retry.js";
export type { SandboxPublicTokenOptions, SandboxTransaction } from "./sandbox.js";
export { type DateRange, PAGE_COUNT_MAX, type PageOptions, type TransactionsPage } from "./transactions.js";
export {
  collectSyncRun,
  SYNC_PAGES_MAX,
  SYNC_RESTARTS_MAX,
  type SyncEnd,
  type SyncOptions,
  type SyncPage,
  type SyncRestart,
  type SyncRun,
  type SyncStep,
} from "./transactions-sync.js";
