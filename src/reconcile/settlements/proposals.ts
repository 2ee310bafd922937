import {
  ascendingDays,
  COINCIDENCE_MAX,
  coincidenceExpectation,
  coincidencePenalty,
  GROUP_ACCEPT_MIN,
  type GroupCandidate,
  type GroupLimits,
} from "../group-choice.js";
import { Marks } from "../marks.js";
import { DayIndex, PartyIndex, WordIndex } from "../pools.js";
import { type SettlementBank, type SettlementEntry, sharesId, type WordWeights } from "../prepare.js";
import { datePenalty, roundPoints, textSimilarity } from "../score.js";
import { sortByRank, sortSmall } from "../small-sort.js";
import { firstAtLeast } from "../sorted.js";
import type { MatchReason } from "../types.js";
import { type SettlementLimits, searchSettlements } from "./search.js";

/**
 * What one bank row could settle: its pools of open ledger entries and every acceptable exact
 * sum among them, scored, best first (see many-to-one.ts for how these are decided).
 *
 * Pools are the open entries that plausibly belong to this bank row: those sharing words with
 * it, and each counterparty's entries (for a deposit that names nobody, only money in). Every
 * exact sum is weighed by how likely a coincidence it is, given how deep into how many pools
 * the search had to go.
 *
 * It reads only the slim row shapes (SettlementBank, SettlementEntry) and the word weights, so
 * that a worker thread can propose for part of the bank rows from a copy of just those.
 */
export interface ManyToOneSettings extends GroupLimits {
  /** The ledger mostly names no account: entries without one belong to every account. */
  readonly accountlessAreOwn: boolean;
  /** Days this business's deposits run later than usual (learned-lags.ts): the window grows by them. */
  readonly lagExtraDays?: number;
}

interface PoolItem {
  readonly row: SettlementEntry;
  /**
   * How well the names agree (textSimilarity), or NaN until asked: a foreign pool holds up to
   * a hundred entries, and only those in an exact sum are ever scored.
   */
  similarity: number;
  readonly weak: boolean;
}

function similarityOf(b: SettlementBank, p: PoolItem, vocabulary: WordWeights): number {
  if (Number.isNaN(p.similarity)) p.similarity = textSimilarity(b, p.row, vocabulary);
  return p.similarity;
}

interface Pool {
  readonly own: PoolItem[];
  /** Entries naming no account; made PoolItems only when in an exact sum (see WeakItems). */
  readonly foreign: SettlementEntry[];
  /** Its entries are all in another pool searched too: it adds no new chance of coincidence. */
  readonly redundant: boolean;
  /** Built from words shared with the bank row: possibly crowded, so foreign pairs must be near. */
  readonly crowded: boolean;
}

export interface Proposal {
  readonly candidate: GroupCandidate;
  readonly chance: number;
  /** The entries as text, to break score ties the same way every run. */
  readonly tie: string;
  /** The entries in the candidate's order, and whether each came from a foreign pool. */
  readonly items: readonly PoolItem[];
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

/**
 * Proposals for bank rows over one set of open entries. The caller closes entries with
 * `take` as settlements are accepted.
 */
export class SettlementProposer {
  private readonly taken: Uint8Array;
  private readonly byDay: DayIndex<SettlementEntry>;
  private readonly byWord: WordIndex;
  private readonly byParty: PartyIndex;
  private readonly parties: PartyGroups;
  /** The entries of a bank row's affine pools, to tell a redundant party pool. */
  private readonly affineMarks: Marks;
  private readonly answersLedger = new Set<number>();
  private readonly windowDays: number;
  private readonly search: SettlementLimits;
  /**
   * Each counterparty's foreign pool for the bank rows of one day and currency: it depends on
   * nothing else while no entry is taken, and rows come in day order, so each of a day's rows
   * naming a busy party no longer filters and sorts the party's entries again.
   */
  private readonly partyForeign = new Map<string, SettlementEntry[]>();
  private partyForeignDay = Number.NaN;
  private partyForeignCurrency = "";

  constructor(
    expected: readonly SettlementEntry[],
    expectedTotal: number,
    private readonly vocabulary: WordWeights,
    private readonly settings: ManyToOneSettings,
  ) {
    this.byDay = new DayIndex(expected);
    this.byWord = new WordIndex(expected);
    this.byParty = new PartyIndex(expected);
    this.parties = new PartyGroups(expected);
    this.affineMarks = new Marks(expectedTotal);
    for (const e of expected) for (const w of e.words) this.answersLedger.add(w);
    this.taken = new Uint8Array(expectedTotal);
    this.windowDays = Math.min(
      settings.dateWindowAfterDays,
      SETTLEMENT_WINDOW_DAYS_MAX + (settings.lagExtraDays ?? 0),
    );
    this.search = { ...SEARCH, sizeMax: settings.sizeMax, foreignMax: settings.accountlessAreOwn ? 0 : 3 };
  }

