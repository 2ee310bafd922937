import { describe, expect, it } from "vitest";
import type { BankTransaction, ExpectedEntry } from "../src/domain/index.js";
import { sampleLedger } from "../src/emulator/index.js";
import type { PlaidGateway, PlaidTransactionRecord, SyncStep } from "../src/plaid/index.js";
import { reconcile } from "../src/reconcile/index.js";
import { listTransactions, type Store } from "../src/store/index.js";
import { syncItem } from "../src/sync/index.js";
import {
  acceptMatches,
  closePeriod,
  type Engine,
  importExpectedEntries,
  listDecisions,
  listLedgerEntries,
  listLockedChanges,
  listReviewQueue,
  matchManually,
  pairingKey,
  rejectMatches,
  runReconciliation,
  unmatchMatches,
} from "../src/workflow/index.js";
import { useEmulatedStore } from "./support/emulated-store.js";
import { storeCases } from "./support/stores.js";
import { workflowSnapshot } from "./support/workflow-books.js";

const cases = await storeCases();

/**
 * The reconciliation workflow end to end on the emulator's bank and a generated ledger: a
 * month reconciled, decided (accepted, rejected, matched by hand with a fee), closed; then new
 * rows synced while the bank changes and removes locked rows, and the month run again.
 */

/** A gateway that passes the emulator's pages through, keeps every record, and adds changes to the next run's first page. */
function recordingGateway(inner: PlaidGateway) {
  const seen = new Map<string, PlaidTransactionRecord>();
  const inject = { modified: [] as PlaidTransactionRecord[], removed: [] as string[] };
  async function* pass(
    steps: AsyncGenerator<SyncStep, void, undefined>,
  ): AsyncGenerator<SyncStep, void, undefined> {
    let first = true;
    for await (const step of steps) {
      if (step.kind !== "page") {
        yield step;
        continue;
      }
      for (const record of [...step.added, ...step.modified]) seen.set(record.id, record);
      if (!first) {
        yield step;
        continue;
      }
      first = false;
      yield {
        ...step,
        modified: [...step.modified, ...inject.modified.splice(0)],
        removed: [...step.removed, ...inject.removed.splice(0)],
      };
    }
  }
  const gateway = Object.create(inner) as PlaidGateway;
  Object.defineProperty(gateway, "syncTransactions", {
    value: (
      token: Parameters<PlaidGateway["syncTransactions"]>[0],
      options?: Parameters<PlaidGateway["syncTransactions"]>[1],
    ) => pass(inner.syncTransactions(token, options)),
  });
  return { gateway, seen, inject };
}

/** The engine, recording what it was given. */
function watchedEngine(calls: { bank: string[]; expected: string[] }[]): Engine {
  return (bank, expected, options) => {
    calls.push({ bank: bank.map((b) => b.id), expected: expected.map((e) => e.id) });
    return reconcile(bank, expected, options);
  };
}

async function acceptedBankIds(store: Store): Promise<Set<string>> {
  const rows = await store.db
    .selectFrom("match_members as mm")
    .innerJoin("reconciliation_matches as m", "m.id", "mm.match_id")
    .select("mm.member_id")
    .where("m.review_status", "=", "accepted")
    .where("mm.side", "=", "bank")
    .execute();
  return new Set(rows.map((r) => r.member_id));
}

function dayBefore(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
}

