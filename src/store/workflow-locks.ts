import { chunksOf } from "./chunks.js";
import { lockedIds } from "./ledger.js";
import type { NewTransactionRow } from "./schema.js";
import { type Executor, newId } from "./workflow-matches.js";

/**
 * Closed periods in SQL: the locks, the rows they lock, and the provider's changes to locked
 * rows that sync holds instead of applying. `workflow/` decides; these read and write.
 */

/** A close of an account's period. */
export interface PeriodLock {
  readonly id: string;
  readonly accountId: string;
  /** First bank date the close covered; null: from the account's first row. */
  readonly periodFrom: string | null;
  readonly throughDate: string;
  readonly closedAt: string;
  readonly closedBy: string;
  readonly allowUnreconciled: boolean;
  /** `closed`, or `reopened` once a reopen took back every day it covered. */
  readonly status: string;
  readonly lockedBankCount: number;
  readonly lockedExpectedCount: number;
  /** Provider changes to its rows held for review (not applied). */
  readonly heldChangeCount: number;
}

/** A row to lock. */
export interface RowToLock {
  readonly side: "bank" | "expected";
  readonly rowId: string;
  readonly rowDate: string;
}

export async function insertPeriodLock(
  db: Executor,
  tenantId: string,
  lock: Omit<PeriodLock, "id" | "heldChangeCount" | "status">,
  rows: readonly RowToLock[],
): Promise<string> {
  const id = newId("lock_");
  await db
    .insertInto("period_locks")
    .values({
      id,
      tenant_id: tenantId,
      account_id: lock.accountId,
      period_from: lock.periodFrom,
      through_date: lock.throughDate,
      closed_at: lock.closedAt,
      closed_by: lock.closedBy,
      allow_unreconciled: lock.allowUnreconciled ? 1 : 0,
      status: "closed",
      locked_bank_count: lock.lockedBankCount,
      locked_expected_count: lock.lockedExpectedCount,
    })
    .execute();
  const values = rows.map((row) => ({
    tenant_id: tenantId,
    side: row.side,
    row_id: row.rowId,
    lock_id: id,
    account_id: lock.accountId,
    row_date: row.rowDate,
  }));
  for (const chunk of chunksOf(values))
    await db
      .insertInto("locked_rows")
      .values(chunk)
      .onConflict((c) => c.columns(["tenant_id", "side", "row_id"]).doNothing())
      .execute();
  return id;
}

/** The account's locks (every account's when null), newest close first. */
export async function loadLocks(
  db: Executor,
  tenantId: string,
  accountId: string | null,
): Promise<PeriodLock[]> {
  let query = db.selectFrom("period_locks").selectAll().where("tenant_id", "=", tenantId);
  if (accountId !== null) query = query.where("account_id", "=", accountId);
  const rows = await query
    .orderBy("through_date", "desc")
    .orderBy("closed_at", "desc")
    .limit(1_000)
    .execute();
  const held = new Map<string, number>();
  const counts = await db
    .selectFrom("locked_changes")
    .select(["lock_id", (eb) => eb.fn.countAll<number>().as("n")])
    .where("tenant_id", "=", tenantId)
    .where("status", "=", "held")
    .groupBy("lock_id")
    .execute();
  for (const row of counts) held.set(row.lock_id, Number(row.n));
  return rows.map((row) => ({
    id: row.id,
    accountId: row.account_id,
    periodFrom: row.period_from,
    throughDate: row.through_date,
    closedAt: row.closed_at,
    closedBy: row.closed_by,
    allowUnreconciled: Number(row.allow_unreconciled) === 1,
    status: row.status,
    lockedBankCount: Number(row.locked_bank_count),
    lockedExpectedCount: Number(row.locked_expected_count),
    heldChangeCount: held.get(row.id) ?? 0,
  }));
}

/** How a period's bank rows stand before a close. */
export interface PeriodRows {
  readonly pendingCount: number;
  readonly unreconciledCount: number;
  /** A few of each, for the message: id and date. */
  readonly pendingExamples: readonly { readonly id: string; readonly date: string }[];
  readonly unreconciledExamples: readonly { readonly id: string; readonly date: string }[];
  /** Reconciled rows not locked yet, with their accepted match. */
  readonly reconciled: readonly { readonly id: string; readonly date: string; readonly matchId: string }[];
}

