import type { Secret } from "../secrets/index.js";
import type { PlaidCaller } from "./caller.js";
import { PlaidApiError } from "./errors.js";
import { type PlaidAccountRecord, toPlaidAccountRecord } from "./map-account.js";
import {
  type PlaidTransactionRecord,
  removedTransactionId,
  toPlaidTransactionRecord,
} from "./map-transaction.js";
import { checkCount, PAGE_COUNT_MAX, pageLimit } from "./transactions.js";

/** 10,000 pages of 500 is five million changes: past that the loop is not converging. */
export const SYNC_PAGES_MAX = 10_000;
/** Restarts after TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION before giving up. */
export const SYNC_RESTARTS_MAX = 5;

const MUTATION = "TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION";

export interface SyncOptions {
  /** The cursor saved by the last complete run; "" or absent for the first sync. */
  readonly cursor?: string;
  /** Page size, 1..500; default 500. */
  readonly count?: number;
  /** Taxonomy of `personal_finance_category`; Plaid's default (v1) when absent. */
  readonly personalFinanceCategoryVersion?: "v1" | "v2";
  readonly pagesMax?: number;
  readonly restartsMax?: number;
}

/** One page of changes. Apply it to a pending change-set, not to the store yet. */
export interface SyncPage {
  readonly kind: "page";
  /** Counts pages of the current run, from 0; back to 0 after a restart. */
  readonly pageIndex: number;
  /** How many restarts preceded this page's run. */
  readonly run: number;
  readonly added: readonly PlaidTransactionRecord[];
  readonly modified: readonly PlaidTransactionRecord[];
  readonly removed: readonly string[];
  readonly accounts: readonly PlaidAccountRecord[];
  /** The cursor this page was requested with, and the one after it (not yet safe to store). */
  readonly cursor: string;
  readonly nextCursor: string;
  readonly hasMore: boolean;
}

/** Plaid's history moved under the run: discard every page of the run so far. */
export interface SyncRestart {
  readonly kind: "restart";
  readonly reason: "mutation_during_pagination";
  /** Pages the consumer must throw away (all pages yielded since the run began). */
  readonly discardedPages: number;
  /** The run starts again from here: the cursor the loop began with. */
  readonly fromCursor: string;
  readonly requestId: string | null;
}

/** The run is over. Commit the change-set and `nextCursor` together, atomically. */
export interface SyncEnd {
  readonly kind: "end";
  /**
   * false when Plaid has no data for the Item yet (initial pull not finished: an empty
   * `next_cursor` and no changes); nothing to apply, keep the old cursor and wait for
   * SYNC_UPDATES_AVAILABLE.
   */
  readonly ready: boolean;
  readonly nextCursor: string;
  /** Plaid's `transactions_update_status` (`INITIAL_UPDATE_COMPLETE`, …; open). */
  readonly updateStatus: string | null;
  readonly pages: number;
  readonly restarts: number;
}

export type SyncStep = SyncPage | SyncRestart | SyncEnd;

/**
 * `/transactions/sync` as an async iterator of steps. The contract, so that a consumer never
 * applies a partial run:
 *
 * - `page`: changes of one page, in order. Stage them (a database transaction, a list).
 * - `restart`: Plaid reported TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION; drop everything
 *   staged since the run began; the next pages restart from the run's first cursor.
 * - `end`: the last step. Commit the staged changes with `nextCursor`, atomically. If
 *   `ready` is false there is nothing to commit.
 * - If iteration throws (a PlaidApiError), commit nothing; the old cursor stays valid.
 *
 * Bounded: at most `pagesMax` pages and `restartsMax` restarts, then it throws.
 *
 * @example
 * for await (const step of gateway.syncTransactions(token, { cursor: saved })) {
 *   if (step.kind === "page") staged.push(step);
 *   else if (step.kind === "restart") staged.length = 0;
 *   else if (step.ready) await store.applyRun(staged, step.nextCursor);
 * }
 */
