import type { BankTransaction, ExpectedEntry } from "../domain/index.js";
import type { Match, ReconcileOptions, ReconcileResult } from "../reconcile/index.js";
import { buildResult } from "../reconcile/result.js";

/**
 * A run's proposals without the pairings people rejected, pure: the engine knows nothing of
 * rejections, so they are taken out after it, and the rows they held get another chance.
 *
 * Round 1 runs the engine on every open row and drops each proposal whose exact pairing (the
 * same bank rows with the same ledger entries) was rejected. Round 2 runs it again on the rows
 * left open, without the dropped proposals' ledger entries, so their bank rows may find another
 * entry; round 3 likewise without their bank rows, so the entries may find another bank row.
 * Whatever a rejected pairing still holds after that stays open for this run. Three rounds at
 * most, each on fewer rows than the one before.
 */

/** Runs the reconciliation engine (the package's `reconcile`, or a stand-in in tests). */
export type Engine = (
  bank: readonly BankTransaction[],
  expected: readonly ExpectedEntry[],
  options: ReconcileOptions,
) => ReconcileResult;

/**
 * The key of an exact pairing: its bank ids and ledger ids, each sorted.
 *
 * @example pairingKey(["b2", "b1"], ["e1"]) // "b1\u0001b2\u0000e1"
 */
export function pairingKey(bankIds: readonly string[], expectedIds: readonly string[]): string {
  return `${[...bankIds].sort().join("\u0001")}\u0000${[...expectedIds].sort().join("\u0001")}`;
}

export interface Proposals {
  /** The engine's result with rejected pairings taken out and the rounds' matches merged. */
  readonly result: ReconcileResult;
  /** Proposals dropped because people had rejected that exact pairing. */
  readonly droppedRejected: number;
  /** Engine runs: 1 when nothing was rejected, at most 3. */
  readonly rounds: number;
}

/**
 * Proposes matches for the open rows without any rejected pairing (see the module's comment).
 *
 * @example
 * const { result, droppedRejected } = proposeAvoiding(bank, ledger, new Set([pairingKey(["b1"], ["e1"])]), reconcile, {});
 */
export function proposeAvoiding(
  bank: readonly BankTransaction[],
  expected: readonly ExpectedEntry[],
  rejected: ReadonlySet<string>,
  engine: Engine,
  options: ReconcileOptions,
): Proposals {
  const first = engine(bank, expected, options);
  const isRejected = (m: Match) => rejected.has(pairingKey(m.bankTransactionIds, m.expectedIds));
  const dropped = first.matches.filter(isRejected);
  if (dropped.length === 0) return { result: first, droppedRejected: 0, rounds: 1 };
  const kept = first.matches.filter((m) => !isRejected(m));
  let droppedRejected = dropped.length;
  let rounds = 1;
  const taken = { bank: new Set<string>(), expected: new Set<string>() };
  const take = (m: Match) => {
    for (const id of m.bankTransactionIds) taken.bank.add(id);
    for (const id of m.expectedIds) taken.expected.add(id);
  };
  kept.forEach(take);
  const withheld: readonly { side: "bank" | "expected" }[] = [{ side: "expected" }, { side: "bank" }];
  for (const { side } of withheld) {
    const hold = new Set(dropped.flatMap((m) => (side === "bank" ? m.bankTransactionIds : m.expectedIds)));
    const poolBank = bank.filter((b) => !taken.bank.has(b.id) && !(side === "bank" && hold.has(b.id)));
    const poolExpected = expected.filter(
      (e) => !taken.expected.has(e.id) && !(side === "expected" && hold.has(e.id)),
    );
    if (poolBank.length === 0 || poolExpected.length === 0) continue;
    rounds++;
    const again = engine(poolBank, poolExpected, options).matches;
    for (const m of again) {
      if (isRejected(m)) droppedRejected++;
      else {
        kept.push(m);
        take(m);
      }
    }
  }
  return { result: resultOf(kept, bank, expected, first), droppedRejected, rounds };
}

/**
 * A result made of `matches` over the run's rows, with the first round's limits and the
 * ambiguous settlements that are still open; counts and totals computed again.
 */
export function resultOf(
  matches: readonly Match[],
  bank: readonly BankTransaction[],
  expected: readonly ExpectedEntry[],
  first: ReconcileResult,
): ReconcileResult {
  const bankIndex = new Map(bank.map((row, i) => [row.id, i]));
  const expectedIndex = new Map(expected.map((row, i) => [row.id, i]));
  const matchedBank = new Uint8Array(bank.length);
  const matchedExpected = new Uint8Array(expected.length);
  for (const m of matches) {
    for (const id of m.bankTransactionIds) matchedBank[bankIndex.get(id) ?? -1] = 1;
    for (const id of m.expectedIds) matchedExpected[expectedIndex.get(id) ?? -1] = 1;
  }
  const ambiguous = (first.ambiguousSettlements ?? []).filter(
    (a) => matchedBank[bankIndex.get(a.bankTransactionId) ?? -1] === 0,
  );
  return buildResult(
    bank,
    expected,
    [...matches],
    matchedBank,
    matchedExpected,
    ambiguous,
    first.summary.limits,
  );
}
