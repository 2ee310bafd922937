import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { packageInfo } from "../../cli/package-root.js";
import type { ProcessorPayout } from "../../domain/payout.js";
import { BadRowsError, ImportError } from "../../errors/index.js";
import { parsePayoutReport, readPayoutReport } from "./index.js";

const fixtures = join(packageInfo().root, "test", "fixtures", "payout-reports");
const fixture = (name: string) => join(fixtures, name);

/** The bench's exact header. */
const STRIPE_HEADER =
  "automatic_payout_id,automatic_payout_effective_at,balance_transaction_id,created,reporting_category,gross,fee,net,currency,description";

function failure(run: () => unknown): ImportError {
  try {
    run();
  } catch (error) {
    if (error instanceof ImportError) return error;
    throw error;
  }
  throw new Error("expected an ImportError");
}

/** Every payout's totals are its lines' sums, and each line's net is its gross plus its fee. */
function expectConsistent(payouts: readonly ProcessorPayout[]) {
  for (const p of payouts) {
    expect(p.netMinor).toBe(p.grossMinor + p.feeMinor);
    expect(p.netMinor).toBe(p.items.reduce((s, i) => s + i.netMinor, 0));
    for (const i of p.items) expect(i.netMinor).toBe(i.grossMinor + i.feeMinor);
  }
}

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), "bankrec-payouts-"));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe("Stripe's itemized payout reconciliation report", () => {
  it("reads the bench's layout: charges, a refund and a fee line of gross 0", async () => {
    const payouts = await readPayoutReport(fixture("stripe-itemized.csv"));
    expect(
      payouts.map((p) => [p.id, p.processor, p.currency, p.date, p.grossMinor, p.feeMinor, p.netMinor]),
    ).toEqual([
      ["po_1QTest01", "stripe", "USD", "2025-01-06", 9000, -296, 8704],
      ["po_1QTest02", "stripe", "USD", "2025-01-07", 1500, -105, 1395],
    ]);
    const [first, second] = payouts;
    expect(first!.items.map((i) => [i.id, i.kind, i.date, i.grossMinor, i.feeMinor, i.netMinor])).toEqual([
      ["txn_A1", "charge", "2025-01-03", 2500, 0, 2500],
      ["txn_A2", "charge", "2025-01-03", 2500, 0, 2500],
      ["txn_A3", "charge", "2025-01-04", 4000, 0, 4000],
      ["txn_A4", "fee", "2025-01-06", 0, -296, -296],
    ]);
    expect(first!.items[0]!.description).toBe("Order 1001");
    expect(second!.items.map((i) => i.kind)).toEqual(["charge", "refund", "fee"]);
    expectConsistent(payouts);
  });

  it("reads UTC timestamps, per-charge fees, grouped amounts, either case of currency and charge ids; rows not paid out are passed over", async () => {
    const payouts = await readPayoutReport(fixture("stripe-itemized-utc.csv"));
    expect(payouts).toHaveLength(1);
    const [p] = payouts;
    expect([p!.id, p!.currency, p!.date, p!.grossMinor, p!.feeMinor, p!.netMinor]).toEqual([
      "po_1QUtc01",
      "EUR",
      "2025-03-05",
      115000,
      -3650,
      111350,
    ]);
    expect(p!.items[0]).toMatchObject({ id: "txn_D1", date: "2025-03-03", references: ["ch_D1", "pi_D1"] });
    expect(p!.items[1]).toMatchObject({ kind: "refund", references: ["ch_D0", "re_D2", "pi_D0"] });
    expectConsistent(payouts);
  });

  it("names file, line and column of a bad amount", () => {
    const text = `${STRIPE_HEADER}\npo_1,2025-01-06,txn_1,2025-01-03,charge,25.00,0.00,25.00,usd,a\npo_1,2025-01-06,txn_2,2025-01-03,charge,2x.00,0.00,25.00,usd,b\n`;
    const error = failure(() => parsePayoutReport(text, "stripe.csv"));
    expect(error.message).toBe('stripe.csv:3: gross "2x.00" is not a number');
    expect(error.line).toBe(3);
    expect(error.field).toBe("gross");
  });

  it("names a missing column and the columns it has", () => {
    const text =
      "automatic_payout_id,automatic_payout_effective_at,balance_transaction_id,created,gross,fee,currency\n";
    expect(failure(() => parsePayoutReport(text, "stripe.csv")).message).toBe(
      "stripe.csv:1: no net column in Stripe's payout reconciliation report (have: automatic_payout_id, " +
        "automatic_payout_effective_at, balance_transaction_id, created, gross, fee, currency)",
    );
  });

  it("refuses a line whose net is not its gross less its fee", () => {
    const text = `${STRIPE_HEADER}\npo_1,2025-01-06,txn_1,2025-01-03,charge,25.00,1.00,25.00,usd,a\n`;
    expect(failure(() => parsePayoutReport(text, "stripe.csv")).message).toBe(
      'stripe.csv:2: net "25.00" is not gross 25.00 minus fee 1.00',
    );
  });

  it("lists every bad row at once, and a line id used twice", () => {
    const text =
      `${STRIPE_HEADER}\n` +
      "po_1,2025-01-06,txn_1,2025-01-03,charge,25.00,0.00,25.00,usd,a\n" +
      "po_1,someday,txn_2,2025-01-03,charge,25.00,0.00,25.00,usd,b\n" +
      "po_1,2025-01-06,txn_3,2025-01-03,charge,25.00,0.00,25.00,dollars,c\n" +
      "po_1,2025-01-06,txn_1,2025-01-03,charge,25.00,0.00,25.00,usd,d\n";
    const error = failure(() => parsePayoutReport(text, "stripe.csv"));
    expect(error).toBeInstanceOf(BadRowsError);
    expect((error as BadRowsError).problems.map((p) => p.message)).toEqual([
      'stripe.csv:3: automatic_payout_effective_at "someday" is not a date',
      'stripe.csv:4: currency "dollars" is not a currency code',
      'stripe.csv:5: balance_transaction_id "txn_1" is already on line 2',
    ]);
  });

  it("refuses a payout whose rows name two currencies", () => {
    const text =
      `${STRIPE_HEADER}\n` +
      "po_1,2025-01-06,txn_1,2025-01-03,charge,25.00,0.00,25.00,usd,a\n" +
      "po_1,2025-01-06,txn_2,2025-01-03,charge,25.00,0.00,25.00,eur,b\n";
    expect(failure(() => parsePayoutReport(text, "stripe.csv")).message).toBe(
      "stripe.csv:3: payout po_1 is in USD (line 2), this row in EUR",
    );
  });
});

