import type { PlaidTransaction } from "./transaction.js";

/**
 * An item's transaction history as an append-only log of changes, and the current state it
 * folds to. A sync cursor is a position in this log, so replaying from a cursor always
 * returns the same changes.
 */

export type ChangeKind = "added" | "modified" | "removed";

export interface Change {
  readonly kind: ChangeKind;
  /** The transaction after the change (for "removed", as it was when removed). */
  readonly transaction: PlaidTransaction;
}

/** Net effect of a slice of the log: each transaction id at most once. */
export interface NetChanges {
  readonly added: PlaidTransaction[];
  readonly modified: PlaidTransaction[];
  readonly removed: { transaction_id: string; account_id: string }[];
}

export class ChangeLog {
  // Two parallel arrays rather than an object per entry: a large item's log is long.
  private readonly kinds: ChangeKind[] = [];
  private readonly snapshots: PlaidTransaction[] = [];
  private readonly current = new Map<string, PlaidTransaction>();

  get length(): number {
    return this.kinds.length;
  }

  get(transactionId: string): PlaidTransaction | undefined {
    return this.current.get(transactionId);
  }

  /** Current transactions (pending and posted). */
  transactions(): IterableIterator<PlaidTransaction> {
    return this.current.values();
  }

  get size(): number {
    return this.current.size;
  }

  add(transaction: PlaidTransaction): void {
    if (this.current.has(transaction.transaction_id))
      throw new Error(`duplicate transaction ${transaction.transaction_id}`);
    this.current.set(transaction.transaction_id, transaction);
    this.push("added", transaction);
  }

  modify(transaction: PlaidTransaction): void {
    if (!this.current.has(transaction.transaction_id))
      throw new Error(`no transaction ${transaction.transaction_id}`);
    this.current.set(transaction.transaction_id, transaction);
    this.push("modified", transaction);
  }

  remove(transactionId: string): void {
    const transaction = this.current.get(transactionId);
    if (transaction === undefined) throw new Error(`no transaction ${transactionId}`);
    this.current.delete(transactionId);
    this.push("removed", transaction);
  }

  private push(kind: ChangeKind, transaction: PlaidTransaction): void {
    this.kinds.push(kind);
    this.snapshots.push(transaction);
  }

  /**
   * The net changes of entries [from, to): a transaction added then modified in the slice is
   * one "added" with its latest state; added then removed is reported removed (harmless to a
   * client that never saw it).
   */
  net(from: number, to: number): NetChanges {
    const first = new Map<string, ChangeKind>();
    const last = new Map<string, Change>();
    for (let i = from; i < to; i++) {
      const entry: Change = {
        kind: this.kinds[i] as ChangeKind,
        transaction: this.snapshots[i] as PlaidTransaction,
      };
      const id = entry.transaction.transaction_id;
      if (!first.has(id)) first.set(id, entry.kind);
      last.set(id, entry);
    }
    const net: NetChanges = { added: [], modified: [], removed: [] };
    for (const [id, entry] of last) {
      if (entry.kind === "removed") {
        net.removed.push({ transaction_id: id, account_id: entry.transaction.account_id });
      } else if (first.get(id) === "added") {
        net.added.push(entry.transaction);
      } else {
        net.modified.push(entry.transaction);
      }
    }
    return net;
  }
}

interface CursorPosition {
  readonly itemId: string;
  readonly position: number;
  /** The log length when this pagination began; absent once a pagination has completed. */
  readonly end: number | null;
}

export function encodeCursor(cursor: CursorPosition): string {
  const text = `v1:${cursor.itemId}:${cursor.position}:${cursor.end ?? ""}`;
  return Buffer.from(text, "utf8").toString("base64url");
}

/** The position a cursor names, or null when it is not one of this emulator's cursors. */
export function decodeCursor(cursor: string): CursorPosition | null {
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) return null;
  const parts = Buffer.from(cursor, "base64url").toString("utf8").split(":");
  if (parts.length !== 4 || parts[0] !== "v1") return null;
  const [, itemId, position, end] = parts as [string, string, string, string];
  if (!/^\d+$/.test(position) || !/^\d*$/.test(end)) return null;
  return { itemId, position: Number(position), end: end === "" ? null : Number(end) };
}
