import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { sql } from "kysely";
import { BusyError } from "../errors/index.js";
import type { Store } from "../store/index.js";

/** A lease lasts this long unless renewed; a sync renews it on every page. */
export const LEASE_MS = 60_000;
const POLL_MS = 100;

export interface ItemLock {
  /** Extends the lease (SQLite); a no-op on Postgres, whose lock lives with the session. */
  renew(): Promise<void>;
  release(): Promise<void>;
}

/**
 * Runs `work` holding the item's lock, so that no two syncs of one item run at once, across
 * processes. Postgres: a session advisory lock on a pinned connection (the server frees it
 * when the session dies, even after SIGKILL). SQLite: a lease row, taken over when it has
 * expired or when its owner was a process of this host that no longer exists.
 *
 * @throws BusyError when the lock is still held after `waitMs` (default 0: try once).
 */
export async function withItemLock<T>(
  store: Store,
  itemId: string,
  options: { readonly waitMs?: number },
  work: (lock: ItemLock) => Promise<T>,
): Promise<T> {
  const waitMs = options.waitMs ?? 0;
  if (store.dialect === "postgres") return withAdvisoryLock(store, itemId, waitMs, work);
  const lock = await acquireLease(store, itemId, waitMs);
  try {
    return await work(lock);
  } finally {
    await lock.release();
  }
}

function busy(itemId: string): BusyError {
  return new BusyError(`another sync of item ${itemId} is running; try again when it ends`);
}

async function withAdvisoryLock<T>(
  store: Store,
  itemId: string,
  waitMs: number,
  work: (lock: ItemLock) => Promise<T>,
): Promise<T> {
  return store.db.connection().execute(async (connection) => {
    const key = sql`hashtextextended(${`bankrec:sync:${itemId}`}, 0)`;
    const deadline = Date.now() + waitMs;
    for (;;) {
      const { rows } = await sql<{ locked: boolean }>`select pg_try_advisory_lock(${key}) as locked`.execute(
        connection,
      );
      if (rows[0]?.locked === true) break;
      if (Date.now() >= deadline) throw busy(itemId);
      await sleep(POLL_MS);
    }
    try {
      return await work({ renew: async () => undefined, release: async () => undefined });
    } finally {
      await sql`select pg_advisory_unlock(${key})`.execute(connection);
    }
  });
}

async function acquireLease(store: Store, itemId: string, waitMs: number): Promise<ItemLock> {
  const owner = randomUUID();
  const host = hostname();
  const deadline = Date.now() + waitMs;
  const expiresAt = () => new Date(Date.now() + LEASE_MS).toISOString();
  for (;;) {
    const now = new Date().toISOString();
    // One statement, so two processes racing for the row cannot both win.
    await store.db
      .insertInto("sync_locks")
      .values({ item_id: itemId, owner, pid: process.pid, host, expires_at: expiresAt() })
      .onConflict((conflict) =>
        conflict
          .column("item_id")
          .doUpdateSet({ owner, pid: process.pid, host, expires_at: expiresAt() })
          .where("sync_locks.expires_at", "<", now),
      )
      .execute();
    const holder = await store.db
      .selectFrom("sync_locks")
      .selectAll()
      .where("item_id", "=", itemId)
      .executeTakeFirst();
    if (holder?.owner === owner) break;
    if (holder !== undefined && holder.host === host && !processAlive(holder.pid)) {
      await store.db
        .deleteFrom("sync_locks")
        .where("item_id", "=", itemId)
        .where("owner", "=", holder.owner)
        .execute();
      continue;
    }
    if (Date.now() >= deadline) throw busy(itemId);
    await sleep(POLL_MS);
  }
  return {
    renew: async () => {
      await store.db
        .updateTable("sync_locks")
        .set({ expires_at: expiresAt() })
        .where("item_id", "=", itemId)
        .where("owner", "=", owner)
        .execute();
    },
    release: async () => {
      await store.db
        .deleteFrom("sync_locks")
        .where("item_id", "=", itemId)
        .where("owner", "=", owner)
        .execute();
    },
  };
}

function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
