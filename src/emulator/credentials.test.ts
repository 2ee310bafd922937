import { afterEach, describe, expect, test, vi } from "vitest";
import { DEFAULT_CLIENT_ID, DEFAULT_SECRET, startEmulator } from "./index.js";

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("accepted credentials", () => {
  test("come from options first, then PLAID_CLIENT_ID / PLAID_SECRET, then the documented default pair", async () => {
    vi.stubEnv("PLAID_CLIENT_ID", "env-client");
    vi.stubEnv("PLAID_SECRET", "env-secret");
    const fromEnv = await startEmulator();
    expect(fromEnv.credentials).toEqual({ clientId: "env-client", secret: "env-secret" });
    await fromEnv.close();
    const fromOptions = await startEmulator({ clientId: "opt-client", secret: "opt-secret" });
    expect(fromOptions.credentials).toEqual({ clientId: "opt-client", secret: "opt-secret" });
    await fromOptions.close();
    vi.stubEnv("PLAID_CLIENT_ID", "");
    vi.stubEnv("PLAID_SECRET", "");
    const fallback = await startEmulator();
    expect(fallback.credentials).toEqual({ clientId: DEFAULT_CLIENT_ID, secret: DEFAULT_SECRET });
    await fallback.close();
  });

  test("closing twice is harmless", async () => {
    const emu = await startEmulator();
    await emu.close();
    await expect(emu.close()).resolves.toBeUndefined();
  });

  test("bad options are refused before anything listens", async () => {
    await expect(startEmulator({ now: "2026-13-01" })).rejects.toThrow(/YYYY-MM-DD/);
    await expect(startEmulator({ port: 70000 })).rejects.toThrow(/port/);
  });
});
