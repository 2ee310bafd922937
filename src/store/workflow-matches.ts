import { randomBytes } from "node:crypto";
import { type Kysely, sql, type Transaction } from "kysely";
import type { MatchReason } from "../reconcile/index.js";
import { type AliasPairing, aliasPairingsOf } from "../workflow/aliases.js";
import { chunksOf } from "./chunks.js";
import type { Database, MatchRow } from "./schema.js";

/**
 * The reconciliation workflow's matches in SQL: proposals of a run, the decisions on them, the
 * adjustments that balance them and the aliases they teach. Functions take an executor (the
 * store's database or an open transaction) so that a decision is one database transaction;
 * `workflow/` composes them.
 */

export type Executor = Kysely<Database> | Transaction<Database>;

/** Statuses of a match waiting for a person: the review queue. */
export const OPEN_STATUSES = ["proposed", "needs_review"] as const;

/** Every status a workflow match can have (see `ReconciliationMatchesTable.review_status`). */
export type MatchStatus = "proposed" | "needs_review" | "accepted" | "rejected" | "superseded" | "unmatched";

/** A workflow match with its members and adjustments. */
export interface WorkflowMatch {
  readonly id: string;
  readonly runId: string;
  /** `workflow` (proposed by a run) or `manual` (matched by a person). */
  readonly origin: string;
  readonly kind: string;
  readonly confidence: number;
  readonly status: MatchStatus;
  /** Bank total minus ledger total when the match was stored, minor units. */
  readonly amountDifferenceMinor: number;
  readonly currency: string | null;
  readonly pending: boolean;
  readonly reasons: readonly MatchReason[];
  readonly decidedAt: string | null;
  readonly decidedBy: string | null;
  readonly memo: string | null;
  readonly bankTransactionIds: readonly string[];
  readonly expectedIds: readonly string[];
  readonly adjustments: readonly MatchAdjustment[];
}

/** An amount kept with a match so that bank total = ledger total + adjustments, exactly. */
export interface MatchAdjustment {
  readonly id: string;
  /** Natural sign, like a ledger entry: a fee the bank kept is negative. */
  readonly amountMinor: number;
  readonly currency: string;
  /** `fee`, `rounding`, `fx`, `other`. */
  readonly reason: string;
  readonly memo: string | null;
  readonly createdAt: string;
  readonly createdBy: string;
}

/** A match about to be stored. */
export interface NewWorkflowMatch {
  readonly id: string;
  readonly kind: string;
  readonly confidence: number;
  readonly status: MatchStatus;
  readonly amountDifferenceMinor: number;
  readonly currency: string;
  readonly pending: boolean;
  readonly reasons: readonly MatchReason[];
  readonly decidedAt: string | null;
  readonly decidedBy: string | null;
  readonly memo: string | null;
  readonly bankTransactionIds: readonly string[];
  readonly expectedIds: readonly string[];
}

/** A decision about to be recorded. */
export interface NewDecision {
  readonly kind: string;
  readonly actor: string;
  readonly at: string;
  readonly matchId?: string | null;
  readonly runId?: string | null;
  readonly accountId?: string | null;
  readonly reason?: string | null;
  readonly detail?: Readonly<Record<string, unknown>>;
}

/**
 * A short random id with a prefix that says what it names (`m_` match, `run_`, `d_`
 * decision, `lock_`): typed by people on the command line, so shorter than a UUID; 64 random
 * bits make a collision unlikely below billions of ids.
 *
 * @example newId("m_") // "m_3f9a0c2e7b1d4a58"
 */
export function newId(prefix: string): string {
  return `${prefix}${randomBytes(8).toString("hex")}`;
}

/** Stores matches and their members (one multi-row statement per chunk). */
export async function insertMatches(
  db: Executor,
  tenantId: string,
  runId: string,
  matches: readonly NewWorkflowMatch[],
): Promise<void> {
  for (const chunk of chunksOf(matches)) {
    await db
      .insertInto("reconciliation_matches")
      .values(
        chunk.map((m) => ({
          id: m.id,
          run_id: runId,
          tenant_id: tenantId,
          kind: m.kind,
          confidence: m.confidence,
          review_status: m.status,
          amount_difference_minor: m.amountDifferenceMinor,
          currency: m.currency,
          pending: m.pending ? 1 : 0,
          reasons_json: JSON.stringify(m.reasons),
          decided_at: m.decidedAt,
          decided_by: m.decidedBy,
          memo: m.memo,
        })),
      )
      .execute();
    const members = chunk.flatMap((m) => [
      ...m.bankTransactionIds.map((id) => ({ match_id: m.id, side: "bank", member_id: id })),
      ...m.expectedIds.map((id) => ({ match_id: m.id, side: "expected", member_id: id })),
    ]);
    for (const part of chunksOf(members)) await db.insertInto("match_members").values(part).execute();
  }
}

