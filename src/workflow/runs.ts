import type { ExpectedEntry } from "../domain/index.js";
import { isIsoDate } from "../domain/iso-date.js";
import { InputError } from "../errors/index.js";
import { formatAmount } from "../money/index.js";
import { dayToIso, isoToDay } from "../reconcile/days.js";
import {
  type Match,
  RECONCILE_DEFAULTS,
  type ReconcileOptions,
  type ReconcileResult,
  reconcile,
} from "../reconcile/index.js";
import type { Store } from "../store/index.js";
import {
  acceptedMatchOf,
  type Executor,
  insertMatches,
  loadAliases,
  type NewWorkflowMatch,
  newId,
  rejectedPairings,
  supersedeWithin,
} from "../store/workflow-matches.js";
import {
  accountFacts,
  openBankRows,
  openExpectedEntries,
  RUN_ROWS_MAX,
  type WorkflowBankRow,
} from "../store/workflow-rows.js";
import { learnedAliasesOf } from "./aliases.js";
import { AUTO_ACCEPT_CONFIDENCE_DEFAULT, autoAccepts } from "./auto-accept.js";
import { AUTO_ACTOR, recordAcceptances } from "./decisions.js";
import { type Engine, pairingKey, proposeAvoiding, resultOf } from "./proposals.js";

/** What a run covers: one account or all, and the bank dates. */
export interface RunScope {
  /** Default: every account. */
  readonly accountId?: string;
  /** Inclusive bank dates, YYYY-MM-DD. */
  readonly from: string;
  readonly to: string;
}

/** A bank statement's closing balance, kept with the run (explained by the balance explainer). */
export interface RunStatement {
  readonly date: string;
  readonly balanceMinor: number;
  readonly currency: string;
}

export interface RunOptions {
  /** Who started the run (recorded with it); the library never guesses a person. */
  readonly actor: string;
  /** Proposals at least this sure (and not flagged) are accepted; default 0.95. */
  readonly autoAcceptConfidence?: number;
  readonly statement?: RunStatement;
  /** The engine's settings; `learnedAliases` is filled from the store. */
  readonly reconcile?: ReconcileOptions;
  /** The engine; default the pure `reconcile` (pass the package's to use `threads`). */
  readonly engine?: Engine;
}

/** What a run did. */
export interface RunCounts {
  /** Open rows the run read. */
  readonly bankRows: number;
  readonly ledgerEntries: number;
  readonly proposed: number;
  readonly autoAccepted: number;
  /** Proposals in the review queue. */
  readonly waiting: number;
  /** Open proposals of earlier runs replaced by this run's. */
  readonly superseded: number;
  /** Proposals left out because people had rejected that exact pairing. */
  readonly droppedRejected: number;
  /** Aliases handed to the engine. */
  readonly learnedAliases: number;
  /** Proposals left out because a decision took their rows while the engine ran. */
  readonly takenMeanwhile: number;
}

export interface RunOutcome {
  readonly runId: string;
  /** The proposals as a result (auto-accepted ones as matched, the rest needing review). */
  readonly result: ReconcileResult;
  /** The stored match id of each of `result.matches`, by index. */
  readonly matchIds: readonly string[];
  readonly bank: readonly WorkflowBankRow[];
  readonly expected: readonly ExpectedEntry[];
  readonly counts: RunCounts;
  /** The ledger dates the run read (the bank dates widened by the engine's windows). */
  readonly ledgerFrom: string;
  readonly ledgerTo: string;
}

/**
 * Reconciles the stored books of a scope: reads the bank rows and ledger entries no accepted
 * match holds, runs the engine (with what accepted matches taught, without pairings people
 * rejected), records the run, replaces the open proposals of earlier runs over the same rows,
 * accepts the proposals at least `autoAcceptConfidence` sure (actor `auto`) and leaves the
 * rest in the review queue. Decisions already taken are never undone. Pending rows are read
 * and may be proposed, never accepted automatically.
 *
 * Ledger entries are read from `dateWindowAfterDays` before `from` to `dateWindowBeforeDays`
 * after `to`: the entries a bank row of the period could match.
 *
 * @example
 * const run = await runReconciliation(store, { from: "2026-05-01", to: "2026-05-31" }, { actor: "ana", engine: reconcile });
 * console.log(run.counts.autoAccepted, run.counts.waiting);
 */
