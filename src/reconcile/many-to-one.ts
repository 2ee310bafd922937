import { confidenceOf } from "./confidence.js";
import {
  type ChosenGroup,
  COINCIDENCE_MAX,
  chooseGroups,
  coincidenceExpectation,
  coincidencePenalty,
  GROUP_ACCEPT_MIN,
  type GroupCandidate,
  type GroupLimits,
} from "./group-choice.js";
import { pushTo } from "./multimap.js";
import { DayIndex, PartyIndex, WordIndex } from "./pools.js";
import { type PreparedBank, type PreparedExpected, sharesId, type Vocabulary } from "./prepare.js";
import { datePenalty, roundPoints, textSimilarity } from "./score.js";
import { type SettlementLimits, searchSettlements } from "./settlement-search.js";
import type { MatchReason } from "./types.js";

/**
 * Many-to-one matches: one bank row settling several ledger entries (a processor payout of
 * several sales net of its fee row, a customer paying several invoices at once).
 *
 * One sweep over the bank rows in date order. A settlement settles the oldest open entries
 * first, so each bank row searches its pools oldest first and takes its best exact sum; what
 * it takes is closed to later rows. Two payouts therefore never claim the same sale, and an
 * earlier payout's entries do not linger to confuse a later one.
 *
 * Pools are the open entries that plausibly belong to this bank row: those sharing words with
 * it, and each counterparty's entries (for a deposit that names nobody, only money in). Every
 * exact sum is weighed by how likely a coincidence it is, given how deep into how many pools
 * the search had to go.
 */
export interface ManyToOneSettings extends GroupLimits {
  /** The ledger mostly names no account: entries without one belong to every account. */
  readonly accountlessAreOwn: boolean;
}

interface PoolItem {
  readonly row: PreparedExpected;
  /**
   * How well the names agree (textSimilarity), or NaN until asked: a foreign pool holds up to
   * a hundred entries, and only those in an exact sum are ever scored.
   */
  similarity: number;
  readonly weak: boolean;
}

function similarityOf(b: PreparedBank, p: PoolItem, vocabulary: Vocabulary): number {
  if (Number.isNaN(p.similarity)) p.similarity = textSimilarity(b, p.row, vocabulary);
  return p.similarity;
}

interface Pool {
  readonly own: PoolItem[];
  readonly foreign: PoolItem[];
  /** Its entries are all in another pool searched too: it adds no new chance of coincidence. */
  readonly redundant: boolean;
  /** Built from words shared with the bank row: possibly crowded, so foreign pairs must be near. */
  readonly crowded: boolean;
}

const SETTLEMENT_WINDOW_DAYS_MAX = 25;
const SPAN_PENALTY_PER_DAY = 0.5;
const AFFINE_POOL_MAX = 18;
const SETTLEMENT_LAG_DAYS = 2;
const PARTY_POOL_MAX = 12;
const FOREIGN_POOL_MAX = 120;
/** Foreign entries in one settlement are dated this close to each other. */
const FOREIGN_TOGETHER_DAYS = 3;
const FOREIGN_PAIRS_MAX = 2500;
const SEARCH: SettlementLimits = {
  sizeMax: 6,
  foreignMax: 2,
  extraDepth: 30,
  solutionsMax: 64,
  sumsMax: 25_000,
};

