import { excerpt, InputError } from "../errors/index.js";
import { isIsoDate } from "../importers/calendar-date.js";
import { formatAmount, isCurrencyCode } from "../money/index.js";
import { isoToDay } from "../reconcile/days.js";

/**
 * Reconcile to a statement date: when the statement's closing balance and the books' balance at
 * that day differ, which uncleared items explain the difference? The smallest sets of open items
 * whose contributions add up to it exactly, found by a bounded subset-sum search over integer
 * minor units and ranked by how likely each set is. Pure: no clock, no I/O; the same input in any
 * order gives the same answer.
 */

/** Which records an open item belongs to. */
export type OpenItemSide = "bank" | "ledger";

/**
 * An uncleared item at the statement date: a bank row not yet matched to the books, or a ledger
 * entry not yet matched to the bank. Callers may pass richer objects (a description, a payee):
 * the explanation hands back the same objects.
 */
export interface OpenItem {
  /** Unique within its side. */
  readonly id: string;
  readonly side: OpenItemSide;
  /** The bank's posting date or the ledger's date, `YYYY-MM-DD`. */
  readonly date: string;
  /** Minor units, natural sign: > 0 is money into the account. */
  readonly amountMinor: number;
  readonly currency: string;
}

/** Every bound of the search; each has a default and a ceiling (`EXPLAIN_LIMITS`, `EXPLAIN_LIMIT_CEILINGS`). */
export interface ExplainLimits {
  /** The largest set of items tried. Default 6: more than six forgotten items is not a difference to explain, it is a period to reconcile. */
  readonly setItemsMax: number;
  /**
   * How many open items are searched; beyond it the likeliest are kept (nearest the statement
   * date). Default 1,000; ceiling 2,000, which bounds the pair table of sets of four or more
   * (two million pairs, about 64 MB).
   */
  readonly poolItemsMax: number;
  /** The work: sets summed plus table entries built and visited. Default 5,000,000 (a few tenths of a second). */
  readonly combinationsMax: number;
  /** Candidates returned, likeliest first. Default 5. */
  readonly candidatesMax: number;
  /** Sets of the smallest size collected before ranking; past it the search stops. Default 1,000. */
  readonly candidatesCollectedMax: number;
}

export const EXPLAIN_LIMITS: ExplainLimits = Object.freeze({
  setItemsMax: 6,
  poolItemsMax: 1_000,
  combinationsMax: 5_000_000,
  candidatesMax: 5,
  candidatesCollectedMax: 1_000,
});

/** What a caller may raise the limits to. Eight items keep every sum of amounts under 2^53. */
export const EXPLAIN_LIMIT_CEILINGS: ExplainLimits = Object.freeze({
  setItemsMax: 8,
  poolItemsMax: 2_000,
  combinationsMax: 1_000_000_000,
  candidatesMax: 100,
  candidatesCollectedMax: 100_000,
});

/** The largest amount an item may have: 8 of them still add up exactly (2^49 · 8 = 2^52). */
export const OPEN_ITEM_AMOUNT_MINOR_MAX = 2 ** 49;

export interface ExplainBalanceInput<T extends OpenItem = OpenItem> {
  /** The statement's closing balance and the day it holds at (`statementBalanceFrom` reads one from a file). */
  readonly statement: { readonly amountMinor: number; readonly currency: string; readonly date: string };
  /** The books' balance at the same day (entries dated on or before it), in the same currency. */
  readonly books: { readonly amountMinor: number; readonly currency: string };
  /** Bank rows and ledger entries not matched at the statement date. */
  readonly openItems: readonly T[];
  readonly limits?: Partial<ExplainLimits>;
}

/** One set of open items that explains the difference exactly. */
export interface BalanceCandidate<T extends OpenItem = OpenItem> {
  /** The items, likeliest first (nearest the statement date, then by side and id). */
  readonly items: readonly T[];
  /** The sum of the items' contributions (`contributionMinor`): always the difference. */
  readonly totalMinor: number;
  /** Days from each item's date to the statement date, added up: the rank (smaller is likelier). */
  readonly daysBeforeSum: number;
}

/** Why the search stopped short: items left out of the pool, the work bound, the candidates bound. */
export type ExplainTruncation = "pool" | "work" | "candidates";

