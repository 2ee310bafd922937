import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { BankTransaction, ExpectedEntry } from "../domain/index.js";
import { prepareBank, prepareExpected, Vocabulary } from "./prepare.js";
import { datePenalty, effectiveLag, referenceScore, scorePair, textSimilarity } from "./score.js";
import type { MatchReason } from "./types.js";

function prepared(bankRow: Partial<BankTransaction>, entryRow: Partial<ExpectedEntry>) {
  const vocabulary = new Vocabulary();
  const e = prepareExpected(
    {
      id: "e",
      date: "2025-03-03",
      amountMinor: -10_000,
      currency: "USD",
      description: "",
      counterparty: null,
      reference: null,
      accountId: null,
      ...entryRow,
    },
    0,
    vocabulary,
  );
  const b = prepareBank(
    {
      id: "b",
      accountId: null,
      amountMinor: -10_000,
      currency: "USD",
      date: "2025-03-04",
      authorizedDate: null,
      name: "",
      merchantName: null,
      checkNumber: null,
      pending: false,
      ...bankRow,
    },
    0,
    vocabulary,
  );
  vocabulary.finish();
  return { b, e, vocabulary };
}

describe("scoring a candidate pair", () => {
  it("penalizes a bank date before the ledger date more than the same distance after it", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), (days) => datePenalty(-days) > datePenalty(days)),
      { seed: 5, numRuns: 200 },
    );
  });

  it("penalizes more the further the dates are apart, in either direction", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 60 }), (days) => {
        expect(datePenalty(days + 1)).toBeGreaterThan(datePenalty(days));
        expect(datePenalty(-days - 1)).toBeGreaterThan(datePenalty(-days));
      }),
      { seed: 6, numRuns: 200 },
    );
    expect(datePenalty(0)).toBe(0);
  });

  it("uses the authorization date when it is nearer to the ledger date than the posting date", () => {
    const { b, e } = prepared({ date: "2025-03-07", authorizedDate: "2025-03-03" }, {});
    expect(effectiveLag(b, e)).toBe(0);
  });

  it("keeps name agreement between 0 and 1, and gives 1 when the merchant is the counterparty", () => {
    const vendor = prepared(
      { name: "AMZN MKTP US*2K4 SEATTLE", merchantName: "Amazon" },
      { description: "Office chairs", counterparty: "Amazon" },
    );
    expect(textSimilarity(vendor.b, vendor.e, vendor.vocabulary)).toBe(1);
    const none = prepared(
      { name: "SHELL OIL 5742" },
      { description: "Printer toner", counterparty: "Staples" },
    );
    expect(textSimilarity(none.b, none.e, none.vocabulary)).toBe(0);
    const truncated = prepared(
      { name: "ORIG CO NAME:NORTHGATE PROP M CO ENTRY DESCR:PAYMENT" },
      { description: "Lobby signs", counterparty: "Northgate Property Management" },
    );
    const partial = textSimilarity(truncated.b, truncated.e, truncated.vocabulary);
    expect(partial).toBeGreaterThan(0.3);
    expect(partial).toBeLessThanOrEqual(1);
  });

  it("treats an echoed reference as near proof and a different check number as near disproof", () => {
    const echoed = prepared({ name: "WIRE IN OBI:INV-2047" }, { reference: "INV2047" });
    expect(referenceScore(echoed.b, echoed.e)).toBeGreaterThan(30);
    const sameCheck = prepared({ name: "CHECK 1190", checkNumber: "1190" }, { reference: "1190" });
    expect(referenceScore(sameCheck.b, sameCheck.e)).toBeGreaterThan(30);
    const otherCheck = prepared({ name: "CHECK 1191", checkNumber: "1191" }, { reference: "1190" });
    expect(referenceScore(otherCheck.b, otherCheck.e)).toBeLessThan(-30);
  });

  it("explains every point of the score with a reason", () => {
    const { b, e, vocabulary } = prepared(
      { name: "CHECK 1190", checkNumber: "1190", accountId: "a", date: "2025-03-20", pending: true },
      { reference: "1190", accountId: "a", description: "Check 1190 to Gulf of Maine Woodworks" },
    );
    const reasons: MatchReason[] = [];
    const score = scorePair(b, e, vocabulary, reasons);
    const explained = 50 + reasons.reduce((s, r) => s + r.contribution, 0);
    expect(Math.abs(score - explained)).toBeLessThan(0.05);
    expect(reasons.length).toBeGreaterThanOrEqual(4);
  });
});
