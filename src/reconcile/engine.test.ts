import { describe, expect, it } from "vitest";
import type { BankTransaction, ExpectedEntry } from "../domain/index.js";
import { createRng } from "../emulator/prng.js";
import { ConfigError, InputError } from "../errors/index.js";
import {
  inProcessExecutor,
  type Proposal,
  type ProposalExecutor,
  type ProposalTask,
  reconcile,
  SnapshotProposer,
} from "./index.js";
import type { Match, ReconcileResult } from "./types.js";

function bank(
  id: string,
  amountMinor: number,
  date: string,
  name: string,
  extra: Partial<BankTransaction> = {},
) {
  const row: BankTransaction = {
    id,
    accountId: "acc-chk",
    amountMinor,
    currency: "USD",
    date,
    authorizedDate: null,
    name,
    merchantName: null,
    checkNumber: null,
    pending: false,
    ...extra,
  };
  return row;
}

function entry(
  id: string,
  amountMinor: number,
  date: string,
  description: string,
  extra: Partial<ExpectedEntry> = {},
) {
  const row: ExpectedEntry = {
    id,
    date,
    amountMinor,
    currency: "USD",
    description,
    counterparty: null,
    reference: null,
    accountId: "acc-chk",
    ...extra,
  };
  return row;
}

/** Matches as comparable "bank ids → expected ids" strings, sorted. */
function pairsOf(result: ReconcileResult): string[] {
  return result.matches
    .map((m) => `${[...m.bankTransactionIds].sort().join("+")}=${[...m.expectedIds].sort().join("+")}`)
    .sort();
}

function matchOf(result: ReconcileResult, expectedId: string): Match {
  const m = result.matches.find((x) => x.expectedIds.includes(expectedId));
  if (m === undefined) throw new Error(`no match for ${expectedId}: ${JSON.stringify(pairsOf(result))}`);
  return m;
}

function expectWellFormed(result: ReconcileResult): void {
  for (const m of result.matches) {
    expect(m.confidence).toBeGreaterThanOrEqual(0);
    expect(m.confidence).toBeLessThanOrEqual(1);
    expect(m.reasons.length).toBeGreaterThanOrEqual(1);
  }
}

