import { existsSync, readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv } from "ajv";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { parse } from "yaml";
import { type Emulator, startEmulator } from "./index.js";
import { startWebhookReceiver } from "./testing.js";

/**
 * Every endpoint's success reply (and Plaid's error shape, and a webhook body) validates
 * against Plaid's OpenAPI description, kept outside the repository in ../shared.
 */

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const specPath = resolve(repoRoot, "../shared/plaid-openapi/2020-09-14.yml");
const specFound = existsSync(specPath);
if (!specFound) {
  if (process.env.CI)
    throw new Error(`Plaid's OpenAPI spec is missing at ${specPath}; CI needs ../shared beside the repo`);
  console.warn(
    `spec-conformance: skipped, ${specPath} not found (it lives in ../shared beside the repository)`,
  );
}

type Json = Record<string, unknown>;

/** OpenAPI 3.0's `nullable: true` as JSON Schema: a type union (or anyOf for refs and allOf). */
function convertNullable(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(convertNullable);
  if (node === null || typeof node !== "object") return node;
  const out: Json = {};
  for (const [key, value] of Object.entries(node as Json)) {
    if (key === "example" || key === "examples" || key.startsWith("x-")) continue;
    out[key] = key === "properties" ? mapValues(value as Json) : convertNullable(value);
  }
  if (out.nullable !== true) {
    delete out.nullable;
    return out;
  }
  delete out.nullable;
  if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
  if (typeof out.type === "string") return { ...out, type: [out.type, "null"] };
  return { anyOf: [out, { type: "null" }] };
}

function mapValues(properties: Json): Json {
  return Object.fromEntries(Object.entries(properties).map(([k, v]) => [k, convertNullable(v)]));
}

let ajv: Ajv;
let spec: { paths: Record<string, Json>; components: { schemas: Json } };

function responseSchemaName(path: string): string {
  const post = spec.paths[path]?.post as Json | undefined;
  const ref = (post?.responses as Json | undefined)?.["200"] as Json | undefined;
  const schema = ((ref?.content as Json)?.["application/json"] as Json)?.schema as
    | { $ref?: string }
    | undefined;
  if (schema?.$ref === undefined) throw new Error(`the spec has no 200 schema for ${path}`);
  return schema.$ref.split("/").pop() as string;
}

function expectValid(schemaName: string, value: unknown): void {
  const validate = ajv.getSchema(`plaid#/components/schemas/${schemaName}`);
  if (validate === undefined) throw new Error(`no schema ${schemaName}`);
  const ok = validate(value);
  expect(ok ? [] : validate.errors?.slice(0, 5), `${schemaName} conformance`).toEqual([]);
}

