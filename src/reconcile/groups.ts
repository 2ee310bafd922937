import { confidenceOf } from "./confidence.js";
import type { PreparedBank, PreparedExpected, Vocabulary } from "./prepare.js";
import { datePenalty, textSimilarity } from "./score.js";
import { coincidenceExpectation, findTwoPoolSums } from "./subset-enumerate.js";
import { findSubsets, type SubsetLimits } from "./subset-sum.js";
import type { MatchReason } from "./types.js";

/**
 * Many-to-one (one bank row settles several entries: a customer paying three invoices at once,
 * a processor payout of several sales net of its fee) and one-to-many (an invoice paid in
 * instalments), found among the rows one-to-one matching left over. Sums are exact to the
 * minor unit. Candidates come from small pools of rows that plausibly belong together (same
 * counterparty, or words shared with the bank row) so that a coincidental sum among hundreds
 * of unrelated rows is not mistaken for a settlement; then all candidates are chosen jointly,
 * so that two payouts do not claim each other's sales.
 */
export interface GroupCandidate {
  readonly bank: readonly number[];
  readonly expected: readonly number[];
  readonly score: number;
  readonly reasons: MatchReason[];
}

export interface GroupLimits {
  readonly sizeMax: number;
  readonly dateWindowBeforeDays: number;
  readonly dateWindowAfterDays: number;
}

const POOL_MAX = 16;
const SOLUTIONS_PER_POOL = 4;
const GROUP_ACCEPT_MIN = 30;
/** Above this many expected coincidences an exact sum proves nothing. */
const COINCIDENCE_MAX = 0.5;

/** Rows of one side, by account (null: unknown) and then by day, for window look-ups. */
class DayIndex<T extends { readonly day: number; readonly account: string | null; readonly index: number }> {
  private readonly byAccount = new Map<string | null, T[]>();
  constructor(rows: Iterable<T>) {
    for (const r of rows) {
      const list = this.byAccount.get(r.account);
      if (list === undefined) this.byAccount.set(r.account, [r]);
      else list.push(r);
    }
    for (const list of this.byAccount.values()) list.sort((a, b) => a.day - b.day || a.index - b.index);
  }
  *window(account: string | null, dayFrom: number, dayTo: number): Generator<T> {
    const list = this.byAccount.get(account);
    if (list === undefined) return;
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (list[mid]!.day < dayFrom) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < list.length && list[i]!.day <= dayTo; i++) yield list[i]!;
  }
}

/** Open ledger entries with an unknown account, by word, so that a bank row finds its own. */
class WordIndex {
  private readonly byWord = new Map<number, PreparedExpected[]>();
  constructor(rows: Iterable<PreparedExpected>) {
    for (const r of rows) {
      if (r.account !== null) continue;
      for (const w of r.words) {
        const list = this.byWord.get(w);
        if (list === undefined) this.byWord.set(w, [r]);
        else list.push(r);
      }
    }
  }
  lookup(words: Int32Array, dayFrom: number, dayTo: number): PreparedExpected[] {
    const out = new Set<PreparedExpected>();
    for (const w of words) {
      for (const r of this.byWord.get(w) ?? []) if (r.day >= dayFrom && r.day <= dayTo) out.add(r);
    }
    return [...out];
  }
}

interface PoolItem {
  readonly row: PreparedExpected;
  readonly similarity: number;
  readonly weak: boolean;
}

const OWN_POOL_MAX = 14;
const FOREIGN_POOL_MAX = 12;
const FOREIGN_IN_GROUP_MAX = 1;
const FOREIGN_IN_POOL_MIN = 4;
const COUNTERPARTY_POOL_MAX = 10;

/**
 * Many-to-one matches, chosen in one sweep over the bank rows in date order. A settlement
 * (a payout, a customer paying several invoices) settles the oldest open entries first, so
 * each bank row searches the oldest open entries of its window and takes its best exact sum;
 * what it takes is no longer open to later rows. Two payouts therefore never claim the same
 * sale, and a later payout does not steal an earlier one's entries.
 */
