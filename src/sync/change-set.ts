import type { PlaidAccountRecord, PlaidTransactionRecord, SyncPage } from "../plaid/index.js";

/**
 * The net effect of a sync run's pages, staged in memory until the run ends. Later pages win:
 * a transaction added on page 1 and removed on page 3 nets to a removal; replaying a page is
 * harmless because each id keeps only its latest state.
 */
export class ChangeSet {
  readonly #latest = new Map<string, PlaidTransactionRecord | null>();
  readonly #accounts = new Map<string, PlaidAccountRecord>();
  #added = 0;
  #modified = 0;
  #removed = 0;

  stage(page: SyncPage): void {
    // Plaid never reuses an id, so within one page an id that is both added and removed was
    // added first: apply additions and modifications before removals.
    for (const record of page.added) this.#latest.set(record.id, record);
    for (const record of page.modified) this.#latest.set(record.id, record);
    for (const id of page.removed) this.#latest.set(id, null);
    for (const account of page.accounts) this.#accounts.set(account.id, account);
    this.#added += page.added.length;
    this.#modified += page.modified.length;
    this.#removed += page.removed.length;
  }

  /** Forgets everything staged: the run restarted from its first cursor. */
  clear(): void {
    this.#latest.clear();
    this.#accounts.clear();
    this.#added = 0;
    this.#modified = 0;
    this.#removed = 0;
  }

  /** Counts as Plaid reported them (before netting). */
  get counts(): { readonly added: number; readonly modified: number; readonly removed: number } {
    return { added: this.#added, modified: this.#modified, removed: this.#removed };
  }

  get size(): number {
    return this.#latest.size;
  }

  upserts(): PlaidTransactionRecord[] {
    const out: PlaidTransactionRecord[] = [];
    for (const record of this.#latest.values()) if (record !== null) out.push(record);
    return out;
  }

  removals(): string[] {
    const out: string[] = [];
    for (const [id, record] of this.#latest) if (record === null) out.push(id);
    return out;
  }

  accounts(): PlaidAccountRecord[] {
    return [...this.#accounts.values()];
  }
}
