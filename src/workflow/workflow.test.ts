import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { type StoreCase, storeCases } from "../../test/support/stores.js";
import {
  ACCOUNT,
  addBankRows,
  bankRow,
  type EngineCall,
  entry,
  scriptedEngine,
  workflowSnapshot,
} from "../../test/support/workflow-books.js";
import { InputError } from "../errors/index.js";
import type { Store } from "../store/index.js";
import { holdLockedChanges } from "../store/workflow-locks.js";
import {
  acceptAbove,
  acceptMatches,
  applyLockedChanges,
  closePeriod,
  getMatch,
  importExpectedEntries,
  listDecisions,
  listLearnedAliases,
  listLedgerEntries,
  listLockedChanges,
  listLocks,
  listReviewQueue,
  listRuns,
  matchManually,
  rejectMatches,
  removeLedgerEntries,
  reopenPeriod,
  runReconciliation,
  unmatchMatches,
} from "./index.js";

const cases = await storeCases();

/**
 * May's books of a small business: five bank rows (one pending) and six ledger entries.
 * b1–e1 and b2–e2 are plain payments; b3 is a wire of 970.00 for invoices e3 (600.00) and e4
 * (400.00) less a 30.00 fee; b5 is a deposit the engine may pair with e5 or e6.
 */
const BANK = [
  {
    id: "b1",
    amountMinor: 50_000,
    date: "2026-05-04",
    name: "ORIG CO NAME:ACME SUPPLY CO ENTRY DESCR:PAYMENT 1001",
  },
  { id: "b2", amountMinor: -12_000, date: "2026-05-10", name: "GLOBEX UTILITIES 4471" },
  { id: "b3", amountMinor: 97_000, date: "2026-05-15", name: "WIRE FROM INITECH LLC" },
  { id: "b4", amountMinor: -4_500, date: "2026-05-20", name: "BLUE BOTTLE COFFEE", pending: true },
  { id: "b5", amountMinor: 25_000, date: "2026-05-22", name: "MOBILE DEPOSIT" },
];
const LEDGER = [
  entry("e1", 50_000, "2026-05-03", "Invoice 1001 Acme Supply", { counterparty: "Acme Supply Co" }),
  entry("e2", -12_000, "2026-05-09", "Globex power bill", { counterparty: "Globex" }),
  entry("e3", 60_000, "2026-05-12", "Invoice 1002 Initech", { counterparty: "Initech" }),
  entry("e4", 40_000, "2026-05-12", "Invoice 1003 Initech", { counterparty: "Initech" }),
  entry("e5", 25_000, "2026-05-21", "Check from Hooli"),
  entry("e6", 25_000, "2026-05-20", "Check from Umbrella"),
  entry("e7", -4_500, "2026-05-19", "Coffee with a client"),
];
const MAY = { from: "2026-05-01", to: "2026-05-31" };
const SCRIPT = [
  { bank: ["b1"], expected: ["e1"], confidence: 0.98 },
  { bank: ["b2"], expected: ["e2"], confidence: 0.9 },
  { bank: ["b5"], expected: ["e5"], confidence: 0.7 },
  { bank: ["b5"], expected: ["e6"], confidence: 0.65 },
  { bank: ["b4"], expected: ["e7"], confidence: 0.5 },
];

async function books(storeCase: StoreCase): Promise<Store> {
  const store = await storeCase.open();
  await addBankRows(store, BANK);
  await importExpectedEntries(store, LEDGER);
  return store;
}

/** The match id of the proposal pairing these rows, from the queue or the store. */
async function proposalOf(store: Store, bank: string, expected: string): Promise<string> {
  const queue = await listReviewQueue(store);
  const found = queue.find(
    (d) => d.match.bankTransactionIds[0] === bank && d.match.expectedIds[0] === expected,
  );
  if (found === undefined) throw new Error(`no proposal ${bank}-${expected} in the queue`);
  return found.match.id;
}