export async function* syncTransactions(
  caller: PlaidCaller,
  accessToken: Secret,
  options: SyncOptions = {},
): AsyncGenerator<SyncStep, void, undefined> {
  const startCursor = options.cursor ?? "";
  const count = checkCount(options.count ?? PAGE_COUNT_MAX);
  const pagesMax = options.pagesMax ?? SYNC_PAGES_MAX;
  const restartsMax = options.restartsMax ?? SYNC_RESTARTS_MAX;
  let restarts = 0;
  let pages = 0;
  let pageIndex = 0;
  let cursor = startCursor;
  for (;;) {
    if (pages >= pagesMax) throw pageLimit("transactionsSync", pages);
    let data: Awaited<ReturnType<typeof requestPage>>;
    try {
      data = await requestPage(caller, accessToken, cursor, count, options.personalFinanceCategoryVersion);
    } catch (error) {
      if (!(error instanceof PlaidApiError) || error.errorCode !== MUTATION || restarts >= restartsMax)
        throw error;
      restarts++;
      yield {
        kind: "restart",
        reason: "mutation_during_pagination",
        discardedPages: pageIndex,
        fromCursor: startCursor,
        requestId: error.requestId,
      };
      cursor = startCursor;
      pageIndex = 0;
      continue;
    }
    pages++;
    const empty = data.added.length === 0 && data.modified.length === 0 && data.removed.length === 0;
    if (data.next_cursor === "" && empty && !data.has_more) {
      yield {
        kind: "end",
        ready: false,
        nextCursor: startCursor,
        updateStatus: statusOf(data),
        pages,
        restarts,
      };
      return;
    }
    if (data.next_cursor === "") throw invalidCursor(data.request_id);
    yield {
      kind: "page",
      pageIndex,
      run: restarts,
      added: data.added.map(toPlaidTransactionRecord),
      modified: data.modified.map(toPlaidTransactionRecord),
      removed: data.removed.map(removedTransactionId),
      accounts: data.accounts.map(toPlaidAccountRecord),
      cursor,
      nextCursor: data.next_cursor,
      hasMore: data.has_more,
    };
    pageIndex++;
    cursor = data.next_cursor;
    if (!data.has_more) {
      yield { kind: "end", ready: true, nextCursor: cursor, updateStatus: statusOf(data), pages, restarts };
      return;
    }
  }
}

async function requestPage(
  caller: PlaidCaller,
  accessToken: Secret,
  cursor: string,
  count: number,
  pfcVersion: "v1" | "v2" | undefined,
) {
  return caller.call("transactionsSync", [accessToken], (api) =>
    api.transactionsSync({
      access_token: accessToken.reveal(),
      cursor,
      count,
      ...(pfcVersion === undefined
        ? {}
        : { options: { personal_finance_category_version: pfcVersion as never } }),
    }),
  );
}

function statusOf(data: { transactions_update_status?: unknown }): string | null {
  return typeof data.transactions_update_status === "string" ? data.transactions_update_status : null;
}

function invalidCursor(requestId: string): PlaidApiError {
  return new PlaidApiError({
    operation: "transactionsSync",
    errorType: "INVALID_RESPONSE",
    errorCode: "EMPTY_CURSOR_WITH_DATA",
    errorMessage: "a page with changes came with an empty next_cursor",
    displayMessage: null,
    requestId,
    httpStatus: null,
    retryable: false,
    outcomeUnknown: false,
  });
}

/** A whole, consistent run gathered in memory: the changes in page order and the cursor to store. */
export interface SyncRun {
  readonly ready: boolean;
  readonly added: readonly PlaidTransactionRecord[];
  readonly modified: readonly PlaidTransactionRecord[];
  readonly removed: readonly string[];
  readonly accounts: readonly PlaidAccountRecord[];
  readonly nextCursor: string;
  readonly updateStatus: string | null;
  readonly pages: number;
  readonly restarts: number;
}

/**
 * Runs the iterator to its end, honouring restarts, and returns the run as one value: for
 * callers that can hold a run in memory and apply it in one transaction.
 *
 * @example const run = await collectSyncRun(gateway.syncTransactions(token, { cursor }));
 */
export async function collectSyncRun(steps: AsyncIterable<SyncStep>): Promise<SyncRun> {
  let added: PlaidTransactionRecord[] = [];
  let modified: PlaidTransactionRecord[] = [];
  let removed: string[] = [];
  let accounts: readonly PlaidAccountRecord[] = [];
  for await (const step of steps) {
    if (step.kind === "page") {
      for (const t of step.added) added.push(t);
      for (const t of step.modified) modified.push(t);
      for (const id of step.removed) removed.push(id);
      accounts = step.accounts;
    } else if (step.kind === "restart") {
      added = [];
      modified = [];
      removed = [];
    } else {
      const { ready, nextCursor, updateStatus, pages, restarts } = step;
      return { ready, nextCursor, updateStatus, pages, restarts, added, modified, removed, accounts };
    }
  }
  throw new Error("transactions sync ended without an end step");
}
