/**
 * Which open entries does one settlement add up to? The pool is given nearest first and the
 * search deepens one entry at a time: subsets of the first 2 entries, then of the first 3, and
 * so on, and stops a few levels after the first depth that has an exact sum. Solutions that
 * use only the first entries are the likeliest and the least likely to be coincidences.
 *
 * Entries from a second, "foreign" pool (rows whose account is unknown) may join, up to three,
 * found by hashing their amounts and their pair and triple sums. A crowded pool with no such
 * entries is met in the middle instead (searchOwnOnly), with the same results in the same order.
 *
 * Every search of the engine goes through here, once per open bank row and pool, so the hash
 * tables are typed arrays reused from search to search: no allocation per subset or per fill.
 */
import { IntList, NumberList } from "../scratch-lists.js";

export interface SettlementLimits {
  readonly sizeMax: number;
  readonly foreignMax: 0 | 1 | 2 | 3;
  /** How many deeper levels to explore after the first one with a solution (to find rivals). */
  readonly extraDepth: number;
  readonly solutionsMax: number;
  /** Bound on the foreign pairs considered (nearest pool rows first). Default: no bound. */
  readonly foreignPairsMax?: number;
  /**
   * Foreign rows go together only when dated at most `daysMax` apart (`days[i]` is foreign row
   * i's day). Default: any rows go together.
   */
  readonly foreignTogether?: { readonly days: readonly number[]; readonly daysMax: number };
  /** Bound on the subset sums kept while deepening (at most 2^24). */
  readonly sumsMax: number;
}

export interface Settlement {
  /** Positions in the own pool, ascending. */
  readonly own: number[];
  /** Positions in the foreign pool, ascending. */
  readonly foreign: number[];
  /** 1 + the deepest own position used: how far down the pool the search had to go. */
  readonly depth: number;
}

/** Foreign triples are drawn from this many foreign rows at most. */
export const FOREIGN_TRIPLE_POOL_MAX = 16;

/** At most 30 own entries: subsets are kept as bit masks. */
export const SETTLEMENT_POOL_MAX = 30;

/** At most this many foreign rows: fills pack their positions in 10 bits each. */
const FOREIGN_POOL_MAX = 1000;
const SUMS_HARD_MAX = 2 ** 24;

/**
 * @example searchSettlements([300, 500, 250, 900], [], 800, limits) // [{ own: [0, 1], foreign: [], depth: 2 }, ...]
 */
