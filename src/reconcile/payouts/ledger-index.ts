import { firstAtLeast } from "../sorted.js";
import type { PayoutLedgerRow } from "./match-payouts.js";

/** A currency and an amount in minor units, as one map key. */
export type LedgerKey = string;

export function ledgerKey(currency: string, amountMinor: number): LedgerKey {
  return `${currency}:${amountMinor}`;
}

const NONE: readonly PayoutLedgerRow[] = [];
/** What splits a description into words that may be ids: `ch_3N…`, `INV-3001`, `1AB23456CD7890001`. */
const NOT_ID = /[^A-Za-z0-9_\-.]+/;

/**
 * The ledger entries the payout stage may use, looked up by the ids the payouts' lines go by and
 * by the amounts they need, and which of them are taken. Only those entries are indexed: a
 * million-row ledger costs one pass over its references and descriptions, not a map of every word.
 */
export class LedgerIndex {
  readonly #byId = new Map<string, PayoutLedgerRow[]>();
  /** By currency and amount, each list in (day, index) order. */
  readonly #byAmount = new Map<LedgerKey, PayoutLedgerRow[]>();
  readonly #byIndex = new Map<number, PayoutLedgerRow>();
  readonly #taken = new Set<number>();

  constructor(
    entries: readonly PayoutLedgerRow[],
    amounts: ReadonlySet<LedgerKey>,
    ids: ReadonlySet<string>,
  ) {
    for (const e of entries) {
      const key = ledgerKey(e.row.currency, e.row.amountMinor);
      if (amounts.has(key)) this.#add(this.#byAmount, key, e);
      if (ids.size > 0) for (const id of idsNamed(e, ids)) this.#add(this.#byId, id, e);
    }
    for (const list of this.#byAmount.values()) list.sort((x, y) => x.day - y.day || x.index - y.index);
  }

  #add<K>(map: Map<K, PayoutLedgerRow[]>, key: K, e: PayoutLedgerRow): void {
    this.#byIndex.set(e.index, e);
    const list = map.get(key);
    if (list === undefined) map.set(key, [e]);
    else if (list[list.length - 1] !== e) list.push(e);
  }

  /** Entries whose reference or description names `id` (upper case). */
  byId(id: string): readonly PayoutLedgerRow[] {
    return this.#byId.get(id) ?? NONE;
  }

  /** Entries of `key` dated from `fromDay` to `toDay`, in (day, index) order. */
  *within(key: LedgerKey, fromDay: number, toDay: number): Generator<PayoutLedgerRow> {
    const list = this.#byAmount.get(key) ?? NONE;
    for (
      let i = firstAtLeast(list.length, (k) => list[k]!.day, fromDay);
      i < list.length && list[i]!.day <= toDay;
      i++
    )
      yield list[i]!;
  }

  /** Entries of `key` within `window` days of `day`, nearer days first (so a bounded scan sees the nearest). */
  *around(key: LedgerKey, day: number, window: number): Generator<PayoutLedgerRow> {
    const list = this.#byAmount.get(key) ?? NONE;
    const start = firstAtLeast(list.length, (k) => list[k]!.day, day);
    let left = start - 1;
    let right = start;
    for (;;) {
      const l = left >= 0 && day - list[left]!.day <= window ? list[left] : undefined;
      const r = right < list.length && list[right]!.day - day <= window ? list[right] : undefined;
      if (l === undefined && r === undefined) return;
      if (r !== undefined && (l === undefined || r.day - day <= day - l.day)) {
        yield r;
        right++;
      } else {
        yield l!;
        left--;
      }
    }
  }

  taken(index: number): boolean {
    return this.#taken.has(index);
  }

  take(index: number): void {
    this.#taken.add(index);
  }

  /** An indexed entry by its engine index. */
  row(index: number): PayoutLedgerRow {
    const e = this.#byIndex.get(index);
    if (e === undefined) throw new Error(`ledger entry ${index} is not indexed`);
    return e;
  }
}

/** The ids of `ids` the entry's reference or description names as a whole word, each once. */
function idsNamed(e: PayoutLedgerRow, ids: ReadonlySet<string>): string[] {
  const found: string[] = [];
  const consider = (word: string) => {
    const id = word.replace(/^[.-]+|[.-]+$/g, "").toUpperCase();
    if (id !== "" && ids.has(id) && !found.includes(id)) found.push(id);
  };
  const reference = e.row.reference?.trim() ?? "";
  if (reference !== "") {
    consider(reference);
    for (const word of reference.split(NOT_ID)) consider(word);
  }
  for (const word of e.row.description.split(NOT_ID)) consider(word);
  return found;
}
