import type { Generated, Insertable, Selectable, Updateable } from "kysely";

/**
 * The store's tables as Kysely sees them. One schema for SQLite and PostgreSQL, so every
 * column has a type both dialects hold the same way:
 *
 * - money: `bigint` minor units in the natural sign (> 0 is money in), read back as a safe
 *   integer `number` (the Postgres driver is told to parse int8; SQLite's integers are 64-bit);
 * - calendar dates: `YYYY-MM-DD` text; instants: ISO 8601 text in UTC (sorts as it reads);
 * - flags: integer 0/1 (SQLite has no boolean);
 * - nested data (a raw Plaid payload, a category list): JSON text.
 *
 * Rows are never hard-deleted by sync: a transaction Plaid removes keeps its row with
 * `removed_at` set, so a person's edits and a match can be carried to the row that replaces it.
 */
export interface Database {
  tenants: TenantsTable;
  institutions: InstitutionsTable;
  items: ItemsTable;
  accounts: AccountsTable;
  balance_snapshots: BalanceSnapshotsTable;
  transactions: TransactionsTable;
  sync_state: SyncStateTable;
  sync_locks: SyncLocksTable;
  securities: SecuritiesTable;
  holdings: HoldingsTable;
  investment_transactions: InvestmentTransactionsTable;
  liabilities: LiabilitiesTable;
  expected_entries: ExpectedEntriesTable;
  reconciliation_runs: ReconciliationRunsTable;
  reconciliation_matches: ReconciliationMatchesTable;
  match_members: MatchMembersTable;
  category_rules: CategoryRulesTable;
  rule_suggestion_dismissals: RuleSuggestionDismissalsTable;
  webhook_events: WebhookEventsTable;
  statement_imports: StatementImportsTable;
  reconciliation_decisions: ReconciliationDecisionsTable;
  match_adjustments: MatchAdjustmentsTable;
  learned_aliases: LearnedAliasesTable;
  period_locks: PeriodLocksTable;
  locked_rows: LockedRowsTable;
  locked_changes: LockedChangesTable;
}

/** 0 or 1. */
export type Flag = number;

export interface TenantsTable {
  id: string;
  name: string;
  created_at: string;
}

export interface InstitutionsTable {
  id: string;
  name: string;
  updated_at: string;
}

export interface ItemsTable {
  id: string;
  tenant_id: string;
  institution_id: string | null;
  /** `v1.<keyId>.<iv>.<ciphertext>.<tag>`: AES-256-GCM, bound to the item id. */
  access_token_sealed: string;
  /** `ok`, `login_required`, `error`, `removed`. */
  status: string;
  error_code: string | null;
  error_message: string | null;
  webhook_url: string | null;
  products_json: string;
  created_at: string;
  updated_at: string;
}

export interface AccountsTable {
  id: string;
  tenant_id: string;
  /** Null for accounts known only from statement files. */
  item_id: string | null;
  /** `plaid` or `file`. */
  source: string;
  name: string;
  official_name: string | null;
  mask: string | null;
  type: string | null;
  subtype: string | null;
  currency: string | null;
  raw_json: string | null;
  updated_at: string;
}

export interface BalanceSnapshotsTable {
  id: Generated<number>;
  account_id: string;
  taken_at: string;
  currency: string | null;
  current_minor: number | null;
  available_minor: number | null;
  limit_minor: number | null;
}

export interface TransactionsTable {
  id: string;
  tenant_id: string;
  item_id: string | null;
  account_id: string;
  source: string;
  amount_minor: number;
  currency: string;
  date: string;
  authorized_date: string | null;
  name: string;
  merchant_name: string | null;
  check_number: string | null;
  pending: Flag;
  pending_transaction_id: string | null;
  payment_channel: string | null;
  pfc_primary: string | null;
  pfc_detailed: string | null;
  pfc_confidence: string | null;
  pfc_version: string | null;
  legacy_category_json: string | null;
  raw_json: string;
  first_seen_at: string;
  updated_at: string;
  removed_at: string | null;
  /** The fields a person edited; sync never writes these. */
  user_note: string | null;
  user_category: string | null;
  user_merchant_name: string | null;
  user_tags_json: string | null;
  user_edited_at: string | null;
  /** Source facts the categorizer reads: Plaid's merchant entity, the other party, the statement's type code (`ofx:FEE`). */
  merchant_entity_id: string | null;
  counterparty_name: string | null;
  bank_type_code: string | null;
  /** Resolved at write time (sync, import, an edit, a rule change); reports aggregate these. */
  category: Generated<string>;
  category_primary: Generated<string>;
  /** `user`, `rule`, `plaid`, `legacy`, `statement`, `none`. */
  category_source: Generated<string>;
  category_rule_id: string | null;
  merchant_key: string | null;
  merchant_display: string | null;
  rule_tags_json: string | null;
  /** 1 when a rule marked the row a transfer. */
  marked_transfer: Generated<Flag>;
  /** The other side of a transfer between the owner's accounts. */
  transfer_partner_id: string | null;
  /** `counted`, `transfer`, `excluded`: how the row counts in reports. */
  report_role: Generated<string>;
}

