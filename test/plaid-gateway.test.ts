import { createHash, generateKeyPairSync, sign } from "node:crypto";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { inspect } from "node:util";
import type { PlaidApi } from "plaid";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../src/emulator/index.js";
import {
  collectSyncRun,
  createPlaidApi,
  PlaidApiError,
  PlaidGateway,
  type PlaidTransactionRecord,
  type RetryEvent,
  resolvePlaidConfig,
  type SyncStep,
} from "../src/plaid/index.js";
import { Secret } from "../src/secrets/index.js";
import { verifyPlaidWebhook, WebhookKeyCache } from "../src/webhooks/index.js";

/** A distinctive secret, so that a leak anywhere is found by a plain substring search. */
const SECRET = "sk-emulator-gateway-test-9f8e7d6c5b4a";
const CLIENT_ID = "gateway-test-client";

let emu: Emulator;
let receiver: Receiver;
let counts: Map<string, number>;
let retries: RetryEvent[];
let gateway: PlaidGateway;
/** Everything the gateway threw or returned in this file, checked for leaks at the end. */
const seen: unknown[] = [];
const accessTokens: string[] = [];

interface Delivery {
  readonly body: string;
  readonly headers: IncomingHttpHeaders;
}
interface Receiver {
  readonly url: string;
  readonly received: Delivery[];
  /** The first delivery from index `since` on that matches. */
  next(predicate: (d: Delivery) => boolean, since?: number): Promise<Delivery>;
  close(): Promise<void>;
}

