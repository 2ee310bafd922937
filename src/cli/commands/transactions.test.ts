import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CliStoreHarness, cliStoreHarness } from "../../../test/support/cli-store.js";
import { editTransaction } from "../../store/index.js";

describe("bankrec transactions", () => {
  let h: CliStoreHarness;

  beforeAll(async () => {
    h = await cliStoreHarness({ seed: 41 });
    expect((await h.run(["link"])).code).toBe(0);
  });
  afterAll(async () => {
    await h.close();
  });

  it.each([
    ["--from", "2026-13-01"],
    ["--from", "june"],
    ["--to", "2026-06-31"],
  ])("rejects %s %s with exit 2, naming the option", async (flag, value) => {
    const run = await h.run(["transactions", flag, value]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toBe(`bankrec: ${flag} must be a date as YYYY-MM-DD, got "${value}"\n`);
  });

  it("rejects a range that ends before it starts, and a bad --limit", async () => {
    expect((await h.run(["transactions", "--from", "2026-06-02", "--to", "2026-06-01"])).stderr).toContain(
      "--from 2026-06-02 is after --to 2026-06-01",
    );
    const limit = await h.run(["transactions", "--limit", "0"]);
    expect(limit.code).toBe(2);
    expect(limit.stderr).toContain("--limit must be between 1 and");
  });

  it("finds a row by a person's note, and honours --limit", async () => {
    const all = JSON.parse((await h.run(["transactions", "--json"])).stdout) as { id: string }[];
    const target = all[3];
    if (target === undefined) throw new Error("too few transactions");
    const store = await h.openSame();
    try {
      await editTransaction(store, target.id, { note: "Quarterly printer lease" });
    } finally {
      await store.close();
    }
    const found = JSON.parse((await h.run(["transactions", "--search", "PRINTER LEASE", "--json"])).stdout);
    expect(found.map((r: { id: string }) => r.id)).toEqual([target.id]);
    expect(found[0].edits.note).toBe("Quarterly printer lease");
    const two = JSON.parse((await h.run(["transactions", "--limit", "2", "--json"])).stdout);
    expect(two).toHaveLength(2);
    const table = await h.run(["transactions", "--limit", "2"]);
    expect(table.stdout).toContain("(the first 2 rows; narrow the dates or raise --limit)");
  });

  it("says so when nothing matches", async () => {
    const run = await h.run(["transactions", "--search", "no such words anywhere"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe("no transactions match\n");
  });
});
