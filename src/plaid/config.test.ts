import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../errors/index.js";
import { Secret } from "../secrets/index.js";
import { plaidConfigStatus, resolvePlaidConfig } from "./config.js";

const secret = "plaid-secret-value-7f3a9c";

describe("resolvePlaidConfig", () => {
  it("reads credentials, environment, base URL and timeout from the environment", () => {
    const config = resolvePlaidConfig(
      {},
      {
        PLAID_CLIENT_ID: "client-1",
        PLAID_SECRET: secret,
        PLAID_ENV: "production",
        PLAID_BASE_URL: "http://127.0.0.1:4010/",
        PLAID_TIMEOUT_MS: "1500",
      },
    );
    expect(config).toMatchObject({
      clientId: "client-1",
      env: "production",
      basePath: "http://127.0.0.1:4010",
      timeoutMs: 1500,
    });
    expect(config.secret.reveal()).toBe(secret);
  });

  it("lets options win over the environment and defaults to the sandbox host", () => {
    const config = resolvePlaidConfig(
      { clientId: "from-options", secret: new Secret(secret) },
      { PLAID_CLIENT_ID: "env" },
    );
    expect(config.clientId).toBe("from-options");
    expect(config.basePath).toBe("https://sandbox.plaid.com");
    expect(config.timeoutMs).toBe(30_000);
  });

  it("refuses the development environment, saying Plaid removed it in 2024", () => {
    const run = () =>
      resolvePlaidConfig({}, { PLAID_CLIENT_ID: "c", PLAID_SECRET: secret, PLAID_ENV: "development" });
    expect(run).toThrow(ConfigError);
    expect(run).toThrow(/removed the Development environment in 2024.*sandbox.*production/);
  });

  it("names the bad variable without quoting the secret", () => {
    const env = { PLAID_CLIENT_ID: "c", PLAID_SECRET: secret };
    expect(() => resolvePlaidConfig({}, { ...env, PLAID_ENV: "staging" })).toThrow(
      /PLAID_ENV must be "sandbox" or "production"/,
    );
    expect(() => resolvePlaidConfig({}, { ...env, PLAID_BASE_URL: "ftp://x" })).toThrow(/PLAID_BASE_URL/);
    expect(() => resolvePlaidConfig({}, { ...env, PLAID_TIMEOUT_MS: "soon" })).toThrow(/PLAID_TIMEOUT_MS/);
    try {
      resolvePlaidConfig({ secret: "x".repeat(600) }, env);
      expect.unreachable();
    } catch (error) {
      expect(String(error)).toMatch(/PLAID_SECRET/);
      expect(String(error)).not.toContain("xxxxxxxx");
    }
  });

  it("keeps the secret out of the printed configuration", () => {
    const config = resolvePlaidConfig({ clientId: "c", secret });
    expect(JSON.stringify(config)).not.toContain(secret);
    expect(inspect(config, { depth: 5 })).not.toContain(secret);
  });
});

describe("plaidConfigStatus", () => {
  it("reports missing credentials as a state instead of throwing", () => {
    expect(plaidConfigStatus({}, {})).toEqual({
      configured: false,
      reason: "Plaid is not configured: set PLAID_CLIENT_ID and PLAID_SECRET",
    });
    expect(plaidConfigStatus({}, { PLAID_CLIENT_ID: "c", PLAID_SECRET: "" }).configured).toBe(false);
  });

  it("reports a usable configuration with its environment and host", () => {
    expect(plaidConfigStatus({}, { PLAID_CLIENT_ID: "c", PLAID_SECRET: secret })).toEqual({
      configured: true,
      env: "sandbox",
      basePath: "https://sandbox.plaid.com",
    });
  });
});
