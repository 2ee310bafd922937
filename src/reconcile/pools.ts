import { Marks } from "./marks.js";
import { pushTo } from "./multimap.js";
import type { PreparedBank, SettlementEntry } from "./prepare.js";
import { firstAbove } from "./sorted.js";

/** Rows of one side, by account (null: unknown) and then by day, for window look-ups. */
export class DayIndex<
  T extends { readonly day: number; readonly account: string | null; readonly index: number },
> {
  private readonly byAccount = new Map<string | null, T[]>();
  constructor(rows: Iterable<T>) {
    for (const r of rows) {
      pushTo(this.byAccount, r.account, r);
    }
    for (const list of this.byAccount.values()) list.sort((a, b) => a.day - b.day || a.index - b.index);
  }
  /**
   * Calls `visit` with the account's rows dated in [dayFrom, dayTo], in day order. A callback,
   * not a generator: this runs once per open row of the other side, and a generator allocates
   * a result object per row visited.
   */
  forEachInWindow(account: string | null, dayFrom: number, dayTo: number, visit: (row: T) => void): void {
    const list = this.byAccount.get(account);
    if (list === undefined) return;
    const from = firstAbove(list.length, (k) => list[k]!.day, dayFrom - 1);
    for (let i = from; i < list.length && list[i]!.day <= dayTo; i++) visit(list[i]!);
  }

  /** The account's rows dated in [dayFrom, dayTo], in day order, as a new array (for loops that stop early). */
  inWindow(account: string | null, dayFrom: number, dayTo: number): T[] {
    const out: T[] = [];
    this.forEachInWindow(account, dayFrom, dayTo, (row) => out.push(row));
    return out;
  }
}

/**
 * Ledger entries with an unknown account, by word, each list sorted by day, so that a bank row
 * finds the nearest entries sharing one of its words without looking at the rest: a common
 * word (a processor's name) can have thousands of entries in a year.
 */
export class WordIndex {
  private readonly byWord = new Map<number, SettlementEntry[]>();
  /** Entries already in the current look-up's answer. */
  private readonly seen: Marks;
  constructor(rows: Iterable<SettlementEntry>) {
    let indexMax = -1;
    for (const r of rows) {
      if (r.account !== null) continue;
      indexMax = Math.max(indexMax, r.index);
      for (const w of r.words) {
        pushTo(this.byWord, w, r);
      }
    }
    for (const list of this.byWord.values()) list.sort((a, b) => a.day - b.day || a.index - b.index);
    this.seen = new Marks(indexMax + 1);
  }

  /**
   * Entries sharing a word, dated in [dayFrom, dayTo], that `keep` accepts: per word, up to
   * `perWordMax` dated on or before `day` (nearest first) and up to `perWordMax` after it.
   * Each word's scan is bounded too, so a word on thousands of entries a day (a processor's
   * name across many businesses) costs the same at a million rows as at ten thousand.
   */
  near(
    words: readonly number[],
    day: number,
    dayFrom: number,
    dayTo: number,
    perWordMax: number,
    keep: (e: SettlementEntry) => boolean,
  ): SettlementEntry[] {
    const out: SettlementEntry[] = [];
    const seen = this.seen;
    seen.clear();
    const add = (e: SettlementEntry) => {
      if (seen.has(e.index)) return;
      seen.mark(e.index);
      out.push(e);
    };
    const scanMax = perWordMax * SCAN_FACTOR;
    for (const w of words) {
      const list = this.byWord.get(w);
      if (list === undefined) continue;
      const lo = firstAbove(list.length, (k) => list[k]!.day, day);
      let taken = 0;
      let scanned = 0;
      for (
        let i = lo - 1;
        i >= 0 && list[i]!.day >= dayFrom && taken < perWordMax && scanned < scanMax;
        i--
      ) {
        scanned++;
        if (keep(list[i]!)) {
          add(list[i]!);
          taken++;
        }
      }
      taken = 0;
      scanned = 0;
      for (
        let i = lo;
        i < list.length && list[i]!.day <= dayTo && taken < perWordMax && scanned < scanMax;
        i++
      ) {
        scanned++;
        if (keep(list[i]!)) {
          add(list[i]!);
          taken++;
        }
      }
    }
    return out;
  }
}

