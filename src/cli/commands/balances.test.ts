import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CliStoreHarness, cliStoreHarness } from "../../../test/support/cli-store.js";

describe("bankrec balances", () => {
  let h: CliStoreHarness;
  let itemId: string;
  beforeAll(async () => {
    h = await cliStoreHarness({ seed: 61 });
    itemId = JSON.parse((await h.run(["link", "--json"])).stdout).item_id;
  });
  afterAll(async () => {
    await h.close();
  });

  it("asks Plaid first, then lists every account's balance in minor units and as text", async () => {
    const run = await h.run(["balances", "--item", itemId, "--json"]);
    expect(run.code).toBe(0);
    const rows = JSON.parse(run.stdout) as {
      id: string;
      balance: { current: { amount: string; amount_minor: number } } | null;
    }[];
    const truth = h.emu.admin.itemTruth(itemId).accounts;
    expect(rows.map((r) => r.id).sort()).toEqual(truth.map((a) => a.account_id as string).sort());
    for (const row of rows) {
      const plaid = truth.find((a) => a.account_id === row.id)?.balances as { current: number };
      expect(row.balance?.current.amount_minor).toBe(Math.round(plaid.current * 100));
      expect(row.balance?.current.amount).toBe(plaid.current.toFixed(2));
    }
    const table = await h.run(["balances", "--cached"]);
    expect(table.stdout.split("\n")[0]).toMatch(/Account\s+Type\s+Current\s+Available\s+Limit/);
  });

  it("reports an item that needs its user and still lists what is stored", async () => {
    h.emu.admin.setLoginRequired(itemId, true);
    try {
      const run = await h.run(["balances", "--max-age", "0"]);
      expect(run.code).toBe(0);
      expect(run.stderr).toContain(`item ${itemId} needs its user (ITEM_LOGIN_REQUIRED)`);
      expect(run.stdout).toContain("Plaid Checking");
    } finally {
      h.emu.admin.setLoginRequired(itemId, false);
    }
  });

  it("checks --max-age", async () => {
    const run = await h.run(["balances", "--max-age", "-1"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--max-age must be a whole number of seconds");
  });
});