export interface ExplainSearch {
  /** Open items given. */
  readonly itemsOffered: number;
  /** Items searched (the pool). */
  readonly items: number;
  /** Items left out: dated after the statement date (in neither balance), of amount 0, past the pool bound. */
  readonly itemsSkipped: { readonly afterDate: number; readonly zero: number; readonly pool: number };
  /** Work done, in the unit of `combinationsMax`. */
  readonly combinations: number;
  /** Every set of up to this many pool items was tried (or ruled out by its range of sums). */
  readonly completeUpToItems: number;
  /** Sets of the smallest size found (at most `candidatesCollectedMax`); `candidates` holds the likeliest. */
  readonly candidatesFound: number;
  /** Whether some set within `setItemsMax` was not tried; `truncatedBy` says why. */
  readonly truncated: boolean;
  readonly truncatedBy: readonly ExplainTruncation[];
}

/**
 * - `balanced`: the balances agree.
 * - `explained`: `candidates` holds the smallest sets found (every smaller set was tried).
 * - `unexplained`: every set of up to `setItemsMax` open items was tried and none adds up to it:
 *   something outside the open items (a wrong amount, a missing entry) makes the difference.
 * - `truncated`: none found, but a bound stopped the search first (`searched.truncatedBy`): a
 *   larger pool or more work may find one.
 */
export type BalanceExplanationKind = "balanced" | "explained" | "unexplained" | "truncated";

export interface BalanceExplanation<T extends OpenItem = OpenItem> {
  readonly kind: BalanceExplanationKind;
  readonly explained: boolean;
  readonly currency: string;
  /** The statement date. */
  readonly date: string;
  readonly statementMinor: number;
  readonly booksMinor: number;
  /** statement − books. */
  readonly differenceMinor: number;
  /** At most `candidatesMax`, all of the smallest size found, likeliest first. */
  readonly candidates: readonly BalanceCandidate<T>[];
  readonly searched: ExplainSearch;
  /** One line for people. */
  readonly message: string;
}

/**
 * A balance, the books or an open item is not in the statement's currency. Both are named;
 * nothing is converted (a difference across currencies is an FX question, not a missing item).
 */
export class CurrencyMismatchError extends InputError {
  constructor(
    readonly subject: string,
    readonly actual: string,
    readonly expected: string,
  ) {
    super(
      `${subject} is in ${excerpt(actual)} but the statement balance is in ${excerpt(expected)}; amounts in different currencies cannot explain each other`,
    );
    this.name = "CurrencyMismatchError";
  }
}

/**
 * What an open item adds to `statement − books`. The statement is the books plus what the bank
 * has and the books lack, minus what the books have and the bank lacks:
 *
 *     statement = books + Σ bank rows not in the books − Σ ledger entries not on the statement
 *
 * so a bank row contributes `+amountMinor` and a ledger entry `−amountMinor` (natural sign, > 0
 * is money in).
 *
 * @example contributionMinor({ side: "ledger", amountMinor: 20_000, ... }) // -20000: a deposit in transit
 * @example contributionMinor({ side: "ledger", amountMinor: -15_000, ... }) // 15000: an outstanding check
 * @example contributionMinor({ side: "bank", amountMinor: -500, ... }) // -500: a bank fee not yet booked
 */
export function contributionMinor(item: Pick<OpenItem, "side" | "amountMinor">): number {
  return item.side === "bank" ? item.amountMinor : -item.amountMinor;
}

