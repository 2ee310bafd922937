import { createHash, createPublicKey, verify } from "node:crypto";
import {
  CountryCode,
  PersonalFinanceCategoryVersion,
  Products,
  SandboxItemFireWebhookRequestWebhookCodeEnum,
} from "plaid";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type Emulator, startEmulator } from "./index.js";
import { plaidClientFor, plaidErrorOf, startWebhookReceiver } from "./testing.js";

let emu: Emulator;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;

beforeAll(async () => {
  emu = await startEmulator({ seed: 11 });
  receiver = await startWebhookReceiver();
});
afterAll(async () => {
  await emu.close();
  await receiver.close();
});

async function expectPlaidError(call: Promise<unknown>, code: string, status: number): Promise<void> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  const body = plaidErrorOf(error);
  expect(body?.error_code).toBe(code);
  expect(body?.status).toBe(status);
}

describe("items through the official SDK", () => {
  test("a sandbox public token exchanges for an access token whose item names its institution", async () => {
    const plaid = plaidClientFor(emu);
    const created = await plaid.sandboxPublicTokenCreate({
      institution_id: "ins_109509",
      initial_products: [Products.Transactions],
    });
    const exchanged = await plaid.itemPublicTokenExchange({ public_token: created.data.public_token });
    expect(exchanged.data.access_token).toMatch(/^access-sandbox-/);
    const item = await plaid.itemGet({ access_token: exchanged.data.access_token });
    expect(item.data.item.institution_id).toBe("ins_109509");
    expect(item.data.item.institution_name).toBe("First Gingham Credit Union");
    expect(item.data.item.error).toBeNull();
    await expectPlaidError(
      plaid.itemPublicTokenExchange({ public_token: created.data.public_token }),
      "INVALID_PUBLIC_TOKEN",
      400,
    );
  });

  test("a link token is issued for a new item and for update mode", async () => {
    const plaid = plaidClientFor(emu);
    const request = {
      client_name: "bankrec",
      language: "en",
      country_codes: [CountryCode.Us],
      user: { client_user_id: "user-1" },
    };
    const fresh = await plaid.linkTokenCreate({ ...request, products: [Products.Transactions] });
    expect(fresh.data.link_token).toMatch(/^link-sandbox-/);
    expect(Date.parse(fresh.data.expiration)).toBeGreaterThan(Date.now());
    const { accessToken } = await emu.admin.createItem();
    const update = await plaid.linkTokenCreate({ ...request, access_token: accessToken });
    expect(update.data.link_token).toMatch(/^link-sandbox-/);
    await expectPlaidError(plaid.linkTokenCreate(request), "MISSING_FIELDS", 400);
  });

  test("accounts cover checking, savings, cards, investments, student loan and mortgage, and can be filtered", async () => {
    const plaid = plaidClientFor(emu);
    const { accessToken } = await emu.admin.createItem();
    const all = await plaid.accountsGet({ access_token: accessToken });
    const subtypes = all.data.accounts.map((a) => a.subtype);
    expect(subtypes).toEqual(
      expect.arrayContaining(["checking", "savings", "credit card", "ira", "401k", "student", "mortgage"]),
    );
    const first = all.data.accounts[0]!;
    const one = await plaid.accountsBalanceGet({
      access_token: accessToken,
      options: { account_ids: [first.account_id] },
    });
    expect(one.data.accounts.map((a) => a.account_id)).toEqual([first.account_id]);
  });

  test("a removed item's access token is refused", async () => {
    const plaid = plaidClientFor(emu);
    const { accessToken } = await emu.admin.createItem();
    await plaid.itemRemove({ access_token: accessToken });
    await expectPlaidError(plaid.accountsGet({ access_token: accessToken }), "INVALID_ACCESS_TOKEN", 400);
  });
});