/** Records decisions (the audit trail); returns their ids in order. */
export async function insertDecisions(
  db: Executor,
  tenantId: string,
  decisions: readonly NewDecision[],
): Promise<string[]> {
  const rows = decisions.map((d) => ({
    id: newId("d_"),
    tenant_id: tenantId,
    kind: d.kind,
    match_id: d.matchId ?? null,
    run_id: d.runId ?? null,
    account_id: d.accountId ?? null,
    actor: d.actor,
    decided_at: d.at,
    reason: d.reason ?? null,
    detail_json: JSON.stringify(d.detail ?? {}),
  }));
  for (const chunk of chunksOf(rows)) await db.insertInto("reconciliation_decisions").values(chunk).execute();
  return rows.map((row) => row.id);
}

/** Keeps an adjustment with its match. */
export async function insertAdjustment(
  db: Executor,
  tenantId: string,
  matchId: string,
  adjustment: Omit<MatchAdjustment, "id">,
): Promise<string> {
  const id = newId("adj_");
  await db
    .insertInto("match_adjustments")
    .values({
      id,
      tenant_id: tenantId,
      match_id: matchId,
      amount_minor: adjustment.amountMinor,
      currency: adjustment.currency,
      reason: adjustment.reason,
      memo: adjustment.memo,
      created_at: adjustment.createdAt,
      created_by: adjustment.createdBy,
    })
    .execute();
  return id;
}

/** Sets the status of matches, with who decided and when. */
export async function setMatchStatus(
  db: Executor,
  tenantId: string,
  ids: readonly string[],
  status: MatchStatus,
  at: string,
  by: string | null,
): Promise<void> {
  for (const chunk of chunksOf(ids))
    await db
      .updateTable("reconciliation_matches")
      .set({ review_status: status, decided_at: at, decided_by: by })
      .where("tenant_id", "=", tenantId)
      .where("id", "in", chunk)
      .execute();
}

/** The tenant's workflow matches with these ids (unknown ids are left out), with members. */
export async function loadMatches(
  db: Executor,
  tenantId: string,
  ids: readonly string[],
): Promise<WorkflowMatch[]> {
  const out: WorkflowMatch[] = [];
  for (const chunk of chunksOf(ids)) {
    const rows = await db
      .selectFrom("reconciliation_matches as m")
      .innerJoin("reconciliation_runs as r", "r.id", "m.run_id")
      .selectAll("m")
      .select("r.origin")
      .where("m.tenant_id", "=", tenantId)
      .where("m.id", "in", chunk)
      .execute();
    out.push(...(await withMembers(db, tenantId, rows)));
  }
  return out;
}

type MatchSelection = MatchRow & { readonly origin: string };

/** The open proposals (the review queue), most confident first, at most `limit`. */
export async function loadOpenProposals(
  db: Executor,
  tenantId: string,
  filter: { readonly confidenceMin?: number; readonly limit: number },
): Promise<WorkflowMatch[]> {
  let query = db
    .selectFrom("reconciliation_matches as m")
    .innerJoin("reconciliation_runs as r", "r.id", "m.run_id")
    .selectAll("m")
    .select("r.origin")
    .where("m.tenant_id", "=", tenantId)
    .where("m.review_status", "in", [...OPEN_STATUSES]);
  if (filter.confidenceMin !== undefined) query = query.where("m.confidence", ">=", filter.confidenceMin);
  const rows = await query.orderBy("m.confidence", "desc").orderBy("m.id").limit(filter.limit).execute();
  return withMembers(db, tenantId, rows);
}

