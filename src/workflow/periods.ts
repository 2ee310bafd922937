import { isIsoDate } from "../domain/iso-date.js";
import { InputError } from "../errors/index.js";
import { dayToIso, isoToDay } from "../reconcile/days.js";
import {
  markTransactionsRemoved,
  reconciledBefore,
  refreshCategories,
  type Store,
  settleReconciledChanges,
  upsertTransactionRows,
  withCategories,
} from "../store/index.js";
import { lockedIds } from "../store/ledger.js";
import {
  insertPeriodLock,
  type LockedChange,
  loadLockedChanges,
  loadLocks,
  markChangesApplied,
  type PeriodLock,
  periodRows,
  type RowToLock,
  unlockFrom,
} from "../store/workflow-locks.js";
import { insertDecisions } from "../store/workflow-matches.js";
import { accountFacts } from "../store/workflow-rows.js";
import { checkActor } from "./decisions.js";

/**
 * Closing a period and opening it again. A close locks the account's reconciled bank rows up
 * to a date and the ledger entries matched with them: decisions on them are refused, and sync
 * holds a provider's change to them (amount, date, removal) for review instead of applying it.
 * A reopen is an explicit, recorded decision with a reason.
 */

export interface CloseInput {
  readonly accountId: string;
  /** Last bank date of the period, YYYY-MM-DD. */
  readonly through: string;
  /** First bank date; default the day after the account's last close, else its first row. */
  readonly from?: string;
  /**
   * Close although some bank rows of the period are not reconciled: only the reconciled rows
   * lock; the others stay open for later runs and decisions. Pending rows refuse a close anyway.
   */
  readonly allowUnreconciled?: boolean;
  readonly actor: string;
}

export interface CloseOutcome {
  readonly lockId: string;
  readonly accountId: string;
  readonly from: string | null;
  readonly through: string;
  readonly lockedBank: number;
  readonly lockedExpected: number;
  /** Bank rows of the period left open (only with `allowUnreconciled`). */
  readonly leftOpen: number;
}

/**
 * Closes an account's period. Refused (InputError, nothing written) when a bank row of the
 * period is pending (it may still change or vanish), or is not reconciled unless
 * `allowUnreconciled`. Closing again through the same date locks what was reconciled since.
 *
 * @example await closePeriod(store, { accountId: "acc_1", through: "2026-05-31", actor: "ana" });
 */
export async function closePeriod(store: Store, input: CloseInput): Promise<CloseOutcome> {
  checkActor(input.actor);
  checkDate("through", input.through);
  if (input.from !== undefined) checkDate("from", input.from);
  return store.db.transaction().execute(async (trx) => {
    if ((await accountFacts(trx, store.tenantId, input.accountId)) === null)
      throw new InputError(`no account "${input.accountId}" in this store`);
    const from = input.from ?? (await dayAfterLastClose(trx, store.tenantId, input.accountId, input.through));
    if (from !== null && from > input.through)
      throw new InputError(`from ${from} is after through ${input.through}: nothing to close`);
    const rows = await periodRows(trx, store.tenantId, input.accountId, from, input.through);
    const scope = `account ${input.accountId} cannot close ${from === null ? "" : `from ${from} `}through ${input.through}`;
    if (rows.pendingCount > 0)
      throw new InputError(
        `${scope}: ${counted(rows.pendingCount, "bank row is", "bank rows are")} pending (${examples(rows.pendingExamples, rows.pendingCount)}); a pending row may still change or vanish: close once it posts`,
      );
    if (rows.unreconciledCount > 0 && input.allowUnreconciled !== true)
      throw new InputError(
        `${scope}: ${counted(rows.unreconciledCount, "bank row is", "bank rows are")} not reconciled (${examples(rows.unreconciledExamples, rows.unreconciledCount)}); match ${rows.unreconciledCount === 1 ? "it" : "them"} (bankrec review, bankrec match), or close with --allow-unreconciled to lock only the reconciled rows`,
      );
    const toLock = await rowsToLock(trx, store.tenantId, rows.reconciled);
    const at = store.now();
    const lockedBank = toLock.filter((r) => r.side === "bank").length;
    const lockedExpected = toLock.length - lockedBank;
    const lockId = await insertPeriodLock(
      trx,
      store.tenantId,
      {
        accountId: input.accountId,
        periodFrom: from,
        throughDate: input.through,
        closedAt: at,
        closedBy: input.actor,
        allowUnreconciled: input.allowUnreconciled === true,
        lockedBankCount: lockedBank,
        lockedExpectedCount: lockedExpected,
      },
      toLock,
    );
    await insertDecisions(trx, store.tenantId, [
      {
        kind: "close",
        accountId: input.accountId,
        actor: input.actor,
        at,
        detail: {
          lockId,
          from,
          through: input.through,
          lockedBank,
          lockedExpected,
          leftOpen: rows.unreconciledCount,
          allowUnreconciled: input.allowUnreconciled === true,
        },
      },
    ]);
    return {
      lockId,
      accountId: input.accountId,
      from,
      through: input.through,
      lockedBank,
      lockedExpected,
      leftOpen: rows.unreconciledCount,
    };
  });
}