function shuffled<T>(rows: readonly T[], seed: number): T[] {
  const random = createRng(seed).next;
  const out = [...rows];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

function isoDay(day: number): string {
  return new Date(Date.UTC(2025, 0, 1 + day)).toISOString().slice(0, 10);
}

/**
 * A month of a small business: customer invoices paid one by one, some customers paying three
 * invoices in one deposit, vendor bills at shared list prices paid by card, and noise rows on
 * both sides, and a few invoices paid in two instalments. About 300 rows in all.
 */
function generatedBooks(seed: number): { bankRows: BankTransaction[]; expectedRows: ExpectedEntry[] } {
  const random = createRng(seed).next;
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const customers = [
    "Globex",
    "Initech",
    "Umbrella",
    "Hooli",
    "Stark Industries",
    "Wayne Enterprises",
    "Tyrell",
  ];
  const vendors = ["Staples", "Office Depot", "Comcast", "Verizon", "Amazon Web Services", "Github", "Zoom"];
  const prices = [1999, 2599, 4900, 9900, 14999];
  const bankRows: BankTransaction[] = [];
  const expectedRows: ExpectedEntry[] = [];
  let invoice = 1000;
  for (let k = 0; k < 70; k++) {
    const customer = pick(customers);
    const day = Math.floor(random() * 60);
    const amount = 10_000 + Math.floor(random() * 400) * 125;
    const number = `INV-${++invoice}`;
    expectedRows.push(
      entry(`inv-${invoice}`, amount, isoDay(day), `Invoice ${number}`, {
        counterparty: customer,
        reference: number,
      }),
    );
    if (random() < 0.9) {
      const lag = 1 + Math.floor(random() * 6);
      bankRows.push(
        bank(`dep-${invoice}`, amount, isoDay(day + lag), `DEPOSIT ${customer.toUpperCase()} ${number}`),
      );
    }
  }
  for (let k = 0; k < 10; k++) {
    const customer = pick(customers);
    const day = Math.floor(random() * 50);
    let total = 0;
    for (let j = 0; j < 3; j++) {
      const amount = 5_000 + Math.floor(random() * 300) * 137;
      total += amount;
      expectedRows.push(
        entry(`batch-${k}-${j}`, amount, isoDay(day + j), `Invoice ${++invoice}`, { counterparty: customer }),
      );
    }
    bankRows.push(
      bank(`batch-dep-${k}`, total, isoDay(day + 6), `ACH CREDIT ${customer.toUpperCase()} REMITTANCE`),
    );
  }
  for (let k = 0; k < 60; k++) {
    const vendor = pick(vendors);
    const day = Math.floor(random() * 60);
    const amount = -pick(prices);
    expectedRows.push(
      entry(`bill-${k}`, amount, isoDay(day), `${vendor} subscription`, { counterparty: vendor }),
    );
    if (random() < 0.85) {
      bankRows.push(
        bank(
          `card-${k}`,
          amount,
          isoDay(day + Math.floor(random() * 3)),
          `POS DEBIT ${vendor.toUpperCase()} 4411`,
          {
            merchantName: vendor,
          },
        ),
      );
    }
  }
  for (let k = 0; k < 5; k++) {
    const customer = pick(customers);
    const day = Math.floor(random() * 30);
    const half = 20_000 + Math.floor(random() * 200) * 111;
    expectedRows.push(
      entry(`split-${k}`, 2 * half, isoDay(day), `Invoice ${++invoice}`, { counterparty: customer }),
    );
    bankRows.push(bank(`split-${k}-a`, half, isoDay(day + 3), `ACH CREDIT ${customer.toUpperCase()} PART 1`));
    bankRows.push(
      bank(`split-${k}-b`, half, isoDay(day + 17), `ACH CREDIT ${customer.toUpperCase()} PART 2`),
    );
  }
  for (let k = 0; k < 15; k++) {
    bankRows.push(bank(`noise-${k}`, -pick(prices) - 1, isoDay(Math.floor(random() * 60)), "ATM WITHDRAWAL"));
    expectedRows.push(entry(`accrual-${k}`, -(k + 1) * 3_333, isoDay(Math.floor(random() * 60)), "Accrual"));
  }
  return { bankRows, expectedRows };
}

/** A result in a form that does not depend on the order of the input rows. */
function canonicalResult(result: ReconcileResult) {
  const key = (m: Match) =>
    `${[...m.expectedIds].sort().join("+")}=${[...m.bankTransactionIds].sort().join("+")}`;
  return {
    status: result.status,
    matches: [...result.matches]
      .map((m) => ({
        ...m,
        bankTransactionIds: [...m.bankTransactionIds].sort(),
        expectedIds: [...m.expectedIds].sort(),
      }))
      .sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0)),
    unmatchedBank: result.unmatchedBank.map((b) => b.id).sort(),
    unmatchedExpected: result.unmatchedExpected.map((e) => e.id).sort(),
    summary: result.summary,
  };
}