const EXAMPLES_MAX = 3;

/** The account's live bank rows dated [from, through] (from the first when `from` is null). */
export async function periodRows(
  db: Executor,
  tenantId: string,
  accountId: string,
  from: string | null,
  through: string,
): Promise<PeriodRows> {
  const base = () => {
    let q = db
      .selectFrom("transactions as t")
      .where("t.tenant_id", "=", tenantId)
      .where("t.account_id", "=", accountId)
      .where("t.removed_at", "is", null)
      .where("t.date", "<=", through);
    if (from !== null) q = q.where("t.date", ">=", from);
    return q;
  };
  const pending = base().where("t.pending", "=", 1);
  const open = base()
    .where("t.pending", "=", 0)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom("match_members as mm")
            .innerJoin("reconciliation_matches as m", "m.id", "mm.match_id")
            .select("mm.match_id")
            .where("m.tenant_id", "=", tenantId)
            .where("m.review_status", "=", "accepted")
            .where("mm.side", "=", "bank")
            .whereRef("mm.member_id", "=", "t.id"),
        ),
      ),
    );
  const count = async (q: typeof pending) =>
    Number((await q.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirst())?.n ?? 0);
  const examples = (q: typeof pending) =>
    q.select(["t.id", "t.date"]).orderBy("t.date").orderBy("t.id").limit(EXAMPLES_MAX).execute();
  const reconciled = await base()
    .innerJoin("match_members as mm", (join) =>
      join.onRef("mm.member_id", "=", "t.id").on("mm.side", "=", "bank"),
    )
    .innerJoin("reconciliation_matches as m", "m.id", "mm.match_id")
    .select(["t.id", "t.date", "mm.match_id"])
    .where("m.tenant_id", "=", tenantId)
    .where("m.review_status", "=", "accepted")
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom("locked_rows as l")
            .select("l.row_id")
            .where("l.tenant_id", "=", tenantId)
            .where("l.side", "=", "bank")
            .whereRef("l.row_id", "=", "t.id"),
        ),
      ),
    )
    .orderBy("t.date")
    .orderBy("t.id")
    .execute();
  return {
    pendingCount: await count(pending),
    unreconciledCount: await count(open),
    pendingExamples: await examples(pending),
    unreconciledExamples: await examples(open),
    reconciled: reconciled.map((row) => ({ id: row.id, date: row.date, matchId: row.match_id })),
  };
}

/**
 * Unlocks the account's rows dated `from` or later (ledger entries by the date of the bank row
 * that locked them) and moves its locks back to the day before. Returns how many rows were
 * unlocked and which locks changed.
 */
export async function unlockFrom(
  db: Executor,
  tenantId: string,
  accountId: string,
  from: string,
  dayBefore: string,
): Promise<{ readonly bank: number; readonly expected: number; readonly lockIds: readonly string[] }> {
  const locks = await db
    .selectFrom("period_locks")
    .select(["id", "period_from"])
    .where("tenant_id", "=", tenantId)
    .where("account_id", "=", accountId)
    .where("status", "=", "closed")
    .where("through_date", ">=", from)
    .execute();
  const removed = async (side: "bank" | "expected") =>
    Number(
      (
        await db
          .deleteFrom("locked_rows")
          .where("tenant_id", "=", tenantId)
          .where("account_id", "=", accountId)
          .where("side", "=", side)
          .where("row_date", ">=", from)
          .executeTakeFirst()
      ).numDeletedRows,
    );
  const bank = await removed("bank");
  const expected = await removed("expected");
  for (const lock of locks) {
    const whole = lock.period_from !== null && lock.period_from >= from;
    await db
      .updateTable("period_locks")
      .set(whole ? { status: "reopened" } : { through_date: dayBefore })
      .where("id", "=", lock.id)
      .execute();
  }
  return { bank, expected, lockIds: locks.map((lock) => lock.id) };
}

/** The reconciled fields of a bank row: what a held change compares. */
const RECONCILED_COLUMNS = ["amount_minor", "currency", "date", "account_id", "pending"] as const;

/** A bank row's reconciled fields, as stored. */
export interface ReconciledFields {
  readonly amount_minor: number;
  readonly currency: string;
  readonly date: string;
  readonly account_id: string;
  /** 0 or 1. */
  readonly pending: number;
}