export function chooseManyToOne(
  bank: readonly PreparedBank[],
  expected: readonly PreparedExpected[],
  expectedTotal: number,
  vocabulary: Vocabulary,
  settings: ManyToOneSettings,
): ChosenGroup[] {
  const byDay = new DayIndex(expected);
  const byWord = new WordIndex(expected);
  const byParty = new PartyIndex(expected);
  const answersLedger = new Set<number>();
  for (const e of expected) for (const w of e.words) answersLedger.add(w);
  const taken = new Uint8Array(expectedTotal);
  const windowDays = Math.min(settings.dateWindowAfterDays, SETTLEMENT_WINDOW_DAYS_MAX);
  const search: SettlementLimits = {
    ...SEARCH,
    sizeMax: settings.sizeMax,
    foreignMax: settings.accountlessAreOwn ? 0 : 3,
  };
  const computeProposals = (b: PreparedBank): Cached => {
    const dayFrom = b.day - windowDays;
    const dayTo = b.day + settings.dateWindowBeforeDays;
    const own: PoolItem[] = [];
    const accounts = settings.accountlessAreOwn && b.account !== null ? [b.account, null] : [b.account];
    for (const account of accounts) {
      byDay.forEachInWindow(account, dayFrom, dayTo, (e) => {
        if (e.currency === b.currency && taken[e.index] === 0) {
          own.push({ row: e, similarity: textSimilarity(b, e, vocabulary), weak: false });
        }
      });
    }
    own.sort(nearestTo(b));
    const foreignOf = (rows: PreparedExpected[]): PoolItem[] => {
      if (settings.accountlessAreOwn || b.account === null) return [];
      const open = rows.filter((e) => e.currency === b.currency && taken[e.index] === 0);
      // Nearest first by date alone, so only the kept entries are compared by name.
      const distance = nearestDays(b);
      open.sort((x, y) => distance(x.day) - distance(y.day) || x.index - y.index);
      if (open.length > FOREIGN_POOL_MAX) open.length = FOREIGN_POOL_MAX;
      return open.map((e) => ({ row: e, similarity: Number.NaN, weak: true }));
    };
    const isOpen = (e: PreparedExpected) => e.currency === b.currency && taken[e.index] === 0;
    const nearForeign = () =>
      settings.accountlessAreOwn || b.account === null
        ? []
        : byWord.near(b.words, b.day, dayFrom, dayTo, FOREIGN_POOL_MAX, isOpen);
    const anonymous = !b.words.some((w) => answersLedger.has(w));
    const pools = poolsFor(b, own, anonymous, nearForeign, byParty, dayFrom, dayTo, foreignOf);
    const list = proposalsOf(b, pools, search, vocabulary);
    const watched = new Set<number>();
    for (const p of list) for (const i of p.candidate.expected) watched.add(i);
    return { list, watched: [...watched] };
  };
  // Proposals stay valid while none of their entries is taken. Taking another entry of the
  // pools could let a new one in, but searching again whenever any of them goes (a shared
  // processor's entries sit in hundreds of pools) costs far more than the rare settlement it
  // would find (measured: no change in F1, three times the time).
  const cache = new Map<number, Cached>();
  const proposalsFor = (b: PreparedBank): Proposal[] => {
    const cached = cache.get(b.index);
    if (cached?.watched.every((i) => taken[i] === 0)) return cached.list;
    const fresh = computeProposals(b);
    cache.set(b.index, fresh);
    return fresh.list;
  };
  const chosen: ChosenGroup[] = [];
  let remaining = [...bank].sort((x, y) => x.day - y.day || x.index - y.index);
  // Peel: accept the settlements nobody disputes, which frees or closes entries for the rest,
  // and repeat; what stays disputed is decided jointly at the end.
  for (let round = 0; round < PEEL_ROUNDS_MAX && remaining.length > 0; round++) {
    const proposals = new Map<number, Proposal[]>();
    for (const b of remaining) {
      const list = proposalsFor(b);
      if (list.length > 0) proposals.set(b.index, list);
    }
    remaining = remaining.filter((b) => proposals.has(b.index));
    const claimants = countClaimants(proposals);
    const accepted = remaining.filter((b) => {
      const list = proposals.get(b.index)!;
      const best = list[0]!;
      const decisive =
        list.length === 1 || best.candidate.score - list[1]!.candidate.score >= DECISIVE_MARGIN;
      return decisive && best.candidate.expected.every((i) => claimants.get(i) === 1);
    });
    if (accepted.length === 0) break;
    for (const b of accepted) {
      const list = proposals.get(b.index)!;
      const best = list[0]!.candidate;
      for (const i of best.expected) taken[i] = 1;
      chosen.push({
        candidate: best,
        confidence: confidenceOf(best.score, list[1]?.candidate.score ?? null),
      });
    }
    const done = new Set(accepted.map((b) => b.index));
    remaining = remaining.filter((b) => !done.has(b.index));
  }
  // What stays disputed is decided jointly; each decision closes entries and may settle
  // other disputes, so propose again over what is left, a bounded number of times.
  for (let round = 0; round < JOINT_ROUNDS_MAX && remaining.length > 0; round++) {
    const disputed = remaining.flatMap((b) => proposalsFor(b).map((p) => p.candidate));
    const decided = chooseGroups(disputed);
    if (decided.length === 0) break;
    const done = new Set<number>();
    for (const c of decided) {
      for (const i of c.candidate.expected) taken[i] = 1;
      for (const i of c.candidate.bank) done.add(i);
      chosen.push(c);
    }
    remaining = remaining.filter((b) => !done.has(b.index));
  }
  return chosen;
}

interface Cached {
  readonly list: Proposal[];
  /** Entries whose taking makes the proposals stale. */
  readonly watched: number[];
}

interface Proposal {
  readonly candidate: GroupCandidate;
  readonly chance: number;
  /** The entries as text, to break score ties the same way every run. */
  readonly tie: string;
}

const PEEL_ROUNDS_MAX = 8;
const JOINT_ROUNDS_MAX = 4;
/** A best proposal this many points ahead of the next is not in doubt. */
const DECISIVE_MARGIN = 5;

