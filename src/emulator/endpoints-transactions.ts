import { z } from "zod";
import { decodeCursor, encodeCursor } from "./change-log.js";
import { type Endpoint, itemEndpoint } from "./endpoint.js";
import { syncUpdatesPayload } from "./endpoints-item.js";
import { failures } from "./errors.js";
import type { Item } from "./item.js";
import { type PlaidTransaction, transactionView, type ViewOptions } from "./transaction.js";
import { accessToken, accountIds, count500, isoDate, offset } from "./validation.js";
import { itemJson } from "./views.js";

/** /transactions/get, /transactions/sync and /transactions/refresh. */

const pfcVersion = z.enum(["v1", "v2"], { message: 'must be "v1" or "v2"' }).nullish();

function viewOptions(
  options:
    | {
        include_original_description?: boolean | null | undefined;
        personal_finance_category_version?: "v1" | "v2" | null | undefined;
      }
    | null
    | undefined,
): ViewOptions {
  return {
    withOriginal: options?.include_original_description === true,
    pfcVersion: options?.personal_finance_category_version ?? "v1",
  };
}

const getSchema = z.object({
  access_token: accessToken,
  start_date: isoDate,
  end_date: isoDate,
  options: z
    .object({
      account_ids: accountIds,
      count: count500.nullish(),
      offset: offset.nullish(),
      include_original_description: z.boolean().nullish(),
      personal_finance_category_version: pfcVersion,
    })
    .nullish(),
});

const syncSchema = z.object({
  access_token: accessToken,
  cursor: z.string().max(256, { message: "must be at most 256 characters" }).nullish(),
  count: count500.nullish(),
  options: z
    .object({
      include_original_description: z.boolean().nullish(),
      days_requested: z.number().int().min(1).max(730).nullish(),
      personal_finance_category_version: pfcVersion,
    })
    .nullish(),
});

/** Newest first, as Plaid orders /transactions/get; ties by id so pages are stable. */
function byDateDescending(a: PlaidTransaction, b: PlaidTransaction): number {
  if (a.date !== b.date) return a.date < b.date ? 1 : -1;
  return a.transaction_id < b.transaction_id ? -1 : a.transaction_id > b.transaction_id ? 1 : 0;
}

function requireReady(item: Item): void {
  if (!item.ready) throw failures.productNotReady();
}

export function transactionEndpoints(): Endpoint[] {
  return [
    itemEndpoint("/transactions/get", getSchema, true, (_context, body, item) => {
      requireReady(item);
      if (body.start_date > body.end_date)
        throw failures.invalidField("start_date must not be after end_date");
      const ids = body.options?.account_ids ?? null;
      const matching: PlaidTransaction[] = [];
      for (const transaction of item.log.transactions()) {
        if (transaction.date < body.start_date || transaction.date > body.end_date) continue;
        if (ids !== null && !ids.includes(transaction.account_id)) continue;
        matching.push(transaction);
      }
      matching.sort(byDateDescending);
      const start = body.options?.offset ?? 0;
      const view = viewOptions(body.options);
      const page = matching
        .slice(start, start + (body.options?.count ?? 100))
        .map((transaction) => transactionView(transaction, view));
      return {
        accounts: item
          .transactionAccountsJson()
          .filter((a) => ids === null || ids.includes(a.account_id as string)),
        transactions: page,
        total_transactions: matching.length,
        item: itemJson(item),
      };
    }),
    itemEndpoint("/transactions/sync", syncSchema, true, (_context, body, item) => syncPage(item, body)),
    itemEndpoint(
      "/transactions/refresh",
      z.object({ access_token: accessToken }),
      true,
      async ({ state, notify }, _body, item) => {
        if (item.dynamic) {
          const before = item.log.length;
          item.advanceDay(state.today);
          if (item.log.length > before) await notify(item, syncUpdatesPayload(item.itemId));
        }
        return {};
      },
    ),
  ];
}

/**
 * One page of /transactions/sync. The cursor is an opaque position in the item's change
 * log; a page in the middle of a pagination also carries where that pagination ends, and
 * if the log has grown since, the page is refused with
 * TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION, as Plaid does.
 */
function syncPage(item: Item, body: z.infer<typeof syncSchema>) {
  const cursor = body.cursor ?? "";
  const accounts = item.transactionAccountsJson();
  if (!item.ready && cursor === "") {
    return {
      transactions_update_status: "NOT_READY",
      accounts,
      added: [],
      modified: [],
      removed: [],
      next_cursor: "",
      has_more: false,
    };
  }
  let position = 0;
  let end = item.log.length;
  if (cursor !== "") {
    const decoded = decodeCursor(cursor);
    if (decoded === null || decoded.itemId !== item.itemId || decoded.position > item.log.length) {
      throw failures.invalidField("cursor is not a valid cursor for this item");
    }
    position = decoded.position;
    if (decoded.end !== null) {
      if (decoded.end !== item.log.length) throw failures.mutationDuringPagination();
      end = decoded.end;
    }
  }
  const stop = Math.min(end, position + (body.count ?? 100));
  const net = item.log.net(position, stop);
  const hasMore = stop < end;
  const view = viewOptions(body.options);
  return {
    transactions_update_status: "HISTORICAL_UPDATE_COMPLETE",
    accounts,
    added: net.added.map((t) => transactionView(t, view)),
    modified: net.modified.map((t) => transactionView(t, view)),
    removed: net.removed,
    next_cursor: encodeCursor({ itemId: item.itemId, position: stop, end: hasMore ? end : null }),
    has_more: hasMore,
  };
}
