import type { ExpectedEntry } from "../domain/index.js";
import { InputError } from "../errors/index.js";
import type { Store } from "../store/index.js";
import { loadExpectedEntries } from "../store/ledger.js";
import {
  type Executor,
  loadAliases,
  loadMatches,
  loadOpenProposals,
  type StoredAlias,
  type WorkflowMatch,
} from "../store/workflow-matches.js";
import { loadBankRows, type WorkflowBankRow } from "../store/workflow-rows.js";
import { learnedAliasesOf } from "./aliases.js";

/** A match with its rows as they are now, for a person (or a script) to decide on. */
export interface MatchDetail {
  readonly match: WorkflowMatch;
  /** The rows still in the store (a removed bank row shows with `removedAt`). */
  readonly bank: readonly WorkflowBankRow[];
  readonly expected: readonly ExpectedEntry[];
  readonly bankTotalMinor: number;
  readonly ledgerTotalMinor: number;
  /** Bank total minus ledger total now, less any adjustment: what an acceptance must book. */
  readonly differenceMinor: number;
}

export interface QueueFilter {
  /** Only proposals with a bank row of this account. */
  readonly accountId?: string;
  readonly confidenceMin?: number;
  /** At most this many (default 1,000). */
  readonly limit?: number;
}

/** Proposals read at most to filter by account. */
const QUEUE_SCAN_MAX = 100_000;

/**
 * The review queue: open proposals, most confident first, with their rows.
 *
 * @example for (const item of await listReviewQueue(store, { limit: 20 })) console.log(item.match.id, item.match.confidence);
 */
export async function listReviewQueue(store: Store, filter: QueueFilter = {}): Promise<MatchDetail[]> {
  const limit = filter.limit ?? 1_000;
  const proposals = await loadOpenProposals(store.db, store.tenantId, {
    ...(filter.confidenceMin !== undefined && { confidenceMin: filter.confidenceMin }),
    limit: filter.accountId === undefined ? limit : QUEUE_SCAN_MAX,
  });
  const details = await detailsOf(store.db, store.tenantId, proposals);
  const accountId = filter.accountId;
  const kept =
    accountId === undefined ? details : details.filter((d) => d.bank.some((b) => b.accountId === accountId));
  return kept.slice(0, limit);
}

/**
 * One match, whatever its status, with its rows and adjustments.
 *
 * @example const detail = await getMatch(store, "m_3f9a0c2e7b1d4a58");
 */
export async function getMatch(store: Store, id: string): Promise<MatchDetail> {
  const [match] = await loadMatches(store.db, store.tenantId, [id]);
  if (match === undefined) throw new InputError(`no match ${id} in this store`);
  const [detail] = await detailsOf(store.db, store.tenantId, [match]);
  return detail as MatchDetail;
}

async function detailsOf(
  db: Executor,
  tenantId: string,
  matches: readonly WorkflowMatch[],
): Promise<MatchDetail[]> {
  const bank = await loadBankRows(
    db,
    tenantId,
    matches.flatMap((m) => m.bankTransactionIds),
  );
  const expected = await loadExpectedEntries(
    db,
    tenantId,
    matches.flatMap((m) => m.expectedIds),
  );
  return matches.map((match) => {
    const bankRows = match.bankTransactionIds.flatMap((id) => bank.get(id) ?? []);
    const entries = match.expectedIds.flatMap((id) => expected.get(id) ?? []);
    const bankTotalMinor = bankRows.reduce((s, b) => s + b.amountMinor, 0);
    const ledgerTotalMinor = entries.reduce((s, e) => s + e.amountMinor, 0);
    const adjusted = match.adjustments.reduce((s, a) => s + a.amountMinor, 0);
    return {
      match,
      bank: bankRows,
      expected: entries,
      bankTotalMinor,
      ledgerTotalMinor,
      differenceMinor: bankTotalMinor - ledgerTotalMinor - adjusted,
    };
  });
}

/** A learned alias with the weight the next run gives it. */
export interface LearnedAliasStatus extends StoredAlias {
  readonly weight: number;
}