/** A scan passes over at most this many times the rows it may keep (the rest are taken). */
const SCAN_FACTOR = 2;

/** Ledger entries with an unknown account, by counterparty, each list sorted by day. */
export class PartyIndex {
  private readonly byParty = new Map<string, SettlementEntry[]>();
  constructor(rows: Iterable<SettlementEntry>) {
    for (const r of rows) {
      if (r.account !== null || r.counterpartyKey === null) continue;
      pushTo(this.byParty, r.counterpartyKey, r);
    }
    for (const list of this.byParty.values()) list.sort((a, b) => a.day - b.day || a.index - b.index);
  }
  lookup(party: string, dayFrom: number, dayTo: number): SettlementEntry[] {
    const list = this.byParty.get(party);
    if (list === undefined) return [];
    const from = firstAbove(list.length, (k) => list[k]!.day, dayFrom - 1);
    return list.slice(
      from,
      firstAbove(list.length, (k) => list[k]!.day, dayTo),
    );
  }
}

/**
 * Open bank rows by word, each list sorted by day: which accounts have a row naming an entry's
 * party in a window, without visiting every account (a million-row feed has thousands).
 */
export class BankWordIndex {
  private readonly byWord = new Map<number, PreparedBank[]>();
  constructor(rows: Iterable<PreparedBank>) {
    for (const r of rows) {
      for (const w of r.words) {
        pushTo(this.byWord, w, r);
      }
    }
    for (const list of this.byWord.values()) list.sort((a, b) => a.day - b.day || a.index - b.index);
  }

  /**
   * Accounts with a row dated in [dayFrom, dayTo] sharing one of `words`, best named first, at
   * most `accountsMax`. Words are tried rarest first (fewest rows in the window, counted by
   * binary search) and a word on more than `rowsPerWordMax` rows is skipped: it names a trade
   * or a processor, not a party, and reading its rows would grow with the whole feed.
   */
  accountsNaming(
    words: readonly number[],
    dayFrom: number,
    dayTo: number,
    rowsPerWordMax: number,
    accountsMax: number,
  ): (string | null)[] {
    const ranges: [list: PreparedBank[], from: number, to: number][] = [];
    for (const w of words) {
      const list = this.byWord.get(w);
      if (list === undefined) continue;
      const from = firstAbove(list.length, (k) => list[k]!.day, dayFrom - 1);
      const to = firstAbove(list.length, (k) => list[k]!.day, dayTo);
      if (to > from && to - from <= rowsPerWordMax) ranges.push([list, from, to]);
    }
    ranges.sort((x, y) => x[2] - x[1] - (y[2] - y[1]));
    // An account is as well named as its best row; a row names the party by the rarity of the
    // words it shares (a word on few rows in the window is a name, one on many a trade word).
    const rowScores = new Map<PreparedBank, number>();
    for (const [list, from, to] of ranges) {
      const weight = Math.log(1 + rowsPerWordMax / (to - from));
      for (let i = from; i < to; i++) rowScores.set(list[i]!, (rowScores.get(list[i]!) ?? 0) + weight);
    }
    const hits = new Map<string | null, number>();
    for (const [row, score] of rowScores) {
      if (score > (hits.get(row.account) ?? 0)) hits.set(row.account, score);
    }
    return [...hits]
      .sort((x, y) => y[1] - x[1] || compareAccounts(x[0], y[0]))
      .slice(0, accountsMax)
      .map(([account]) => account);
  }
}

function compareAccounts(x: string | null, y: string | null): number {
  if (x === y) return 0;
  if (x === null) return -1;
  if (y === null) return 1;
  return x < y ? -1 : 1;
}