/**
 * Finds the smallest sets of open items that explain why the statement's closing balance differs
 * from the books' balance at the statement date, ranked likeliest first.
 *
 * **Sign.** `differenceMinor = statement − books`; a bank row not in the books contributes
 * `+amount`, a ledger entry not on the statement `−amount` (see `contributionMinor`). A set
 * explains the difference when its contributions add up to it exactly. Example: the books say
 * 10,000.00 on March 31; the statement says 10,245.00. Open are a deposit the books recorded on
 * March 30 (ledger, +300.00: contributes −300.00), a check written March 29 (ledger, −550.00:
 * contributes +550.00) and a 5.00 bank fee the books have not booked (bank, −5.00: −5.00).
 * 245.00 = −300.00 + 550.00 − 5.00: the three together explain it.
 *
 * **Which items.** Items dated after the statement date are in neither balance and are left
 * out, as are items of amount 0. Past `poolItemsMax`, the items nearest the statement date are kept.
 *
 * **Search.** Exact subset sum, smallest size first: sets of 1, 2, … `setItemsMax` items; the
 * first size with any set is the answer. A set of k items is found once, as its k − b first
 * items (in the pool's order) enumerated with their running sum, and its last b (1 for k ≤ 3,
 * else 2) looked up by the sum still missing in a hash table of single items or of pairs
 * (meet in the middle). A size whose smallest and largest possible sums do not bracket the
 * difference is skipped. Work is counted in sets summed and table entries built or visited, and
 * stops at `combinationsMax`: the bound is on work, not on time, so the answer never depends on
 * the machine. Sizes 1 to 3 cost about n²/2 (125,000 for 500 items), 4 about n², 5 about n³/6.
 *
 * **Rank.** All candidates have the fewest items. Likelier first: the smallest sum over the
 * items of days from their date to the statement date (the usual uncleared items are deposits
 * in transit and checks written in the period's last days, and bank charges and interest the
 * books have not recorded, dated at its end; an item months old is more often a mistake), then
 * the nearest oldest item, then the pool's order (side, then id). Nothing in the rank depends on
 * the input's order.
 *
 * @example
 * explainBalanceDifference({
 *   statement: { amountMinor: 1_024_500, currency: "USD", date: "2025-03-31" },
 *   books: { amountMinor: 1_000_000, currency: "USD" },
 *   openItems: [
 *     { id: "dep-88", side: "ledger", date: "2025-03-30", amountMinor: 30_000, currency: "USD" },
 *     { id: "chk-1041", side: "ledger", date: "2025-03-29", amountMinor: -55_000, currency: "USD" },
 *     { id: "fee-03", side: "bank", date: "2025-03-31", amountMinor: -500, currency: "USD" },
 *     { id: "inv-7", side: "ledger", date: "2025-02-02", amountMinor: 12_000, currency: "USD" },
 *   ],
 * })
 * // { kind: "explained", explained: true, differenceMinor: 24500,
 * //   candidates: [{ items: [fee-03, dep-88, chk-1041], totalMinor: 24500, daysBeforeSum: 3 }], ... }
 * @throws CurrencyMismatchError when the books or an item are not in the statement's currency
 * @throws InputError when a date, an amount, an id or a limit is not usable (naming it)
 */
export function explainBalanceDifference<T extends OpenItem>(
  input: ExplainBalanceInput<T>,
): BalanceExplanation<T> {
  const limits = limitsOf(input.limits ?? {});
  const { statement, books } = input;
  checkBalances(statement, books);
  const statementDay = isoToDay(statement.date);
  const differenceMinor = statement.amountMinor - books.amountMinor;
  if (!Number.isSafeInteger(differenceMinor))
    throw new InputError("the difference between the statement and the books is too large to be exact");
  const pool = buildPool(input.openItems, statement.currency, statementDay, limits.poolItemsMax);
  const base = {
    currency: statement.currency,
    date: statement.date,
    statementMinor: statement.amountMinor,
    booksMinor: books.amountMinor,
    differenceMinor,
  };
  const searchedBase = {
    itemsOffered: input.openItems.length,
    items: pool.entries.length,
    itemsSkipped: pool.skipped,
  };
  if (differenceMinor === 0) {
    const searched = { ...searchedBase, combinations: 0, completeUpToItems: 0, candidatesFound: 0 };
    const result = { ...base, kind: "balanced" as const, explained: true, candidates: [] };
    const full = { ...result, searched: { ...searched, truncated: false, truncatedBy: [] } };
    return { ...full, message: messageOf(full, 0, limits) };
  }
  const outcome = searchSubsets(pool.values, differenceMinor, limits);
  const truncatedBy: ExplainTruncation[] = [];
  if (pool.skipped.pool > 0) truncatedBy.push("pool");
  if (outcome.stoppedBy !== null) truncatedBy.push(outcome.stoppedBy);
  const candidates = rankCandidates(outcome.hits, pool.entries, limits.candidatesMax, differenceMinor);
  const kind: BalanceExplanationKind =
    candidates.length > 0 ? "explained" : truncatedBy.length > 0 ? "truncated" : "unexplained";
  const searched: ExplainSearch = {
    ...searchedBase,
    combinations: outcome.combinations,
    completeUpToItems: outcome.completeUpToItems,
    candidatesFound: outcome.hits.length,
    truncated: truncatedBy.length > 0,
    truncatedBy,
  };
  const result = { ...base, kind, explained: kind === "explained", candidates, searched };
  return { ...result, message: messageOf(result, outcome.hits[0]?.length ?? 0, limits) };
}

