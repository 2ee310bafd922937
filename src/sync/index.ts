/**
 * Sync: brings an item's Plaid data into the store, exactly. Transactions through
 * /transactions/sync (locked per item, applied atomically with the cursor, pending→posted
 * carry-over); a /transactions/get backfill; accounts, balances, holdings and liabilities.
 *
 * @example
 * const report = await syncItem(store, new PlaidGateway(), itemId);
 */
export { backfillTransactions } from "./backfill.js";
export { ChangeSet } from "./change-set.js";
export { type ItemLock, LEASE_MS, withItemLock } from "./item-lock.js";
export { type ItemProblem, itemProblemOf, recordItemProblem } from "./item-problem.js";
export { type LinkedItem, linkSandboxItem, type SandboxLinkOptions } from "./link-sandbox.js";
export { refreshAccounts, refreshBalances } from "./refresh-accounts.js";
export { refreshHoldings, refreshInvestmentTransactions } from "./refresh-investments.js";
export { refreshLiabilities } from "./refresh-liabilities.js";
export { type SyncItemOptions, type SyncItemReport, type SyncProgress, syncItem } from "./sync-item.js";
