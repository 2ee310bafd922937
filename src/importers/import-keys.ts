import type { BankTransaction } from "../domain/index.js";
import type { Statement, StatementEntry } from "./statement.js";

/**
 * Keys that make re-importing a statement file safe. Pure: the same file always gives the same
 * keys, and the store (issue #4) keeps a row per key.
 *
 * - A row the bank gave an id (OFX `FITID`, CAMT `AcctSvcrRef`, an MT940 bank reference, a CSV
 *   id column) is keyed by it, namespaced by account: `<account>|id|<bank id>`. An id that
 *   repeats within one file for one account is not an id the bank keeps unique (some MT940
 *   layouts reuse one reference for a day), so those rows are fingerprinted instead.
 * - Any other row gets an occurrence-counted fingerprint:
 *   `<account>|fp|<date>|<amount><currency>|<normalized description>|<n>`, where n counts the
 *   earlier rows of the same file with the same tuple. Two identical coffees on one day are
 *   `...|0` and `...|1`: re-importing the day gives the same two keys, so nothing is added and
 *   nothing legitimately repeated is dropped. This assumes a file holds whole days of an
 *   account, which is how statements are cut.
 */

/** Descriptions compared without case, punctuation or spacing, and only their first words. */
const DESCRIPTION_CHARS_MAX = 64;

/**
 * Case, punctuation and runs of space do not make two descriptions different.
 *
 * @example normalizeDescription("  STARBUCKS #123,  Seattle ") // "starbucks 123 seattle"
 */
export function normalizeDescription(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim()
    .slice(0, DESCRIPTION_CHARS_MAX)
    .trimEnd();
}

/**
 * The import key of every entry, statement by statement, in file order.
 *
 * @example importKeys([statement]) // [["NL91ABNA0417164300|id|0000486", "NL91...|fp|2025-01-02|-350EUR|coffee|0", ...]]
 */
export function importKeys(statements: readonly Statement[]): string[][] {
  const idKeys = statements.map((s) =>
    s.entries.map((e) => (e.bankId === null ? null : idKey(s.accountId, e.bankId))),
  );
  const idUses = new Map<string, number>();
  for (const keys of idKeys) for (const k of keys) if (k !== null) idUses.set(k, (idUses.get(k) ?? 0) + 1);
  const occurrences = new Map<string, number>();
  return statements.map((s, i) => {
    const keys = idKeys[i] as (string | null)[];
    return s.entries.map((e, j) => {
      const k = keys[j] as string | null;
      if (k !== null && idUses.get(k) === 1) return k;
      const base = fingerprintBase(s.accountId, e);
      const n = occurrences.get(base) ?? 0;
      occurrences.set(base, n + 1);
      return `${base}|${n}`;
    });
  });
}

function idKey(account: string, bankId: string): string {
  return `${account}|id|${bankId}`;
}

function fingerprintBase(account: string, entry: StatementEntry): string {
  return `${account}|fp|${entry.date}|${entry.amountMinor}${entry.currency}|${normalizeDescription(entry.description)}`;
}

/** What an import would change in a store that already holds `existing`. */
export interface MergeResult<T> {
  /** Rows whose key is new: these are stored. */
  readonly added: T[];
  /** Rows already held, unchanged: nothing to do. */
  readonly unchanged: T[];
  /**
   * Rows whose key is held with other values (same FITID, different amount): never a silent
   * overwrite; the caller decides. Only found when `existing` is a map with the held rows.
   */
  readonly changed: { readonly incoming: T; readonly held: BankTransaction }[];
}

/**
 * Splits incoming rows (keyed by their `id`, which the statement readers set to the import key)
 * into those a store holding `existing` would add, already holds, or holds with other values.
 * Also keeps the first of two rows with one key inside `incoming`, which a keyed file never has.
 *
 * @example
 * const first = mergeImport(new Set(), januaryRows);            // all added
 * const second = mergeImport(new Set(first.added.map((t) => t.id)), overlappingRows);
 * // second.added holds only the rows January's file did not
 */
export function mergeImport<T extends BankTransaction>(
  existing: ReadonlySet<string> | ReadonlyMap<string, BankTransaction>,
  incoming: readonly T[],
): MergeResult<T> {
  const added: T[] = [];
  const unchanged: T[] = [];
  const changed: { incoming: T; held: BankTransaction }[] = [];
  const seen = new Set<string>();
  for (const row of incoming) {
    if (seen.has(row.id)) continue;
    seen.add(row.id);
    if (!existing.has(row.id)) {
      added.push(row);
      continue;
    }
    const held = existing instanceof Map ? (existing.get(row.id) as BankTransaction | undefined) : undefined;
    if (held !== undefined && !sameMoney(held, row)) changed.push({ incoming: row, held });
    else unchanged.push(row);
  }
  return { added, unchanged, changed };
}

/** A pending row that has since posted may change its name; its money and day may not. */
function sameMoney(a: BankTransaction, b: BankTransaction): boolean {
  return (
    a.amountMinor === b.amountMinor &&
    a.currency === b.currency &&
    a.date === b.date &&
    a.accountId === b.accountId
  );
}