export function searchSettlements(
  own: readonly number[],
  foreign: readonly number[],
  target: number,
  limits: SettlementLimits,
): Settlement[] {
  if (own.length > SETTLEMENT_POOL_MAX) throw new RangeError(`own pool over ${SETTLEMENT_POOL_MAX}`);
  if (foreign.length > FOREIGN_POOL_MAX) throw new RangeError(`foreign pool over ${FOREIGN_POOL_MAX}`);
  if (limits.solutionsMax <= 0) return [];
  const fills = fillsFor(foreign, limits);
  if (fills.count === 1 && meetInTheMiddle(own.length, limits)) return searchOwnOnly(own, target, limits);
  const sign = target >= 0 ? 1 : -1;
  // The farthest the best fill moves a sum in a direction (the empty fill moves it by 0).
  const fillMove = (direction: number) => Math.max(0, direction > 0 ? fills.highest : -fills.lowest);
  const reachBack = reachAfter(own, fillMove(-sign), -sign, limits.sizeMax, REACH_BACK);
  const reachOn = reachAfter(own, fillMove(sign), sign, limits.sizeMax, REACH_ON);
  const sums = SUBSETS.reset(tableCapacity(own.length, limits));
  sums.add(0, 0, 0);
  GROWING.count = 0;
  if (limits.sizeMax > 1) GROWING.push(0);
  const found: Settlement[] = [];
  let firstDepth = 0;
  // A solution at `depth`: the entry at that depth, subset k above it, and fill f.
  const accept = (k: number, f: number, depth: number): boolean => {
    const size = sums.size(k) + 1 + fills.size(f);
    if (size < 2 || size > limits.sizeMax) return true;
    found.push({ own: positions(sums.payload(k) + 2 ** (depth - 1), depth), foreign: fills.rows(f), depth });
    return found.length < limits.solutionsMax;
  };
  for (let depth = 1; depth <= own.length; depth++) {
    const amount = own[depth - 1]!;
    const bit = 2 ** (depth - 1);
    // Look up whichever side is smaller in the other.
    if (fills.count <= sums.count) {
      sums.index();
      for (let f = 0; f < fills.count; f++) {
        const wanted = target - amount - fills.amount(f);
        for (let k = sums.first(wanted); k !== -1; k = sums.next(k, wanted)) {
          if (!accept(k, f, depth)) return found;
        }
      }
    } else {
      fills.index();
      // Report in the same order as the other way round: by fill (none, singles, pairs...),
      // then by subset. A hit is kept as one number, f * 2^24 + k (k < 2^24), so a plain
      // numeric sort of a scratch array orders them without a comparator or an allocation.
      HITS.count = 0;
      for (let k = 0; k < sums.count; k++) {
        const wanted = target - amount - sums.amount(k);
        for (let f = fills.first(wanted); f !== -1; f = fills.next(f, wanted)) HITS.push(f * SUBSET_SPAN + k);
      }
      if (HITS.count > 0) {
        const hits = HITS.sorted();
        for (let h = 0; h < hits.length; h++) {
          const hit = hits[h]!;
          if (!accept(hit % SUBSET_SPAN, Math.floor(hit / SUBSET_SPAN), depth)) return found;
        }
      }
    }
    if (found.length > 0 && firstDepth === 0) firstDepth = depth;
    if (firstDepth > 0 && depth >= firstDepth + limits.extraDepth) break;
    // Subsets that include this entry, for deeper levels: none after the last level, and none
    // whose sum is already further from the target, either way, than the deeper entries and
    // the best fill could still move it.
    if (depth === own.length) break;
    const back = reachBack[depth]!;
    const on = reachOn[depth]!;
    // Only subsets that can still grow are visited: a full one (sizeMax - 1 entries, the
    // depth's own entry makes sizeMax) never will, and at depth 20 most of the table is full.
    const growing = GROWING.count;
    for (let g = 0; g < growing && sums.count < limits.sumsMax; g++) {
      const k = GROWING.at(g);
      const sum = sums.amount(k) + amount;
      const past = (sum - target) * sign;
      if (past > back || -past > on) continue;
      const size = sums.size(k) + 1;
      const added = sums.count;
      sums.add(sum, sums.payload(k) + bit, size);
      if (size < limits.sizeMax - 1) GROWING.push(added);
    }
  }
  return found;
}

/**
 * Whether a pool with nothing to fill from is better met in the middle (searchOwnOnly): when
 * deepening could grow many times the subsets that would make, and would keep all it grows
 * (sumsMax never cuts it short, so both find the same). Deepening often grows far fewer than
 * it could, as it drops sums that can no longer reach the target; but in a crowded pool (a
 * day's card sales, a payout of several) few are dropped. Measured at 100k rows: 18 entries,
 * six to a settlement, 66 µs a search deepening and 24 µs met in the middle.
 */
function meetInTheMiddle(n: number, limits: SettlementLimits): boolean {
  let grown = 0;
  let c = 1;
  for (let k = 0; k <= Math.min(n - 1, limits.sizeMax - 1); k++) {
    grown += c;
    c = (c * (n - 1 - k)) / (k + 1);
  }
  const halves = 2 ** Math.floor(n / 2) + 2 ** Math.ceil(n / 2);
  return grown <= Math.min(limits.sumsMax, SUMS_HARD_MAX) && grown >= MIDDLE_WAY_GAIN_MIN * halves;
}

/** How many times fewer subsets meeting in the middle must make to be chosen. */
const MIDDLE_WAY_GAIN_MIN = 8;

