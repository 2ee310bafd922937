import { randomUUID } from "node:crypto";
import type { BankAccount, BankTransaction } from "../domain/index.js";
import { mergeImport } from "../importers/import-keys.js";
import { refreshCategories, refreshPlannerStatistics, withCategories } from "./categories.js";
import { chunksOf } from "./chunks.js";
import type { NewTransactionRow } from "./schema.js";
import type { Store } from "./store.js";
import { toStoredTransaction } from "./transaction-queries.js";

/** A statement file's rows as read, with where they came from. */
export interface StatementImportInput {
  /** The file's name as the user gave it (shown in the import history). */
  readonly fileName: string;
  readonly format: string;
  readonly accounts: readonly BankAccount[];
  /** Rows keyed by their import key (`toBankTransactions` sets `id` to it). */
  readonly transactions: readonly BankTransaction[];
}

/** What an import did. "Same key, different money" is reported, never overwritten. */
export interface StatementImportOutcome {
  readonly importId: string;
  readonly added: number;
  readonly unchanged: number;
  readonly changed: readonly { readonly incoming: BankTransaction; readonly held: BankTransaction }[];
}

/** Account of a row whose file names none: statements of one unnamed account stay together. */
export const UNNAMED_ACCOUNT_ID = "(unnamed account)";

/**
 * Stores a statement file's rows, all or nothing, in one database transaction: rows whose
 * import key is new are added; rows already held are left as they are (re-importing an
 * overlapping file adds nothing old); a held key with other money is reported in `changed`
 * and the stored row is kept. The import is recorded in `statement_imports`.
 *
 * @example
 * const file = await readStatementFile("march.ofx");
 * const outcome = await importStatement(store, { fileName: "march.ofx", format: file.format,
 *   accounts: toBankAccounts(file), transactions: toBankTransactions(file) });
 */
export async function importStatement(
  store: Store,
  input: StatementImportInput,
): Promise<StatementImportOutcome> {
  const now = store.now();
  const importId = randomUUID();
  return store.db.transaction().execute(async (trx) => {
    const held = new Map<string, BankTransaction>();
    const ids = input.transactions.map((row) => row.id);
    for (const chunk of chunksOf(ids)) {
      const rows = await trx
        .selectFrom("transactions")
        .selectAll()
        .where("tenant_id", "=", store.tenantId)
        .where("id", "in", chunk)
        .execute();
      for (const row of rows) {
        const stored = toStoredTransaction(row);
        held.set(row.id, {
          ...stored,
          accountId: stored.accountId === UNNAMED_ACCOUNT_ID ? null : stored.accountId,
        });
      }
    }
    const merge = mergeImport(held, input.transactions);
    const accountRows = input.accounts.map((account) => ({
      id: account.id,
      tenant_id: store.tenantId,
      item_id: null,
      source: "file",
      name: account.name,
      official_name: null,
      mask: account.mask,
      type: account.type,
      subtype: account.subtype,
      currency: null,
      raw_json: null,
      updated_at: now,
    }));
    if (accountRows.length > 0)
      await trx
        .insertInto("accounts")
        .values(accountRows)
        .onConflict((conflict) => conflict.columns(["tenant_id", "id"]).doNothing())
        .execute();
    const rows = merge.added.map((row) => fileTransactionRow(store.tenantId, row, input.fileName, now));
    for (const chunk of chunksOf(await withCategories(trx, store.tenantId, rows)))
      await trx.insertInto("transactions").values(chunk).execute();
    await refreshPlannerStatistics(trx, store.dialect, rows.length);
    await refreshCategories(trx, store.tenantId, [], { alsoDates: rows.map((row) => row.date) });
    await trx
      .insertInto("statement_imports")
      .values({
        id: importId,
        tenant_id: store.tenantId,
        file_name: input.fileName,
        format: input.format,
        imported_at: now,
        added: merge.added.length,
        unchanged: merge.unchanged.length,
        changed: merge.changed.length,
      })
      .execute();
    return { importId, added: merge.added.length, unchanged: merge.unchanged.length, changed: merge.changed };
  });
}

function fileTransactionRow(
  tenantId: string,
  row: BankTransaction,
  fileName: string,
  now: string,
): NewTransactionRow {
  return {
    id: row.id,
    tenant_id: tenantId,
    item_id: null,
    account_id: row.accountId ?? UNNAMED_ACCOUNT_ID,
    source: "file",
    amount_minor: row.amountMinor,
    currency: row.currency,
    date: row.date,
    authorized_date: row.authorizedDate,
    name: row.name,
    merchant_name: row.merchantName,
    check_number: row.checkNumber,
    pending: row.pending ? 1 : 0,
    pending_transaction_id: null,
    payment_channel: null,
    pfc_primary: null,
    pfc_detailed: null,
    pfc_confidence: null,
    pfc_version: null,
    legacy_category_json: null,
    raw_json: JSON.stringify({ file: fileName, row }),
    first_seen_at: now,
    updated_at: now,
    removed_at: null,
    merchant_entity_id: null,
    counterparty_name: row.merchantName,
    bank_type_code: row.typeCode ?? null,
  };
}
