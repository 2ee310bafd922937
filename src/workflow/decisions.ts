import type { ExpectedEntry } from "../domain/index.js";
import { InputError } from "../errors/index.js";
import type { MatchReason } from "../reconcile/index.js";
import type { Store } from "../store/index.js";
import { loadExpectedEntries, lockedIds } from "../store/ledger.js";
import { loadLocks, type PeriodLock } from "../store/workflow-locks.js";
import {
  acceptedMatchOf,
  type Executor,
  insertAdjustment,
  insertDecisions,
  leaveAccepted,
  loadMatches,
  loadOpenProposals,
  type MatchStatus,
  openProposalsHolding,
  setMatchStatus,
  teachAliases,
  type WorkflowMatch,
} from "../store/workflow-matches.js";
import { loadBankRows, type WorkflowBankRow } from "../store/workflow-rows.js";
import { aliasPairingsOf } from "./aliases.js";
import { type AdjustmentReason, adjustmentReasonOf } from "./auto-accept.js";

/**
 * Decisions on proposals: accept, reject, accept everything above a confidence, undo an
 * accepted match. Each is recorded with who and when, in one database transaction, and a
 * decision that cannot be taken as asked changes nothing: the InputError says why in one line.
 */

/** The actor of acceptances by the auto-accept threshold. */
export const AUTO_ACTOR = "auto";

/** Who decides; the library never guesses a person (the CLI passes the OS user by default). */
export interface DecisionOptions {
  readonly actor: string;
  /** Why, in the person's words; kept with the decision. */
  readonly reason?: string;
}

export interface AcceptOptions extends DecisionOptions {
  /**
   * What a match's amount difference is, when it has one: it is kept as the match's adjustment
   * (bank total = ledger total + adjustment). Default: `fee` when the engine's reasons speak of
   * a fee, else `other`.
   */
  readonly adjustmentReason?: AdjustmentReason;
}

/** What a batch of decisions did. */
export interface DecisionOutcome {
  /** Matches whose status changed. */
  readonly decided: readonly string[];
  /** Matches already as asked (accepting an accepted match). */
  readonly unchanged: readonly string[];
  /** With `acceptAbove`: proposals left in the queue, and why. */
  readonly skipped: readonly { readonly matchId: string; readonly problem: string }[];
}

/** A match being accepted, with its rows as they are now. */
export interface Acceptance {
  readonly match: { readonly id: string; readonly reasons: readonly MatchReason[] };
  readonly bank: readonly WorkflowBankRow[];
  readonly expected: readonly ExpectedEntry[];
}

/**
 * Writes what an acceptance brings besides the status: the adjustment of any amount
 * difference, the decision, what it teaches, and the end of open proposals holding its rows
 * (returns how many it replaced).
 */
export async function recordAcceptances(
  db: Executor,
  tenantId: string,
  acceptances: readonly Acceptance[],
  options: {
    readonly actor: string;
    readonly at: string;
    readonly reason: string | null;
    readonly runId?: string;
    readonly adjustmentReason?: AdjustmentReason;
    readonly memo?: string | null;
    /** `accept` (default) or `manual_match`. */
    readonly kind?: string;
  },
): Promise<{ readonly superseded: number }> {
  if (acceptances.length === 0) return { superseded: 0 };
  const details: { matchId: string; adjustmentMinor: number }[] = [];
  for (const { match, bank, expected } of acceptances) {
    const difference =
      bank.reduce((s, b) => s + b.amountMinor, 0) - expected.reduce((s, e) => s + e.amountMinor, 0);
    if (difference !== 0)
      await insertAdjustment(db, tenantId, match.id, {
        amountMinor: difference,
        currency: bank[0]?.currency ?? expected[0]?.currency ?? "",
        reason: options.adjustmentReason ?? adjustmentReasonOf(match.reasons),
        memo: options.memo ?? null,
        createdAt: options.at,
        createdBy: options.actor,
      });
    details.push({ matchId: match.id, adjustmentMinor: difference });
  }
  await insertDecisions(
    db,
    tenantId,
    details.map((d) => ({
      kind: options.kind ?? "accept",
      matchId: d.matchId,
      runId: options.runId ?? null,
      actor: options.actor,
      at: options.at,
      reason: options.reason,
      detail: d.adjustmentMinor === 0 ? {} : { adjustmentMinor: d.adjustmentMinor },
    })),
  );
  await teachAliases(
    db,
    tenantId,
    acceptances.flatMap((a) => aliasPairingsOf(a.bank, a.expected)),
    1,
    options.at,
  );
  const ids = new Set(acceptances.map((a) => a.match.id));
  const rivals = [
    ...(await openProposalsHolding(
      db,
      tenantId,
      "bank",
      acceptances.flatMap((a) => a.bank.map((b) => b.id)),
    )),
    ...(await openProposalsHolding(
      db,
      tenantId,
      "expected",
      acceptances.flatMap((a) => a.expected.map((e) => e.id)),
    )),
  ].filter((id) => !ids.has(id));
  const superseded = [...new Set(rivals)];
  await setMatchStatus(db, tenantId, superseded, "superseded", options.at, null);
  return { superseded: superseded.length };
}