/** A provider change to a locked row, as held. */
export interface LockedChange {
  readonly id: string;
  readonly transactionId: string;
  readonly lockId: string;
  readonly kind: "modified" | "removed";
  /** The reconciled fields that differ: amount_minor, currency, date, account_id, pending, removed. */
  readonly fields: readonly string[];
  readonly before: ReconciledFields & { readonly name: string };
  /** Null for a removal. */
  readonly after: (ReconciledFields & { readonly name: string }) | null;
  readonly receivedAt: string;
  readonly status: "held" | "applied";
  readonly appliedAt: string | null;
  readonly appliedBy: string | null;
  /** Whether the row is still locked (then the change cannot be applied). */
  readonly stillLocked: boolean;
  /** The row sync would have written; null for a removal. */
  readonly row: NewTransactionRow | null;
}

/**
 * Sync's gate: of the rows and removals a sync is about to apply, those that would change a
 * locked row's amount, currency, date, account or pending flag, or remove it, are recorded in
 * `locked_changes` and left out, so the stored row stays as it was reconciled. Other changes to
 * a locked row (a merchant name, a category, an address) are applied: they change nothing that
 * was reconciled. The same change arriving twice is recorded once.
 *
 * @example const gate = await holdLockedChanges(trx, tenantId, rows, removals, now);
 */
export async function holdLockedChanges(
  db: Executor,
  tenantId: string,
  rows: readonly NewTransactionRow[],
  removals: readonly string[],
  now: string,
): Promise<{ rows: NewTransactionRow[]; removals: string[]; held: number }> {
  // Most stores close nothing: one indexed look-up keeps their syncs as fast as before.
  const anyLocked = await db
    .selectFrom("locked_rows")
    .select("row_id")
    .where("tenant_id", "=", tenantId)
    .limit(1)
    .executeTakeFirst();
  if (anyLocked === undefined) return { rows: [...rows], removals: [...removals], held: 0 };
  const locked = await lockedIds(db, tenantId, "bank", [...rows.map((r) => r.id), ...removals]);
  if (locked.size === 0) return { rows: [...rows], removals: [...removals], held: 0 };
  const stored = await storedReconciled(db, tenantId, [...locked.keys()]);
  const keepRows: NewTransactionRow[] = [];
  const changes: {
    id: string;
    kind: "modified" | "removed";
    row: NewTransactionRow | null;
    fields: string[];
  }[] = [];
  for (const row of rows) {
    const before = stored.get(row.id);
    const fields = before === undefined || !locked.has(row.id) ? [] : differing(before, row);
    if (fields.length === 0) keepRows.push(row);
    else changes.push({ id: row.id, kind: "modified", row, fields });
  }
  const keepRemovals: string[] = [];
  for (const id of removals) {
    if (locked.has(id) && stored.get(id)?.removed_at === null)
      changes.push({ id, kind: "removed", row: null, fields: ["removed"] });
    else keepRemovals.push(id);
  }
  let held = 0;
  // One number for the tenant's changes in the order they came: time alone ties within a run.
  const last = await db
    .selectFrom("locked_changes")
    .select((eb) => eb.fn.max("seq").as("seq"))
    .where("tenant_id", "=", tenantId)
    .executeTakeFirst();
  let seq = Number(last?.seq ?? 0);
  for (const change of changes) {
    const before = stored.get(change.id);
    if (before === undefined) continue;
    const newJson = change.row === null ? null : JSON.stringify(change.row);
    const latest = await db
      .selectFrom("locked_changes")
      .select(["kind", "new_json"])
      .where("tenant_id", "=", tenantId)
      .where("transaction_id", "=", change.id)
      .where("status", "=", "held")
      .orderBy("seq", "desc")
      .limit(1)
      .executeTakeFirst();
    if (latest !== undefined && latest.kind === change.kind && sameChange(latest.new_json, newJson)) continue;
    await db
      .insertInto("locked_changes")
      .values({
        id: newId("chg_"),
        tenant_id: tenantId,
        transaction_id: change.id,
        lock_id: locked.get(change.id) as string,
        kind: change.kind,
        old_json: JSON.stringify(before),
        new_json: newJson,
        fields_json: JSON.stringify(change.fields),
        received_at: now,
        seq: ++seq,
        status: "held",
        applied_at: null,
        applied_by: null,
      })
      .execute();
    held++;
  }
  return { rows: keepRows, removals: keepRemovals, held };
}