/** A local webhook endpoint that keeps the raw body and headers of every POST. */
async function startReceiver(): Promise<Receiver> {
  const received: Delivery[] = [];
  const waiters: { predicate: (d: Delivery) => boolean; resolve: (d: Delivery) => void }[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const delivery = { body: Buffer.concat(chunks).toString("utf8"), headers: request.headers };
      received.push(delivery);
      for (const waiter of waiters.splice(0)) {
        if (waiter.predicate(delivery)) waiter.resolve(delivery);
        else waiters.push(waiter);
      }
      response.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/plaid/webhook`,
    received,
    next: (predicate, since = 0) =>
      new Promise((resolve, reject) => {
        const found = received.slice(since).find(predicate);
        if (found !== undefined) return resolve(found);
        waiters.push({ predicate, resolve });
        setTimeout(() => reject(new Error("no matching webhook arrived")), 5_000).unref();
      }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The SDK client, with every method call counted (to see what the gateway really sent). */
function countingApi(api: PlaidApi, tally: Map<string, number>): PlaidApi {
  return new Proxy(api, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== "function" || typeof property !== "string") return value;
      return (...args: unknown[]) => {
        tally.set(property, (tally.get(property) ?? 0) + 1);
        return value.apply(target, args);
      };
    },
  });
}

function gatewayFor(options: { baseUrl?: string; timeoutMs?: number } = {}): PlaidGateway {
  const config = resolvePlaidConfig({
    clientId: CLIENT_ID,
    secret: SECRET,
    baseUrl: options.baseUrl ?? emu.url,
    timeoutMs: options.timeoutMs ?? 10_000,
  });
  return new PlaidGateway({
    config,
    api: countingApi(createPlaidApi(config), counts),
    retry: { attemptsMax: 4, delayBaseMs: 2, delayMaxMs: 10, totalMaxMs: 5_000 },
    onRetry: (event) => retries.push(event),
  });
}

async function failure(call: Promise<unknown>): Promise<PlaidApiError> {
  const outcome = await call.then(
    (value) => value,
    (error: unknown) => error,
  );
  seen.push(outcome);
  expect(outcome).toBeInstanceOf(PlaidApiError);
  return outcome as PlaidApiError;
}

/** A new item through the public-token flow, as an app would make one. */
async function newItem(options: { products?: string[]; user?: string; webhookUrl?: string } = {}) {
  const { publicToken } = await gateway.createSandboxPublicToken({
    institutionId: "ins_109508",
    products: options.products ?? ["transactions"],
    ...(options.user === undefined ? {} : { overrideUsername: options.user }),
    ...(options.webhookUrl === undefined ? {} : { webhookUrl: options.webhookUrl }),
  });
  const exchanged = await gateway.exchangePublicToken(publicToken);
  seen.push(exchanged);
  accessTokens.push(exchanged.accessToken.reveal());
  return exchanged;
}

function truthIds(item: string): string[] {
  return emu.admin
    .itemTruth(item)
    .transactions.map((t) => t.transaction_id as string)
    .sort();
}

/** Applies a complete sync run to a map, as the store will. */
function apply(
  copy: Map<string, PlaidTransactionRecord>,
  run: Awaited<ReturnType<typeof collectSyncRun>>,
): void {
  for (const t of run.added) copy.set(t.id, t);
  for (const t of run.modified) copy.set(t.id, t);
  for (const id of run.removed) copy.delete(id);
}

beforeAll(async () => {
  emu = await startEmulator({ seed: 1, clientId: CLIENT_ID, secret: SECRET });
  receiver = await startReceiver();
  counts = new Map();
  retries = [];
  gateway = gatewayFor();
});

afterAll(async () => {
  await emu?.close();
  await receiver?.close();
});

describe("Link and items through the official SDK", () => {
  it("creates link tokens for a new item and for update mode", async () => {
    const fresh = await gateway.createLinkToken({
      clientUserId: "user-1",
      clientName: "bankrec",
      products: ["transactions"],
      webhookUrl: receiver.url,
      daysRequested: 365,
      countryCodes: ["US"],
      language: "en",
    });
    expect(fresh.linkToken).toMatch(/^link-sandbox-/);
    const { accessToken } = await newItem();
    const update = await gateway.createLinkToken({
      clientUserId: "user-1",
      clientName: "bankrec",
      accessToken,
    });
    expect(update.linkToken).toMatch(/^link-sandbox-/);
    seen.push(fresh, update);
  });

  it("exchanges a public token for a wrapped access token and reads the item", async () => {
    const { accessToken, itemId } = await newItem();
    expect(String(accessToken)).toBe("[Secret]");
    const item = await gateway.getItem(accessToken);
    expect(item).toMatchObject({ itemId, institutionId: "ins_109508", error: null });
    seen.push(item);
  });

  it("removes an item, after which its token is refused without retries", async () => {
    const { accessToken } = await newItem();
    await gateway.removeItem(accessToken);
    const before = counts.get("itemGet") ?? 0;
    const error = await failure(gateway.getItem(accessToken));
    expect(error.httpStatus).toBe(400);
    expect(error.retryable).toBe(false);
    expect(counts.get("itemGet")).toBe(before + 1);
  });
});

describe("accounts and balances", () => {
  it("maps accounts with balances in minor units, and filters by account", async () => {
    const { accessToken } = await newItem();
    const { accounts } = await gateway.getAccounts(accessToken);
    expect(accounts.length).toBeGreaterThan(3);
    const checking = accounts.find((a) => a.subtype === "checking");
    expect(Number.isSafeInteger(checking?.balances.currentMinor)).toBe(true);
    const one = await gateway.getAccounts(accessToken, { accountIds: [checking?.id ?? ""] });
    expect(one.accounts.map((a) => a.id)).toEqual([checking?.id]);
    seen.push(accounts);
  });

  it("serves repeated balance requests inside the max age without calling /accounts/balance/get", async () => {
    const { accessToken } = await newItem();
    const before = counts.get("accountsBalanceGet") ?? 0;
    const first = await gateway.getBalances(accessToken, { maxAgeMs: 60_000 });
    const second = await gateway.getBalances(accessToken, { maxAgeMs: 60_000 });
    const third = await gateway.getBalances(accessToken, { maxAgeMs: 60_000 });
    expect([first.fromCache, second.fromCache, third.fromCache]).toEqual([false, true, true]);
    expect(second.accounts).toEqual(first.accounts);
    expect(counts.get("accountsBalanceGet")).toBe(before + 1);
    await gateway.getBalances(accessToken, { maxAgeMs: 0 });
    expect(counts.get("accountsBalanceGet")).toBe(before + 2);
  });
});

describe("transactions", () => {
  it("pages /transactions/get with count and offset, filtered by account", async () => {
    const { accessToken } = await newItem();
    const range = { startDate: "2026-01-01", endDate: emu.clock.today() };
    const page = await gateway.getTransactions(accessToken, { ...range, count: 10, offset: 5 });
    expect(page.transactions).toHaveLength(10);
    const all = await gateway.getAllTransactions(accessToken, range);
    expect(all.transactions).toHaveLength(all.totalTransactions);
    const account = all.transactions[0]?.accountId ?? "";
    const filtered = await gateway.getAllTransactions(accessToken, { ...range, accountIds: [account] });
    expect(filtered.transactions.length).toBeGreaterThan(0);
    expect(filtered.transactions.every((t) => t.accountId === account)).toBe(true);
    expect(filtered.transactions.length).toBeLessThan(all.transactions.length);
  });

  it("pages all transactions by 500 until total_transactions", async () => {
    const { accessToken } = await emu.admin.createItem({ transactionCount: 1_250 });
    const token = new Secret(accessToken);
    const before = counts.get("transactionsGet") ?? 0;
    const all = await gateway.getAllTransactions(token, {
      startDate: "2000-01-01",
      endDate: emu.clock.today(),
    });
    expect(all.totalTransactions).toBeGreaterThanOrEqual(1_250);
    expect(all.transactions).toHaveLength(all.totalTransactions);
    expect(all.pages).toBe(Math.ceil(all.totalTransactions / 500));
    expect(counts.get("transactionsGet")).toBe(before + all.pages);
  });

  it("syncs an item fully and follows the clock: pending posted, new and modified rows", async () => {
    const { accessToken, itemId } = await newItem({ user: "user_transactions_dynamic" });
    const copy = new Map<string, PlaidTransactionRecord>();
    const first = await collectSyncRun(gateway.syncTransactions(accessToken, { count: 100 }));
    expect(first.ready).toBe(true);
    expect(first.pages).toBeGreaterThan(1);
    apply(copy, first);
    expect([...copy.keys()].sort()).toEqual(truthIds(itemId));

    await emu.clock.advance(3);
    const next = await collectSyncRun(gateway.syncTransactions(accessToken, { cursor: first.nextCursor }));
    expect(next.added.length + next.modified.length + next.removed.length).toBeGreaterThan(0);
    apply(copy, next);
    expect([...copy.keys()].sort()).toEqual(truthIds(itemId));
    const posted = next.added.filter((t) => t.pendingTransactionId !== null);
    for (const t of posted) expect(next.removed).toContain(t.pendingTransactionId);

    const idle = await collectSyncRun(gateway.syncTransactions(accessToken, { cursor: next.nextCursor }));
    expect(idle).toMatchObject({ ready: true, added: [], modified: [], removed: [] });
  });

  it("reports an item whose initial pull is not done as not ready, with one call", async () => {
    const { accessToken } = await emu.admin.createItem({ ready: false });
    const before = counts.get("transactionsSync") ?? 0;
    const steps: SyncStep[] = [];
    for await (const step of gateway.syncTransactions(new Secret(accessToken))) steps.push(step);
    expect(steps).toEqual([expect.objectContaining({ kind: "end", ready: false, nextCursor: "" })]);
    expect(counts.get("transactionsSync")).toBe(before + 1);
  });

  it("restarts from the run's first cursor on TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION", async () => {
    const { accessToken, itemId } = await emu.admin.createItem({ transactionCount: 1_200 });
    const token = new Secret(accessToken);
    const steps: SyncStep[] = [];
    for await (const step of gateway.syncTransactions(token, { count: 500 })) {
      steps.push(step);
      if (step.kind === "page" && step.pageIndex === 1 && step.run === 0) {
        emu.faults.set({
          kind: "mutation_during_pagination",
          item: accessToken,
          endpoint: "/transactions/sync",
          times: 1,
        });
      }
    }
    expect(steps.map((s) => s.kind)).toEqual(["page", "page", "restart", "page", "page", "page", "end"]);
    expect(steps[2]).toMatchObject({ kind: "restart", discardedPages: 2, fromCursor: "" });
    const run = await collectSyncRun(
      (async function* () {
        yield* steps;
      })(),
    );
    const copy = new Map<string, PlaidTransactionRecord>();
    apply(copy, run);
    expect(copy.size).toBe(run.added.length);
    expect([...copy.keys()].sort()).toEqual(truthIds(itemId));
  });

  it("asks Plaid to refresh", async () => {
    const { accessToken } = await newItem();
    expect((await gateway.refreshTransactions(accessToken)).requestId).toBeTruthy();
  });

  it("creates sandbox transactions for a dynamic user and sees them in the next sync", async () => {
    const { accessToken } = await newItem({ user: "user_transactions_dynamic" });
    const first = await collectSyncRun(gateway.syncTransactions(accessToken));
    const today = emu.clock.today();
    await gateway.createSandboxTransactions(accessToken, [
      { dateTransacted: today, datePosted: today, amount: 12.34, description: "Gateway test coffee" },
      { dateTransacted: today, datePosted: today, amount: -500, description: "Gateway test refund" },
    ]);
    const next = await collectSyncRun(gateway.syncTransactions(accessToken, { cursor: first.nextCursor }));
    const made = next.added.filter((t) => t.name.startsWith("Gateway test"));
    expect(made.map((t) => t.amountMinor).sort((a, b) => a - b)).toEqual([-1234, 50000]);
  });
});

describe("investments and liabilities", () => {
  it("reads holdings with securities, and all investment transactions by pages", async () => {
    const { accessToken } = await newItem({ products: ["investments"] });
    const holdings = await gateway.getInvestmentHoldings(accessToken);
    expect(holdings.holdings.length).toBeGreaterThan(0);
    const securityIds = new Set(holdings.securities.map((s) => s.securityId));
    for (const h of holdings.holdings) expect(securityIds.has(h.securityId)).toBe(true);
    const range = { startDate: "2025-01-01", endDate: emu.clock.today() };
    const all = await gateway.getAllInvestmentTransactions(accessToken, range);
    expect(all.investmentTransactions).toHaveLength(all.totalInvestmentTransactions);
    const page = await gateway.getInvestmentTransactions(accessToken, { ...range, count: 2, offset: 1 });
    expect(page.investmentTransactions.length).toBeLessThanOrEqual(2);
  });

  it("reads liabilities in minor units", async () => {
    const { accessToken } = await newItem({ products: ["liabilities"] });
    const { liabilities } = await gateway.getLiabilities(accessToken);
    const all = [...liabilities.credit, ...liabilities.mortgage, ...liabilities.student];
    expect(all.length).toBeGreaterThan(0);
    for (const l of all)
      if (l.lastPaymentAmountMinor !== null)
        expect(Number.isSafeInteger(l.lastPaymentAmountMinor)).toBe(true);
  });
});

describe("failures and retries", () => {
  it("retries injected 429s and 500s and then succeeds", async () => {
    const { accessToken } = await newItem();
    const token = accessTokens.at(-1) ?? "";
    retries.length = 0;
    emu.faults.set({ kind: "rate_limit", item: token, endpoint: "/accounts/get", times: 2 });
    await gateway.getAccounts(accessToken);
    expect(retries.map((r) => [r.error.httpStatus, r.error.errorType])).toEqual([
      [429, "RATE_LIMIT_EXCEEDED"],
      [429, "RATE_LIMIT_EXCEEDED"],
    ]);
    retries.length = 0;
    emu.faults.set({ kind: "server_error", item: token, endpoint: "/item/get", times: 1 });
    emu.faults.set({ kind: "institution_down", item: token, endpoint: "/transactions/sync", times: 1 });
    await gateway.getItem(accessToken);
    await collectSyncRun(gateway.syncTransactions(accessToken));
    expect(retries.map((r) => r.error.errorCode)).toEqual(["INTERNAL_SERVER_ERROR", "INSTITUTION_DOWN"]);
    seen.push(...retries);
  });

  it("gives up after the bounded attempts with a retryable error", async () => {
    const { accessToken } = await newItem();
    const token = accessTokens.at(-1) ?? "";
    emu.faults.set({ kind: "server_error", item: token, endpoint: "/item/get", times: 10 });
    const before = counts.get("itemGet") ?? 0;
    const error = await failure(gateway.getItem(accessToken));
    expect(error).toMatchObject({ httpStatus: 500, retryable: true });
    expect(counts.get("itemGet")).toBe(before + 4);
    emu.faults.clear();
  });

  it("does not retry an input error", async () => {
    const before = counts.get("itemGet") ?? 0;
    const error = await failure(gateway.getItem(new Secret("access-sandbox-not-a-real-token")));
    expect(error).toMatchObject({ httpStatus: 400, retryable: false });
    expect(counts.get("itemGet")).toBe(before + 1);
  });

  it("reports ITEM_LOGIN_REQUIRED after reset_login, and update mode can start", async () => {
    const { accessToken } = await newItem();
    await gateway.resetSandboxLogin(accessToken);
    const error = await failure(collectSyncRun(gateway.syncTransactions(accessToken)));
    expect(error).toMatchObject({
      errorType: "ITEM_ERROR",
      errorCode: "ITEM_LOGIN_REQUIRED",
      retryable: false,
    });
    expect(error.displayMessage === null || typeof error.displayMessage === "string").toBe(true);
    const link = await gateway.createLinkToken({ clientUserId: "u", clientName: "bankrec", accessToken });
    expect(link.linkToken).toMatch(/^link-/);
  });

  it("reports a timeout and a refused connection as network errors", async () => {
    const { accessToken } = await newItem();
    const token = accessTokens.at(-1) ?? "";
    emu.faults.set({ kind: "latency", item: token, endpoint: "/item/get", latencyMs: 400, times: 4 });
    const slow = gatewayFor({ timeoutMs: 100 });
    const timeout = await failure(slow.getItem(accessToken));
    expect(timeout).toMatchObject({ errorType: "NETWORK_ERROR", errorCode: "TIMEOUT", retryable: true });
    emu.faults.clear();
    const nowhere = gatewayFor({ baseUrl: "http://127.0.0.1:9" });
    const refused = await failure(nowhere.getItem(accessToken));
    expect(refused).toMatchObject({ errorCode: "CONNECTION_REFUSED", httpStatus: null });
  });
});

describe("webhooks from the emulator", () => {
  const keys = () => WebhookKeyCache.forGateway(gateway);

  async function delivered(code: string, itemId: string, since = 0): Promise<Delivery> {
    return receiver.next((d) => {
      const body = JSON.parse(d.body) as { webhook_code?: string; item_id?: string };
      return body.webhook_code === code && body.item_id === itemId;
    }, since);
  }

  function verifyDelivery(
    d: Delivery,
    cache: WebhookKeyCache,
    patch: { body?: string; token?: string; now?: number } = {},
  ) {
    const headers =
      patch.token === undefined ? d.headers : { ...d.headers, "plaid-verification": patch.token };
    return verifyPlaidWebhook(
      { rawBody: patch.body ?? d.body, headers, ...(patch.now === undefined ? {} : { now: patch.now }) },
      cache,
    );
  }

  function parts(d: Delivery): [string, string, string] {
    const [h = "", p = "", s = ""] = String(d.headers["plaid-verification"]).split(".");
    return [h, p, s];
  }

  const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

  it("accepts real deliveries: the webhook update acknowledgement and fired and clock-driven sync updates", async () => {
    const { accessToken, itemId } = await newItem({ user: "user_transactions_dynamic" });
    const cache = keys();
    const item = await gateway.updateItemWebhook(accessToken, receiver.url);
    expect(item.webhook).toBe(receiver.url);
    const ack = await verifyDelivery(await delivered("WEBHOOK_UPDATE_ACKNOWLEDGED", itemId), cache);
    expect(ack).toMatchObject({ ok: true, event: { kind: "ITEM/WEBHOOK_UPDATE_ACKNOWLEDGED", itemId } });

    const since = receiver.received.length;
    await gateway.fireSandboxWebhook(accessToken, "SYNC_UPDATES_AVAILABLE");
    const fired = await verifyDelivery(await delivered("SYNC_UPDATES_AVAILABLE", itemId, since), cache);
    expect(fired).toMatchObject({ ok: true, event: { kind: "TRANSACTIONS/SYNC_UPDATES_AVAILABLE", itemId } });

    const count = receiver.received.length;
    await emu.clock.advance(1);
    const fresh = receiver.received.slice(count).filter((d) => d.body.includes(itemId));
    expect(fresh.length).toBeGreaterThan(0);
    for (const d of fresh) expect((await verifyDelivery(d, cache)).ok).toBe(true);
  });

  it("rejects forgeries of a real delivery: signature, other key, alg none and HS256, unknown kid, stale iat, tampered body", async () => {
    const { accessToken, itemId } = await newItem({ webhookUrl: receiver.url });
    await gateway.fireSandboxWebhook(accessToken, "SYNC_UPDATES_AVAILABLE");
    const real = await delivered("SYNC_UPDATES_AVAILABLE", itemId);
    const cache = keys();
    expect((await verifyDelivery(real, cache)).ok).toBe(true);
    const [h, p, s] = parts(real);
    const header = JSON.parse(Buffer.from(h, "base64url").toString()) as { kid: string };
    const mine = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey;
    const signWith = (headerPart: string, payloadPart: string) =>
      `${headerPart}.${payloadPart}.${sign("sha256", Buffer.from(`${headerPart}.${payloadPart}`), { key: mine, dsaEncoding: "ieee-p1363" }).toString("base64url")}`;
    const flipped = Buffer.from(s, "base64url");
    flipped[10] = (flipped[10] ?? 0) ^ 1;

    const cases: [string, Parameters<typeof verifyDelivery>[2]][] = [
      ["bad_signature", { token: `${h}.${p}.${flipped.toString("base64url")}` }],
      ["bad_signature", { token: signWith(h, p) }],
      ["bad_alg", { token: `${b64({ alg: "none", kid: header.kid })}.${p}.` }],
      ["bad_alg", { token: `${b64({ alg: "HS256", kid: header.kid })}.${p}.${s}` }],
      ["unknown_kid", { token: signWith(b64({ alg: "ES256", kid: "kid-nobody-knows", typ: "JWT" }), p) }],
      ["stale_iat", { now: Date.now() + 6 * 60_000 }],
      ["body_hash_mismatch", { body: real.body.replace(itemId, "item-forged") }],
    ];
    for (const [reason, patch] of cases) {
      expect(await verifyDelivery(real, cache, patch), reason).toMatchObject({ ok: false, reason });
    }
    const payload = JSON.parse(Buffer.from(p, "base64url").toString()) as { request_body_sha256: string };
    expect(payload.request_body_sha256).toBe(createHash("sha256").update(real.body).digest("hex"));
  });

  it("rejects a delivery signed by a key that was rotated out and has expired", async () => {
    const { accessToken, itemId } = await newItem({ webhookUrl: receiver.url });
    await gateway.fireSandboxWebhook(accessToken, "DEFAULT_UPDATE", "TRANSACTIONS");
    const before = await delivered("DEFAULT_UPDATE", itemId);
    const cache = keys();
    expect((await verifyDelivery(before, cache)).ok).toBe(true);

    emu.webhooks.rotateKey();
    const since = receiver.received.length;
    await gateway.fireSandboxWebhook(accessToken, "SYNC_UPDATES_AVAILABLE");
    const after = await delivered("SYNC_UPDATES_AVAILABLE", itemId, since);
    expect(parts(after)[0]).not.toBe(parts(before)[0]);
    expect((await verifyDelivery(after, cache)).ok).toBe(true);
    expect(await verifyDelivery(before, cache)).toMatchObject({ ok: false, reason: "key_expired" });
  });
});

describe("secrets", () => {
  it("never shows the Plaid secret or an access token in anything thrown, logged or returned", () => {
    expect(seen.length).toBeGreaterThan(10);
    expect(accessTokens.length).toBeGreaterThan(5);
    const renderings = seen.flatMap((value) => [
      JSON.stringify(value) ?? "",
      inspect(value, { depth: 20, showHidden: true }),
      String(value),
      value instanceof Error ? (value.stack ?? "") : "",
    ]);
    renderings.push(inspect(gateway, { depth: 20, showHidden: true }), JSON.stringify(gateway));
    for (const text of renderings) {
      expect(text).not.toContain(SECRET);
      for (const token of accessTokens) expect(text).not.toContain(token);
    }
  });
});

describe.runIf(process.env.BANKREC_TEST_EXTENDED)("sync figure", () => {
  it("syncs an item of 100,000 transactions through the SDK by pages of 500", async () => {
    const { accessToken, itemId } = await emu.admin.createItem({ transactionCount: 100_000 });
    const token = new Secret(accessToken);
    const startedMs = performance.now();
    const run = await collectSyncRun(gateway.syncTransactions(token, { count: 500 }));
    const seconds = (performance.now() - startedMs) / 1000;
    const total = emu.admin.itemTruth(itemId).transactions.length;
    console.log(
      `sync figure: ${run.added.length} transactions, ${run.pages} pages in ${seconds.toFixed(2)} s ` +
        `(${(run.pages / seconds).toFixed(1)} pages/s, ${Math.round(run.added.length / seconds)} transactions/s)`,
    );
    expect(run.added).toHaveLength(total);
    expect(seconds).toBeLessThan(15);
  });
});