describe("transactions", () => {
  test("/transactions/get pages newest first with count and offset, and filters by account", async () => {
    const plaid = plaidClientFor(emu);
    const { accessToken } = await emu.admin.createItem({ user: "user_good" });
    const range = { access_token: accessToken, start_date: "2026-01-01", end_date: "2026-06-30" };
    const first = await plaid.transactionsGet({ ...range, options: { count: 50, offset: 0 } });
    const second = await plaid.transactionsGet({ ...range, options: { count: 50, offset: 50 } });
    expect(first.data.transactions).toHaveLength(50);
    const dates = [...first.data.transactions, ...second.data.transactions].map((t) => t.date);
    expect(dates).toEqual([...dates].sort().reverse());
    const ids = new Set(
      [...first.data.transactions, ...second.data.transactions].map((t) => t.transaction_id),
    );
    expect(ids.size).toBe(100);
    const checking = first.data.accounts.find((a) => a.subtype === "checking")!;
    const filtered = await plaid.transactionsGet({
      ...range,
      options: { account_ids: [checking.account_id], count: 500 },
    });
    expect(filtered.data.transactions.every((t) => t.account_id === checking.account_id)).toBe(true);
    expect(filtered.data.total_transactions).toBeLessThan(first.data.total_transactions);
  });

  test("history has payroll, checks with numbers, refunds and pending transactions, amounts with at most two decimals", async () => {
    const { accessToken } = await emu.admin.createItem({ user: "user_good" });
    const { transactions } = emu.admin.itemTruth(accessToken);
    const detailed = new Set(transactions.map((t) => t.personal_finance_category.detailed));
    expect(detailed).toContain("INCOME_WAGES");
    expect(detailed).toContain("LOAN_PAYMENTS_CREDIT_CARD_PAYMENT");
    expect(transactions.some((t) => t.check_number !== null && t.name === `Check ${t.check_number}`)).toBe(
      true,
    );
    expect(transactions.some((t) => t.pending)).toBe(true);
    expect(transactions.some((t) => t.amount < 0 && t.merchant_name !== null)).toBe(true);
    for (const t of transactions) expect(Math.round(t.amount * 100) / 100).toBe(t.amount);
  });

  test("a full sync through the SDK reproduces the item's current transactions", async () => {
    const plaid = plaidClientFor(emu);
    const { accessToken } = await emu.admin.createItem({ user: "user_good" });
    const mirror = new Map<string, unknown>();
    let cursor = "";
    for (let hasMore = true; hasMore; ) {
      const page = await plaid.transactionsSync({ access_token: accessToken, cursor, count: 100 });
      for (const t of [...page.data.added, ...page.data.modified]) mirror.set(t.transaction_id, t.amount);
      for (const r of page.data.removed) mirror.delete(r.transaction_id!);
      expect(
        page.data.added.length + page.data.modified.length + page.data.removed.length,
      ).toBeLessThanOrEqual(100);
      cursor = page.data.next_cursor;
      hasMore = page.data.has_more;
    }
    const truth = emu.admin.itemTruth(accessToken).transactions;
    expect(mirror.size).toBe(truth.length);
    for (const t of truth) expect(mirror.get(t.transaction_id)).toBe(t.amount);
    const again = await plaid.transactionsSync({ access_token: accessToken, cursor });
    expect(again.data.added).toEqual([]);
    expect(again.data.has_more).toBe(false);
    expect(again.data.next_cursor).toBe(cursor);
  });

  test("advancing the clock posts pending transactions under new ids and fires SYNC_UPDATES_AVAILABLE", async () => {
    const plaid = plaidClientFor(emu);
    const { accessToken, itemId } = await emu.admin.createItem({ webhook: receiver.url });
    let cursor = "";
    for (let more = true; more; ) {
      const page = await plaid.transactionsSync({ access_token: accessToken, cursor, count: 500 });
      cursor = page.data.next_cursor;
      more = page.data.has_more;
    }
    const before = emu.webhooks.deliveries().length;
    await emu.clock.advance(2);
    const page = await plaid.transactionsSync({ access_token: accessToken, cursor, count: 500 });
    expect(page.data.added.length).toBeGreaterThan(0);
    const removed = new Set(page.data.removed.map((r) => r.transaction_id));
    const posted = page.data.added.filter((t) => t.pending_transaction_id !== null);
    expect(posted.length).toBeGreaterThan(0);
    for (const t of posted) {
      expect(removed.has(t.pending_transaction_id!)).toBe(true);
      expect(t.pending).toBe(false);
    }
    const deliveries = emu.webhooks.deliveries().slice(before);
    expect(deliveries.map((d) => d.payload)).toContainEqual({
      webhook_type: "TRANSACTIONS",
      webhook_code: "SYNC_UPDATES_AVAILABLE",
      item_id: itemId,
      initial_update_complete: true,
      historical_update_complete: true,
      environment: "sandbox",
    });
    expect(emu.clock.today()).toBe("2026-07-02");
  });

  test("/transactions/refresh brings a dynamic item new transactions and tells its webhook", async () => {
    const plaid = plaidClientFor(emu);
    const { accessToken, itemId } = await emu.admin.createItem({ webhook: receiver.url });
    const syncUpdates = () =>
      emu.webhooks
        .deliveries()
        .filter((d) => d.payload.item_id === itemId && d.payload.webhook_code === "SYNC_UPDATES_AVAILABLE");
    const before = { changes: emu.admin.itemTruth(accessToken).changeCount, webhooks: syncUpdates().length };
    await plaid.transactionsRefresh({ access_token: accessToken });
    expect(emu.admin.itemTruth(accessToken).changeCount).toBeGreaterThan(before.changes);
    expect(syncUpdates()).toHaveLength(before.webhooks + 1);
    expect(syncUpdates().at(-1)?.status).toBe(200);
  });

  test("categories come as PFC v1 by default and as v2 on request, and descriptors only when asked for", async () => {
    const plaid = plaidClientFor(emu);
    const { accessToken } = await emu.admin.createItem({ user: "user_good" });
    const range = { access_token: accessToken, start_date: "2026-01-01", end_date: "2026-06-30" };
    const payroll = (list: { personal_finance_category?: { detailed: string } | null; name: string }[]) =>
      list.filter((t) => t.name.endsWith("PAYROLL"));
    const v1 = await plaid.transactionsGet({ ...range, options: { count: 500 } });
    expect(payroll(v1.data.transactions).map((t) => t.personal_finance_category?.detailed)).toContain(
      "INCOME_WAGES",
    );
    expect(v1.data.transactions.every((t) => t.original_description === null)).toBe(true);
    const v2 = await plaid.transactionsGet({
      ...range,
      options: {
        count: 500,
        include_original_description: true,
        personal_finance_category_version: PersonalFinanceCategoryVersion.V2,
      },
    });
    const salaries = payroll(v2.data.transactions);
    expect(salaries.length).toBeGreaterThan(0);
    for (const t of salaries)
      expect(t.personal_finance_category).toMatchObject({ detailed: "INCOME_SALARY", version: "v2" });
    expect(v2.data.transactions.every((t) => typeof t.original_description === "string")).toBe(true);
  });

  test("replaying an old cursor returns the same changes", async () => {
    const plaid = plaidClientFor(emu);
    const { accessToken } = await emu.admin.createItem();
    const first = await plaid.transactionsSync({ access_token: accessToken, count: 200 });
    const replay = await plaid.transactionsSync({ access_token: accessToken, count: 200 });
    expect(replay.data.added).toEqual(first.data.added);
    expect(replay.data.next_cursor).toBe(first.data.next_cursor);
  });

  test("data changing in the middle of a pagination is refused with TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION", async () => {
    const plaid = plaidClientFor(emu);
    const { accessToken } = await emu.admin.createItem();
    const first = await plaid.transactionsSync({ access_token: accessToken, count: 10 });
    expect(first.data.has_more).toBe(true);
    await emu.clock.advance(1);
    await expectPlaidError(
      plaid.transactionsSync({ access_token: accessToken, cursor: first.data.next_cursor, count: 10 }),
      "TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION",
      400,
    );
  });

  test("an item whose initial pull is not done answers sync with an empty cursor and get with PRODUCT_NOT_READY", async () => {
    const plaid = plaidClientFor(emu);
    const { accessToken } = await emu.admin.createItem({ ready: false });
    const page = await plaid.transactionsSync({ access_token: accessToken });
    expect(page.data.next_cursor).toBe("");
    expect(page.data.has_more).toBe(false);
    expect(page.data.transactions_update_status).toBe("NOT_READY");
    await expectPlaidError(
      plaid.transactionsGet({ access_token: accessToken, start_date: "2026-01-01", end_date: "2026-06-30" }),
      "PRODUCT_NOT_READY",
      400,
    );
    await emu.admin.completeInitialUpdate(accessToken);
    const ready = await plaid.transactionsSync({ access_token: accessToken });
    expect(ready.data.next_cursor).not.toBe("");
    expect(ready.data.added.length).toBeGreaterThan(0);
  });

  test("sandbox transactions appear in the next sync", async () => {
    const plaid = plaidClientFor(emu);
    const { accessToken } = await emu.admin.createItem({ user: "user_good" });
    let cursor = "";
    for (let more = true; more; ) {
      const page = await plaid.transactionsSync({ access_token: accessToken, cursor, count: 500 });
      cursor = page.data.next_cursor;
      more = page.data.has_more;
    }
    const today = emu.clock.today();
    await plaid.sandboxTransactionsCreate({
      access_token: accessToken,
      transactions: [
        { date_transacted: today, date_posted: today, amount: 12.34, description: "Corner Deli" },
      ],
    });
    const page = await plaid.transactionsSync({ access_token: accessToken, cursor });
    expect(page.data.added.map((t) => [t.name, t.amount])).toEqual([["Corner Deli", 12.34]]);
  });
});