/**
 * The search for a pool with nothing to fill from, meeting in the middle: every subset of the
 * pool's first half is hashed by its sum, and each subset of the second half looks up the rest.
 * That is two times 2^(n/2) subsets where deepening grows thousands (18 entries and six to a
 * settlement: 12,616 subsets, against 2 × 512), and the crowded own pools of a large ledger
 * are a third of all searches' time.
 *
 * It reports what deepening reports, in the same order, so that solutionsMax and extraDepth
 * cut both short alike: by depth, and within a depth by the subset below the depth's entry,
 * descending (deepening looks the subsets up in hash chains, which run newest first). A
 * subset's mask is its high half's above its low half's, so within a depth that is the high
 * halves descending and, for each, the low halves descending: hashed in ascending order, each
 * chain runs that way.
 */
function searchOwnOnly(own: readonly number[], target: number, limits: SettlementLimits): Settlement[] {
  const { sizeMax } = limits;
  const lowBits = own.length >>> 1;
  const low = LOW_HALF.fill(own, 0, lowBits);
  const high = HIGH_HALF.fill(own, lowBits, own.length - lowBits);
  const lowCount = 2 ** lowBits;
  const found: Settlement[] = [];
  let depthMax = SETTLEMENT_POOL_MAX;
  /** False when the search is over. Depths come in ascending order. */
  const report = (mask: number, depth: number): boolean => {
    if (depth > depthMax) return false;
    if (found.length === 0) depthMax = depth + limits.extraDepth;
    found.push({ own: positions(mask, depth), foreign: [], depth });
    return found.length < limits.solutionsMax;
  };
  // Depths within the low half: its subsets whose deepest entry is the depth's, alone.
  for (let depth = 1; depth <= lowBits; depth++) {
    for (let m = 2 ** depth - 1; m >= 2 ** (depth - 1); m--) {
      const size = low.sizes[m]!;
      if (low.sums[m] === target && size >= 2 && size <= sizeMax && !report(m, depth)) return found;
    }
  }
  const table = LOW_SUMS.reset(lowCount);
  for (let m = 0; m < lowCount; m++) if (low.sizes[m]! < sizeMax) table.add(low.sums[m]!, m, low.sizes[m]!);
  table.index();
  for (let top = 0; top < high.bits; top++) {
    const depth = lowBits + top + 1;
    for (let h = 2 ** (top + 1) - 1; h >= 2 ** top; h--) {
      const highSize = high.sizes[h]!;
      if (highSize > sizeMax) continue;
      const wanted = target - high.sums[h]!;
      for (let k = table.first(wanted); k !== -1; k = table.next(k, wanted)) {
        const size = highSize + table.size(k);
        if (size >= 2 && size <= sizeMax && !report(h * lowCount + table.payload(k), depth)) return found;
      }
    }
  }
  return found;
}

/**
 * The sum and size of every subset of `bits` consecutive pool entries, indexed by the subset's
 * mask; each is one entry more than a smaller subset already computed.
 */
class HalfSubsets {
  sums = new Float64Array(1);
  sizes = new Uint8Array(1);
  bits = 0;
  count = 1;

  fill(own: readonly number[], from: number, bits: number): this {
    this.bits = bits;
    this.count = 2 ** bits;
    if (this.sums.length < this.count) {
      this.sums = new Float64Array(this.count);
      this.sizes = new Uint8Array(this.count);
    }
    this.sums[0] = 0;
    this.sizes[0] = 0;
    for (let m = 1; m < this.count; m++) {
      const lowest = m & -m;
      const rest = m - lowest;
      this.sums[m] = this.sums[rest]! + own[from + 31 - Math.clz32(lowest)]!;
      this.sizes[m] = this.sizes[rest]! + 1;
    }
    return this;
  }
}

const LOW_HALF = new HalfSubsets();
const HIGH_HALF = new HalfSubsets();

/** Positions in SUBSETS of the subsets that may still take another entry, in table order. */
const GROWING = new IntList(1024);

/** Subset positions are below this (SUMS_HARD_MAX), so f * SUBSET_SPAN + k packs a hit. */
const SUBSET_SPAN = 2 ** 24;

const HITS = new NumberList(256);
const REACH_BACK = new Float64Array(SETTLEMENT_POOL_MAX + 1);
const REACH_ON = new Float64Array(SETTLEMENT_POOL_MAX + 1);
/** The largest moves reachAfter keeps (sizeMax of them). */
let MOVES = new Float64Array(16);

