/**
 * Transfers between the owner's own accounts: money that leaves one account and arrives in
 * another is neither income nor spending. Two rows pair when they sit in two different known
 * accounts, are the same money in opposite directions in one currency, lie within
 * `TRANSFER_WINDOW_DAYS` of each other, and at least one of them says it is a transfer (a
 * transfer or card-payment category, a rule's mark, or transfer words in the description).
 * Opposite amounts alone are not enough: a $50 sale and a $50 card purchase in one week are
 * not a transfer.
 */
import { isoToDay } from "../reconcile/days.js";
import { CARD_PAYMENT_CATEGORY } from "./resolve.js";

/**
 * ACH between two banks settles in one to three business days; five calendar days covers a
 * weekend and a holiday without reaching into next week's transfer of the same amount.
 */
export const TRANSFER_WINDOW_DAYS = 5;

export interface TransferCandidate {
  readonly id: string;
  readonly accountId: string;
  readonly amountMinor: number;
  readonly currency: string;
  readonly date: string;
  readonly category: string;
  readonly description: string;
  readonly markTransfer: boolean;
}

export interface TransferPair {
  /** The row money left (amount < 0). */
  readonly outId: string;
  /** The row it arrived as (amount > 0). */
  readonly inId: string;
}

const TRANSFER_WORDS =
  /\b(transfer|xfer|trnsfr|tfr|payment thank ?you|autopay|auto pay|credit card payment|card payment|online banking payment|to savings|from savings|to checking|from checking|zelle to self|internal)\b/i;

/**
 * Whether a row itself says it is a transfer.
 *
 * @example saysTransfer({ category: "UNCATEGORIZED", description: "ONLINE TRANSFER TO SAV ...1234", markTransfer: false }) // true
 */
export function saysTransfer(
  row: Pick<TransferCandidate, "category" | "description" | "markTransfer">,
): boolean {
  return (
    row.markTransfer ||
    row.category.startsWith("TRANSFER_IN") ||
    row.category.startsWith("TRANSFER_OUT") ||
    row.category === CARD_PAYMENT_CATEGORY ||
    TRANSFER_WORDS.test(row.description)
  );
}

/**
 * Pairs the rows that are two sides of one transfer. Each row pairs at most once; among the
 * possible pairs the closest in days win, then those where both sides say "transfer", then
 * by ids, so the result does not depend on the input order.
 *
 * @example pairTransfers(rows, new Set(["chk", "sav"])) // [{ outId: "t1", inId: "t2" }]
 */
export function pairTransfers(
  rows: readonly TransferCandidate[],
  ownAccounts: ReadonlySet<string>,
  windowDays: number = TRANSFER_WINDOW_DAYS,
): TransferPair[] {
  const ins = new Map<string, TransferCandidate[]>();
  for (const row of rows) {
    if (row.amountMinor <= 0 || !ownAccounts.has(row.accountId)) continue;
    const key = `${row.currency}|${row.amountMinor}`;
    const list = ins.get(key);
    if (list === undefined) ins.set(key, [row]);
    else list.push(row);
  }
  const options: { out: TransferCandidate; in: TransferCandidate; days: number; both: boolean }[] = [];
  for (const out of rows) {
    if (out.amountMinor >= 0 || !ownAccounts.has(out.accountId)) continue;
    const outSays = saysTransfer(out);
    for (const arrived of ins.get(`${out.currency}|${-out.amountMinor}`) ?? []) {
      if (arrived.accountId === out.accountId) continue;
      const days = Math.abs(isoToDay(out.date) - isoToDay(arrived.date));
      if (days > windowDays) continue;
      const inSays = saysTransfer(arrived);
      if (!outSays && !inSays) continue;
      options.push({ out, in: arrived, days, both: outSays && inSays });
    }
  }
  options.sort(
    (a, b) =>
      a.days - b.days ||
      Number(b.both) - Number(a.both) ||
      compare(a.out.id, b.out.id) ||
      compare(a.in.id, b.in.id),
  );
  const taken = new Set<string>();
  const pairs: TransferPair[] = [];
  for (const option of options) {
    if (taken.has(option.out.id) || taken.has(option.in.id)) continue;
    taken.add(option.out.id);
    taken.add(option.in.id);
    pairs.push({ outId: option.out.id, inId: option.in.id });
  }
  return pairs;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
