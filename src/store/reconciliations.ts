import { randomUUID } from "node:crypto";
import type { ReconcileResult } from "../reconcile/index.js";
import { chunksOf } from "./chunks.js";
import type { Store } from "./store.js";

/** A stored match, as the review workflow reads it. */
export interface StoredMatch {
  readonly id: string;
  readonly runId: string;
  readonly kind: string;
  readonly confidence: number;
  /** `proposed` (engine), `needs_review` (engine asks a person), `accepted`, `rejected`. */
  readonly reviewStatus: string;
  readonly amountDifferenceMinor: number;
  readonly pending: boolean;
  readonly bankTransactionIds: readonly string[];
  readonly expectedIds: readonly string[];
}

/**
 * Stores a reconciliation run and its matches in one database transaction. Bank members
 * reference transaction ids, so when a pending row posts under a new id, sync moves the
 * membership to the posted row.
 *
 * @example const runId = await saveReconciliationRun(store, reconcile(bank, expected), { windowAfterDays: 60 });
 */
export async function saveReconciliationRun(
  store: Store,
  result: ReconcileResult,
  options: Readonly<Record<string, unknown>> = {},
): Promise<string> {
  const runId = randomUUID();
  const matches = result.matches.map((match) => ({ id: randomUUID(), match }));
  await store.db.transaction().execute(async (trx) => {
    await trx
      .insertInto("reconciliation_runs")
      .values({
        id: runId,
        tenant_id: store.tenantId,
        created_at: store.now(),
        status: result.status,
        options_json: JSON.stringify(options),
        summary_json: JSON.stringify(result.summary),
      })
      .execute();
    for (const chunk of chunksOf(matches)) {
      await trx
        .insertInto("reconciliation_matches")
        .values(
          chunk.map(({ id, match }) => ({
            id,
            run_id: runId,
            kind: match.kind,
            confidence: match.confidence,
            review_status: match.needsReview ? "needs_review" : "proposed",
            amount_difference_minor: match.amountDifferenceMinor,
            pending: match.pending ? 1 : 0,
            reasons_json: JSON.stringify(match.reasons),
          })),
        )
        .execute();
      const members = chunk.flatMap(({ id, match }) => [
        ...match.bankTransactionIds.map((member) => ({ match_id: id, side: "bank", member_id: member })),
        ...match.expectedIds.map((member) => ({ match_id: id, side: "expected", member_id: member })),
      ]);
      for (const part of chunksOf(members)) await trx.insertInto("match_members").values(part).execute();
    }
  });
  return runId;
}

/** The matches of a run (default: the tenant's latest run). */
export async function listMatches(store: Store, runId?: string): Promise<StoredMatch[]> {
  const run =
    runId ??
    (
      await store.db
        .selectFrom("reconciliation_runs")
        .select("id")
        .where("tenant_id", "=", store.tenantId)
        .orderBy("created_at", "desc")
        .orderBy("id", "desc")
        .limit(1)
        .executeTakeFirst()
    )?.id;
  if (run === undefined) return [];
  const matches = await store.db
    .selectFrom("reconciliation_matches")
    .selectAll()
    .where("run_id", "=", run)
    .orderBy("id")
    .execute();
  const members = await store.db
    .selectFrom("match_members")
    .innerJoin("reconciliation_matches", "reconciliation_matches.id", "match_members.match_id")
    .select(["match_members.match_id", "match_members.side", "match_members.member_id"])
    .where("reconciliation_matches.run_id", "=", run)
    .orderBy("match_members.member_id")
    .execute();
  const byMatch = new Map<string, (typeof members)[number][]>();
  for (const member of members) {
    const list = byMatch.get(member.match_id);
    if (list === undefined) byMatch.set(member.match_id, [member]);
    else list.push(member);
  }
  return matches.map((row) => {
    const own = byMatch.get(row.id) ?? [];
    return {
      id: row.id,
      runId: row.run_id,
      kind: row.kind,
      confidence: row.confidence,
      reviewStatus: row.review_status,
      amountDifferenceMinor: row.amount_difference_minor,
      pending: row.pending === 1,
      bankTransactionIds: own.filter((m) => m.side === "bank").map((m) => m.member_id),
      expectedIds: own.filter((m) => m.side === "expected").map((m) => m.member_id),
    };
  });
}