function limitsOf(given: Partial<ExplainLimits>): ExplainLimits {
  const limits = { ...EXPLAIN_LIMITS, ...given };
  for (const name of Object.keys(EXPLAIN_LIMITS) as (keyof ExplainLimits)[]) {
    const value = limits[name];
    const ceiling = EXPLAIN_LIMIT_CEILINGS[name];
    if (!Number.isSafeInteger(value) || value < 1 || value > ceiling)
      throw new InputError(
        `balance explainer limit ${name} is ${value}; expected a whole number from 1 to ${ceiling}`,
      );
  }
  return limits;
}

function checkBalances(
  statement: ExplainBalanceInput["statement"],
  books: ExplainBalanceInput["books"],
): void {
  if (!isCurrencyCode(statement.currency))
    throw new InputError(`statement currency "${excerpt(statement.currency)}" is not an ISO 4217 code`);
  if (books.currency !== statement.currency)
    throw new CurrencyMismatchError("the books' balance", books.currency, statement.currency);
  if (!isIsoDate(statement.date))
    throw new InputError(`statement date "${excerpt(statement.date)}" is not a YYYY-MM-DD date`);
  if (!Number.isSafeInteger(statement.amountMinor))
    throw new InputError(`statement balance ${statement.amountMinor} is not a whole number of minor units`);
  if (!Number.isSafeInteger(books.amountMinor))
    throw new InputError(`books' balance ${books.amountMinor} is not a whole number of minor units`);
}

interface PoolEntry<T> {
  readonly item: T;
  readonly daysBefore: number;
}

interface Pool<T> {
  /** Likeliest first: nearest the statement date, then side, then id. */
  readonly entries: readonly PoolEntry<T>[];
  /** Each entry's contribution, same order. */
  readonly values: Float64Array;
  readonly skipped: { readonly afterDate: number; readonly zero: number; readonly pool: number };
}

function buildPool<T extends OpenItem>(
  items: readonly T[],
  currency: string,
  statementDay: number,
  poolItemsMax: number,
): Pool<T> {
  const seen = new Set<string>();
  const kept: PoolEntry<T>[] = [];
  let afterDate = 0;
  let zero = 0;
  for (const item of items) {
    const key = checkItem(item, currency);
    if (seen.has(key)) throw new InputError(`open ${item.side} item "${excerpt(item.id)}" is given twice`);
    seen.add(key);
    const daysBefore = statementDay - isoToDay(item.date);
    if (daysBefore < 0) afterDate++;
    else if (item.amountMinor === 0) zero++;
    else kept.push({ item, daysBefore });
  }
  kept.sort(byLikelihood);
  const entries = kept.slice(0, poolItemsMax);
  const values = Float64Array.from(entries, (e) => contributionMinor(e.item));
  return { entries, values, skipped: { afterDate, zero, pool: kept.length - entries.length } };
}

/** Checks one item at the edge of the search and returns its key (side and id). */
function checkItem(item: OpenItem, currency: string): string {
  if (item.side !== "bank" && item.side !== "ledger")
    throw new InputError(
      `open item "${excerpt(String(item.id))}" has side "${excerpt(String(item.side))}"; expected bank or ledger`,
    );
  const name = `open ${item.side} item "${excerpt(String(item.id))}"`;
  if (typeof item.id !== "string" || item.id === "") throw new InputError(`${name} has no id`);
  if (item.currency !== currency) throw new CurrencyMismatchError(name, item.currency, currency);
  if (!isIsoDate(item.date))
    throw new InputError(`${name} has date "${excerpt(String(item.date))}"; expected YYYY-MM-DD`);
  if (!Number.isSafeInteger(item.amountMinor) || Math.abs(item.amountMinor) > OPEN_ITEM_AMOUNT_MINOR_MAX)
    throw new InputError(`${name} has amount ${item.amountMinor}; expected whole minor units within ±2^49`);
  return `${item.side}\u0000${item.id}`;
}

function byLikelihood<T extends OpenItem>(a: PoolEntry<T>, b: PoolEntry<T>): number {
  return (
    a.daysBefore - b.daysBefore || compareText(a.item.side, b.item.side) || compareText(a.item.id, b.item.id)
  );
}

