import type { BankAccount } from "../domain/index.js";
import { ImportError } from "../errors/index.js";
import { toBankAccount, toBankTransaction } from "./plaid-transaction.js";
import { atPath, RowProblem } from "./row-problem.js";
import { TextPool } from "./text-pool.js";
import { TransactionSet } from "./transaction-set.js";
import { type BankFeed, DEFAULT_CURRENCY, PROGRESS_ROWS_STEP, type ReadOptions } from "./types.js";

type Doc = Record<string, unknown>;

/**
 * Reads an already-parsed Plaid transactions document: a `/transactions/get` response
 * (`{transactions, accounts?}`), a bare array of transactions, or a `/transactions/sync` dump
 * (`{added, modified, removed, accounts?}`), where `modified` replaces by `transaction_id`
 * and `removed` drops.
 *
 * @example parsePlaidJson({ transactions: [{ transaction_id: "t1", account_id: "a1",
 *   amount: 25.5, iso_currency_code: "USD", date: "2025-03-31", name: "DROPBOX", pending: false }] }, "bank.json")
 * // { accounts: [], transactions: [{ id: "t1", amountMinor: -2550, ... }] }
 * @throws ImportError `bank.json: transactions[3].amount: expected a number`
 */
export function parsePlaidJson(value: unknown, source: string, options: ReadOptions = {}): BankFeed {
  const currency = options.currency ?? DEFAULT_CURRENCY;
  const set = new TransactionSet();
  let rowsRead = 0;
  const pool = new TextPool();
  const each = (name: string, apply: (row: unknown, path: string) => void) => {
    const rows = arrayAt(value, name, source);
    rows.forEach((row, index) => {
      const path = `${name}[${index}]`;
      try {
        apply(row, path);
      } catch (error) {
        if (error instanceof RowProblem) throw atPath(source, path, error);
        throw error;
      }
      if (++rowsRead % PROGRESS_ROWS_STEP === 0) options.onProgress?.(rowsRead);
    });
  };
  if (isSyncDump(value)) {
    each("added", (row, path) => set.add(toBankTransaction(row, currency, pool), path));
    each("modified", (row, path) => set.replace(toBankTransaction(row, currency, pool), path));
    each("removed", (row) => set.remove(removedId(row)));
  } else {
    each(Array.isArray(value) ? "" : "transactions", (row, path) =>
      set.add(toBankTransaction(row, currency, pool), path),
    );
  }
  options.onProgress?.(rowsRead);
  return {
    accounts: Array.isArray(value) ? [] : parsePlaidAccounts(value, source),
    transactions: set.toArray(),
  };
}

/**
 * The `accounts` of a Plaid document (`{accounts: [...]}`) or a bare array of accounts; a
 * document without accounts gives none.
 */
export function parsePlaidAccounts(value: unknown, source: string): BankAccount[] {
  const rows = Array.isArray(value) ? value : (value as Doc).accounts;
  if (rows === undefined) return [];
  const name = Array.isArray(value) ? "" : "accounts";
  if (!Array.isArray(rows))
    throw new ImportError({ file: source, field: name }, `${name}: expected an array`);
  return rows.map((row, index) => {
    try {
      return toBankAccount(row);
    } catch (error) {
      if (error instanceof RowProblem) throw atPath(source, `${name}[${index}]`, error);
      throw error;
    }
  });
}

function isSyncDump(value: unknown): value is Doc {
  return typeof value === "object" && value !== null && !Array.isArray(value) && "added" in value;
}

function arrayAt(value: unknown, name: string, source: string): readonly unknown[] {
  if (name === "") return value as unknown[];
  if (typeof value !== "object" || value === null) {
    throw new ImportError({ file: source }, "expected a Plaid transactions object or array");
  }
  const rows = (value as Doc)[name];
  if (rows === undefined && name !== "transactions") return [];
  if (!Array.isArray(rows))
    throw new ImportError({ file: source, field: name }, `${name}: expected an array`);
  return rows;
}

/** Plaid's RemovedTransaction is `{transaction_id, account_id}`; a bare id string is accepted too. */
function removedId(row: unknown): string {
  if (typeof row === "string" && row !== "") return row;
  const id = typeof row === "object" && row !== null ? (row as Doc).transaction_id : undefined;
  if (typeof id !== "string" || id === "")
    throw new RowProblem("transaction_id", "expected a non-empty string");
  return id;
}