/**
 * reach[d]: how far the entries deeper than d (at most sizeMax of them) plus the best fill can
 * move a sum in `direction` (+1: with the target's sign, -1: against it). A subset further
 * from the target than that can never reach it, so it is not kept.
 */
function reachAfter(
  own: readonly number[],
  fillMove: number,
  direction: number,
  sizeMax: number,
  reach: Float64Array,
): Float64Array {
  // The sizeMax largest moves so far, largest first (MOVES[0..kept)), and their total.
  if (MOVES.length < sizeMax) MOVES = new Float64Array(sizeMax);
  let kept = 0;
  let total = 0;
  reach[own.length] = 0;
  for (let d = own.length - 1; d >= 0; d--) {
    const move = own[d]! * direction;
    if (move > 0 && (kept < sizeMax || move > MOVES[kept - 1]!)) {
      if (kept === sizeMax) total -= MOVES[--kept]!;
      let at = kept;
      while (at > 0 && MOVES[at - 1]! < move) {
        MOVES[at] = MOVES[at - 1]!;
        at--;
      }
      MOVES[at] = move;
      kept++;
      total += move;
    }
    reach[d] = fillMove + total;
  }
  return reach;
}

/**
 * The fills of a foreign pool, from a cache of recent pools when it has one. The same foreign
 * pool comes back often (a counterparty's entries in a window are searched for each of that
 * day's bank rows, and a bank row's first two pools share theirs), and building its pairs and
 * triples was a quarter of the search's time at a million rows.
 */
function fillsFor(foreign: readonly number[], limits: SettlementLimits): AmountTable {
  const n = limits.foreignMax >= 1 ? foreign.length : 0;
  if (n < FILLS_CACHED_MIN) return collectFills(foreign, limits, FILLS);
  const days = limits.foreignTogether?.days;
  const daysMax = limits.foreignTogether?.daysMax ?? -1;
  let hash = Math.imul(n, 0x9e3779b1) ^ Math.imul(daysMax + 1, 0x85ebca6b) ^ limits.foreignMax;
  hash = Math.imul(hash ^ (limits.foreignPairsMax ?? -1), 0xc2b2ae35);
  for (let i = 0; i < n; i++) {
    hash = Math.imul(hash ^ mixAmount(foreign[i]!), 0x9e3779b1);
    if (days !== undefined) hash = Math.imul(hash ^ mixAmount(days[i]!), 0x85ebca6b);
  }
  const cached = FILL_CACHE.get(hash);
  if (cached !== undefined) {
    // Most recently used last, so that the first key is the one to evict.
    FILL_CACHE.delete(hash);
    FILL_CACHE.set(hash, cached);
    if (cached.holds(foreign, n, days, daysMax, limits)) return cached.fills;
    cached.remember(foreign, n, days, daysMax, limits);
    return collectFills(foreign, limits, cached.fills);
  }
  let entry: CachedFills;
  if (FILL_CACHE.size < FILL_CACHE_MAX) entry = new CachedFills();
  else {
    const [oldest, evicted] = FILL_CACHE.entries().next().value as [number, CachedFills];
    FILL_CACHE.delete(oldest);
    entry = evicted;
  }
  FILL_CACHE.set(hash, entry);
  entry.remember(foreign, n, days, daysMax, limits);
  return collectFills(foreign, limits, entry.fills);
}

/**
 * Lets go of the cached fill tables (tens of MB after a large run): the engine calls it when a
 * reconciliation's settlement search is over, so a long-lived process does not keep them.
 */
export function releaseFillCache(): void {
  FILL_CACHE.clear();
}

/** Foreign pools this short are built each time: their fills cost less than a look-up. */
const FILLS_CACHED_MIN = 12;
/** Fill tables kept (about 130 KB each for a full pool of 120 rows). */
const FILL_CACHE_MAX = 256;

/** A cached pool's fills, with what they were built from to tell a hash collision. */
class CachedFills {
  readonly fills = new AmountTable();
  private amounts = new Float64Array(0);
  private days = new Float64Array(0);
  private n = 0;
  private hasDays = false;
  private daysMax = -1;
  private foreignMax = 0;
  private pairsMax = -1;

