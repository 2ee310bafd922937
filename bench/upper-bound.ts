// The upper bound of recall per kind: the share of a kind's true pairs that amounts alone can
// determine. A payout of nine sales and a fee is findable from amounts only if no other set of
// open ledger entries in its window sums to the same deposit; when several do, no engine can
// tell them apart without more than amounts (names, a processor's report), and the bound says
// how much of a kind's recall is out of reach for that reason. Pure functions of the truth and
// the two files' rows; README.md (the upper bound) has the definition in words.
import { createHash } from "node:crypto";
import { countSmallSubsets, countSubsetsExact, findOtherSubset } from "./subset-count.js";

/** A row of either side as the bound needs it: natural sign (> 0 is money in), integer cents. */
export interface Row {
  readonly id: string;
  /** ISO date, YYYY-MM-DD: compared as text. */
  readonly date: string;
  readonly cents: number;
  readonly currency: string;
  /** "" where the ledger does not know the account. */
  readonly accountId: string;
}

export interface TruthGroup {
  readonly bank: readonly string[];
  readonly expected: readonly string[];
  readonly kind: string;
}

export interface Truth {
  readonly groups: readonly TruthGroup[];
  readonly unmatched_bank: readonly string[];
  readonly unmatched_expected: readonly string[];
}

export interface UpperBoundLimits {
  /**
   * Many-sided groups judged per kind; a kind with more is judged on a deterministic sample of
   * this many (the first by a hash of their ids), and its bound is an estimate.
   */
  readonly groupsPerKind: number;
  /** Steps of the exchange search for a second subset, per group. */
  readonly witnessWork: number;
  /** Word updates (or hash steps) of the exact count, per group. */
  readonly exactWork: number;
  /** Word updates of all the exact counts; past it every exact count is deferred. */
  readonly totalWork: number;
  /** Deferred groups judged again per kind, with more work (a sample, as above). */
  readonly sampleGroups: number;
  /** Word updates of the exact count, per group of that sample. */
  readonly sampleWork: number;
  /** Word updates of all those samples together; past it the rest stay undecided. */
  readonly sampleTotalWork: number;
}

/**
 * Under 10 s for a 100,000-row data set on this 2-core machine, busy (a word update costs about
 * 5 ns; building the pools and the exchange searches take most of the rest). At 100,000 rows no
 * kind has more than 5,000 groups, so every group is judged; at a million rows a sample is.
 */
export const DEFAULT_LIMITS: UpperBoundLimits = {
  groupsPerKind: 5_000,
  witnessWork: 200_000,
  exactWork: 3e7,
  totalWork: 1e9,
  sampleGroups: 24,
  sampleWork: 2e8,
  sampleTotalWork: 6e8,
};

export type Shape = "one-to-one" | "many-to-one" | "one-to-many" | "many-to-many";

export interface KindBound {
  readonly kind: string;
  readonly shape: Shape;
  readonly groups: number;
  readonly pairs: number;
  /** Groups judged (all, unless the kind has more than `groupsPerKind`), and their pairs. */
  readonly judgedGroups: number;
  readonly judgedPairs: number;
  /** Pairs of the judged groups decided determinable / ambiguous, exactly. */
  readonly determinablePairs: number;
  readonly ambiguousPairs: number;
  /** Judged groups too costly to decide exactly, and how the sample of them came out. */
  readonly deferred: Deferred | null;
  /** Share of the kind's pairs that are determinable from amounts; 1 for one-to-one kinds. */
  readonly bound: number;
  /** True when the bound rests on a sample: of the kind's groups, or of its deferred groups. */
  readonly estimated: boolean;
}

export interface Deferred {
  readonly groups: number;
  readonly pairs: number;
  /** Deferred groups decided on their sample, and the determinable share of those pairs. */
  readonly sampled: number;
  readonly sampleShare: number | null;
}

