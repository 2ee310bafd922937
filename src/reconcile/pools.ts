import type { PreparedBank, PreparedExpected } from "./prepare.js";

/** Position of the first row dated after `day` in a list sorted by day (binary search). */
export function firstDayAfter(list: readonly { readonly day: number }[], day: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid]!.day <= day) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Rows of one side, by account (null: unknown) and then by day, for window look-ups. */
export class DayIndex<
  T extends { readonly day: number; readonly account: string | null; readonly index: number },
> {
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
    const lo = firstDayAfter(list, dayFrom - 1);
    for (let i = lo; i < list.length && list[i]!.day <= dayTo; i++) yield list[i]!;
  }
}

/**
 * Ledger entries with an unknown account, by word, each list sorted by day, so that a bank row
 * finds the nearest entries sharing one of its words without looking at the rest: a common
 * word (a processor's name) can have thousands of entries in a year.
 */
export class WordIndex {
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
    for (const list of this.byWord.values()) list.sort((a, b) => a.day - b.day || a.index - b.index);
  }

  /**
   * Entries sharing a word, dated in [dayFrom, dayTo], that `keep` accepts: per word, up to
   * `perWordMax` dated on or before `day` (nearest first) and all those after it.
   */
  near(
    words: readonly number[],
    day: number,
    dayFrom: number,
    dayTo: number,
    perWordMax: number,
    keep: (e: PreparedExpected) => boolean,
  ): PreparedExpected[] {
    const out = new Set<PreparedExpected>();
    for (const w of words) {
      const list = this.byWord.get(w);
      if (list === undefined) continue;
      const lo = firstDayAfter(list, day);
      let taken = 0;
      for (let i = lo - 1; i >= 0 && list[i]!.day >= dayFrom && taken < perWordMax; i--) {
        if (keep(list[i]!)) {
          out.add(list[i]!);
          taken++;
        }
      }
      for (let i = lo; i < list.length && list[i]!.day <= dayTo; i++) if (keep(list[i]!)) out.add(list[i]!);
    }
    return [...out];
  }
}

/** Open ledger entries with an unknown account, by counterparty. */
export class PartyIndex {
  private readonly byParty = new Map<string, PreparedExpected[]>();
  constructor(rows: Iterable<PreparedExpected>) {
    for (const r of rows) {
      if (r.account !== null || r.counterpartyKey === null) continue;
      const list = this.byParty.get(r.counterpartyKey);
      if (list === undefined) this.byParty.set(r.counterpartyKey, [r]);
      else list.push(r);
    }
  }
  lookup(party: string, dayFrom: number, dayTo: number): PreparedExpected[] {
    return (this.byParty.get(party) ?? []).filter((r) => r.day >= dayFrom && r.day <= dayTo);
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
        const list = this.byWord.get(w);
        if (list === undefined) this.byWord.set(w, [r]);
        else list.push(r);
      }
    }
    for (const list of this.byWord.values()) list.sort((a, b) => a.day - b.day || a.index - b.index);
  }

  /** Accounts with a row dated in [dayFrom, dayTo] sharing one of `words`. */
  accountsNaming(words: readonly number[], dayFrom: number, dayTo: number): Set<string | null> {
    const accounts = new Set<string | null>();
    for (const w of words) {
      const list = this.byWord.get(w);
      if (list === undefined) continue;
      const lo = firstDayAfter(list, dayFrom - 1);
      for (let i = lo; i < list.length && list[i]!.day <= dayTo; i++) accounts.add(list[i]!.account);
    }
    return accounts;
  }
}
