import { describe, expect, it } from "vitest";
import type { BankTransaction, ExpectedEntry } from "../domain/index.js";
import { reconcile } from "./index.js";
import type { Match, ReconcileResult } from "./types.js";

function bank(id: string, amountMinor: number, date: string, name: string, extra: Partial<BankTransaction> = {}) {
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

function entry(id: string, amountMinor: number, date: string, description: string, extra: Partial<ExpectedEntry> = {}) {
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

describe("reconcile", () => {
  it("debug", () => {
    const r = reconcile(
      [bank("b1", -12345, "2025-03-04", "ACME SUPPLY")],
      [entry("e1", -12345, "2025-03-03", "Office chairs", { counterparty: "Acme Supply" })],
    );
    console.log(JSON.stringify(r, null, 1));
  });
});