export async function runReconciliation(
  store: Store,
  scope: RunScope,
  options: RunOptions,
): Promise<RunOutcome> {
  const checked = await checkRun(store, scope, options);
  const engineOptions = options.reconcile ?? {};
  const ledgerFrom = dayToIso(
    isoToDay(scope.from) - (engineOptions.dateWindowAfterDays ?? RECONCILE_DEFAULTS.dateWindowAfterDays),
  );
  const ledgerTo = dayToIso(
    isoToDay(scope.to) + (engineOptions.dateWindowBeforeDays ?? RECONCILE_DEFAULTS.dateWindowBeforeDays),
  );
  const accountId = scope.accountId ?? null;
  const bank = await openBankRows(
    store.db,
    store.tenantId,
    { accountId, from: scope.from, to: scope.to },
    RUN_ROWS_MAX + 1,
  );
  const expected = await openExpectedEntries(
    store.db,
    store.tenantId,
    { accountId, from: ledgerFrom, to: ledgerTo },
    RUN_ROWS_MAX + 1,
  );
  if (bank.length > RUN_ROWS_MAX || expected.length > RUN_ROWS_MAX)
    throw new InputError(
      `the run would read more than ${RUN_ROWS_MAX.toLocaleString("en-US")} open rows on a side: narrow the period or name an account`,
    );
  const rejected = new Set(
    (await rejectedPairings(store.db, store.tenantId)).map((p) =>
      pairingKey(p.bankTransactionIds, p.expectedIds),
    ),
  );
  const aliases = learnedAliasesOf(await loadAliases(store.db, store.tenantId, ALIASES_MAX));
  const proposals = proposeAvoiding(bank, expected, rejected, options.engine ?? reconcile, {
    ...engineOptions,
    ...(aliases.length > 0 && { learnedAliases: aliases }),
  });
  const runId = newId("run_");
  const threshold = checked.autoAcceptConfidence;
  const at = store.now();
  const bankById = new Map(bank.map((row) => [row.id, row]));
  const expectedById = new Map(expected.map((row) => [row.id, row]));
  const stored = await store.db.transaction().execute(async (trx) => {
    const superseded = await supersedeWithin(
      trx,
      store.tenantId,
      { accountId, bankFrom: scope.from, bankTo: scope.to, ledgerFrom, ledgerTo },
      at,
    );
    const free = await stillOpen(trx, store.tenantId, proposals.result.matches);
    const matches = proposals.result.matches.filter((_, i) => free[i]);
    const rows = matches.map((match): NewWorkflowMatch => {
      const auto = autoAccepts(match, threshold);
      return {
        id: newId("m_"),
        kind: match.kind,
        confidence: match.confidence,
        status: auto ? "accepted" : match.needsReview ? "needs_review" : "proposed",
        amountDifferenceMinor: match.amountDifferenceMinor,
        currency: match.currency,
        pending: match.pending,
        reasons: match.reasons,
        decidedAt: auto ? at : null,
        decidedBy: auto ? AUTO_ACTOR : null,
        memo: null,
        bankTransactionIds: match.bankTransactionIds,
        expectedIds: match.expectedIds,
      };
    });
    const accepted = rows.filter((row) => row.status === "accepted");
    const counts: RunCounts = {
      bankRows: bank.length,
      ledgerEntries: expected.length,
      proposed: rows.length,
      autoAccepted: accepted.length,
      waiting: rows.length - accepted.length,
      superseded,
      droppedRejected: proposals.droppedRejected,
      learnedAliases: aliases.length,
      takenMeanwhile: proposals.result.matches.length - matches.length,
    };
    await trx
      .insertInto("reconciliation_runs")
      .values({
        id: runId,
        tenant_id: store.tenantId,
        created_at: at,
        status: proposals.result.status,
        origin: "workflow",
        options_json: JSON.stringify(recordedOptions(engineOptions, threshold)),
        summary_json: JSON.stringify(proposals.result.summary),
        counts_json: JSON.stringify(counts),
        account_id: accountId,
        period_from: scope.from,
        period_to: scope.to,
        statement_date: options.statement?.date ?? null,
        statement_balance_minor: options.statement?.balanceMinor ?? null,
        statement_currency: options.statement?.currency ?? null,
        auto_accept_confidence: threshold,
        actor: options.actor,
      })
      .execute();
    await insertMatches(trx, store.tenantId, runId, rows);
    await recordAcceptances(
      trx,
      store.tenantId,
      accepted.map((row) => ({
        match: row,
        bank: row.bankTransactionIds.map((id) => bankById.get(id) as WorkflowBankRow),
        expected: row.expectedIds.map((id) => expectedById.get(id) as ExpectedEntry),
      })),
      { actor: AUTO_ACTOR, at, reason: `confidence at least ${threshold}`, runId },
    );
    return { matches, rows, counts };
  });
  const decided = stored.matches.map((match, i): Match => {
    const auto = stored.rows[i]?.status === "accepted";
    return auto || match.needsReview ? match : { ...match, needsReview: true };
  });
  return {
    runId,
    result: resultOf(decided, bank, expected, proposals.result),
    matchIds: matchIdsInResultOrder(decided, stored.rows),
    bank,
    expected,
    counts: stored.counts,
    ledgerFrom,
    ledgerTo,
  };
}