async function dayAfterLastClose(
  db: Parameters<typeof loadLocks>[0],
  tenantId: string,
  accountId: string,
  through: string,
): Promise<string | null> {
  const last = (await loadLocks(db, tenantId, accountId)).find((lock) => lock.status === "closed");
  if (last === undefined) return null;
  // Closing through the same date again locks what was reconciled since: the same period.
  if (last.throughDate >= through) return last.periodFrom;
  return dayToIso(isoToDay(last.throughDate) + 1);
}

/** The reconciled bank rows and, for each of their matches, its ledger entries not locked yet. */
async function rowsToLock(
  db: Parameters<typeof loadLocks>[0],
  tenantId: string,
  reconciled: readonly { readonly id: string; readonly date: string; readonly matchId: string }[],
): Promise<RowToLock[]> {
  const rows: RowToLock[] = reconciled.map((r) => ({ side: "bank", rowId: r.id, rowDate: r.date }));
  // A ledger entry is locked by the latest of its match's locked bank rows: reopening from a
  // date unlocks the entries whose bank rows it unlocks.
  const lateOfMatch = new Map<string, string>();
  for (const r of reconciled) {
    const seen = lateOfMatch.get(r.matchId);
    if (seen === undefined || r.date > seen) lateOfMatch.set(r.matchId, r.date);
  }
  const members: { match_id: string; member_id: string }[] = [];
  const matchIds = [...lateOfMatch.keys()];
  for (let i = 0; i < matchIds.length; i += 500) {
    members.push(
      ...(await db
        .selectFrom("match_members")
        .select(["match_id", "member_id"])
        .where("side", "=", "expected")
        .where("match_id", "in", matchIds.slice(i, i + 500))
        .execute()),
    );
  }
  const already = await lockedIds(
    db,
    tenantId,
    "expected",
    members.map((m) => m.member_id),
  );
  for (const m of members)
    if (!already.has(m.member_id))
      rows.push({ side: "expected", rowId: m.member_id, rowDate: lateOfMatch.get(m.match_id) as string });
  return rows;
}

export interface ReopenInput {
  readonly accountId: string;
  /** First bank date to unlock, YYYY-MM-DD: every locked row of the account from it on. */
  readonly from: string;
  /** Why: required, kept with the decision. */
  readonly reason: string;
  readonly actor: string;
}

export interface ReopenOutcome {
  readonly accountId: string;
  readonly from: string;
  readonly unlockedBank: number;
  readonly unlockedExpected: number;
  /** The locks it cut back or reopened whole. */
  readonly lockIds: readonly string[];
  /** Held provider changes whose rows are now unlocked: `applyLockedChanges` applies them. */
  readonly applicableChanges: number;
}

/**
 * Reopens an account from a date: its locked rows dated then or later (and the ledger entries
 * they locked) are unlocked and its locks end the day before. Held provider changes to those
 * rows are not applied here: `applyLockedChanges` (`bankrec review --apply-locked`) does that,
 * after a person has seen them.
 *
 * @example await reopenPeriod(store, { accountId: "acc_1", from: "2026-05-01", reason: "bank corrected a wire", actor: "ana" });
 */
export async function reopenPeriod(store: Store, input: ReopenInput): Promise<ReopenOutcome> {
  checkActor(input.actor);
  checkDate("from", input.from);
  const reason = input.reason.trim();
  if (reason === "") throw new InputError("reopening a period needs a reason");
  if (reason.length > 2_000) throw new InputError("a reason is at most 2,000 characters");
  return store.db.transaction().execute(async (trx) => {
    if ((await accountFacts(trx, store.tenantId, input.accountId)) === null)
      throw new InputError(`no account "${input.accountId}" in this store`);
    const unlocked = await unlockFrom(
      trx,
      store.tenantId,
      input.accountId,
      input.from,
      dayToIso(isoToDay(input.from) - 1),
    );
    if (unlocked.lockIds.length === 0)
      throw new InputError(`account ${input.accountId} has no closed period on or after ${input.from}`);
    const at = store.now();
    await insertDecisions(trx, store.tenantId, [
      {
        kind: "reopen",
        accountId: input.accountId,
        actor: input.actor,
        at,
        reason,
        detail: { from: input.from, ...unlocked },
      },
    ]);
    const held = await loadLockedChanges(trx, store.tenantId, { status: "held", limit: CHANGES_MAX });
    return {
      accountId: input.accountId,
      from: input.from,
      unlockedBank: unlocked.bank,
      unlockedExpected: unlocked.expected,
      lockIds: unlocked.lockIds,
      applicableChanges: held.filter((c) => !c.stillLocked).length,
    };
  });
}

