import { type Kysely, type Migration, type MigrationProvider, Migrator, sql } from "kysely";
import { ConfigError } from "../errors/index.js";
import { backfillCategories } from "./categories.js";
import type { StoreDialect } from "./connect.js";

/**
 * The versioned migrations, in code (not files on disk) so that the built package carries
 * them. Names sort in the order they run; never edit a migration that has shipped: add one.
 */
function migrations(dialect: StoreDialect): Record<string, Migration> {
  return {
    "0001-initial": initial(dialect),
    "0002-categories": categories(),
    "0003-workflow": workflow(),
  };
}

/** Migration table names: Kysely's defaults, spelled out so a rename cannot surprise us. */
const MIGRATION_TABLE = "kysely_migration";
const MIGRATION_LOCK_TABLE = "kysely_migration_lock";

/**
 * Brings the database to the code's schema. A database migrated by a newer bankrec (a
 * migration this code does not know) is refused before anything runs, so an old binary never
 * writes into a schema it does not understand.
 *
 * @example await migrateToLatest(db, "sqlite");
 */
export async function migrateToLatest(
  db: Kysely<unknown>,
  dialect: StoreDialect,
  schema: string | null = null,
): Promise<void> {
  const known = migrations(dialect);
  // Postgres: the schema must be explicit, or Kysely finds another schema's migration table.
  const tableSchema = dialect === "postgres" ? (schema ?? "public") : undefined;
  await refuseNewerDatabase(db, Object.keys(known), tableSchema);
  const provider: MigrationProvider = { getMigrations: async () => known };
  const migrator = new Migrator({
    db,
    provider,
    migrationTableName: MIGRATION_TABLE,
    migrationLockTableName: MIGRATION_LOCK_TABLE,
    ...(tableSchema === undefined ? {} : { migrationTableSchema: tableSchema }),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results?.find((result) => result.status === "Error")?.migrationName ?? "(unknown)";
    throw new ConfigError(`database migration ${failed} failed: ${messageOf(error)}`, { cause: error });
  }
}

/** The newest migration this code knows. */
export function latestMigrationName(dialect: StoreDialect): string {
  return Object.keys(migrations(dialect)).sort().at(-1) ?? "";
}

async function refuseNewerDatabase(
  db: Kysely<unknown>,
  knownNames: readonly string[],
  tableSchema: string | undefined,
): Promise<void> {
  const tables = await db.introspection.getTables({ withInternalKyselyTables: true });
  const present = tables.some(
    (table) => table.name === MIGRATION_TABLE && (tableSchema === undefined || table.schema === tableSchema),
  );
  if (!present) return;
  const table = tableSchema === undefined ? MIGRATION_TABLE : `${tableSchema}.${MIGRATION_TABLE}`;
  const applied = await sql<{ name: string }>`select name from ${sql.table(table)}`.execute(db);
  const unknown = applied.rows.map((row) => row.name).filter((name) => !knownNames.includes(name));
  if (unknown.length === 0) return;
  throw new ConfigError(
    `the database was migrated by a newer bankrec (it has migration ${unknown.sort().join(", ")}; ` +
      `this bankrec knows up to ${[...knownNames].sort().at(-1)}): upgrade bankrec, or point DATABASE_URL at another database`,
  );
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function initial(dialect: StoreDialect): Migration {
  const autoId = dialect === "postgres" ? "bigserial" : "integer";
  return {
    async up(db: Kysely<unknown>) {
      const now = "text";
      await db.schema
        .createTable("tenants")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("created_at", now, (c) => c.notNull())
        .execute();
      await db.schema
        .createTable("institutions")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("updated_at", now, (c) => c.notNull())
        .execute();
      await db.schema
        .createTable("items")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("tenant_id", "text", (c) => c.notNull().references("tenants.id"))
        .addColumn("institution_id", "text")
        .addColumn("access_token_sealed", "text", (c) => c.notNull())
        .addColumn("status", "text", (c) => c.notNull())
        .addColumn("error_code", "text")
        .addColumn("error_message", "text")
        .addColumn("webhook_url", "text")
        .addColumn("products_json", "text", (c) => c.notNull())
        .addColumn("created_at", now, (c) => c.notNull())
        .addColumn("updated_at", now, (c) => c.notNull())
        .execute();
      await db.schema
        .createTable("accounts")
        .addColumn("id", "text", (c) => c.notNull())
        .addColumn("tenant_id", "text", (c) => c.notNull().references("tenants.id"))
        .addColumn("item_id", "text", (c) => c.references("items.id"))
        .addColumn("source", "text", (c) => c.notNull())
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("official_name", "text")
        .addColumn("mask", "text")
        .addColumn("type", "text")
        .addColumn("subtype", "text")
        .addColumn("currency", "text")
        .addColumn("raw_json", "text")
        .addColumn("updated_at", now, (c) => c.notNull())
        // Per tenant: two businesses may import statements of one account (an IBAN).
        .addPrimaryKeyConstraint("accounts_pk", ["tenant_id", "id"])
        .execute();
      await db.schema
        .createTable("balance_snapshots")
        .addColumn("id", autoId, (c) =>
          dialect === "postgres" ? c.primaryKey() : c.primaryKey().autoIncrement(),
        )
        .addColumn("account_id", "text", (c) => c.notNull())
        .addColumn("taken_at", now, (c) => c.notNull())
        .addColumn("currency", "text")
        .addColumn("current_minor", "bigint")
        .addColumn("available_minor", "bigint")
        .addColumn("limit_minor", "bigint")
        .execute();
      await db.schema
        .createIndex("balance_snapshots_account_taken")
        .on("balance_snapshots")
        .columns(["account_id", "taken_at"])
        .execute();
      await createTransactions(db);
      await createSyncTables(db);
      await createInvestmentTables(db);
      await createLedgerTables(db);
      await createEventTables(db);
    },
  };
}

async function createTransactions(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("transactions")
    .addColumn("id", "text", (c) => c.notNull())
    .addColumn("tenant_id", "text", (c) => c.notNull().references("tenants.id"))
    .addColumn("item_id", "text", (c) => c.references("items.id"))
    .addColumn("account_id", "text", (c) => c.notNull())
    .addColumn("source", "text", (c) => c.notNull())
    .addColumn("amount_minor", "bigint", (c) => c.notNull())
    .addColumn("currency", "text", (c) => c.notNull())
    .addColumn("date", "text", (c) => c.notNull())
    .addColumn("authorized_date", "text")
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("merchant_name", "text")
    .addColumn("check_number", "text")
    .addColumn("pending", "integer", (c) => c.notNull())
    .addColumn("pending_transaction_id", "text")
    .addColumn("payment_channel", "text")
    .addColumn("pfc_primary", "text")
    .addColumn("pfc_detailed", "text")
    .addColumn("pfc_confidence", "text")
    .addColumn("pfc_version", "text")
    .addColumn("legacy_category_json", "text")
    .addColumn("raw_json", "text", (c) => c.notNull())
    .addColumn("first_seen_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("removed_at", "text")
    .addColumn("user_note", "text")
    .addColumn("user_category", "text")
    .addColumn("user_merchant_name", "text")
    .addColumn("user_tags_json", "text")
    .addColumn("user_edited_at", "text")
    // Per tenant: a statement file's import keys are the same for whoever imports it.
    .addPrimaryKeyConstraint("transactions_pk", ["tenant_id", "id"])
    .execute();
  await db.schema
    .createIndex("transactions_tenant_date")
    .on("transactions")
    .columns(["tenant_id", "date"])
    .execute();
  await db.schema
    .createIndex("transactions_account_date")
    .on("transactions")
    .columns(["account_id", "date"])
    .execute();
  await db.schema.createIndex("transactions_item").on("transactions").column("item_id").execute();
  await db.schema
    .createIndex("transactions_pending_link")
    .on("transactions")
    .column("pending_transaction_id")
    .execute();
}

async function createSyncTables(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("sync_state")
    .addColumn("item_id", "text", (c) => c.primaryKey().references("items.id"))
    .addColumn("cursor", "text", (c) => c.notNull())
    .addColumn("last_synced_at", "text")
    .addColumn("last_update_status", "text")
    .addColumn("last_added", "integer", (c) => c.notNull())
    .addColumn("last_modified", "integer", (c) => c.notNull())
    .addColumn("last_removed", "integer", (c) => c.notNull())
    .execute();
  await db.schema
    .createTable("sync_locks")
    .addColumn("item_id", "text", (c) => c.primaryKey())
    .addColumn("owner", "text", (c) => c.notNull())
    .addColumn("pid", "integer", (c) => c.notNull())
    .addColumn("host", "text", (c) => c.notNull())
    .addColumn("expires_at", "text", (c) => c.notNull())
    .execute();
}

async function createInvestmentTables(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("securities")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("name", "text")
    .addColumn("ticker_symbol", "text")
    .addColumn("type", "text")
    .addColumn("currency", "text")
    .addColumn("close_price", "double precision")
    .addColumn("raw_json", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createTable("holdings")
    .addColumn("account_id", "text", (c) => c.notNull())
    .addColumn("security_id", "text", (c) => c.notNull())
    .addColumn("item_id", "text", (c) => c.notNull().references("items.id"))
    .addColumn("quantity", "double precision", (c) => c.notNull())
    .addColumn("institution_value_minor", "bigint")
    .addColumn("cost_basis_minor", "bigint")
    .addColumn("currency", "text")
    .addColumn("raw_json", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("holdings_pk", ["account_id", "security_id"])
    .execute();
  await db.schema
    .createTable("investment_transactions")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("item_id", "text", (c) => c.notNull().references("items.id"))
    .addColumn("account_id", "text", (c) => c.notNull())
    .addColumn("security_id", "text")
    .addColumn("date", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("type", "text")
    .addColumn("subtype", "text")
    .addColumn("amount_minor", "bigint", (c) => c.notNull())
    .addColumn("currency", "text")
    .addColumn("quantity", "double precision")
    .addColumn("raw_json", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createTable("liabilities")
    .addColumn("account_id", "text", (c) => c.primaryKey())
    .addColumn("item_id", "text", (c) => c.notNull().references("items.id"))
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("raw_json", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
}

async function createLedgerTables(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("expected_entries")
    .addColumn("id", "text", (c) => c.notNull())
    .addColumn("tenant_id", "text", (c) => c.notNull().references("tenants.id"))
    .addColumn("date", "text", (c) => c.notNull())
    .addColumn("amount_minor", "bigint", (c) => c.notNull())
    .addColumn("currency", "text", (c) => c.notNull())
    .addColumn("description", "text", (c) => c.notNull())
    .addColumn("counterparty", "text")
    .addColumn("reference", "text")
    .addColumn("account_id", "text")
    .addColumn("amount_min_minor", "bigint")
    .addColumn("amount_max_minor", "bigint")
    .addColumn("date_from", "text")
    .addColumn("date_to", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("expected_entries_pk", ["tenant_id", "id"])
    .execute();
  await db.schema
    .createTable("reconciliation_runs")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("tenant_id", "text", (c) => c.notNull().references("tenants.id"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("options_json", "text", (c) => c.notNull())
    .addColumn("summary_json", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createTable("reconciliation_matches")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("run_id", "text", (c) => c.notNull().references("reconciliation_runs.id"))
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("confidence", "double precision", (c) => c.notNull())
    .addColumn("review_status", "text", (c) => c.notNull())
    .addColumn("amount_difference_minor", "bigint", (c) => c.notNull())
    .addColumn("pending", "integer", (c) => c.notNull())
    .addColumn("reasons_json", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createTable("match_members")
    .addColumn("match_id", "text", (c) => c.notNull().references("reconciliation_matches.id"))
    .addColumn("side", "text", (c) => c.notNull())
    .addColumn("member_id", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("match_members_pk", ["match_id", "side", "member_id"])
    .execute();
  await db.schema
    .createIndex("match_members_member")
    .on("match_members")
    .columns(["side", "member_id"])
    .execute();
  await db.schema
    .createTable("category_rules")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("tenant_id", "text", (c) => c.notNull().references("tenants.id"))
    .addColumn("priority", "integer", (c) => c.notNull())
    .addColumn("pattern_json", "text", (c) => c.notNull())
    .addColumn("category", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
}

async function createEventTables(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("webhook_events")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("item_id", "text")
    .addColumn("webhook_type", "text", (c) => c.notNull())
    .addColumn("webhook_code", "text", (c) => c.notNull())
    .addColumn("received_at", "text", (c) => c.notNull())
    .addColumn("body", "text", (c) => c.notNull())
    .addColumn("processed_at", "text")
    .execute();
  await db.schema
    .createTable("statement_imports")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("tenant_id", "text", (c) => c.notNull().references("tenants.id"))
    .addColumn("file_name", "text", (c) => c.notNull())
    .addColumn("format", "text", (c) => c.notNull())
    .addColumn("imported_at", "text", (c) => c.notNull())
    .addColumn("added", "integer", (c) => c.notNull())
    .addColumn("unchanged", "integer", (c) => c.notNull())
    .addColumn("changed", "integer", (c) => c.notNull())
    .execute();
}

/**
 * Categories resolved at write time (so reports are plain SQL aggregates), the facts they are
 * resolved from (merchant entity, counterparty, the statement's own type code), transfer
 * pairs, and rules as ordered conditions and actions. Rows already stored are categorized
 * here, once.
 */
function categories(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      const text = [
        "merchant_entity_id",
        "counterparty_name",
        "bank_type_code",
        "category_rule_id",
        "merchant_key",
        "merchant_display",
        "rule_tags_json",
        "transfer_partner_id",
      ];
      for (const column of text)
        await db.schema.alterTable("transactions").addColumn(column, "text").execute();
      await db.schema
        .alterTable("transactions")
        .addColumn("category", "text", (c) => c.notNull().defaultTo("UNCATEGORIZED"))
        .execute();
      await db.schema
        .alterTable("transactions")
        .addColumn("category_primary", "text", (c) => c.notNull().defaultTo("UNCATEGORIZED"))
        .execute();
      await db.schema
        .alterTable("transactions")
        .addColumn("category_source", "text", (c) => c.notNull().defaultTo("none"))
        .execute();
      await db.schema
        .alterTable("transactions")
        .addColumn("marked_transfer", "integer", (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema
        .alterTable("transactions")
        .addColumn("report_role", "text", (c) => c.notNull().defaultTo("counted"))
        .execute();
      // Every spending report reads only these columns: a covering index turns a year of a
      // million rows into one index range scan instead of a walk through the raw payloads.
      await db.schema
        .createIndex("transactions_report")
        .on("transactions")
        .columns([
          "tenant_id",
          "date",
          "report_role",
          "removed_at",
          "pending",
          "currency",
          "category",
          "merchant_key",
          "merchant_display",
          "amount_minor",
          "account_id",
        ])
        .execute();
      await db.schema
        .createIndex("transactions_edited")
        .on("transactions")
        .columns(["tenant_id", "user_edited_at"])
        .execute();
      // The report index leads with the same two columns: one index fewer to keep up on write.
      await db.schema.dropIndex("transactions_tenant_date").execute();
      await db.schema.dropTable("category_rules").execute();
      await db.schema
        .createTable("category_rules")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("tenant_id", "text", (c) => c.notNull().references("tenants.id"))
        .addColumn("priority", "integer", (c) => c.notNull())
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("conditions_json", "text", (c) => c.notNull())
        .addColumn("actions_json", "text", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .execute();
      await db.schema
        .createTable("rule_suggestion_dismissals")
        .addColumn("tenant_id", "text", (c) => c.notNull().references("tenants.id"))
        .addColumn("suggestion_key", "text", (c) => c.notNull())
        .addColumn("dismissed_at", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("rule_suggestion_dismissals_pk", ["tenant_id", "suggestion_key"])
        .execute();
      await backfillCategories(db);
    },
  };
}

/**
 * The reconciliation workflow: runs with a scope and what they did, matches that carry their
 * decision (who, when), the decisions themselves, adjustments that balance a match, aliases
 * learned from accepted matches, closed periods with their locked rows, and the provider's
 * changes to locked rows held for review. Existing runs are snapshots: records, never a queue.
 */
function workflow(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      const runs: [string, string][] = [
        ["account_id", "text"],
        ["period_from", "text"],
        ["period_to", "text"],
        ["statement_date", "text"],
        ["statement_balance_minor", "bigint"],
        ["statement_currency", "text"],
        ["auto_accept_confidence", "double precision"],
        ["actor", "text"],
      ];
      await db.schema
        .alterTable("reconciliation_runs")
        .addColumn("origin", "text", (c) => c.notNull().defaultTo("snapshot"))
        .execute();
      await db.schema
        .alterTable("reconciliation_runs")
        .addColumn("counts_json", "text", (c) => c.notNull().defaultTo("{}"))
        .execute();
      for (const [column, type] of runs)
        await db.schema
          .alterTable("reconciliation_runs")
          .addColumn(column, type as "text")
          .execute();
      for (const column of ["tenant_id", "currency", "decided_at", "decided_by", "memo"])
        await db.schema.alterTable("reconciliation_matches").addColumn(column, "text").execute();
      await db.schema
        .createIndex("reconciliation_matches_status")
        .on("reconciliation_matches")
        .columns(["tenant_id", "review_status"])
        .execute();
      await db.schema
        .createIndex("reconciliation_matches_run")
        .on("reconciliation_matches")
        .column("run_id")
        .execute();
      await db.schema
        .createIndex("reconciliation_runs_tenant")
        .on("reconciliation_runs")
        .columns(["tenant_id", "origin", "created_at"])
        .execute();
      await createDecisionTables(db);
      await createLockTables(db);
    },
  };
}

async function createDecisionTables(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("reconciliation_decisions")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("tenant_id", "text", (c) => c.notNull().references("tenants.id"))
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("match_id", "text")
    .addColumn("run_id", "text")
    .addColumn("account_id", "text")
    .addColumn("actor", "text", (c) => c.notNull())
    .addColumn("decided_at", "text", (c) => c.notNull())
    .addColumn("reason", "text")
    .addColumn("detail_json", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("reconciliation_decisions_tenant")
    .on("reconciliation_decisions")
    .columns(["tenant_id", "decided_at"])
    .execute();
  await db.schema
    .createIndex("reconciliation_decisions_match")
    .on("reconciliation_decisions")
    .column("match_id")
    .execute();
  await db.schema
    .createTable("match_adjustments")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("tenant_id", "text", (c) => c.notNull().references("tenants.id"))
    .addColumn("match_id", "text", (c) => c.notNull().references("reconciliation_matches.id"))
    .addColumn("amount_minor", "bigint", (c) => c.notNull())
    .addColumn("currency", "text", (c) => c.notNull())
    .addColumn("reason", "text", (c) => c.notNull())
    .addColumn("memo", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("created_by", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("match_adjustments_match").on("match_adjustments").column("match_id").execute();
  await db.schema
    .createTable("learned_aliases")
    .addColumn("tenant_id", "text", (c) => c.notNull().references("tenants.id"))
    .addColumn("descriptor", "text", (c) => c.notNull())
    .addColumn("counterparty_key", "text", (c) => c.notNull())
    .addColumn("counterparty", "text", (c) => c.notNull())
    .addColumn("accepted_count", "integer", (c) => c.notNull())
    .addColumn("first_at", "text", (c) => c.notNull())
    .addColumn("last_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("learned_aliases_pk", ["tenant_id", "descriptor", "counterparty_key"])
    .execute();
}

async function createLockTables(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("period_locks")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("tenant_id", "text", (c) => c.notNull().references("tenants.id"))
    .addColumn("account_id", "text", (c) => c.notNull())
    .addColumn("period_from", "text")
    .addColumn("through_date", "text", (c) => c.notNull())
    .addColumn("closed_at", "text", (c) => c.notNull())
    .addColumn("closed_by", "text", (c) => c.notNull())
    .addColumn("allow_unreconciled", "integer", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("locked_bank_count", "integer", (c) => c.notNull())
    .addColumn("locked_expected_count", "integer", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("period_locks_account")
    .on("period_locks")
    .columns(["tenant_id", "account_id", "through_date"])
    .execute();
  await db.schema
    .createTable("locked_rows")
    .addColumn("tenant_id", "text", (c) => c.notNull().references("tenants.id"))
    .addColumn("side", "text", (c) => c.notNull())
    .addColumn("row_id", "text", (c) => c.notNull())
    .addColumn("lock_id", "text", (c) => c.notNull().references("period_locks.id"))
    .addColumn("account_id", "text", (c) => c.notNull())
    .addColumn("row_date", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("locked_rows_pk", ["tenant_id", "side", "row_id"])
    .execute();
  await db.schema
    .createIndex("locked_rows_account")
    .on("locked_rows")
    .columns(["tenant_id", "account_id", "row_date"])
    .execute();
  await db.schema
    .createTable("locked_changes")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("tenant_id", "text", (c) => c.notNull().references("tenants.id"))
    .addColumn("transaction_id", "text", (c) => c.notNull())
    .addColumn("lock_id", "text", (c) => c.notNull().references("period_locks.id"))
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("old_json", "text", (c) => c.notNull())
    .addColumn("new_json", "text")
    .addColumn("fields_json", "text", (c) => c.notNull())
    .addColumn("received_at", "text", (c) => c.notNull())
    .addColumn("seq", "integer", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("applied_at", "text")
    .addColumn("applied_by", "text")
    .execute();
  await db.schema
    .createIndex("locked_changes_order")
    .on("locked_changes")
    .columns(["tenant_id", "seq"])
    .execute();
  await db.schema
    .createIndex("locked_changes_transaction")
    .on("locked_changes")
    .columns(["tenant_id", "transaction_id"])
    .execute();
}
