import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ReconcileOptions, reconcile } from "../../reconcile/index.js";
import { type CaptureOptions, captureContext } from "../capture.js";
import { packageInfo } from "../package-root.js";
import { runCli } from "../program.js";

const fixtures = join(packageInfo().root, "test", "fixtures", "payout-reports");
const bankPath = join(fixtures, "cli", "bank.json");
const ledgerPath = join(fixtures, "cli", "ledger.csv");
const stripePath = join(fixtures, "stripe-itemized.csv");
const args = ["reconcile", "--bank", bankPath, "--expected", ledgerPath];

async function run(argv: readonly string[], options: CaptureOptions = {}) {
  const ctx = captureContext(options);
  const code = await runCli(argv, ctx);
  return { code, stdout: ctx.stdout.text(), stderr: ctx.stderr.text() };
}

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), "bankrec-settlements-"));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe("bankrec reconcile --settlements", () => {
  it("matches each payout to its deposit and its sales, the unbooked fee kept as an adjustment", async () => {
    const { code, stdout, stderr } = await run([...args, "--settlements", stripePath, "--json"]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const json = JSON.parse(stdout);
    const byBank = new Map<
      string,
      {
        expected_ids: string[];
        kind: string;
        amount_difference: string;
        needs_review: boolean;
        reasons: { detail: string }[];
      }
    >(json.matches.map((m: { bank_transaction_ids: string[] }) => [m.bank_transaction_ids.join(), m]));
    expect(byBank.get("bank-po1")).toMatchObject({
      kind: "many_to_one",
      expected_ids: ["S1001", "S1002", "S1003"],
      amount_difference: "-2.96",
      needs_review: false,
    });
    expect(byBank.get("bank-po1")!.reasons.map((r) => r.detail)).toContain(
      "Stripe fee 2.96 kept as an adjustment",
    );
    expect(byBank.get("bank-po2")).toMatchObject({
      kind: "many_to_one",
      expected_ids: ["F0107", "R0998", "S1004"],
      amount_difference: "0.00",
      needs_review: false,
    });
    expect(byBank.get("bank-rent")?.expected_ids).toEqual(["RENT01"]);
    expect(json.summary.unmatched_bank_count).toBe(0);
    expect(json.summary.unmatched_expected_count).toBe(0);
  });

  it("passes the payouts to the engine only when the option is given", async () => {
    const seen: ReconcileOptions[] = [];
    const engine = {
      reconcile: (...[bank, expected, options]: Parameters<typeof reconcile>) => {
        seen.push(options ?? {});
        return reconcile(bank, expected, options);
      },
    };
    await run([...args, "--settlements", stripePath], { engine });
    await run(args, { engine });
    expect(seen[0]!.payouts?.map((p) => [p.id, p.netMinor])).toEqual([
      ["po_1QTest01", 8704],
      ["po_1QTest02", 1395],
    ]);
    expect("payouts" in seen[1]!).toBe(false);
  });

  it("is documented in reconcile --help", async () => {
    const { code, stdout } = await run(["reconcile", "--help"]);
    expect(code).toBe(0);
    expect(stdout).toContain("--settlements <file>");
    expect(stdout).toContain("automatic_payout_id");
  });

  it("names a missing report and exits 3 before reading the bank feed", async () => {
    let reads = 0;
    const missing = join(scratch, "no-such-payouts.csv");
    const { code, stdout, stderr } = await run([...args, "--settlements", missing], {
      engine: {
        readBankFile: async () => {
          reads += 1;
          return { accounts: [], transactions: [] };
        },
      },
    });
    expect(code).toBe(3);
    expect(stdout).toBe("");
    expect(stderr).toBe(`bankrec: ${missing}: file not found\n`);
    expect(reads).toBe(0);
  });

  it("reports a bad report with file, line and column, before reading the bank feed, and with --json its problems on stdout", async () => {
    const bad = join(scratch, "bad-payouts.csv");
    await writeFile(
      bad,
      "automatic_payout_id,automatic_payout_effective_at,balance_transaction_id,created,reporting_category,gross,fee,net,currency,description\n" +
        "po_1,2025-01-06,txn_1,2025-01-03,charge,25.00,0.00,25.00,usd,a\n" +
        "po_1,2025-01-06,txn_2,2025-01-03,charge,2x.00,0.00,25.00,usd,b\n",
    );
    let reads = 0;
    const plain = await run([...args, "--settlements", bad], {
      engine: {
        readBankFile: async () => {
          reads += 1;
          return { accounts: [], transactions: [] };
        },
      },
    });
    expect(plain.code).toBe(3);
    expect(reads).toBe(0);
    expect(plain.stderr).toBe(`bankrec: ${bad}:3: gross "2x.00" is not a number\n`);
    const json = await run([...args, "--settlements", bad, "--json"]);
    expect(json.code).toBe(3);
    expect(JSON.parse(json.stdout).problems).toEqual([
      { file: bad, line: 3, field: "gross", message: `${bad}:3: gross "2x.00" is not a number` },
    ]);
  });
});
