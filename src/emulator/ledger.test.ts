import { beforeAll, describe, expect, test } from "vitest";
import type { BankTransaction, ExpectedEntry } from "../domain/index.js";
import { ConfigError, InputError } from "../errors/index.js";
import { toPlaidTransactionRecord } from "../plaid/map-transaction.js";
import { reconcile } from "../reconcile/index.js";
import { daysBetween } from "./dates.js";
import { type SampleLedger, sampleLedger } from "./ledger.js";
import { startEmulator } from "./server.js";

const SEEDS = [1, 2, 3];

/** A user_good item's current transactions, as a sync maps them. */
async function emulatedBank(seed: number): Promise<BankTransaction[]> {
  const emu = await startEmulator({ seed });
  try {
    const { accessToken } = await emu.admin.createItem({ user: "user_good" });
    return emu.admin.itemTruth(accessToken).transactions.map((t) => toPlaidTransactionRecord(t));
  } finally {
    await emu.close();
  }
}

function pairsOf(groups: readonly { bank: readonly string[]; expected: readonly string[] }[]): Set<string> {
  return new Set(groups.flatMap((g) => g.bank.flatMap((b) => g.expected.map((e) => `${b}|${e}`))));
}

function pairF1(truth: Set<string>, predicted: Set<string>): number {
  let hits = 0;
  for (const pair of predicted) if (truth.has(pair)) hits += 1;
  if (hits === 0) return 0;
  const precision = hits / predicted.size;
  const recall = hits / truth.size;
  return (2 * precision * recall) / (precision + recall);
}

function row(
  id: string,
  amountMinor: number,
  date: string,
  extra: Partial<BankTransaction> = {},
): BankTransaction {
  return {
    id,
    accountId: "acc-checking",
    amountMinor,
    currency: "USD",
    date,
    authorizedDate: null,
    name: "ACME ROBOTICS INC PAYROLL",
    merchantName: null,
    checkNumber: null,
    pending: false,
    ...extra,
  };
}

const banks = new Map<number, BankTransaction[]>();
const ledgers = new Map<number, SampleLedger>();

beforeAll(async () => {
  for (const seed of SEEDS) {
    const bank = await emulatedBank(seed);
    banks.set(seed, bank);
    ledgers.set(seed, sampleLedger(bank, { seed }));
  }
});

