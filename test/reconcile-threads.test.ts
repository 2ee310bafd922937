// The engine's worker threads, run from the built package (a worker thread cannot load the
// TypeScript sources; `npm test` builds first). The number of threads must never change a
// result, and workers must really take part when there are enough rows.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { BankTransaction, ExpectedEntry } from "../src/domain/index.js";
import { createRng } from "../src/emulator/prng.js";
import type * as Engine from "../src/reconcile/index.js";
import type * as Prepare from "../src/reconcile/prepare.js";
import type * as Settlements from "../src/reconcile/settlements/index.js";
import type * as Threads from "../src/reconcile-threads/index.js";
import type * as Threaded from "../src/reconcile-threads/threaded-executor.js";

const BUILT = (path: string) => fileURLToPath(new URL(`../dist/src/${path}`, import.meta.url));
const engine = (await import(BUILT("reconcile/index.js"))) as typeof Engine;
const prepare = (await import(BUILT("reconcile/prepare.js"))) as typeof Prepare;
const settlements = (await import(BUILT("reconcile/settlements/index.js"))) as typeof Settlements;
const threads = (await import(BUILT("reconcile-threads/index.js"))) as typeof Threads;
const threaded = (await import(BUILT("reconcile-threads/threaded-executor.js"))) as typeof Threaded;

const iso = (day: number) => new Date(Date.UTC(2026, 0, 1 + day)).toISOString().slice(0, 10);

/**
 * A business whose bank rows are mostly payouts settling two to four sales each, some from
 * counterparties the bank names and some the ledger leaves without an account, plus plain
 * one-to-one payments: thousands of bank rows are still open after one-to-one.
 */
function business(payouts: number, seed: number): { bank: BankTransaction[]; expected: ExpectedEntry[] } {
  // Seeded, so a failure can be replayed.
  const next = createRng(seed).next;
  const bank: BankTransaction[] = [];
  const expected: ExpectedEntry[] = [];
  // Made-up names: numbers are not words to the engine, so "Customer 12" would name nobody.
  const letters = "bcdfghjklmnprstvz";
  const vowels = "aeiou";
  const names = Array.from({ length: 400 }, () => {
    let name = "";
    for (let k = 0; k < 3; k++) name += letters[Math.floor(next() * 17)]! + vowels[Math.floor(next() * 5)]!;
    return `${name[0]!.toUpperCase()}${name.slice(1)} Ltd`;
  });
  const row = (id: string, day: number, amount: number, name: string, account: string | null) => ({
    id,
    accountId: account,
    amountMinor: amount,
    currency: "USD",
    date: iso(day),
    authorizedDate: null,
    name,
    merchantName: null,
    checkNumber: null,
    pending: false,
  });
  for (let p = 0; p < payouts; p++) {
    const account = `acct-${p % 4}`;
    const customer = names[Math.floor(next() * names.length)]!;
    const day = 10 + Math.floor(next() * 300);
    const sales = 2 + Math.floor(next() * 3);
    let total = 0;
    for (let s = 0; s < sales; s++) {
      const amount = 1_000 + Math.floor(next() * 90_000);
      total += amount;
      expected.push({
        id: `sale-${p}-${s}`,
        date: iso(day - 1 - Math.floor(next() * 4)),
        amountMinor: amount,
        currency: "USD",
        description: `Sale to ${customer}`,
        counterparty: customer,
        reference: null,
        accountId: next() < 0.2 ? null : account,
      });
    }
    bank.push(row(`payout-${p}`, day, total, `DEPOSIT ${customer.toUpperCase()} PAYOUT`, account));
    if (p % 3 === 0) {
      const amount = -(500 + Math.floor(next() * 20_000));
      expected.push({
        id: `bill-${p}`,
        date: iso(day),
        amountMinor: amount,
        currency: "USD",
        description: `Supplies from ${names[p % names.length]!}`,
        counterparty: names[p % names.length]!,
        reference: null,
        accountId: account,
      });
      bank.push(row(`debit-${p}`, day + 1, amount, `${names[p % names.length]!.toUpperCase()} ACH`, account));
    }
  }
  return { bank, expected };
}

describe("worker threads in the settlement search", () => {
  it("is built, so the workers can start", () => {
    expect(existsSync(BUILT("reconcile-threads/proposal-worker.js"))).toBe(true);
  });

  it("gives the same reconciliation for one, two and three threads", () => {
    const { bank, expected } = business(3_000, 11);
    const one = engine.reconcile(bank, expected);
    expect(one.matches.filter((m) => m.kind === "many_to_one").length).toBeGreaterThan(2_000);
    expect(threads.reconcile(bank, expected, { threads: 1 })).toEqual(one);
    expect(threads.reconcile(bank, expected, { threads: 2 })).toEqual(one);
    expect(threads.reconcile([...bank].reverse(), [...expected].reverse(), { threads: 3 })).toEqual(one);
    const executor = threads.threadedExecutor(3);
    expect(engine.reconcile(bank, expected, { executor })).toEqual(one);
  }, 120_000);

  it("has workers propose part of the rows, exactly as this thread would", () => {
    const { bank, expected } = business(threaded.PARALLEL_ROWS_MIN * 2, 5);
    const vocabulary = new prepare.Vocabulary();
    const entries = expected.map((e, i) => prepare.prepareExpected(e, i, vocabulary));
    const rows = bank.map((b, i) => prepare.prepareBank(b, i, vocabulary));
    vocabulary.finish();
    const settings = {
      sizeMax: 6,
      dateWindowBeforeDays: 5,
      dateWindowAfterDays: 45,
      accountlessAreOwn: false,
    };
    const task = () => {
      const proposer = new settlements.SettlementProposer(entries, entries.length, vocabulary, settings);
      return settlements.firstRoundTask(rows, entries, entries.length, vocabulary, settings, proposer);
    };
    // Three threads: two workers and this one.
    const shared = threaded.proposeOnThreads(task(), 3);
    expect(shared.rowsByWorkers).toBeGreaterThan(0);
    expect(shared.rowsByWorkers).toBeLessThan(rows.length);
    const alone = threaded.proposeOnThreads(task(), 1);
    expect(alone.rowsByWorkers).toBe(0);
    const view = (map: Map<number, Settlements.Proposal[]>) =>
      [...map]
        .sort((x, y) => x[0] - y[0])
        .map(([index, list]) => [
          index,
          list.map((p) => ({ ...p.candidate, explain: p.candidate.explain(), chance: p.chance, tie: p.tie })),
        ]);
    const proposed = view(alone.proposals);
    expect(proposed.filter(([, list]) => (list as unknown[]).length > 0).length).toBeGreaterThan(
      rows.length / 2,
    );
    expect(view(shared.proposals)).toEqual(proposed);
    expect(view(settlements.inProcessExecutor.proposeAll(task()))).toEqual(proposed);
    // Workers that fail (here: told of an impossible number of entries, which only they read)
    // cost time, not rows: this thread proposes for the rows they took.
    const broken = task();
    const failing = { ...broken, snapshot: () => ({ ...broken.snapshot(), expectedTotal: -1 }) };
    const failed = threaded.proposeOnThreads(failing, 3);
    expect(failed.rowsByWorkers).toBe(0);
    expect(view(failed.proposals)).toEqual(proposed);
  }, 120_000);
});
