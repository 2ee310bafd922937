import { chmodSync, existsSync, readFileSync, renameSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CliStoreHarness, cliStoreHarness } from "../../../test/support/cli-store.js";
import { storeCases, TEST_KEY } from "../../../test/support/stores.js";
import { accessTokenOf } from "../../store/index.js";

const cases = await storeCases();

describe.each(cases)("link, items, sync, transactions and accounts on $dialect", (storeCase) => {
  let h: CliStoreHarness;
  let itemId: string;

  beforeAll(async () => {
    // PostgreSQL takes its key from the environment only; SQLite makes a key file beside the store.
    const env = storeCase.dialect === "postgres" ? { BANKREC_SECRET_KEY: TEST_KEY.toText() } : {};
    h = await cliStoreHarness({ seed: 21, databaseUrl: storeCase.freshUrl(), env });
  });
  afterAll(async () => {
    await h.close();
    await storeCase.cleanup();
  });

  it.skipIf(!storeCase.available)("links a sandbox item, stores it and syncs it in one go", async () => {
    const linked = await h.run(["link", "--user", "user_transactions_dynamic", "--json"]);
    expect(linked.stderr).toBe("");
    expect(linked.code).toBe(0);
    const json = JSON.parse(linked.stdout);
    itemId = json.item_id;
    expect(h.emu.admin.itemIds()).toContain(itemId);
    expect(json).toMatchObject({
      institution_id: "ins_109508",
      institution_name: "First Platypus Bank",
      products: ["transactions"],
      sync: { item_id: itemId, outcome: "synced" },
    });
    expect(json.sync.added).toBe(h.emu.admin.itemTruth(itemId).transactions.length);
  });

  it.skipIf(!storeCase.available)("lists the item with its status, last sync and cursor", async () => {
    const table = await h.run(["items"]);
    expect(table.code).toBe(0);
    expect(table.stdout).toContain(itemId);
    expect(table.stdout).toContain("First Platypus Bank");
    const [item] = JSON.parse((await h.run(["items", "--json"])).stdout);
    expect(item).toMatchObject({ id: itemId, status: "ok", has_cursor: true, error_code: null });
    expect(item.last_synced_at).toEqual(expect.any(String));
  });

  it.skipIf(!storeCase.available)(
    "syncs again after the bank changes and holds exactly the emulator's transactions",
    async () => {
      await h.emu.clock.advance(2);
      const synced = await h.run(["sync"]);
      expect(synced.code).toBe(0);
      expect(synced.stdout).toMatch(
        new RegExp(`item ${itemId}: synced: \\d+ added, \\d+ modified, \\d+ removed`),
      );
      const listed = await h.run(["transactions", "--item", itemId, "--json"]);
      expect(listed.code).toBe(0);
      const rows = JSON.parse(listed.stdout) as { id: string; amount_minor: number; amount: string }[];
      const truth = h.emu.admin.itemTruth(itemId).transactions;
      expect(rows.map((r) => r.id).sort()).toEqual(truth.map((t) => t.transaction_id).sort());
      const byId = new Map(truth.map((t) => [t.transaction_id, t]));
      for (const row of rows)
        expect(row.amount_minor).toBe(0 - Math.round((byId.get(row.id)?.amount ?? 0) * 100));
    },
  );

  it.skipIf(!storeCase.available)(
    "filters transactions by date and prints amounts with the formatter",
    async () => {
      const all = JSON.parse((await h.run(["transactions", "--json"])).stdout) as { date: string }[];
      const dates = all.map((r) => r.date).sort();
      const middle = dates[Math.floor(dates.length / 2)] ?? "";
      const later = JSON.parse((await h.run(["transactions", "--from", middle, "--json"])).stdout) as {
        date: string;
      }[];
      expect(later.length).toBe(dates.filter((d) => d >= middle).length);
      const table = await h.run(["transactions", "--limit", "5"]);
      expect(table.code).toBe(0);
      expect(table.stdout.split("\n")[0]).toMatch(/Date\s+Amount\s+Description/);
      expect(table.stdout).toMatch(/-?[\d,]+\.\d\d\s/);
    },
  );

  it.skipIf(!storeCase.available)("lists the accounts the sync stored", async () => {
    const accounts = JSON.parse((await h.run(["accounts", "--item", itemId, "--json"])).stdout) as {
      id: string;
    }[];
    const truth = h.emu.admin.itemTruth(itemId);
    const listed = new Set(accounts.map((a) => a.id));
    for (const id of listed) expect(truth.accounts.map((a) => a.account_id)).toContain(id);
    for (const t of truth.transactions) expect(listed).toContain(t.account_id);
    expect((await h.run(["accounts"])).stdout).toContain("Plaid Checking");
  });

  it.skipIf(!storeCase.available)("prints a Link token in update mode for a stored item", async () => {
    const update = await h.run(["link", "--update", itemId]);
    expect(update.code).toBe(0);
    expect(update.stdout).toMatch(/link-sandbox-\S+/);
    expect(update.stdout).toContain(`bankrec sync --item ${itemId}`);
  });

  it.skipIf(!storeCase.available)("never prints the access token the emulator issued", async () => {
    const store = await h.openSame();
    try {
      const token = (await accessTokenOf(store, itemId)).reveal();
      expect(token).toMatch(/^access-/);
      expect(h.allOutput()).not.toContain(token);
    } finally {
      await store.close();
    }
  });
});

