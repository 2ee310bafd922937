import type { BankTransaction, ExpectedEntry } from "../domain/index.js";
import { formatAmountPlain } from "../money/index.js";
import type {
  AmbiguousSettlement,
  CurrencyTotals,
  Match,
  MatchKind,
  MatchReason,
  ReconcileResult,
} from "./types.js";

/**
 * The machine forms of a reconciliation result: JSON (snake_case, a superset of the benchmark's
 * result contract) and CSV. Money is always a decimal string in the row's currency, never a float,
 * so "0.10" stays "0.10" in every consumer.
 */

export interface ReasonJson {
  readonly feature: string;
  readonly contribution: number;
  readonly detail: string;
}

export interface MatchJson {
  readonly kind: MatchKind;
  readonly bank_transaction_ids: readonly string[];
  readonly expected_ids: readonly string[];
  /** Rounded to 3 decimals. */
  readonly confidence: number;
  readonly reasons: readonly ReasonJson[];
  /** Bank total minus expected total, e.g. "-25.00". */
  readonly amount_difference: string;
  readonly currency: string;
  readonly pending: boolean;
  readonly needs_review: boolean;
}

export interface UnmatchedBankJson {
  readonly id: string;
  readonly account_id: string | null;
  readonly date: string;
  readonly amount: string;
  readonly currency: string;
  readonly name: string;
  readonly merchant_name: string | null;
  readonly pending: boolean;
}

export interface UnmatchedExpectedJson {
  readonly id: string;
  readonly account_id: string | null;
  readonly date: string;
  readonly amount: string;
  readonly currency: string;
  readonly description: string;
  readonly counterparty: string | null;
  readonly reference: string | null;
}

export interface TotalsJson {
  readonly currency: string;
  readonly bank_matched: string;
  readonly bank_unmatched: string;
  readonly expected_matched: string;
  readonly expected_unmatched: string;
}

export interface SummaryJson {
  readonly bank_count: number;
  readonly expected_count: number;
  readonly match_count: number;
  readonly matched_bank_count: number;
  readonly matched_expected_count: number;
  readonly unmatched_bank_count: number;
  readonly unmatched_expected_count: number;
  readonly needs_review_count: number;
  readonly by_kind: Readonly<Record<MatchKind, number>>;
  readonly totals: readonly TotalsJson[];
  readonly limits?: LimitsJson;
}

/** The limits a run used, learned ones included (see EngineLimits). */
export interface LimitsJson {
  readonly date_window_before_days: number;
  readonly date_window_after_days: number;
  readonly learned_window_after_days: number;
  readonly group_size_max: number;
  readonly lags: readonly {
    account: string;
    direction: string;
    matches: number;
    p50: number;
    p90: number;
    stretch: number;
  }[];
}

export interface ResultJson {
  readonly status: ReconcileResult["status"];
  readonly summary: SummaryJson;
  readonly matches: readonly MatchJson[];
  readonly unmatched_bank: readonly UnmatchedBankJson[];
  readonly unmatched_expected: readonly UnmatchedExpectedJson[];
  readonly ambiguous_settlements: readonly { bank_transaction_id: string; reason: string }[];
}

/** Rounds a score to 3 decimals, the precision people and the JSON need (0.9876 → 0.988). */
function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}

function reasonJson(reason: MatchReason): ReasonJson {
  return { feature: reason.feature, contribution: round3(reason.contribution), detail: reason.detail };
}

/** One match in its JSON form. */
export function matchJson(match: Match): MatchJson {
  return {
    kind: match.kind,
    bank_transaction_ids: [...match.bankTransactionIds],
    expected_ids: [...match.expectedIds],
    confidence: round3(match.confidence),
    reasons: match.reasons.map(reasonJson),
    amount_difference: formatAmountPlain(match.amountDifferenceMinor, match.currency),
    currency: match.currency,
    pending: match.pending,
    needs_review: match.needsReview,
  };
}

/** An unmatched bank row in its JSON form. */
export function unmatchedBankJson(row: BankTransaction): UnmatchedBankJson {
  return {
    id: row.id,
    account_id: row.accountId,
    date: row.date,
    amount: formatAmountPlain(row.amountMinor, row.currency),
    currency: row.currency,
    name: row.name,
    merchant_name: row.merchantName,
    pending: row.pending,
  };
}