async function withMembers(
  db: Executor,
  tenantId: string,
  rows: readonly MatchSelection[],
): Promise<WorkflowMatch[]> {
  const ids = rows.map((row) => row.id);
  const members = new Map<string, { bank: string[]; expected: string[] }>();
  const adjustments = new Map<string, MatchAdjustment[]>();
  for (const chunk of chunksOf(ids)) {
    const found = await db
      .selectFrom("match_members")
      .select(["match_id", "side", "member_id"])
      .where("match_id", "in", chunk)
      .orderBy("member_id")
      .execute();
    for (const m of found) {
      let entry = members.get(m.match_id);
      if (entry === undefined) members.set(m.match_id, (entry = { bank: [], expected: [] }));
      (m.side === "bank" ? entry.bank : entry.expected).push(m.member_id);
    }
    const adjusted = await db
      .selectFrom("match_adjustments")
      .selectAll()
      .where("tenant_id", "=", tenantId)
      .where("match_id", "in", chunk)
      .orderBy("created_at")
      .orderBy("id")
      .execute();
    for (const a of adjusted) {
      const list = adjustments.get(a.match_id) ?? [];
      list.push({
        id: a.id,
        amountMinor: Number(a.amount_minor),
        currency: a.currency,
        reason: a.reason,
        memo: a.memo,
        createdAt: a.created_at,
        createdBy: a.created_by,
      });
      adjustments.set(a.match_id, list);
    }
  }
  return rows.map((row) => ({
    id: row.id,
    runId: row.run_id,
    origin: row.origin,
    kind: row.kind,
    confidence: Number(row.confidence),
    status: row.review_status as MatchStatus,
    amountDifferenceMinor: Number(row.amount_difference_minor),
    currency: row.currency,
    pending: Number(row.pending) === 1,
    reasons: JSON.parse(row.reasons_json) as MatchReason[],
    decidedAt: row.decided_at,
    decidedBy: row.decided_by,
    memo: row.memo,
    bankTransactionIds: members.get(row.id)?.bank ?? [],
    expectedIds: members.get(row.id)?.expected ?? [],
    adjustments: adjustments.get(row.id) ?? [],
  }));
}

/**
 * Which of these rows are in an accepted match, and which: the rows that are reconciled.
 *
 * @example await acceptedMatchOf(trx, tenantId, "bank", ["txn_1"]) // Map { "txn_1" => "m_…" }
 */
export async function acceptedMatchOf(
  db: Executor,
  tenantId: string,
  side: "bank" | "expected",
  ids: readonly string[],
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const chunk of chunksOf(ids)) {
    const rows = await db
      .selectFrom("match_members as mm")
      .innerJoin("reconciliation_matches as m", "m.id", "mm.match_id")
      .select(["mm.member_id", "mm.match_id"])
      .where("m.tenant_id", "=", tenantId)
      .where("m.review_status", "=", "accepted")
      .where("mm.side", "=", side)
      .where("mm.member_id", "in", chunk)
      .execute();
    for (const row of rows) out.set(row.member_id, row.match_id);
  }
  return out;
}

/** The open proposals that hold any of these rows. */
export async function openProposalsHolding(
  db: Executor,
  tenantId: string,
  side: "bank" | "expected",
  ids: readonly string[],
): Promise<string[]> {
  const out = new Set<string>();
  for (const chunk of chunksOf(ids)) {
    const rows = await db
      .selectFrom("match_members as mm")
      .innerJoin("reconciliation_matches as m", "m.id", "mm.match_id")
      .select("mm.match_id")
      .where("m.tenant_id", "=", tenantId)
      .where("m.review_status", "in", [...OPEN_STATUSES])
      .where("mm.side", "=", side)
      .where("mm.member_id", "in", chunk)
      .execute();
    for (const row of rows) out.add(row.match_id);
  }
  return [...out];
}

/** A run's reach: the bank rows and ledger entries it loads. */
export interface RunReach {
  readonly accountId: string | null;
  readonly bankFrom: string;
  readonly bankTo: string;
  readonly ledgerFrom: string;
  readonly ledgerTo: string;
}

/**
 * Marks `superseded` every open proposal holding a bank row or ledger entry within `reach`:
 * the new run sees all those rows again, and its proposals replace the old ones. Returns how
 * many were replaced.
 */
