import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type Emulator, startEmulator } from "./index.js";
import { ENDPOINTS } from "./router.js";

let emu: Emulator;
let accessToken: string;
beforeAll(async () => {
  emu = await startEmulator({ seed: 13 });
  ({ accessToken } = await emu.admin.createItem({ historyDays: 5 }));
});
afterAll(() => emu.close());

const paths = [...ENDPOINTS.keys()].filter((path) => path !== "/item/remove");

// "webhook" is left out: a random string that parses as a URL must not make the emulator POST anywhere.
/** Bodies near the real ones: known field names with any JSON value, or ("TOKEN") the real access token. */
const body = fc.dictionary(
  fc.constantFrom(
    "access_token",
    "cursor",
    "count",
    "options",
    "start_date",
    "end_date",
    "public_token",
    "institution_id",
    "initial_products",
    "webhook_code",
    "transactions",
    "key_id",
    "products",
    "user",
    "client_name",
    "country_codes",
    "language",
  ),
  fc.oneof(fc.jsonValue(), fc.constant("TOKEN")),
);

describe("any JSON body", () => {
  test("gets a 200 or a Plaid error with a 4xx status, never a 500 or a stack trace", async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...paths), body, async (path, json) => {
        const valued = Object.fromEntries(
          Object.entries(json).map(([k, v]) => [k, k === "access_token" && v === "TOKEN" ? accessToken : v]),
        );
        const response = await fetch(`${emu.url}${path}`, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            "PLAID-CLIENT-ID": emu.credentials.clientId,
            "PLAID-SECRET": emu.credentials.secret,
          },
          body: JSON.stringify(valued),
        });
        const text = await response.text();
        expect(response.status === 200 || (response.status >= 400 && response.status < 500), text).toBe(true);
        const reply = JSON.parse(text) as Record<string, unknown>;
        expect(reply.request_id).toEqual(expect.any(String));
        if (response.status !== 200) expect(reply.error_code).toEqual(expect.any(String));
        expect(text).not.toMatch(/node:internal|at \w+ \(/);
      }),
      { numRuns: process.env.BANKREC_TEST_EXTENDED ? 2000 : 250 },
    );
  });
});
