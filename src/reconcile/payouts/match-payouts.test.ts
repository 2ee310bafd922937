import { describe, expect, it } from "vitest";
import type { BankTransaction, ExpectedEntry } from "../../domain/index.js";
import type { PayoutItem, ProcessorPayout } from "../../domain/payout.js";
import { InputError } from "../../errors/index.js";
import { isoToDay } from "../days.js";
import { matchPayouts, type PayoutBankRow, type PayoutLedgerRow } from "./index.js";

function bank(
  id: string,
  amountMinor: number,
  date: string,
  name = "STRIPE TRANSFER",
  extra: Partial<BankTransaction> = {},
): BankTransaction {
  return {
    id,
    accountId: "chk",
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
}

function entry(
  id: string,
  amountMinor: number,
  date: string,
  extra: Partial<ExpectedEntry> = {},
): ExpectedEntry {
  return {
    id,
    date,
    amountMinor,
    currency: "USD",
    description: "Card sale",
    counterparty: null,
    reference: null,
    accountId: "chk",
    ...extra,
  };
}

/** As the engine hands rows over: sorted by id, numbered, with days. */
function prepared<T extends { readonly id: string; readonly date: string }>(rows: readonly T[]) {
  return [...rows]
    .sort((a, b) => (a.id < b.id ? -1 : 1))
    .map((row, index) => ({ index, row, day: isoToDay(row.date) }));
}

function sale(id: string, grossMinor: number, date: string, extra: Partial<PayoutItem> = {}): PayoutItem {
  return {
    id,
    kind: "charge",
    date,
    grossMinor,
    feeMinor: 0,
    netMinor: grossMinor,
    description: "",
    references: [],
    ...extra,
  };
}

function fee(id: string, feeMinor: number, date: string): PayoutItem {
  return {
    id,
    kind: "fee",
    date,
    grossMinor: 0,
    feeMinor,
    netMinor: feeMinor,
    description: "",
    references: [],
  };
}

function payout(
  id: string,
  date: string,
  items: PayoutItem[],
  processor: ProcessorPayout["processor"] = "stripe",
): ProcessorPayout {
  const grossMinor = items.reduce((s, i) => s + i.grossMinor, 0);
  const feeMinor = items.reduce((s, i) => s + i.feeMinor, 0);
  return {
    id,
    processor,
    currency: "USD",
    date,
    grossMinor,
    feeMinor,
    netMinor: grossMinor + feeMinor,
    items,
  };
}

function run(payouts: ProcessorPayout[], bankRows: BankTransaction[], entries: ExpectedEntry[]) {
  const b: PayoutBankRow[] = prepared(bankRows);
  const e: PayoutLedgerRow[] = prepared(entries);
  return matchPayouts(payouts, b, e).map((f) => f.match);
}

describe("a payout's bank row", () => {
  const p = payout("po_1", "2025-01-06", [
    sale("txn_1", 2500, "2025-01-03"),
    fee("txn_f", -100, "2025-01-06"),
  ]);
  const ledger = [entry("E1", 2500, "2025-01-03")];

  it("is money in of exactly the payout's net, from 2 days before to 5 after its date", () => {
    const rows = [
      bank("B-out", -2400, "2025-01-06"),
      bank("B-early", 2400, "2025-01-03"),
      bank("B-late", 2400, "2025-01-12"),
      bank("B-eur", 2400, "2025-01-06", "STRIPE", { currency: "EUR" }),
      bank("B-ok", 2400, "2025-01-11"),
    ];
    expect(run([p], rows, ledger).map((m) => m.bankTransactionIds)).toEqual([["B-ok"]]);
  });

  it("is one naming the processor first, then the nearest, then the first", () => {
    const rows = [
      bank("B1", 2400, "2025-01-06", "DEPOSIT"),
      bank("B2", 2400, "2025-01-08", "ORIG CO NAME:STRIPE"),
    ];
    expect(run([p], rows, ledger)[0]!.bankTransactionIds).toEqual(["B2"]);
    const plain = [
      bank("B3", 2400, "2025-01-08", "DEPOSIT"),
      bank("B4", 2400, "2025-01-07", "DEPOSIT"),
      bank("B5", 2400, "2025-01-05", "DEPOSIT"),
    ];
    expect(run([p], plain, ledger)[0]!.bankTransactionIds).toEqual(["B4"]);
  });

  it("is missing, and the payout matches nothing", () => {
    expect(run([p], [bank("B1", 2500, "2025-01-06")], ledger)).toEqual([]);
  });
});

describe("a payout's lines", () => {
  it("find their entries by id (reference or a word of the description) before amount and date", () => {
    const p = payout("po_1", "2025-01-06", [
      sale("txn_1", 2500, "2025-01-03", { references: ["ch_1"] }),
      sale("txn_2", 2500, "2025-01-03", { references: ["ch_2"] }),
    ]);
    const ledger = [
      entry("E1", 2500, "2025-01-03"),
      entry("E2", 2500, "2025-01-01", { reference: "ch_2" }),
      entry("E3", 2500, "2025-01-02", { description: "Stripe sale ch_1 (Ana)" }),
    ];
    const [m] = run([p], [bank("B1", 5000, "2025-01-07")], ledger);
    expect(m!.expectedIds).toEqual(["E2", "E3"]);
    expect(m!.reasons.map((r) => r.detail)).toContain(
      "2 of 2 lines found in the ledger: 2 by id, 0 by amount and date",
    );
  });

  it("tell equal sales of two payouts apart by date, nearest first, and by account", () => {
    const a = payout("po_a", "2025-01-06", [sale("a1", 2500, "2025-01-03"), sale("a2", 2500, "2025-01-03")]);
    const b = payout("po_b", "2025-01-07", [sale("b1", 2500, "2025-01-04"), sale("b2", 2500, "2025-01-04")]);
    const ledger = [
      entry("E1", 2500, "2025-01-03"),
      entry("E2", 2500, "2025-01-04"),
      entry("E3", 2500, "2025-01-03"),
      entry("E4", 2500, "2025-01-04", { accountId: null }),
      entry("E5", 2500, "2025-01-04", { accountId: "savings" }),
    ];
    const matches = run([b, a], [bank("B1", 5000, "2025-01-07"), bank("B2", 5000, "2025-01-08")], ledger);
    expect(matches.map((m) => [m.bankTransactionIds, m.expectedIds])).toEqual([
      [["B1"], ["E1", "E3"]],
      [["B2"], ["E2", "E4"]],
    ]);
  });

  it("give up a nearer entry when that lets another line find one", () => {
    // Nearest first would pair l1 with E2 (1 day) and leave l2, whose only entry is E2, without.
    const p = payout("po_1", "2025-01-10", [sale("l1", 2500, "2025-01-05"), sale("l2", 2500, "2025-01-08")]);
    const ledger = [entry("E1", 2500, "2025-01-03"), entry("E2", 2500, "2025-01-06")];
    const [m] = run([p], [bank("B1", 5000, "2025-01-10")], ledger);
    expect(m!.expectedIds).toEqual(["E1", "E2"]);
    expect(m!.needsReview).toBe(false);
  });

  it("still match what they found when some are missing, for review", () => {
    const p = payout("po_1", "2025-01-06", [
      sale("l1", 2500, "2025-01-03"),
      sale("l2", 1000, "2025-01-03"),
      sale("l3", 700, "2025-01-03"),
    ]);
    const [m] = run([p], [bank("B1", 4200, "2025-01-06")], [entry("E1", 2500, "2025-01-03")]);
    expect(m!.expectedIds).toEqual(["E1"]);
    expect(m!.needsReview).toBe(true);
    expect(m!.confidence).toBeLessThan(0.99);
    expect(m!.amountDifferenceMinor).toBe(1700);
    expect(m!.reasons.map((r) => r.detail)).toContain("2 of 3 lines not found in the ledger: l2, l3");
  });
});

describe("a payout's fee", () => {
  const p = payout("po_1", "2025-01-06", [
    sale("l1", 2500, "2025-01-03"),
    sale("l2", 2500, "2025-01-04"),
    fee("f1", -580, "2025-01-06"),
  ]);
  const sales = [entry("E1", 2500, "2025-01-03"), entry("E2", 2500, "2025-01-04")];

  it("takes the ledger's fee entry when there is one", () => {
    const [m] = run(
      [p],
      [bank("B1", 4420, "2025-01-08")],
      [...sales, entry("F1", -580, "2025-01-04", { description: "Stripe fees" })],
    );
    expect(m).toMatchObject({
      kind: "many_to_one",
      expectedIds: ["E1", "E2", "F1"],
      amountDifferenceMinor: 0,
      confidence: 0.99,
      needsReview: false,
    });
    expect(m!.reasons.map((r) => r.detail)).toContain("Stripe fee 5.80 booked as F1");
  });

  it("is kept as the match's adjustment when the ledger has none", () => {
    const [m] = run([p], [bank("B1", 4420, "2025-01-08")], sales);
    expect(m).toMatchObject({
      expectedIds: ["E1", "E2"],
      amountDifferenceMinor: -580,
      confidence: 0.99,
      needsReview: false,
    });
    expect(m!.reasons).toContainEqual({
      feature: "processor_fee",
      contribution: 0,
      detail: "Stripe fee 5.80 kept as an adjustment",
    });
    expect(m!.reasons.map((r) => r.detail)[0]).toBe(
      "Stripe payout po_1 of 2025-01-06: 3 lines, gross 50.00, fees 5.80, net 44.20",
    );
  });

  it("inside the lines (Stripe's per-charge fee) is one fee", () => {
    const q = payout("po_2", "2025-01-06", [
      sale("l1", 2500, "2025-01-03", { feeMinor: -103, netMinor: 2397 }),
      sale("l2", 2500, "2025-01-04", { feeMinor: -103, netMinor: 2397 }),
    ]);
    const [m] = run([q], [bank("B1", 4794, "2025-01-08")], [...sales, entry("F1", -206, "2025-01-06")]);
    expect(m).toMatchObject({
      expectedIds: ["E1", "E2", "F1"],
      amountDifferenceMinor: 0,
      needsReview: false,
    });
  });
});

describe("the stage as a whole", () => {
  it("gives the same result for the payouts in any order", () => {
    const payouts = [0, 1, 2, 3].map((k) =>
      payout(`po_${k}`, `2025-01-1${k}`, [
        sale(`s${k}a`, 2500, `2025-01-0${k + 5}`),
        sale(`s${k}b`, 2500, `2025-01-0${k + 5}`),
      ]),
    );
    const rows = [0, 1, 2, 3].map((k) => bank(`B${k}`, 5000, `2025-01-1${k}`));
    const ledger = [0, 1, 2, 3].flatMap((k) => [
      entry(`E${k}a`, 2500, `2025-01-0${k + 5}`),
      entry(`E${k}b`, 2500, `2025-01-0${k + 5}`),
    ]);
    const once = run(payouts, rows, ledger);
    expect(run([...payouts].reverse(), rows, ledger)).toEqual(once);
    expect(once.map((m) => m.expectedIds)).toEqual([0, 1, 2, 3].map((k) => [`E${k}a`, `E${k}b`]));
  });

  it("refuses two payouts with one id", () => {
    const p = payout("po_1", "2025-01-06", [sale("l1", 2500, "2025-01-03")]);
    expect(() => run([p, p], [], [])).toThrow(InputError);
    expect(() => run([p, p], [], [])).toThrow('payout "po_1" appears twice');
  });

  it("refuses a payout whose date is not a date", () => {
    const p = payout("po_1", "06/01/2025", [sale("l1", 2500, "2025-01-03")]);
    expect(() => run([p], [], [])).toThrow('payout "po_1": date "06/01/2025" is not a YYYY-MM-DD date');
  });
});