/** An unmatched ledger row in its JSON form. */
export function unmatchedExpectedJson(row: ExpectedEntry): UnmatchedExpectedJson {
  return {
    id: row.id,
    account_id: row.accountId,
    date: row.date,
    amount: formatAmountPlain(row.amountMinor, row.currency),
    currency: row.currency,
    description: row.description,
    counterparty: row.counterparty,
    reference: row.reference,
  };
}

function totalsJson(t: CurrencyTotals): TotalsJson {
  return {
    currency: t.currency,
    bank_matched: formatAmountPlain(t.bankMatchedMinor, t.currency),
    bank_unmatched: formatAmountPlain(t.bankUnmatchedMinor, t.currency),
    expected_matched: formatAmountPlain(t.expectedMatchedMinor, t.currency),
    expected_unmatched: formatAmountPlain(t.expectedUnmatchedMinor, t.currency),
  };
}

/** The summary block in its JSON form. */
export function summaryJson(result: ReconcileResult): SummaryJson {
  const s = result.summary;
  return {
    bank_count: s.bankCount,
    expected_count: s.expectedCount,
    match_count: s.matchCount,
    matched_bank_count: s.matchedBankCount,
    matched_expected_count: s.matchedExpectedCount,
    unmatched_bank_count: s.unmatchedBankCount,
    unmatched_expected_count: s.unmatchedExpectedCount,
    needs_review_count: s.needsReviewCount,
    by_kind: {
      one_to_one: s.byKind.one_to_one,
      many_to_one: s.byKind.many_to_one,
      one_to_many: s.byKind.one_to_many,
    },
    totals: s.totals.map(totalsJson),
    ...(s.limits !== undefined && {
      limits: {
        date_window_before_days: s.limits.dateWindowBeforeDays,
        date_window_after_days: s.limits.dateWindowAfterDays,
        learned_window_after_days: s.limits.learnedWindowAfterDays,
        group_size_max: s.limits.groupSizeMax,
        lags: s.limits.lags.map((l) => ({ ...l })),
      },
    }),
  };
}

/**
 * A reconciliation result as a plain JSON-able object in snake_case. The `matches` list satisfies
 * the benchmark's result contract (`bank_transaction_ids`, `expected_ids`).
 *
 * @example
 * JSON.stringify(toResultJson(reconcile(bank, expected)));
 * // {"status":"needs_review","summary":{...},"matches":[{"kind":"one_to_one",
 * //   "bank_transaction_ids":["tx1"],"expected_ids":["INV-1"],"confidence":0.97,...}],...}
 */
export function toResultJson(result: ReconcileResult): ResultJson {
  return {
    status: result.status,
    summary: summaryJson(result),
    matches: result.matches.map(matchJson),
    unmatched_bank: result.unmatchedBank.map(unmatchedBankJson),
    unmatched_expected: result.unmatchedExpected.map(unmatchedExpectedJson),
    ambiguous_settlements: (result.ambiguousSettlements ?? []).map(ambiguousJson),
  };
}

/**
 * The same document as `JSON.stringify(toResultJson(result))`, written piece by piece, one match
 * or row a line, so that a million-row result never has to sit in memory as one string (V8 caps a
 * string near 512 MiB). Join the chunks, or write them to a stream in order.
 *
 * @example
 * for (const chunk of toResultJsonChunks(result)) out.write(chunk);
 */
export function* toResultJsonChunks(result: ReconcileResult): Generator<string> {
  yield `{\n"status": ${JSON.stringify(result.status)},\n"summary": ${JSON.stringify(summaryJson(result))}`;
  yield* jsonArray("matches", result.matches, matchJson);
  yield* jsonArray("unmatched_bank", result.unmatchedBank, unmatchedBankJson);
  yield* jsonArray("unmatched_expected", result.unmatchedExpected, unmatchedExpectedJson);
  yield* jsonArray("ambiguous_settlements", result.ambiguousSettlements ?? [], ambiguousJson);
  yield "\n}\n";
}

function ambiguousJson(a: AmbiguousSettlement) {
  return { bank_transaction_id: a.bankTransactionId, reason: a.reason };
}