describe.skipIf(!specFound)("responses conform to Plaid's OpenAPI spec", () => {
  let emu: Emulator;
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let accessToken: string;
  const headers = (): Record<string, string> => ({
    "content-type": "application/json",
    "PLAID-CLIENT-ID": emu.credentials.clientId,
    "PLAID-SECRET": emu.credentials.secret,
  });
  async function call(path: string, body: Json): Promise<{ status: number; json: Json }> {
    const response = await fetch(`${emu.url}${path}`, {
      method: "POST",
      headers: headers(),
      body: JSON.stringify(body),
    });
    return { status: response.status, json: (await response.json()) as Json };
  }
  async function conforms(path: string, body: Json): Promise<Json> {
    const { status, json } = await call(path, body);
    expect(status, `${path}: ${JSON.stringify(json).slice(0, 300)}`).toBe(200);
    expectValid(responseSchemaName(path), json);
    return json;
  }

  beforeAll(async () => {
    spec = parse(readFileSync(specPath, "utf8")) as typeof spec;
    ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
    ajv.addSchema({ $id: "plaid", components: { schemas: mapValues(spec.components.schemas) } });
    emu = await startEmulator({ seed: 21 });
    receiver = await startWebhookReceiver();
    ({ accessToken } = await emu.admin.createItem({
      webhook: receiver.url,
      products: ["transactions", "investments", "liabilities"],
    }));
  }, 120_000);
  afterAll(async () => {
    await emu?.close();
    await receiver?.close();
  });

  test("link, item and account endpoints", async () => {
    const link = {
      client_name: "bankrec",
      language: "en",
      country_codes: ["US"],
      user: { client_user_id: "u1" },
    };
    await conforms("/link/token/create", { ...link, products: ["transactions"] });
    await conforms("/link/token/create", { ...link, access_token: accessToken });
    const { public_token } = await conforms("/sandbox/public_token/create", {
      institution_id: "ins_109511",
      initial_products: ["transactions"],
      options: { override_username: "user_transactions_dynamic" },
    });
    await conforms("/item/public_token/exchange", { public_token });
    await conforms("/item/get", { access_token: accessToken });
    await conforms("/item/webhook/update", { access_token: accessToken, webhook: receiver.url });
    await conforms("/accounts/get", { access_token: accessToken });
    await conforms("/accounts/balance/get", { access_token: accessToken });
    await conforms("/institutions/get_by_id", { institution_id: "ins_109508", country_codes: ["US"] });
  });

  test("transactions endpoints, including pages with modified and removed entries", async () => {
    await conforms("/transactions/get", {
      access_token: accessToken,
      start_date: "2026-01-01",
      end_date: "2026-06-30",
      options: { count: 500, include_original_description: true },
    });
    await conforms("/transactions/get", {
      access_token: accessToken,
      start_date: "2026-01-01",
      end_date: "2026-06-30",
      options: { count: 100, personal_finance_category_version: "v2" },
    });
    const first = await conforms("/transactions/sync", { access_token: accessToken, count: 500 });
    let cursor = first.next_cursor as string;
    for (let more = first.has_more as boolean; more; ) {
      const page = await conforms("/transactions/sync", { access_token: accessToken, cursor, count: 500 });
      cursor = page.next_cursor as string;
      more = page.has_more as boolean;
    }
    await emu.clock.advance(5);
    const changes = await conforms("/transactions/sync", { access_token: accessToken, cursor, count: 500 });
    expect((changes.removed as unknown[]).length).toBeGreaterThan(0);
    await conforms("/transactions/refresh", { access_token: accessToken });
    await conforms("/sandbox/transactions/create", {
      access_token: accessToken,
      transactions: [
        {
          date_transacted: emu.clock.today(),
          date_posted: emu.clock.today(),
          amount: -5.5,
          description: "Refund",
        },
      ],
    });
    for (const transaction of emu.admin.itemTruth(accessToken).transactions)
      expectValid("Transaction", transaction);
  });

  test("investments and liabilities", async () => {
    await conforms("/investments/holdings/get", { access_token: accessToken });
    await conforms("/investments/transactions/get", {
      access_token: accessToken,
      start_date: "2024-06-30",
      end_date: "2026-06-30",
      options: { count: 500 },
    });
    await conforms("/liabilities/get", { access_token: accessToken });
  });

  test("sandbox helpers, webhook keys and webhook bodies", async () => {
    await conforms("/sandbox/item/fire_webhook", {
      access_token: accessToken,
      webhook_code: "SYNC_UPDATES_AVAILABLE",
    });
    const delivery = emu.webhooks
      .deliveries()
      .find((d) => d.payload.webhook_code === "SYNC_UPDATES_AVAILABLE");
    expectValid("SyncUpdatesAvailableWebhook", delivery?.payload);
    const kid = JSON.parse(
      Buffer.from(delivery!.headers["plaid-verification"]!.split(".")[0]!, "base64url").toString(),
    ).kid;
    await conforms("/webhook_verification_key/get", { key_id: kid });
    emu.webhooks.rotateKey();
    await conforms("/webhook_verification_key/get", { key_id: kid });
    const fired: [string, string | undefined, string][] = [
      ["DEFAULT_UPDATE", "TRANSACTIONS", "DefaultUpdateWebhook"],
      ["DEFAULT_UPDATE", "HOLDINGS", "HoldingsDefaultUpdateWebhook"],
      ["DEFAULT_UPDATE", "INVESTMENTS_TRANSACTIONS", "InvestmentsDefaultUpdateWebhook"],
      ["NEW_ACCOUNTS_AVAILABLE", undefined, "NewAccountsAvailableWebhook"],
      ["ERROR", undefined, "ItemErrorWebhook"],
      ["LOGIN_REPAIRED", undefined, "ItemLoginRepairedWebhook"],
      ["PENDING_DISCONNECT", undefined, "PendingDisconnectWebhook"],
      ["USER_PERMISSION_REVOKED", undefined, "UserPermissionRevokedWebhook"],
      ["USER_ACCOUNT_REVOKED", undefined, "UserAccountRevokedWebhook"],
      ["PRODUCT_READY", "INCOME", "ItemProductReadyWebhook"],
    ];
    for (const [code, type, schema] of fired) {
      await conforms("/sandbox/item/fire_webhook", {
        access_token: accessToken,
        webhook_code: code,
        ...(type === undefined ? {} : { webhook_type: type }),
      });
      const last = emu.webhooks.deliveries().at(-1)!;
      expect(last.payload.webhook_code).toBe(code);
      expectValid(schema, last.payload);
    }
    expectValid(
      "WebhookUpdateAcknowledgedWebhook",
      emu.webhooks.deliveries().find((d) => d.payload.webhook_code === "WEBHOOK_UPDATE_ACKNOWLEDGED")
        ?.payload,
    );
    await conforms("/sandbox/item/reset_login", { access_token: accessToken });
    await conforms("/item/get", { access_token: accessToken });
    await conforms("/item/remove", { access_token: accessToken });
  });

  test("the validator itself refuses what Plaid's spec forbids", async () => {
    const [transaction] = emu.admin.itemTruth(
      (await emu.admin.createItem({ historyDays: 3 })).accessToken,
    ).transactions;
    const validate = ajv.getSchema("plaid#/components/schemas/Transaction")!;
    expect(validate(transaction)).toBe(true);
    const { amount: _dropped, ...withoutAmount } = transaction!;
    expect(validate(withoutAmount)).toBe(false);
    expect(validate({ ...transaction, pending: null })).toBe(false);
    expect(validate({ ...transaction, payment_channel: "carrier pigeon" })).toBe(false);
  });

  test("errors are PlaidError objects", async () => {
    const cases: [string, Json][] = [
      ["/item/get", {}],
      ["/item/get", { access_token: "access-sandbox-unknown" }],
      ["/transactions/sync", { access_token: 5 }],
      ["/nowhere", {}],
    ];
    for (const [path, body] of cases) {
      const { status, json } = await call(path, body);
      expect(status).toBeGreaterThanOrEqual(400);
      expectValid("PlaidError", json);
    }
  });
});
