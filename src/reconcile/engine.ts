import type { BankTransaction, ExpectedEntry } from "../domain/index.js";
import { ConfigError, InputError } from "../errors/index.js";
import { formatAmount } from "../money/index.js";
import { BankIndex, type CandidateLimits } from "./candidates.js";
import { chooseGroups, type GroupCandidate, type GroupLimits } from "./group-choice.js";
import { type LagModel, learnLags, NO_STRETCH } from "./learned-lags.js";
import { matchNearAmounts, type NearLimits } from "./near-amount.js";
import { oneToManyCandidates } from "./one-to-many.js";
import { matchOneToOne } from "./one-to-one.js";
import { matchPayouts } from "./payouts/index.js";
import {
  type PreparedBank,
  type PreparedExpected,
  prepareBank,
  prepareExpected,
  Vocabulary,
} from "./prepare.js";
import { buildResult } from "./result.js";
import { scorePair } from "./score.js";
import { chooseFeeAnchored, chooseManyToOne, inProcessExecutor } from "./settlements/index.js";
import type { Match, MatchReason, ReconcileOptions, ReconcileResult } from "./types.js";

export const DEFAULTS = {
  dateWindowBeforeDays: 5,
  dateWindowAfterDays: 45,
  amountToleranceMinor: 0,
  nearAmountMaxRatio: 0.05,
  nearAmountMaxMinor: 10_000,
  groupSizeMax: 6,
  reviewBelowConfidence: 0.6,
  threads: 1,
} as const;

/** A payout posts within this many days of its fee entry. */
const SETTLEMENT_LAG_DAYS_MAX = 25;
/** A payout's sales are dated up to this many days before its fee entry. */
const SALES_SPREAD_DAYS = 3;

const AMBIGUOUS_REASON =
  "several sets of open entries less a fee entry add up to it: the processor's payout report (--settlements) can tell which";

type Settings = { -readonly [K in keyof typeof DEFAULTS]: number };

/** Rows in a canonical order, so that shuffling either input changes nothing. */
function canonical<T extends { readonly id: string }>(rows: readonly T[], side: string): T[] {
  const sorted = [...rows].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i]!.id === sorted[i - 1]!.id)
      throw new InputError(`${side} id "${sorted[i]!.id}" appears twice`);
  }
  return sorted;
}

function settingsOf(options: ReconcileOptions): Settings {
  const s: Settings = { ...DEFAULTS };
  for (const key of Object.keys(DEFAULTS) as (keyof Settings)[]) {
    const value = options[key];
    if (value === undefined) continue;
    if (!Number.isFinite(value) || value < 0)
      throw new ConfigError(`option ${key} must be a non-negative number`);
    s[key] = value;
  }
  if (!Number.isInteger(s.threads) || s.threads < 1)
    throw new ConfigError("option threads must be a whole number of at least 1");
  return s;
}

/**
 * Matches bank transactions to expected entries. Pure and deterministic: no I/O, no clock,
 * and the same inputs in any order give the same result.
 *
 * @example
 * const result = reconcile(bankTransactions, ledgerEntries, { dateWindowAfterDays: 30 });
 * for (const m of result.matches) console.log(m.bankTransactionIds, m.expectedIds, m.confidence);
 */
