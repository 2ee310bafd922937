import type { ExpectedEntry } from "../domain/index.js";
import { InputError } from "../errors/index.js";
import type { Store } from "../store/index.js";
import { loadExpectedEntries } from "../store/ledger.js";
import { acceptedMatchOf, insertMatches, newId } from "../store/workflow-matches.js";
import { loadBankRows, type WorkflowBankRow } from "../store/workflow-rows.js";
import { ADJUSTMENT_REASONS, type AdjustmentReason } from "./auto-accept.js";
import { checkActor, lockInfo, recordAcceptances } from "./decisions.js";
import { checkManualMatch, manualMatchProblem, matchKindOf } from "./manual-match.js";

/** A person's match of any bank rows with any ledger entries. */
export interface ManualMatchInput {
  readonly bankTransactionIds: readonly string[];
  readonly expectedIds: readonly string[];
  /**
   * What balances the match when the sums differ, natural sign: bank total = ledger total +
   * adjustment (a 30.00 fee the bank kept from a 1,000.00 payment is -3000). Kept with the match.
   */
  readonly adjustment?: {
    readonly amountMinor: number;
    readonly reason: AdjustmentReason;
  };
  /** A note kept with the match (and its adjustment). */
  readonly memo?: string;
  readonly actor: string;
}

export interface ManualMatchOutcome {
  readonly matchId: string;
  readonly runId: string;
  /** one_to_one, many_to_one, one_to_many or many_to_many. */
  readonly kind: string;
  readonly currency: string;
  readonly bankTotalMinor: number;
  readonly ledgerTotalMinor: number;
  /** 0 when the sums agree. */
  readonly adjustmentMinor: number;
  /** Open proposals holding these rows, replaced by the match. */
  readonly replacedProposals: number;
}

/** Rows one manual match holds at most on a side. */
export const MANUAL_ROWS_MAX = 1_000;

/**
 * Matches bank rows with ledger entries by hand, accepted at once: the sums must agree, or
 * the adjustment must balance them exactly. Refused (InputError, nothing written) for an id
 * the store does not hold, a row the bank removed, a row of a closed period or already in an
 * accepted match, rows of several currencies, and sums that do not balance (the message gives
 * both sums and the difference). Open proposals holding the rows are replaced. Pending bank
 * rows may be matched.
 *
 * @example
 * await matchManually(store, { bankTransactionIds: ["txn_9"], expectedIds: ["INV-7", "INV-8"],
 *   adjustment: { amountMinor: -3000, reason: "fee" }, memo: "wire fee", actor: "ana" });
 */
export async function matchManually(store: Store, input: ManualMatchInput): Promise<ManualMatchOutcome> {
  checkActor(input.actor);
  const bankIds = distinct(input.bankTransactionIds, "bank transaction");
  const expectedIds = distinct(input.expectedIds, "ledger entry");
  if (input.adjustment !== undefined && !ADJUSTMENT_REASONS.includes(input.adjustment.reason))
    throw new InputError(
      `an adjustment's reason is one of ${ADJUSTMENT_REASONS.join(", ")}, got "${input.adjustment.reason}"`,
    );
  if (input.memo !== undefined && input.memo.length > MEMO_CHARS_MAX)
    throw new InputError(`a memo is at most ${MEMO_CHARS_MAX} characters`);
  return store.db.transaction().execute(async (trx) => {
    const bank = await loadBankRows(trx, store.tenantId, bankIds);
    const expected = await loadExpectedEntries(trx, store.tenantId, expectedIds);
    const missingBank = bankIds.filter((id) => !bank.has(id));
    if (missingBank.length > 0)
      throw new InputError(`no bank transaction ${listed(missingBank)} in this store`);
    const missingLedger = expectedIds.filter((id) => !expected.has(id));
    if (missingLedger.length > 0)
      throw new InputError(`no ledger entry ${listed(missingLedger)} in this store`);
    const removed = bankIds.filter((id) => bank.get(id)?.removedAt !== null);
    if (removed.length > 0) throw new InputError(`the bank removed transaction ${listed(removed)}`);
    const locked = await lockInfo(trx, store.tenantId, bankIds, expectedIds);
    for (const [id, lock] of locked.bank)
      throw new InputError(`bank transaction ${id} is in a closed period (${lock})`);
    for (const [id, lock] of locked.expected)
      throw new InputError(`ledger entry ${id} is in a closed period (${lock})`);
    const takenBank = await acceptedMatchOf(trx, store.tenantId, "bank", bankIds);
    for (const [id, matchId] of takenBank)
      throw new InputError(
        `bank transaction ${id} is already in accepted match ${matchId} (bankrec review --unmatch ${matchId} first)`,
      );
    const takenLedger = await acceptedMatchOf(trx, store.tenantId, "expected", expectedIds);
    for (const [id, matchId] of takenLedger)
      throw new InputError(
        `ledger entry ${id} is already in accepted match ${matchId} (bankrec review --unmatch ${matchId} first)`,
      );
    const bankRows = bankIds.map((id) => bank.get(id) as WorkflowBankRow);
    const ledgerRows = expectedIds.map((id) => expected.get(id) as ExpectedEntry);
    const check = checkManualMatch(bankRows, ledgerRows, input.adjustment?.amountMinor ?? null);
    const problem = manualMatchProblem(check);
    if (problem !== null || (check.kind !== "balanced" && check.kind !== "adjusted"))
      throw new InputError(problem ?? "the match does not balance");
    return writeManualMatch(trx, store, input, bankRows, ledgerRows, check);
  });
}