/** Code-unit order: the same on every machine and locale (localeCompare is not). */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

interface SearchOutcome {
  /** Index sets into the pool, ascending, all of one size. */
  readonly hits: readonly Int32Array[];
  readonly combinations: number;
  readonly completeUpToItems: number;
  readonly stoppedBy: "work" | "candidates" | null;
}

/** Mutable state of one search: the work counter, the hits, why it stopped. */
interface SearchState {
  readonly values: Float64Array;
  readonly target: number;
  readonly combinationsMax: number;
  readonly hitsMax: number;
  combinations: number;
  readonly hits: Int32Array[];
  stoppedBy: "work" | "candidates" | null;
}

/** Sizes 1, 2, … until one has a set, the size bound, or the work bound. */
function searchSubsets(values: Float64Array, target: number, limits: ExplainLimits): SearchOutcome {
  const n = values.length;
  const state: SearchState = {
    values,
    target,
    combinationsMax: limits.combinationsMax,
    hitsMax: limits.candidatesCollectedMax,
    combinations: 0,
    hits: [],
    stoppedBy: null,
  };
  const ranges = sumRanges(values, Math.min(limits.setItemsMax, n));
  let singles: SumChains | null = null;
  let pairs: SumChains | null = null;
  let completeUpToItems = 0;
  for (let k = 1; k <= limits.setItemsMax; k++) {
    const range = ranges[k];
    if (range === undefined || target < range.min || target > range.max) {
      completeUpToItems = k; // no set of k items exists, or none can reach the target
      continue;
    }
    if (k <= 3) singles ??= singlesTable(state);
    else if (pairs === null) {
      if (state.combinations + (n * (n - 1)) / 2 > state.combinationsMax) {
        state.stoppedBy = "work";
        break;
      }
      pairs = pairsTable(state);
    }
    const inner = k <= 3 ? 1 : 2;
    searchSize(state, k, (k <= 3 ? singles : pairs) as SumChains, inner);
    if (state.stoppedBy !== null || state.hits.length > 0) {
      if (state.stoppedBy === null) completeUpToItems = k;
      break;
    }
    completeUpToItems = k;
  }
  return {
    hits: state.hits,
    combinations: state.combinations,
    completeUpToItems,
    stoppedBy: state.stoppedBy,
  };
}

/** For each size k up to `sizeMax`, the smallest and largest sum any k items can have. */
function sumRanges(values: Float64Array, sizeMax: number): ({ min: number; max: number } | undefined)[] {
  const ascending = Float64Array.from(values).sort();
  const ranges: ({ min: number; max: number } | undefined)[] = [undefined];
  let low = 0;
  let high = 0;
  for (let k = 1; k <= sizeMax; k++) {
    low += ascending[k - 1] as number;
    high += ascending[ascending.length - k] as number;
    ranges.push({ min: low, max: high });
  }
  return ranges;
}

function singlesTable(state: SearchState): SumChains {
  const n = state.values.length;
  const table = new SumChains(n);
  for (let i = 0; i < n; i++) table.add(state.values[i] as number, i);
  state.combinations += n;
  return table;
}

/** Every pair i < j as code i·n + j, keyed by its sum. Codes fit an Int32: n ≤ 2,000. */
function pairsTable(state: SearchState): SumChains {
  const { values } = state;
  const n = values.length;
  const table = new SumChains((n * (n - 1)) / 2);
  for (let i = 0; i < n; i++) {
    const vi = values[i] as number;
    for (let j = i + 1; j < n; j++) table.add(vi + (values[j] as number), i * n + j);
  }
  state.combinations += (n * (n - 1)) / 2;
  return table;
}

/**
 * All sets of k items summing to the target: the first k − inner items (ascending pool indices)
 * enumerated with their running sum, the last `inner` looked up by the sum still missing. A
 * table's chains run from the highest code down, so only entries above the enumerated items are
 * visited, and each set is found exactly once.
 */