  holds(
    foreign: readonly number[],
    n: number,
    days: readonly number[] | undefined,
    daysMax: number,
    limits: SettlementLimits,
  ): boolean {
    if (n !== this.n || (days !== undefined) !== this.hasDays || daysMax !== this.daysMax) return false;
    if (limits.foreignMax !== this.foreignMax || (limits.foreignPairsMax ?? -1) !== this.pairsMax)
      return false;
    for (let i = 0; i < n; i++) {
      if (foreign[i] !== this.amounts[i]) return false;
      if (days !== undefined && days[i] !== this.days[i]) return false;
    }
    return true;
  }

  remember(
    foreign: readonly number[],
    n: number,
    days: readonly number[] | undefined,
    daysMax: number,
    limits: SettlementLimits,
  ): void {
    if (this.amounts.length < n) {
      this.amounts = new Float64Array(n);
      this.days = new Float64Array(n);
    }
    for (let i = 0; i < n; i++) {
      this.amounts[i] = foreign[i]!;
      if (days !== undefined) this.days[i] = days[i]!;
    }
    this.n = n;
    this.hasDays = days !== undefined;
    this.daysMax = daysMax;
    this.foreignMax = limits.foreignMax;
    this.pairsMax = limits.foreignPairsMax ?? -1;
  }
}

/** 32 bits from a whole number of any size (an amount in minor units, a day). */
function mixAmount(amount: number): number {
  return (amount | 0) ^ ((amount / 4294967296) | 0);
}

/** The remainders foreign rows can fill: none, single rows, pairs and triples. */
function collectFills(foreign: readonly number[], limits: SettlementLimits, into: AmountTable): AmountTable {
  const days = limits.foreignTogether?.days;
  const daysMax = limits.foreignTogether?.daysMax ?? 0;
  // Inlined rather than a callback: this runs for every pair of up to a hundred rows, per search.
  const together = (i: number, j: number): boolean =>
    days === undefined || Math.abs(days[i]! - days[j]!) <= daysMax;
  const pairsMax = limits.foreignPairsMax ?? Number.POSITIVE_INFINITY;
  const n = limits.foreignMax >= 1 ? foreign.length : 0;
  const triples = limits.foreignMax >= 3 ? Math.min(n, FOREIGN_TRIPLE_POOL_MAX) : 0;
  const pairBound = limits.foreignMax >= 2 ? Math.min((n * (n - 1)) / 2, pairsMax) : 0;
  const fills = into.reset(1 + n + pairBound + (triples * (triples - 1) * (triples - 2)) / 6);
  fills.add(0, 0, 0);
  for (let i = 0; i < n; i++) fills.add(foreign[i]!, i + 1, 1);
  let pairs = 0;
  for (let j = 1; j < n && pairs < pairBound; j++) {
    for (let i = 0; i < j && pairs < pairBound; i++) {
      if (!together(i, j)) continue;
      fills.add(foreign[i]! + foreign[j]!, (i + 1) * 1024 + j + 1, 2);
      pairs++;
    }
  }
  for (let i = 0; i < triples; i++) {
    for (let j = i + 1; j < triples; j++) {
      if (!together(i, j)) continue;
      for (let k = j + 1; k < triples; k++) {
        if (!together(j, k) || !together(i, k)) continue;
        fills.add(foreign[i]! + foreign[j]! + foreign[k]!, ((i + 1) * 1024 + j + 1) * 1024 + k + 1, 3);
      }
    }
  }
  return fills;
}

/** As many subset sums as can exist (sizes up to sizeMax - 1), within sumsMax and 2^24. */
function tableCapacity(n: number, limits: SettlementLimits): number {
  let subsets = 0;
  let c = 1;
  for (let k = 0; k <= Math.min(n, limits.sizeMax - 1); k++) {
    subsets += c;
    c = (c * (n - k)) / (k + 1);
  }
  return Math.max(1, Math.min(limits.sumsMax, subsets, SUMS_HARD_MAX));
}