/** For each entry, how many bank rows propose to take it. */
function countClaimants(proposals: Map<number, Proposal[]>): Map<number, number> {
  const claimants = new Map<number, number>();
  for (const list of proposals.values()) {
    const mine = new Set<number>();
    for (const p of list) for (const i of p.candidate.expected) mine.add(i);
    for (const i of mine) claimants.set(i, (claimants.get(i) ?? 0) + 1);
  }
  return claimants;
}

function poolsFor(
  b: PreparedBank,
  own: PoolItem[],
  anonymous: boolean,
  nearForeign: () => PreparedExpected[],
  byParty: PartyIndex,
  dayFrom: number,
  dayTo: number,
  foreignOf: (rows: PreparedExpected[]) => PoolItem[],
): Pool[] {
  const pools: Pool[] = [];
  const affine = firstWhere(own, AFFINE_POOL_MAX, (p) => p.similarity > 0);
  // Each shares a word with the bank row (the word index found it): its names agree somewhat.
  const affineForeign = foreignOf(nearForeign());
  if (affine.length > 0) pools.push({ own: affine, foreign: affineForeign, redundant: false, crowded: true });
  // Settlements usually post days after their last entry: when the last days are crowded
  // (later settlements' entries), the nearest entries from a few days back get their own look.
  const earlier =
    affine.length === AFFINE_POOL_MAX
      ? firstWhere(own, AFFINE_POOL_MAX, (p) => p.similarity > 0 && b.day - p.row.day >= SETTLEMENT_LAG_DAYS)
      : [];
  if (earlier.length >= 2 && earlier[0] !== affine[0]) {
    pools.push({ own: earlier, foreign: affineForeign, redundant: false, crowded: true });
  }
  // Nothing of the bank row's own account shares its words: its entries may all lack an account.
  else if (affineForeign.length >= 2) {
    pools.push({
      own: affineForeign.slice(0, AFFINE_POOL_MAX),
      foreign: [],
      redundant: false,
      crowded: true,
    });
  }
  let inAffine: Set<number> | null = null;
  const isInAffine = (p: PoolItem): boolean => {
    if (inAffine === null) {
      inAffine = new Set<number>();
      for (const q of affine) inAffine.add(q.row.index);
      for (const q of affineForeign) inAffine.add(q.row.index);
    }
    return inAffine.has(p.row.index);
  };
  const byParty2 = new Map<string, PoolItem[]>();
  for (const p of own) {
    const key = p.row.counterpartyKey;
    if (key === null) continue;
    pushTo(byParty2, key, p);
  }
  for (const [party, list] of byParty2) {
    // The bank row names this party itself (not merely a word its entries share, such as a
    // processor's name on each of many customers' sales).
    const named = list.some((p) => sharesId(b.words, p.row.counterpartyWords));
    // An unnamed deposit is routinely several customer payments; an unnamed debit rarely
    // settles several bills.
    if (!named && !(anonymous && b.amount > 0)) continue;
    const foreign = foreignOf(byParty.lookup(party, dayFrom, dayTo));
    const partyOwn = list.slice(0, PARTY_POOL_MAX);
    if (partyOwn.length + foreign.length < 2) continue;
    const redundant = partyOwn.every(isInAffine) && foreign.every(isInAffine);
    pools.push({ own: partyOwn, foreign, redundant, crowded: false });
  }
  return pools;
}

/** The first `max` items `keep` accepts, in order (a filter that stops early). */
function firstWhere<T>(items: readonly T[], max: number, keep: (item: T) => boolean): T[] {
  const out: T[] = [];
  for (let i = 0; i < items.length && out.length < max; i++) if (keep(items[i]!)) out.push(items[i]!);
  return out;
}

