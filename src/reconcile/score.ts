import { type LagModel, NO_STRETCH } from "./learned-lags.js";
import {
  containsId,
  type PreparedBank,
  type PreparedExpected,
  type SettlementBank,
  type SettlementEntry,
  type WordWeights,
} from "./prepare.js";
import type { MatchReason } from "./types.js";

/**
 * The score of "this bank row is that ledger entry", in points. Every feature is explainable
 * and reported as a reason; the weights encode how bookkeepers decide:
 * - the amount must agree (candidates are only generated where it does);
 * - banks post on the ledger day or a few days after, rarely before; checks clear weeks later;
 * - a reference or check number echoed by the bank is near proof, a different check number
 *   is near disproof;
 * - the parties' names agree, weighted by how rare each word is.
 */
export const SCORE_BASE = 50;
/** A pair scoring below this is never matched: leaving both unmatched is better. */
export const SCORE_ACCEPT_MIN = 25;
export const TEXT_WEIGHT = 30;
export const REFERENCE_WEIGHT = 40;
const CODE_IN_DESCRIPTION_WEIGHT = 20;
const CHECK_NUMBER_CONFLICT = -45;
const ACCOUNT_WEIGHT = 4;
const PENDING_PENALTY = 1;

/** Penalty in points for a bank row posting `lagDays` after the ledger date. */
export function datePenalty(lagDays: number): number {
  if (lagDays >= 0) return lagDays <= 3 ? 1.5 * lagDays : 4.5 + 1.2 * (lagDays - 3);
  return 4 * -lagDays;
}

/**
 * Days from the entry's expected dates to a bank day: from the ledger date, or, when the entry
 * states bounds ("paid between the 3rd and the 10th"), 0 inside them and the distance to the
 * nearer bound outside (negative before).
 */
export function lagFor(day: number, e: PreparedExpected): number {
  if (!statesOwnDates(e)) return day - e.day;
  const lower = e.dayFrom ?? Math.min(e.day, e.dayTo!);
  const upper = e.dayTo ?? Math.max(e.day, e.dayFrom!);
  return day < lower ? day - lower : day > upper ? day - upper : 0;
}

/** How far around an entry's date its bank rows are looked for (the engine's date window). */
export interface DateWindow {
  readonly dateWindowBeforeDays: number;
  readonly dateWindowAfterDays: number;
}

/**
 * The first and last bank day looked at for an entry: its own date bounds where it states
 * them ("paid between the 3rd and the 10th"), else the window around its ledger date.
 */
export function firstDayFor(e: PreparedExpected, window: DateWindow): number {
  return e.dayFrom ?? e.day - window.dateWindowBeforeDays;
}

export function lastDayFor(e: PreparedExpected, window: DateWindow): number {
  return e.dayTo ?? e.day + window.dateWindowAfterDays;
}

/** Whether the entry says between which dates the bank should post it. */
function statesOwnDates(e: PreparedExpected): boolean {
  return e.dayFrom !== null || e.dayTo !== null;
}

/** The lag with the smaller penalty among the posting and the authorization date. */
export function effectiveLag(bank: PreparedBank, expected: PreparedExpected): number {
  const posted = lagFor(bank.day, expected);
  if (bank.authorizedDay === null) return posted;
  const authorized = lagFor(bank.authorizedDay, expected);
  return datePenalty(authorized) < datePenalty(posted) ? authorized : posted;
}

/** Whether a ledger word appears among the bank's words, allowing truncation either way. */
function wordFound(bank: SettlementBank, id: number, word: string): boolean {
  if (containsId(bank.words, id)) return true;
  for (const b of bank.wordText) {
    if (b.length >= 3 && word.length > b.length && word.startsWith(b)) return true;
    if (word.length >= 4 && b.length > word.length && b.startsWith(word)) return true;
  }
  return false;
}

/**
 * Share of the ledger entry's words (weighted by rarity) that the bank row carries, 0..1.
 * A merchant name equal to the counterparty counts as full agreement.
 */
export function textSimilarity(
  bank: SettlementBank,
  expected: SettlementEntry,
  vocabulary: WordWeights,
): number {
  if (bank.merchant !== null && bank.merchant === expected.counterpartyKey) return 1;
  const alias = aliasWeight(bank, expected, vocabulary);
  const weights = vocabulary.weights;
  let total = 0;
  let found = 0;
  for (let i = 0; i < expected.words.length; i++) {
    const id = expected.words[i]!;
    const w = weights[id]!;
    total += w;
    if (wordFound(bank, id, expected.wordText[i]!)) found += w;
  }
  return Math.max(alias, total === 0 ? 0 : found / total);
}

/** How much people's earlier decisions say this descriptor is this counterparty (0 if never). */
function aliasWeight(bank: SettlementBank, expected: SettlementEntry, vocabulary: WordWeights): number {
  const aliases = vocabulary.aliases;
  if (aliases === null || bank.descriptor === null || expected.counterpartyKey === null) return 0;
  return aliases.get(`${bank.descriptor}\u0000${expected.counterpartyKey}`) ?? 0;
}

