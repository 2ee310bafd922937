import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectStoreEqualsTruth } from "../../test/support/store-truth.js";
import { storeCases } from "../../test/support/stores.js";
import { addDays } from "../emulator/dates.js";
import { type Emulator, startEmulator } from "../emulator/index.js";
import { BusyError } from "../errors/index.js";
import { PlaidGateway } from "../plaid/index.js";
import { toSecret } from "../secrets/index.js";
import { editTransaction, getItem, listTransactions, type Store, saveItem } from "../store/index.js";
import { backfillTransactions } from "./backfill.js";
import { withItemLock } from "./item-lock.js";
import { syncItem } from "./sync-item.js";

const cases = await storeCases();
const FAST_RETRY = { delayBaseMs: 1, delayMaxMs: 2 };

describe.each(cases)("backfill on $dialect", (storeCase) => {
  let emu: Emulator;
  let gateway: PlaidGateway;

  beforeAll(async () => {
    emu = await startEmulator({ seed: 31 });
    gateway = new PlaidGateway({
      config: { clientId: emu.credentials.clientId, secret: emu.credentials.secret, baseUrl: emu.url },
      retry: FAST_RETRY,
    });
  });
  afterAll(async () => {
    await emu.close();
    await storeCase.cleanup();
  });

  async function linkedStore(transactionCount?: number): Promise<{ store: Store; itemId: string }> {
    const store = await storeCase.open();
    const { itemId, accessToken } = await emu.admin.createItem({
      user: "user_transactions_dynamic",
      ...(transactionCount === undefined ? {} : { transactionCount }),
    });
    await saveItem(store, { id: itemId, accessToken: toSecret(accessToken), institutionId: null });
    return { store, itemId };
  }

  const wholeHistory = () => ({ from: addDays(emu.clock.today(), -729), to: emu.clock.today() });

  it.skipIf(!storeCase.available)(
    "copies a range by pages of 500 without a cursor, and a later sync ends in the exact truth",
    async () => {
      const { store, itemId } = await linkedStore(1_200);
      try {
        const first = await backfillTransactions(store, gateway, itemId, wholeHistory());
        expect(first.pages).toBe(Math.ceil(first.transactions / 500));
        expect(first.pages).toBeGreaterThan(1);
        await expectStoreEqualsTruth(store, emu, itemId);
        expect((await getItem(store, itemId)).cursor).toBeNull();
        // History moves on: pending rows post under new ids. The backfill sees the posted rows
        // but leaves the stale pending ones for sync's removed list.
        await emu.clock.advance(2);
        const again = await backfillTransactions(store, gateway, itemId, wholeHistory());
        expect(again.transactions).toBe(emu.admin.itemTruth(itemId).transactions.length);
        const live = await listTransactions(store, { itemId, limit: 100_000 });
        expect(live.length).toBeGreaterThan(again.transactions);
        expect((await syncItem(store, gateway, itemId)).outcome).toBe("synced");
        await expectStoreEqualsTruth(store, emu, itemId);
      } finally {
        await store.close();
      }
    },
  );

  it.skipIf(!storeCase.available)(
    "keeps a person's edits and the sync cursor, and its rows are harmless to the next sync",
    async () => {
      const { store, itemId } = await linkedStore();
      try {
        expect((await syncItem(store, gateway, itemId)).outcome).toBe("synced");
        const { cursor } = await getItem(store, itemId);
        const posted = (await listTransactions(store, { itemId })).find((t) => !t.pending);
        if (posted === undefined) throw new Error("no posted row");
        await editTransaction(store, posted.id, { note: "paid by the client", category: "TRAVEL" });
        await backfillTransactions(store, gateway, itemId, wholeHistory());
        const after = (await listTransactions(store, { itemId })).find((t) => t.id === posted.id);
        expect(after?.edits).toMatchObject({ note: "paid by the client", category: "TRAVEL" });
        expect((await getItem(store, itemId)).cursor).toBe(cursor);
        await expectStoreEqualsTruth(store, emu, itemId);
        await emu.clock.advance(1);
        await backfillTransactions(store, gateway, itemId, wholeHistory());
        expect((await syncItem(store, gateway, itemId)).outcome).toBe("synced");
        await expectStoreEqualsTruth(store, emu, itemId);
        const kept = (await listTransactions(store, { itemId })).find((t) => t.id === posted.id);
        expect(kept?.edits).toMatchObject({ note: "paid by the client", category: "TRAVEL" });
      } finally {
        await store.close();
      }
    },
  );

  it.skipIf(!storeCase.available)("waits for no sync: it refuses while the item's lock is held", async () => {
    const { store, itemId } = await linkedStore();
    try {
      await withItemLock(store, itemId, {}, async () => {
        await expect(backfillTransactions(store, gateway, itemId, wholeHistory())).rejects.toBeInstanceOf(
          BusyError,
        );
      });
      expect(await listTransactions(store, { itemId })).toEqual([]);
    } finally {
      await store.close();
    }
  });
});