describe("investments and liabilities", () => {
  test("holdings refer to served securities and investment transactions page", async () => {
    const plaid = plaidClientFor(emu);
    const { accessToken } = await emu.admin.createItem({ products: ["transactions", "investments"] });
    const holdings = await plaid.investmentsHoldingsGet({ access_token: accessToken });
    const securityIds = new Set(holdings.data.securities.map((s) => s.security_id));
    expect(holdings.data.holdings.length).toBeGreaterThan(0);
    for (const h of holdings.data.holdings) expect(securityIds.has(h.security_id)).toBe(true);
    const range = { access_token: accessToken, start_date: "2025-01-01", end_date: "2026-06-30" };
    const page1 = await plaid.investmentsTransactionsGet({ ...range, options: { count: 10, offset: 0 } });
    const page2 = await plaid.investmentsTransactionsGet({ ...range, options: { count: 10, offset: 10 } });
    expect(page1.data.investment_transactions).toHaveLength(10);
    expect(page1.data.total_investment_transactions).toBeGreaterThan(20);
    const ids = [...page1.data.investment_transactions, ...page2.data.investment_transactions].map(
      (t) => t.investment_transaction_id,
    );
    expect(new Set(ids).size).toBe(20);
  });

  test("liabilities cover the credit cards, the mortgage and the student loan", async () => {
    const plaid = plaidClientFor(emu);
    const { accessToken } = await emu.admin.createItem();
    const { liabilities } = (await plaid.liabilitiesGet({ access_token: accessToken })).data;
    expect(liabilities.credit).toHaveLength(2);
    expect(liabilities.mortgage).toHaveLength(1);
    expect(liabilities.student).toHaveLength(1);
  });

  test("an unknown institution id is refused and a known one is described", async () => {
    const plaid = plaidClientFor(emu);
    const known = await plaid.institutionsGetById({
      institution_id: "ins_109512",
      country_codes: [CountryCode.Us],
    });
    expect(known.data.institution.name).toBe("Houndstooth Bank");
    await expectPlaidError(
      plaid.institutionsGetById({ institution_id: "ins_1", country_codes: [CountryCode.Us] }),
      "INVALID_INSTITUTION",
      400,
    );
  });
});

