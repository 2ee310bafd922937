import {
  ascendingDays,
  COINCIDENCE_MAX,
  coincidenceExpectation,
  coincidencePenalty,
  GROUP_ACCEPT_MIN,
  type GroupCandidate,
  type GroupLimits,
} from "./group-choice.js";
import { instalmentCandidates } from "./instalments.js";
import { BankWordIndex, DayIndex } from "./pools.js";
import type { PreparedBank, PreparedExpected, Vocabulary } from "./prepare.js";
import { datePenalty, firstDayFor, lagFor, lastDayFor, roundPoints, textSimilarity } from "./score.js";
import { type SettlementLimits, searchSettlements } from "./settlements/index.js";
import type { MatchReason } from "./types.js";

/**
 * One-to-many candidates: one ledger entry paid by several bank rows (an invoice paid in
 * instalments). The mirror of a settlement: the bank rows of the entry's account that follow
 * it, nearest first, searched for an exact sum and weighed by how likely a coincidence it is.
 * All the bank rows of one candidate are in one account.
 */
const POOL_MAX = 24;
/** An entry without an account looks in the accounts naming its party most, this many. */
const ACCOUNTS_MAX = 12;
/** A word on more rows than this in the window names no one in particular. */
const NAMING_ROWS_MAX = 200;
const SEARCH: SettlementLimits = {
  sizeMax: 4,
  foreignMax: 0,
  extraDepth: 30,
  solutionsMax: 16,
  sumsMax: 10_000,
};

interface PoolRow {
  readonly row: PreparedBank;
  readonly similarity: number;
}

export function oneToManyCandidates(
  bank: readonly PreparedBank[],
  expected: readonly PreparedExpected[],
  vocabulary: Vocabulary,
  limits: GroupLimits,
): GroupCandidate[] {
  const byDay = new DayIndex(bank);
  const byWord = new BankWordIndex(bank);
  const out: GroupCandidate[] = [];
  const seen = new Set<string>();
  const search = { ...SEARCH, sizeMax: Math.min(SEARCH.sizeMax, limits.sizeMax) };
  for (const e of expected) {
    const dayFrom = firstDayFor(e, limits);
    const dayTo = lastDayFor(e, limits);
    // Without a known account, only accounts with a row naming the party are plausible.
    const accounts =
      e.account === null
        ? byWord.accountsNaming(e.words, dayFrom, dayTo, NAMING_ROWS_MAX, ACCOUNTS_MAX)
        : [e.account];
    for (const account of accounts) {
      const rows: PreparedBank[] = [];
      byDay.forEachInWindow(account, dayFrom, dayTo, (b) => {
        if (b.currency === e.currency && Math.sign(b.amount) === Math.sign(e.amount)) rows.push(b);
      });
      if (rows.length < 2) continue;
      // Nearest first by date alone, so only the rows kept are compared by name.
      rows.sort((x, y) => Math.abs(lagFor(x.day, e)) - Math.abs(lagFor(y.day, e)) || x.index - y.index);
      if (rows.length > POOL_MAX) rows.length = POOL_MAX;
      const trimmed: PoolRow[] = rows.map((b) => ({ row: b, similarity: textSimilarity(b, e, vocabulary) }));
      // Without a known account, an account is plausible only if one of its rows names the
      // party; then its unnamed rows (a plain DEPOSIT) may be the other instalments.
      if (e.account === null && !trimmed.some((p) => p.similarity > 0)) continue;
      const days = ascendingDays(trimmed.map((p) => p.row.day));
      for (const s of searchSettlements(
        trimmed.map((p) => p.row.amount),
        [],
        e.amount,
        search,
      )) {
        const parts = s.own.map((k) => trimmed[k]!);
        const first = Math.min(...parts.map((p) => p.row.day));
        const last = Math.max(...parts.map((p) => p.row.day));
        const chance = coincidenceExpectation(days, parts.length, [], 0, first, last, e.amount);
        if (chance > COINCIDENCE_MAX) continue;
        const candidate = scoreOneToMany(e, parts, chance);
        if (candidate.score >= GROUP_ACCEPT_MIN) {
          out.push(candidate);
          seen.add(candidateKey(candidate));
        }
      }
    }
  }
  // Sets of rows the structure alone proposes, whatever the rows name (instalments.ts).
  for (const found of instalmentCandidates(bank, expected, { ...limits, partsMax: search.sizeMax })) {
    const e = found.entry;
    const parts = found.parts.map((b) => ({ row: b, similarity: textSimilarity(b, e, vocabulary) }));
    const candidate = scoreOneToMany(e, parts, found.chance);
    if (candidate.score < GROUP_ACCEPT_MIN) continue;
    const key = candidateKey(candidate);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(candidate);
  }
  return out;
}

function candidateKey(c: GroupCandidate): string {
  return `${c.expected.join(",")}|${[...c.bank].sort((x, y) => x - y).join(",")}`;
}

function scoreOneToMany(e: PreparedExpected, parts: readonly PoolRow[], chance: number): GroupCandidate {
  const n = parts.length;
  let similarity = 0;
  let lagPenalty = 0;
  for (const p of parts) {
    similarity += p.similarity;
    // Instalments follow the invoice over weeks: each is held to the usual lag only so far.
    lagPenalty += Math.min(datePenalty(lagFor(p.row.day, e)), 8);
  }
  const affinity = (30 * similarity) / n;
  const date = -lagPenalty / n;
  const size = -3 * (n - 2);
  const coincidence = -coincidencePenalty(chance);
  const score = 50 + affinity + date + size + coincidence;
  const explain = (): MatchReason[] => {
    const reasons: MatchReason[] = [
      { feature: "amount", contribution: 50, detail: `${n} bank rows add up exactly to the entry` },
      { feature: "date", contribution: roundPoints(date), detail: "mean distance of the bank dates" },
    ];
    if (affinity > 0)
      reasons.push({ feature: "description", contribution: roundPoints(affinity), detail: "names agree" });
    if (coincidence !== 0) {
      const detail =
        coincidence < 0 ? "the sum could be a coincidence" : "the sum is unlikely to be a coincidence";
      reasons.push({ feature: "group", contribution: roundPoints(coincidence), detail });
    }
    reasons.push({ feature: "group", contribution: size, detail: `${n} bank rows for one entry` });
    return reasons;
  };
  return { bank: parts.map((p) => p.row.index), expected: [e.index], score, explain };
}
