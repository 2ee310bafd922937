import type { BankTransaction, ExpectedEntry } from "../domain/index.js";
import type {
  AmbiguousSettlement,
  CurrencyTotals,
  EngineLimits,
  Match,
  MatchKind,
  ReconcileResult,
} from "./types.js";

/** Assembles the result: matches in a stable order, leftovers, summary counts and totals. */
export function buildResult(
  bank: readonly BankTransaction[],
  expected: readonly ExpectedEntry[],
  matches: Match[],
  matchedBank: Uint8Array,
  matchedExpected: Uint8Array,
  ambiguous: readonly AmbiguousSettlement[] = [],
  limits?: EngineLimits,
): ReconcileResult {
  matches.sort(compareMatches);
  const unmatchedBank = bank.filter((_, i) => matchedBank[i] === 0);
  const unmatchedExpected = expected.filter((_, i) => matchedExpected[i] === 0);
  const byKind: Record<MatchKind, number> = { one_to_one: 0, many_to_one: 0, one_to_many: 0 };
  let needsReviewCount = 0;
  for (const m of matches) {
    byKind[m.kind]++;
    if (m.needsReview) needsReviewCount++;
  }
  const matchedBankCount = bank.length - unmatchedBank.length;
  const matchedExpectedCount = expected.length - unmatchedExpected.length;
  const complete = unmatchedBank.length === 0 && unmatchedExpected.length === 0 && needsReviewCount === 0;
  return {
    status: complete ? "complete" : "needs_review",
    matches,
    unmatchedBank,
    unmatchedExpected,
    ambiguousSettlements: ambiguous,
    summary: {
      bankCount: bank.length,
      expectedCount: expected.length,
      matchCount: matches.length,
      matchedBankCount,
      matchedExpectedCount,
      unmatchedBankCount: unmatchedBank.length,
      unmatchedExpectedCount: unmatchedExpected.length,
      needsReviewCount,
      byKind,
      totals: totalsByCurrency(bank, expected, matchedBank, matchedExpected),
      ...(limits !== undefined && { limits }),
    },
  };
}

function compareMatches(a: Match, b: Match): number {
  const x = a.expectedIds[0] ?? "";
  const y = b.expectedIds[0] ?? "";
  if (x !== y) return x < y ? -1 : 1;
  const p = a.bankTransactionIds[0] ?? "";
  const q = b.bankTransactionIds[0] ?? "";
  return p < q ? -1 : p > q ? 1 : 0;
}

function totalsByCurrency(
  bank: readonly BankTransaction[],
  expected: readonly ExpectedEntry[],
  matchedBank: Uint8Array,
  matchedExpected: Uint8Array,
): CurrencyTotals[] {
  const totals = new Map<string, { bm: bigint; bu: bigint; em: bigint; eu: bigint }>();
  const slot = (currency: string) => {
    let t = totals.get(currency);
    if (t === undefined) totals.set(currency, (t = { bm: 0n, bu: 0n, em: 0n, eu: 0n }));
    return t;
  };
  // Sums of a million rows can pass 2^53 minor units: add as bigint, check on the way out.
  bank.forEach((b, i) => {
    const t = slot(b.currency);
    if (matchedBank[i] === 1) t.bm += BigInt(b.amountMinor);
    else t.bu += BigInt(b.amountMinor);
  });
  expected.forEach((e, i) => {
    const t = slot(e.currency);
    if (matchedExpected[i] === 1) t.em += BigInt(e.amountMinor);
    else t.eu += BigInt(e.amountMinor);
  });
  return [...totals.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([currency, t]) => ({
      currency,
      bankMatchedMinor: safe(t.bm),
      bankUnmatchedMinor: safe(t.bu),
      expectedMatchedMinor: safe(t.em),
      expectedUnmatchedMinor: safe(t.eu),
    }));
}

function safe(x: bigint): number {
  const n = Number(x);
  if (!Number.isSafeInteger(n)) throw new RangeError(`total ${x} exceeds the safe integer range`);
  return n;
}
