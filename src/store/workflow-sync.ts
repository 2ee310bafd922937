import { chunksOf } from "./chunks.js";
import type { NewTransactionRow } from "./schema.js";
import { type Executor, leaveAccepted } from "./workflow-matches.js";

/**
 * What sync does for the reconciliation workflow, after the locked rows were gated
 * (`holdLockedChanges`): an accepted match whose bank row changed amount under it goes back to
 * the review queue, one whose bank row the bank removed (and no posted row replaced) is undone.
 * A pending row that posts under a new id takes its match along (`carryPendingOver`); if it
 * posts at another amount (a tip), the match goes back to the queue too. Recorded as decisions
 * by the actor `sync`.
 */

/** A bank row in an accepted match, as it was before the sync. */
export interface ReconciledRow {
  readonly matchId: string;
  readonly amountMinor: number;
  readonly currency: string;
}

/** The actor of decisions sync takes. */
export const SYNC_ACTOR = "sync";

/** Which of these bank rows are in an accepted match, with their amounts before the sync. */
export async function reconciledBefore(
  db: Executor,
  tenantId: string,
  ids: readonly string[],
): Promise<Map<string, ReconciledRow>> {
  const out = new Map<string, ReconciledRow>();
  // A store without accepted matches (no workflow yet) needs no look-up per row.
  const anyAccepted = await db
    .selectFrom("reconciliation_matches")
    .select("id")
    .where("tenant_id", "=", tenantId)
    .where("review_status", "=", "accepted")
    .limit(1)
    .executeTakeFirst();
  if (anyAccepted === undefined) return out;
  for (const chunk of chunksOf(ids)) {
    const rows = await db
      .selectFrom("match_members as mm")
      .innerJoin("reconciliation_matches as m", "m.id", "mm.match_id")
      .innerJoin("transactions as t", (join) =>
        join.onRef("t.id", "=", "mm.member_id").on("t.tenant_id", "=", tenantId),
      )
      .select(["mm.member_id", "mm.match_id", "t.amount_minor", "t.currency"])
      .where("m.tenant_id", "=", tenantId)
      .where("m.review_status", "=", "accepted")
      .where("mm.side", "=", "bank")
      .where("mm.member_id", "in", chunk)
      .execute();
    for (const row of rows)
      out.set(row.member_id, {
        matchId: row.match_id,
        amountMinor: Number(row.amount_minor),
        currency: row.currency,
      });
  }
  return out;
}

/**
 * After a sync wrote `rows`, removed `removals` and carried pending rows over (`links`): sends
 * back to the queue the accepted matches whose bank amount changed, and undoes those whose row
 * was removed with no posted row to take its place. Returns how many matches it touched.
 * `actor` is `sync`, or the person applying held changes of a reopened period.
 */
export async function settleReconciledChanges(
  db: Executor,
  tenantId: string,
  before: ReadonlyMap<string, ReconciledRow>,
  rows: readonly NewTransactionRow[],
  removals: readonly string[],
  links: readonly { readonly postedId: string; readonly pendingId: string }[],
  now: string,
  actor: string = SYNC_ACTOR,
): Promise<number> {
  if (before.size === 0) return 0;
  const demote = new Map<string, string>();
  const open = new Map<string, string>();
  const written = new Map(rows.map((row) => [row.id, row]));
  const changed = (was: ReconciledRow, row: NewTransactionRow | undefined) =>
    row !== undefined && (Number(row.amount_minor) !== was.amountMinor || row.currency !== was.currency);
  for (const [id, was] of before) {
    const row = written.get(id);
    if (changed(was, row))
      demote.set(
        was.matchId,
        `the bank changed ${id} from ${was.amountMinor} to ${row?.amount_minor} minor units`,
      );
  }
  const carried = new Set<string>();
  for (const link of links) {
    const was = before.get(link.pendingId);
    if (was === undefined) continue;
    carried.add(link.pendingId);
    const posted = written.get(link.postedId);
    if (changed(was, posted))
      demote.set(
        was.matchId,
        `pending ${link.pendingId} posted as ${link.postedId} at ${posted?.amount_minor} minor units (was ${was.amountMinor})`,
      );
  }
  for (const id of removals) {
    const was = before.get(id);
    if (was === undefined || carried.has(id)) continue;
    open.set(was.matchId, `the bank removed ${id}`);
    demote.delete(was.matchId);
  }
  const list = (m: Map<string, string>) => [...m].map(([matchId, reason]) => ({ matchId, reason }));
  await leaveAccepted(db, tenantId, list(demote), "needs_review", actor, now);
  await leaveAccepted(db, tenantId, list(open), "unmatched", actor, now);
  return demote.size + open.size;
}
