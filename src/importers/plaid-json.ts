import type { BankAccount } from "../domain/index.js";
import { ImportError } from "../errors/index.js";
import { toBankAccount, toBankTransaction } from "./plaid-transaction.js";
import { ProblemList } from "./problem-list.js";
import { atPath, RowProblem } from "./row-problem.js";
import { TextPool } from "./text-pool.js";
import { TransactionSet } from "./transaction-set.js";
import { type BankFeed, DEFAULT_CURRENCY, PROGRESS_ROWS_STEP, type ReadOptions } from "./types.js";

type Doc = Record<string, unknown>;

/**
 * Reads an already-parsed Plaid transactions document: a `/transactions/get` response
 * (`{transactions, accounts?}`), a bare array of transactions, or a `/transactions/sync` dump
 * (`{added, modified, removed, accounts?}`), where `modified` replaces by `transaction_id`
 * and `removed` drops. Every row is read: when some are bad, one BadRowsError lists them all
 * (up to 50).
 *
 * @example parsePlaidJson({ transactions: [{ transaction_id: "t1", account_id: "a1",
 *   amount: 25.5, iso_currency_code: "USD", date: "2025-03-31", name: "DROPBOX", pending: false }] }, "bank.json")
 * // { accounts: [], transactions: [{ id: "t1", amountMinor: -2550, ... }] }
 * @throws ImportError `bank.json: transactions[3].amount: expected a number`
 */
export function parsePlaidJson(value: unknown, source: string, options: ReadOptions = {}): BankFeed {
  const currency = options.currency ?? DEFAULT_CURRENCY;
  const set = new TransactionSet();
  const problems = new ProblemList(source);
  let rowsRead = 0;
  const pool = new TextPool();
  const each = (name: string, rows: readonly unknown[], apply: (row: unknown, path: string) => void) => {
    rows.forEach((row, index) => {
      const path = `${name}[${index}]`;
      try {
        apply(row, path);
      } catch (error) {
        if (!(error instanceof RowProblem)) throw error;
        problems.add(() => atPath(source, path, error));
      }
      if (++rowsRead % PROGRESS_ROWS_STEP === 0) options.onProgress?.(rowsRead);
    });
  };
  if (isSyncDump(value)) {
    // Every list is checked to be one before any row is read, so a bad shape is never reported after rows.
    const [added, modified, removed] = ["added", "modified", "removed"].map((name) =>
      arrayAt(value, name, source),
    );
    each("added", added ?? [], (row, path) => set.add(toBankTransaction(row, currency, pool), path));
    each("modified", modified ?? [], (row, path) =>
      set.replace(toBankTransaction(row, currency, pool), path),
    );
    each("removed", removed ?? [], (row) => set.remove(removedId(row)));
  } else {
    const name = Array.isArray(value) ? "" : "transactions";
    each(name, arrayAt(value, name, source), (row, path) =>
      set.add(toBankTransaction(row, currency, pool), path),
    );
  }
  options.onProgress?.(rowsRead);
  let accounts: BankAccount[] = [];
  try {
    if (!Array.isArray(value)) accounts = collectAccounts(value, source, problems);
  } catch (error) {
    problems.stop(error);
  }
  problems.check();
  return { accounts, transactions: set.toArray() };
}

/**
 * The `accounts` of a Plaid document (`{accounts: [...]}`) or a bare array of accounts; a
 * document without accounts gives none.
 */
export function parsePlaidAccounts(value: unknown, source: string): BankAccount[] {
  const problems = new ProblemList(source);
  const accounts = collectAccounts(value, source, problems);
  problems.check();
  return accounts;
}

function collectAccounts(value: unknown, source: string, problems: ProblemList): BankAccount[] {
  if (typeof value !== "object" || value === null)
    throw new ImportError({ file: source }, "expected a Plaid accounts object or array");
  const rows = Array.isArray(value) ? value : (value as Doc).accounts;
  if (rows === undefined) return [];
  const name = Array.isArray(value) ? "" : "accounts";
  if (!Array.isArray(rows))
    throw new ImportError({ file: source, field: name }, `${name}: expected an array`);
  const accounts: BankAccount[] = [];
  rows.forEach((row, index) => {
    try {
      accounts.push(toBankAccount(row));
    } catch (error) {
      if (!(error instanceof RowProblem)) throw error;
      problems.add(() => atPath(source, `${name}[${index}]`, error));
    }
  });
  return accounts;
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