/**
 * Amounts with a payload (a bit mask, or packed foreign positions) and a size, in typed arrays
 * with chained hashing on the amount. Buffers grow as needed and are kept; a generation stamp
 * tells which hash buckets belong to the current use.
 */
class AmountTable {
  private amounts = new Float64Array(0);
  private payloads = new Float64Array(0);
  private sizes = new Uint8Array(0);
  private chain = new Int32Array(0);
  private head = new Int32Array(0);
  private stamps = new Int32Array(0);
  private generation = 0;
  private bits = 4;
  /** Entries below this are hashed; the rest are hashed when next looked up (index()). */
  private linked = 0;
  count = 0;
  /** The smallest and largest amount held (0 when empty). */
  lowest = 0;
  highest = 0;

  /** Empties the table for up to `capacity` entries. */
  reset(capacity: number): this {
    if (this.amounts.length < capacity) {
      const size = Math.max(capacity, this.amounts.length * 2);
      this.amounts = new Float64Array(size);
      this.payloads = new Float64Array(size);
      this.sizes = new Uint8Array(size);
      this.chain = new Int32Array(size);
    }
    this.bits = Math.max(4, Math.ceil(Math.log2(capacity * 2)));
    if (this.head.length < 2 ** this.bits) {
      this.head = new Int32Array(2 ** this.bits);
      this.stamps = new Int32Array(2 ** this.bits);
    }
    this.generation++;
    this.count = 0;
    this.lowest = 0;
    this.highest = 0;
    this.linked = 0;
    return this;
  }

  add(amount: number, payload: number, size: number): void {
    const k = this.count++;
    if (k === 0 || amount < this.lowest) this.lowest = amount;
    if (k === 0 || amount > this.highest) this.highest = amount;
    this.amounts[k] = amount;
    this.payloads[k] = payload;
    this.sizes[k] = size;
  }

  /**
   * Hashes the entries added since the last call; call before looking up. Hashing on demand
   * (in the order added, so chains are the same as hashing each at once) skips the entries
   * of a search that never looks this table up: a deep search whose foreign pool is large
   * adds thousands of subsets and only ever looks up the fills.
   */
  index(): void {
    for (let k = this.linked; k < this.count; k++) this.link(k);
    this.linked = this.count;
  }

  first(amount: number): number {
    const bucket = this.bucket(amount);
    if (this.stamps[bucket] !== this.generation) return -1;
    return this.seek(this.head[bucket]!, amount);
  }

  next(k: number, amount: number): number {
    return this.seek(this.chain[k]!, amount);
  }

  amount(k: number): number {
    return this.amounts[k]!;
  }
  payload(k: number): number {
    return this.payloads[k]!;
  }
  size(k: number): number {
    return this.sizes[k]!;
  }

  /** The foreign positions packed in a fill's payload. */
  rows(k: number): number[] {
    const out: number[] = [];
    for (let p = this.payloads[k]!; p > 0; p = Math.floor(p / 1024)) out.unshift((p % 1024) - 1);
    return out;
  }

  private link(k: number): void {
    const bucket = this.bucket(this.amounts[k]!);
    this.chain[k] = this.stamps[bucket] === this.generation ? this.head[bucket]! : -1;
    this.head[bucket] = k;
    this.stamps[bucket] = this.generation;
  }

  private seek(k: number, amount: number): number {
    while (k !== -1 && this.amounts[k] !== amount) k = this.chain[k]!;
    return k;
  }

  private bucket(amount: number): number {
    return Math.imul(mixAmount(amount), 0x9e3779b1) >>> (32 - this.bits);
  }
}

const SUBSETS = new AmountTable();
const FILLS = new AmountTable();
const LOW_SUMS = new AmountTable();
const FILL_CACHE = new Map<number, CachedFills>();

/** The set bits of a subset's mask (below 2^30: SETTLEMENT_POOL_MAX entries), ascending. */
function positions(mask: number, depth: number): number[] {
  const own: number[] = [];
  for (let i = 0; i < depth; i++) if (((mask >>> i) & 1) === 1) own.push(i);
  return own;
}
