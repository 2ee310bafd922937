import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CliStoreHarness, cliStoreHarness } from "../../../test/support/cli-store.js";
import { EncryptionKey, type Store } from "../../store/index.js";

async function sealedTokens(store: Store): Promise<Map<string, string>> {
  const rows = await store.db.selectFrom("items").select(["id", "access_token_sealed"]).execute();
  return new Map(rows.map((r) => [r.id, r.access_token_sealed]));
}

async function sealedNow(h: CliStoreHarness, env: Record<string, string> = {}): Promise<Map<string, string>> {
  const store = await h.openSame(env);
  try {
    return await sealedTokens(store);
  } finally {
    await store.close();
  }
}

describe("bankrec keys rotate with a key file", () => {
  let h: CliStoreHarness;
  beforeAll(async () => {
    h = await cliStoreHarness({ seed: 51 });
    for (let i = 0; i < 2; i++) expect((await h.run(["link", "--no-sync"])).code).toBe(0);
  });
  afterAll(async () => {
    await h.close();
  });

  it("re-seals every token under a new key, and every item still syncs", async () => {
    const before = await sealedNow(h);
    const run = await h.run(["keys", "rotate", "--json"]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result).toMatchObject({ source: "file", resealed: 2 });
    const after = await sealedNow(h);
    for (const [id, sealed] of before) {
      expect(after.get(id)).not.toBe(sealed);
      expect(after.get(id)?.split(".")[1]).toBe(result.key_id);
    }
    const synced = JSON.parse((await h.run(["sync", "--json"])).stdout);
    expect(synced.items.map((i: { outcome: string }) => i.outcome)).toEqual(["synced", "synced"]);
  });

  it("rotates again, keeping the older keys readable, and says so in words", async () => {
    const run = await h.run(["keys", "rotate"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /^current key [0-9a-f]{12} \(a new key file\); re-sealed 2 access tokens under it\n$/,
    );
    expect((await h.run(["sync"])).code).toBe(0);
  });
});

describe("bankrec keys rotate with BANKREC_SECRET_KEY", () => {
  let h: CliStoreHarness;
  const oldKey = EncryptionKey.generate().toText();
  const newKey = EncryptionKey.generate().toText();
  beforeAll(async () => {
    h = await cliStoreHarness({ seed: 52 });
    expect((await h.run(["link", "--no-sync"], { BANKREC_SECRET_KEY: oldKey })).code).toBe(0);
  });
  afterAll(async () => {
    await h.close();
  });

  it("asks for the old key in BANKREC_SECRET_KEY_PREVIOUS instead of guessing", async () => {
    const run = await h.run(["keys", "rotate"], { BANKREC_SECRET_KEY: newKey });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("BANKREC_SECRET_KEY_PREVIOUS");
    expect(run.stderr).not.toContain(newKey);
  });

  it("re-seals under the new key; the old key is then no longer needed", async () => {
    const env = { BANKREC_SECRET_KEY: newKey, BANKREC_SECRET_KEY_PREVIOUS: oldKey };
    const before = await sealedNow(h, env);
    const run = await h.run(["keys", "rotate", "--json"], env);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ source: "env", resealed: 1 });
    const after = await sealedNow(h, env);
    for (const [id, sealed] of before) expect(after.get(id)).not.toBe(sealed);
    const synced = await h.run(["sync", "--json"], { BANKREC_SECRET_KEY: newKey });
    expect(JSON.parse(synced.stdout).items[0].outcome).toBe("synced");
    expect(h.allOutput()).not.toContain(newKey);
    expect(h.allOutput()).not.toContain(oldKey);
  });
});
