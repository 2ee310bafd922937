import type { PlaidApi } from "plaid";
import { describe, expect, it } from "vitest";
import { Secret } from "../secrets/index.js";
import { PlaidApiError } from "./errors.js";
import { PlaidGateway } from "./gateway.js";
import { collectSyncRun, type SyncStep } from "./transactions-sync.js";

const TOKEN = new Secret("access-sandbox-11111111-2222-3333-4444-555555555555");

type Handler = (request: Record<string, unknown>) => unknown;

/** A stand-in for the SDK client: each method answers from a handler and is counted. */
function fakeApi(handlers: Record<string, Handler>) {
  const calls: { method: string; request: Record<string, unknown> }[] = [];
  const api = new Proxy(
    {},
    {
      get: (_target, method: string) => async (request: Record<string, unknown>) => {
        calls.push({ method, request });
        const handler = handlers[method];
        if (handler === undefined) throw new Error(`unexpected call ${method}`);
        return { data: handler(request) };
      },
    },
  ) as PlaidApi;
  return { api, calls, count: (method: string) => calls.filter((c) => c.method === method).length };
}

function gatewayWith(api: PlaidApi, now: () => number = Date.now) {
  return new PlaidGateway({
    config: { clientId: "client", secret: "secret-value", baseUrl: "http://127.0.0.1:1" },
    api,
    timing: { now, sleep: async () => {}, random: () => 0 },
  });
}

function transaction(id: string, amount = 10) {
  return {
    transaction_id: id,
    account_id: "acc",
    amount,
    iso_currency_code: "USD",
    date: "2026-06-01",
    name: id,
    pending: false,
  };
}

function syncPage(cursor: string, ids: string[], hasMore: boolean, extra: Record<string, unknown> = {}) {
  return {
    added: ids.map((id) => transaction(id)),
    modified: [],
    removed: [],
    accounts: [],
    next_cursor: cursor,
    has_more: hasMore,
    transactions_update_status: "HISTORICAL_UPDATE_COMPLETE",
    request_id: "r",
    ...extra,
  };
}

function mutationError(): PlaidApiError {
  return new PlaidApiError({
    operation: "transactionsSync",
    errorType: "TRANSACTIONS_ERROR",
    errorCode: "TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION",
    errorMessage: "underlying transaction data changed",
    displayMessage: null,
    requestId: "mut",
    httpStatus: 400,
    retryable: false,
    outcomeUnknown: false,
  });
}

async function steps(iterable: AsyncIterable<SyncStep>): Promise<SyncStep[]> {
  const out: SyncStep[] = [];
  for await (const step of iterable) out.push(step);
  return out;
}

const accountsBody = {
  accounts: [
    {
      account_id: "acc",
      name: "Checking",
      mask: "0000",
      type: "depository",
      subtype: "checking",
      balances: { available: 1, current: 2, limit: null, iso_currency_code: "USD" },
    },
  ],
  item: { item_id: "item", webhook: null, error: null, available_products: [], billed_products: [] },
  request_id: "r",
};

describe("PlaidGateway balances", () => {
  it("serves repeated calls inside the max age from cache, per item and set of accounts", async () => {
    let nowMs = 1_000_000;
    const fake = fakeApi({ accountsBalanceGet: () => accountsBody });
    const gateway = gatewayWith(fake.api, () => nowMs);
    const first = await gateway.getBalances(TOKEN, { maxAgeMs: 60_000 });
    nowMs += 30_000;
    const second = await gateway.getBalances(TOKEN, { maxAgeMs: 60_000 });
    expect(first.fromCache).toBe(false);
    expect(second.fromCache).toBe(true);
    expect(second.accounts[0]?.balances.currentMinor).toBe(200);
    expect(fake.count("accountsBalanceGet")).toBe(1);

    await gateway.getBalances(TOKEN, { accountIds: ["acc"] });
    await gateway.getBalances(new Secret("access-sandbox-other"), {});
    expect(fake.count("accountsBalanceGet")).toBe(3);

    nowMs += 31_000;
    expect((await gateway.getBalances(TOKEN, { maxAgeMs: 60_000 })).fromCache).toBe(false);
    expect(fake.count("accountsBalanceGet")).toBe(4);
  });

  it("passes min_last_updated_datetime and account ids to Plaid", async () => {
    const fake = fakeApi({ accountsBalanceGet: () => accountsBody });
    await gatewayWith(fake.api).getBalances(TOKEN, {
      accountIds: ["acc"],
      minLastUpdatedDatetime: "2026-06-01T00:00:00Z",
    });
    expect(fake.calls[0]?.request.options).toEqual({
      account_ids: ["acc"],
      min_last_updated_datetime: "2026-06-01T00:00:00Z",
    });
  });
});