export async function supersedeWithin(
  db: Executor,
  tenantId: string,
  reach: RunReach,
  at: string,
): Promise<number> {
  const result = await db
    .updateTable("reconciliation_matches")
    .set({ review_status: "superseded", decided_at: at, decided_by: null })
    .where("tenant_id", "=", tenantId)
    .where("review_status", "in", [...OPEN_STATUSES])
    .where((eb) =>
      eb.or([
        eb(
          "id",
          "in",
          eb
            .selectFrom("match_members as mm")
            .innerJoin("transactions as t", (join) =>
              join.onRef("t.id", "=", "mm.member_id").on("t.tenant_id", "=", tenantId),
            )
            .select("mm.match_id")
            .where("mm.side", "=", "bank")
            .where("t.date", ">=", reach.bankFrom)
            .where("t.date", "<=", reach.bankTo)
            .$if(reach.accountId !== null, (q) => q.where("t.account_id", "=", reach.accountId as string)),
        ),
        eb(
          "id",
          "in",
          eb
            .selectFrom("match_members as mm")
            .innerJoin("expected_entries as e", (join) =>
              join.onRef("e.id", "=", "mm.member_id").on("e.tenant_id", "=", tenantId),
            )
            .select("mm.match_id")
            .where("mm.side", "=", "expected")
            .where("e.date", ">=", reach.ledgerFrom)
            .where("e.date", "<=", reach.ledgerTo)
            .$if(reach.accountId !== null, (q) =>
              q.where((w) =>
                w.or([w("e.account_id", "=", reach.accountId as string), w("e.account_id", "is", null)]),
              ),
            ),
        ),
      ]),
    )
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Every pairing people rejected: the exact sets of bank rows and ledger entries. */
export async function rejectedPairings(
  db: Executor,
  tenantId: string,
): Promise<{ readonly bankTransactionIds: string[]; readonly expectedIds: string[] }[]> {
  const rows = await db
    .selectFrom("match_members as mm")
    .innerJoin("reconciliation_matches as m", "m.id", "mm.match_id")
    .select(["mm.match_id", "mm.side", "mm.member_id"])
    .where("m.tenant_id", "=", tenantId)
    .where("m.review_status", "=", "rejected")
    .orderBy("mm.match_id")
    .execute();
  const byMatch = new Map<string, { bankTransactionIds: string[]; expectedIds: string[] }>();
  for (const row of rows) {
    let entry = byMatch.get(row.match_id);
    if (entry === undefined) byMatch.set(row.match_id, (entry = { bankTransactionIds: [], expectedIds: [] }));
    (row.side === "bank" ? entry.bankTransactionIds : entry.expectedIds).push(row.member_id);
  }
  return [...byMatch.values()];
}

/** The comparison key of a counterparty: lower case, white space collapsed. */
export function counterpartyKey(counterparty: string): string {
  return counterparty.trim().replace(/\s+/g, " ").toLowerCase();
}

/**
 * Counts accepted pairings up (`delta` 1) or down (-1, the match was undone). A count that
 * reaches 0 removes the alias. Pairings are added up first, so a run that accepts thousands of
 * matches writes each alias once, a chunk of them a statement.
 */
export async function teachAliases(
  db: Executor,
  tenantId: string,
  pairings: readonly AliasPairing[],
  delta: 1 | -1,
  at: string,
): Promise<void> {
  const counted = new Map<string, { descriptor: string; key: string; counterparty: string; n: number }>();
  for (const p of pairings) {
    const key = counterpartyKey(p.counterparty);
    const id = `${p.descriptor}\u0000${key}`;
    const seen = counted.get(id);
    if (seen === undefined)
      counted.set(id, { descriptor: p.descriptor, key, counterparty: p.counterparty, n: 1 });
    else seen.n++;
  }
  if (delta === 1) {
    const rows = [...counted.values()].map((c) => ({
      tenant_id: tenantId,
      descriptor: c.descriptor,
      counterparty_key: c.key,
      counterparty: c.counterparty,
      accepted_count: c.n,
      first_at: at,
      last_at: at,
    }));
    for (const chunk of chunksOf(rows))
      await db
        .insertInto("learned_aliases")
        .values(chunk)
        .onConflict((c) =>
          c.columns(["tenant_id", "descriptor", "counterparty_key"]).doUpdateSet((eb) => ({
            accepted_count: sql`learned_aliases.accepted_count + excluded.accepted_count`,
            counterparty: eb.ref("excluded.counterparty"),
            last_at: eb.ref("excluded.last_at"),
          })),
        )
        .execute();
    return;
  }
  for (const c of counted.values()) {
    await db
      .updateTable("learned_aliases")
      .set({ accepted_count: sql`accepted_count - ${c.n}`, last_at: at })
      .where("tenant_id", "=", tenantId)
      .where("descriptor", "=", c.descriptor)
      .where("counterparty_key", "=", c.key)
      .execute();
    await db
      .deleteFrom("learned_aliases")
      .where("tenant_id", "=", tenantId)
      .where("descriptor", "=", c.descriptor)
      .where("counterparty_key", "=", c.key)
      .where("accepted_count", "<=", 0)
      .execute();
  }
}

/** An alias as stored: how often people accepted the descriptor with the counterparty. */
export interface StoredAlias {
  readonly descriptor: string;
  readonly counterparty: string;
  readonly acceptedCount: number;
  readonly firstAt: string;
  readonly lastAt: string;
}

/** The tenant's learned aliases, most accepted first (at most `limit`). */
export async function loadAliases(db: Executor, tenantId: string, limit: number): Promise<StoredAlias[]> {
  const rows = await db
    .selectFrom("learned_aliases")
    .selectAll()
    .where("tenant_id", "=", tenantId)
    .orderBy("accepted_count", "desc")
    .orderBy("descriptor")
    .orderBy("counterparty_key")
    .limit(limit)
    .execute();
  return rows.map((row) => ({
    descriptor: row.descriptor,
    counterparty: row.counterparty,
    acceptedCount: Number(row.accepted_count),
    firstAt: row.first_at,
    lastAt: row.last_at,
  }));
}

/**
 * Takes matches out of `accepted`: back to the review queue (`needs_review`, when a provider
 * changed a row's amount under it) or undone (`unmatched`: its rows are open again). What they
 * taught is taken back, their adjustments are dropped (a new acceptance balances the rows as
 * they are then), and each is recorded as a decision with the adjustments it had.
 */
export async function leaveAccepted(
  db: Executor,
  tenantId: string,
  changes: readonly { readonly matchId: string; readonly reason: string | null }[],
  status: "needs_review" | "unmatched",
  actor: string,
  at: string,
): Promise<void> {
  if (changes.length === 0) return;
  const matches = await loadMatches(
    db,
    tenantId,
    changes.map((c) => c.matchId),
  );
  const accepted = matches.filter((m) => m.status === "accepted");
  if (accepted.length === 0) return;
  await teachAliases(db, tenantId, await pairingsOfMatches(db, tenantId, accepted), -1, at);
  await setMatchStatus(
    db,
    tenantId,
    accepted.map((m) => m.id),
    status,
    at,
    actor,
  );
  for (const chunk of chunksOf(accepted.map((m) => m.id)))
    await db
      .deleteFrom("match_adjustments")
      .where("tenant_id", "=", tenantId)
      .where("match_id", "in", chunk)
      .execute();
  const reasonOf = new Map(changes.map((c) => [c.matchId, c.reason]));
  await insertDecisions(
    db,
    tenantId,
    accepted.map((m) => ({
      kind: status === "unmatched" ? "unmatch" : "demote",
      matchId: m.id,
      actor,
      at,
      reason: reasonOf.get(m.id) ?? null,
      detail: {
        bankTransactionIds: m.bankTransactionIds,
        expectedIds: m.expectedIds,
        adjustments: m.adjustments.map((a) => ({
          amountMinor: a.amountMinor,
          reason: a.reason,
          memo: a.memo,
        })),
      },
    })),
  );
}

/** What accepted matches taught: their single bank row's descriptor with their counterparties. */
export async function pairingsOfMatches(
  db: Executor,
  tenantId: string,
  matches: readonly {
    readonly bankTransactionIds: readonly string[];
    readonly expectedIds: readonly string[];
  }[],
): Promise<AliasPairing[]> {
  const single = matches.filter((m) => m.bankTransactionIds.length === 1);
  if (single.length === 0) return [];
  const names = new Map<string, string>();
  const counterparties = new Map<string, string | null>();
  for (const chunk of chunksOf(single.flatMap((m) => m.bankTransactionIds))) {
    const rows = await db
      .selectFrom("transactions")
      .select(["id", "name"])
      .where("tenant_id", "=", tenantId)
      .where("id", "in", chunk)
      .execute();
    for (const row of rows) names.set(row.id, row.name);
  }
  for (const chunk of chunksOf(single.flatMap((m) => m.expectedIds))) {
    const rows = await db
      .selectFrom("expected_entries")
      .select(["id", "counterparty"])
      .where("tenant_id", "=", tenantId)
      .where("id", "in", chunk)
      .execute();
    for (const row of rows) counterparties.set(row.id, row.counterparty);
  }
  return single.flatMap((m) => {
    const name = names.get(m.bankTransactionIds[0] as string);
    if (name === undefined) return [];
    return aliasPairingsOf(
      [{ name }],
      m.expectedIds.map((id) => ({ counterparty: counterparties.get(id) ?? null })),
    );
  });
}