export function chooseManyToOne(
  bank: readonly PreparedBank[],
  expected: readonly PreparedExpected[],
  expectedTotal: number,
  vocabulary: Vocabulary,
  limits: GroupLimits,
): { candidate: GroupCandidate; confidence: number }[] {
  const byDay = new DayIndex(expected);
  const byWord = new WordIndex(expected);
  const taken = new Uint8Array(expectedTotal);
  const chosen: { candidate: GroupCandidate; confidence: number }[] = [];
  const sweep = [...bank].sort((x, y) => x.day - y.day || x.index - y.index);
  const windowDays = Math.min(limits.dateWindowAfterDays, SETTLEMENT_WINDOW_DAYS_MAX);
  for (const b of sweep) {
    const dayFrom = b.day - windowDays;
    const dayTo = b.day + limits.dateWindowBeforeDays;
    const own: PoolItem[] = [];
    for (const e of byDay.window(b.account, dayFrom, dayTo)) {
      if (e.currency === b.currency && taken[e.index] === 0) {
        own.push({ row: e, similarity: textSimilarity(b, e, vocabulary), weak: false });
      }
    }
    const foreign: PoolItem[] = [];
    if (b.account !== null) {
      for (const e of byWord.lookup(b.words, dayFrom, dayTo)) {
        if (e.currency !== b.currency || taken[e.index] === 1) continue;
        const similarity = textSimilarity(b, e, vocabulary);
        if (similarity > 0) foreign.push({ row: e, similarity, weak: true });
      }
    }
    const candidates = candidatesFor(b, own, foreign, limits);
    if (candidates.length === 0) continue;
    candidates.sort((x, y) => y.score - x.score);
    const best = candidates[0]!;
    const rival = candidates[1]?.score ?? null;
    for (const i of best.expected) taken[i] = 1;
    chosen.push({ candidate: best, confidence: confidenceOf(best.score, rival) });
  }
  return chosen;
}

const SETTLEMENT_WINDOW_DAYS_MAX = 25;

function candidatesFor(
  b: PreparedBank,
  own: PoolItem[],
  foreign: PoolItem[],
  limits: GroupLimits,
): GroupCandidate[] {
  const out: GroupCandidate[] = [];
  const seen = new Set<string>();
  for (const [ownPool, foreignPool] of poolsFor(b, own, foreign)) {
    const solutions = findTwoPoolSums(
      ownPool.map((p) => p.row.amount),
      foreignPool.map((p) => p.row.amount),
      b.amount,
      { sizeMax: limits.sizeMax, foreignMax: FOREIGN_IN_GROUP_MAX, solutionsMax: SOLUTIONS_PER_POOL },
    );
    for (const s of solutions) {
      const items = [...s.own.map((k) => ownPool[k]!), ...s.foreign.map((k) => foreignPool[k]!)];
      const key = items
        .map((p) => p.row.index)
        .sort((x, y) => x - y)
        .join(",");
      if (seen.has(key)) continue;
      seen.add(key);
      const rank = s.own.length === 0 ? 0 : s.own[s.own.length - 1]! + 1;
      const chance = coincidenceExpectation(
        rank,
        s.own.length,
        foreignPool.length,
        s.foreign.length,
        b.amount,
      );
      if (chance > COINCIDENCE_MAX) continue;
      const candidate = scoreManyToOne(b, items, chance);
      if (candidate.score >= GROUP_ACCEPT_MIN) out.push(candidate);
    }
  }
  return out;
}

/**
 * The pools searched for one bank row, nearest first: entries sharing words with it (own
 * account, plus entries whose account is unknown), and each counterparty's own-account entries.
 */
function poolsFor(b: PreparedBank, own: PoolItem[], foreign: PoolItem[]): [PoolItem[], PoolItem[]][] {
  const pools: [PoolItem[], PoolItem[]][] = [];
  // A settlement comes after its entries: the nearest entries dated before the bank row
  // first, entries dated after it last. Earlier settlements have already taken theirs.
  const closest = (x: PoolItem, y: PoolItem) =>
    settlementDistance(b.day - x.row.day) - settlementDistance(b.day - y.row.day) ||
    y.similarity - x.similarity ||
    x.row.index - y.row.index;
  const affine = own.filter((p) => p.similarity > 0).sort(closest);
  const foreignSorted = foreign.sort(closest);
  // Entries with no account compete with the own account's for the exhaustively searched
  // pool: a ledger that never names accounts must still find its batches.
  const foreignInPool = Math.max(FOREIGN_IN_POOL_MIN, OWN_POOL_MAX - affine.length);
  const searched = [
    ...affine.slice(0, OWN_POOL_MAX - Math.min(foreignInPool, foreignSorted.length)),
    ...foreignSorted.slice(0, foreignInPool),
  ];
  const hashed = foreignSorted.slice(foreignInPool, foreignInPool + FOREIGN_POOL_MAX);
  if (searched.length + hashed.length >= 2) pools.push([searched, hashed]);
  const byCounterparty = new Map<string, PoolItem[]>();
  for (const p of [...own, ...foreign]) {
    const key = p.row.counterpartyKey;
    if (key === null) continue;
    const list = byCounterparty.get(key);
    if (list === undefined) byCounterparty.set(key, [p]);
    else list.push(p);
  }
  for (const list of byCounterparty.values()) {
    if (list.length >= 2) pools.push([list.sort(closest).slice(0, COUNTERPARTY_POOL_MAX), []]);
  }
  return pools;
}

