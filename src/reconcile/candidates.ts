import { type LagModel, NO_STRETCH } from "./learned-lags.js";
import { pushTo } from "./multimap.js";
import { type PreparedBank, type PreparedExpected, sharesId, type Vocabulary } from "./prepare.js";
import { datePenalty, effectiveLag, firstDayFor, lastDayFor, SCORE_ACCEPT_MIN, scorePair } from "./score.js";
import { firstAtLeast } from "./sorted.js";

/** Where candidates may be looked for; all bounds in days or minor units. */
export interface CandidateLimits {
  readonly dateWindowBeforeDays: number;
  readonly dateWindowAfterDays: number;
  readonly amountToleranceMinor: number;
  /** Past this many rows in a block, only the most promising are scored. */
  readonly perEntryMax: number;
}

/** Candidate pairs as parallel arrays: one entry per (bank, expected) that may match. */
export interface CandidateEdges {
  readonly bank: number[];
  readonly expected: number[];
  readonly score: number[];
}

/**
 * Bank rows grouped by (currency, amount) and by (currency, account, amount), each group sorted
 * by day, so that a ledger entry finds its candidates with one lookup and two binary searches
 * instead of looking at every bank row (blocking).
 */
export class BankIndex {
  /** currency → amount → rows. (Nested maps with number keys: no key string per row.) */
  private readonly byAmount = new Map<string, Map<number, number[]>>();
  /** currency → account → amount → rows; NO_ACCOUNT for rows whose account is unknown. */
  private readonly byAccountAmount = new Map<string, Map<string, Map<number, number[]>>>();
  /** Distinct amounts per currency, ascending, for tolerance and range look-ups. */
  private readonly amounts = new Map<string, Float64Array>();
  private readonly blockWords = new Map<number[], Map<number, number[]>>();

  constructor(private readonly rows: readonly PreparedBank[]) {
    for (const b of rows) {
      pushTo(inner(this.byAmount, b.currency), b.amount, b.index);
      // Rows whose account is unknown stay candidates for entries that name an account.
      pushTo(inner(inner(this.byAccountAmount, b.currency), b.account ?? NO_ACCOUNT), b.amount, b.index);
    }
    const byDay = (x: number, y: number) => rows[x]!.day - rows[y]!.day || x - y;
    for (const [currency, blocks] of this.byAmount) {
      for (const list of blocks.values()) list.sort(byDay);
      this.amounts.set(currency, Float64Array.from(blocks.keys()).sort());
    }
    for (const accounts of this.byAccountAmount.values()) {
      for (const blocks of accounts.values()) for (const list of blocks.values()) list.sort(byDay);
    }
  }

  /**
   * Appends to `out` the bank rows of one amount (and account, when given) posted within
   * [dayFrom, dayTo] that `keep` accepts. (Plain loops: this runs once per ledger entry.)
   *
   * Without an account the block is every account's rows of that amount, which grows with the
   * feed (a popular subscription price across thousands of accounts). A crowded block is read
   * through the rows posted first from `postedFrom` on and the rows sharing one of `words`: in a
   * crowd, a row that names nothing of the entry and posted late cannot be told from its
   * neighbours anyway.
   */
  collect(
    currency: string,
    account: string | null,
    amount: number,
    dayFrom: number,
    dayTo: number,
    keep: (i: number) => boolean,
    out: number[],
    words: readonly number[] = [],
    postedFrom = dayFrom,
  ): void {
    if (account === null) {
      const list = this.byAmount.get(currency)?.get(amount);
      if (list === undefined) return;
      const lo = this.firstOnOrAfter(list, dayFrom);
      const hi = this.firstOnOrAfter(list, dayTo + 1);
      if (hi - lo <= CROWDED_BLOCK_ROWS) {
        this.inDays(list, dayFrom, dayTo, keep, out);
        return;
      }
      // The rows posted first after the entry's day (where a payment usually lands, named or
      // not), then those naming the entry anywhere in the window.
      const start = out.length;
      this.inDays(list, Math.max(dayFrom, postedFrom), dayTo, keep, out, CROWDED_BLOCK_ROWS);
      const byWord = this.wordsOf(list);
      for (const w of words) {
        const rows = byWord.get(w);
        if (rows === undefined) continue;
        const before = out.length;
        this.inDays(rows, dayFrom, dayTo, keep, out, CROWDED_BLOCK_ROWS);
        // A row already found is kept once.
        for (let k = out.length - 1; k >= before; k--) {
          if (out.indexOf(out[k]!, start) < before) out.splice(k, 1);
        }
      }
      return;
    }
    const accounts = this.byAccountAmount.get(currency);
    this.inDays(accounts?.get(account)?.get(amount), dayFrom, dayTo, keep, out);
    this.inDays(accounts?.get(NO_ACCOUNT)?.get(amount), dayFrom, dayTo, keep, out);
  }

