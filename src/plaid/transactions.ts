import { isIsoDate } from "../domain/iso-date.js";
import { InputError } from "../errors/index.js";
import type { Secret } from "../secrets/index.js";
import type { PlaidCaller } from "./caller.js";
import { PlaidApiError } from "./errors.js";
import { type PlaidAccountRecord, toPlaidAccountRecord } from "./map-account.js";
import { type PlaidTransactionRecord, toPlaidTransactionRecord } from "./map-transaction.js";

/** Plaid's largest page for `/transactions/get` and `/investments/transactions/get`. */
export const PAGE_COUNT_MAX = 500;
/** A bound on offset pagination: 2,000 pages of 500 is a million rows. */
export const OFFSET_PAGES_MAX = 2_000;

export interface DateRange {
  /** Inclusive, YYYY-MM-DD. */
  readonly startDate: string;
  /** Inclusive, YYYY-MM-DD. */
  readonly endDate: string;
  readonly accountIds?: readonly string[];
}

export interface PageOptions {
  /** 1..500; default 100 (Plaid's default). */
  readonly count?: number;
  readonly offset?: number;
}

export interface TransactionsPage {
  readonly transactions: readonly PlaidTransactionRecord[];
  readonly accounts: readonly PlaidAccountRecord[];
  /** How many transactions match the range and filter in all (not just this page). */
  readonly totalTransactions: number;
  readonly requestId: string;
}

/**
 * The checked date range and page of a `/transactions/get`-style request (also
 * `/investments/transactions/get`), without the access token, which the caller adds last.
 */
export function rangePageRequest(range: DateRange & PageOptions) {
  checkRange(range);
  return {
    start_date: range.startDate,
    end_date: range.endDate,
    options: {
      count: checkCount(range.count ?? 100),
      offset: checkOffset(range.offset ?? 0),
      ...(range.accountIds === undefined ? {} : { account_ids: [...range.accountIds] }),
    },
  };
}

/** `/transactions/get`: one page of a date range, optionally for some accounts only. */
export async function getTransactions(
  caller: PlaidCaller,
  accessToken: Secret,
  range: DateRange & PageOptions,
): Promise<TransactionsPage> {
  const request = rangePageRequest(range);
  const data = await caller.call("transactionsGet", [accessToken], (api) =>
    api.transactionsGet({ access_token: accessToken.reveal(), ...request }),
  );
  return {
    transactions: data.transactions.map(toPlaidTransactionRecord),
    accounts: data.accounts.map(toPlaidAccountRecord),
    totalTransactions: data.total_transactions,
    requestId: data.request_id,
  };
}

/**
 * Every transaction of a date range, by pages of 500 until `total_transactions` is reached.
 * Offset pagination can skip or repeat rows if the bank changes history meanwhile; the result
 * is deduplicated by id, and `/transactions/sync` is the way to follow changes.
 */
export async function getAllTransactions(
  caller: PlaidCaller,
  accessToken: Secret,
  range: DateRange,
): Promise<TransactionsPage & { readonly pages: number }> {
  const byId = new Map<string, PlaidTransactionRecord>();
  let page = await getTransactions(caller, accessToken, { ...range, count: PAGE_COUNT_MAX, offset: 0 });
  let offset = 0;
  let pages = 1;
  for (;;) {
    for (const transaction of page.transactions) byId.set(transaction.id, transaction);
    offset += page.transactions.length;
    if (page.transactions.length === 0 || offset >= page.totalTransactions) break;
    if (pages >= OFFSET_PAGES_MAX) throw pageLimit("transactionsGet", pages);
    page = await getTransactions(caller, accessToken, { ...range, count: PAGE_COUNT_MAX, offset });
    pages++;
  }
  return { ...page, transactions: [...byId.values()], pages };
}

/** `/transactions/refresh`: asks Plaid to pull now; changes arrive by webhook. */
export async function refreshTransactions(
  caller: PlaidCaller,
  accessToken: Secret,
): Promise<{ requestId: string }> {
  const data = await caller.call("transactionsRefresh", [accessToken], (api) =>
    api.transactionsRefresh({ access_token: accessToken.reveal() }),
  );
  return { requestId: data.request_id };
}

export function checkRange(range: DateRange): void {
  if (!isIsoDate(range.startDate))
    throw new InputError(`startDate "${range.startDate}" is not a YYYY-MM-DD date`);
  if (!isIsoDate(range.endDate)) throw new InputError(`endDate "${range.endDate}" is not a YYYY-MM-DD date`);
  if (range.startDate > range.endDate) {
    throw new InputError(`startDate ${range.startDate} is after endDate ${range.endDate}`);
  }
}

export function checkCount(count: number): number {
  if (!Number.isInteger(count) || count < 1 || count > PAGE_COUNT_MAX) {
    throw new InputError(`count must be an integer from 1 to ${PAGE_COUNT_MAX}, got ${count}`);
  }
  return count;
}

export function checkOffset(offset: number): number {
  if (!Number.isInteger(offset) || offset < 0)
    throw new InputError(`offset must be an integer ≥ 0, got ${offset}`);
  return offset;
}

export function pageLimit(operation: string, pages: number): PlaidApiError {
  return new PlaidApiError({
    operation,
    errorType: "CLIENT_ERROR",
    errorCode: "PAGE_LIMIT",
    errorMessage: `stopped after ${pages} pages: the answer never ended`,
    displayMessage: null,
    requestId: null,
    httpStatus: null,
    retryable: false,
    outcomeUnknown: false,
  });
}