function* jsonArray<T>(key: string, items: readonly T[], toJson: (item: T) => unknown): Generator<string> {
  if (items.length === 0) {
    yield `,\n${JSON.stringify(key)}: []`;
    return;
  }
  yield `,\n${JSON.stringify(key)}: [`;
  for (let i = 0; i < items.length; i++) {
    yield `${i === 0 ? "\n  " : ",\n  "}${JSON.stringify(toJson(items[i] as T))}`;
  }
  yield "\n]";
}

/** The CSV header `toResultCsv` writes first. */
export const RESULT_CSV_COLUMNS = [
  "match_no",
  "status",
  "kind",
  "side",
  "id",
  "date",
  "amount",
  "currency",
  "description",
  "confidence",
  "reasons",
] as const;

/** Quotes a CSV field when it holds a comma, a quote or a line break (RFC 4180). */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * Text from a bank or a ledger, made inert for spreadsheets: a cell starting with `=`, `+`,
 * `-`, `@`, a tab or a carriage return is read by Excel and LibreOffice as a formula (CSV
 * injection), so it gets a leading apostrophe, which they hide. Only for text columns:
 * amounts are written by us and may start with a minus.
 */
export function spreadsheetText(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

function csvLine(fields: readonly string[]): string {
  return fields.map(csvField).join(",");
}

/** Status word of a match in the CSV and the table: auto-accepted or for a person to check. */
export function matchStatus(match: Match): "matched" | "needs_review" {
  return match.needsReview ? "needs_review" : "matched";
}

/** The reasons' words, strongest first, joined with "; ". */
export function reasonWords(reasons: readonly MatchReason[], limit = reasons.length): string {
  return [...reasons]
    .sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution))
    .slice(0, limit)
    .map((r) => r.detail)
    .join("; ");
}

function lookup<T>(rows: ReadonlyMap<string, T>, id: string, side: string, matchNo: number): T {
  const row = rows.get(id);
  if (row === undefined)
    throw new Error(`match ${matchNo} names ${side} row "${id}", which is not in the input`);
  return row;
}

/**
 * The result as CSV lines (no line terminators), header first: one line per row of every match
 * (`side` bank or expected, the match's confidence and reasons repeated on each), then the
 * unmatched rows with an empty `match_no`. Lazy, so a million rows stream in constant memory.
 * The maps give each row's date, amount and description; a match naming an id missing from them
 * is a programmer error and throws.
 *
 * @example
 * for (const line of toResultCsv(result, bankById, expectedById)) out.write(`${line}\n`);
 * // match_no,status,kind,side,id,date,amount,currency,description,confidence,reasons
 * // 1,matched,one_to_one,bank,tx1,2025-03-04,1860.00,USD,ORIG CO NAME:HARBORVIEW,0.970,same amount; ...
 */
export function* toResultCsv(
  result: ReconcileResult,
  bankById: ReadonlyMap<string, BankTransaction>,
  expectedById: ReadonlyMap<string, ExpectedEntry>,
): Generator<string> {
  yield RESULT_CSV_COLUMNS.join(",");
  let matchNo = 0;
  for (const match of result.matches) {
    matchNo += 1;
    const shared = [matchStatus(match), match.kind];
    const tail = [match.confidence.toFixed(3), reasonWords(match.reasons)];
    for (const id of match.bankTransactionIds) {
      const row = lookup(bankById, id, "bank", matchNo);
      yield csvLine([String(matchNo), ...shared, "bank", ...bankFields(row), ...tail]);
    }
    for (const id of match.expectedIds) {
      const row = lookup(expectedById, id, "expected", matchNo);
      yield csvLine([String(matchNo), ...shared, "expected", ...expectedFields(row), ...tail]);
    }
  }
  for (const row of result.unmatchedBank)
    yield csvLine(["", "unmatched", "", "bank", ...bankFields(row), "", ""]);
  for (const row of result.unmatchedExpected) {
    yield csvLine(["", "unmatched", "", "expected", ...expectedFields(row), "", ""]);
  }
}

function bankFields(row: BankTransaction): string[] {
  return [
    spreadsheetText(row.id),
    row.date,
    formatAmountPlain(row.amountMinor, row.currency),
    row.currency,
    spreadsheetText(row.name),
  ];
}

function expectedFields(row: ExpectedEntry): string[] {
  return [
    spreadsheetText(row.id),
    row.date,
    formatAmountPlain(row.amountMinor, row.currency),
    row.currency,
    spreadsheetText(row.description),
  ];
}
