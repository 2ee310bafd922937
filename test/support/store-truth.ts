import { expect } from "vitest";
import type { Emulator } from "../../src/emulator/index.js";
import { toPlaidTransactionRecord } from "../../src/plaid/index.js";
import { listTransactions, type Store } from "../../src/store/index.js";

/** The fields that must agree between the store and the emulator's truth, one line a row. */
function fingerprint(row: {
  id: string;
  accountId: string;
  amountMinor: number;
  currency: string;
  date: string;
  name: string;
  pending: boolean;
  pendingTransactionId: string | null;
}): string {
  return [
    row.id,
    row.accountId,
    row.amountMinor,
    row.currency,
    row.date,
    row.name,
    row.pending,
    row.pendingTransactionId,
  ].join("|");
}

/**
 * Asserts the store's live transactions of the item equal the emulator's current truth
 * exactly: no lost row, no duplicate, no stale pending row, the same amounts and dates.
 */
export async function expectStoreEqualsTruth(store: Store, emu: Emulator, itemId: string): Promise<number> {
  const truth = emu.admin.itemTruth(itemId).transactions.map((t) => fingerprint(toPlaidTransactionRecord(t)));
  const stored = (await listTransactions(store, { itemId, limit: 10_000_000 })).map((t) =>
    fingerprint({ ...t, accountId: t.accountId }),
  );
  truth.sort();
  stored.sort();
  expect(new Set(stored).size).toBe(stored.length);
  const storedSet = new Set(stored);
  const truthSet = new Set(truth);
  const missing = truth.filter((line) => !storedSet.has(line));
  const extra = stored.filter((line) => !truthSet.has(line));
  expect({ missing: missing.slice(0, 5), extra: extra.slice(0, 5) }).toEqual({ missing: [], extra: [] });
  expect(stored.length).toBe(truth.length);
  return stored.length;
}