  /** A crowded block's rows by word, built on first use (most blocks are never crowded). */
  private wordsOf(list: number[]): Map<number, number[]> {
    let byWord = this.blockWords.get(list);
    if (byWord !== undefined) return byWord;
    byWord = new Map();
    for (const index of list) {
      for (const w of this.rows[index]!.words) {
        const rows = byWord.get(w);
        if (rows === undefined) byWord.set(w, [index]);
        else rows.push(index);
      }
    }
    this.blockWords.set(list, byWord);
    return byWord;
  }

  /** The first of `list` (positions of rows, sorted by day) dated `day` or later. */
  private firstOnOrAfter(list: readonly number[], day: number): number {
    const rows = this.rows;
    return firstAtLeast(list.length, (k) => rows[list[k]!]!.day, day);
  }

  private inDays(
    list: readonly number[] | undefined,
    dayFrom: number,
    dayTo: number,
    keep: (i: number) => boolean,
    out: number[],
    max = Number.POSITIVE_INFINITY,
  ): void {
    if (list === undefined) return;
    const rows = this.rows;
    let taken = 0;
    for (let i = this.firstOnOrAfter(list, dayFrom); i < list.length && taken < max; i++) {
      const index = list[i]!;
      if (rows[index]!.day > dayTo) return;
      if (keep(index)) {
        out.push(index);
        taken++;
      }
    }
  }

  /** Distinct bank amounts of a currency within [min, max], ascending. */
  *amountsBetween(currency: string, min: number, max: number) {
    const sorted = this.amounts.get(currency);
    if (sorted === undefined) return;
    for (
      let i = firstAtLeast(sorted.length, (k) => sorted[k]!, min);
      i < sorted.length && sorted[i]! <= max;
      i++
    )
      yield sorted[i]!;
  }
}

const NO_ACCOUNT = "\u0000";
/** Past this many rows of one amount in an entry's window, a block counts as crowded. */
const CROWDED_BLOCK_ROWS = 32;

/** The map under `key`, made empty on first use. */
function inner<K, V>(map: Map<string, Map<K, V>>, key: string): Map<K, V> {
  let found = map.get(key);
  if (found === undefined) map.set(key, (found = new Map()));
  return found;
}

/** A quick estimate used only to choose which rows of a crowded block get a full score. */
function quickScore(bank: PreparedBank, expected: PreparedExpected): number {
  let s = -datePenalty(effectiveLag(bank, expected));
  if (sharesId(bank.words, expected.words)) s += 15;
  if (expected.reference >= 0 && sharesId(bank.codes, expected.codes)) s += 40;
  if (bank.account !== null && bank.account === expected.account) s += 4;
  return s;
}

/**
 * Every (bank, expected) pair worth considering for a one-to-one match: same currency, the
 * amount within tolerance (or within the entry's own bounds), the same account when both know
 * it, and the bank day inside the window. Pairs that score below the acceptance floor are
 * dropped here, so the assignment only sees real options.
 */
export function oneToOneCandidates(
  bank: readonly PreparedBank[],
  expected: readonly PreparedExpected[],
  index: BankIndex,
  vocabulary: Vocabulary,
  limits: CandidateLimits,
  isOpenBank: (i: number) => boolean = () => true,
  lags: LagModel = NO_STRETCH,
): CandidateEdges {
  const edges: CandidateEdges = { bank: [], expected: [], score: [] };
  const found: number[] = [];
  for (const e of expected) {
    found.length = 0;
    const dayFrom = firstDayFor(e, limits);
    const dayTo = lastDayFor(e, limits);
    const tolerance = limits.amountToleranceMinor;
    let min = e.amountMin - tolerance;
    let max = e.amountMax + tolerance;
    // Never cross zero: money in is not matched to money out.
    if (e.amount > 0) min = Math.max(min, 1);
    else if (e.amount < 0) max = Math.min(max, -1);
    const single = min === max;
    const amounts = single ? [min] : index.amountsBetween(e.currency, min, max);
    for (const amount of amounts) {
      index.collect(e.currency, e.account, amount, dayFrom, dayTo, isOpenBank, found, e.words, e.day - 1);
    }
    if (found.length > limits.perEntryMax) keepMostPromising(found, bank, e, limits.perEntryMax);
    for (const i of found) {
      const b = bank[i]!;
      let score = scorePair(b, e, vocabulary, undefined, lags);
      if (b.amount !== e.amount) score -= amountOffPenalty(b.amount, e);
      if (score >= SCORE_ACCEPT_MIN) {
        edges.bank.push(i);
        edges.expected.push(e.index);
        edges.score.push(score);
      }
    }
  }
  return edges;
}

/** Inside tolerance or the entry's bounds a difference is allowed, but exact is better. */
export function amountOffPenalty(bankAmount: number, e: PreparedExpected): number {
  if (bankAmount >= e.amountMin && bankAmount <= e.amountMax) return e.amountMin === e.amountMax ? 0 : 1;
  return 3;
}

function keepMostPromising(found: number[], bank: readonly PreparedBank[], e: PreparedExpected, max: number) {
  const scored = found.map((i) => ({ i, s: quickScore(bank[i]!, e) }));
  scored.sort((x, y) => y.s - x.s || x.i - y.i);
  found.length = 0;
  for (let k = 0; k < max; k++) found.push(scored[k]!.i);
}