/**
 * Accepts proposals. A match already accepted is left as it is; any other that cannot be
 * accepted (unknown, rejected, replaced by a later run, a row removed by the bank, locked by a
 * closed period, or already in another accepted match) refuses the whole decision.
 *
 * @example await acceptMatches(store, ["m_3f9a0c2e7b1d4a58"], { actor: "ana" });
 */
export async function acceptMatches(
  store: Store,
  ids: readonly string[],
  options: AcceptOptions,
): Promise<DecisionOutcome> {
  checkActor(options.actor);
  return store.db.transaction().execute(async (trx) => {
    const matches = await knownMatches(trx, store.tenantId, ids);
    const unchanged = matches.filter((m) => m.status === "accepted");
    const todo = matches.filter((m) => m.status !== "accepted");
    const { ready, problems } = await acceptable(trx, store.tenantId, todo);
    const first = problems[0];
    if (first !== undefined) throw new InputError(first.problem);
    await acceptReady(trx, store, ready, options);
    return { decided: ready.map((a) => a.match.id), unchanged: unchanged.map((m) => m.id), skipped: [] };
  });
}

/**
 * Accepts every proposal in the review queue at least `confidenceMin` sure (at most
 * `limit`, default 100,000). Proposals that cannot be accepted are left in the queue and
 * listed with why.
 *
 * @example const { decided } = await acceptAbove(store, 0.95, { actor: "ana" });
 */
export async function acceptAbove(
  store: Store,
  confidenceMin: number,
  options: AcceptOptions & { readonly limit?: number },
): Promise<DecisionOutcome> {
  checkActor(options.actor);
  if (!(confidenceMin >= 0 && confidenceMin <= 1))
    throw new InputError(`the confidence must be from 0 to 1, got ${confidenceMin}`);
  return store.db.transaction().execute(async (trx) => {
    const queue = await loadOpenProposals(trx, store.tenantId, {
      confidenceMin,
      limit: options.limit ?? BULK_MAX,
    });
    const { ready, problems } = await acceptable(trx, store.tenantId, queue);
    await acceptReady(trx, store, ready, {
      ...options,
      reason: options.reason ?? `bulk: confidence at least ${confidenceMin}`,
    });
    return { decided: ready.map((a) => a.match.id), unchanged: [], skipped: problems };
  });
}

/** Proposals one bulk decision takes at most. */
const BULK_MAX = 100_000;

async function acceptReady(
  trx: Executor,
  store: Store,
  ready: readonly Acceptance[],
  options: AcceptOptions,
): Promise<void> {
  const at = store.now();
  await setMatchStatus(
    trx,
    store.tenantId,
    ready.map((a) => a.match.id),
    "accepted",
    at,
    options.actor,
  );
  await recordAcceptances(trx, store.tenantId, ready, {
    actor: options.actor,
    at,
    reason: options.reason ?? null,
    ...(options.adjustmentReason !== undefined && { adjustmentReason: options.adjustmentReason }),
  });
}

/**
 * Rejects proposals: that exact pairing of bank rows and ledger entries is never proposed
 * again (runs leave it out, see `proposeAvoiding`); the rows stay open. An accepted match must
 * be undone first (`unmatchMatches`).
 *
 * @example await rejectMatches(store, ["m_3f9a0c2e7b1d4a58"], { actor: "ana", reason: "paid by the other Acme" });
 */
export async function rejectMatches(
  store: Store,
  ids: readonly string[],
  options: DecisionOptions,
): Promise<DecisionOutcome> {
  checkActor(options.actor);
  return store.db.transaction().execute(async (trx) => {
    const matches = await knownMatches(trx, store.tenantId, ids);
    const unchanged = matches.filter((m) => m.status === "rejected");
    const todo = matches.filter((m) => m.status !== "rejected");
    for (const m of todo)
      if (m.status === "accepted")
        throw new InputError(`match ${m.id} is accepted: undo it first (bankrec review --unmatch ${m.id})`);
    await refuseLocked(trx, store.tenantId, todo);
    const at = store.now();
    await setMatchStatus(
      trx,
      store.tenantId,
      todo.map((m) => m.id),
      "rejected",
      at,
      options.actor,
    );
    await insertDecisions(
      trx,
      store.tenantId,
      todo.map((m) => ({
        kind: "reject",
        matchId: m.id,
        actor: options.actor,
        at,
        reason: options.reason ?? null,
        detail: { bankTransactionIds: m.bankTransactionIds, expectedIds: m.expectedIds },
      })),
    );
    return { decided: todo.map((m) => m.id), unchanged: unchanged.map((m) => m.id), skipped: [] };
  });
}

