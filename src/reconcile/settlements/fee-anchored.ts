import type { GroupCandidate } from "../group-choice.js";
import { DayIndex } from "../pools.js";
import type { PreparedBank, PreparedExpected } from "../prepare.js";
import { roundPoints } from "../score.js";
import type { MatchReason } from "../types.js";
import { countSubsetSums } from "./subset-sums.js";

/**
 * Processor payouts found by their structure: a deposit that is a set of sales less one fee
 * entry. The fee is the anchor. A payout's fee is booked as one money-out entry dated on or
 * before the payout, small beside it; with a fee chosen, the sales must add up to the deposit
 * plus the fee, and they are dated in the days up to the fee's.
 *
 * Whether an entry is looked at depends only on that structure (account or none, sign, dates),
 * never on words, so a processor with another name, or sales that name nobody, are found alike.
 * Only a set that is the one exact sum among every fee and every subset of the pool is taken;
 * where there are several, the deposit is reported as ambiguous and left to the word-guided
 * search (proposals.ts) or to a person, rather than guessed.
 */
export interface FeeAnchoredLimits {
  /** How many days a payout may post after its fee entry (the settlement window). */
  readonly lagDaysMax: number;
  /** Sales are dated up to this many days before their fee entry. */
  readonly salesSpreadDays: number;
  /** The ledger mostly names no account: entries without one may belong to any account. */
  readonly accountlessAreOwn: boolean;
}

export interface FeeAnchoredChoice {
  readonly candidate: GroupCandidate;
  readonly confidence: number;
}

export interface AmbiguousSettlement {
  /** The bank row's index. */
  readonly bank: number;
  /** How many exact sets (fee and sales) were found for it: more than one. */
  readonly sets: number;
}

/** A fee above this share of the gross is no processor's fee (cards cost 1.5–4%). */
const FEE_SHARE_MAX = 0.1;
/** Largest pool whose every subset is counted (two halves of 2^11 sums each). */
const POOL_MAX = 22;
/** Expected coincidental exact sums above which an only sum proves nothing. */
const CHANCE_MAX = 0.02;
/** Sweeps over the open deposits: each taking can make another deposit's set the only one. */
const SWEEPS_MAX = 4;

export function chooseFeeAnchored(
  bank: readonly PreparedBank[],
  expected: readonly PreparedExpected[],
  limits: FeeAnchoredLimits,
): { chosen: FeeAnchoredChoice[]; ambiguous: AmbiguousSettlement[] } {
  const taken = new Set<number>();
  const fees = new DayIndex(expected.filter((e) => e.amount < 0));
  const sales = new DayIndex(expected.filter((e) => e.amount > 0));
  const deposits = bank.filter((b) => b.amount > 0).sort((x, y) => x.day - y.day || x.index - y.index);
  const chosen: FeeAnchoredChoice[] = [];
  const ambiguity = new Map<number, number>();
  let open = deposits;
  for (let sweep = 0; sweep < SWEEPS_MAX && open.length > 0; sweep++) {
    const still: PreparedBank[] = [];
    let took = false;
    for (const b of open) {
      const found = settle(b, fees, sales, taken, limits);
      if (found === null) continue;
      if (found.sets !== 1) {
        ambiguity.set(b.index, found.sets);
        still.push(b);
        continue;
      }
      ambiguity.delete(b.index);
      for (const e of found.entries) taken.add(e.index);
      chosen.push(choiceOf(b, found.entries, found.poolSize));
      took = true;
    }
    if (!took) break;
    open = still;
  }
  const ambiguous = [...ambiguity]
    .map(([index, sets]) => ({ bank: index, sets }))
    .sort((x, y) => x.bank - y.bank);
  return { chosen, ambiguous };
}

interface Settled {
  /** Exact sets found over every fee candidate (capped at 2: one or more than one). */
  readonly sets: number;
  /** The fee and the sales of the one set, when there is exactly one. */
  readonly entries: readonly PreparedExpected[];
  readonly poolSize: number;
}