/** Two held rows are the same change when all but their timestamps agree. */
function sameChange(a: string | null, b: string | null): boolean {
  if (a === null || b === null) return a === b;
  const strip = (text: string) => {
    const { updated_at, first_seen_at, ...rest } = JSON.parse(text) as Record<string, unknown>;
    return JSON.stringify(rest);
  };
  return strip(a) === strip(b);
}

type StoredReconciled = ReconciledFields & {
  readonly id: string;
  readonly name: string;
  removed_at: string | null;
};

async function storedReconciled(
  db: Executor,
  tenantId: string,
  ids: readonly string[],
): Promise<Map<string, StoredReconciled>> {
  const out = new Map<string, StoredReconciled>();
  for (const chunk of chunksOf(ids)) {
    const rows = await db
      .selectFrom("transactions")
      .select(["id", ...RECONCILED_COLUMNS, "name", "removed_at"])
      .where("tenant_id", "=", tenantId)
      .where("id", "in", chunk)
      .execute();
    for (const row of rows)
      out.set(row.id, {
        id: row.id,
        amount_minor: Number(row.amount_minor),
        currency: row.currency,
        date: row.date,
        account_id: row.account_id,
        pending: Number(row.pending),
        name: row.name,
        removed_at: row.removed_at,
      });
  }
  return out;
}

function differing(before: StoredReconciled, row: NewTransactionRow): string[] {
  const fields: string[] = [];
  for (const column of RECONCILED_COLUMNS) {
    const value: unknown = row[column];
    const after = typeof value === "bigint" ? Number(value) : value;
    if (after !== before[column]) fields.push(column);
  }
  if (before.removed_at !== null) fields.push("removed");
  return fields;
}

/** Held (or every) provider changes to locked rows, oldest first, at most `limit`. */
export async function loadLockedChanges(
  db: Executor,
  tenantId: string,
  options: { readonly status?: "held" | "applied"; readonly limit: number },
): Promise<LockedChange[]> {
  let query = db
    .selectFrom("locked_changes as c")
    .selectAll("c")
    .select((eb) =>
      eb
        .exists(
          eb
            .selectFrom("locked_rows as l")
            .select("l.row_id")
            .where("l.tenant_id", "=", tenantId)
            .where("l.side", "=", "bank")
            .whereRef("l.row_id", "=", "c.transaction_id"),
        )
        .as("still_locked"),
    )
    .where("c.tenant_id", "=", tenantId);
  if (options.status !== undefined) query = query.where("c.status", "=", options.status);
  const rows = await query.orderBy("c.seq").limit(options.limit).execute();
  return rows.map((row) => {
    const before = JSON.parse(row.old_json) as StoredReconciled;
    const after = row.new_json === null ? null : (JSON.parse(row.new_json) as NewTransactionRow);
    return {
      id: row.id,
      transactionId: row.transaction_id,
      lockId: row.lock_id,
      kind: row.kind as "modified" | "removed",
      fields: JSON.parse(row.fields_json) as string[],
      before: reconciledOf(before),
      after: after === null ? null : reconciledOf(after),
      receivedAt: row.received_at,
      status: row.status as "held" | "applied",
      appliedAt: row.applied_at,
      appliedBy: row.applied_by,
      stillLocked: Boolean(Number(row.still_locked)),
      row: after,
    };
  });
}

function reconciledOf(row: {
  readonly amount_minor: number | bigint;
  readonly currency: string;
  readonly date: string;
  readonly account_id: string;
  readonly pending: number;
  readonly name: string;
}): ReconciledFields & { readonly name: string } {
  return {
    amount_minor: Number(row.amount_minor),
    currency: row.currency,
    date: row.date,
    account_id: row.account_id,
    pending: Number(row.pending),
    name: row.name,
  };
}

/** Marks held changes applied. */
export async function markChangesApplied(
  db: Executor,
  tenantId: string,
  ids: readonly string[],
  at: string,
  by: string,
): Promise<void> {
  for (const chunk of chunksOf(ids))
    await db
      .updateTable("locked_changes")
      .set({ status: "applied", applied_at: at, applied_by: by })
      .where("tenant_id", "=", tenantId)
      .where("id", "in", chunk)
      .execute();
}
