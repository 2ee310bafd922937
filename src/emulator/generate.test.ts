import { existsSync, readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { startEmulator } from "./index.js";
import { BUSINESS_MERCHANTS, PERSONAL_MERCHANTS } from "./merchants.js";

const taxonomyPath = resolve(
  dirname(fileURLToPath(import.meta.url)),
  "../../../shared/plaid-openapi/pfc-taxonomy.csv",
);

async function truthFor(seed: number, historyDays = 60) {
  const emu = await startEmulator({ seed });
  try {
    const { accessToken } = await emu.admin.createItem({ historyDays, user: "user_good" });
    return emu.admin.itemTruth(accessToken);
  } finally {
    await emu.close();
  }
}

describe("generated data", () => {
  test("the same seed gives the same item, another seed another", async () => {
    const a = await truthFor(3);
    const b = await truthFor(3);
    const c = await truthFor(4);
    expect(b).toEqual(a);
    expect(c.transactions.map((t) => t.transaction_id)).not.toEqual(
      a.transactions.map((t) => t.transaction_id),
    );
  });

  test("an item of an exact size is generated quickly", async () => {
    const emu = await startEmulator({ seed: 1 });
    const started = performance.now();
    const { accessToken } = await emu.admin.createItem({ transactionCount: 20_000, user: "user_good" });
    const seconds = (performance.now() - started) / 1000;
    expect(emu.admin.itemTruth(accessToken).transactions).toHaveLength(20_000);
    expect(seconds).toBeLessThan(10);
    await emu.close();
  });

  test("every personal finance category used is in Plaid's PFC v1 taxonomy", async (context) => {
    if (!existsSync(taxonomyPath)) {
      if (process.env.CI) throw new Error(`missing ${taxonomyPath}`);
      context.skip();
    }
    const pairs = new Set(
      readFileSync(taxonomyPath, "utf8")
        .split("\n")
        .map((line) => line.split(","))
        .filter((cells) => cells[3] && cells[4])
        .map((cells) => `${cells[3]}/${cells[4]}`),
    );
    const { transactions } = await truthFor(8, 200);
    const used = new Set(
      transactions.map(
        (t) => `${t.personal_finance_category.primary}/${t.personal_finance_category.detailed}`,
      ),
    );
    for (const merchant of [...PERSONAL_MERCHANTS, ...BUSINESS_MERCHANTS])
      used.add(`${merchant.primary}/${merchant.detailed}`);
    expect([...used].filter((pair) => !pairs.has(pair))).toEqual([]);
  });

  test("balances match the sign convention: money out is positive", async () => {
    const { transactions, accounts } = await truthFor(5);
    const checking = accounts.find((a) => a.subtype === "checking")!;
    const payroll = transactions.filter((t) => t.personal_finance_category.detailed === "INCOME_WAGES");
    expect(payroll.length).toBeGreaterThan(0);
    for (const t of payroll) {
      expect(t.amount).toBeLessThan(0);
      expect(t.account_id).toBe(checking.account_id);
    }
    const purchases = transactions.filter(
      (t) =>
        t.personal_finance_category.primary === "FOOD_AND_DRINK" &&
        !t.original_description?.endsWith("REFUND"),
    );
    expect(purchases.filter((t) => t.amount < 0)).toEqual([]);
  });
});
