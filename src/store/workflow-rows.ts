import type { BankTransaction, ExpectedEntry } from "../domain/index.js";
import { chunksOf } from "./chunks.js";
import { expectedEntryOf } from "./ledger.js";
import type { TransactionRow } from "./schema.js";
import type { Executor } from "./workflow-matches.js";

/**
 * The rows a reconciliation run works on, read from the store: bank transactions and ledger
 * entries not in an accepted match. Reconciled rows are never read again, so a run's work
 * grows with what is new, not with the books.
 */

/** A bank row as the workflow sees it: the engine's fields and whether the bank removed it. */
export interface WorkflowBankRow extends BankTransaction {
  readonly removedAt: string | null;
}

const BANK_COLUMNS = [
  "id",
  "account_id",
  "amount_minor",
  "currency",
  "date",
  "authorized_date",
  "name",
  "merchant_name",
  "check_number",
  "pending",
  "bank_type_code",
  "removed_at",
] as const;

type BankColumns = Pick<TransactionRow, (typeof BANK_COLUMNS)[number]>;

function bankRowOf(row: BankColumns): WorkflowBankRow {
  return {
    id: row.id,
    accountId: row.account_id,
    amountMinor: Number(row.amount_minor),
    currency: row.currency,
    date: row.date,
    authorizedDate: row.authorized_date,
    name: row.name,
    merchantName: row.merchant_name,
    checkNumber: row.check_number,
    pending: Number(row.pending) === 1,
    typeCode: row.bank_type_code,
    removedAt: row.removed_at,
  };
}

/** Rows a run reads at most on each side: beyond, narrow the period or the account. */
export const RUN_ROWS_MAX = 1_000_000;

/**
 * Live bank rows dated [from, to] (of one account, when given) that no accepted match holds,
 * pending ones included, at most `limit` (ask for one more than you allow to see an overflow).
 */
export async function openBankRows(
  db: Executor,
  tenantId: string,
  scope: { readonly accountId: string | null; readonly from: string; readonly to: string },
  limit: number,
): Promise<WorkflowBankRow[]> {
  let query = db
    .selectFrom("transactions as t")
    .select(BANK_COLUMNS.map((c) => `t.${c}` as const))
    .where("t.tenant_id", "=", tenantId)
    .where("t.removed_at", "is", null)
    .where("t.date", ">=", scope.from)
    .where("t.date", "<=", scope.to);
  if (scope.accountId !== null) query = query.where("t.account_id", "=", scope.accountId);
  const rows = await query
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom("match_members as mm")
            // A cross join with the condition as a WHERE: SQLite without statistics otherwise
            // walks every accepted match for each row of the year (19 s instead of 27 ms at 10k).
            .crossJoin("reconciliation_matches as m")
            .whereRef("m.id", "=", "mm.match_id")
            .select("mm.match_id")
            .where("m.tenant_id", "=", tenantId)
            .where("m.review_status", "=", "accepted")
            .where("mm.side", "=", "bank")
            .whereRef("mm.member_id", "=", "t.id"),
        ),
      ),
    )
    .orderBy("t.date")
    .orderBy("t.id")
    .limit(limit)
    .execute();
  return rows.map(bankRowOf);
}

/**
 * Ledger entries dated [from, to] that no accepted match holds, at most `limit`. With an
 * account, the entries naming it and those naming none (the ledger does not always know which
 * account a payment will hit).
 */
export async function openExpectedEntries(
  db: Executor,
  tenantId: string,
  scope: { readonly accountId: string | null; readonly from: string; readonly to: string },
  limit: number,
): Promise<ExpectedEntry[]> {
  let query = db
    .selectFrom("expected_entries as e")
    .selectAll("e")
    .where("e.tenant_id", "=", tenantId)
    .where("e.date", ">=", scope.from)
    .where("e.date", "<=", scope.to);
  const accountId = scope.accountId;
  if (accountId !== null)
    query = query.where((eb) => eb.or([eb("e.account_id", "=", accountId), eb("e.account_id", "is", null)]));
  const rows = await query
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom("match_members as mm")
            // A cross join with the condition as a WHERE: SQLite without statistics otherwise
            // walks every accepted match for each row of the year (19 s instead of 27 ms at 10k).
            .crossJoin("reconciliation_matches as m")
            .whereRef("m.id", "=", "mm.match_id")
            .select("mm.match_id")
            .where("m.tenant_id", "=", tenantId)
            .where("m.review_status", "=", "accepted")
            .where("mm.side", "=", "expected")
            .whereRef("mm.member_id", "=", "e.id"),
        ),
      ),
    )
    .orderBy("e.date")
    .orderBy("e.id")
    .limit(limit)
    .execute();
  return rows.map(expectedEntryOf);
}

/** The tenant's bank rows with these ids, removed ones included (unknown ids are left out). */
export async function loadBankRows(
  db: Executor,
  tenantId: string,
  ids: readonly string[],
): Promise<Map<string, WorkflowBankRow>> {
  const out = new Map<string, WorkflowBankRow>();
  for (const chunk of chunksOf(ids)) {
    const rows = await db
      .selectFrom("transactions")
      .select(BANK_COLUMNS)
      .where("tenant_id", "=", tenantId)
      .where("id", "in", chunk)
      .execute();
    for (const row of rows) out.set(row.id, bankRowOf(row));
  }
  return out;
}

/**
 * What the store knows of an account: whether it exists (an accounts row or any transaction)
 * and its currency (the account's own, else its rows'); null when unknown.
 */
export async function accountFacts(
  db: Executor,
  tenantId: string,
  accountId: string,
): Promise<{ readonly currencies: readonly string[] } | null> {
  const account = await db
    .selectFrom("accounts")
    .select("currency")
    .where("tenant_id", "=", tenantId)
    .where("id", "=", accountId)
    .executeTakeFirst();
  const rows = await db
    .selectFrom("transactions")
    .select("currency")
    .distinct()
    .where("tenant_id", "=", tenantId)
    .where("account_id", "=", accountId)
    .limit(10)
    .execute();
  if (account === undefined && rows.length === 0) return null;
  const currencies = new Set<string>();
  if (account?.currency != null) currencies.add(account.currency);
  else for (const row of rows) currencies.add(row.currency);
  return { currencies: [...currencies].sort() };
}
