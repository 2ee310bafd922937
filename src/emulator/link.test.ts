import { runInNewContext } from "node:vm";
import { CountryCode, Products } from "plaid";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type Emulator, startEmulator } from "./index.js";
import { plaidClientFor } from "./testing.js";

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ seed: 4 });
});
afterAll(() => emu.close());

async function linkToken(extra: Record<string, unknown> = {}): Promise<string> {
  const reply = await plaidClientFor(emu).linkTokenCreate({
    client_name: "bankrec",
    language: "en",
    country_codes: [CountryCode.Us],
    user: { client_user_id: "user-9" },
    products: [Products.Transactions],
    ...extra,
  });
  return reply.data.link_token;
}

async function authenticate(
  body: Record<string, unknown>,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${emu.url}/__emulator/link/authenticate`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

describe("the Link stand-in", () => {
  test("link-initialize.js defines Plaid.create returning open, exit and destroy", async () => {
    const response = await fetch(`${emu.url}/link/v2/stable/link-initialize.js`);
    expect(response.headers.get("content-type")).toMatch(/javascript/);
    const script = await response.text();
    const window: Record<string, unknown> = {};
    runInNewContext(script, { window, setTimeout, document: {} });
    const plaid = window.Plaid as { create(config: unknown): Record<string, unknown> };
    const handler = plaid.create({ token: "link-sandbox-x", onSuccess: () => undefined });
    expect(Object.keys(handler)).toEqual(expect.arrayContaining(["open", "exit", "destroy"]));
    expect(script).toContain(emu.url);
    expect(script).toContain("First Platypus Bank");
  });

  test("signing in with user_good gives a public token that exchanges for an item at the chosen bank", async () => {
    const webhook = "http://127.0.0.1:9/unreachable";
    const token = await linkToken({ webhook });
    const { status, json } = await authenticate({
      link_token: token,
      institution_id: "ins_109510",
      username: "user_good",
      password: "pass_good",
    });
    expect(status).toBe(200);
    const metadata = json.metadata as { institution: { name: string }; link_session_id: string };
    expect(metadata.institution.name).toBe("Tattersall Federal Credit Union");
    expect(metadata.link_session_id).toEqual(expect.any(String));
    const plaid = plaidClientFor(emu);
    const exchanged = await plaid.itemPublicTokenExchange({ public_token: json.public_token as string });
    const item = await plaid.itemGet({ access_token: exchanged.data.access_token });
    expect(item.data.item.institution_id).toBe("ins_109510");
    expect(item.data.item.webhook).toBe(webhook);
  });

  test("a browser on another origin may call the sign-in endpoint (CORS preflight)", async () => {
    const preflight = await fetch(`${emu.url}/__emulator/link/authenticate`, {
      method: "OPTIONS",
      headers: { origin: "http://localhost:5173", "access-control-request-method": "POST" },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("*");
    expect(preflight.headers.get("access-control-allow-headers")).toContain("content-type");
  });

  test("wrong credentials and unknown link tokens are refused in Plaid's shape", async () => {
    const token = await linkToken();
    const wrong = await authenticate({
      link_token: token,
      institution_id: "ins_109508",
      username: "user_good",
      password: "nope",
    });
    expect(wrong.status).toBe(400);
    expect(wrong.json).toMatchObject({ error_type: "ITEM_ERROR", error_code: "INVALID_CREDENTIALS" });
    const unknown = await authenticate({
      link_token: "link-sandbox-nope",
      institution_id: "ins_109508",
      username: "user_good",
      password: "pass_good",
    });
    expect(unknown.json.error_code).toBe("INVALID_LINK_TOKEN");
  });

  test("user_transactions_dynamic makes an item whose history changes as the clock advances", async () => {
    const token = await linkToken();
    const { json } = await authenticate({
      link_token: token,
      institution_id: "ins_109508",
      username: "user_transactions_dynamic",
      password: "any",
    });
    const plaid = plaidClientFor(emu);
    const { access_token } = (
      await plaid.itemPublicTokenExchange({ public_token: json.public_token as string })
    ).data;
    const before = emu.admin.itemTruth(access_token).changeCount;
    await emu.clock.advance(1);
    expect(emu.admin.itemTruth(access_token).changeCount).toBeGreaterThan(before);
  });
});