const MEMO_CHARS_MAX = 2_000;

async function writeManualMatch(
  trx: Parameters<typeof insertMatches>[0],
  store: Store,
  input: ManualMatchInput,
  bank: readonly WorkflowBankRow[],
  ledger: readonly ExpectedEntry[],
  check: Extract<ReturnType<typeof checkManualMatch>, { kind: "balanced" | "adjusted" }>,
): Promise<ManualMatchOutcome> {
  const at = store.now();
  const runId = newId("run_");
  const matchId = newId("m_");
  const kind = matchKindOf(bank.length, ledger.length);
  await trx
    .insertInto("reconciliation_runs")
    .values({
      id: runId,
      tenant_id: store.tenantId,
      created_at: at,
      status: "manual",
      origin: "manual",
      options_json: "{}",
      summary_json: "{}",
      counts_json: "{}",
      account_id: null,
      period_from: null,
      period_to: null,
      statement_date: null,
      statement_balance_minor: null,
      statement_currency: null,
      auto_accept_confidence: null,
      actor: input.actor,
    })
    .execute();
  const reasons = [{ feature: "manual", contribution: 0, detail: `matched by hand by ${input.actor}` }];
  await insertMatches(trx, store.tenantId, runId, [
    {
      id: matchId,
      kind,
      confidence: 1,
      status: "accepted",
      amountDifferenceMinor: check.totals.differenceMinor,
      currency: check.currency,
      pending: bank.some((b) => b.pending),
      reasons,
      decidedAt: at,
      decidedBy: input.actor,
      memo: input.memo ?? null,
      bankTransactionIds: bank.map((b) => b.id),
      expectedIds: ledger.map((e) => e.id),
    },
  ]);
  const recorded = await recordAcceptances(
    trx,
    store.tenantId,
    [{ match: { id: matchId, reasons }, bank, expected: ledger }],
    {
      actor: input.actor,
      at,
      reason: null,
      kind: "manual_match",
      runId,
      ...(input.adjustment !== undefined && { adjustmentReason: input.adjustment.reason }),
      memo: input.memo ?? null,
    },
  );
  return {
    matchId,
    runId,
    kind,
    currency: check.currency,
    bankTotalMinor: check.totals.bankMinor,
    ledgerTotalMinor: check.totals.ledgerMinor,
    adjustmentMinor: check.totals.differenceMinor,
    replacedProposals: recorded.superseded,
  };
}

function distinct(ids: readonly string[], what: string): string[] {
  const out = [...new Set(ids.map((id) => id.trim()).filter((id) => id !== ""))];
  if (out.length > MANUAL_ROWS_MAX)
    throw new InputError(`a manual match holds at most ${MANUAL_ROWS_MAX} ${what} ids, got ${out.length}`);
  return out;
}

function listed(ids: readonly string[]): string {
  return `${ids.slice(0, 5).join(", ")}${ids.length > 5 ? `, … (${ids.length} in all)` : ""}`;
}