describe.each(cases)("the reconciliation workflow on $dialect", (storeCase) => {
  afterAll(() => storeCase.cleanup());
  let store: Store;
  beforeEach(async (context) => {
    if (!storeCase.available) context.skip();
    store = await books(storeCase);
    return () => store.close();
  });

  it("imports a ledger idempotently, reports a changed entry's fields and overwrites only when asked", async () => {
    const again = await importExpectedEntries(store, LEDGER);
    expect(again).toEqual({ added: 0, unchanged: 7, updated: 0, changed: [] });
    const edited = [
      { ...LEDGER[0]!, amountMinor: 50_100, description: "Invoice 1001 Acme" },
      entry("e8", 1_000, "2026-05-30", "New entry"),
    ];
    const before = await workflowSnapshot(store);
    const outcome = await importExpectedEntries(store, edited);
    expect(outcome).toEqual({
      added: 1,
      unchanged: 0,
      updated: 0,
      changed: [{ id: "e1", fields: ["amount", "description"] }],
    });
    const e1 = (await listLedgerEntries(store)).find((r) => r.entry.id === "e1");
    expect(e1?.entry.amountMinor).toBe(50_000);
    expect((await workflowSnapshot(store)).expected_entries).toHaveLength(
      before.expected_entries!.length + 1,
    );
    const updated = await importExpectedEntries(store, edited, { update: true });
    expect(updated).toMatchObject({ updated: 1, unchanged: 1 });
    expect((await listLedgerEntries(store)).find((r) => r.entry.id === "e1")?.entry.amountMinor).toBe(50_100);
    await expect(importExpectedEntries(store, [LEDGER[0]!, LEDGER[0]!])).rejects.toThrow(
      'ledger entry id "e1" appears twice in the input',
    );
  });

  it("runs over the open rows, accepts the sure proposals as `auto` and queues the rest", async () => {
    const calls: EngineCall[] = [];
    const run = await runReconciliation(store, MAY, { actor: "ana", engine: scriptedEngine(SCRIPT, calls) });
    expect(calls[0]?.bank).toEqual(["b1", "b2", "b3", "b4", "b5"]);
    // Ledger entries from 45 days before the period (the engine's window) to 5 days after.
    expect(run.ledgerFrom).toBe("2026-03-17");
    expect(calls[0]?.expected).toEqual(["e1", "e2", "e3", "e4", "e7", "e6", "e5"]);
    expect(run.counts).toMatchObject({ proposed: 4, autoAccepted: 1, waiting: 3, superseded: 0 });
    const auto = await getMatch(
      store,
      run.matchIds[run.result.matches.findIndex((m) => m.expectedIds[0] === "e1")]!,
    );
    expect(auto.match).toMatchObject({ status: "accepted", decidedBy: "auto" });
    expect(auto.match.decidedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    // The export marks what waits for a person as needing review.
    expect(run.result.matches.filter((m) => !m.needsReview).map((m) => m.expectedIds[0])).toEqual(["e1"]);
    const queue = await listReviewQueue(store);
    expect(queue.map((d) => d.match.confidence)).toEqual([0.9, 0.7, 0.5]);
    expect(queue.find((d) => d.match.pending)?.bank[0]?.id).toBe("b4");
    const [record] = await listRuns(store);
    expect(record).toMatchObject({
      id: run.runId,
      actor: "ana",
      from: MAY.from,
      to: MAY.to,
      autoAcceptConfidence: 0.95,
    });
    expect(record?.counts).toMatchObject({ proposed: 4, autoAccepted: 1 });
    // What the auto-acceptance taught.
    expect(await listLearnedAliases(store)).toMatchObject([
      { counterparty: "Acme Supply Co", acceptedCount: 1, weight: 0.6 },
    ]);
  });

  it("works only on open rows the next time, keeps decisions and replaces undecided proposals", async () => {
    const first = await runReconciliation(store, MAY, { actor: "ana", engine: scriptedEngine(SCRIPT) });
    await acceptMatches(store, [await proposalOf(store, "b2", "e2")], { actor: "ana" });
    const calls: EngineCall[] = [];
    const second = await runReconciliation(store, MAY, {
      actor: "ana",
      engine: scriptedEngine(SCRIPT, calls),
    });
    expect(calls[0]?.bank).toEqual(["b3", "b4", "b5"]);
    expect(calls[0]?.expected).toEqual(["e3", "e4", "e7", "e6", "e5"]);
    expect(second.counts).toMatchObject({ superseded: 2, proposed: 2, autoAccepted: 0 });
    // The accepted aliases reach the engine with their weights.
    expect(calls[0]?.learnedAliases.map((a) => [a.counterparty, a.weight]).sort()).toEqual([
      ["Acme Supply Co", 0.6],
      ["Globex", 0.6],
    ]);
    const statuses = await store.db
      .selectFrom("reconciliation_matches")
      .select(["run_id", "review_status"])
      .execute();
    const firstRun = statuses
      .filter((s) => s.run_id === first.runId)
      .map((s) => s.review_status)
      .sort();
    expect(firstRun).toEqual(["accepted", "accepted", "superseded", "superseded"]);
    expect((await listReviewQueue(store)).every((d) => d.match.runId === second.runId)).toBe(true);
  });

  it("never proposes a rejected pairing again, and the row finds another partner", async () => {
    await runReconciliation(store, MAY, { actor: "ana", engine: scriptedEngine(SCRIPT) });
    const wrong = await proposalOf(store, "b5", "e5");
    const outcome = await rejectMatches(store, [wrong], { actor: "bo", reason: "Hooli paid by card" });
    expect(outcome.decided).toEqual([wrong]);
    const run = await runReconciliation(store, MAY, { actor: "ana", engine: scriptedEngine(SCRIPT) });
    const pairs = run.result.matches.map((m) => `${m.bankTransactionIds}-${m.expectedIds}`);
    expect(pairs).not.toContain("b5-e5");
    expect(pairs).toContain("b5-e6");
    expect(run.counts.droppedRejected).toBe(1);
    const [decision] = await listDecisions(store, { matchId: wrong });
    expect(decision).toMatchObject({ kind: "reject", actor: "bo", reason: "Hooli paid by card" });
    // A rejected match cannot be accepted; an accepted one cannot be rejected without undoing it.
    await expect(acceptMatches(store, [wrong], { actor: "ana" })).rejects.toThrow(/was rejected by bo/);
  });

  it("accepts in bulk above a confidence, and undoes an acceptance: rows open, teaching taken back", async () => {
    await runReconciliation(store, MAY, { actor: "ana", engine: scriptedEngine(SCRIPT) });
    const bulk = await acceptAbove(store, 0.8, { actor: "ana" });
    expect(bulk.decided).toHaveLength(1);
    expect((await listReviewQueue(store)).map((d) => d.match.confidence)).toEqual([0.7, 0.5]);
    const globex = bulk.decided[0]!;
    expect((await listLearnedAliases(store)).map((a) => a.counterparty).sort()).toEqual([
      "Acme Supply Co",
      "Globex",
    ]);
    await unmatchMatches(store, [globex], { actor: "ana", reason: "wrong bill" });
    expect((await getMatch(store, globex)).match.status).toBe("unmatched");
    expect((await listLearnedAliases(store)).map((a) => a.counterparty)).toEqual(["Acme Supply Co"]);
    const open = await listLedgerEntries(store, { open: true });
    expect(open.map((r) => r.entry.id)).toContain("e2");
    await expect(
      unmatchMatches(store, [await proposalOf(store, "b5", "e5")], { actor: "ana" }),
    ).rejects.toThrow(/is not accepted \(it is proposed\)/);
  });

  it("matches many entries to one deposit by hand with a fee adjustment that stays with the match", async () => {
    const outcome = await matchManually(store, {
      bankTransactionIds: ["b3"],
      expectedIds: ["e3", "e4"],
      adjustment: { amountMinor: -3_000, reason: "fee" },
      memo: "Initech's bank kept a wire fee",
      actor: "ana",
    });
    expect(outcome).toMatchObject({
      kind: "many_to_one",
      bankTotalMinor: 97_000,
      ledgerTotalMinor: 100_000,
      adjustmentMinor: -3_000,
    });
    const detail = await getMatch(store, outcome.matchId);
    expect(detail.match).toMatchObject({
      status: "accepted",
      decidedBy: "ana",
      origin: "manual",
      memo: "Initech's bank kept a wire fee",
    });
    expect(detail.match.adjustments).toMatchObject([
      { amountMinor: -3_000, reason: "fee", createdBy: "ana" },
    ]);
    expect(detail.differenceMinor).toBe(0);
    // Teaching needs one bank row with named counterparties: Initech, once.
    expect((await listLearnedAliases(store)).map((a) => a.counterparty)).toEqual(["Initech"]);
    // The next run leaves these rows alone.
    const calls: EngineCall[] = [];
    await runReconciliation(store, MAY, { actor: "ana", engine: scriptedEngine(SCRIPT, calls) });
    expect(calls[0]?.bank).not.toContain("b3");
    expect(calls[0]?.expected).not.toContain("e3");
  });

  it("refuses a manual match that cannot be made, saying why, and changes nothing", async () => {
    await runReconciliation(store, MAY, { actor: "ana", engine: scriptedEngine(SCRIPT) });
    const before = await workflowSnapshot(store);
    const attempt = (input: Partial<Parameters<typeof matchManually>[1]>) =>
      matchManually(store, { bankTransactionIds: ["b3"], expectedIds: ["e3", "e4"], actor: "ana", ...input });
    await expect(attempt({ bankTransactionIds: ["nope"] })).rejects.toThrow(
      "no bank transaction nope in this store",
    );
    await expect(attempt({ expectedIds: ["e3", "INV-404"] })).rejects.toThrow(
      "no ledger entry INV-404 in this store",
    );
    await expect(attempt({})).rejects.toThrow(
      "the bank rows add up to 970.00 USD and the ledger entries to 1,000.00 USD, a difference of -30.00: give --adjust -30.00",
    );
    await expect(attempt({ adjustment: { amountMinor: -2_000, reason: "fee" } })).rejects.toThrow(
      /adjustment -20\.00 does not balance.*must be -30\.00/,
    );
    await expect(attempt({ bankTransactionIds: ["b1"], expectedIds: ["e1"] })).rejects.toThrow(
      /bank transaction b1 is already in accepted match m_/,
    );
    await expect(attempt({ actor: " " })).rejects.toThrow(InputError);
    expect(await workflowSnapshot(store)).toEqual(before);
  });

  it("closes a period only when every bank row is reconciled and none is pending, and locks what it closes", async () => {
    await runReconciliation(store, MAY, { actor: "ana", engine: scriptedEngine(SCRIPT) });
    const before = await workflowSnapshot(store);
    await expect(
      closePeriod(store, { accountId: ACCOUNT, through: "2026-05-31", actor: "ana" }),
    ).rejects.toThrow(
      `account ${ACCOUNT} cannot close through 2026-05-31: 1 bank row is pending (b4 on 2026-05-20)`,
    );
    await expect(
      closePeriod(store, { accountId: ACCOUNT, through: "2026-05-18", actor: "ana" }),
    ).rejects.toThrow(
      /2 bank rows are not reconciled \(b2 on 2026-05-10, b3 on 2026-05-15\); .*--allow-unreconciled/,
    );
    await expect(
      closePeriod(store, { accountId: "nope", through: "2026-05-18", actor: "ana" }),
    ).rejects.toThrow('no account "nope" in this store');
    expect(await workflowSnapshot(store)).toEqual(before);
    const closed = await closePeriod(store, {
      accountId: ACCOUNT,
      through: "2026-05-18",
      allowUnreconciled: true,
      actor: "ana",
    });
    expect(closed).toMatchObject({ from: null, lockedBank: 1, lockedExpected: 1, leftOpen: 2 });
    const acme = (await listLedgerEntries(store)).find((r) => r.entry.id === "e1");
    expect(acme?.status).toBe("locked");
    // A decision on the closed period is refused, and so is removing its entry.
    const matchId = acme?.matchId as string;
    const snapshot = await workflowSnapshot(store);
    await expect(unmatchMatches(store, [matchId], { actor: "ana" })).rejects.toThrow(
      `match ${matchId}: bank transaction b1 is in a closed period (account ${ACCOUNT} closed through 2026-05-18 by ana; bankrec reopen`,
    );
    await expect(removeLedgerEntries(store, ["e1"], { actor: "ana" })).rejects.toThrow(
      /e1 is in a closed period/,
    );
    await expect(
      matchManually(store, { bankTransactionIds: ["b1"], expectedIds: ["e5"], actor: "ana" }),
    ).rejects.toThrow(/b1 is in a closed period/);
    expect(await workflowSnapshot(store)).toEqual(snapshot);
    // The unreconciled rows stay workable: b3 is matched by hand, then a second close locks it.
    await matchManually(store, {
      bankTransactionIds: ["b3"],
      expectedIds: ["e3", "e4"],
      adjustment: { amountMinor: -3_000, reason: "fee" },
      actor: "ana",
    });
    const again = await closePeriod(store, {
      accountId: ACCOUNT,
      through: "2026-05-18",
      allowUnreconciled: true,
      actor: "ana",
    });
    expect(again).toMatchObject({ lockedBank: 1, lockedExpected: 2, leftOpen: 1 });
    expect((await listLocks(store)).map((l) => l.throughDate)).toEqual(["2026-05-18", "2026-05-18"]);
  });

  it("holds the bank's change to a locked row for review, and applies it only after a reopen", async () => {
    await runReconciliation(store, MAY, { actor: "ana", engine: scriptedEngine(SCRIPT) });
    await closePeriod(store, { accountId: ACCOUNT, through: "2026-05-08", actor: "ana" });
    const row = (amount: number, merchant: string | null) => ({
      ...bankRow(store, { ...BANK[0]!, amountMinor: amount }),
      merchant_name: merchant,
    });
    // A merchant name is not what was reconciled: it passes. An amount is held.
    const enriched = await holdLockedChanges(
      store.db,
      store.tenantId,
      [row(50_000, "Acme")],
      [],
      store.now(),
    );
    expect(enriched).toMatchObject({ held: 0 });
    expect(enriched.rows).toHaveLength(1);
    const gated = await holdLockedChanges(store.db, store.tenantId, [row(49_000, null)], [], store.now());
    expect(gated).toMatchObject({ held: 1, rows: [], removals: [] });
    // The same change again is recorded once; a removal after it is held too.
    const replay = await holdLockedChanges(store.db, store.tenantId, [row(49_000, null)], [], store.now());
    expect(replay.held).toBe(0);
    const removal = await holdLockedChanges(store.db, store.tenantId, [], ["b1"], store.now());
    expect(removal).toMatchObject({ held: 1, removals: [] });
    const held = await listLockedChanges(store);
    expect(held.map((c) => [c.kind, c.fields, c.stillLocked])).toEqual([
      ["modified", ["amount_minor"], true],
      ["removed", ["removed"], true],
    ]);
    expect(held[0]).toMatchObject({ before: { amount_minor: 50_000 }, after: { amount_minor: 49_000 } });
    expect((await listLocks(store))[0]?.heldChangeCount).toBe(2);
    expect(await applyLockedChanges(store, { actor: "ana" })).toMatchObject({ applied: 0, stillLocked: 2 });
    await expect(
      reopenPeriod(store, { accountId: ACCOUNT, from: "2026-05-01", reason: " ", actor: "ana" }),
    ).rejects.toThrow("reopening a period needs a reason");
    await expect(
      reopenPeriod(store, { accountId: ACCOUNT, from: "2026-05-09", reason: "x", actor: "ana" }),
    ).rejects.toThrow(`account ${ACCOUNT} has no closed period on or after 2026-05-09`);
    const reopened = await reopenPeriod(store, {
      accountId: ACCOUNT,
      from: "2026-05-01",
      reason: "the bank corrected a payment",
      actor: "bo",
    });
    expect(reopened).toMatchObject({ unlockedBank: 1, unlockedExpected: 1, applicableChanges: 2 });
    const applied = await applyLockedChanges(store, { actor: "bo" });
    expect(applied).toMatchObject({ applied: 2, stillLocked: 0, matchesReopened: 1 });
    const b1 = await store.db
      .selectFrom("transactions")
      .selectAll()
      .where("id", "=", "b1")
      .executeTakeFirstOrThrow();
    expect(b1.removed_at).not.toBeNull();
    expect((await listLedgerEntries(store)).find((r) => r.entry.id === "e1")?.status).toBe("open");
    expect((await listDecisions(store)).map((d) => d.kind)).toContain("reopen");
  });

  it("keeps a statement balance with its run, refused in another currency", async () => {
    const before = await workflowSnapshot(store);
    await expect(
      runReconciliation(
        store,
        { ...MAY, accountId: ACCOUNT },
        {
          actor: "ana",
          engine: scriptedEngine(SCRIPT),
          statement: { date: "2026-05-31", balanceMinor: 123_456, currency: "EUR" },
        },
      ),
    ).rejects.toThrow(`the statement balance 1,234.56 is in EUR, but account ${ACCOUNT} is in USD`);
    expect(await workflowSnapshot(store)).toEqual(before);
    await runReconciliation(
      store,
      { ...MAY, accountId: ACCOUNT },
      {
        actor: "ana",
        engine: scriptedEngine(SCRIPT),
        statement: { date: "2026-05-31", balanceMinor: 123_456, currency: "USD" },
      },
    );
    expect((await listRuns(store))[0]?.statement).toEqual({
      date: "2026-05-31",
      balanceMinor: 123_456,
      currency: "USD",
    });
  });

  it("keeps a snapshot run (the demo's) as a record: never in the queue, never a decision", async () => {
    const { saveReconciliationRun } = await import("../store/index.js");
    const result = scriptedEngine(SCRIPT)(
      BANK.map((b) => ({
        ...b,
        accountId: ACCOUNT,
        currency: "USD",
        authorizedDate: null,
        merchantName: null,
        checkNumber: null,
        pending: b.pending === true,
      })),
      LEDGER,
      {},
    );
    await saveReconciliationRun(store, result, { demo: true });
    expect(await listReviewQueue(store)).toEqual([]);
    expect((await listLedgerEntries(store)).every((r) => r.status === "open")).toBe(true);
    const calls: EngineCall[] = [];
    await runReconciliation(store, MAY, { actor: "ana", engine: scriptedEngine(SCRIPT, calls) });
    expect(calls[0]?.bank).toHaveLength(BANK.length);
  });

  it("removes open ledger entries with a record, and refuses one in an accepted match", async () => {
    await runReconciliation(store, MAY, { actor: "ana", engine: scriptedEngine(SCRIPT) });
    const before = await workflowSnapshot(store);
    await expect(removeLedgerEntries(store, ["e1"], { actor: "ana" })).rejects.toThrow(
      /ledger entry e1 is in accepted match m_\w+: undo it first/,
    );
    await expect(removeLedgerEntries(store, ["e5", "zzz"], { actor: "ana" })).rejects.toThrow(
      "no ledger entry zzz in this store",
    );
    expect(await workflowSnapshot(store)).toEqual(before);
    const removed = await removeLedgerEntries(store, ["e5"], { actor: "ana" });
    expect(removed).toEqual({ removed: 1, replacedProposals: 1 });
    expect((await listDecisions(store))[0]).toMatchObject({
      kind: "remove_entry",
      detail: { entry: { id: "e5" } },
    });
  });
});