describe.each(cases)("the reconciliation workflow on the emulator's books ($dialect)", (storeCase) => {
  const env = useEmulatedStore(storeCase, 23);

  it.skipIf(!storeCase.available)(
    "reconciles, decides and closes a month; later bank changes to it are held, and the next run works only on what is open",
    async () => {
      const { store, itemId } = await env.linkedStore();
      const recorder = recordingGateway(env.gateway);
      try {
        expect((await syncItem(store, recorder.gateway, itemId)).outcome).toBe("synced");
        const bank: BankTransaction[] = await listTransactions(store, { itemId, limit: 100_000 });
        const ledger = sampleLedger(bank, { seed: 23 });
        const period = ledger.period;
        if (period === null) throw new Error("the emulator's item has no posted rows");
        // The many-to-one payouts booked as sales less a fee entry: the fee goes into the match's
        // adjustment instead, so that one deposit is matched by hand with a fee adjustment.
        const payout = ledger.truth.find(
          (g) =>
            g.kind === "many_to_one" &&
            g.expectedIds.some((id) => (ledger.entries.find((e) => e.id === id)?.amountMinor ?? 0) < 0),
        );
        if (payout === undefined) throw new Error("the generated ledger has no payout net of a fee");
        const feeEntry = ledger.entries.find(
          (e) => payout.expectedIds.includes(e.id) && e.amountMinor < 0,
        ) as ExpectedEntry;
        const entries = ledger.entries.filter((e) => e.id !== feeEntry.id);
        const imported = await importExpectedEntries(store, entries);
        expect(imported.added).toBe(entries.length);

        // 1. The month: the sure proposals accepted automatically, the rest in the queue.
        const calls: { bank: string[]; expected: string[] }[] = [];
        const first = await runReconciliation(store, period, { actor: "ana", engine: watchedEngine(calls) });
        expect(first.counts.autoAccepted).toBeGreaterThan(0);
        expect(first.counts.waiting).toBeGreaterThan(1);
        const truthPairs = new Set(
          ledger.truth.flatMap((g) => g.bankIds.flatMap((b) => g.expectedIds.map((e) => `${b}|${e}`))),
        );
        const decidedAuto = first.result.matches.filter((m) => !m.needsReview);
        for (const m of decidedAuto)
          for (const b of m.bankTransactionIds)
            for (const e of m.expectedIds) expect(truthPairs).toContain(`${b}|${e}`);

        // 2. Decisions: accept one proposal, reject another (a wrong one when there is one).
        const queue = await listReviewQueue(store);
        const payoutBank = payout.bankIds[0] as string;
        const candidates = queue.filter((d) => !d.match.bankTransactionIds.includes(payoutBank));
        const isTrue = (d: (typeof queue)[number]) =>
          d.match.bankTransactionIds.every((b) =>
            d.match.expectedIds.every((e) => truthPairs.has(`${b}|${e}`)),
          );
        const toReject = candidates.find((d) => !isTrue(d)) ?? candidates[candidates.length - 1];
        const toAccept = candidates.find((d) => d !== toReject && isTrue(d) && !d.match.pending);
        if (toReject === undefined || toAccept === undefined)
          throw new Error("the queue is too short to decide on");
        await acceptMatches(store, [toAccept.match.id], { actor: "ana" });
        await rejectMatches(store, [toReject.match.id], { actor: "bo", reason: "not this pairing" });
        const rejectedKey = pairingKey(toReject.match.bankTransactionIds, toReject.match.expectedIds);

        // 3. By hand: the payout's deposit with its sales, the processor's fee as the adjustment.
        const heldByEngine = (await acceptedBankIds(store)).has(payoutBank);
        if (heldByEngine) {
          const [m] = await store.db
            .selectFrom("match_members as mm")
            .innerJoin("reconciliation_matches as m", "m.id", "mm.match_id")
            .select("m.id")
            .where("m.review_status", "=", "accepted")
            .where("mm.member_id", "=", payoutBank)
            .execute();
          await unmatchMatches(store, [m?.id as string], {
            actor: "ana",
            reason: "book the fee as an adjustment",
          });
        }
        const sales = payout.expectedIds.filter((id) => id !== feeEntry.id);
        const before = await workflowSnapshot(store);
        await expect(
          matchManually(store, { bankTransactionIds: [payoutBank], expectedIds: sales, actor: "ana" }),
        ).rejects.toThrow(/a difference of -\d+\.\d\d: give --adjust/);
        expect(await workflowSnapshot(store)).toEqual(before);
        const manual = await matchManually(store, {
          bankTransactionIds: [payoutBank],
          expectedIds: sales,
          adjustment: { amountMinor: feeEntry.amountMinor, reason: "fee" },
          memo: "processor fee",
          actor: "ana",
        });
        expect(manual).toMatchObject({ kind: "many_to_one", adjustmentMinor: feeEntry.amountMinor });

        // 4. Close the payout's account through the day before its first pending row.
        const account = bank.find((b) => b.id === payoutBank)?.accountId as string;
        const pendings = bank
          .filter((b) => b.accountId === account && b.pending)
          .map((b) => b.date)
          .sort();
        const through = pendings.length === 0 ? period.to : dayBefore(pendings[0] as string);
        if (pendings.length > 0) {
          const unchanged = await workflowSnapshot(store);
          await expect(
            closePeriod(store, { accountId: account, from: period.from, through: period.to, actor: "ana" }),
          ).rejects.toThrow(/pending/);
          expect(await workflowSnapshot(store)).toEqual(unchanged);
        }
        const closed = await closePeriod(store, {
          accountId: account,
          from: period.from,
          through,
          allowUnreconciled: true,
          actor: "ana",
        });
        expect(closed.lockedBank).toBeGreaterThan(1);
        const lockedRows = await store.db
          .selectFrom("locked_rows")
          .select("row_id")
          .where("side", "=", "bank")
          .execute();
        const locked = lockedRows.map((r) => r.row_id);
        expect(locked).toContain(payoutBank);
        const stored = async () =>
          new Map(
            (await listTransactions(store, { itemId, limit: 100_000, includeRemoved: true })).map((t) => [
              t.id,
              t,
            ]),
          );
        const atClose = await stored();

        // 5. New rows arrive; the bank changes one locked row's amount and removes another.
        const changedId = payoutBank;
        const removedId = locked.find((id) => id !== payoutBank) as string;
        const record = recorder.seen.get(changedId) as PlaidTransactionRecord;
        recorder.inject.modified.push({ ...record, amountMinor: record.amountMinor - 100 });
        recorder.inject.removed.push(removedId);
        await env.emu.clock.advance(3);
        const report = await syncItem(store, recorder.gateway, itemId);
        expect(report).toMatchObject({ outcome: "synced", heldLockedChanges: 2 });
        if (report.outcome === "synced") expect(report.added).toBeGreaterThan(0);
        const afterSync = await stored();
        for (const id of locked) {
          const was = atClose.get(id);
          const now = afterSync.get(id);
          expect([now?.amountMinor, now?.date, now?.removedAt]).toEqual([
            was?.amountMinor,
            was?.date,
            was?.removedAt,
          ]);
        }
        const held = await listLockedChanges(store);
        expect(held.map((c) => [c.transactionId, c.kind, c.fields])).toEqual([
          [changedId, "modified", ["amount_minor"]],
          [removedId, "removed", ["removed"]],
        ]);

        // 6. The month again, to today: only open rows, rejected pairing never proposed again.
        const today = env.emu.clock.today();
        const accepted = await acceptedBankIds(store);
        const again: { bank: string[]; expected: string[] }[] = [];
        const second = await runReconciliation(
          store,
          { from: period.from, to: today },
          { actor: "ana", engine: watchedEngine(again) },
        );
        const input = again[0]?.bank ?? [];
        for (const id of input) expect(accepted.has(id)).toBe(false);
        for (const id of locked) expect(input).not.toContain(id);
        const newRows = [...afterSync.values()].filter(
          (t) => !atClose.has(t.id) && t.removedAt === null && t.date <= today,
        );
        expect(newRows.length).toBeGreaterThan(0);
        for (const t of newRows) expect(input).toContain(t.id);
        const proposed = second.result.matches.map((m) => pairingKey(m.bankTransactionIds, m.expectedIds));
        expect(proposed).not.toContain(rejectedKey);
        // The engine proposed it again on the same open rows: the run left it out.
        expect(second.counts.droppedRejected).toBeGreaterThan(0);
        expect(second.counts.superseded).toBeGreaterThan(0);
        const payoutEntries = await listLedgerEntries(store);
        for (const id of sales) expect(payoutEntries.find((r) => r.entry.id === id)?.status).toBe("locked");
        expect((await listDecisions(store)).map((d) => d.kind)).toEqual(
          expect.arrayContaining(["accept", "reject", "manual_match", "close"]),
        );
      } finally {
        await store.close();
      }
    },
  );

  it.skipIf(!storeCase.available)(
    "carries an accepted match from a pending row to the row that posts it",
    async () => {
      const { store, itemId } = await env.linkedStore();
      try {
        await syncItem(store, env.gateway, itemId);
        const pending = (await listTransactions(store, { itemId })).filter((t) => t.pending);
        const target = pending[0];
        if (target === undefined) throw new Error("no pending row");
        await importExpectedEntries(store, [
          {
            id: "L-pending",
            date: target.date,
            amountMinor: target.amountMinor,
            currency: target.currency,
            description: "card purchase",
            counterparty: null,
            reference: null,
            accountId: target.accountId,
          },
        ]);
        const manual = await matchManually(store, {
          bankTransactionIds: [target.id],
          expectedIds: ["L-pending"],
          actor: "ana",
        });
        let posted: { id: string; amountMinor: number } | undefined;
        for (let day = 0; day < 10 && posted === undefined; day++) {
          await env.emu.clock.advance(1);
          await syncItem(store, env.gateway, itemId);
          posted = (await listTransactions(store, { itemId })).find(
            (t) => t.pendingTransactionId === target.id,
          );
        }
        if (posted === undefined) throw new Error("the pending row never posted");
        const [members] = [
          await store.db
            .selectFrom("match_members")
            .select("member_id")
            .where("match_id", "=", manual.matchId)
            .where("side", "=", "bank")
            .execute(),
        ];
        expect(members?.map((m) => m.member_id)).toEqual([posted.id]);
        const status = await store.db
          .selectFrom("reconciliation_matches")
          .select("review_status")
          .where("id", "=", manual.matchId)
          .executeTakeFirstOrThrow();
        // At the same amount it stays accepted; a tip sends it back to the review queue.
        expect(status.review_status).toBe(
          posted.amountMinor === target.amountMinor ? "accepted" : "needs_review",
        );
      } finally {
        await store.close();
      }
    },
  );
});
