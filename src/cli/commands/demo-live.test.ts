import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { ResultJson } from "../../reconcile/result-json.js";
import {
  listExpectedEntries,
  listItems,
  listMatches,
  listTransactions,
  openStore,
} from "../../store/index.js";
import { captureContext } from "../capture.js";
import { runCli } from "../program.js";

const dataDir = mkdtempSync(join(tmpdir(), "bankrec-demo-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

async function demo(...args: string[]) {
  const ctx = captureContext({ env: { BANKREC_DATA_DIR: dataDir } });
  const code = await runCli(["demo", ...args], ctx);
  return { code, stdout: ctx.stdout.text(), stderr: ctx.stderr.text() };
}

describe("bankrec demo (emulator → link → sync → store → reconcile)", () => {
  it("reconciles the synced bank against the business's ledger, offline, and keeps everything in the store", async () => {
    const { code, stdout, stderr } = await demo("--json");
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const result = JSON.parse(stdout) as ResultJson;
    expect(result.summary.expected_count).toBeGreaterThan(40);
    // Nearly every ledger entry finds its bank row; the rest are the outstanding check and unpaid invoice.
    expect(result.summary.unmatched_expected_count).toBeLessThanOrEqual(3);
    expect(result.matches.some((m) => m.kind === "many_to_one" && m.expected_ids.length >= 3)).toBe(true);
    expect(result.matches.some((m) => m.amount_difference !== "0.00")).toBe(true);

    const store = await openStore({
      url: `sqlite:${join(dataDir, "demo.db")}`,
      env: { BANKREC_DATA_DIR: dataDir },
    });
    try {
      const [item] = await listItems(store);
      expect(item?.status).toBe("ok");
      expect(item?.cursor).toBeTruthy();
      expect((await listTransactions(store)).length).toBeGreaterThan(300);
      expect((await listExpectedEntries(store)).length).toBe(result.summary.expected_count);
      expect((await listMatches(store)).length).toBe(result.matches.length);
    } finally {
      await store.close();
    }
  });

  it("prints the same report every run, with the table for people by default", async () => {
    const first = await demo();
    const second = await demo();
    expect(first.code).toBe(0);
    expect(first.stdout).toContain("linked First Platypus Bank through the Plaid emulator");
    expect(first.stdout).toContain("Summary");
    // It ends with where the month's money went: totals, top categories and top merchants.
    const spending = first.stdout.slice(first.stdout.indexOf("\nSpending "));
    expect(spending).toMatch(/^\nSpending \d{4}-\d{2}-\d{2} to \d{4}-\d{2}-\d{2}, compared with/);
    for (const heading of ["Income", "Expenses", "Category", "Top merchants"])
      expect(spending).toContain(heading);
    expect(second.stdout).toBe(first.stdout);
  });
});