describe("faults", () => {
  test("a rate-limit fault for the next call returns 429 TRANSACTIONS_SYNC_LIMIT once", async () => {
    const plaid = plaidClientFor(emu);
    const { accessToken } = await emu.admin.createItem();
    emu.faults.set({ kind: "rate_limit", endpoint: "/transactions/sync", item: accessToken, times: 1 });
    await expectPlaidError(
      plaid.transactionsSync({ access_token: accessToken }),
      "TRANSACTIONS_SYNC_LIMIT",
      429,
    );
    await expect(plaid.transactionsSync({ access_token: accessToken })).resolves.toBeDefined();
  });

  test("server errors, institution down and latency apply to the item they name only", async () => {
    const plaid = plaidClientFor(emu);
    const a = await emu.admin.createItem();
    const b = await emu.admin.createItem();
    emu.faults.set({ kind: "server_error", item: a.itemId, times: 1 });
    emu.faults.set({ kind: "institution_down", item: a.accessToken, times: 1 });
    emu.faults.set({ kind: "latency", item: b.itemId, latencyMs: 150, times: 1 });
    await expectPlaidError(plaid.accountsGet({ access_token: a.accessToken }), "INTERNAL_SERVER_ERROR", 500);
    await expectPlaidError(plaid.accountsGet({ access_token: a.accessToken }), "INSTITUTION_DOWN", 400);
    const started = Date.now();
    await plaid.accountsGet({ access_token: b.accessToken });
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    emu.faults.clear();
  });

  test("a probabilistic fault fires on about its share of calls, the same way for the same seed", async () => {
    const counts: number[] = [];
    for (let run = 0; run < 2; run++) {
      const local = await startEmulator({ seed: 5 });
      const plaid = plaidClientFor(local);
      const { accessToken } = await local.admin.createItem({ historyDays: 5 });
      local.faults.set({ kind: "rate_limit", probability: 0.5 });
      const failed: number[] = [];
      for (let i = 0; i < 40; i++) {
        await plaid.itemGet({ access_token: accessToken }).catch(() => failed.push(i));
      }
      counts.push(failed.length);
      expect(failed.length).toBeGreaterThan(8);
      expect(failed.length).toBeLessThan(32);
      await local.close();
    }
    expect(counts[0]).toBe(counts[1]);
  });

  test("an item in ITEM_LOGIN_REQUIRED is refused until Link update mode repairs it", async () => {
    const plaid = plaidClientFor(emu);
    const { accessToken } = await emu.admin.createItem({ webhook: receiver.url });
    await plaid.sandboxItemResetLogin({ access_token: accessToken });
    await expectPlaidError(plaid.transactionsSync({ access_token: accessToken }), "ITEM_LOGIN_REQUIRED", 400);
    const item = await plaid.itemGet({ access_token: accessToken });
    expect(item.data.item.error?.error_code).toBe("ITEM_LOGIN_REQUIRED");
    const link = await plaid.linkTokenCreate({
      client_name: "bankrec",
      language: "en",
      country_codes: [CountryCode.Us],
      user: { client_user_id: "u" },
      access_token: accessToken,
    });
    const response = await fetch(`${emu.url}/__emulator/link/authenticate`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        link_token: link.data.link_token,
        institution_id: "ins_109508",
        username: "user_good",
        password: "pass_good",
      }),
    });
    expect(response.status).toBe(200);
    await expect(plaid.transactionsSync({ access_token: accessToken })).resolves.toBeDefined();
    expect(emu.webhooks.deliveries().map((d) => d.payload.webhook_code)).toContain("LOGIN_REPAIRED");
  });

  test("a mutation fault fails a sync page with the transactions error", async () => {
    const plaid = plaidClientFor(emu);
    const { accessToken } = await emu.admin.createItem();
    emu.faults.set({ kind: "mutation_during_pagination", item: accessToken, times: 1 });
    await expectPlaidError(
      plaid.transactionsSync({ access_token: accessToken }),
      "TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION",
      400,
    );
  });
});