describe("link's refusals", () => {
  let h: CliStoreHarness;
  beforeAll(async () => {
    h = await cliStoreHarness({ seed: 22 });
  });
  afterAll(async () => {
    await h.close();
  });

  it("refuses to create a sandbox item against Plaid production (exit 2)", async () => {
    const run = await h.run(["link"], { PLAID_ENV: "production" });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/PLAID_ENV is production/);
    expect(h.emu.admin.itemIds()).toHaveLength(0);
  });

  it("names an unknown item in update mode (exit 3)", async () => {
    const run = await h.run(["link", "--update", "no-such-item"]);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('no item "no-such-item"');
  });

  it("says Plaid is not configured when the credentials are missing (exit 2)", async () => {
    const run = await h.run(["link"], { PLAID_CLIENT_ID: "", PLAID_SECRET: "" });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/Plaid is not configured/);
  });

  it("stores an item without syncing it when asked", async () => {
    const run = await h.run(["link", "--no-sync"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/not synced yet: run bankrec sync --item \S+/);
    const [item] = JSON.parse((await h.run(["items", "--json"])).stdout);
    expect(item.has_cursor).toBe(false);
  });
});

describe("link refuses before Plaid creates an item it could not store", () => {
  const postgres = cases.find((storeCase) => storeCase.dialect === "postgres");
  if (postgres === undefined) throw new Error("assert: storeCases() has a PostgreSQL case");
  afterAll(() => postgres.cleanup());

  it.skipIf(!postgres.available)(
    "on PostgreSQL without BANKREC_SECRET_KEY (exit 2), leaving no item at Plaid",
    async () => {
      const h = await cliStoreHarness({ seed: 23, databaseUrl: postgres.freshUrl() });
      try {
        const run = await h.run(["link"]);
        expect(run.code).toBe(2);
        expect(run.stderr).toContain("BANKREC_SECRET_KEY");
        expect(h.emu.admin.itemIds()).toEqual([]);
        const stored = JSON.parse((await h.run(["items", "--json"])).stdout);
        expect(stored).toEqual([]);
        // With the key, the same command links.
        const linked = await h.run(["link", "--no-sync"], { BANKREC_SECRET_KEY: TEST_KEY.toText() });
        expect(linked.code).toBe(0);
        expect(h.emu.admin.itemIds()).toHaveLength(1);
      } finally {
        await h.close();
      }
    },
  );

  it("on SQLite whose key file was lost while tokens are sealed (exit 2), making no new key", async () => {
    const h = await cliStoreHarness({ seed: 24 });
    try {
      expect((await h.run(["link", "--no-sync"])).code).toBe(0);
      const keyPath = join(h.folder, "bankrec.key");
      const keyId = JSON.parse((await h.run(["keys", "rotate", "--json"])).stdout).key_id;
      const saved = readFileSync(keyPath, "utf8");
      renameSync(keyPath, join(h.folder, "backup.key"));
      const items = [...h.emu.admin.itemIds()];

      const run = await h.run(["link"]);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(`the key file ${keyPath} is missing`);
      expect(run.stderr).toContain(`1 access token sealed under key ${keyId}`);
      expect(run.stderr).toContain("Restore");
      expect(h.emu.admin.itemIds()).toEqual(items);
      expect(existsSync(keyPath)).toBe(false);
      // Every command that needs the key says the same; one that does not still runs.
      const sync = await h.run(["sync"]);
      expect(sync.code).toBe(2);
      expect(sync.stderr).toContain("is missing");
      expect((await h.run(["items"])).code).toBe(0);
      expect(h.allOutput()).not.toContain(saved.trim());

      renameSync(join(h.folder, "backup.key"), keyPath);
      expect((await h.run(["sync"])).code).toBe(0);
    } finally {
      await h.close();
    }
  });
});

describe.runIf(process.platform !== "win32")("a store others can read", () => {
  it("is named on stderr with the chmod that fixes it, and the command still runs", async () => {
    const h = await cliStoreHarness({ seed: 25 });
    try {
      expect((await h.run(["link", "--no-sync"])).stderr).toBe("");
      const path = join(h.folder, "books.db");
      chmodSync(path, 0o644);
      const run = await h.run(["items"]);
      expect(run.code).toBe(0);
      expect(run.stderr).toMatch(
        /^bankrec: warning: the store .* run: chmod 600 \S*books\.db( \S*books\.db-(wal|shm))*\n$/,
      );
      chmodSync(path, 0o600);
      expect((await h.run(["items"])).stderr).toBe("");
    } finally {
      await h.close();
    }
  });
});