/** Changes listed or applied at once at most. */
const CHANGES_MAX = 10_000;

/**
 * The closes (every account's, or one's), newest first, each with how many provider changes
 * to its rows are held.
 *
 * @example for (const lock of await listLocks(store)) console.log(lock.accountId, lock.throughDate, lock.heldChangeCount);
 */
export async function listLocks(
  store: Store,
  filter: { readonly accountId?: string } = {},
): Promise<PeriodLock[]> {
  return loadLocks(store.db, store.tenantId, filter.accountId ?? null);
}

/**
 * Provider changes to locked rows, oldest first: held ones by default, `all` with the applied.
 * Each says which reconciled fields differ, the row before and after, and whether its row is
 * still locked.
 *
 * @example for (const c of await listLockedChanges(store)) console.log(c.transactionId, c.fields);
 */
export async function listLockedChanges(
  store: Store,
  filter: { readonly status?: "held" | "applied" | "all"; readonly limit?: number } = {},
): Promise<LockedChange[]> {
  const status = filter.status ?? "held";
  return loadLockedChanges(store.db, store.tenantId, {
    ...(status === "all" ? {} : { status }),
    limit: filter.limit ?? CHANGES_MAX,
  });
}

export interface ApplyOutcome {
  readonly applied: number;
  /** Held changes whose rows are still locked: reopen their period first. */
  readonly stillLocked: number;
  /** Accepted matches sent back to review or undone by the applied changes. */
  readonly matchesReopened: number;
}

/**
 * Applies the held provider changes whose rows are no longer locked (after `reopenPeriod`), in
 * the order they arrived, as sync would have: the row takes the bank's values, a removal
 * marks it removed, and an accepted match whose amount changed goes back to the review queue
 * (or is undone when its row was removed), recorded with `actor`.
 *
 * @example await applyLockedChanges(store, { actor: "ana" });
 */
export async function applyLockedChanges(
  store: Store,
  options: { readonly actor: string },
): Promise<ApplyOutcome> {
  checkActor(options.actor);
  return store.db.transaction().execute(async (trx) => {
    const held = await loadLockedChanges(trx, store.tenantId, { status: "held", limit: CHANGES_MAX });
    const ready = held.filter((c) => !c.stillLocked);
    if (ready.length === 0) return { applied: 0, stillLocked: held.length, matchesReopened: 0 };
    const at = store.now();
    // Later changes to a row win, as in a sync run.
    const latest = new Map(ready.map((c) => [c.transactionId, c]));
    const rows = [...latest.values()].flatMap((c) => (c.row === null ? [] : [c.row]));
    const removals = [...latest.values()].filter((c) => c.row === null).map((c) => c.transactionId);
    const ids = [...latest.keys()];
    const before = await reconciledBefore(trx, store.tenantId, ids);
    await upsertTransactionRows(trx, await withCategories(trx, store.tenantId, rows));
    await markTransactionsRemoved(trx, store.tenantId, removals, at);
    const reopened = await settleReconciledChanges(
      trx,
      store.tenantId,
      before,
      rows,
      removals,
      [],
      at,
      options.actor,
    );
    await refreshCategories(trx, store.tenantId, ids, { alsoDates: rows.map((row) => row.date) });
    await markChangesApplied(
      trx,
      store.tenantId,
      ready.map((c) => c.id),
      at,
      options.actor,
    );
    await insertDecisions(trx, store.tenantId, [
      {
        kind: "apply_locked",
        actor: options.actor,
        at,
        detail: { changes: ready.map((c) => c.id), transactions: ids },
      },
    ]);
    return { applied: ready.length, stillLocked: held.length - ready.length, matchesReopened: reopened };
  });
}

function checkDate(name: string, value: string): void {
  if (!isIsoDate(value)) throw new InputError(`${name} must be a date as YYYY-MM-DD, got "${value}"`);
}

function counted(n: number, one: string, many: string): string {
  return `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;
}

function examples(rows: readonly { readonly id: string; readonly date: string }[], total: number): string {
  const listed = rows.map((r) => `${r.id} on ${r.date}`).join(", ");
  return total > rows.length ? `${listed}, …` : listed;
}