function settle(
  b: PreparedBank,
  fees: DayIndex<PreparedExpected>,
  sales: DayIndex<PreparedExpected>,
  taken: ReadonlySet<number>,
  limits: FeeAnchoredLimits,
): Settled | null {
  const accounts = b.account === null ? [null] : [b.account, null];
  const open = (e: PreparedExpected) => !taken.has(e.index) && e.currency === b.currency;
  let sets = 0;
  let entries: PreparedExpected[] = [];
  let poolSize = 0;
  for (const account of accounts) {
    for (const fee of fees.inWindow(account, b.day - limits.lagDaysMax, b.day)) {
      if (!open(fee)) continue;
      const gross = b.amount - fee.amount;
      if (-fee.amount > FEE_SHARE_MAX * gross) continue;
      const pool: PreparedExpected[] = [];
      // Sales of the bank row's own account, and those naming none where they may be anyone's
      // or where the fee itself names none (the ledger left the account out for this processor).
      const saleAccounts =
        b.account === null
          ? [null]
          : account === null || limits.accountlessAreOwn
            ? [b.account, null]
            : [b.account];
      for (const a of saleAccounts) {
        for (const e of sales.inWindow(a, fee.day - limits.salesSpreadDays, fee.day)) {
          if (open(e) && e.amount < gross) pool.push(e);
        }
      }
      if (pool.length === 0) continue;
      // A pool too large to count every subset of can hide any number of exact sums.
      if (pool.length > POOL_MAX) return { sets: 2, entries: [], poolSize: pool.length };
      pool.sort((x, y) => x.index - y.index);
      const result = countSubsetSums(
        pool.map((e) => e.amount),
        gross,
      );
      if (result.count === 0) continue;
      // The only exact sum of a large pool can still be chance: with 2^n subsets over sums
      // spread across about the target's size, expect 2^n / target of them to hit it.
      if ((2 ** pool.length * feeCount(fees, b, limits)) / Math.max(gross, 100) > CHANCE_MAX)
        return { sets: 2, entries: [], poolSize: pool.length };
      sets += result.count;
      if (sets > 1) return { sets: 2, entries: [], poolSize: pool.length };
      entries = [fee, ...result.first!.map((k) => pool[k]!)];
      poolSize = pool.length;
    }
  }
  return sets === 0 ? null : { sets, entries, poolSize };
}

/** Fee candidates of a bank row: each is another chance of a coincidental sum. */
function feeCount(fees: DayIndex<PreparedExpected>, b: PreparedBank, limits: FeeAnchoredLimits): number {
  let n = 0;
  for (const account of b.account === null ? [null] : [b.account, null]) {
    for (const fee of fees.inWindow(account, b.day - limits.lagDaysMax, b.day)) {
      if (-fee.amount <= FEE_SHARE_MAX * (b.amount - fee.amount)) n++;
    }
  }
  return Math.max(1, n);
}

function choiceOf(
  b: PreparedBank,
  entries: readonly PreparedExpected[],
  poolSize: number,
): FeeAnchoredChoice {
  const fee = entries[0]!;
  const n = entries.length;
  const score = 50 + 30 - (n > 2 ? 0 : 5);
  const explain = (): MatchReason[] => [
    {
      feature: "amount",
      contribution: 50,
      detail: `${n - 1} entries less a fee entry add up exactly to the bank amount`,
    },
    {
      feature: "group",
      contribution: 30,
      detail: `the only exact sum among the fees and ${poolSize} open entries of those days`,
    },
    {
      feature: "date",
      contribution: roundPoints(0),
      detail: `fee entry ${b.day - fee.day} days before the bank row`,
    },
  ];
  return {
    candidate: { bank: [b.index], expected: entries.map((e) => e.index), score, explain },
    // Unique among every subset counted: a coincidence would need another set to exist.
    confidence: n - 1 >= 2 || poolSize <= 1 ? 0.95 : 0.9,
  };
}