describe.each(SEEDS)("the sample ledger of emulator seed %i", (seed) => {
  const bank = () => banks.get(seed)!;
  const ledger = () => ledgers.get(seed)!;
  const bankById = () => new Map(bank().map((b) => [b.id, b]));
  const entryById = () => new Map(ledger().entries.map((e) => [e.id, e]));
  const entriesOf = (ids: readonly string[]): ExpectedEntry[] => ids.map((id) => entryById().get(id)!);
  const total = (amounts: readonly { amountMinor: number }[]) =>
    amounts.reduce((s, a) => s + a.amountMinor, 0);

  test("is the same for the same rows and seed, in any order", () => {
    const shuffled = [...bank()].reverse();
    const middle = Math.floor(shuffled.length / 2);
    const rotated = [...shuffled.slice(middle), ...shuffled.slice(0, middle)];
    expect(sampleLedger(shuffled, { seed })).toEqual(ledger());
    expect(sampleLedger(rotated, { seed })).toEqual(ledger());
  });

  test("another seed writes another ledger from the same rows", () => {
    const other = sampleLedger(bank(), { seed: seed + 100 });
    expect(other.entries).not.toEqual(ledger().entries);
  });

  test("has every kind but one_to_many, within the entry cap, numbered in date order", () => {
    const kinds = new Set(ledger().truth.map((g) => g.kind));
    expect([...kinds].sort()).toEqual(["ledger_only", "many_to_one", "near_amount", "one_to_one"]);
    const { entries } = ledger();
    expect(entries.length).toBeGreaterThanOrEqual(40);
    expect(entries.length).toBeLessThanOrEqual(80);
    expect(entries.map((e) => e.id)).toEqual(entries.map((_, i) => `L-${String(i + 1).padStart(4, "0")}`));
    for (let i = 1; i < entries.length; i++) expect(entries[i]!.date >= entries[i - 1]!.date).toBe(true);
  });

  test("names every entry in exactly one truth group, and every bank row at most once", () => {
    const seenEntries = ledger().truth.flatMap((g) => g.expectedIds);
    expect([...seenEntries].sort()).toEqual(ledger().entries.map((e) => e.id));
    const seenBank = ledger().truth.flatMap((g) => g.bankIds);
    expect(new Set(seenBank).size).toBe(seenBank.length);
    for (const id of seenBank) expect(bankById().has(id)).toBe(true);
  });

  test("writes nothing for pending rows", () => {
    const pending = bank().filter((b) => b.pending);
    expect(pending.length).toBeGreaterThan(0);
    const used = new Set(ledger().truth.flatMap((g) => g.bankIds));
    for (const b of pending) expect(used.has(b.id)).toBe(false);
  });

  test("adds up exactly: one-to-one and many-to-one to the bank, near amounts by a wire fee", () => {
    for (const group of ledger().truth) {
      const entries = entriesOf(group.expectedIds);
      const bankRows = group.bankIds.map((id) => bankById().get(id)!);
      for (const e of entries) {
        expect(Number.isSafeInteger(e.amountMinor)).toBe(true);
        for (const b of bankRows) expect(e.currency).toBe(b.currency);
      }
      const difference = total(entries) - total(bankRows);
      if (group.kind === "near_amount") {
        expect(bankRows[0]!.amountMinor).toBeGreaterThan(0);
        expect(difference).toBeGreaterThanOrEqual(1_500);
        expect(difference).toBeLessThanOrEqual(3_100);
      } else if (group.kind === "ledger_only") {
        expect(bankRows).toEqual([]);
        expect(entries).toHaveLength(1);
      } else {
        expect(difference).toBe(0);
      }
    }
  });

  test("books a processor payout as sales less a negative fee, and a client payment as invoices", () => {
    const splits = ledger().truth.filter((g) => g.kind === "many_to_one");
    const payouts = splits.filter((g) => /Stripe|Square/.test(bankById().get(g.bankIds[0]!)!.name));
    expect(payouts.length).toBeGreaterThan(0);
    for (const g of payouts) {
      const entries = entriesOf(g.expectedIds);
      const fees = entries.filter((e) => e.amountMinor < 0);
      expect(fees).toHaveLength(1);
      expect(fees[0]!.description).toMatch(/processing fees$/);
      expect(entries.length).toBeGreaterThanOrEqual(3);
      expect(entries.length).toBeLessThanOrEqual(4);
    }
    const invoices = splits.filter((g) => !payouts.includes(g));
    expect(invoices).toHaveLength(1);
    for (const e of entriesOf(invoices[0]!.expectedIds)) {
      expect(e.description).toMatch(/^Invoice \d+ - /);
      expect(e.amountMinor).toBeGreaterThan(0);
    }
  });

  test("dates entries before the bank: 0-3 days, checks 3-21 days, with the check number", () => {
    for (const group of ledger().truth) {
      if (group.kind === "ledger_only") continue;
      const b = bankById().get(group.bankIds[0]!)!;
      for (const e of entriesOf(group.expectedIds)) {
        const lead = daysBetween(e.date, b.date);
        if (b.checkNumber !== null) {
          expect(lead).toBeGreaterThanOrEqual(3);
          expect(lead).toBeLessThanOrEqual(21);
          expect(e.reference).toBe(b.checkNumber);
          expect(e.description).toMatch(new RegExp(`^Check ${b.checkNumber} - `));
        } else {
          expect(lead).toBeGreaterThanOrEqual(0);
          expect(lead).toBeLessThanOrEqual(5);
        }
      }
    }
  });

  test("dates ledger-only entries inside the period and matches no bank amount", () => {
    const { period } = ledger();
    const amounts = new Set(bank().map((b) => b.amountMinor));
    for (const group of ledger().truth.filter((g) => g.kind === "ledger_only")) {
      const [entry] = entriesOf(group.expectedIds);
      expect(entry!.date >= period!.from && entry!.date <= period!.to).toBe(true);
      expect(amounts.has(entry!.amountMinor)).toBe(false);
    }
  });

  test("leaves bank charges, interest and small card purchases to the bank", () => {
    const used = new Set(ledger().truth.flatMap((g) => g.bankIds));
    const inPeriod = bank().filter((b) => !b.pending && b.date >= ledger().period!.from);
    const charges = inPeriod.filter((b) => /INTEREST|FEE/i.test(b.name));
    expect(charges.length).toBeGreaterThan(0);
    for (const b of charges) expect(used.has(b.id)).toBe(false);
    const petty = inPeriod.filter(
      (b) => b.merchantName !== null && b.amountMinor < 0 && b.amountMinor > -2_500,
    );
    expect(petty.length).toBeGreaterThan(0);
    for (const b of petty) expect(used.has(b.id)).toBe(false);
  });

  test("names the bank row's account on most entries, and no account on a few", () => {
    const withAccount = ledger().truth.flatMap((g) =>
      g.bankIds.length === 0
        ? []
        : entriesOf(g.expectedIds).map((e) => e.accountId === bankById().get(g.bankIds[0]!)!.accountId),
    );
    const known = withAccount.filter(Boolean).length;
    expect(known / withAccount.length).toBeGreaterThan(0.75);
    expect(ledger().entries.some((e) => e.accountId === null)).toBe(true);
  });

  test("is reconciled by the engine with a pair F1 of at least 0.95 against its truth", () => {
    const truth = pairsOf(ledger().truth.map((g) => ({ bank: g.bankIds, expected: g.expectedIds })));
    for (const bankRows of [bank(), bank().filter((b) => b.date >= ledger().period!.from)]) {
      const result = reconcile(bankRows, ledger().entries);
      const predicted = pairsOf(
        result.matches.map((m) => ({ bank: m.bankTransactionIds, expected: m.expectedIds })),
      );
      expect(pairF1(truth, predicted)).toBeGreaterThanOrEqual(0.95);
    }
  });
});