/**
 * Undoes accepted matches: their rows are open again (the next run works on them), their
 * adjustments are dropped and what they taught is taken back. Refused for a match in a closed
 * period (reopen it first).
 *
 * @example await unmatchMatches(store, ["m_3f9a0c2e7b1d4a58"], { actor: "ana", reason: "wrong invoice" });
 */
export async function unmatchMatches(
  store: Store,
  ids: readonly string[],
  options: DecisionOptions,
): Promise<DecisionOutcome> {
  checkActor(options.actor);
  return store.db.transaction().execute(async (trx) => {
    const matches = await knownMatches(trx, store.tenantId, ids);
    const unchanged = matches.filter((m) => m.status === "unmatched");
    const todo = matches.filter((m) => m.status !== "unmatched");
    for (const m of todo)
      if (m.status !== "accepted")
        throw new InputError(
          `match ${m.id} is not accepted (it is ${statusWords(m.status)}): nothing to undo`,
        );
    await refuseLocked(trx, store.tenantId, todo);
    await leaveAccepted(
      trx,
      store.tenantId,
      todo.map((m) => ({ matchId: m.id, reason: options.reason ?? null })),
      "unmatched",
      options.actor,
      store.now(),
    );
    return { decided: todo.map((m) => m.id), unchanged: unchanged.map((m) => m.id), skipped: [] };
  });
}

/** The matches named, in the order given; an unknown id refuses the decision. */
async function knownMatches(
  db: Executor,
  tenantId: string,
  ids: readonly string[],
): Promise<WorkflowMatch[]> {
  const wanted = [...new Set(ids.map((id) => id.trim()).filter((id) => id !== ""))];
  if (wanted.length === 0) throw new InputError("name at least one match");
  const found = new Map((await loadMatches(db, tenantId, wanted)).map((m) => [m.id, m]));
  const missing = wanted.filter((id) => !found.has(id));
  if (missing.length > 0)
    throw new InputError(
      `no match ${missing.slice(0, 5).join(", ")}${missing.length > 5 ? ", …" : ""} in this store (bankrec review lists the queue)`,
    );
  return wanted.map((id) => found.get(id) as WorkflowMatch);
}

/** The matches that can be accepted as they are now, and why the others cannot. */
async function acceptable(
  db: Executor,
  tenantId: string,
  matches: readonly WorkflowMatch[],
): Promise<{ ready: Acceptance[]; problems: { matchId: string; problem: string }[] }> {
  const bankIds = matches.flatMap((m) => m.bankTransactionIds);
  const expectedIds = matches.flatMap((m) => m.expectedIds);
  const bank = await loadBankRows(db, tenantId, bankIds);
  const expected = await loadExpectedEntries(db, tenantId, expectedIds);
  const locked = await lockInfo(db, tenantId, bankIds, expectedIds);
  const takenBank = await acceptedMatchOf(db, tenantId, "bank", bankIds);
  const takenExpected = await acceptedMatchOf(db, tenantId, "expected", expectedIds);
  const claimed = new Map<string, string>();
  const ready: Acceptance[] = [];
  const problems: { matchId: string; problem: string }[] = [];
  for (const m of matches) {
    const problem =
      statusProblem(m) ??
      rowProblem(m, bank, expected, locked) ??
      takenProblem(m, takenBank, takenExpected, claimed) ??
      currencyProblem(m, bank, expected);
    if (problem !== null) {
      problems.push({ matchId: m.id, problem });
      continue;
    }
    for (const id of m.bankTransactionIds) claimed.set(`b:${id}`, m.id);
    for (const id of m.expectedIds) claimed.set(`e:${id}`, m.id);
    ready.push({
      match: m,
      bank: m.bankTransactionIds.map((id) => bank.get(id) as WorkflowBankRow),
      expected: m.expectedIds.map((id) => expected.get(id) as ExpectedEntry),
    });
  }
  return { ready, problems };
}

function statusProblem(m: WorkflowMatch): string | null {
  if (m.status === "proposed" || m.status === "needs_review" || m.status === "unmatched") return null;
  if (m.status === "rejected")
    return `match ${m.id} was rejected by ${m.decidedBy ?? "someone"} on ${m.decidedAt?.slice(0, 10) ?? "an earlier day"}: match the rows by hand if they belong together (bankrec match)`;
  return `match ${m.id} was replaced by a later run's proposals (bankrec review lists the current ones)`;
}