  /** Closes an entry: no later proposal includes it. */
  take(expectedIndex: number): void {
    this.taken[expectedIndex] = 1;
    this.partyForeign.clear();
  }

  isTaken(expectedIndex: number): boolean {
    return this.taken[expectedIndex] === 1;
  }

  /** Every acceptable exact sum of open entries for `b`, best first. */
  propose(b: SettlementBank): Proposal[] {
    const { settings, taken, vocabulary, byWord } = this;
    const dayFrom = b.day - this.windowDays;
    const dayTo = b.day + settings.dateWindowBeforeDays;
    const isOpen = (e: SettlementEntry) => e.currency === b.currency && taken[e.index] === 0;
    const own: PoolItem[] = [];
    const accounts = settings.accountlessAreOwn && b.account !== null ? [b.account, null] : [b.account];
    for (const account of accounts) {
      this.byDay.forEachInWindow(account, dayFrom, dayTo, (e) => {
        if (isOpen(e)) own.push({ row: e, similarity: textSimilarity(b, e, vocabulary), weak: false });
      });
    }
    const distance = nearestDays(b);
    sortByRank(
      own,
      (p) => distance(p.row.day),
      (p) => p.row.index,
    );
    // Entries naming no account form foreign pools only when the ledger mostly names accounts
    // (else they count as every account's own) and the bank row knows its account.
    const noForeign = settings.accountlessAreOwn || b.account === null;
    const foreignOf = (rows: SettlementEntry[]): SettlementEntry[] => {
      if (noForeign) return [];
      const open = rows.filter(isOpen);
      // Nearest first by date alone, so only the kept entries are compared by name.
      sortByRank(open, (e) => distance(e.day), entryIndex);
      if (open.length > FOREIGN_POOL_MAX) open.length = FOREIGN_POOL_MAX;
      return open;
    };
    if (b.day !== this.partyForeignDay || b.currency !== this.partyForeignCurrency) {
      this.partyForeign.clear();
      this.partyForeignDay = b.day;
      this.partyForeignCurrency = b.currency;
    }
    const foreignOfParty = (party: string): SettlementEntry[] => {
      if (noForeign) return [];
      let found = this.partyForeign.get(party);
      if (found === undefined) {
        found = foreignOf(this.byParty.lookup(party, dayFrom, dayTo));
        this.partyForeign.set(party, found);
      }
      return found;
    };
    const nearForeign = () =>
      noForeign ? [] : byWord.near(b.words, b.day, dayFrom, dayTo, FOREIGN_POOL_MAX, isOpen);
    const anonymous = !b.words.some((w) => this.answersLedger.has(w));
    const weak = new WeakItems();
    const pools = poolsFor(
      b,
      own,
      anonymous,
      () => foreignOf(nearForeign()),
      foreignOfParty,
      this.parties,
      this.affineMarks,
      weak,
    );
    // The pool picked by shared words keeps the nearest few; every open entry sharing them is
    // a possible rival sum, and how likely a sum is to be chance depends on all of them.
    // Sorted only when a sampled pool has an exact sum: most bank rows have none, and a ledger
    // naming no accounts makes this every entry of the window.
    let population: Float64Array | null = null;
    const populationDays = () =>
      (population ??= ascendingDays(own.filter((p) => p.similarity > 0).map((p) => p.row.day)));
    return proposalsOf(b, pools, this.search, vocabulary, weak, populationDays, populationSize(own));
  }
}

/**
 * Proposals as numbers, to pass between threads: per bank row its index and proposal count,
 * then per proposal its chance, its size and each entry's index and foreign flag.
 */
export function encodeProposals(rows: readonly { bank: number; list: readonly Proposal[] }[]): Float64Array {
  let length = 0;
  for (const { list } of rows) {
    length += 2;
    for (const p of list) length += 2 + 2 * p.items.length;
  }
  const out = new Float64Array(length);
  let at = 0;
  for (const { bank, list } of rows) {
    out[at++] = bank;
    out[at++] = list.length;
    for (const p of list) {
      out[at++] = p.chance;
      out[at++] = p.items.length;
      for (const item of p.items) {
        out[at++] = item.row.index;
        out[at++] = item.weak ? 1 : 0;
      }
    }
  }
  return out;
}

/**
 * The proposals `encodeProposals` wrote, scored again here: the same entries and chance give
 * the same candidate, so a row proposed in a worker is indistinguishable from one proposed here.
 */
export function decodeProposals(
  encoded: Float64Array,
  bank: (index: number) => SettlementBank,
  expected: (index: number) => SettlementEntry,
  vocabulary: WordWeights,
): Map<number, Proposal[]> {
  const out = new Map<number, Proposal[]>();
  let at = 0;
  while (at < encoded.length) {
    const b = bank(encoded[at++]!);
    const count = encoded[at++]!;
    const list: Proposal[] = [];
    for (let p = 0; p < count; p++) {
      const chance = encoded[at++]!;
      const size = encoded[at++]!;
      const items: PoolItem[] = [];
      for (let i = 0; i < size; i++) {
        const row = expected(encoded[at++]!);
        const weak = encoded[at++] === 1;
        items.push({ row, similarity: Number.NaN, weak });
      }
      list.push(proposalFrom(b, items, chance, vocabulary));
    }
    out.set(b.index, list);
  }
  return out;
}

function proposalFrom(
  b: SettlementBank,
  items: PoolItem[],
  chance: number,
  vocabulary: WordWeights,
): Proposal {
  const candidate = scoreManyToOne(b, items, chance, vocabulary);
  return { candidate, chance, tie: candidate.expected.join(","), items };
}

/**
 * Pool items for entries naming no account, made on first use: a bank row's foreign pools
 * hold up to a hundred entries each, and only the few in an exact sum need an item (most bank
 * rows have none), so making them all was most of the search's garbage.
 */
/**
 * Pool items grouped by counterparty, with per-party marks in typed arrays instead of a Map of
 * lists per bank row: most parties of a pool are not wanted, and are asked about only once.
 */
class PartyGroups {
  private readonly ids = new Map<string, number>();
  /** Parties met in the current grouping, and each one's group there (-1: not wanted). */
  private readonly met: Marks;
  private readonly slot: Int32Array;