describe("webhooks", () => {
  function verifyDelivery(body: string, jwt: string, jwk: Record<string, unknown>): boolean {
    const [header, payload, signature] = jwt.split(".") as [string, string, string];
    const key = createPublicKey({ key: jwk as import("node:crypto").JsonWebKey, format: "jwk" });
    const signed = verify(
      "sha256",
      Buffer.from(`${header}.${payload}`),
      { key, dsaEncoding: "ieee-p1363" },
      Buffer.from(signature, "base64url"),
    );
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString()) as Record<string, unknown>;
    const hash = createHash("sha256").update(body).digest("hex");
    return (
      signed && claims.request_body_sha256 === hash && Math.abs(Number(claims.iat) - Date.now() / 1000) < 60
    );
  }

  test("a fired webhook reaches the receiver signed ES256 with a key served by /webhook_verification_key/get", async () => {
    const plaid = plaidClientFor(emu);
    const { accessToken } = await emu.admin.createItem({ webhook: receiver.url });
    const count = receiver.received.length;
    await plaid.sandboxItemFireWebhook({
      access_token: accessToken,
      webhook_code: SandboxItemFireWebhookRequestWebhookCodeEnum.DefaultUpdate,
    });
    const got = receiver.received[count]!;
    const header = JSON.parse(Buffer.from(got.verification!.split(".")[0]!, "base64url").toString());
    expect(header).toEqual({ alg: "ES256", kid: expect.any(String), typ: "JWT" });
    const { key } = (await plaid.webhookVerificationKeyGet({ key_id: header.kid })).data;
    expect(key).toMatchObject({
      alg: "ES256",
      crv: "P-256",
      kty: "EC",
      use: "sig",
      kid: header.kid,
      expired_at: null,
    });
    expect(verifyDelivery(got.body, got.verification!, key as unknown as Record<string, unknown>)).toBe(true);
    expect(verifyDelivery(`${got.body} `, got.verification!, key as unknown as Record<string, unknown>)).toBe(
      false,
    );
  });

  test("after a key rotation the old key is served with expired_at and new webhooks use the new kid", async () => {
    const plaid = plaidClientFor(emu);
    const { accessToken } = await emu.admin.createItem({ webhook: receiver.url });
    const code = SandboxItemFireWebhookRequestWebhookCodeEnum.SyncUpdatesAvailable;
    const kidOf = (jwt: string) =>
      JSON.parse(Buffer.from(jwt.split(".")[0]!, "base64url").toString()).kid as string;
    await plaid.sandboxItemFireWebhook({ access_token: accessToken, webhook_code: code });
    const oldKid = kidOf(emu.webhooks.deliveries().at(-1)!.headers["plaid-verification"]!);
    emu.webhooks.rotateKey();
    await plaid.sandboxItemFireWebhook({ access_token: accessToken, webhook_code: code });
    const newKid = kidOf(emu.webhooks.deliveries().at(-1)!.headers["plaid-verification"]!);
    expect(newKid).not.toBe(oldKid);
    const old = await plaid.webhookVerificationKeyGet({ key_id: oldKid });
    expect(old.data.key.expired_at).toEqual(expect.any(Number));
    await expectPlaidError(
      plaid.webhookVerificationKeyGet({ key_id: "nope" }),
      "INVALID_WEBHOOK_VERIFICATION_KEY_ID",
      400,
    );
  });

  test("updating the webhook URL acknowledges it at the new URL", async () => {
    const plaid = plaidClientFor(emu);
    const { accessToken, itemId } = await emu.admin.createItem();
    const reply = await plaid.itemWebhookUpdate({ access_token: accessToken, webhook: receiver.url });
    expect(reply.data.item.webhook).toBe(receiver.url);
    const delivery = await emu.webhooks.waitFor(
      (d) => d.payload.webhook_code === "WEBHOOK_UPDATE_ACKNOWLEDGED" && d.payload.item_id === itemId,
    );
    expect(delivery.url).toBe(receiver.url);
    expect(delivery.status).toBe(200);
  });

  test("a delivery to an unreachable URL is recorded with its error, and waiting for one that never comes times out", async () => {
    const { itemId } = await emu.admin.createItem({ webhook: "http://127.0.0.1:9/refused" });
    const delivery = await emu.webhooks.waitFor((d) => d.payload.item_id === itemId);
    expect(delivery.status).toBeNull();
    expect(delivery.error).toEqual(expect.any(String));
    await expect(emu.webhooks.waitFor((d) => d.payload.item_id === "none", 50)).rejects.toThrow(
      /no matching webhook/,
    );
  });
});
