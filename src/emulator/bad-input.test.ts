import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type Emulator, startEmulator } from "./index.js";

let emu: Emulator;
let accessToken: string;

beforeAll(async () => {
  emu = await startEmulator({ seed: 2, clientId: "client-x", secret: "secret-y" });
  ({ accessToken } = await emu.admin.createItem({ historyDays: 10 }));
});
afterAll(() => emu.close());

async function post(
  path: string,
  body: string,
  headers: Record<string, string> = { "PLAID-CLIENT-ID": "client-x", "PLAID-SECRET": "secret-y" },
): Promise<{ status: number; json: Record<string, unknown>; text: string }> {
  const response = await fetch(`${emu.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body,
  });
  const text = await response.text();
  return { status: response.status, json: JSON.parse(text) as Record<string, unknown>, text };
}

function expectPlaidShape(json: Record<string, unknown>): void {
  for (const key of [
    "error_type",
    "error_code",
    "error_message",
    "display_message",
    "request_id",
    "causes",
    "status",
    "documentation_url",
    "suggested_action",
  ]) {
    expect(json).toHaveProperty(key);
  }
  expect(JSON.stringify(json)).not.toMatch(/at \w+ \(|node:internal|\.ts:\d+/);
}

describe("bad input gets Plaid's error shapes, never a stack trace", () => {
  test.each([
    ["not JSON", "{nope", 400, "INVALID_BODY"],
    ["a JSON array", "[1,2]", 400, "INVALID_BODY"],
    ["a missing access token", "{}", 400, "MISSING_FIELDS"],
    ["an access token of the wrong type", '{"access_token": 42}', 400, "INVALID_FIELD"],
    ["an unknown access token", '{"access_token": "access-sandbox-nope"}', 400, "INVALID_ACCESS_TOKEN"],
  ])("%s", async (_name, body, status, code) => {
    const { status: got, json } = await post("/accounts/get", body);
    expect(got).toBe(status);
    expect(json.error_code).toBe(code);
    expectPlaidShape(json);
  });

  test("a count above 500 names the field", async () => {
    const { status, json } = await post(
      "/transactions/sync",
      JSON.stringify({ access_token: accessToken, count: 501 }),
    );
    expect(status).toBe(400);
    expect(json).toMatchObject({ error_type: "INVALID_REQUEST", error_code: "INVALID_FIELD" });
    expect(json.error_message).toMatch(/^count: /);
  });

  test("a date that is not a date is an invalid field", async () => {
    const body = { access_token: accessToken, start_date: "2026-02-30", end_date: "2026-03-01" };
    const { json } = await post("/transactions/get", JSON.stringify(body));
    expect(json.error_code).toBe("INVALID_FIELD");
    expect(json.error_message).toMatch(/start_date/);
  });

  test("a cursor that is not the emulator's is an invalid field", async () => {
    const { json } = await post(
      "/transactions/sync",
      JSON.stringify({ access_token: accessToken, cursor: "garbage!" }),
    );
    expect(json.error_code).toBe("INVALID_FIELD");
  });

  test("wrong credentials are INVALID_API_KEYS and missing ones MISSING_FIELDS; the secret is never echoed", async () => {
    const wrong = await post("/item/get", JSON.stringify({ access_token: accessToken }), {
      "PLAID-CLIENT-ID": "client-x",
      "PLAID-SECRET": "guess-secret",
    });
    expect(wrong.status).toBe(400);
    expect(wrong.json).toMatchObject({ error_type: "INVALID_INPUT", error_code: "INVALID_API_KEYS" });
    expect(wrong.text).not.toContain("guess-secret");
    const missing = await post("/item/get", JSON.stringify({ access_token: accessToken }), {});
    expect(missing.json.error_code).toBe("MISSING_FIELDS");
  });

  test("credentials in the body are accepted as Plaid accepts them", async () => {
    const body = { client_id: "client-x", secret: "secret-y", access_token: accessToken };
    const { status } = await post("/item/get", JSON.stringify(body), {});
    expect(status).toBe(200);
  });

  test("an unknown endpoint is a 404 in Plaid's shape and every reply has a request id", async () => {
    const { status, json } = await post("/nope/get", "{}");
    expect(status).toBe(404);
    expectPlaidShape(json);
    const ok = await post("/item/get", JSON.stringify({ access_token: accessToken }));
    expect(ok.json.request_id).toEqual(expect.any(String));
  });

  test("the admin API refuses a bad fault rule with INVALID_FIELD", async () => {
    const { status, json } = await post("/__emulator/faults", JSON.stringify({ kind: "meteor" }));
    expect(status).toBe(400);
    expect(json.error_code).toBe("INVALID_FIELD");
    const unknownItem = await post("/__emulator/items/nope/login-required", "{}");
    expect(unknownItem.json.error_code).toBe("INVALID_FIELD");
    const malformed = await post("/__emulator/items/%E0%A4%A/login-required", "{}");
    expect(malformed.status).toBe(404);
  });
});

describe("the admin API over HTTP", () => {
  test("creates an item, advances the clock and reports the item's truth", async () => {
    const created = await post("/__emulator/items", JSON.stringify({ historyDays: 15 }));
    expect(created.status).toBe(200);
    const itemId = created.json.item_id as string;
    const before = await fetch(`${emu.url}/__emulator/items/${itemId}`, {
      headers: { "PLAID-CLIENT-ID": "client-x", "PLAID-SECRET": "secret-y" },
    }).then((r) => r.json() as Promise<{ changeCount: number }>);
    const advanced = await post("/__emulator/clock/advance", JSON.stringify({ days: 1 }));
    expect(advanced.json.today).toBe("2026-07-01");
    const after = await fetch(`${emu.url}/__emulator/items/${itemId}`, {
      headers: { "PLAID-CLIENT-ID": "client-x", "PLAID-SECRET": "secret-y" },
    }).then((r) => r.json() as Promise<{ changeCount: number }>);
    expect(after.changeCount).toBeGreaterThan(before.changeCount);
  });

  test("sets a fault, rotates the key and clears faults", async () => {
    expect(
      (await post("/__emulator/faults", JSON.stringify({ kind: "server_error", times: 1 }))).status,
    ).toBe(200);
    expect((await post("/item/get", JSON.stringify({ access_token: accessToken }))).status).toBe(500);
    expect((await post("/__emulator/webhooks/rotate", "{}")).status).toBe(200);
    await post("/__emulator/faults", JSON.stringify({ kind: "server_error" }));
    const cleared = await fetch(`${emu.url}/__emulator/faults`, {
      method: "DELETE",
      headers: { "PLAID-CLIENT-ID": "client-x", "PLAID-SECRET": "secret-y" },
    });
    expect(cleared.status).toBe(200);
    expect((await post("/item/get", JSON.stringify({ access_token: accessToken }))).status).toBe(200);
  });

  test("needs the emulator's credentials", async () => {
    const { json } = await post("/__emulator/clock/advance", JSON.stringify({ days: 1 }), {});
    expect(json.error_code).toBe("MISSING_FIELDS");
  });
});