function rowProblem(
  m: WorkflowMatch,
  bank: ReadonlyMap<string, WorkflowBankRow>,
  expected: ReadonlyMap<string, ExpectedEntry>,
  locked: LockInfo,
): string | null {
  for (const id of m.bankTransactionIds) {
    const row = bank.get(id);
    if (row === undefined) return `match ${m.id}: bank transaction ${id} is no longer in the store`;
    if (row.removedAt !== null) return `match ${m.id}: the bank removed transaction ${id}`;
    const lock = locked.bank.get(id);
    if (lock !== undefined) return `match ${m.id}: bank transaction ${id} is in a closed period (${lock})`;
  }
  for (const id of m.expectedIds) {
    if (!expected.has(id)) return `match ${m.id}: ledger entry ${id} is no longer in the store`;
    const lock = locked.expected.get(id);
    if (lock !== undefined) return `match ${m.id}: ledger entry ${id} is in a closed period (${lock})`;
  }
  return null;
}

function takenProblem(
  m: WorkflowMatch,
  takenBank: ReadonlyMap<string, string>,
  takenExpected: ReadonlyMap<string, string>,
  claimed: ReadonlyMap<string, string>,
): string | null {
  for (const id of m.bankTransactionIds) {
    const other = takenBank.get(id) ?? claimed.get(`b:${id}`);
    if (other !== undefined && other !== m.id)
      return `match ${m.id}: bank transaction ${id} is already in accepted match ${other}`;
  }
  for (const id of m.expectedIds) {
    const other = takenExpected.get(id) ?? claimed.get(`e:${id}`);
    if (other !== undefined && other !== m.id)
      return `match ${m.id}: ledger entry ${id} is already in accepted match ${other}`;
  }
  return null;
}

function currencyProblem(
  m: WorkflowMatch,
  bank: ReadonlyMap<string, WorkflowBankRow>,
  expected: ReadonlyMap<string, ExpectedEntry>,
): string | null {
  const currencies = new Set([
    ...m.bankTransactionIds.map((id) => bank.get(id)?.currency),
    ...m.expectedIds.map((id) => expected.get(id)?.currency),
  ]);
  return currencies.size > 1
    ? `match ${m.id}: its rows are in ${[...currencies].sort().join(" and ")}; a match holds one currency`
    : null;
}

/** Locked rows with a line describing their lock. */
export interface LockInfo {
  readonly bank: ReadonlyMap<string, string>;
  readonly expected: ReadonlyMap<string, string>;
}

/** Which of these rows are locked, each with the words of its lock. */
export async function lockInfo(
  db: Executor,
  tenantId: string,
  bankIds: readonly string[],
  expectedIds: readonly string[],
): Promise<LockInfo> {
  const bank = await lockedIds(db, tenantId, "bank", bankIds);
  const expected = await lockedIds(db, tenantId, "expected", expectedIds);
  if (bank.size === 0 && expected.size === 0) return { bank, expected };
  const locks = new Map((await loadLocks(db, tenantId, null)).map((lock) => [lock.id, lock]));
  const words = (lockId: string) => lockWords(locks.get(lockId));
  return {
    bank: new Map([...bank].map(([id, lockId]) => [id, words(lockId)])),
    expected: new Map([...expected].map(([id, lockId]) => [id, words(lockId)])),
  };
}

/** How a lock reads in a message, with the way out. */
export function lockWords(lock: PeriodLock | undefined): string {
  if (lock === undefined) return "locked";
  return `account ${lock.accountId} closed through ${lock.throughDate} by ${lock.closedBy}; bankrec reopen --account ${lock.accountId} --from DATE --reason TEXT to change it`;
}

async function refuseLocked(
  db: Executor,
  tenantId: string,
  matches: readonly WorkflowMatch[],
): Promise<void> {
  const locked = await lockInfo(
    db,
    tenantId,
    matches.flatMap((m) => m.bankTransactionIds),
    matches.flatMap((m) => m.expectedIds),
  );
  for (const m of matches) {
    for (const id of m.bankTransactionIds) {
      const lock = locked.bank.get(id);
      if (lock !== undefined)
        throw new InputError(`match ${m.id}: bank transaction ${id} is in a closed period (${lock})`);
    }
    for (const id of m.expectedIds) {
      const lock = locked.expected.get(id);
      if (lock !== undefined)
        throw new InputError(`match ${m.id}: ledger entry ${id} is in a closed period (${lock})`);
    }
  }
}

function statusWords(status: MatchStatus): string {
  return status === "needs_review" ? "waiting for review" : status;
}

export function checkActor(actor: string): void {
  if (actor.trim() === "") throw new InputError("a decision needs an actor: who takes it");
  if (actor.length > 200) throw new InputError("an actor's name is at most 200 characters");
}