function searchSize(state: SearchState, k: number, table: SumChains, inner: 1 | 2): void {
  const { values, target } = state;
  const n = values.length;
  const outerSize = k - inner;
  const outer = new Int32Array(k);
  const visit = (last: number, sum: number): boolean => {
    if (++state.combinations > state.combinationsMax) {
      state.stoppedBy = "work";
      return false;
    }
    // Inner items must sit above the last outer one: codes from (last + 1) on, for pairs (last + 1)·n.
    const lowest = inner === 1 ? last + 1 : (last + 1) * n;
    for (let e = table.head(target - sum); e !== -1; e = table.nextOf(e)) {
      const code = table.codeOf(e);
      if (code < lowest) break;
      state.combinations++;
      const hit = outer.slice(0, k);
      if (inner === 1) hit[outerSize] = code;
      else {
        hit[outerSize] = Math.floor(code / n);
        hit[outerSize + 1] = code % n;
      }
      state.hits.push(hit);
      if (state.hits.length >= state.hitsMax) state.stoppedBy = "candidates";
      else if (state.combinations > state.combinationsMax) state.stoppedBy = "work";
      if (state.stoppedBy !== null) return false;
    }
    return true;
  };
  if (outerSize === 0) {
    visit(-1, 0);
    return;
  }
  enumerateOuter(values, outer, outerSize, n - inner, visit);
}

/**
 * Every ascending choice of `size` indices below `end`, depth first, with its running sum; stops
 * when `visit` returns false.
 */
function enumerateOuter(
  values: Float64Array,
  outer: Int32Array,
  size: number,
  end: number,
  visit: (last: number, sum: number) => boolean,
): void {
  const partial = new Float64Array(size + 1);
  let depth = 0;
  outer[0] = 0;
  while (depth >= 0) {
    const i = outer[depth] as number;
    if (i > end - (size - depth)) {
      depth--;
      if (depth >= 0) outer[depth] = (outer[depth] as number) + 1;
      continue;
    }
    const sum = (partial[depth] as number) + (values[i] as number);
    if (depth === size - 1) {
      if (!visit(i, sum)) return;
      outer[depth] = i + 1;
    } else {
      partial[depth + 1] = sum;
      depth++;
      outer[depth] = i + 1;
    }
  }
}

/**
 * A hash table from an exact sum (a whole number within ±2^53) to the chain of codes added with
 * it, newest first. Open addressing over typed arrays: a few bytes an entry, no objects. Most
 * look-ups miss (the sum still missing is rarely there), so a bit filter small enough for the
 * processor's cache (8 bits an entry, at most 2 MB) answers most misses before the table is read.
 */
class SumChains {
  private readonly slotSums: Float64Array;
  private readonly slotHeads: Int32Array;
  private readonly mask: number;
  private readonly filter: Int32Array;
  private readonly filterShift: number;
  private readonly codes: Int32Array;
  private readonly next: Int32Array;
  private size = 0;

  constructor(entriesMax: number) {
    let slots = 16;
    while (slots < entriesMax * 2) slots *= 2;
    this.slotSums = new Float64Array(slots);
    this.slotHeads = new Int32Array(slots).fill(-1);
    this.mask = slots - 1;
    let filterBitsLog2 = 10;
    while (filterBitsLog2 < FILTER_BITS_LOG2_MAX && 2 ** filterBitsLog2 < entriesMax * 8) filterBitsLog2++;
    this.filter = new Int32Array(2 ** (filterBitsLog2 - 5));
    this.filterShift = 32 - filterBitsLog2;
    this.codes = new Int32Array(Math.max(entriesMax, 1));
    this.next = new Int32Array(Math.max(entriesMax, 1));
  }

  add(sum: number, code: number): void {
    const hash = hashSum(sum);
    const bit = Math.imul(hash, FILTER_MIX) >>> this.filterShift;
    this.filter[bit >>> 5] = (this.filter[bit >>> 5] as number) | (1 << (bit & 31));
    const slot = this.slotOf(sum, hash);
    const entry = this.size++;
    this.codes[entry] = code;
    this.next[entry] = this.slotHeads[slot] as number;
    this.slotHeads[slot] = entry;
    this.slotSums[slot] = sum;
  }

  /** The newest entry with this sum, or -1. */
  head(sum: number): number {
    const hash = hashSum(sum);
    const bit = Math.imul(hash, FILTER_MIX) >>> this.filterShift;
    if (((this.filter[bit >>> 5] as number) & (1 << (bit & 31))) === 0) return -1;
    return this.slotHeads[this.slotOf(sum, hash)] as number;
  }

