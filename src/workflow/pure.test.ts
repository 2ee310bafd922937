import { describe, expect, it } from "vitest";
import type { BankTransaction, ExpectedEntry } from "../domain/index.js";
import type { Match, ReconcileResult } from "../reconcile/index.js";
import { reconcile } from "../reconcile/index.js";
import { aliasPairingsOf, aliasWeight, learnedAliasesOf } from "./aliases.js";
import { adjustmentReasonOf, autoAccepts } from "./auto-accept.js";
import { checkManualMatch, manualMatchProblem, matchKindOf } from "./manual-match.js";
import { type Engine, pairingKey, proposeAvoiding } from "./proposals.js";

const match = (over: Partial<Match> = {}): Match => ({
  kind: "one_to_one",
  bankTransactionIds: ["b1"],
  expectedIds: ["e1"],
  confidence: 0.97,
  reasons: [],
  amountDifferenceMinor: 0,
  currency: "USD",
  pending: false,
  needsReview: false,
  ...over,
});

describe("what a run accepts without a person", () => {
  it("takes a sure, unflagged match with no pending row", () => {
    expect(autoAccepts(match(), 0.95)).toBe(true);
    expect(autoAccepts(match({ confidence: 0.95 }), 0.95)).toBe(true);
  });

  it("leaves a less sure, flagged or pending match for review", () => {
    expect(autoAccepts(match({ confidence: 0.949 }), 0.95)).toBe(false);
    expect(autoAccepts(match({ needsReview: true }), 0.95)).toBe(false);
    expect(autoAccepts(match({ pending: true }), 0.5)).toBe(false);
  });

  it("calls a difference a fee when the engine's reasons speak of one", () => {
    expect(
      adjustmentReasonOf([
        { feature: "group", contribution: 5, detail: "Stripe fee 5.80 kept as an adjustment" },
      ]),
    ).toBe("fee");
    expect(
      adjustmentReasonOf([{ feature: "amount", contribution: 40, detail: "amount differs by -25.00" }]),
    ).toBe("other");
    expect(adjustmentReasonOf([{ feature: "description", contribution: 3, detail: "feedback ltd" }])).toBe(
      "other",
    );
  });
});

describe("a manual match's sums", () => {
  const usd = (id: string, amountMinor: number) => ({ id, amountMinor, currency: "USD" });

  it("balances when the sums agree, or when the adjustment is exactly the difference", () => {
    expect(checkManualMatch([usd("b", 100_000)], [usd("e1", 60_000), usd("e2", 40_000)], null)).toMatchObject(
      {
        kind: "balanced",
        totals: { differenceMinor: 0 },
      },
    );
    const adjusted = checkManualMatch([usd("b", 97_000)], [usd("e1", 60_000), usd("e2", 40_000)], -3_000);
    expect(adjusted).toEqual({
      kind: "adjusted",
      currency: "USD",
      totals: { bankMinor: 97_000, ledgerMinor: 100_000, differenceMinor: -3_000 },
      adjustmentMinor: -3_000,
    });
    expect(manualMatchProblem(adjusted)).toBeNull();
  });

  it("says both sums and the difference to pass when they differ", () => {
    const check = checkManualMatch([usd("b", 97_000)], [usd("e", 100_000)], null);
    expect(check.kind).toBe("unbalanced");
    expect(manualMatchProblem(check)).toBe(
      "the bank rows add up to 970.00 USD and the ledger entries to 1,000.00 USD, a difference of -30.00: give --adjust -30.00 with a --reason (fee, rounding, fx, other) to keep it with the match",
    );
  });

  it("says what an adjustment that does not balance should be", () => {
    const check = checkManualMatch([usd("b", 97_000)], [usd("e", 100_000)], -2_000);
    expect(check.kind).toBe("adjustment_off");
    expect(manualMatchProblem(check)).toMatch(
      /adjustment -20\.00 does not balance .* must be -30\.00 \(it is off by -10\.00\)/,
    );
    // An adjustment where none is needed is off too.
    expect(checkManualMatch([usd("b", 100)], [usd("e", 100)], 5).kind).toBe("adjustment_off");
  });

  it("refuses two currencies and an empty side", () => {
    const check = checkManualMatch([usd("b", 100)], [{ id: "e", amountMinor: 100, currency: "EUR" }], null);
    expect(manualMatchProblem(check)).toMatch(/^the rows are in EUR and USD: a match holds one currency/);
    expect(manualMatchProblem(checkManualMatch([], [usd("e", 1)], null))).toBe(
      "a match needs at least one bank row",
    );
    expect(manualMatchProblem(checkManualMatch([usd("b", 1)], [], null))).toBe(
      "a match needs at least one ledger entry",
    );
  });

  it("adds sums past 2^53 exactly or refuses them, never rounding", () => {
    const big = Number.MAX_SAFE_INTEGER;
    expect(() => checkManualMatch([usd("b", big)], [usd("e", -big), usd("f", -big)], null)).toThrow(
      /beyond 2\^53/,
    );
  });

  it("names the kind by the rows on each side", () => {
    expect([matchKindOf(1, 1), matchKindOf(1, 3), matchKindOf(2, 1), matchKindOf(2, 2)]).toEqual([
      "one_to_one",
      "many_to_one",
      "one_to_many",
      "many_to_many",
    ]);
  });
});

