import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CliStoreHarness, cliStoreHarness } from "../../../test/support/cli-store.js";
import { accessTokenOf, getItem } from "../../store/index.js";
import { withItemLock } from "../../sync/index.js";

describe("bankrec sync", () => {
  let h: CliStoreHarness;
  let itemId: string;

  beforeAll(async () => {
    h = await cliStoreHarness({ seed: 31 });
    const linked = await h.run(["link", "--no-sync", "--json"]);
    itemId = JSON.parse(linked.stdout).item_id;
  });
  afterAll(async () => {
    await h.close();
  });

  it("reports each item's counts as JSON", async () => {
    const run = await h.run(["sync", "--item", itemId, "--json"]);
    expect(run.code).toBe(0);
    const { items } = JSON.parse(run.stdout);
    expect(items).toEqual([
      expect.objectContaining({ item_id: itemId, outcome: "synced", removed: 0, restarts: 0 }),
    ]);
    expect(items[0].added).toBe(h.emu.admin.itemTruth(itemId).transactions.length);
    expect(items[0].pages).toBeGreaterThan(0);
  });

  it("exits 0 and prints the action when an item needs its user to sign in again", async () => {
    h.emu.admin.setLoginRequired(itemId, true);
    try {
      const run = await h.run(["sync"]);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain(`item ${itemId}: needs its user (ITEM_LOGIN_REQUIRED)`);
      expect(run.stdout).toContain(`bankrec link --update ${itemId}`);
      const store = await h.openSame();
      try {
        expect((await getItem(store, itemId)).status).toBe("login_required");
      } finally {
        await store.close();
      }
      const [item] = JSON.parse((await h.run(["items", "--json"])).stdout);
      expect(item).toMatchObject({ status: "login_required", error_code: "ITEM_LOGIN_REQUIRED" });
    } finally {
      h.emu.admin.setLoginRequired(itemId, false);
    }
    const again = await h.run(["sync", "--json"]);
    expect(JSON.parse(again.stdout).items[0]).toMatchObject({ outcome: "synced", added: 0 });
  });

  it("exits 5 when another process is syncing the item, and names it", async () => {
    const store = await h.openSame();
    try {
      const run = await withItemLock(store, itemId, { waitMs: 0 }, () => h.run(["sync", "--item", itemId]));
      expect(run.code).toBe(5);
      expect(run.stdout).toContain(`item ${itemId}: failed`);
      expect(run.stderr).toContain(`another sync of item ${itemId} is running`);
    } finally {
      await store.close();
    }
  });

  it("exits 4 with Plaid's request id when Plaid fails, after the other items ran", async () => {
    const second = JSON.parse((await h.run(["link", "--no-sync", "--json"])).stdout).item_id as string;
    const store = await h.openSame();
    const token = (await accessTokenOf(store, itemId)).reveal();
    await store.close();
    h.emu.faults.set({ kind: "server_error", item: token, endpoint: "/transactions/sync" });
    try {
      const run = await h.run(["sync"], { PLAID_TIMEOUT_MS: "5000" });
      expect(run.code).toBe(4);
      expect(run.stdout).toContain(`item ${itemId}: failed`);
      expect(run.stdout).toMatch(new RegExp(`item ${second}: synced`));
      expect(run.stderr).toMatch(/bankrec: Plaid transactionsSync failed: .*\(request id [^)]+\)/);
      expect(h.allOutput()).not.toContain(token);
    } finally {
      h.emu.faults.clear();
    }
  });

  it("checks --wait and --item before touching the store", async () => {
    const run = await h.run(["sync", "--wait", "soon"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--wait must be a whole number of seconds");
    const unknown = await h.run(["sync", "--item", "nope"]);
    expect(unknown.code).toBe(3);
  });
});
