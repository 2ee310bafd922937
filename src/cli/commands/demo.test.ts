import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { MatchJson, ResultJson } from "../../reconcile/result-json.js";
import { captureContext } from "../capture.js";
import { packageInfo } from "../package-root.js";
import { runCli } from "../program.js";

/**
 * What the demo shows, run through the real readers and the real engine: these tests depend on
 * the engine's matching (groups, near amounts), not only on the CLI.
 */

interface Truth {
  readonly groups: { bank: string[]; expected: string[]; kind: string }[];
  readonly unmatched_bank: string[];
  readonly unmatched_expected: string[];
}

let result: ResultJson;
let truth: Truth;

function key(bank: readonly string[], expected: readonly string[]): string {
  return `${[...bank].sort().join("+")}|${[...expected].sort().join("+")}`;
}

function matchOf(expectedId: string): MatchJson | undefined {
  return result.matches.find((m) => m.expected_ids.includes(expectedId));
}

beforeAll(async () => {
  const ctx = captureContext();
  const code = await runCli(["demo", "--sample", "--json"], ctx);
  expect(ctx.stderr.text()).toBe("");
  expect(code).toBe(0);
  result = JSON.parse(ctx.stdout.text());
  truth = JSON.parse(await readFile(join(packageInfo().root, "examples", "demo", "truth.json"), "utf8"));
});

describe("the demo, reconciled by the engine", () => {
  it("matches the deposit settling 3 Northgate invoices as many_to_one", () => {
    const match = matchOf("INV-2038");
    expect(match?.kind).toBe("many_to_one");
    expect([...(match?.expected_ids ?? [])].sort()).toEqual(["INV-2038", "INV-2045", "INV-2047"]);
    expect(match?.bank_transaction_ids).toHaveLength(1);
  });

  it("matches the processor payout to its 4 sales and the fee", () => {
    const match = matchOf("SALE-10311");
    expect(match?.kind).toBe("many_to_one");
    expect([...(match?.expected_ids ?? [])].sort()).toEqual([
      "FEE-PO-0314",
      "SALE-10311",
      "SALE-10312",
      "SALE-10313",
      "SALE-10314",
    ]);
  });

  it("matches the invoice paid in 2 instalments as one_to_many", () => {
    const match = matchOf("INV-2039");
    expect(match?.kind).toBe("one_to_many");
    expect(match?.bank_transaction_ids).toHaveLength(2);
  });

  it("matches the wire short by the $25 fee and shows the difference", () => {
    const match = matchOf("INV-2050");
    expect(match?.amount_difference).toBe("-25.00");
    expect(match?.kind).toBe("one_to_one");
  });

  it("flags the pending card charge for review", () => {
    const match = matchOf("EXP-0329-AMZN");
    expect(match?.pending).toBe(true);
    expect(match?.needs_review).toBe(true);
  });

  it("tells the two same-price subscriptions apart", () => {
    for (const group of truth.groups.filter((g) => g.expected[0]?.startsWith("SUB-"))) {
      expect(matchOf(group.expected[0] as string)?.bank_transaction_ids).toEqual(group.bank);
    }
  });

  it("leaves bank fees and interest unmatched, and the deposit in transit and uncashed check", () => {
    expect(result.unmatched_bank.map((r) => r.id).sort()).toEqual([...truth.unmatched_bank].sort());
    expect(result.unmatched_expected.map((r) => r.id).sort()).toEqual([...truth.unmatched_expected].sort());
  });

  it("reproduces every link of truth.json exactly", () => {
    const found = new Set(result.matches.map((m) => key(m.bank_transaction_ids, m.expected_ids)));
    const missing = truth.groups.filter((g) => !found.has(key(g.bank, g.expected)));
    expect(missing).toEqual([]);
    expect(result.matches).toHaveLength(truth.groups.length);
  });
});