export interface SyncStateTable {
  item_id: string;
  cursor: string;
  last_synced_at: string | null;
  last_update_status: string | null;
  /** Count of transactions added, modified and removed by the last committed run. */
  last_added: number;
  last_modified: number;
  last_removed: number;
}

/** A lease: the SQLite stand-in for Postgres's advisory lock, stolen when its owner is gone. */
export interface SyncLocksTable {
  item_id: string;
  owner: string;
  pid: number;
  host: string;
  expires_at: string;
}

export interface SecuritiesTable {
  id: string;
  name: string | null;
  ticker_symbol: string | null;
  type: string | null;
  currency: string | null;
  close_price: number | null;
  raw_json: string;
  updated_at: string;
}

export interface HoldingsTable {
  account_id: string;
  security_id: string;
  item_id: string;
  quantity: number;
  institution_value_minor: number | null;
  cost_basis_minor: number | null;
  currency: string | null;
  raw_json: string;
  updated_at: string;
}

export interface InvestmentTransactionsTable {
  id: string;
  item_id: string;
  account_id: string;
  security_id: string | null;
  date: string;
  name: string;
  type: string | null;
  subtype: string | null;
  amount_minor: number;
  currency: string | null;
  quantity: number | null;
  raw_json: string;
  updated_at: string;
}

export interface LiabilitiesTable {
  account_id: string;
  item_id: string;
  /** `credit`, `mortgage`, `student`. */
  kind: string;
  raw_json: string;
  updated_at: string;
}

export interface ExpectedEntriesTable {
  id: string;
  tenant_id: string;
  date: string;
  amount_minor: number;
  currency: string;
  description: string;
  counterparty: string | null;
  reference: string | null;
  account_id: string | null;
  amount_min_minor: number | null;
  amount_max_minor: number | null;
  date_from: string | null;
  date_to: string | null;
  created_at: string;
}

export interface ReconciliationRunsTable {
  id: string;
  tenant_id: string;
  created_at: string;
  status: string;
  options_json: string;
  summary_json: string;
  /**
   * `snapshot`: a result kept as a record (`saveReconciliationRun`, the demo), never reviewed;
   * `workflow`: a run of the reconciliation workflow, whose matches are proposals and decisions;
   * `manual`: the record of one manual match.
   */
  origin: Generated<string>;
  /** The run's scope (workflow runs): one account or all (null), and the bank dates. */
  account_id: string | null;
  period_from: string | null;
  period_to: string | null;
  statement_date: string | null;
  statement_balance_minor: number | null;
  statement_currency: string | null;
  auto_accept_confidence: number | null;
  actor: string | null;
  /** What the run did: proposed, accepted automatically, waiting, superseded, … (JSON). */
  counts_json: Generated<string>;
}

export interface ReconciliationMatchesTable {
  id: string;
  run_id: string;
  kind: string;
  confidence: number;
  /**
   * `proposed` and `needs_review` (open: the review queue), `accepted`, `rejected` (that exact
   * pairing is never proposed again), `superseded` (a later run replaced the proposal),
   * `unmatched` (was accepted, then undone).
   */
  review_status: string;
  amount_difference_minor: number;
  pending: Flag;
  reasons_json: string;
  /** Set on workflow and manual matches only: snapshot matches are records, not decisions. */
  tenant_id: string | null;
  currency: string | null;
  decided_at: string | null;
  decided_by: string | null;
  memo: string | null;
}

export interface MatchMembersTable {
  match_id: string;
  /** `bank` or `expected`. */
  side: string;
  member_id: string;
}

