import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
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
      /^current key [0-9a-f]{12} \(a new key file\); re-sealed 2 access tokens under it\ndeleted the old keys \(.*bankrec\.key\.previous\)\n$/,
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

  it("refuses --keep-previous, which is for a key file (exit 2)", async () => {
    const env = { BANKREC_SECRET_KEY: newKey, BANKREC_SECRET_KEY_PREVIOUS: oldKey };
    const run = await h.run(["keys", "rotate", "--keep-previous"], env);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--keep-previous is for a key file");
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

/** The store file and the two SQLite keeps beside it; "-wal" and "-shm" may be absent. */
function storeFileBytes(dbPath: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const suffix of ["", "-wal", "-shm"])
    if (existsSync(dbPath + suffix)) files.set(suffix || "db", readFileSync(dbPath + suffix));
  return files;
}

/** Which files hold any of these sealed tokens, or its ciphertext field alone. */
function filesHolding(dbPath: string, sealed: Iterable<string>): string[] {
  const needles = [...sealed].flatMap((text) => [text, text.split(".")[3] ?? text]);
  return [...storeFileBytes(dbPath)]
    .filter(([, bytes]) => needles.some((needle) => bytes.includes(needle)))
    .map(([name]) => name);
}

/**
 * What an older bankrec (without secure_delete) left behind: an item row rewritten at other
 * lengths, so stale copies of its sealed token sit in the page's free space.
 */
function scatterStaleCopies(dbPath: string): void {
  const raw = new BetterSqlite3(dbPath);
  try {
    raw.pragma("secure_delete = OFF");
    for (let round = 0; round < 12; round++) {
      const message = round % 2 === 0 ? "sign in again at the bank ".repeat(1 + (round % 5)) : null;
      raw.prepare("update items set error_message = ?, updated_at = ?").run(message, `2026-06-${10 + round}`);
    }
    raw.prepare("update items set error_message = null").run();
  } finally {
    raw.close();
  }
}

describe("bankrec keys rotate leaves nothing an old key opens", () => {
  let h: CliStoreHarness;
  let dbPath: string;
  let keyPath: string;
  beforeAll(async () => {
    h = await cliStoreHarness({ seed: 53 });
    dbPath = join(h.folder, "books.db");
    keyPath = join(h.folder, "bankrec.key");
    for (let i = 0; i < 3; i++) expect((await h.run(["link"])).code).toBe(0);
  });
  afterAll(async () => {
    await h.close();
  });

  it("overwrites every old sealed token in the .db, -wal and -shm files and deletes the old key", async () => {
    scatterStaleCopies(dbPath);
    const old = [...(await sealedNow(h)).values()];
    // A second process (a server) keeps the store open, so the WAL outlives the command.
    const server = await h.openSame();
    try {
      await server.db.selectFrom("items").select("id").execute();
      expect(filesHolding(dbPath, old).length).toBeGreaterThan(0);
      const run = await h.run(["keys", "rotate", "--json"]);
      expect(run.stderr).toBe("");
      expect(run.code).toBe(0);
      expect(JSON.parse(run.stdout)).toMatchObject({
        resealed: 3,
        stale: 0,
        previous_key_file: "deleted",
        old_ciphertext: "erased",
      });
      expect(existsSync(`${keyPath}.previous`)).toBe(false);
      expect(existsSync(`${dbPath}-wal`)).toBe(true);
      expect(filesHolding(dbPath, old)).toEqual([]);
      // The server still reads its items, under the new key.
      expect(await server.db.selectFrom("items").select("id").execute()).toHaveLength(3);
    } finally {
      await server.close();
    }
    expect(filesHolding(dbPath, old)).toEqual([]);
    const synced = JSON.parse((await h.run(["sync", "--json"])).stdout);
    expect(synced.items.map((i: { outcome: string }) => i.outcome)).toEqual(["synced", "synced", "synced"]);
  });

  it("keeps the old keys with --keep-previous; a rotation without it deletes them", async () => {
    const before = await sealedNow(h);
    const oldKeyText = readFileSync(keyPath, "utf8").trim();
    const run = await h.run(["keys", "rotate", "--keep-previous"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/kept the old keys in .*bankrec\.key\.previous \(--keep-previous\)\n$/);
    expect(readFileSync(`${keyPath}.previous`, "utf8")).toContain(oldKeyText);
    expect(filesHolding(dbPath, before.values())).toEqual([]);
    // The next rotation without the flag deletes them all.
    expect((await h.run(["keys", "rotate"])).code).toBe(0);
    expect(existsSync(`${keyPath}.previous`)).toBe(false);
    expect((await h.run(["sync"])).code).toBe(0);
  });
});