export interface UpperBound {
  readonly kinds: Readonly<Record<string, KindBound>>;
  /** Steps of the exchange searches, and word updates (or hash steps) of the exact counts. */
  readonly witnessWork: number;
  readonly exactWork: number;
}

type Verdict = "determinable" | "ambiguous" | "deferred";

interface Judged {
  readonly verdict: Verdict;
  readonly witnessWork: number;
  readonly exactWork: number;
}

const pairsOf = (g: TruthGroup) => g.bank.length * g.expected.length;

/** The bound for every kind of the truth; rows missing from the maps count as not determinable. */
export function upperBound(
  bank: ReadonlyMap<string, Row>,
  expected: ReadonlyMap<string, Row>,
  truth: Truth,
  limits: UpperBoundLimits = DEFAULT_LIMITS,
): UpperBound {
  // Open rows: what a perfect one-to-one pass would leave (rows of multi-row groups, unmatched).
  const openLedger: Row[] = [];
  const openBank: Row[] = [];
  const push = (into: Row[], map: ReadonlyMap<string, Row>, ids: readonly string[]) => {
    for (const id of ids) {
      const row = map.get(id);
      if (row !== undefined) into.push(row);
    }
  };
  const byKind = new Map<string, TruthGroup[]>();
  for (const group of truth.groups) {
    const list = byKind.get(group.kind);
    if (list === undefined) byKind.set(group.kind, [group]);
    else list.push(group);
    if (shapeOf(group) === "one-to-one") continue;
    push(openLedger, expected, group.expected);
    push(openBank, bank, group.bank);
  }
  push(openLedger, expected, truth.unmatched_expected);
  push(openBank, bank, truth.unmatched_bank);
  const ledgerIndex = new DateIndex(openLedger);
  const bankIndex = new DateIndex(openBank);
  const judgeWith = (group: TruthGroup, exactWork: number) =>
    judge(group, bank, expected, ledgerIndex, bankIndex, limits, exactWork);

  let witnessWork = 0;
  let exactSpent = 0;
  let sampleSpent = 0;
  const kinds: Record<string, KindBound> = {};
  for (const kind of [...byKind.keys()].sort()) {
    const groups = byKind.get(kind)!;
    const shapes = new Set(groups.map(shapeOf));
    const shape: Shape = shapes.size === 1 ? [...shapes][0]! : "many-to-many";
    const sampled = shape !== "one-to-one" && groups.length > limits.groupsPerKind;
    const judged = sampled ? sampleOf(groups, limits.groupsPerKind) : groups;
    let determinablePairs = 0;
    let ambiguousPairs = 0;
    const deferred: TruthGroup[] = [];
    for (const group of judged) {
      const decided = judgeWith(group, Math.min(limits.exactWork, limits.totalWork - exactSpent));
      witnessWork += decided.witnessWork;
      exactSpent += decided.exactWork;
      if (decided.verdict === "determinable") determinablePairs += pairsOf(group);
      else if (decided.verdict === "ambiguous") ambiguousPairs += pairsOf(group);
      else deferred.push(group);
    }
    let summary: Deferred | null = null;
    let deferredDeterminable = 0;
    if (deferred.length > 0) {
      let sampled = 0;
      let samplePairs = 0;
      let sampleDeterminable = 0;
      for (const group of sampleOf(deferred, limits.sampleGroups)) {
        const decided = judgeWith(group, Math.min(limits.sampleWork, limits.sampleTotalWork - sampleSpent));
        witnessWork += decided.witnessWork;
        sampleSpent += decided.exactWork;
        if (decided.verdict === "deferred") continue;
        sampled++;
        samplePairs += pairsOf(group);
        if (decided.verdict === "determinable") sampleDeterminable += pairsOf(group);
      }
      const deferredPairs = deferred.reduce((sum, g) => sum + pairsOf(g), 0);
      const sampleShare = samplePairs === 0 ? null : sampleDeterminable / samplePairs;
      // Nothing decided: count the deferred as determinable, so that the bound stays a bound.
      deferredDeterminable = deferredPairs * (sampleShare ?? 1);
      summary = { groups: deferred.length, pairs: deferredPairs, sampled, sampleShare };
    }
    const judgedPairs = judged.reduce((sum, g) => sum + pairsOf(g), 0);
    kinds[kind] = {
      kind,
      shape,
      groups: groups.length,
      pairs: groups.reduce((sum, g) => sum + pairsOf(g), 0),
      judgedGroups: judged.length,
      judgedPairs,
      determinablePairs,
      ambiguousPairs,
      deferred: summary,
      bound: judgedPairs === 0 ? 1 : (determinablePairs + deferredDeterminable) / judgedPairs,
      estimated: summary !== null || sampled,
    };
  }
  return { kinds, witnessWork, exactWork: exactSpent + sampleSpent };
}