describe("what an accepted match teaches", () => {
  it("pairs one bank row's descriptor with the one counterparty its entries name", () => {
    const pairs = aliasPairingsOf(
      [{ name: "ORIG CO NAME:ACME SUPPLY CO ENTRY DESCR:PAYMENT IND ID:INV-1043" }],
      [{ counterparty: "Acme Supply Co." }, { counterparty: "  acme   supply co. " }, { counterparty: null }],
    );
    expect(pairs).toHaveLength(1);
    expect(pairs[0]?.counterparty).toBe("Acme Supply Co.");
    expect(pairs[0]?.descriptor).not.toMatch(/\d/);
  });

  it("teaches nothing from several bank rows, several counterparties (a payout), none, or a descriptor of numbers", () => {
    expect(aliasPairingsOf([{ name: "A" }, { name: "B" }], [{ counterparty: "Acme" }])).toEqual([]);
    expect(
      aliasPairingsOf([{ name: "STRIPE TRANSFER" }], [{ counterparty: "Acme" }, { counterparty: "Globex" }]),
    ).toEqual([]);
    expect(aliasPairingsOf([{ name: "ACME" }], [{ counterparty: null }, { counterparty: " " }])).toEqual([]);
    expect(aliasPairingsOf([{ name: "123 456" }], [{ counterparty: "Acme" }])).toEqual([]);
  });

  it("weighs a pairing 0.6 when accepted once, up to 1 at five, times its share of the descriptor", () => {
    expect([0, 1, 2, 3, 4, 5, 50].map((n) => aliasWeight(n))).toEqual([0, 0.6, 0.7, 0.8, 0.9, 1, 1]);
    expect(aliasWeight(2, 4)).toBe(0.35);
    expect(
      learnedAliasesOf([
        { descriptor: "ACME", counterparty: "Acme", acceptedCount: 2 },
        { descriptor: "MOBILE DEPOSIT", counterparty: "Hooli", acceptedCount: 1 },
        { descriptor: "MOBILE DEPOSIT", counterparty: "Umbrella", acceptedCount: 3 },
      ]),
    ).toEqual([
      { descriptor: "ACME", counterparty: "Acme", weight: 0.7 },
      { descriptor: "MOBILE DEPOSIT", counterparty: "Hooli", weight: 0.15 },
      { descriptor: "MOBILE DEPOSIT", counterparty: "Umbrella", weight: 0.6 },
    ]);
  });
});

const bankRow = (id: string, amountMinor: number, date: string, name: string): BankTransaction => ({
  id,
  accountId: "acc",
  amountMinor,
  currency: "USD",
  date,
  authorizedDate: null,
  name,
  merchantName: null,
  checkNumber: null,
  pending: false,
});
const entry = (id: string, amountMinor: number, date: string, description: string): ExpectedEntry => ({
  id,
  date,
  amountMinor,
  currency: "USD",
  description,
  counterparty: null,
  reference: null,
  accountId: null,
});

describe("proposals without the pairings people rejected", () => {
  const bank = [
    bankRow("b1", 50_000, "2026-05-04", "ACME PAYMENT"),
    bankRow("b2", 50_000, "2026-05-20", "GLOBEX PAYMENT"),
  ];
  const ledger = [
    entry("e1", 50_000, "2026-05-03", "Invoice Acme"),
    entry("e2", 50_000, "2026-05-19", "Invoice Globex"),
  ];

  it("is the engine's result when nothing was rejected", () => {
    const engine: Engine = (b, e, o) => reconcile(b, e, o);
    const { result, droppedRejected, rounds } = proposeAvoiding(bank, ledger, new Set(), engine, {});
    expect(droppedRejected).toBe(0);
    expect(rounds).toBe(1);
    expect(result).toEqual(reconcile(bank, ledger, {}));
  });

  it("never proposes a rejected pairing, and gives its rows another chance", () => {
    const first = reconcile(bank, ledger, {});
    const acme = first.matches.find((m) => m.bankTransactionIds[0] === "b1");
    expect(acme?.expectedIds).toEqual(["e1"]);
    const rejected = new Set([pairingKey(["b1"], ["e1"])]);
    const calls: number[] = [];
    const engine: Engine = (b, e, o) => {
      calls.push(b.length + e.length);
      return reconcile(b, e, o);
    };
    const { result, droppedRejected } = proposeAvoiding(bank, ledger, rejected, engine, {});
    const keys = result.matches.map((m) => pairingKey(m.bankTransactionIds, m.expectedIds));
    expect(keys).not.toContain(pairingKey(["b1"], ["e1"]));
    expect(keys).toContain(pairingKey(["b2"], ["e2"]));
    expect(droppedRejected).toBeGreaterThanOrEqual(1);
    // Later rounds see only the rows left open, never the whole books again.
    for (const size of calls.slice(1)) expect(size).toBeLessThan(calls[0] as number);
    expect(result.summary.matchCount).toBe(result.matches.length);
    expect(result.unmatchedBank.map((b) => b.id)).toContain("b1");
  });

  it("matches a rejected row with another partner in a later round", () => {
    // The engine prefers b1-e1; once rejected, b1 and the other entry of the same amount pair.
    const rows = [bankRow("b1", 12_000, "2026-05-04", "PAYMENT")];
    const entries = [
      entry("e1", 12_000, "2026-05-04", "Payment"),
      entry("e2", 12_000, "2026-05-02", "Payment"),
    ];
    const fake: Engine = (b, e): ReconcileResult => {
      const pairs =
        b.length > 0 && e.length > 0 ? [{ b: b[0] as BankTransaction, e: e[0] as ExpectedEntry }] : [];
      const matches = pairs.map(({ b: x, e: y }) =>
        match({ bankTransactionIds: [x.id], expectedIds: [y.id] }),
      );
      return { ...reconcile([], [], {}), matches, unmatchedBank: [], unmatchedExpected: [] };
    };
    const { result } = proposeAvoiding(rows, entries, new Set([pairingKey(["b1"], ["e1"])]), fake, {});
    expect(result.matches.map((m) => m.expectedIds)).toEqual([["e2"]]);
    expect(result.unmatchedExpected.map((e) => e.id)).toEqual(["e1"]);
  });
});
