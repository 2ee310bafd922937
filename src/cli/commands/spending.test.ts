import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CliStoreHarness, cliStoreHarness } from "../../../test/support/cli-store.js";
import { writeOfx } from "../../importers/statement-writer.js";
import type { SpendingSummary } from "../../reports/index.js";

describe("bankrec spending, categorize and rules", () => {
  let h: CliStoreHarness;
  let newest: string;

  beforeAll(async () => {
    h = await cliStoreHarness({ seed: 43 });
    expect((await h.run(["link"])).code).toBe(0);
    const rows = JSON.parse((await h.run(["transactions", "--json"])).stdout) as { date: string }[];
    newest = rows[0]?.date ?? "";
  });
  afterAll(async () => {
    await h.close();
  });

  const month = () => ({ from: `${newest.slice(0, 7)}-01`, to: newest });

  it("prints totals, categories with bars, top merchants and the monthly trend", async () => {
    const { from, to } = month();
    const run = await h.run(["spending", "--from", from, "--to", to]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Spending ${from} to ${to}, compared with`);
    for (const heading of ["Income", "Expenses", "Net", "Category", "Top merchants", "Month"])
      expect(run.stdout).toContain(heading);
    expect(run.stdout).toMatch(/█/);
    const detailed = await h.run(["spending", "--from", from, "--to", to, "--by", "category", "--detailed"]);
    expect(detailed.stdout).toMatch(/^ {2}· \S/m);
    expect(detailed.stdout).not.toContain("Top merchants");
  });

  it("gives the same numbers as JSON, and CSV per view", async () => {
    const { from, to } = month();
    const json = JSON.parse(
      (await h.run(["spending", "--from", from, "--to", to, "--json"])).stdout,
    ) as SpendingSummary;
    const usd = json.currencies.find((c) => c.currency === "USD");
    expect(usd?.totals.netMinor).toBe((usd?.totals.incomeMinor ?? 0) - (usd?.totals.expensesMinor ?? 0));
    const csv = (await h.run(["spending", "--from", from, "--to", to, "--by", "merchant", "--format", "csv"]))
      .stdout;
    const lines = csv.trim().split("\n");
    expect(lines[0]).toBe("currency,merchant_key,merchant,spent_minor,share,count");
    expect(lines.length - 1).toBe(usd?.merchants.length);
    const months = (await h.run(["spending", "--from", from, "--to", to, "--by", "month", "--format", "csv"]))
      .stdout;
    expect(months.trim().split("\n")[1]).toContain(`USD,${from.slice(0, 7)},${usd?.totals.incomeMinor}`);
  });

  it.each([
    [["--from", "2026-01-01"], "give both --from and --to, or neither"],
    [["--from", "2026-02-01", "--to", "2026-01-01"], "--from 2026-02-01 is after --to 2026-01-01"],
    [["--by", "weekday"], "--by must be one of category, merchant, month"],
    [["--format", "xml"], "--format must be one of table, json, csv"],
    [["--top", "0"], "--top must be between 1 and"],
  ])("refuses %j with exit 2 and one line", async (args, message) => {
    const run = await h.run(["spending", ...args]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain(message);
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
  });

  it("reports a statement file without a store", async () => {
    const path = join(h.folder, "march.ofx");
    await writeFile(
      path,
      writeOfx([
        {
          accountId: "CHK",
          currency: "USD",
          openingMinor: 0,
          fromDate: "2026-03-01",
          toDate: "2026-03-31",
          entries: [
            { amountMinor: 100_000, date: "2026-03-01", description: "CLIENT PAYMENT", bankId: "1" },
            { amountMinor: -2_500, date: "2026-03-02", description: "MONTHLY FEE", bankId: "2", type: "FEE" },
            { amountMinor: -4_000, date: "2026-03-03", description: "TST* JOES PIZZA 0303", bankId: "3" },
          ],
        },
      ]),
    );
    const run = await h.run([
      "spending",
      "--bank",
      path,
      "--from",
      "2026-03-01",
      "--to",
      "2026-03-31",
      "--json",
    ]);
    expect(run.stderr).toBe("");
    const summary = JSON.parse(run.stdout) as SpendingSummary;
    expect(summary.currencies[0]?.totals).toEqual({
      incomeMinor: 100_000,
      expensesMinor: 6_500,
      netMinor: 93_500,
      count: 3,
    });
    expect(summary.currencies[0]?.categories.map((c) => c.code)).toContain("BANK_FEES");
    expect(summary.currencies[0]?.merchants.map((m) => m.name)).toContain("Joes Pizza");
  });

  it("lists the categories, and sets one by hand that sticks", async () => {
    const list = await h.run(["categories", "--primary", "food_and_drink"]);
    expect(list.stdout).toContain("FOOD_AND_DRINK_COFFEE");
    expect(list.stdout).not.toContain("TRAVEL_FLIGHTS");
    const rows = JSON.parse((await h.run(["transactions", "--json"])).stdout) as {
      id: string;
      resolved: { merchant: string | null; category: string };
    }[];
    const target = rows.find(
      (r) =>
        r.resolved.merchant !== null &&
        rows.some((o) => o.id !== r.id && o.resolved.merchant === r.resolved.merchant),
    );
    if (target === undefined) throw new Error("no merchant with two rows");
    const bad = await h.run(["categorize", target.id, "FOOD_AND_DRINK_SPACE_FOOD"]);
    expect(bad.code).toBe(3);
    expect(bad.stderr).toContain('"FOOD_AND_DRINK_SPACE_FOOD" is not a category code');
    const missing = await h.run(["categorize", "no-such-id", "TRAVEL_FLIGHTS"]);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain('no transaction "no-such-id"');
    const set = await h.run(["categorize", target.id, "travel_flights"]);
    expect(set.code).toBe(0);
    expect(set.stdout).toContain(`${target.id}: TRAVEL_FLIGHTS (user)`);
    const twin = rows.find((r) => r.id !== target.id && r.resolved.merchant === target.resolved.merchant);
    if (twin === undefined) throw new Error("no twin");
    expect(JSON.parse((await h.run(["rules", "suggestions", "--json"])).stdout)).toEqual([]);
    const second = await h.run(["categorize", twin.id, "TRAVEL_FLIGHTS"]);
    expect(second.stdout).toContain("suggested rule:");
    const suggestions = JSON.parse((await h.run(["rules", "suggestions", "--json"])).stdout) as {
      key: string;
    }[];
    expect(suggestions).toHaveLength(1);
    const key = suggestions[0]?.key as string;
    expect(key).toMatch(/→TRAVEL_FLIGHTS$/);
    expect((await h.run(["rules", "suggestions", "--dismiss", key])).code).toBe(0);
    expect(JSON.parse((await h.run(["rules", "suggestions", "--json"])).stdout)).toEqual([]);
    const again = JSON.parse((await h.run(["transactions", "--json"])).stdout) as {
      id: string;
      resolved: { category: string; source: string };
    }[];
    expect(again.find((r) => r.id === target.id)?.resolved).toMatchObject({
      category: "TRAVEL_FLIGHTS",
      source: "user",
    });
  });

  it.each([
    [
      ["--description-regex", "(unclosed", "--category", "TRAVEL_FLIGHTS"],
      "--description-regex: is not a valid regular expression",
    ],
    [
      ["--merchant-contains", "x", "--category", "NOT_A_CODE"],
      '--category: "NOT_A_CODE" is not a category code',
    ],
    [
      ["--amount-min", "50", "--amount-max", "10", "--category", "TRAVEL_FLIGHTS"],
      "--amount-min: 50 is above the maximum 10",
    ],
    [["--category", "TRAVEL_FLIGHTS"], "a rule needs at least one condition"],
    [["--merchant-contains", "x"], "a rule needs at least one action"],
    [
      [
        "--rule",
        '{"conditions":{"merchant":{"contains":"x"}},"actions":{"category":"TRAVEL_FLIGHTS"},"colour":"red"}',
      ],
      'unknown field "colour"',
    ],
  ])("refuses a bad rule %j with exit 3, one line, and stores nothing", async (args, message) => {
    const run = await h.run(["rules", "add", ...args]);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain(message);
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
    expect(JSON.parse((await h.run(["rules", "list", "--json"])).stdout)).toEqual([]);
  });

  it("tests, adds, lists, applies and removes a rule, with equal counts", async () => {
    const args = ["--direction", "out", "--amount-min", "0.01", "--tag", "outflow"];
    const tested = JSON.parse((await h.run(["rules", "test", ...args, "--json"])).stdout) as {
      changed: number;
    };
    expect(tested.changed).toBeGreaterThan(0);
    const added = JSON.parse(
      (await h.run(["rules", "add", ...args, "--name", "Outflows", "--json"])).stdout,
    ) as {
      rule: { id: string };
      outcome: { changed: number };
    };
    expect(added.outcome.changed).toBe(tested.changed);
    const list = await h.run(["rules", "list"]);
    expect(list.stdout).toContain("Outflows");
    expect(JSON.parse((await h.run(["rules", "apply", "--json"])).stdout).changed).toBe(0);
    const removed = await h.run(["rules", "remove", added.rule.id]);
    expect(removed.stdout).toContain(`${tested.changed.toLocaleString("en-US")} of`);
    const unknown = await h.run(["rules", "remove", "rule_nope"]);
    expect(unknown.code).toBe(3);
    expect(unknown.stderr).toContain('no rule "rule_nope"');
  });
});