/** Aliases handed to one run at most: the most accepted first. */
const ALIASES_MAX = 100_000;

/** `resultOf` sorts the matches; the ids follow them by their members. */
function matchIdsInResultOrder(matches: readonly Match[], rows: readonly NewWorkflowMatch[]): string[] {
  const byKey = new Map(rows.map((row) => [pairingKey(row.bankTransactionIds, row.expectedIds), row.id]));
  return matches.map((m) => byKey.get(pairingKey(m.bankTransactionIds, m.expectedIds)) ?? "");
}

/** The options a run records: numbers and flags only (no executor, no callback). */
function recordedOptions(options: ReconcileOptions, threshold: number): Record<string, unknown> {
  const out: Record<string, unknown> = { autoAcceptConfidence: threshold };
  for (const [key, value] of Object.entries(options))
    if (typeof value === "number" || typeof value === "boolean") out[key] = value;
  return out;
}

/**
 * Whether each proposal's rows are still open: a decision taken while the engine ran (another
 * process accepting or matching by hand) wins over a proposal made without it.
 */
async function stillOpen(db: Executor, tenantId: string, matches: readonly Match[]): Promise<boolean[]> {
  const takenBank = await acceptedMatchOf(
    db,
    tenantId,
    "bank",
    matches.flatMap((m) => m.bankTransactionIds),
  );
  const takenExpected = await acceptedMatchOf(
    db,
    tenantId,
    "expected",
    matches.flatMap((m) => m.expectedIds),
  );
  return matches.map(
    (m) =>
      !m.bankTransactionIds.some((id) => takenBank.has(id)) &&
      !m.expectedIds.some((id) => takenExpected.has(id)),
  );
}

async function checkRun(
  store: Store,
  scope: RunScope,
  options: RunOptions,
): Promise<{ readonly autoAcceptConfidence: number }> {
  for (const [name, value] of [
    ["from", scope.from],
    ["to", scope.to],
  ] as const)
    if (!isIsoDate(value)) throw new InputError(`${name} must be a date as YYYY-MM-DD, got "${value}"`);
  if (scope.from > scope.to) throw new InputError(`from ${scope.from} is after to ${scope.to}`);
  const threshold = options.autoAcceptConfidence ?? AUTO_ACCEPT_CONFIDENCE_DEFAULT;
  if (!(threshold >= 0 && threshold <= 1))
    throw new InputError(`the auto-accept confidence must be from 0 to 1, got ${threshold}`);
  if (options.actor.trim() === "") throw new InputError("a run needs an actor: who started it");
  const accountId = scope.accountId;
  const facts = accountId === undefined ? null : await accountFacts(store.db, store.tenantId, accountId);
  if (accountId !== undefined && facts === null)
    throw new InputError(`no account "${accountId}" in this store`);
  const statement = options.statement;
  if (statement !== undefined) {
    if (accountId === undefined || facts === null)
      throw new InputError("a statement balance belongs to one account: name the account");
    if (!isIsoDate(statement.date))
      throw new InputError(`the statement date must be a date as YYYY-MM-DD, got "${statement.date}"`);
    if (facts.currencies.length > 0 && !facts.currencies.includes(statement.currency))
      throw new InputError(
        `the statement balance ${formatAmount(statement.balanceMinor, statement.currency)} is in ${statement.currency}, but account ${accountId} is in ${facts.currencies.join(", ")}`,
      );
  }
  return { autoAcceptConfidence: threshold };
}
