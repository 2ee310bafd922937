import { describe, expect, it } from "vitest";
import { useEmulatedStore } from "../../test/support/emulated-store.js";
import { expectStoreEqualsTruth } from "../../test/support/store-truth.js";
import { storeCases } from "../../test/support/stores.js";
import type { ReconcileResult } from "../reconcile/index.js";
import {
  editTransaction,
  getItem,
  listMatches,
  listTransactions,
  saveReconciliationRun,
} from "../store/index.js";
import { withItemLock } from "./item-lock.js";
import { syncItem } from "./sync-item.js";

const cases = await storeCases();

describe.each(cases)("sync on $dialect", (storeCase) => {
  const env = useEmulatedStore(storeCase, 11);

  it.skipIf(!storeCase.available)(
    "copies an item exactly, follows its changes, and a replay changes nothing",
    async () => {
      const { store, itemId } = await env.linkedStore();
      try {
        const first = await syncItem(store, env.gateway, itemId, { count: 100 });
        expect(first.outcome).toBe("synced");
        await expectStoreEqualsTruth(store, env.emu, itemId);
        for (let day = 0; day < 3; day++) {
          await env.emu.clock.advance(1);
          const next = await syncItem(store, env.gateway, itemId);
          expect(next.outcome).toBe("synced");
          await expectStoreEqualsTruth(store, env.emu, itemId);
        }
        const replay = await syncItem(store, env.gateway, itemId);
        expect(replay).toMatchObject({ outcome: "synced", added: 0, modified: 0, removed: 0 });
        await expectStoreEqualsTruth(store, env.emu, itemId);
      } finally {
        await store.close();
      }
    },
  );

  it.skipIf(!storeCase.available)(
    "carries a person's edits from a pending row to the row that posts it",
    async () => {
      const { store, itemId } = await env.linkedStore();
      try {
        await syncItem(store, env.gateway, itemId);
        const pending = (await listTransactions(store, { itemId })).filter((t) => t.pending);
        expect(pending.length).toBeGreaterThan(0);
        const target = pending[0];
        if (target === undefined) throw new Error("no pending row");
        await editTransaction(store, target.id, { note: "client lunch", tags: ["billable"] });
        await saveReconciliationRun(store, {
          status: "needs_review",
          matches: [
            {
              kind: "one_to_one",
              bankTransactionIds: [target.id],
              expectedIds: ["L-1"],
              confidence: 0.9,
              reasons: [],
              amountDifferenceMinor: 0,
              currency: target.currency,
              pending: true,
              needsReview: true,
            },
          ],
          unmatchedBank: [],
          unmatchedExpected: [],
          summary: {} as ReconcileResult["summary"],
        });
        await env.emu.clock.advance(2);
        const report = await syncItem(store, env.gateway, itemId);
        expect(report.outcome === "synced" && report.carriedOver).toBeGreaterThan(0);
        const all = await listTransactions(store, { itemId, includeRemoved: true });
        const posted = all.find((t) => t.pendingTransactionId === target.id);
        expect(posted?.edits).toMatchObject({ note: "client lunch", tags: ["billable"] });
        expect(all.find((t) => t.id === target.id)?.removedAt).not.toBeNull();
        const [match] = await listMatches(store);
        expect(match?.bankTransactionIds).toEqual([posted?.id]);
        await expectStoreEqualsTruth(store, env.emu, itemId);
      } finally {
        await store.close();
      }
    },
  );

  it.skipIf(!storeCase.available)(
    "ends in the exact state under 5% 429s and 500s and mutations during pagination",
    async () => {
      const { store, itemId, accessToken } = await env.linkedStore({ transactionCount: 3000 });
      try {
        env.emu.faults.set({ kind: "rate_limit", item: accessToken, probability: 0.05 });
        env.emu.faults.set({ kind: "server_error", item: accessToken, probability: 0.05 });
        env.emu.faults.set({
          kind: "mutation_during_pagination",
          item: accessToken,
          endpoint: "/transactions/sync",
          times: 2,
        });
        const first = await syncItem(store, env.gateway, itemId, { count: 100 });
        expect(first.outcome === "synced" && first.restarts).toBe(2);
        await env.emu.clock.advance(1);
        await syncItem(store, env.gateway, itemId, { count: 50 });
        env.emu.faults.clear();
        await expectStoreEqualsTruth(store, env.emu, itemId);
      } finally {
        env.emu.faults.clear();
        await store.close();
      }
    },
  );

  it.skipIf(!storeCase.available)(
    "marks an item that needs its user and says what to do, keeping the cursor",
    async () => {
      const { store, itemId } = await env.linkedStore();
      try {
        await syncItem(store, env.gateway, itemId);
        const before = await getItem(store, itemId);
        env.emu.admin.setLoginRequired(itemId, true);
        await env.emu.clock.advance(1);
        const report = await syncItem(store, env.gateway, itemId);
        expect(report.outcome).toBe("item_error");
        const item = await getItem(store, itemId);
        expect(item).toMatchObject({
          status: "login_required",
          errorCode: "ITEM_LOGIN_REQUIRED",
          cursor: before.cursor,
        });
        expect(item.errorMessage).toContain("bankrec link --update");
        env.emu.admin.setLoginRequired(itemId, false);
        expect((await syncItem(store, env.gateway, itemId)).outcome).toBe("synced");
        expect((await getItem(store, itemId)).status).toBe("ok");
        await expectStoreEqualsTruth(store, env.emu, itemId);
      } finally {
        await store.close();
      }
    },
  );

  it.skipIf(!storeCase.available)(
    "refuses a second sync of the same item while one holds the lock",
    async () => {
      const { store, itemId } = await env.linkedStore();
      const other = await storeCase.open();
      try {
        await withItemLock(store, itemId, {}, async () => {
          await expect(syncItem(store, env.gateway, itemId)).rejects.toThrow(/another sync of item/);
        });
        expect((await syncItem(store, env.gateway, itemId)).outcome).toBe("synced");
      } finally {
        await other.close();
        await store.close();
      }
    },
  );
});