  constructor(entries: readonly SettlementEntry[]) {
    for (const e of entries) {
      if (e.counterpartyKey !== null && !this.ids.has(e.counterpartyKey))
        this.ids.set(e.counterpartyKey, this.ids.size);
    }
    this.met = new Marks(this.ids.size);
    this.slot = new Int32Array(this.ids.size);
  }

  /**
   * The items of each counterparty `wanted` accepts (asked with the party's first item: a
   * party's entries share its words), at most `max` each, parties in order of first item.
   */
  group(
    items: readonly PoolItem[],
    wanted: (first: SettlementEntry) => boolean,
    max: number,
  ): { party: string; items: PoolItem[] }[] {
    this.met.clear();
    const groups: { party: string; items: PoolItem[] }[] = [];
    for (const item of items) {
      const party = item.row.counterpartyKey;
      if (party === null) continue;
      const id = this.ids.get(party)!;
      if (!this.met.has(id)) {
        this.met.mark(id);
        this.slot[id] = wanted(item.row) ? groups.length : -1;
        if (this.slot[id] >= 0) groups.push({ party, items: [] });
      }
      const group = this.slot[id]!;
      if (group >= 0 && groups[group]!.items.length < max) groups[group]!.items.push(item);
    }
    return groups;
  }
}

class WeakItems {
  private items: Map<number, PoolItem> | null = null;
  of(e: SettlementEntry): PoolItem {
    this.items ??= new Map();
    let item = this.items.get(e.index);
    if (item === undefined) {
      item = { row: e, similarity: Number.NaN, weak: true };
      this.items.set(e.index, item);
    }
    return item;
  }
}

function poolsFor(
  b: SettlementBank,
  own: PoolItem[],
  anonymous: boolean,
  nearForeign: () => SettlementEntry[],
  foreignOfParty: (party: string) => SettlementEntry[],
  parties: PartyGroups,
  affineMarks: Marks,
  weak: WeakItems,
): Pool[] {
  const pools: Pool[] = [];
  const affine = firstWhere(own, AFFINE_POOL_MAX, (p) => p.similarity > 0);
  // Each shares a word with the bank row (the word index found it): its names agree somewhat.
  const affineForeign = nearForeign();
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
      own: affineForeign.slice(0, AFFINE_POOL_MAX).map((e) => weak.of(e)),
      foreign: [],
      redundant: false,
      crowded: true,
    });
  }
  let marked = false;
  const isInAffine = (e: SettlementEntry): boolean => {
    if (!marked) {
      affineMarks.clear();
      for (const q of affine) affineMarks.mark(q.row.index);
      for (const e of affineForeign) affineMarks.mark(e.index);
      marked = true;
    }
    return affineMarks.has(e.index);
  };
  // The bank row names a party itself (not merely a word its entries share, such as a
  // processor's name on each of many customers' sales). An unnamed deposit is routinely
  // several customer payments; an unnamed debit rarely settles several bills.
  const payments = anonymous && b.amount > 0;
  const wanted = (e: SettlementEntry) => payments || sharesId(b.words, e.counterpartyWords);
  for (const { party, items: partyOwn } of parties.group(own, wanted, PARTY_POOL_MAX)) {
    const foreign = foreignOfParty(party);
    if (partyOwn.length + foreign.length < 2) continue;
    const redundant = partyOwn.every((p) => isInAffine(p.row)) && foreign.every(isInAffine);
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
  b: SettlementBank,
  pools: Pool[],
  search: SettlementLimits,
  vocabulary: WordWeights,
  weak: WeakItems,
  populationDays: () => Float64Array,
  populationCount: number,
): Proposal[] {
  const seen = new Set<string>();
  const candidates: Proposal[] = [];
  const independentPools = Math.max(1, pools.filter((p) => !p.redundant).length);
  for (const pool of pools) {
    const ownDays = pool.own.map((p) => p.row.day);
    const foreignDays = pool.foreign.map((e) => e.day);
    const solutions = searchSettlements(
      pool.own.map((p) => p.row.amount),
      pool.foreign.map((e) => e.amount),
      b.amount,
      {
        ...search,
        foreignPairsMax: FOREIGN_PAIRS_MAX,
        ...(pool.crowded && { foreignTogether: { days: foreignDays, daysMax: FOREIGN_TOGETHER_DAYS } }),
      },
    );
    // Sorted once per pool for the coincidence count, and only for a pool with a sum.
    // A word-picked pool cut short samples the population: its rivals are the population's
    // sums at least as near the bank date (an older set would have lost on its dates anyway).
    const sampled = pool.crowded && populationCount > ownDays.length;
    const ownAscending = solutions.length === 0 || sampled ? NO_DAYS : ascendingDays(ownDays);
    const foreignAscending = solutions.length > 0 ? ascendingDays(foreignDays) : NO_DAYS;
    for (let at = 0; at < solutions.length; at++) {
      const s = solutions[at]!;
      // The coincidence check first: in a crowded pool most exact sums fail it, and it needs
      // only the days. Searching many pools is many chances of a coincidence: count them all.
      let dayFirst = Number.POSITIVE_INFINITY;
      let dayLast = Number.NEGATIVE_INFINITY;
      // Indexed loops: this runs per exact sum, and for-of here allocated iterator results.
      for (let i = 0; i < s.own.length; i++) {
        dayFirst = Math.min(dayFirst, ownDays[s.own[i]!]!);
        dayLast = Math.max(dayLast, ownDays[s.own[i]!]!);
      }
      for (let i = 0; i < s.foreign.length; i++) {
        dayFirst = Math.min(dayFirst, foreignDays[s.foreign[i]!]!);
        dayLast = Math.max(dayLast, foreignDays[s.foreign[i]!]!);
      }
      const chance =
        coincidenceExpectation(
          sampled ? daysBetween(populationDays(), dayFirst, Math.max(dayLast, b.day)) : ownAscending,
          s.own.length,
          foreignAscending,
          s.foreign.length,
          dayFirst,
          dayLast,
          b.amount,
        ) * independentPools;
      if (chance > COINCIDENCE_MAX) continue;
      const items: PoolItem[] = [];
      for (let i = 0; i < s.own.length; i++) items.push(pool.own[s.own[i]!]!);
      for (let i = 0; i < s.foreign.length; i++) items.push(weak.of(pool.foreign[s.foreign[i]!]!));
      const key = sortSmall(
        items.map((p) => p.row.index),
        (x, y) => x - y,
      ).join(",");
      if (seen.has(key)) continue;
      seen.add(key);
      const proposal = proposalFrom(b, items, chance, vocabulary);
      if (proposal.candidate.score >= GROUP_ACCEPT_MIN) candidates.push(proposal);
    }
  }
  return sortSmall(candidates, (x, y) => y.candidate.score - x.candidate.score || compareRows(x, y));
}

const NO_DAYS = new Float64Array(0);

/** How many of the items share a word with the bank row (the population a crowded pool samples). */
function populationSize(own: readonly PoolItem[]): number {
  let n = 0;
  for (let i = 0; i < own.length; i++) if (own[i]!.similarity > 0) n++;
  return n;
}

/** The ascending days within [from, to], as a view. */
function daysBetween(days: Float64Array, from: number, to: number): Float64Array {
  const dayAt = (k: number) => days[k]!;
  return days.subarray(firstAtLeast(days.length, dayAt, from), firstAtLeast(days.length, dayAt, to + 1));
}

function compareRows(x: Proposal, y: Proposal): number {
  return x.tie < y.tie ? -1 : x.tie > y.tie ? 1 : 0;
}

/** A settlement comes after its entries: nearest before the bank date first, after it last. */
function nearestDays(b: SettlementBank): (day: number) => number {
  return (day) => {
    const lag = b.day - day;
    return lag >= 0 ? lag : 10 - 3 * lag;
  };
}

const entryIndex = (e: SettlementEntry) => e.index;

function scoreManyToOne(
  b: SettlementBank,
  items: readonly PoolItem[],
  chance: number,
  vocabulary: WordWeights,
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