export function shapeOf(group: TruthGroup): Shape {
  const manyBank = group.bank.length > 1;
  const manyLedger = group.expected.length > 1;
  if (manyBank && manyLedger) return "many-to-many";
  if (manyLedger) return "many-to-one";
  if (manyBank) return "one-to-many";
  return "one-to-one";
}

function judge(
  group: TruthGroup,
  bank: ReadonlyMap<string, Row>,
  expected: ReadonlyMap<string, Row>,
  ledgerIndex: DateIndex,
  bankIndex: DateIndex,
  limits: UpperBoundLimits,
  exactWork: number,
): Judged {
  const shape = shapeOf(group);
  // One-to-one groups are determinable by definition; many-to-many ones do not occur in the
  // generator's data, and count as determinable so that the bound stays a bound.
  if (shape === "one-to-one" || shape === "many-to-many") return { verdict: "determinable", ...NO_WORK };
  const bankRows = group.bank.map((id) => bank.get(id));
  const entries = group.expected.map((id) => expected.get(id));
  if (bankRows.some((r) => r === undefined) || entries.some((e) => e === undefined)) {
    return { verdict: "ambiguous", ...NO_WORK };
  }
  if (shape === "many-to-one") {
    return manyToOne(bankRows[0]!, entries as Row[], ledgerIndex, limits, exactWork);
  }
  return oneToMany(entries[0]!, bankRows as Row[], bankIndex, exactWork);
}

/**
 * One bank row settling several ledger entries. The pool: open ledger entries in the bank row's
 * account or in none, in its currency, dated from the earliest true entry to the bank row (or to
 * the latest true entry, when the bank row came first), and the true entries themselves.
 */
export function manyToOne(
  bankRow: Row,
  entries: readonly Row[],
  ledgerIndex: DateIndex,
  limits: Pick<UpperBoundLimits, "witnessWork">,
  exactWork: number,
): Judged {
  // ISO dates sort as text: the window runs from the earliest true entry to the bank row, or to
  // the latest true entry when the bank row came first
  const from = entries.map((e) => e.date).sort()[0]!;
  const to = [...entries.map((e) => e.date), bankRow.date].sort().at(-1)!;
  const truth = new Set<Row>(entries);
  const others: number[] = [];
  for (const account of bankRow.accountId === "" ? [""] : [bankRow.accountId, ""]) {
    ledgerIndex.forEachBetween(account, from, to, (row) => {
      if (row.currency === bankRow.currency && !truth.has(row)) others.push(row.cents);
    });
  }
  const truthValues = entries.map((e) => e.cents);
  const k = entries.length;
  const cap = Math.max(k, Math.min(k + 2, 16));
  const witness = findOtherSubset(truthValues, others, cap, limits.witnessWork);
  if (witness.found === true) return { verdict: "ambiguous", witnessWork: witness.work, exactWork: 0 };
  const exact = countSubsetsExact([...truthValues, ...others], bankRow.cents, cap, exactWork);
  if (exact === null) return { verdict: "deferred", witnessWork: witness.work, exactWork: 0 };
  const verdict = exact.count === 1 ? "determinable" : "ambiguous";
  return { verdict, witnessWork: witness.work, exactWork: exact.work };
}

