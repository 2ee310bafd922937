import type { BankTransaction, ExpectedEntry } from "../../domain/index.js";
import { type PayoutItem, PROCESSOR_NAMES, type ProcessorPayout } from "../../domain/payout.js";
import { InputError } from "../../errors/index.js";
import { formatAmount, isCurrencyCode } from "../../money/index.js";
import { isoToDay } from "../days.js";
import type { Match, MatchReason } from "../types.js";
import { LedgerIndex, type LedgerKey, ledgerKey } from "./ledger-index.js";

/**
 * How far the stage looks, in days and rows. Processors pay out on business days and banks post
 * a day or two later (a Friday payout arrives on Monday); a sale's ledger date and the
 * processor's line date differ by a time zone or a late entry.
 */
export const PAYOUT_LIMITS = {
  /** A bank row may post this many days before the payout's date (a date the processor states late). */
  bankDaysBefore: 2,
  /** ... and this many after (weekends and holidays). */
  bankDaysAfter: 5,
  /** A line's ledger entry is dated within this many days of the line. */
  lineDaysMax: 3,
  /** A fee's ledger entry is dated within this many days of the fee line or of the payout. */
  feeDaysMax: 3,
  /** Ledger entries kept per line when matching by amount and date (the nearest). */
  candidatesPerLineMax: 16,
  /** Rows looked at per line when gathering those (a crowd of same-price sales). */
  scanPerLineMax: 4096,
  /** Steps of the search that frees an entry for a line left without one. */
  augmentStepsMax: 10_000,
} as const;

/** A bank row as the stage reads it: the engine's prepared rows have these fields. */
export interface PayoutBankRow {
  /** The row's position in the engine's canonical order: what `matchedBank` is indexed by. */
  readonly index: number;
  readonly row: BankTransaction;
  /** Days since 1970-01-01 of `row.date`. */
  readonly day: number;
}

/** A ledger entry as the stage reads it. */
export interface PayoutLedgerRow {
  readonly index: number;
  readonly row: ExpectedEntry;
  readonly day: number;
}

/** A payout matched: its bank row, the ledger entries of its lines and fees, and the match to report. */
export interface PayoutMatch {
  readonly payoutId: string;
  readonly bank: number;
  readonly expected: readonly number[];
  readonly match: Match;
}

const SURE = 0.99;
const PROCESSOR_WORDS: Readonly<Record<ProcessorPayout["processor"], readonly string[]>> = {
  stripe: ["STRIPE"],
  square: ["SQUARE", "SQ"],
  paypal: ["PAYPAL"],
};
const UNFOUND_IDS_SHOWN_MAX = 5;

/** A payout line the ledger should hold as an entry of its own: a sale, a refund, a dispute. */
interface Line {
  readonly item: PayoutItem;
  readonly day: number;
  readonly payout: Active;
  /** The entry's index once found, else -1. */
  entry: number;
  by: "id" | "amount" | null;
}

/** A fee to find in the ledger (a fee line, or the fees inside the lines), else kept as an adjustment. */
interface Fee {
  readonly amountMinor: number;
  readonly day: number;
}

interface Active {
  readonly payout: ProcessorPayout;
  readonly day: number;
  readonly bank: PayoutBankRow;
  readonly named: boolean;
  readonly lines: Line[];
  readonly fees: readonly Fee[];
  /** Ledger entries found for the fees; the rest is kept as an adjustment. */
  readonly feeEntries: number[];
  keptFeeMinor: number;
}

/**
 * Matches processor payouts to their bank rows and their lines to ledger entries. Pure and
 * deterministic: the result does not depend on the order of `payouts`, and rows are taken in
 * the engine's canonical order.
 *
 * 1. A payout's bank row is money in, in its currency, of exactly its net, posted from 2 days
 *    before to 5 days after its date; a row naming the processor first, then the nearest date,
 *    then the lowest index. A payout with no such row matches nothing.
 * 2. Each sale or refund line takes one open ledger entry: by id first (the entry's reference,
 *    or a whole word of its description, is the line's id or one of its references), else by
 *    the same amount dated within 3 days of the line, nearest first, with a search that frees
 *    an entry for a line left out whenever that lets more lines find one. The entry's account
 *    is the bank row's or none.
 * 3. A fee line (and the fees inside the lines) takes a ledger entry of that amount dated near
 *    it or the payout, if there is one; else it is kept as the match's adjustment
 *    (`amountDifferenceMinor` is bank minus ledger).
 *
 * A payout whose lines all found an entry is matched with confidence 0.99 and no review; one
 * with lines missing still matches what it found, less sure and for review.
 *
 * @example
 * const found = matchPayouts(payouts, bankRows, ledgerRows);
 * for (const f of found) console.log(f.payoutId, f.match.bankTransactionIds, f.match.expectedIds);
 * @throws InputError for a payout that is not well formed (two with one id, a date that is not a date)
 */