describe("Stripe's balance transaction export", () => {
  it("groups rows by Transfer and checks them against the payout's own row", async () => {
    const payouts = await readPayoutReport(fixture("stripe-balance.csv"));
    expect(payouts).toHaveLength(1);
    const [p] = payouts;
    expect([p!.id, p!.date, p!.grossMinor, p!.feeMinor, p!.netMinor]).toEqual([
      "po_1QBal01",
      "2025-02-06",
      6000,
      -249,
      5751,
    ]);
    expect(p!.items.map((i) => [i.id, i.kind, i.references])).toEqual([
      ["txn_C1", "charge", ["ch_C1"]],
      ["txn_C2", "charge", ["ch_C2"]],
      ["txn_C3", "refund", ["re_C3"]],
    ]);
    expectConsistent(payouts);
  });

  it("names the payout whose lines do not add up to its net", () => {
    const text =
      "id,Type,Source,Amount,Fee,Net,Currency,Created (UTC),Available On (UTC),Description,Transfer\n" +
      "txn_1,charge,ch_1,25.00,1.03,23.97,usd,2025-02-03 09:00,2025-02-05 00:00,Order,po_9\n" +
      "txn_2,charge,ch_2,40.00,1.46,38.54,usd,2025-02-03 15:20,2025-02-05 00:00,Order,po_9\n" +
      "txn_3,payout,po_9,-70.00,0.00,-70.00,usd,2025-02-05 00:10,2025-02-06 00:00,STRIPE PAYOUT,po_9\n";
    const error = failure(() => parsePayoutReport(text, "balance.csv"));
    expect(error.message).toBe(
      "balance.csv:4: payout po_9: its 2 lines add up to 62.51, not the payout's 70.00; the report may be missing some of its lines",
    );
    expect(error.line).toBe(4);
  });
});