/** Points from references, check numbers and codes; with `reasons`, says which. */
export function referenceScore(
  bank: PreparedBank,
  expected: PreparedExpected,
  reasons?: MatchReason[],
): number {
  const ref = expected.referenceText;
  if (bank.checkNumber !== null && ref !== null && /^\d+$/.test(ref)) {
    const same = bank.checkNumber === ref;
    reasons?.push({
      feature: "check_number",
      contribution: same ? REFERENCE_WEIGHT : CHECK_NUMBER_CONFLICT,
      detail: same ? `check number ${ref} agrees` : `check ${bank.checkNumber} is not check ${ref}`,
    });
    return same ? REFERENCE_WEIGHT : CHECK_NUMBER_CONFLICT;
  }
  if (expected.reference >= 0 && containsId(bank.codes, expected.reference)) {
    reasons?.push({ feature: "reference", contribution: REFERENCE_WEIGHT, detail: `reference ${ref} found` });
    return REFERENCE_WEIGHT;
  }
  for (const code of expected.codes) {
    if (code !== expected.reference && containsId(bank.codes, code)) {
      reasons?.push({
        feature: "reference",
        contribution: CODE_IN_DESCRIPTION_WEIGHT,
        detail: "a number in the description is found",
      });
      return CODE_IN_DESCRIPTION_WEIGHT;
    }
  }
  return 0;
}

/**
 * Scores a candidate pair whose amounts already agree. With `reasons`, records each feature's
 * contribution in words (only done for the matches finally reported).
 */
export function scorePair(
  bank: PreparedBank,
  expected: PreparedExpected,
  vocabulary: WordWeights,
  reasons?: MatchReason[],
  lags: LagModel = NO_STRETCH,
): number {
  const lag = effectiveLag(bank, expected);
  const stretch = lag > 0 ? lags.stretch(bank, expected) : 1;
  const date = -datePenalty(lag / stretch);
  const similarity = textSimilarity(bank, expected, vocabulary);
  const text = TEXT_WEIGHT * similarity;
  const account = bank.account !== null && bank.account === expected.account ? ACCOUNT_WEIGHT : 0;
  const pending = bank.row.pending ? -PENDING_PENALTY : 0;
  if (reasons !== undefined) {
    reasons.push(
      stretch === 1
        ? dateReason(lag, statesOwnDates(expected))
        : {
            feature: "date",
            contribution: roundPoints(date),
            detail: `${lagText(lag, statesOwnDates(expected))}, usual for this account`,
          },
    );
    if (text > 0) {
      reasons.push({
        feature: "description",
        contribution: roundPoints(text),
        detail: agreeText(Math.round(similarity * 100)),
      });
    }
    if (account > 0) reasons.push(SAME_ACCOUNT);
    if (pending < 0) reasons.push(PENDING);
  }
  return SCORE_BASE + date + text + account + pending + referenceScore(bank, expected, reasons);
}

/**
 * A million matches' reasons are mostly the same few hundred: made once and shared (frozen)
 * by every match that has them, rather than an object and a string per match, which was
 * hundreds of MB for the collector to copy and mark at a million rows.
 */
const AGREE_TEXT = Array.from({ length: 101 }, (_, percent) => `names agree ${percent}%`);
const agreeText = (percent: number) => AGREE_TEXT[percent] ?? `names agree ${percent}%`;
const SAME_ACCOUNT: MatchReason = Object.freeze({
  feature: "account",
  contribution: ACCOUNT_WEIGHT,
  detail: "same account",
});
const PENDING: MatchReason = Object.freeze({
  feature: "pending",
  contribution: -PENDING_PENALTY,
  detail: "bank row is pending",
});
/** Date reasons by lag: from the ledger date, and from an entry's own bounds. */
const DATE_REASONS = [new Map<number, MatchReason>(), new Map<number, MatchReason>()] as const;
const DATE_REASONS_MAX = 4096;

/** The date reason of a pair whose effective lag is `lag` days (`bounded`: from the entry's bounds). */
function dateReason(lag: number, bounded: boolean): MatchReason {
  const cache = DATE_REASONS[bounded ? 1 : 0];
  let reason = cache.get(lag);
  if (reason === undefined) {
    reason = Object.freeze({
      feature: "date",
      contribution: roundPoints(-datePenalty(lag)),
      detail: lagText(lag, bounded),
    });
    if (cache.size < DATE_REASONS_MAX) cache.set(lag, reason);
  }
  return reason;
}

function lagText(lag: number, bounded: boolean): string {
  if (lag === 0) return bounded ? "within the expected dates" : "same day";
  const days = Math.abs(lag) === 1 ? "1 day" : `${Math.abs(lag)} days`;
  const from = bounded ? "the expected dates" : "ledger";
  return lag > 0 ? `bank ${days} after ${from}` : `bank ${days} before ${from}`;
}

/** Score points rounded to hundredths, for reasons people read. */
export function roundPoints(x: number): number {
  return Math.round(x * 100) / 100;
}