/** The largest subset of bank rows the one-to-many search looks at. */
const PARTS_MAX = 4;

/**
 * One ledger entry paid by several bank rows. The pool: open bank rows in the entry's account
 * (any account when it has none), in its currency, dated from the entry (or the earliest true
 * row, if earlier) to the latest true row, and the true rows themselves. A subset must lie within
 * one account.
 */
export function oneToMany(
  entry: Row,
  bankRows: readonly Row[],
  bankIndex: DateIndex,
  exactWork: number,
): Judged {
  const from = [...bankRows.map((r) => r.date), entry.date].sort()[0]!;
  const to = bankRows
    .map((r) => r.date)
    .sort()
    .at(-1)!;
  const truth = new Set<Row>(bankRows);
  const searched = entry.accountId === "" ? bankIndex.accounts() : [entry.accountId];
  const truthAccounts = new Set(bankRows.map((r) => r.accountId));
  const maxSize = Math.max(bankRows.length, PARTS_MAX);
  // true rows in two accounts are no subset "within one account": the truth is then one more way
  let count = truthAccounts.size > 1 ? 1 : 0;
  let work = 0;
  for (const account of new Set([...searched, ...truthAccounts])) {
    const values = bankRows.filter((r) => r.accountId === account).map((r) => r.cents);
    if (searched.includes(account)) {
      bankIndex.forEachBetween(account, from, to, (row) => {
        if (row.currency === entry.currency && !truth.has(row)) values.push(row.cents);
      });
    }
    const limit = exactWork - work;
    const found =
      maxSize <= PARTS_MAX
        ? countSmallSubsets(values, entry.cents, maxSize, limit)
        : (countSubsetsExact(values, entry.cents, maxSize, limit)?.count ?? null);
    if (found === null) return { verdict: "deferred", witnessWork: 0, exactWork: work };
    work += values.length * values.length;
    count += found;
    if (count >= 2) return { verdict: "ambiguous", witnessWork: 0, exactWork: work };
  }
  return { verdict: count === 1 ? "determinable" : "ambiguous", witnessWork: 0, exactWork: work };
}

const NO_WORK = { witnessWork: 0, exactWork: 0 } as const;

/** Rows by account and by date, for the pools' windows. */
export class DateIndex {
  private readonly byAccount = new Map<string, Row[]>();
  private readonly all: Row[];

  constructor(rows: readonly Row[]) {
    const byDate = (a: Row, b: Row) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0);
    this.all = [...rows].sort(byDate);
    for (const row of this.all) {
      const list = this.byAccount.get(row.accountId) ?? [];
      list.push(row);
      this.byAccount.set(row.accountId, list);
    }
  }

  /** Every account id the rows name ("" among them when some name none). */
  accounts(): string[] {
    return [...this.byAccount.keys()];
  }

  /** Calls `visit` for the rows of one account ("" for none; null for all) dated from `from` to `to`. */
  forEachBetween(accountId: string | null, from: string, to: string, visit: (row: Row) => void): void {
    const rows = accountId === null ? this.all : this.byAccount.get(accountId);
    if (rows === undefined) return;
    for (let i = firstOnOrAfter(rows, from, false), end = firstOnOrAfter(rows, to, true); i < end; i++) {
      visit(rows[i]!);
    }
  }
}

/** The first row dated on or after `date` (after it, when `after`), by binary search. */
function firstOnOrAfter(rows: readonly Row[], date: string, after: boolean): number {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const d = rows[mid]!.date;
    if (d < date || (after && d === date)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The first `n` groups by a hash of their ids: the same sample on every run and machine. */
function sampleOf(groups: readonly TruthGroup[], n: number): TruthGroup[] {
  const keyed = groups.map((g) => ({
    g,
    key: createHash("sha256")
      .update(`${g.bank.join(",")}|${g.expected.join(",")}`)
      .digest("hex"),
  }));
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return keyed.slice(0, n).map((x) => x.g);
}