describe("Square's deposit details", () => {
  it("reads dollar amounts, negative fees and US dates", async () => {
    const payouts = await readPayoutReport(fixture("square-deposits.csv"));
    expect(payouts.map((p) => [p.id, p.processor, p.date, p.grossMinor, p.feeMinor, p.netMinor])).toEqual([
      ["DEP7TESTA1", "square", "2025-01-08", 6000, -243, 5757],
      ["DEP7TESTB2", "square", "2025-01-09", 120000, -3150, 116850],
    ]);
    expect(payouts[0]!.items.map((i) => [i.id, i.kind, i.date])).toEqual([
      ["TXSQA001", "charge", "2025-01-06"],
      ["TXSQA002", "charge", "2025-01-06"],
      ["TXSQA003", "refund", "2025-01-07"],
    ]);
    expectConsistent(payouts);
  });

  it("takes fees written positive when the net says they were kept, and the currency it is told", () => {
    const text =
      "Deposit ID,Deposit Date,Payment ID,Gross Amount,Fee,Net Amount\n" +
      "D1,2025-01-08,P1,100.00,2.90,97.10\n";
    const [p] = parsePayoutReport(text, "square.csv", { currency: "CAD" });
    expect([p!.currency, p!.grossMinor, p!.feeMinor, p!.netMinor]).toEqual(["CAD", 10000, -290, 9710]);
  });

  it("checks a Deposit Amount column against the rows", () => {
    const text =
      "Deposit ID,Deposit Date,Payment ID,Gross Amount,Fees,Net Total,Deposit Amount\n" +
      "D1,2025-01-08,P1,100.00,-2.90,97.10,120.00\n" +
      "D1,2025-01-08,P2,20.00,-0.88,19.12,120.00\n";
    expect(failure(() => parsePayoutReport(text, "square.csv")).message).toBe(
      "square.csv:2: payout D1: its 2 lines add up to 116.22, not the payout's 120.00; the report may be missing some of its lines",
    );
  });
});

describe("PayPal's settlement report", () => {
  it("makes each withdrawal a payout of the rows before it, in hundredths with CR/DR", async () => {
    const payouts = await readPayoutReport(fixture("paypal-settlement.csv"));
    expect(payouts).toHaveLength(1);
    const [p] = payouts;
    expect([p!.id, p!.processor, p!.currency, p!.date, p!.grossMinor, p!.feeMinor, p!.netMinor]).toEqual([
      "1AB23456CD7890004",
      "paypal",
      "USD",
      "2025-01-10",
      6000,
      -234,
      5766,
    ]);
    expect(p!.items.map((i) => [i.id, i.kind, i.grossMinor, i.feeMinor, i.references])).toEqual([
      ["1AB23456CD7890001", "charge", 2500, -103, ["INV-3001"]],
      ["1AB23456CD7890002", "charge", 4000, -146, ["INV-3002"]],
      ["1AB23456CD7890003", "refund", -500, 15, ["INV-2990", "1AB23456CD7880009"]],
    ]);
    expectConsistent(payouts);
  });

  it("reads the body columns as a plain CSV too, and names a withdrawal its lines do not make", () => {
    const text =
      "Transaction ID,Transaction Event Code,Transaction Initiation Date,Transaction Debit or Credit,Gross Transaction Amount,Gross Transaction Currency,Fee Debit or Credit,Fee Amount\n" +
      "T1,T0006,2025-01-09,CR,2500,USD,DR,103\n" +
      "W1,T0400,2025-01-10,DR,2500,USD,,0\n";
    expect(failure(() => parsePayoutReport(text, "paypal.csv")).message).toBe(
      "paypal.csv:3: payout W1: its 1 line add up to 23.97, not the payout's 25.00; the report may be missing some of its lines",
    );
  });

  it("names a decimal amount, which PayPal never writes", () => {
    const text =
      "Transaction ID,Transaction Event Code,Transaction Initiation Date,Transaction Debit or Credit,Gross Transaction Amount,Gross Transaction Currency\n" +
      "T1,T0006,2025-01-09,CR,25.00,USD\n";
    expect(failure(() => parsePayoutReport(text, "paypal.csv")).message).toBe(
      'paypal.csv:2: Gross Transaction Amount "25.00" is not a whole number of hundredths (PayPal writes 100.00 as 10000)',
    );
  });
});

describe("any report", () => {
  it("refuses a file that is no payout report, saying what it expected", () => {
    expect(
      failure(() => parsePayoutReport("id,date,amount\nE1,2025-01-01,5.00\n", "ledger.csv")).message,
    ).toMatch(/^ledger\.csv:1: not a payout report bankrec knows: .*\(have: id, date, amount\)$/);
  });

  it("refuses an empty file", () => {
    expect(failure(() => parsePayoutReport("", "empty.csv")).message).toBe("empty.csv:1: no header row");
  });

  it("names a missing file as the other readers do", async () => {
    await expect(readPayoutReport(join(scratch, "nope.csv"))).rejects.toThrow(
      `${join(scratch, "nope.csv")}: file not found`,
    );
  });

  it("reads a file with a BOM and CRLF line ends", async () => {
    const path = join(scratch, "bom.csv");
    await writeFile(
      path,
      `\ufeff${STRIPE_HEADER}\r\npo_1,2025-01-06,txn_1,2025-01-03,charge,25.00,0.00,25.00,usd,a\r\n`,
    );
    const payouts = await readPayoutReport(path);
    expect(payouts.map((p) => [p.id, p.netMinor])).toEqual([["po_1", 2500]]);
  });
});