describe("reconcile", () => {
  it("matches one bank row to one ledger entry with the same amount a day apart", () => {
    const result = reconcile(
      [bank("b1", -12345, "2025-03-04", "ACME SUPPLY")],
      [entry("e1", -12345, "2025-03-03", "Office chairs", { counterparty: "Acme Supply" })],
    );
    expect(pairsOf(result)).toEqual(["b1=e1"]);
    const m = result.matches[0]!;
    expect(m.kind).toBe("one_to_one");
    expect(m.amountDifferenceMinor).toBe(0);
    expect(m.currency).toBe("USD");
    expect(m.pending).toBe(false);
    expect(m.needsReview).toBe(false);
    expect(m.reasons.map((r) => r.feature)).toContain("amount");
    expect(result.status).toBe("complete");
    expectWellFormed(result);
  });

  it("matches a check clearing 20 days late by its check number, not a same-amount check with another number", () => {
    const result = reconcile(
      [
        bank("chk-other", -50_000, "2025-03-02", "CHECK 1099", { checkNumber: "1099" }),
        bank("chk-1043", -50_000, "2025-03-21", "CHECK 1043", { checkNumber: "001043" }),
      ],
      [
        entry("e-check", -50_000, "2025-03-01", "Check to Bob's Plumbing", {
          counterparty: "Bob's Plumbing",
          reference: "1043",
        }),
      ],
    );
    expect(pairsOf(result)).toEqual(["chk-1043=e-check"]);
    const m = matchOf(result, "e-check");
    expect(m.reasons.find((r) => r.feature === "check_number")?.contribution).toBeGreaterThan(0);
    expect(result.unmatchedBank.map((b) => b.id)).toEqual(["chk-other"]);
    expectWellFormed(result);
  });

  it("tells two same-amount same-day card charges apart by their vendor names", () => {
    const bankRows = [
      bank("b-depot", -2599, "2025-03-05", "POS DEBIT OFFICE DEPOT #77 4411", {
        merchantName: "Office Depot",
      }),
      bank("b-staples", -2599, "2025-03-05", "POS DEBIT STAPLES 0123 4411", { merchantName: "Staples" }),
    ];
    const expectedRows = [
      entry("e-staples", -2599, "2025-03-05", "Printer paper", { counterparty: "Staples" }),
      entry("e-depot", -2599, "2025-03-05", "Toner", { counterparty: "Office Depot" }),
    ];
    for (const seed of [1, 2, 3]) {
      const result = reconcile(shuffled(bankRows, seed), shuffled(expectedRows, seed + 10));
      expect(pairsOf(result)).toEqual(["b-depot=e-depot", "b-staples=e-staples"]);
      expectWellFormed(result);
    }
  });

  it("does not match a refund to the charge it refunds: the signs differ", () => {
    const result = reconcile(
      [bank("b-refund", 2599, "2025-03-09", "STAPLES REFUND", { merchantName: "Staples" })],
      [entry("e-charge", -2599, "2025-03-05", "Printer paper", { counterparty: "Staples" })],
    );
    expect(result.matches).toEqual([]);
    expect(result.unmatchedBank.map((b) => b.id)).toEqual(["b-refund"]);
    expect(result.unmatchedExpected.map((e) => e.id)).toEqual(["e-charge"]);
    expect(result.status).toBe("needs_review");
  });

  it("matches one deposit settling three invoices of one customer as many_to_one", () => {
    const result = reconcile(
      [bank("b-dep", 42_550, "2025-03-10", "DEPOSIT GLOBEX CORP REMITTANCE")],
      [
        entry("inv-1", 10_000, "2025-03-01", "Invoice 1001", { counterparty: "Globex" }),
        entry("inv-2", 25_000, "2025-03-03", "Invoice 1002", { counterparty: "Globex" }),
        entry("inv-3", 7_550, "2025-03-05", "Invoice 1003", { counterparty: "Globex" }),
      ],
    );
    expect(pairsOf(result)).toEqual(["b-dep=inv-1+inv-2+inv-3"]);
    const m = result.matches[0]!;
    expect(m.kind).toBe("many_to_one");
    expect(m.amountDifferenceMinor).toBe(0);
    expect(result.summary.byKind).toEqual({ one_to_one: 0, many_to_one: 1, one_to_many: 0 });
    expect(result.summary.matchedExpectedCount).toBe(3);
    expectWellFormed(result);
  });

  it("matches an invoice paid in two instalments as one_to_many", () => {
    const result = reconcile(
      [
        bank("b-part-1", 30_000, "2025-03-05", "ACH CREDIT INITECH PAYMENT"),
        bank("b-part-2", 30_000, "2025-03-20", "ACH CREDIT INITECH PAYMENT"),
      ],
      [entry("e-inv", 60_000, "2025-03-02", "Invoice 2001", { counterparty: "Initech" })],
    );
    expect(pairsOf(result)).toEqual(["b-part-1+b-part-2=e-inv"]);
    const m = result.matches[0]!;
    expect(m.kind).toBe("one_to_many");
    expect(m.amountDifferenceMinor).toBe(0);
    expect(result.summary.byKind.one_to_many).toBe(1);
    expectWellFormed(result);
  });

  it("looks for an entry's instalments within its own date bounds, and counts them on time there", () => {
    // A payment plan: booked in January, paid in two halves during March, two months and more
    // after the ledger date, beyond the default window.
    const instalments = [
      bank("b-plan-1", 45_000, "2025-03-05", "ACH CREDIT GLOBEX PAYMENT"),
      bank("b-plan-2", 45_000, "2025-03-26", "ACH CREDIT GLOBEX PAYMENT"),
    ];
    const plan = entry("e-plan", 90_000, "2025-01-10", "Invoice 3107 payment plan", {
      counterparty: "Globex",
      dateFrom: "2025-03-01",
      dateTo: "2025-03-31",
    });
    const result = reconcile(instalments, [plan]);
    expect(pairsOf(result)).toEqual(["b-plan-1+b-plan-2=e-plan"]);
    const date = matchOf(result, "e-plan").reasons.find((r) => r.feature === "date")!;
    expect(Math.abs(date.contribution)).toBe(0);
    // The same entry without its bounds is too old for these bank rows.
    const { dateFrom: _, dateTo: __, ...unbounded } = plan;
    expect(reconcile(instalments, [unbounded]).matches).toEqual([]);
    expectWellFormed(result);
  });

  /** An incoming wire $15 short of its invoice (the bank's fee), and the invoice booked on `date`. */
  function shortWire(date: string, extra: Partial<ExpectedEntry> = {}) {
    const wire = bank("b-wire", 248_500, "2025-05-02", "WIRE IN GLOBEX CORP REF INV-4410");
    const invoice = entry("e-inv", 250_000, date, "Invoice 4410", {
      counterparty: "Globex Corp",
      reference: "INV-4410",
      ...extra,
    });
    return { wire, invoice };
  }

  it("matches a wire short by the bank's fee as a near amount, with the difference, for review", () => {
    const { wire, invoice } = shortWire("2025-04-28");
    const result = reconcile([wire], [invoice]);
    expect(pairsOf(result)).toEqual(["b-wire=e-inv"]);
    const m = result.matches[0]!;
    expect(m.kind).toBe("one_to_one");
    expect(m.amountDifferenceMinor).toBe(-1_500);
    expect(m.needsReview).toBe(true);
    // Short by more than the limits allow, it is no match.
    expect(reconcile([wire], [invoice], { nearAmountMaxMinor: 1_000 }).matches).toEqual([]);
    expectWellFormed(result);
  });

  it("looks for a near amount within the entry's own date bounds", () => {
    // Booked in February, expected to be paid in early May: beyond the default window.
    const { wire, invoice } = shortWire("2025-02-01", { dateFrom: "2025-04-25", dateTo: "2025-05-10" });
    expect(pairsOf(reconcile([wire], [invoice]))).toEqual(["b-wire=e-inv"]);
    const { dateFrom: _, dateTo: __, ...unbounded } = invoice;
    expect(reconcile([wire], [unbounded]).matches).toEqual([]);
    // Without an account, the entry finds the wire by its words, within the same bounds.
    expect(pairsOf(reconcile([wire], [{ ...invoice, accountId: null }]))).toEqual(["b-wire=e-inv"]);
  });

  it("matches a pending bank row and flags the match pending and for review", () => {
    const result = reconcile(
      [bank("b-pend", -4_900, "2025-03-06", "COMCAST CABLE", { pending: true, merchantName: "Comcast" })],
      [entry("e-comcast", -4_900, "2025-03-05", "Internet", { counterparty: "Comcast" })],
    );
    expect(pairsOf(result)).toEqual(["b-pend=e-comcast"]);
    const m = result.matches[0]!;
    expect(m.pending).toBe(true);
    expect(m.needsReview).toBe(true);
    expect(result.summary.needsReviewCount).toBe(1);
    expect(result.status).toBe("needs_review");
    expectWellFormed(result);
  });

  it("matches an entry with amount bounds to a bank amount inside them and reports the difference", () => {
    const result = reconcile(
      [
        bank("b-util", -10_230, "2025-03-12", "PACIFIC GAS ELECTRIC AUTOPAY"),
        bank("b-outside", -11_000, "2025-03-12", "PACIFIC GAS ELECTRIC AUTOPAY"),
      ],
      [
        entry("e-util", -10_000, "2025-03-10", "Electricity", {
          counterparty: "Pacific Gas Electric",
          amountMinMinor: -10_500,
          amountMaxMinor: -9_800,
        }),
      ],
    );
    expect(pairsOf(result)).toEqual(["b-util=e-util"]);
    const m = result.matches[0]!;
    expect(m.amountDifferenceMinor).toBe(-230);
    expect(m.needsReview).toBe(true);
    expect(result.unmatchedBank.map((b) => b.id)).toEqual(["b-outside"]);
    expectWellFormed(result);
  });

  it("looks for an entry's bank row within its own date bounds instead of the default window", () => {
    // Paid between the 20th and the 25th of the next month: the default window (5 days
    // before the ledger date) would not reach back to the 2nd for the second entry.
    const result = reconcile(
      [
        bank("b-late", -40_000, "2025-04-22", "CITY WATER DEPT"),
        bank("b-early", -55_000, "2025-03-02", "COUNTY TAX OFFICE"),
        bank("b-outside", -70_000, "2025-04-28", "HARBOR STORAGE"),
      ],
      [
        entry("e-late", -40_000, "2025-03-10", "Water", {
          counterparty: "City Water Dept",
          dateFrom: "2025-04-20",
          dateTo: "2025-04-25",
        }),
        entry("e-early", -55_000, "2025-03-20", "Property tax", {
          counterparty: "County Tax Office",
          dateFrom: "2025-03-01",
          dateTo: "2025-03-31",
        }),
        entry("e-outside", -70_000, "2025-04-10", "Storage", {
          counterparty: "Harbor Storage",
          dateFrom: "2025-04-10",
          dateTo: "2025-04-20",
        }),
      ],
    );
    expect(pairsOf(result)).toEqual(["b-early=e-early", "b-late=e-late"]);
    const date = matchOf(result, "e-early").reasons.find((r) => r.feature === "date")!;
    expect(date).toEqual({ feature: "date", contribution: -0, detail: "within the expected dates" });
    expect(result.unmatchedBank.map((b) => b.id)).toEqual(["b-outside"]);
    expectWellFormed(result);
  });

  it("leaves rows without a partner unmatched on both sides and asks for review", () => {
    const result = reconcile(
      [
        bank("b1", -12_345, "2025-03-04", "ACME SUPPLY"),
        bank("b-stray", -777, "2025-03-04", "ATM WITHDRAWAL"),
      ],
      [
        entry("e1", -12_345, "2025-03-03", "Office chairs", { counterparty: "Acme Supply" }),
        entry("e-stray", -88_800, "2025-03-03", "Rent", { counterparty: "Landlord" }),
      ],
    );
    expect(pairsOf(result)).toEqual(["b1=e1"]);
    expect(result.unmatchedBank.map((b) => b.id)).toEqual(["b-stray"]);
    expect(result.unmatchedExpected.map((e) => e.id)).toEqual(["e-stray"]);
    expect(result.status).toBe("needs_review");
    expect(result.summary.unmatchedBankCount).toBe(1);
    expect(result.summary.unmatchedExpectedCount).toBe(1);
  });

  it("reports status complete when every row on both sides is matched with nothing to review", () => {
    const result = reconcile(
      [
        bank("b1", -12_345, "2025-03-04", "ACME SUPPLY"),
        bank("b2", 99_000, "2025-03-06", "DEPOSIT HOOLI INV 3001"),
      ],
      [
        entry("e1", -12_345, "2025-03-03", "Office chairs", { counterparty: "Acme Supply" }),
        entry("e2", 99_000, "2025-03-04", "Invoice 3001", { counterparty: "Hooli", reference: "INV-3001" }),
      ],
    );
    expect(pairsOf(result)).toEqual(["b1=e1", "b2=e2"]);
    expect(result.matches.every((m) => !m.needsReview)).toBe(true);
    expect(result.status).toBe("complete");
    expect(result.unmatchedBank).toEqual([]);
    expect(result.unmatchedExpected).toEqual([]);
  });

  it("counts matches and rows and totals amounts per currency in the summary", () => {
    const result = reconcile(
      [
        bank("b-usd", -12_345, "2025-03-04", "ACME SUPPLY"),
        bank("b-usd-stray", -500, "2025-03-04", "ATM WITHDRAWAL"),
        bank("b-eur", 80_000, "2025-03-05", "SEPA CREDIT MULLER GMBH RE-7781", { currency: "EUR" }),
        bank("b-eur-stray", -1_200, "2025-03-05", "BANK FEE", { currency: "EUR" }),
      ],
      [
        entry("e-usd", -12_345, "2025-03-03", "Office chairs", { counterparty: "Acme Supply" }),
        entry("e-usd-stray", -88_800, "2025-03-01", "Rent", { counterparty: "Landlord" }),
        entry("e-eur", 80_000, "2025-03-04", "Invoice RE-7781", {
          currency: "EUR",
          counterparty: "Müller GmbH",
          reference: "RE-7781",
        }),
      ],
    );
    expect(pairsOf(result)).toEqual(["b-eur=e-eur", "b-usd=e-usd"]);
    expect(result.summary).toEqual({
      bankCount: 4,
      expectedCount: 3,
      matchCount: 2,
      matchedBankCount: 2,
      matchedExpectedCount: 2,
      unmatchedBankCount: 2,
      unmatchedExpectedCount: 1,
      needsReviewCount: 0,
      byKind: { one_to_one: 2, many_to_one: 0, one_to_many: 0 },
      totals: [
        {
          currency: "EUR",
          bankMatchedMinor: 80_000,
          bankUnmatchedMinor: -1_200,
          expectedMatchedMinor: 80_000,
          expectedUnmatchedMinor: 0,
        },
        {
          currency: "USD",
          bankMatchedMinor: -12_345,
          bankUnmatchedMinor: -500,
          expectedMatchedMinor: -12_345,
          expectedUnmatchedMinor: -88_800,
        },
      ],
      limits: {
        dateWindowBeforeDays: 5,
        dateWindowAfterDays: 45,
        learnedWindowAfterDays: 45,
        groupSizeMax: 6,
        lags: [],
      },
    });
    expect(result.status).toBe("needs_review");
  });

  it("never matches rows of different currencies", () => {
    const result = reconcile(
      [bank("b-eur", -12_345, "2025-03-04", "ACME SUPPLY", { currency: "EUR" })],
      [entry("e-usd", -12_345, "2025-03-03", "Office chairs", { counterparty: "Acme Supply" })],
    );
    expect(result.matches).toEqual([]);
  });

  it("gives every match a confidence in [0, 1] and at least one reason on a generated month", () => {
    const { bankRows, expectedRows } = generatedBooks(1);
    const result = reconcile(bankRows, expectedRows);
    expect(result.matches.length).toBeGreaterThan(100);
    expect(result.summary.byKind.many_to_one).toBeGreaterThan(0);
    expect(result.summary.byKind.one_to_many).toBeGreaterThan(0);
    expectWellFormed(result);
    const s = result.summary;
    expect(s.matchedBankCount + s.unmatchedBankCount).toBe(bankRows.length);
    expect(s.matchedExpectedCount + s.unmatchedExpectedCount).toBe(expectedRows.length);
    expect(s.byKind.one_to_one + s.byKind.many_to_one + s.byKind.one_to_many).toBe(s.matchCount);
    const bankIds = result.matches.flatMap((m) => m.bankTransactionIds);
    const expectedIds = result.matches.flatMap((m) => m.expectedIds);
    expect(new Set(bankIds).size).toBe(bankIds.length);
    expect(new Set(expectedIds).size).toBe(expectedIds.length);
    expect(bankIds.length).toBe(s.matchedBankCount);
    expect(expectedIds.length).toBe(s.matchedExpectedCount);
  });

  it("gives the same result whatever executor proposes the first round, in whatever order", () => {
    /** Proposes from a cloned snapshot, as a worker thread does, in chunks taken back to front. */
    const elsewhere = (task: ProposalTask, from = 0): Map<number, Proposal[]> => {
      const proposer = new SnapshotProposer(structuredClone(task.snapshot()));
      for (let end = task.bank.length; end > from; end -= 7) {
        for (let i = Math.max(from, end - 7); i < end; i++) proposer.proposeAt(i);
      }
      return task.decode(proposer.encoded());
    };
    const executors: Record<string, ProposalExecutor> = {
      elsewhere: { proposeAll: (task) => elsewhere(task) },
      // Half here, back to front, half "in a worker".
      split: {
        proposeAll(task) {
          const half = task.bank.length >> 1;
          const out = elsewhere(task, half);
          for (let i = half - 1; i >= 0; i--) out.set(task.bank[i]!.index, task.proposeHere(task.bank[i]!));
          return out;
        },
      },
      // Answers nothing (a worker that died): the engine proposes for every row itself.
      forgetful: { proposeAll: () => new Map() },
    };
    for (const books of [1, 2, 3]) {
      const { bankRows, expectedRows } = generatedBooks(books);
      // The third books also carry learned aliases, which a worker must weigh as the engine does.
      const taught =
        books === 3
          ? {
              learnedAliases: bankRows.slice(0, 40).map((b, i) => ({
                descriptor: b.name,
                counterparty: expectedRows[i]!.counterparty ?? expectedRows[i]!.description,
                weight: 0.7,
              })),
            }
          : {};
      const reference = reconcile(bankRows, expectedRows, { ...taught, executor: inProcessExecutor });
      expect(reference.summary.byKind.many_to_one).toBeGreaterThan(0);
      expect(reconcile(bankRows, expectedRows, taught)).toEqual(reference);
      for (const [name, executor] of Object.entries(executors)) {
        expect(reconcile(bankRows, expectedRows, { ...taught, executor }), name).toEqual(reference);
        expect(
          reconcile(shuffled(bankRows, books), shuffled(expectedRows, books + 1), {
            ...taught,
            executor,
            threads: 4,
          }),
          name,
        ).toEqual(reference);
      }
    }
  });

  it("gives the same result whatever the order of either input", () => {
    for (const books of [1, 2]) {
      const { bankRows, expectedRows } = generatedBooks(books);
      expect(bankRows.length + expectedRows.length).toBeGreaterThanOrEqual(280);
      const reference = canonicalResult(reconcile(bankRows, expectedRows));
      for (const seed of [3, 5, 8, 13]) {
        expect(canonicalResult(reconcile(shuffled(bankRows, seed), expectedRows))).toEqual(reference);
        expect(canonicalResult(reconcile(bankRows, shuffled(expectedRows, seed)))).toEqual(reference);
        expect(
          canonicalResult(reconcile(shuffled(bankRows, seed + 1), shuffled(expectedRows, seed))),
        ).toEqual(reference);
      }
    }
  });

  it("throws on a bank transaction id that appears twice", () => {
    const row = bank("b1", -100, "2025-03-04", "X");
    expect(() => reconcile([row, { ...row, amountMinor: -200 }], [])).toThrow(/b1/);
  });

  it("throws on an expected entry id that appears twice", () => {
    const row = entry("e1", -100, "2025-03-04", "X");
    expect(() => reconcile([], [row, row])).toThrow(InputError);
    expect(() => reconcile([], [row, row])).toThrow(/e1/);
  });

  it("names the row and the field of a date that is not a date", () => {
    const row = entry("e7", -100, "2025-02-30", "X");
    expect(() => reconcile([], [row])).toThrow(InputError);
    expect(() => reconcile([], [row])).toThrow('row "e7": date "2025-02-30" is not a YYYY-MM-DD date');
  });

  it("refuses a negative window as a configuration error", () => {
    expect(() => reconcile([], [], { dateWindowAfterDays: -1 })).toThrow(ConfigError);
  });

  it("refuses a thread count that is not a whole number of at least 1", () => {
    for (const threads of [0, 1.5, Number.NaN]) {
      expect(() => reconcile([], [], { threads })).toThrow(ConfigError);
    }
    expect(() => reconcile([], [], { threads: 0 })).toThrow(
      "option threads must be a whole number of at least 1",
    );
  });
});
