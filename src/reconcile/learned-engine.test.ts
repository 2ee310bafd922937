import { describe, expect, it } from "vitest";
import type { BankTransaction, ExpectedEntry } from "../domain/index.js";
import { createRng } from "../emulator/prng.js";
import { reconcile } from "./index.js";
import type { ReconcileResult } from "./types.js";

const DAY = 86_400_000;
const START = Date.UTC(2025, 0, 1);
const iso = (day: number) => new Date(START + day * DAY).toISOString().slice(0, 10);

function bank(
  id: string,
  amountMinor: number,
  day: number,
  name: string,
  accountId = "acc-1",
): BankTransaction {
  return {
    id,
    accountId,
    amountMinor,
    currency: "USD",
    date: iso(day),
    authorizedDate: null,
    name,
    merchantName: null,
    checkNumber: null,
    pending: false,
  };
}

function entry(
  id: string,
  amountMinor: number,
  day: number,
  description: string,
  extra: Partial<ExpectedEntry> = {},
): ExpectedEntry {
  return {
    id,
    date: iso(day),
    amountMinor,
    currency: "USD",
    description,
    counterparty: null,
    reference: null,
    accountId: "acc-1",
    ...extra,
  };
}

function pairsOf(result: ReconcileResult): Set<string> {
  return new Set(
    result.matches.map(
      (m) => `${[...m.bankTransactionIds].sort().join("+")}=${[...m.expectedIds].sort().join("+")}`,
    ),
  );
}

describe("lags learned from the confident matches", () => {
  // A business whose customers pay net-45 to net-60: the names agree, the amounts are exact,
  // and every payment posts weeks after its invoice.
  function lateBooks() {
    const rng = createRng(11);
    const bankRows: BankTransaction[] = [];
    const entries: ExpectedEntry[] = [];
    for (let i = 0; i < 120; i++) {
      const amount = 10_000 + Math.floor(rng.next() * 900_000);
      const customer = `Customer${String.fromCharCode(65 + (i % 26))}${i}`;
      const day = Math.floor(rng.next() * 40);
      // Most pay late; a fifth pay within days, which is what the default penalty expects.
      const lag = i % 5 === 0 ? 1 + (i % 3) : 20 + Math.floor(rng.next() * 40);
      entries.push(entry(`INV-${i}`, amount, day, `Invoice ${i} ${customer}`, { counterparty: customer }));
      bankRows.push(bank(`b${i}`, amount, day + lag, `ACH CREDIT ${customer.toUpperCase()}`));
    }
    return { bankRows, entries };
  }

  it("matches payments posting up to two months late once the lags are learned, and says so in the reasons", () => {
    const { bankRows, entries } = lateBooks();
    const result = reconcile(bankRows, entries);
    const pairs = pairsOf(result);
    const missing = [...Array(120).keys()].filter((i) => !pairs.has(`b${i}=INV-${i}`));
    if (missing.length)
      console.log(
        missing,
        JSON.stringify(result.summary.limits),
        JSON.stringify(
          result.matches.filter((m) => m.expectedIds.some((e) => missing.map((i) => `INV-${i}`).includes(e))),
        ),
      );
    expect(missing).toEqual([]);
    const late = result.matches.find((m) => m.expectedIds[0] === "INV-1")!;
    expect(late.reasons.find((r) => r.feature === "date")?.detail).toMatch(/usual for this account/);
    expect(result.summary.limits?.lags.some((l) => l.stretch > 1)).toBe(true);
  });

  it("keeps the usual penalty for books that post within days", () => {
    const rows = Array.from({ length: 60 }, (_, i) => i);
    const entries = rows.map((i) => entry(`E${i}`, 5_000 + i * 137, i, `Supplier ${i}`));
    const bankRows = rows.map((i) => bank(`b${i}`, 5_000 + i * 137, i + (i % 3), `SUPPLIER ${i}`));
    // One row 40 days late with no other evidence than its amount: not matched on these books.
    entries.push(entry("LATE", 777_777, 0, "Something else"));
    bankRows.push(bank("blate", 777_777, 40, "UNRELATED"));
    const result = reconcile(bankRows, entries);
    expect(pairsOf(result).has("blate=LATE")).toBe(false);
    expect(result.summary.limits?.lags.every((l) => l.stretch === 1)).toBe(true);
  });
});

describe("instalments found by structure", () => {
  it("finds an invoice naming no account paid by two deposits that name nobody", () => {
    const entries = [
      entry("INV-1", 250_000, 3, "Catering order INV-1 Rose Kitchen", { accountId: null }),
      entry("INV-2", 99_00, 5, "Something else", { accountId: null }),
    ];
    const bankRows = [
      bank("d1", 75_000, 6, "MOBILE DEPOSIT", "acc-2"),
      bank("d2", 175_000, 12, "DEP 0412", "acc-2"),
      bank("x1", 12_345, 7, "ATM WITHDRAWAL", "acc-1"),
    ];
    const result = reconcile(bankRows, entries);
    const m = result.matches.find((x) => x.expectedIds.includes("INV-1"));
    expect(m?.kind).toBe("one_to_many");
    expect([...m!.bankTransactionIds].sort()).toEqual(["d1", "d2"]);
  });

  it("does not claim a sum that many accounts' deposits could make by chance", () => {
    // Forty accounts, each with deposits of round amounts: 500 + 500 = 1000 everywhere.
    const bankRows: BankTransaction[] = [];
    for (let a = 0; a < 40; a++) {
      for (let k = 0; k < 6; k++) bankRows.push(bank(`a${a}-${k}`, 50_000, 2 + k, "DEPOSIT", `acc-${a}`));
    }
    const result = reconcile(bankRows, [entry("INV-9", 100_000, 1, "Invoice 9", { accountId: null })]);
    expect(result.matches.filter((m) => m.kind === "one_to_many")).toEqual([]);
  });
});

describe("aliases people taught", () => {
  // Two open entries of the same amount on the same day; the bank row names neither, except
  // through a descriptor a person matched to one of the counterparties before.
  const entries = [
    entry("E-roast", -4_250, 10, "Coffee beans", { counterparty: "Morning Roasters" }),
    entry("E-print", -4_250, 10, "Flyers", { counterparty: "Quick Print Shop" }),
  ];
  const bankRows = [bank("b1", -4_250, 11, "SQ *BLUE BOTTLE 88123")];

  it("without them, the row is not told apart", () => {
    const result = reconcile(bankRows, entries);
    const m = result.matches[0];
    expect(m === undefined || m.confidence < 0.6).toBe(true);
  });

  it("with them, the taught counterparty wins and the reason says the names agree", () => {
    const result = reconcile(bankRows, entries, {
      learnedAliases: [
        { descriptor: "SQ *BLUE BOTTLE 99001", counterparty: "Morning Roasters", weight: 0.8 },
      ],
    });
    expect([...pairsOf(result)]).toEqual(["b1=E-roast"]);
    expect(result.matches[0]!.reasons.some((r) => r.feature === "description")).toBe(true);
  });
});