describe("PlaidGateway transactions", () => {
  it("pages /transactions/get by 500 until total_transactions", async () => {
    const all = Array.from({ length: 1_234 }, (_, i) => transaction(`t${i}`));
    const fake = fakeApi({
      transactionsGet: (req) => {
        const { count, offset } = req.options as { count: number; offset: number };
        return {
          transactions: all.slice(offset, offset + count),
          accounts: [],
          total_transactions: all.length,
          request_id: "r",
        };
      },
    });
    const result = await gatewayWith(fake.api).getAllTransactions(TOKEN, {
      startDate: "2026-01-01",
      endDate: "2026-06-30",
      accountIds: ["acc"],
    });
    expect(result.transactions).toHaveLength(1_234);
    expect(result.pages).toBe(3);
    expect(fake.calls.map((c) => c.request.options)).toEqual([
      { count: 500, offset: 0, account_ids: ["acc"] },
      { count: 500, offset: 500, account_ids: ["acc"] },
      { count: 500, offset: 1000, account_ids: ["acc"] },
    ]);
  });

  it("refuses a bad date range or page size before calling Plaid", async () => {
    const fake = fakeApi({});
    const gateway = gatewayWith(fake.api);
    await expect(
      gateway.getTransactions(TOKEN, { startDate: "2026-02-01", endDate: "2026-01-01" }),
    ).rejects.toThrow(/after endDate/);
    await expect(
      gateway.getTransactions(TOKEN, { startDate: "2026-01-01", endDate: "2026-02-01", count: 501 }),
    ).rejects.toThrow(/count/);
    expect(fake.calls).toHaveLength(0);
  });
});

