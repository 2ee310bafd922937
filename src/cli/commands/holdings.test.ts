import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CliStoreHarness, cliStoreHarness } from "../../../test/support/cli-store.js";
import { accessTokenOf } from "../../store/index.js";

describe("bankrec holdings and liabilities", () => {
  let h: CliStoreHarness;
  let itemId: string;
  beforeAll(async () => {
    h = await cliStoreHarness({ seed: 71 });
    const linked = await h.run(["link", "--products", "transactions,investments,liabilities", "--json"]);
    expect(linked.code).toBe(0);
    itemId = JSON.parse(linked.stdout).item_id;
  });
  afterAll(async () => {
    await h.close();
  });

  it("lists nothing until --refresh, then the holdings Plaid reports", async () => {
    expect((await h.run(["holdings"])).stdout).toContain("run bankrec holdings --refresh");
    const run = await h.run(["holdings", "--refresh", "--json"]);
    expect(run.code).toBe(0);
    const rows = JSON.parse(run.stdout) as {
      item_id: string;
      quantity: number;
      institution_value: { amount_minor: number | null };
    }[];
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row.item_id).toBe(itemId);
      expect(Number.isSafeInteger(row.institution_value.amount_minor)).toBe(true);
    }
    const table = await h.run(["holdings", "--item", itemId]);
    expect(table.stdout.split("\n")[0]).toMatch(/Account\s+Ticker\s+Security/);
  });

  it("lists liabilities after --refresh, with Plaid's objects in --json", async () => {
    const run = await h.run(["liabilities", "--refresh", "--json"]);
    expect(run.code).toBe(0);
    const rows = JSON.parse(run.stdout) as { kind: string; details: Record<string, unknown> }[];
    expect(rows.map((r) => r.kind)).toContain("credit");
    const table = await h.run(["liabilities"]);
    expect(table.stdout).toMatch(/credit\s+[\d,]+\.\d\d/);
  });

  it("never prints the access token", async () => {
    const store = await h.openSame();
    try {
      expect(h.allOutput()).not.toContain((await accessTokenOf(store, itemId)).reveal());
    } finally {
      await store.close();
    }
  });
});