function settlementDistance(lagDays: number): number {
  return lagDays >= 0 ? lagDays : 10 - 3 * lagDays;
}

/** Points lost when an exact sum could well be a coincidence (see coincidenceExpectation). */
function coincidencePenalty(expectation: number): number {
  return 6 * Math.max(0, Math.log10(expectation) + 2.5);
}

function scoreManyToOne(b: PreparedBank, items: readonly PoolItem[], chance: number): GroupCandidate {
  const n = items.length;
  let similarity = 0;
  let lagPenalty = 0;
  let weak = 0;
  const counterparties = new Set<string | null>();
  for (const p of items) {
    similarity += Math.min(1, p.similarity * 2);
    lagPenalty += datePenalty(b.day - p.row.day);
    if (p.weak) weak++;
    counterparties.add(p.row.counterpartyKey);
  }
  const affinity = (25 * similarity) / n;
  const date = -lagPenalty / n;
  const sameParty = counterparties.size === 1 && !counterparties.has(null) ? 12 : 0;
  const size = -(n - 2);
  const weakPenalty = -4 * weak;
  const coincidence = -coincidencePenalty(chance);
  const score = 50 + affinity + date + sameParty + size + weakPenalty + coincidence;
  const reasons: MatchReason[] = [
    { feature: "amount", contribution: 50, detail: `${n} entries add up exactly to the bank amount` },
    { feature: "date", contribution: round(date), detail: "mean distance of the entries' dates" },
  ];
  if (affinity > 0)
    reasons.push({ feature: "description", contribution: round(affinity), detail: "names agree" });
  if (sameParty > 0)
    reasons.push({ feature: "counterparty", contribution: sameParty, detail: "one counterparty" });
  if (weakPenalty < 0) {
    reasons.push({
      feature: "account",
      contribution: weakPenalty,
      detail: `${weak} entries name no account`,
    });
  }
  if (coincidence < 0) {
    reasons.push({
      feature: "group",
      contribution: round(coincidence),
      detail: "the sum could be a coincidence",
    });
  }
  reasons.push({ feature: "group", contribution: size, detail: `${n} entries in one bank row` });
  return { bank: [b.index], expected: items.map((p) => p.row.index), score, reasons };
}

/** Candidates where one open ledger entry equals the sum of several open bank rows (instalments). */
export function oneToManyCandidates(
  bank: readonly PreparedBank[],
  expected: readonly PreparedExpected[],
  vocabulary: Vocabulary,
  limits: GroupLimits,
): GroupCandidate[] {
  const byDay = new DayIndex(bank);
  const accounts = new Set(bank.map((b) => b.account));
  const out: GroupCandidate[] = [];
  const subsetLimits: SubsetLimits = {
    sizeMin: 2,
    sizeMax: Math.min(4, limits.sizeMax),
    oppositeMax: 0,
    weakMax: 0,
    solutionsMax: SOLUTIONS_PER_POOL,
    nodesMax: 10_000,
  };
  for (const e of expected) {
    const dayFrom = e.day - limits.dateWindowBeforeDays;
    const dayTo = e.day + limits.dateWindowAfterDays;
    for (const account of e.account === null ? accounts : [e.account]) {
      const pool: { row: PreparedBank; similarity: number }[] = [];
      for (const b of byDay.window(account, dayFrom, dayTo)) {
        if (b.currency !== e.currency || Math.sign(b.amount) !== Math.sign(e.amount)) continue;
        const similarity = textSimilarity(b, e, vocabulary);
        // Without a known account, only rows that name the party are plausible instalments.
        if (e.account === null && similarity === 0) continue;
        pool.push({ row: b, similarity });
      }
      if (pool.length < 2) continue;
      pool.sort((x, y) => y.similarity - x.similarity || x.row.day - y.row.day || x.row.index - y.row.index);
      const trimmed = pool.slice(0, POOL_MAX);
      const weak = trimmed.map(() => false);
      for (const s of findSubsets(
        trimmed.map((p) => p.row.amount),
        e.amount,
        weak,
        subsetLimits,
      )) {
        const parts = s.map((k) => trimmed[k]!);
        const candidate = scoreOneToMany(e, parts);
        if (candidate.score >= GROUP_ACCEPT_MIN) out.push(candidate);
      }
    }
  }
  return out;
}