export interface CategoryRulesTable {
  id: string;
  tenant_id: string;
  /** Lower first: the first rule that sets a field decides it. */
  priority: number;
  name: string;
  conditions_json: string;
  actions_json: string;
  created_at: string;
}

export interface RuleSuggestionDismissalsTable {
  tenant_id: string;
  /** `merchantKey→category`: the suggestion never comes back. */
  suggestion_key: string;
  dismissed_at: string;
}

export interface WebhookEventsTable {
  /** SHA-256 of the raw body: the same delivery twice is one row. */
  id: string;
  item_id: string | null;
  webhook_type: string;
  webhook_code: string;
  received_at: string;
  body: string;
  processed_at: string | null;
}

export interface StatementImportsTable {
  id: string;
  tenant_id: string;
  file_name: string;
  format: string;
  imported_at: string;
  added: number;
  unchanged: number;
  changed: number;
}

/** Every decision of the workflow, with who and when: the audit trail. */
export interface ReconciliationDecisionsTable {
  id: string;
  tenant_id: string;
  /** `accept`, `reject`, `unmatch`, `manual_match`, `demote`, `close`, `reopen`, `apply_locked`, `remove_entry`. */
  kind: string;
  match_id: string | null;
  run_id: string | null;
  account_id: string | null;
  /** A person's name, `auto` (the auto-accept threshold) or `sync` (a provider change). */
  actor: string;
  decided_at: string;
  reason: string | null;
  detail_json: string;
}

/** The amount that balances a match exactly: bank total = ledger total + adjustments. */
export interface MatchAdjustmentsTable {
  id: string;
  tenant_id: string;
  match_id: string;
  /** Natural sign, like a ledger entry: a fee kept by the bank is negative. */
  amount_minor: number;
  currency: string;
  /** `fee`, `rounding`, `fx`, `other`. */
  reason: string;
  memo: string | null;
  created_at: string;
  created_by: string;
}

/** A bank descriptor people accepted with a counterparty, and how often. */
export interface LearnedAliasesTable {
  tenant_id: string;
  /** `descriptorKey(bank name)`. */
  descriptor: string;
  /** The counterparty lower-cased with white space collapsed: the comparison key. */
  counterparty_key: string;
  /** The counterparty as the ledger wrote it (the latest spelling). */
  counterparty: string;
  accepted_count: number;
  first_at: string;
  last_at: string;
}

/** A close of an account's period: its reconciled rows are locked. */
export interface PeriodLocksTable {
  id: string;
  tenant_id: string;
  account_id: string;
  /** First bank date the close covered (null: from the account's first row). */
  period_from: string | null;
  through_date: string;
  closed_at: string;
  closed_by: string;
  allow_unreconciled: Flag;
  /** `closed`, or `reopened` once a reopen took back every day it covered. */
  status: string;
  locked_bank_count: number;
  locked_expected_count: number;
}

/** One locked row: a bank transaction or a ledger entry reconciled in a closed period. */
export interface LockedRowsTable {
  tenant_id: string;
  /** `bank` or `expected`. */
  side: string;
  row_id: string;
  lock_id: string;
  /** The bank account of the close, and the row's date (reopen unlocks by date). */
  account_id: string;
  row_date: string;
}

/** A provider's change to a locked bank row, held instead of applied. */
export interface LockedChangesTable {
  id: string;
  tenant_id: string;
  transaction_id: string;
  lock_id: string;
  /** `modified` or `removed`. */
  kind: string;
  /** The stored row's reconciled fields when the change arrived. */
  old_json: string;
  /** The row sync would have written (null for a removal). */
  new_json: string | null;
  /** The reconciled fields that differ: amount_minor, currency, date, account_id, pending, removed. */
  fields_json: string;
  received_at: string;
  /** The tenant's changes numbered in the order they came (time ties within a sync run). */
  seq: number;
  /** `held`, `applied`. */
  status: string;
  applied_at: string | null;
  applied_by: string | null;
}

export type TransactionRow = Selectable<TransactionsTable>;
export type NewTransactionRow = Insertable<TransactionsTable>;
export type TransactionUpdate = Updateable<TransactionsTable>;
export type ItemRow = Selectable<ItemsTable>;
export type AccountRow = Selectable<AccountsTable>;
export type ExpectedEntryRow = Selectable<ExpectedEntriesTable>;
export type MatchRow = Selectable<ReconciliationMatchesTable>;