export function reconcile(
  bankRows: readonly BankTransaction[],
  expectedRows: readonly ExpectedEntry[],
  options: ReconcileOptions = {},
): ReconcileResult {
  const settings = settingsOf(options);
  const progress = options.onProgress ?? (() => {});
  const bankSorted = canonical(bankRows, "bank transaction");
  const expectedSorted = canonical(expectedRows, "expected entry");
  const vocabulary = new Vocabulary();
  vocabulary.learnAliases(options.learnedAliases ?? []);
  progress("prepare", 0, bankSorted.length + expectedSorted.length);
  const expected = expectedSorted.map((row, i) => prepareExpected(row, i, vocabulary));
  const bank = bankSorted.map((row, i) => prepareBank(row, i, vocabulary));
  vocabulary.finish();
  progress("prepare", bank.length + expected.length, bank.length + expected.length);

  const matchedBank = new Uint8Array(bank.length);
  const matchedExpected = new Uint8Array(expected.length);
  const matches: Match[] = [];
  // Processor payouts first: their report says for certain what amounts alone cannot.
  for (const found of matchPayouts(options.payouts ?? [], bank, expected)) {
    matchedBank[found.bank] = 1;
    for (const i of found.expected) matchedExpected[i] = 1;
    matches.push(found.match);
  }
  const index = new BankIndex(bank);
  const limits: CandidateLimits = {
    dateWindowBeforeDays: settings.dateWindowBeforeDays,
    dateWindowAfterDays: settings.dateWindowAfterDays,
    amountToleranceMinor: settings.amountToleranceMinor,
    perEntryMax: 24,
  };
  progress("one-to-one", 0, expected.length);
  const payoutsOpen = expected.filter((e) => matchedExpected[e.index] === 0);
  const firstPairs = matchOneToOne(bank, payoutsOpen, index, vocabulary, limits, isOpen(matchedBank));
  for (const pair of firstPairs) {
    matchedBank[pair.bank] = 1;
    matchedExpected[pair.expected] = 1;
    matches.push(pairMatch(bank[pair.bank]!, expected[pair.expected]!, pair, vocabulary, settings));
  }
  const lags = learnLags(firstPairs, bank, expected, settings.dateWindowAfterDays);
  progress("one-to-one", expected.length, expected.length);

  progress("groups", 0, 1);
  const openBank = bank.filter((b) => matchedBank[b.index] === 0);
  const openExpected = expected.filter((e) => matchedExpected[e.index] === 0);
  const groupLimits: GroupLimits = {
    sizeMax: Math.max(2, Math.floor(settings.groupSizeMax)),
    dateWindowBeforeDays: settings.dateWindowBeforeDays,
    dateWindowAfterDays: settings.dateWindowAfterDays,
  };
  const accept = ({ candidate, confidence }: { candidate: GroupCandidate; confidence: number }) => {
    for (const i of candidate.bank) matchedBank[i] = 1;
    for (const i of candidate.expected) matchedExpected[i] = 1;
    matches.push(groupMatch(bank, expected, candidate, confidence, settings));
  };
  const withAccount = expected.filter((e) => e.account !== null).length;
  const accountlessAreOwn = withAccount * 2 < expected.length;
  chooseManyToOne(
    openBank,
    openExpected,
    expected.length,
    vocabulary,
    {
      ...groupLimits,
      // Settlements are money in: as late as this business's deposits run.
      dateWindowAfterDays: Math.min(
        lags.windowAfterDays,
        settings.dateWindowAfterDays + lags.directionExtraDays("in"),
      ),
      lagExtraDays: lags.directionExtraDays("in"),
      accountlessAreOwn,
    },
    options.executor ?? inProcessExecutor,
  ).forEach(accept);
  const stillOpenBank = openBank.filter((b) => matchedBank[b.index] === 0);
  const stillOpenExpected = openExpected.filter((e) => matchedExpected[e.index] === 0);
  chooseGroups(oneToManyCandidates(stillOpenBank, stillOpenExpected, vocabulary, groupLimits)).forEach(
    accept,
  );
  progress("groups", 1, 1);

  // Learn how late this business's rows post, and give the rows still open a second chance
  // where they run later than the date penalty expects (learned-lags.ts).
  if (lags.stretchMax > 1) {
    const stillOpen = expected.filter((e) => matchedExpected[e.index] === 0);
    const wider = { ...limits, dateWindowAfterDays: lags.windowAfterDays };
    for (const pair of matchOneToOne(bank, stillOpen, index, vocabulary, wider, isOpen(matchedBank), lags)) {
      matchedBank[pair.bank] = 1;
      matchedExpected[pair.expected] = 1;
      matches.push(pairMatch(bank[pair.bank]!, expected[pair.expected]!, pair, vocabulary, settings, lags));
    }
  }
  const nearBank = bank.filter((b) => matchedBank[b.index] === 0);
  const nearExpected = expected.filter((e) => matchedExpected[e.index] === 0);
  const nearLimits: NearLimits = {
    ratioMax: settings.nearAmountMaxRatio,
    shortfallMaxMinor: settings.nearAmountMaxMinor,
    dateWindowBeforeDays: settings.dateWindowBeforeDays,
    dateWindowAfterDays: settings.dateWindowAfterDays,
  };
  for (const pair of matchNearAmounts(nearBank, nearExpected, vocabulary, nearLimits)) {
    matchedBank[pair.bank] = 1;
    matchedExpected[pair.expected] = 1;
    matches.push(pairMatch(bank[pair.bank]!, expected[pair.expected]!, pair, vocabulary, settings));
  }
  // Deposits still open that are a set of open entries less a fee entry: taken when theirs is
  // the one exact sum and unlikely to be chance, else reported as ambiguous, not guessed.
  const feeAnchored = chooseFeeAnchored(
    bank.filter((b) => matchedBank[b.index] === 0),
    expected.filter((e) => matchedExpected[e.index] === 0),
    {
      lagDaysMax: Math.min(SETTLEMENT_LAG_DAYS_MAX, settings.dateWindowAfterDays),
      salesSpreadDays: SALES_SPREAD_DAYS,
      accountlessAreOwn,
    },
  );
  feeAnchored.chosen.forEach(accept);
  const ambiguous = feeAnchored.ambiguous.map((a) => ({
    bankTransactionId: bank[a.bank]!.row.id,
    reason: AMBIGUOUS_REASON,
  }));
  return buildResult(bankSorted, expectedSorted, matches, matchedBank, matchedExpected, ambiguous, {
    dateWindowBeforeDays: settings.dateWindowBeforeDays,
    dateWindowAfterDays: settings.dateWindowAfterDays,
    learnedWindowAfterDays: lags.stretchMax > 1 ? lags.windowAfterDays : settings.dateWindowAfterDays,
    groupSizeMax: groupLimits.sizeMax,
    lags: lags.learned,
  });
}