describe("sample ledger options and input", () => {
  test("only the given accounts are the business's books", () => {
    const bank = banks.get(1)!;
    const checking = bank.find((b) => b.checkNumber !== null)!.accountId!;
    const ledger = sampleLedger(bank, { seed: 1, accountIds: [checking] });
    const byId = new Map(bank.map((b) => [b.id, b]));
    const used = ledger.truth.flatMap((g) => g.bankIds);
    expect(used.length).toBeGreaterThan(10);
    for (const id of used) expect(byId.get(id)!.accountId).toBe(checking);
  });

  test("a shorter window and a smaller cap give a smaller ledger inside the window", () => {
    const bank = banks.get(2)!;
    const ledger = sampleLedger(bank, { seed: 2, windowDays: 14, entriesMax: 30 });
    expect(ledger.entries.length).toBeLessThanOrEqual(30);
    expect(daysBetween(ledger.period!.from, ledger.period!.to)).toBe(13);
    const byId = new Map(bank.map((b) => [b.id, b]));
    for (const id of ledger.truth.flatMap((g) => g.bankIds))
      expect(byId.get(id)!.date >= ledger.period!.from).toBe(true);
  });

  test("the smallest cap is kept by leaving the one-to-one rows to the bank", () => {
    const ledger = sampleLedger(banks.get(3)!, { seed: 3, entriesMax: 20 });
    expect(ledger.entries.length).toBeLessThanOrEqual(20);
    expect(ledger.truth.some((g) => g.kind === "many_to_one")).toBe(true);
  });

  test("a feed of pending rows only gives an empty ledger", () => {
    const ledger = sampleLedger([row("a", 1000, "2026-06-01", { pending: true })], { seed: 1 });
    expect(ledger).toEqual({ entries: [], truth: [], period: null });
  });

  test("a single client payment is booked short of a wire fee, beside the two ledger-only entries", () => {
    const ledger = sampleLedger([row("a", 250_000, "2026-06-10")], { seed: 4 });
    expect(ledger.truth.map((g) => g.kind).sort()).toEqual(["ledger_only", "ledger_only", "near_amount"]);
    expect(ledger.period).toEqual({ from: "2026-05-12", to: "2026-06-10" });
  });

  test("two rows with one id are refused, as are bad options", () => {
    const twice = [row("a", 1000, "2026-06-01"), row("a", 2000, "2026-06-02")];
    expect(() => sampleLedger(twice, { seed: 1 })).toThrow(InputError);
    expect(() => sampleLedger([row("a", 10.5, "2026-06-01")], { seed: 1 })).toThrow(InputError);
    expect(() => sampleLedger([], { seed: 1, windowDays: 0 })).toThrow(ConfigError);
    expect(() => sampleLedger([], { seed: 1, entriesMax: 3 })).toThrow(ConfigError);
  });
});
