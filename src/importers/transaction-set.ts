import type { BankTransaction } from "../domain/index.js";
import { RowProblem } from "./row-problem.js";

/**
 * Transactions keyed by the bank's id, in first-seen order. A row repeated exactly (a page
 * fetched twice) is harmless and dropped; the same id with different values is an error,
 * never a silent overwrite. Sync dumps use `replace` and `remove`, which are deliberate.
 *
 * The common case, all ids new, costs one `Set.add` a row; the id → slot map is built only
 * when a repeated id or a sync change first needs it. At 870,000 rows a `Map.get` + `Map.set`
 * per row (and wrapper objects before that) were a fifth of the import.
 */
export class TransactionSet {
  readonly #ids = new Set<string>();
  #slotById: Map<string, number> | undefined;
  readonly #transactions: (BankTransaction | undefined)[] = [];
  /** Where each slot's row came from: a line number or a JSON path. */
  readonly #origins: (string | number)[] = [];
  #removed = 0;

  add(transaction: BankTransaction, origin: string | number): void {
    const known = this.#ids.size;
    this.#ids.add(transaction.id);
    if (this.#ids.size !== known) {
      this.#append(transaction, origin);
      return;
    }
    const slot = this.#slotOf(transaction.id) as number;
    const held = this.#transactions[slot];
    if (held !== undefined && sameTransaction(held, transaction)) return;
    const first = this.#origins[slot];
    const where = typeof first === "number" ? `line ${first}` : first;
    throw new RowProblem("transaction_id", `already used at ${where} with different values`, transaction.id);
  }

  /** Sync's `modified`: the new version takes the old one's place (or is added). */
  replace(transaction: BankTransaction, origin: string | number): void {
    const slot = this.#slotOf(transaction.id);
    if (slot === undefined) {
      this.#ids.add(transaction.id);
      this.#append(transaction, origin);
      return;
    }
    this.#transactions[slot] = transaction;
    this.#origins[slot] = origin;
  }

  /** Sync's `removed`; an id never seen is fine (it was removed before this dump began). */
  remove(id: string): void {
    const slot = this.#slotOf(id);
    if (slot === undefined) return;
    this.#slotById?.delete(id);
    this.#ids.delete(id);
    this.#transactions[slot] = undefined;
    this.#removed++;
  }

  toArray(): BankTransaction[] {
    if (this.#removed === 0) return this.#transactions as BankTransaction[];
    return this.#transactions.filter((transaction) => transaction !== undefined);
  }

  #append(transaction: BankTransaction, origin: string | number): void {
    this.#slotById?.set(transaction.id, this.#transactions.length);
    this.#transactions.push(transaction);
    this.#origins.push(origin);
  }

  #slotOf(id: string): number | undefined {
    if (this.#slotById === undefined) {
      this.#slotById = new Map();
      this.#transactions.forEach((transaction, slot) => {
        if (transaction !== undefined) this.#slotById?.set(transaction.id, slot);
      });
    }
    return this.#slotById.get(id);
  }
}

function sameTransaction(a: BankTransaction, b: BankTransaction): boolean {
  return (
    a.accountId === b.accountId &&
    a.amountMinor === b.amountMinor &&
    a.currency === b.currency &&
    a.date === b.date &&
    a.authorizedDate === b.authorizedDate &&
    a.name === b.name &&
    a.merchantName === b.merchantName &&
    a.checkNumber === b.checkNumber &&
    a.pending === b.pending
  );
}