export function matchPayouts(
  payouts: readonly ProcessorPayout[],
  bank: readonly PayoutBankRow[],
  expected: readonly PayoutLedgerRow[],
): PayoutMatch[] {
  if (payouts.length === 0) return [];
  const active = chooseBankRows(checkedPayouts(payouts), bank);
  if (active.length === 0) return [];
  const lines = active.flatMap((a) => a.lines);
  const keys = new Set<LedgerKey>();
  for (const a of active) {
    for (const l of a.lines) keys.add(ledgerKey(a.payout.currency, l.item.grossMinor));
    for (const f of a.fees) keys.add(ledgerKey(a.payout.currency, f.amountMinor));
    keys.add(ledgerKey(a.payout.currency, totalOf(a.fees)));
  }
  const ledger = new LedgerIndex(expected, keys, lineIds(lines));
  matchById(lines, ledger);
  matchByAmount(
    lines.filter((l) => l.entry === -1),
    ledger,
  );
  matchFees(active, ledger);
  const found: PayoutMatch[] = [];
  for (const a of active) {
    const result = payoutMatch(a, ledger);
    if (result !== undefined) found.push(result);
  }
  return found;
}

/** Payouts checked, with their lines and fees, in a canonical order (date, processor, id). */
function checkedPayouts(payouts: readonly ProcessorPayout[]) {
  const seen = new Set<string>();
  const out = payouts.map((payout) => {
    const name = `payout "${payout.id}"`;
    if (typeof payout.id !== "string" || payout.id === "") throw new InputError("a payout has no id");
    const key = `${payout.processor}\u0000${payout.id}`;
    if (seen.has(key)) throw new InputError(`${name} appears twice`);
    seen.add(key);
    if (!Object.hasOwn(PROCESSOR_WORDS, payout.processor))
      throw new InputError(`${name}: unknown processor "${payout.processor}"`);
    if (!isCurrencyCode(payout.currency))
      throw new InputError(`${name}: "${payout.currency}" is not a currency code`);
    if (!Number.isSafeInteger(payout.netMinor))
      throw new InputError(`${name}: netMinor is not a whole number`);
    const day = dayOf(payout.date, name);
    for (const item of payout.items) {
      const whole = [item.grossMinor, item.feeMinor, item.netMinor].every((x) => Number.isSafeInteger(x));
      if (!whole || item.netMinor !== item.grossMinor + item.feeMinor)
        throw new InputError(
          `${name}: line "${item.id}" needs whole minor units with netMinor = grossMinor + feeMinor`,
        );
    }
    return {
      payout,
      day,
      itemDays: payout.items.map((item) => dayOf(item.date, `${name} line "${item.id}"`)),
    };
  });
  return out.sort(
    (a, b) =>
      a.day - b.day || compare(a.payout.processor, b.payout.processor) || compare(a.payout.id, b.payout.id),
  );
}

