import { describe, expect, it } from "vitest";
import { useEmulatedStore } from "../../test/support/emulated-store.js";
import { expectStoreEqualsTruth } from "../../test/support/store-truth.js";
import { storeCases } from "../../test/support/stores.js";
import { addDays } from "../emulator/dates.js";
import { BusyError } from "../errors/index.js";
import { editTransaction, getItem, listTransactions } from "../store/index.js";
import { backfillTransactions } from "./backfill.js";
import { withItemLock } from "./item-lock.js";
import { syncItem } from "./sync-item.js";

const cases = await storeCases();

describe.each(cases)("backfill on $dialect", (storeCase) => {
  const env = useEmulatedStore(storeCase, 31);

  const wholeHistory = () => ({ from: addDays(env.emu.clock.today(), -729), to: env.emu.clock.today() });

  it.skipIf(!storeCase.available)(
    "copies a range by pages of 500 without a cursor, and a later sync ends in the exact truth",
    async () => {
      const { store, itemId } = await env.linkedStore({ transactionCount: 1_200 });
      try {
        const first = await backfillTransactions(store, env.gateway, itemId, wholeHistory());
        expect(first.pages).toBe(Math.ceil(first.transactions / 500));
        expect(first.pages).toBeGreaterThan(1);
        await expectStoreEqualsTruth(store, env.emu, itemId);
        expect((await getItem(store, itemId)).cursor).toBeNull();
        // History moves on: pending rows post under new ids. The backfill sees the posted rows
        // but leaves the stale pending ones for sync's removed list.
        await env.emu.clock.advance(2);
        const again = await backfillTransactions(store, env.gateway, itemId, wholeHistory());
        expect(again.transactions).toBe(env.emu.admin.itemTruth(itemId).transactions.length);
        const live = await listTransactions(store, { itemId, limit: 100_000 });
        expect(live.length).toBeGreaterThan(again.transactions);
        expect((await syncItem(store, env.gateway, itemId)).outcome).toBe("synced");
        await expectStoreEqualsTruth(store, env.emu, itemId);
      } finally {
        await store.close();
      }
    },
  );

  it.skipIf(!storeCase.available)(
    "keeps a person's edits and the sync cursor, and its rows are harmless to the next sync",
    async () => {
      const { store, itemId } = await env.linkedStore();
      try {
        expect((await syncItem(store, env.gateway, itemId)).outcome).toBe("synced");
        const { cursor } = await getItem(store, itemId);
        const posted = (await listTransactions(store, { itemId })).find((t) => !t.pending);
        if (posted === undefined) throw new Error("no posted row");
        await editTransaction(store, posted.id, { note: "paid by the client", category: "TRAVEL" });
        await backfillTransactions(store, env.gateway, itemId, wholeHistory());
        const after = (await listTransactions(store, { itemId })).find((t) => t.id === posted.id);
        expect(after?.edits).toMatchObject({ note: "paid by the client", category: "TRAVEL" });
        expect((await getItem(store, itemId)).cursor).toBe(cursor);
        await expectStoreEqualsTruth(store, env.emu, itemId);
        await env.emu.clock.advance(1);
        await backfillTransactions(store, env.gateway, itemId, wholeHistory());
        expect((await syncItem(store, env.gateway, itemId)).outcome).toBe("synced");
        await expectStoreEqualsTruth(store, env.emu, itemId);
        const kept = (await listTransactions(store, { itemId })).find((t) => t.id === posted.id);
        expect(kept?.edits).toMatchObject({ note: "paid by the client", category: "TRAVEL" });
      } finally {
        await store.close();
      }
    },
  );

  it.skipIf(!storeCase.available)("waits for no sync: it refuses while the item's lock is held", async () => {
    const { store, itemId } = await env.linkedStore();
    try {
      await withItemLock(store, itemId, {}, async () => {
        await expect(backfillTransactions(store, env.gateway, itemId, wholeHistory())).rejects.toBeInstanceOf(
          BusyError,
        );
      });
      expect(await listTransactions(store, { itemId })).toEqual([]);
    } finally {
      await store.close();
    }
  });
});
