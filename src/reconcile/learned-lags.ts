import type { PreparedBank, PreparedExpected } from "./prepare.js";
import type { LearnedLagLimit } from "./types.js";

/**
 * How late this business's bank rows post after their ledger dates, learned from the matches
 * the engine is already sure of, per bank account and direction (money in, money out).
 *
 * The date penalty (score.ts) is shaped for lags of a few days: card spend, ACH, payroll. A
 * business whose customers pay net-30 or net-60 would lose every late invoice to it, however
 * clearly the names and amounts agree. Rather than widen the penalty for everyone, the engine
 * measures the lags of its confident one-to-one matches and, where they run long, stretches
 * the penalty and the window for that account and direction in a second pass over the rows
 * still open. Books with short lags learn a stretch of 1 and nothing changes for them.
 */
export interface LagModel {
  /** Divides a positive lag before the date penalty is applied: 1 leaves it as it is. */
  stretch(bank: PreparedBank, expected: PreparedExpected): number;
}

export interface LearnedLags extends LagModel {
  /** The largest stretch learned anywhere; 1 when every account posts as the penalty expects. */
  readonly stretchMax: number;
  /** The date window after the ledger date the second pass uses. */
  readonly windowAfterDays: number;
  /** The stretch learned for a direction over every account (1 when too few matches). */
  directionStretch(direction: "in" | "out"): number;
  /**
   * Days the direction's lags run past what the date penalty expects (its p90 less the
   * penalty's knee; 0 when they do not): what a settlement window should add.
   */
  directionExtraDays(direction: "in" | "out"): number;
  /** What was learned, for the result: one line per account and direction with enough matches. */
  readonly learned: readonly LearnedLag[];
}

/** Bank account id (or "*" for every account of the direction), lag quantiles in days, stretch. */
export type LearnedLag = LearnedLagLimit;

export const NO_STRETCH: LagModel = { stretch: () => 1 };

/** The lag, in days, at which the date penalty turns from gentle to steep (score.ts). */
const PENALTY_KNEE_DAYS = 3;
/**
 * Fewer confident matches than these say nothing about lags: an account's own quantiles need
 * more than a direction's over every account (a savings account with thirty transfers has a
 * noisy p90; it falls back to its direction's).
 */
const SAMPLES_MIN = 20;
const ACCOUNT_SAMPLES_MIN = 100;
/** Caps, whatever the data says: a stretch beyond this would make any date plausible. */
const STRETCH_MAX = 20;
const WINDOW_AFTER_DAYS_MAX = 120;
export interface TeachingPair {
  readonly bank: number;
  readonly expected: number;
  /**
   * Neither row had another candidate. Only such pairs teach: their date counted for nothing
   * in choosing them, whereas a confidence (which the date penalty lowers) would teach that
   * lags are short because long ones were trusted less.
   */
  readonly unrivalled: boolean;
}

export function learnLags(
  pairs: readonly TeachingPair[],
  bank: readonly PreparedBank[],
  expected: readonly PreparedExpected[],
  windowAfterDays: number,
): LearnedLags {
  const byKey = new Map<string, number[]>();
  const add = (key: string, lag: number) => {
    const list = byKey.get(key);
    if (list === undefined) byKey.set(key, [lag]);
    else list.push(lag);
  };
  for (const p of pairs) {
    if (!p.unrivalled) continue;
    const b = bank[p.bank]!;
    const e = expected[p.expected]!;
    // Entries that state their own dates say nothing about the usual lag.
    if (b.amount !== e.amount || e.dayFrom !== null || e.dayTo !== null) continue;
    const lag = b.day - e.day;
    const direction = directionOf(e.amount);
    add(`${direction}\u0000*`, lag);
    if (b.account !== null) add(`${direction}\u0000${b.account}`, lag);
  }
  const stretches = new Map<string, number>();
  const p90s = new Map<string, number>();
  const learned: LearnedLag[] = [];
  let stretchMax = 1;
  for (const key of [...byKey.keys()].sort()) {
    const lags = byKey.get(key)!;
    const [direction, account] = key.split("\u0000") as ["in" | "out", string];
    if (lags.length < (account === "*" ? SAMPLES_MIN : ACCOUNT_SAMPLES_MIN)) continue;
    lags.sort((x, y) => x - y);
    const p50 = quantile(lags, 0.5);
    const p90 = quantile(lags, 0.9);
    const stretch = Math.min(STRETCH_MAX, Math.max(1, p90 / PENALTY_KNEE_DAYS));
    stretches.set(key, stretch);
    p90s.set(key, p90);
    stretchMax = Math.max(stretchMax, stretch);
    learned.push({ account, direction, matches: lags.length, p50, p90, stretch: round2(stretch) });
  }
  return {
    stretchMax,
    windowAfterDays: Math.min(
      WINDOW_AFTER_DAYS_MAX,
      Math.max(windowAfterDays, Math.ceil(windowAfterDays * stretchMax)),
    ),
    learned,
    directionStretch: (direction) => stretches.get(`${direction}\u0000*`) ?? 1,
    directionExtraDays: (direction) =>
      Math.max(0, (p90s.get(`${direction}\u0000*`) ?? 0) - PENALTY_KNEE_DAYS),
    stretch(b, e) {
      const direction = directionOf(e.amount);
      return (
        (b.account === null ? undefined : stretches.get(`${direction}\u0000${b.account}`)) ??
        stretches.get(`${direction}\u0000*`) ??
        1
      );
    },
  };
}

function directionOf(amount: number): "in" | "out" {
  return amount > 0 ? "in" : "out";
}

/** The value at quantile q of ascending values (nearest rank). */
function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