function dayOf(iso: string, what: string): number {
  try {
    return isoToDay(iso);
  } catch (cause) {
    throw new InputError(`${what}: date "${iso}" is not a YYYY-MM-DD date`, { cause });
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function totalOf(fees: readonly Fee[]): number {
  return fees.reduce((sum, f) => sum + f.amountMinor, 0);
}

/** Step 1: each payout (in canonical order) takes its bank row; payouts without one drop out. */
function chooseBankRows(
  payouts: ReturnType<typeof checkedPayouts>,
  bank: readonly PayoutBankRow[],
): Active[] {
  const wanted = new Set(payouts.map(({ payout }) => ledgerKey(payout.currency, payout.netMinor)));
  const byKey = new Map<LedgerKey, PayoutBankRow[]>();
  for (const b of bank) {
    if (b.row.amountMinor <= 0) continue;
    const key = ledgerKey(b.row.currency, b.row.amountMinor);
    if (!wanted.has(key)) continue;
    const list = byKey.get(key);
    if (list === undefined) byKey.set(key, [b]);
    else list.push(b);
  }
  const taken = new Set<number>();
  const active: Active[] = [];
  for (const { payout, day, itemDays } of payouts) {
    if (payout.netMinor <= 0) continue;
    const words = PROCESSOR_WORDS[payout.processor];
    let best: PayoutBankRow | undefined;
    let bestNamed = false;
    for (const b of byKey.get(ledgerKey(payout.currency, payout.netMinor)) ?? []) {
      const lag = b.day - day;
      if (taken.has(b.index) || lag < -PAYOUT_LIMITS.bankDaysBefore || lag > PAYOUT_LIMITS.bankDaysAfter)
        continue;
      const named = namesProcessor(b.row, words);
      if (best === undefined || better(named, lag, b.index, bestNamed, best.day - day, best.index)) {
        best = b;
        bestNamed = named;
      }
    }
    if (best === undefined) continue;
    taken.add(best.index);
    active.push(activeOf(payout, day, itemDays, best, bestNamed));
  }
  return active;
}

function better(
  named: boolean,
  lag: number,
  index: number,
  bestNamed: boolean,
  bestLag: number,
  bestIndex: number,
) {
  if (named !== bestNamed) return named;
  if (Math.abs(lag) !== Math.abs(bestLag)) return Math.abs(lag) < Math.abs(bestLag);
  return index < bestIndex;
}

function namesProcessor(row: BankTransaction, words: readonly string[]): boolean {
  const text = `${row.name} ${row.merchantName ?? ""}`.toUpperCase().split(/[^A-Z0-9]+/);
  return words.some((w) => text.includes(w));
}

function activeOf(
  payout: ProcessorPayout,
  day: number,
  itemDays: readonly number[],
  bank: PayoutBankRow,
  named: boolean,
): Active {
  const fees: Fee[] = [];
  const a: Active = { payout, day, bank, named, lines: [], fees, feeEntries: [], keptFeeMinor: 0 };
  let inside = 0;
  payout.items.forEach((item, i) => {
    const itemDay = itemDays[i]!;
    if (item.kind === "fee") {
      if (item.netMinor !== 0) fees.push({ amountMinor: item.netMinor, day: itemDay });
      return;
    }
    inside += item.feeMinor;
    if (item.grossMinor !== 0) a.lines.push({ item, day: itemDay, payout: a, entry: -1, by: null });
  });
  // The fees inside the lines (Stripe's per-charge fee) are one fee, dated with the payout.
  if (inside !== 0) fees.push({ amountMinor: inside, day });
  return a;
}

/** Every id the lines go by, as the ledger index looks them up. */
function lineIds(lines: readonly Line[]): Set<string> {
  const ids = new Set<string>();
  for (const l of lines) for (const id of idsOf(l.item)) ids.add(id);
  return ids;
}

function idsOf(item: PayoutItem): string[] {
  return [item.id, ...item.references].map((id) => id.trim().toUpperCase()).filter((id) => id !== "");
}

/** Whether entry `e` may be a line of a payout paid into `bank`: open, same currency, its account or none. */
function fits(e: PayoutLedgerRow, currency: string, bank: PayoutBankRow, ledger: LedgerIndex): boolean {
  if (ledger.taken(e.index) || e.row.currency !== currency) return false;
  const account = e.row.accountId;
  const bankAccount = bank.row.accountId;
  return account === null || account === "" || bankAccount === null || account === bankAccount;
}

/** Step 2a: lines whose id (or a reference) the ledger names, nearest date first, lowest index. */
function matchById(lines: readonly Line[], ledger: LedgerIndex): void {
  for (const l of lines) {
    const a = l.payout;
    let best: PayoutLedgerRow | undefined;
    for (const id of idsOf(l.item)) {
      for (const e of ledger.byId(id)) {
        if (!fits(e, a.payout.currency, a.bank, ledger)) continue;
        const distance = Math.abs(e.day - l.day);
        if (
          best === undefined ||
          distance < Math.abs(best.day - l.day) ||
          (distance === Math.abs(best.day - l.day) && e.index < best.index)
        )
          best = e;
      }
    }
    if (best === undefined) continue;
    ledger.take(best.index);
    l.entry = best.index;
    l.by = "id";
  }
}

/**
 * Step 2b: the other lines by amount and date. Nearest pairs first over all payouts at once (so
 * one payout's lines do not take another's nearer entries), then, for a line left without an
 * entry, a bounded search for a chain of swaps that frees one (more lines found, never fewer).
 */
function matchByAmount(lines: readonly Line[], ledger: LedgerIndex): void {
  const candidates = lines.map((l) => nearestEntries(l, ledger));
  const pairs: { line: number; entry: number; distance: number }[] = [];
  candidates.forEach((list, line) => {
    for (const e of list) pairs.push({ line, entry: e.index, distance: Math.abs(e.day - lines[line]!.day) });
  });
  pairs.sort((p, q) => p.distance - q.distance || p.line - q.line || p.entry - q.entry);
  const owner = new Map<number, number>();
  const chosen = new Int32Array(lines.length).fill(-1);
  for (const p of pairs) {
    if (chosen[p.line] !== -1 || owner.has(p.entry)) continue;
    chosen[p.line] = p.entry;
    owner.set(p.entry, p.line);
  }
  let steps: number = PAYOUT_LIMITS.augmentStepsMax;
  const augment = (line: number, visited: Set<number>, depth: number): boolean => {
    for (const e of candidates[line]!) {
      if (visited.has(e.index) || steps-- <= 0 || depth > 64) continue;
      visited.add(e.index);
      const holder = owner.get(e.index);
      if (holder === undefined || augment(holder, visited, depth + 1)) {
        chosen[line] = e.index;
        owner.set(e.index, line);
        return true;
      }
    }
    return false;
  };
  for (let line = 0; line < lines.length && steps > 0; line++) {
    if (chosen[line] === -1 && candidates[line]!.length > 0) augment(line, new Set(), 0);
  }
  lines.forEach((l, i) => {
    const entry = chosen[i]!;
    if (entry === -1) return;
    ledger.take(entry);
    l.entry = entry;
    l.by = "amount";
  });
}

/** The line's nearest open entries of its amount within the window, nearest first, then lowest index. */
function nearestEntries(l: Line, ledger: LedgerIndex): PayoutLedgerRow[] {
  const a = l.payout;
  const window = PAYOUT_LIMITS.lineDaysMax;
  const found: PayoutLedgerRow[] = [];
  let scanned = 0;
  for (const e of ledger.around(ledgerKey(a.payout.currency, l.item.grossMinor), l.day, window)) {
    if (++scanned > PAYOUT_LIMITS.scanPerLineMax) break;
    if (fits(e, a.payout.currency, a.bank, ledger)) found.push(e);
  }
  found.sort((x, y) => Math.abs(x.day - l.day) - Math.abs(y.day - l.day) || x.index - y.index);
  return found.slice(0, PAYOUT_LIMITS.candidatesPerLineMax);
}

/**
 * Step 3: each fee takes the ledger's entry of its amount, nearest pairs first over all payouts
 * (equal fees of neighbouring payouts do not take each other's); a payout none of whose fees
 * found one may find one entry for them all; what is not found is kept as an adjustment.
 */
function matchFees(active: readonly Active[], ledger: LedgerIndex): void {
  const fees = active.flatMap((a) => a.fees.map((fee) => ({ a, fee, entry: -1 })));
  const pairs: { fee: number; entry: number; distance: number }[] = [];
  fees.forEach(({ a, fee }, i) => {
    for (const [e, distance] of feeCandidates(a, fee, ledger))
      pairs.push({ fee: i, entry: e.index, distance });
  });
  pairs.sort((p, q) => p.distance - q.distance || p.fee - q.fee || p.entry - q.entry);
  for (const p of pairs) {
    const f = fees[p.fee]!;
    if (f.entry !== -1 || ledger.taken(p.entry)) continue;
    f.entry = p.entry;
    ledger.take(p.entry);
    f.a.feeEntries.push(p.entry);
  }
  for (const a of active) {
    const unfound = fees.filter((f) => f.a === a && f.entry === -1).map((f) => f.fee);
    if (unfound.length > 1 && unfound.length === a.fees.length) {
      const [best] = feeCandidates(a, { amountMinor: totalOf(unfound), day: a.day }, ledger).sort(
        ([x, dx], [y, dy]) => dx - dy || x.index - y.index,
      );
      if (best !== undefined) {
        ledger.take(best[0].index);
        a.feeEntries.push(best[0].index);
        continue;
      }
    }
    a.keptFeeMinor = totalOf(unfound);
  }
}

/** Open entries of the fee's amount dated within the window of the fee line or of the payout, with that distance. */
function feeCandidates(a: Active, fee: Fee, ledger: LedgerIndex): [PayoutLedgerRow, number][] {
  const window = PAYOUT_LIMITS.feeDaysMax;
  const from = Math.min(fee.day, a.day) - window;
  const to = Math.max(fee.day, a.day) + window;
  const found: [PayoutLedgerRow, number][] = [];
  for (const e of ledger.within(ledgerKey(a.payout.currency, fee.amountMinor), from, to)) {
    if (!fits(e, a.payout.currency, a.bank, ledger)) continue;
    const distance = Math.min(Math.abs(e.day - fee.day), Math.abs(e.day - a.day));
    if (distance <= window) found.push([e, distance]);
  }
  return found;
}

/** Step 4: the match of a payout that found at least one entry. */
function payoutMatch(a: Active, ledger: LedgerIndex): PayoutMatch | undefined {
  const lineEntries = a.lines.filter((l) => l.entry !== -1).map((l) => l.entry);
  const entries = [...lineEntries, ...a.feeEntries].sort((x, y) => x - y);
  if (entries.length === 0) return undefined;
  const { payout } = a;
  const ledgerSum = entries.reduce((sum, i) => sum + ledger.row(i).row.amountMinor, 0);
  const difference = a.bank.row.amountMinor - ledgerSum;
  const missing = a.lines.filter((l) => l.entry === -1);
  const total = a.lines.length;
  const confidence = missing.length === 0 ? SURE : round3(0.5 + (0.4 * (total - missing.length)) / total);
  const pending = a.bank.row.pending;
  return {
    payoutId: payout.id,
    bank: a.bank.index,
    expected: entries,
    match: {
      kind: "many_to_one",
      bankTransactionIds: [a.bank.row.id],
      expectedIds: entries.map((i) => ledger.row(i).row.id),
      confidence,
      reasons: reasonsOf(a, missing, ledger),
      amountDifferenceMinor: difference,
      currency: payout.currency,
      pending,
      needsReview: pending || missing.length > 0 || difference !== a.keptFeeMinor,
    },
  };
}

function reasonsOf(a: Active, missing: readonly Line[], ledger: LedgerIndex): MatchReason[] {
  const { payout } = a;
  const name = PROCESSOR_NAMES[payout.processor];
  const money = (minor: number) => formatAmount(minor, payout.currency);
  const n = payout.items.length;
  const reasons: MatchReason[] = [
    {
      feature: "payout",
      contribution: 60,
      detail:
        `${name} payout ${payout.id} of ${payout.date}: ${n} line${n === 1 ? "" : "s"}, ` +
        `gross ${money(payout.grossMinor)}, fees ${money(-payout.feeMinor)}, net ${money(payout.netMinor)}`,
    },
    { feature: "amount", contribution: 30, detail: "bank amount is the payout's net" },
    { feature: "date", contribution: 5, detail: lagText(a.bank.day - a.day) },
  ];
  if (a.named) reasons.push({ feature: "description", contribution: 5, detail: `bank row names ${name}` });
  const byId = a.lines.filter((l) => l.by === "id").length;
  const byAmount = a.lines.filter((l) => l.by === "amount").length;
  if (a.lines.length > 0)
    reasons.push({
      feature: "reference",
      contribution: 30,
      detail: `${byId + byAmount} of ${a.lines.length} lines found in the ledger: ${byId} by id, ${byAmount} by amount and date`,
    });
  if (missing.length > 0) {
    const shown = missing.slice(0, UNFOUND_IDS_SHOWN_MAX).map((l) => l.item.id);
    const more = missing.length > shown.length ? `, … and ${missing.length - shown.length} more` : "";
    reasons.push({
      feature: "group",
      contribution: -30,
      detail: `${missing.length} of ${a.lines.length} lines not found in the ledger: ${shown.join(", ")}${more}`,
    });
  }
  for (const i of a.feeEntries) {
    const entry = ledger.row(i).row;
    reasons.push({
      feature: "processor_fee",
      contribution: 0,
      detail: `${name} fee ${money(-entry.amountMinor)} booked as ${entry.id}`,
    });
  }
  if (a.keptFeeMinor !== 0)
    reasons.push({
      feature: "processor_fee",
      contribution: 0,
      detail: `${name} fee ${money(-a.keptFeeMinor)} kept as an adjustment`,
    });
  return reasons;
}

function lagText(lag: number): string {
  if (lag === 0) return "bank on the payout date";
  const days = `${Math.abs(lag)} day${Math.abs(lag) === 1 ? "" : "s"}`;
  return lag > 0 ? `bank ${days} after the payout date` : `bank ${days} before the payout date`;
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