describe("PlaidGateway.syncTransactions", () => {
  it("follows has_more and ends with the last cursor", async () => {
    const pages: Record<string, ReturnType<typeof syncPage>> = {
      "": syncPage("c1", ["a", "b"], true),
      c1: syncPage("c2", ["c"], true),
      c2: syncPage("c3", [], false),
    };
    const fake = fakeApi({ transactionsSync: (req) => pages[req.cursor as string] });
    const run = await collectSyncRun(gatewayWith(fake.api).syncTransactions(TOKEN));
    expect(run).toMatchObject({ ready: true, nextCursor: "c3", pages: 3, restarts: 0 });
    expect(run.added.map((t) => t.id)).toEqual(["a", "b", "c"]);
    expect(fake.calls.map((c) => c.request.count)).toEqual([500, 500, 500]);
  });

  it("reports not ready, without looping, when Plaid answers an empty cursor and no data", async () => {
    const fake = fakeApi({
      transactionsSync: () => syncPage("", [], false, { transactions_update_status: "NOT_READY" }),
    });
    const all = await steps(gatewayWith(fake.api).syncTransactions(TOKEN));
    expect(all).toEqual([
      { kind: "end", ready: false, nextCursor: "", updateStatus: "NOT_READY", pages: 1, restarts: 0 },
    ]);
    expect(fake.count("transactionsSync")).toBe(1);
  });

  it("restarts from the run's first cursor on a mutation during pagination and signals the discard", async () => {
    let mutated = false;
    const fake = fakeApi({
      transactionsSync: (req) => {
        if (req.cursor === "saved") return syncPage("c1", ["a"], true);
        if (req.cursor === "c1" && !mutated) {
          mutated = true;
          throw mutationError();
        }
        return syncPage("c2", ["b"], false);
      },
    });
    const all = await steps(gatewayWith(fake.api).syncTransactions(TOKEN, { cursor: "saved" }));
    expect(all.map((s) => s.kind)).toEqual(["page", "restart", "page", "page", "end"]);
    expect(all[1]).toMatchObject({ kind: "restart", discardedPages: 1, fromCursor: "saved" });
    expect(fake.calls.map((c) => c.request.cursor)).toEqual(["saved", "c1", "saved", "c1"]);
    const run = await collectSyncRun(
      (async function* () {
        yield* all;
      })(),
    );
    expect(run.added.map((t) => t.id)).toEqual(["a", "b"]);
    expect(run).toMatchObject({ restarts: 1, nextCursor: "c2" });
  });

  it("gives up after the restart bound with the mutation error", async () => {
    const fake = fakeApi({
      transactionsSync: (req) => {
        if (req.cursor === "") return syncPage("c1", ["a"], true);
        throw mutationError();
      },
    });
    const error = await collectSyncRun(
      gatewayWith(fake.api).syncTransactions(TOKEN, { restartsMax: 2 }),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlaidApiError);
    expect((error as PlaidApiError).errorCode).toBe("TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION");
    expect(fake.count("transactionsSync")).toBe(6);
  });

  it("stops at the page bound when has_more never ends", async () => {
    const fake = fakeApi({ transactionsSync: () => syncPage("same", ["x"], true) });
    const error = await collectSyncRun(gatewayWith(fake.api).syncTransactions(TOKEN, { pagesMax: 5 })).catch(
      (e: unknown) => e,
    );
    expect((error as PlaidApiError).errorCode).toBe("PAGE_LIMIT");
    expect(fake.count("transactionsSync")).toBe(5);
  });
});

describe("PlaidGateway items and Link", () => {
  it("builds a link token request, and an update-mode one with the access token instead of products", async () => {
    const fake = fakeApi({
      linkTokenCreate: () => ({
        link_token: "link-sandbox-1",
        expiration: "2026-07-01T00:00:00Z",
        request_id: "r",
      }),
    });
    const gateway = gatewayWith(fake.api);
    await gateway.createLinkToken({
      clientUserId: "user-1",
      clientName: "bankrec",
      products: ["transactions"],
      webhookUrl: "https://hook",
      daysRequested: 730,
      countryCodes: ["US", "CA"],
      language: "fr",
    });
    await gateway.createLinkToken({ clientUserId: "user-1", clientName: "bankrec", accessToken: TOKEN });
    expect(fake.calls[0]?.request).toEqual({
      client_name: "bankrec",
      language: "fr",
      country_codes: ["US", "CA"],
      user: { client_user_id: "user-1" },
      products: ["transactions"],
      webhook: "https://hook",
      transactions: { days_requested: 730 },
    });
    expect(fake.calls[1]?.request).toMatchObject({ access_token: TOKEN.reveal() });
    expect(fake.calls[1]?.request.products).toBeUndefined();
    await expect(
      gateway.createLinkToken({ clientUserId: "u", clientName: "b", daysRequested: 731 }),
    ).rejects.toThrow(/daysRequested/);
  });

  it("returns the exchanged access token wrapped, so it prints as [Secret]", async () => {
    const fake = fakeApi({
      itemPublicTokenExchange: () => ({
        access_token: "access-sandbox-new",
        item_id: "item",
        request_id: "r",
      }),
    });
    const exchanged = await gatewayWith(fake.api).exchangePublicToken("public-sandbox-1");
    expect(JSON.stringify(exchanged)).toBe('{"accessToken":"[Secret]","itemId":"item","requestId":"r"}');
    expect(exchanged.accessToken.reveal()).toBe("access-sandbox-new");
  });

  it("does not expose the SDK client or the secret when printed", () => {
    const gateway = gatewayWith(fakeApi({}).api);
    expect(JSON.stringify(gateway)).not.toContain("secret-value");
    expect(Object.keys(gateway)).toEqual(["config"]);
  });
});