/** A bank row is open until a match takes it. */
function isOpen(matched: Uint8Array): (i: number) => boolean {
  return (i) => matched[i] === 0;
}

/** Shared by every exact one-to-one match (see score.ts on shared reasons). */
const SAME_AMOUNT: MatchReason = Object.freeze({
  feature: "amount",
  contribution: 50,
  detail: "same amount",
});

function pairMatch(
  b: PreparedBank,
  e: PreparedExpected,
  pair: { readonly confidence: number },
  vocabulary: Vocabulary,
  settings: Settings,
  lags: LagModel = NO_STRETCH,
): Match {
  const difference = b.amount - e.amount;
  const reasons: MatchReason[] = [
    difference === 0
      ? SAME_AMOUNT
      : {
          feature: "amount",
          contribution: 44,
          detail: `amount differs by ${formatAmount(difference, e.currency)}`,
        },
  ];
  scorePair(b, e, vocabulary, reasons, lags);
  const pending = b.row.pending;
  return {
    kind: "one_to_one",
    bankTransactionIds: [b.row.id],
    expectedIds: [e.row.id],
    confidence: pair.confidence,
    reasons,
    amountDifferenceMinor: difference,
    currency: e.currency,
    pending,
    needsReview: pending || difference !== 0 || pair.confidence < settings.reviewBelowConfidence,
  };
}

function groupMatch(
  bank: readonly PreparedBank[],
  expected: readonly PreparedExpected[],
  candidate: GroupCandidate,
  confidence: number,
  settings: Settings,
): Match {
  const bankRows = candidate.bank.map((i) => bank[i]!);
  const expectedRows = candidate.expected.map((i) => expected[i]!);
  const difference =
    bankRows.reduce((s, b) => s + b.amount, 0) - expectedRows.reduce((s, e) => s + e.amount, 0);
  const pending = bankRows.some((b) => b.row.pending);
  return {
    kind: bankRows.length === 1 ? "many_to_one" : "one_to_many",
    bankTransactionIds: bankRows.map((b) => b.row.id),
    expectedIds: expectedRows.map((e) => e.row.id),
    confidence,
    reasons: candidate.explain(),
    amountDifferenceMinor: difference,
    currency: expectedRows[0]!.currency,
    pending,
    needsReview: pending || difference !== 0 || confidence < settings.reviewBelowConfidence,
  };
}