  nextOf(entry: number): number {
    return this.next[entry] as number;
  }

  codeOf(entry: number): number {
    return this.codes[entry] as number;
  }

  private slotOf(sum: number, hash: number): number {
    let slot = hash & this.mask;
    while (this.slotHeads[slot] !== -1 && this.slotSums[slot] !== sum) slot = (slot + 1) & this.mask;
    return slot;
  }
}

/** 2^24 bits: 2 MB, about what a core's cache holds. */
const FILTER_BITS_LOG2_MAX = 24;
/** The filter takes the top bits of the hash times an odd constant: other bits than the table's slot. */
const FILTER_MIX = 0x85ebca6b;

/** Mixes both halves of a whole number up to 2^53 (`| 0` keeps the low 32 bits exactly). */
function hashSum(sum: number): number {
  const low = sum | 0;
  const high = Math.floor(sum / 4_294_967_296) | 0;
  const h = Math.imul(low ^ Math.imul(high, 0x27d4eb2d), 0x9e3779b1);
  return h ^ (h >>> 15);
}

function rankCandidates<T extends OpenItem>(
  hits: readonly Int32Array[],
  entries: readonly PoolEntry<T>[],
  candidatesMax: number,
  totalMinor: number,
): BalanceCandidate<T>[] {
  const scored = hits.map((hit) => {
    let daysBeforeSum = 0;
    let daysBeforeMax = 0;
    for (const i of hit) {
      const days = (entries[i] as PoolEntry<T>).daysBefore;
      daysBeforeSum += days;
      daysBeforeMax = Math.max(daysBeforeMax, days);
    }
    return { hit, daysBeforeSum, daysBeforeMax };
  });
  scored.sort(
    (a, b) =>
      a.daysBeforeSum - b.daysBeforeSum || a.daysBeforeMax - b.daysBeforeMax || compareIndices(a.hit, b.hit),
  );
  return scored.slice(0, candidatesMax).map(({ hit, daysBeforeSum }) => ({
    items: Array.from(hit, (i) => (entries[i] as PoolEntry<T>).item),
    totalMinor,
    daysBeforeSum,
  }));
}

/** Lexicographic order of two ascending index sets of one size: the pool's order decides ties. */
function compareIndices(a: Int32Array, b: Int32Array): number {
  for (let i = 0; i < a.length; i++) {
    const d = (a[i] as number) - (b[i] as number);
    if (d !== 0) return d;
  }
  return 0;
}

function messageOf(
  result: Omit<BalanceExplanation, "message" | "candidates"> & { readonly candidates: readonly unknown[] },
  setItems: number,
  limits: ExplainLimits,
): string {
  const money = (minor: number) => `${formatAmount(minor, result.currency)} ${result.currency}`;
  const balances = `statement ${money(result.statementMinor)} on ${result.date}, books ${money(result.booksMinor)}`;
  if (result.kind === "balanced") return `${balances}: balanced`;
  const head = `${balances}: difference ${money(result.differenceMinor)}`;
  const { searched } = result;
  const count = (n: number) => n.toLocaleString("en-US");
  const items = (n: number, what: string) => `${count(n)} ${what}${n === 1 ? " was" : "s were"}`;
  const pool = `${count(searched.items)} open item${searched.items === 1 ? "" : "s"}`;
  if (result.kind === "explained") {
    const found = searched.candidatesFound;
    const more = searched.truncatedBy.includes("candidates") ? " or more" : "";
    const sets = found === 1 ? "one set" : `${count(found)}${more} sets`;
    const shown = found > result.candidates.length ? `, the likeliest ${result.candidates.length} shown` : "";
    const left = searched.itemsSkipped.pool;
    const unsearched = left > 0 ? `; ${items(left, "older open item")} left out of the search` : "";
    return `${head}; explained by ${sets} of ${setItems} of the ${pool}${shown}${unsearched}`;
  }
  if (result.kind === "unexplained")
    return `${head}; no set of up to ${limits.setItemsMax} of the ${pool} adds up to it`;
  const why = searched.truncatedBy.includes("work")
    ? `the search stopped at its bound of ${count(limits.combinationsMax)} combinations`
    : `${items(searched.itemsSkipped.pool, "older open item")} left out of the search`;
  return `${head}; no set of up to ${searched.completeUpToItems} of the ${pool} adds up to it, and ${why}`;
}