function scoreOneToMany(
  e: PreparedExpected,
  parts: readonly { row: PreparedBank; similarity: number }[],
): GroupCandidate {
  const n = parts.length;
  let similarity = 0;
  let lagPenalty = 0;
  for (const p of parts) {
    similarity += p.similarity;
    // Instalments follow the invoice over weeks: only the first one is held to the usual lag.
    lagPenalty += Math.min(datePenalty(p.row.day - e.day), 8);
  }
  const affinity = (30 * similarity) / n;
  const date = -lagPenalty / n;
  const size = -3 * (n - 2);
  const score = 50 + affinity + date + size;
  const reasons: MatchReason[] = [
    { feature: "amount", contribution: 50, detail: `${n} bank rows add up exactly to the entry` },
    { feature: "date", contribution: round(date), detail: "mean distance of the bank dates" },
  ];
  if (affinity > 0)
    reasons.push({ feature: "description", contribution: round(affinity), detail: "names agree" });
  reasons.push({ feature: "group", contribution: size, detail: `${n} bank rows for one entry` });
  return { bank: parts.map((p) => p.row.index), expected: [e.index], score, reasons };
}

/**
 * Chooses disjoint candidates of greatest total score. Candidates that share a row form a
 * conflict component; small components are solved exactly, large ones greedily by score.
 */
export function chooseGroups(
  candidates: readonly GroupCandidate[],
): { candidate: GroupCandidate; confidence: number }[] {
  const order = candidates
    .map((_, i) => i)
    .sort((x, y) => candidates[y]!.score - candidates[x]!.score || x - y);
  const components = conflictComponents(candidates);
  const chosen: { candidate: GroupCandidate; confidence: number }[] = [];
  for (const members of components) {
    const sorted = order.filter((i) => members.has(i));
    const picked = sorted.length <= 18 ? exactBest(candidates, sorted) : greedy(candidates, sorted);
    for (const i of picked) {
      const c = candidates[i]!;
      const rival = sorted.find((j) => j !== i && overlaps(c, candidates[j]!));
      chosen.push({
        candidate: c,
        confidence: confidenceOf(c.score, rival === undefined ? null : candidates[rival]!.score),
      });
    }
  }
  return chosen;
}

function overlaps(a: GroupCandidate, b: GroupCandidate): boolean {
  return a.bank.some((x) => b.bank.includes(x)) || a.expected.some((x) => b.expected.includes(x));
}

function conflictComponents(candidates: readonly GroupCandidate[]): Set<number>[] {
  const parent = candidates.map((_, i) => i);
  const find = (x: number): number => (parent[x] === x ? x : (parent[x] = find(parent[x]!)));
  const owner = new Map<string, number>();
  candidates.forEach((c, i) => {
    for (const key of [...c.bank.map((b) => `b${b}`), ...c.expected.map((e) => `e${e}`)]) {
      const j = owner.get(key);
      if (j === undefined) owner.set(key, i);
      else parent[find(i)] = find(j);
    }
  });
  const groups = new Map<number, Set<number>>();
  candidates.forEach((_, i) => {
    const root = find(i);
    let set = groups.get(root);
    if (set === undefined) groups.set(root, (set = new Set()));
    set.add(i);
  });
  return [...groups.values()];
}

function greedy(candidates: readonly GroupCandidate[], sorted: readonly number[]): number[] {
  const picked: number[] = [];
  for (const i of sorted) if (picked.every((j) => !overlaps(candidates[i]!, candidates[j]!))) picked.push(i);
  return picked;
}

/** Maximum-weight set of pairwise disjoint candidates, by branch and bound (small inputs only). */
function exactBest(candidates: readonly GroupCandidate[], sorted: readonly number[]): number[] {
  let best: number[] = [];
  let bestScore = -1;
  const current: number[] = [];
  const suffix = sorted.map((_, k) => sorted.slice(k).reduce((s, i) => s + candidates[i]!.score, 0));
  const visit = (k: number, score: number): void => {
    if (score > bestScore) {
      bestScore = score;
      best = [...current];
    }
    if (k >= sorted.length || score + suffix[k]! <= bestScore) return;
    const i = sorted[k]!;
    if (current.every((j) => !overlaps(candidates[i]!, candidates[j]!))) {
      current.push(i);
      visit(k + 1, score + candidates[i]!.score);
      current.pop();
    }
    visit(k + 1, score);
  };
  visit(0, 0);
  return best;
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
