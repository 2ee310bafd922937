/**
 * The store: a faithful local copy of the bank and of what people did with it, in SQLite (the
 * default) or PostgreSQL, through one Kysely schema and one migration set. Access tokens are
 * sealed with AES-256-GCM before they reach SQL and are never returned by a listing.
 *
 * @example
 * const store = await openStore({ url: process.env.DATABASE_URL });
 * for (const item of await listItems(store)) console.log(item.id, item.status);
 * await store.close();
 */
export {
  listAccounts,
  recordBalanceSnapshots,
  type StoredAccount,
  type StoredBalance,
  upsertPlaidAccounts,
} from "./accounts.js";
export {
  type CategoryChange,
  pairTransfersBetween,
  type RecategorizeOutcome,
  recategorize,
  recategorizeAll,
  refreshCategories,
  refreshPlannerStatistics,
  withCategories,
} from "./categories.js";
export { chunksOf, UPSERT_ROWS_MAX } from "./chunks.js";
export {
  dataDirectory,
  describeLocation,
  parseStoreLocation,
  type StoreDialect,
  type StoreLocation,
} from "./connect.js";
export {
  listHoldings,
  replaceHoldings,
  type StoredHolding,
  type StoredSecurity,
  upsertInvestmentTransactions,
  upsertSecurities,
} from "./investments.js";
export {
  accessTokenOf,
  assertCanSeal,
  getItem,
  listItems,
  markItemOk,
  type OldCiphertextErasure,
  type ResealOutcome,
  resealAccessTokens,
  type SaveItemInput,
  type StoredItem,
  saveItem,
  setItemStatus,
} from "./items.js";
export {
  deletePreviousKeyFile,
  installNewKeyFile,
  type KeySource,
  makePrivateDirectory,
  resolveKeySource,
  type SealedTokenCount,
} from "./key-source.js";
export {
  createKeyring,
  ENV_SECRET_KEY,
  ENV_SECRET_KEY_PREVIOUS,
  EncryptionKey,
  type Keyring,
} from "./keyring.js";
export {
  importExpectedEntries,
  LEDGER_CHANGES_LISTED_MAX,
  LEDGER_LIST_LIMIT_DEFAULT,
  type LedgerChange,
  type LedgerEntryStatus,
  type LedgerFilter,
  type LedgerImportOutcome,
  listExpectedEntries,
  listLedgerEntries,
  saveExpectedEntries,
} from "./ledger.js";
export { listLiabilities, replaceLiabilities, type StoredLiability } from "./liabilities.js";
export { latestMigrationName } from "./migrations.js";
export { listMatches, type StoredMatch, saveReconciliationRun } from "./reconciliations.js";
export type { Database } from "./schema.js";
export {
  importStatement,
  type StatementImportInput,
  type StatementImportOutcome,
  UNNAMED_ACCOUNT_ID,
} from "./statement-imports.js";
export { DEFAULT_TENANT_ID, type OpenStoreOptions, openStore, type Store } from "./store.js";
export {
  editTransaction,
  LIST_LIMIT_DEFAULT,
  listTransactions,
  type ResolvedCategory,
  type StoredTransaction,
  type TransactionEdits,
  type TransactionFilter,
  toStoredTransaction,
} from "./transaction-queries.js";
export {
  carryPendingOver,
  markTransactionsRemoved,
  plaidTransactionRow,
  upsertTransactionRows,
} from "./transactions.js";
export { markWebhookProcessed, recordWebhookEvent } from "./webhook-events.js";
// The workflow's tables are read and written by `workflow/` (its own imports); sync needs these.
export { holdLockedChanges } from "./workflow-locks.js";
export {
  type ReconciledRow,
  reconciledBefore,
  SYNC_ACTOR,
  settleReconciledChanges,
} from "./workflow-sync.js";