/** Every acceptable exact sum for one bank row, best first. */
function proposalsOf(
  b: PreparedBank,
  pools: Pool[],
  search: SettlementLimits,
  vocabulary: Vocabulary,
): Proposal[] {
  const seen = new Set<string>();
  const candidates: Proposal[] = [];
  const independentPools = Math.max(1, pools.filter((p) => !p.redundant).length);
  for (const pool of pools) {
    const ownDays = pool.own.map((p) => p.row.day);
    const foreignDays = pool.foreign.map((p) => p.row.day);
    const solutions = searchSettlements(
      pool.own.map((p) => p.row.amount),
      pool.foreign.map((p) => p.row.amount),
      b.amount,
      {
        ...search,
        foreignPairsMax: FOREIGN_PAIRS_MAX,
        ...(pool.crowded && { foreignTogether: { days: foreignDays, daysMax: FOREIGN_TOGETHER_DAYS } }),
      },
    );
    for (const s of solutions) {
      // The coincidence check first: in a crowded pool most exact sums fail it, and it needs
      // only the days. Searching many pools is many chances of a coincidence: count them all.
      let dayFirst = Number.POSITIVE_INFINITY;
      let dayLast = Number.NEGATIVE_INFINITY;
      for (const k of s.own) {
        dayFirst = Math.min(dayFirst, ownDays[k]!);
        dayLast = Math.max(dayLast, ownDays[k]!);
      }
      for (const k of s.foreign) {
        dayFirst = Math.min(dayFirst, foreignDays[k]!);
        dayLast = Math.max(dayLast, foreignDays[k]!);
      }
      const chance =
        coincidenceExpectation(
          ownDays,
          s.own.length,
          foreignDays,
          s.foreign.length,
          dayFirst,
          dayLast,
          b.amount,
        ) * independentPools;
      if (chance > COINCIDENCE_MAX) continue;
      const items = [...s.own.map((k) => pool.own[k]!), ...s.foreign.map((k) => pool.foreign[k]!)];
      const key = items
        .map((p) => p.row.index)
        .sort((x, y) => x - y)
        .join(",");
      if (seen.has(key)) continue;
      seen.add(key);
      const candidate = scoreManyToOne(b, items, chance, vocabulary);
      if (candidate.score >= GROUP_ACCEPT_MIN) {
        candidates.push({ candidate, chance, tie: candidate.expected.join(",") });
      }
    }
  }
  return candidates.sort((x, y) => y.candidate.score - x.candidate.score || compareRows(x, y));
}

function compareRows(x: Proposal, y: Proposal): number {
  return x.tie < y.tie ? -1 : x.tie > y.tie ? 1 : 0;
}

/** A settlement comes after its entries: nearest before the bank date first, after it last. */
function nearestDays(b: PreparedBank): (day: number) => number {
  return (day) => {
    const lag = b.day - day;
    return lag >= 0 ? lag : 10 - 3 * lag;
  };
}

function nearestTo(b: PreparedBank) {
  const distance = nearestDays(b);
  return (x: PoolItem, y: PoolItem) => distance(x.row.day) - distance(y.row.day) || x.row.index - y.row.index;
}

function scoreManyToOne(
  b: PreparedBank,
  items: readonly PoolItem[],
  chance: number,
  vocabulary: Vocabulary,
): GroupCandidate {
  const n = items.length;
  let similarity = 0;
  let weak = 0;
  const parties = new Set<string | null>();
  let dayFirst = Number.POSITIVE_INFINITY;
  let dayLast = Number.NEGATIVE_INFINITY;
  for (const p of items) {
    dayFirst = Math.min(dayFirst, p.row.day);
    dayLast = Math.max(dayLast, p.row.day);
    similarity += Math.min(1, similarityOf(b, p, vocabulary) * 2);
    if (p.weak) weak++;
    parties.add(p.row.counterpartyKey);
  }
  const affinity = (25 * similarity) / n;
  // A settlement covers a period and follows its end: a tight span that ends shortly before
  // the bank date is likely; entries scattered over weeks that add up are likelier chance.
  const date = -SPAN_PENALTY_PER_DAY * (dayLast - dayFirst) - datePenalty(b.day - dayLast);
  const sameParty = parties.size === 1 && !parties.has(null) ? 12 : 0;
  const size = -(n - 2);
  const weakPenalty = -2 * weak;
  const coincidence = -coincidencePenalty(chance);
  const score = 50 + affinity + date + sameParty + size + weakPenalty + coincidence;
  const explain = (): MatchReason[] => {
    const reasons: MatchReason[] = [
      { feature: "amount", contribution: 50, detail: `${n} entries add up exactly to the bank amount` },
      {
        feature: "date",
        contribution: roundPoints(date),
        detail: "entries' span and the bank row's lag after the last",
      },
    ];
    if (affinity > 0)
      reasons.push({ feature: "description", contribution: roundPoints(affinity), detail: "names agree" });
    if (sameParty > 0)
      reasons.push({ feature: "counterparty", contribution: sameParty, detail: "one counterparty" });
    if (weakPenalty < 0) {
      reasons.push({
        feature: "account",
        contribution: weakPenalty,
        detail: `${weak} entries name no account`,
      });
    }
    if (coincidence !== 0) {
      reasons.push({
        feature: "group",
        contribution: roundPoints(coincidence),
        detail:
          coincidence < 0 ? "the sum could be a coincidence" : "the sum is unlikely to be a coincidence",
      });
    }
    reasons.push({ feature: "group", contribution: size, detail: `${n} entries in one bank row` });
    return reasons;
  };
  return { bank: [b.index], expected: items.map((p) => p.row.index), score, explain };
}