/**
 * What accepted matches taught: each bank descriptor with a counterparty, how often accepted,
 * and its weight in the next run (`aliasWeight`, from all the aliases stored).
 *
 * @example await listLearnedAliases(store) // [{ descriptor: "ACME SUPPLY", counterparty: "Acme Supply Co", acceptedCount: 2, weight: 0.7, … }]
 */
export async function listLearnedAliases(
  store: Store,
  filter: { readonly limit?: number } = {},
): Promise<LearnedAliasStatus[]> {
  const all = await loadAliases(store.db, store.tenantId, ALIASES_LISTED_MAX);
  const weights = new Map(
    learnedAliasesOf(all).map((a) => [`${a.descriptor}\u0000${a.counterparty}`, a.weight]),
  );
  return all
    .map((a) => ({ ...a, weight: weights.get(`${a.descriptor}\u0000${a.counterparty}`) ?? 0 }))
    .slice(0, filter.limit ?? 10_000);
}

/** Aliases read to weigh them (the same bound a run reads). */
const ALIASES_LISTED_MAX = 100_000;

/** A recorded decision. */
export interface Decision {
  readonly id: string;
  readonly kind: string;
  readonly matchId: string | null;
  readonly runId: string | null;
  readonly accountId: string | null;
  readonly actor: string;
  readonly decidedAt: string;
  readonly reason: string | null;
  readonly detail: Readonly<Record<string, unknown>>;
}

/**
 * The decisions recorded, newest first: the audit trail (who, when, why).
 *
 * @example await listDecisions(store, { matchId: "m_3f9a0c2e7b1d4a58" })
 */
export async function listDecisions(
  store: Store,
  filter: { readonly matchId?: string; readonly limit?: number } = {},
): Promise<Decision[]> {
  let query = store.db
    .selectFrom("reconciliation_decisions")
    .selectAll()
    .where("tenant_id", "=", store.tenantId);
  if (filter.matchId !== undefined) query = query.where("match_id", "=", filter.matchId);
  const rows = await query
    .orderBy("decided_at", "desc")
    .orderBy("id", "desc")
    .limit(filter.limit ?? 1_000)
    .execute();
  return rows.map((row) => ({
    id: row.id,
    kind: row.kind,
    matchId: row.match_id,
    runId: row.run_id,
    accountId: row.account_id,
    actor: row.actor,
    decidedAt: row.decided_at,
    reason: row.reason,
    detail: JSON.parse(row.detail_json) as Record<string, unknown>,
  }));
}

/** A recorded workflow run. */
export interface RunRecord {
  readonly id: string;
  readonly createdAt: string;
  readonly actor: string | null;
  readonly accountId: string | null;
  readonly from: string | null;
  readonly to: string | null;
  readonly statement: {
    readonly date: string;
    readonly balanceMinor: number;
    readonly currency: string;
  } | null;
  readonly autoAcceptConfidence: number | null;
  readonly counts: Readonly<Record<string, number>>;
  readonly options: Readonly<Record<string, unknown>>;
}

/**
 * The workflow's runs, newest first, with their scope, options and counts.
 *
 * @example const [latest] = await listRuns(store, { limit: 1 }); // latest.counts.waiting
 */
export async function listRuns(store: Store, filter: { readonly limit?: number } = {}): Promise<RunRecord[]> {
  const rows = await store.db
    .selectFrom("reconciliation_runs")
    .selectAll()
    .where("tenant_id", "=", store.tenantId)
    .where("origin", "=", "workflow")
    .orderBy("created_at", "desc")
    .orderBy("id", "desc")
    .limit(filter.limit ?? 100)
    .execute();
  return rows.map((row) => ({
    id: row.id,
    createdAt: row.created_at,
    actor: row.actor,
    accountId: row.account_id,
    from: row.period_from,
    to: row.period_to,
    statement:
      row.statement_date === null || row.statement_balance_minor === null || row.statement_currency === null
        ? null
        : {
            date: row.statement_date,
            balanceMinor: Number(row.statement_balance_minor),
            currency: row.statement_currency,
          },
    autoAcceptConfidence: row.auto_accept_confidence === null ? null : Number(row.auto_accept_confidence),
    counts: JSON.parse(row.counts_json) as Record<string, number>,
    options: JSON.parse(row.options_json) as Record<string, unknown>,
  }));
}
