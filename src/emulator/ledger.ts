import type { BankTransaction, ExpectedEntry } from "../domain/index.js";
import { isIsoDate } from "../domain/iso-date.js";
import { ConfigError, InputError } from "../errors/index.js";
import { addDays, daysBetween } from "./dates.js";
import { createRng, hashSeed, type Rng } from "./prng.js";

/**
 * A bookkeeper's ledger written from an emulated business's bank feed, with the discrepancies
 * real books have, and the truth of which bank rows each entry group should match: the other
 * side of `bankrec demo` and a realistic check of the reconcile engine on emulator data.
 *
 * Kinds of truth group:
 * - `one_to_one`: most posted rows, dated 0-3 days before the bank (checks 3-21 days), in a
 *   bookkeeper's words ("Invoice 1042 - Acme Robotics Inc", "FedEx - shipping");
 * - `many_to_one`: some processor payouts booked as 2-3 sales less a negative fee entry, and
 *   the first client payment booked as the 2-3 invoices it settles;
 * - `near_amount`: the last client payment, booked at the invoice amount, which is the bank's
 *   plus a 15.00-30.00 wire fee;
 * - `ledger_only`: an outstanding check and an unpaid invoice near the end of the period.
 * `one_to_many` (an invoice paid in instalments) is never produced: the emulator's history has
 * no rows that pay one amount in parts, and bank rows are never altered to make some.
 * Bank charges, interest and card purchases under 25.00 get no entry (bank-only rows).
 */

export type LedgerTruthKind = "one_to_one" | "many_to_one" | "one_to_many" | "near_amount" | "ledger_only";

export interface LedgerTruthGroup {
  readonly kind: LedgerTruthKind;
  readonly expectedIds: readonly string[];
  readonly bankIds: readonly string[];
}

export interface SampleLedgerOptions {
  readonly seed: number;
  /** only these accounts are the business's books; default: all */
  readonly accountIds?: readonly string[];
  /** Days of books, ending on the last posted bank date; default 30. */
  readonly windowDays?: number;
  /** Most entries written; the smallest card purchases are left to the bank first. Default 80. */
  readonly entriesMax?: number;
}

export interface SampleLedger {
  readonly entries: readonly ExpectedEntry[];
  /** What the ledger author knows: for each entry group, the bank ids it should match (ground truth for tests and the demo's commentary). */
  readonly truth: readonly LedgerTruthGroup[];
  /** The bank dates the ledger covers (inclusive); null when no posted row was found. */
  readonly period: { readonly from: string; readonly to: string } | null;
}

const WINDOW_DAYS_DEFAULT = 30;
const WINDOW_DAYS_MAX = 366;
const ENTRIES_MAX_DEFAULT = 80;
/** The most entries the groups that are never trimmed can write: 3 payouts of 4, 3 invoices, 3 more. */
const ENTRIES_MIN = 20;
const PETTY_PURCHASE_MAX_MINOR = 2_500;
const PROCESSOR_SPLITS_MAX = 3;
const NEAR_AMOUNT_MIN_MINOR = 60_000;
const SPLIT_AMOUNT_MIN_MINOR = 10_000;
const ACCOUNTLESS_RATE = 0.06;
/** Tries at moving a minor unit to dodge an amount that some bank row has. */
const NUDGES_MAX = 1_000;

type Role =
  | "client_payment"
  | "processor_payout"
  | "check"
  | "own_transfer"
  | "loan_payment"
  | "cash"
  | "bank_charge"
  | "card_purchase"
  | "card_refund"
  | "other_out";

interface Draft {
  readonly date: string;
  readonly amountMinor: number;
  readonly currency: string;
  readonly description: string;
  readonly counterparty: string | null;
  readonly reference: string | null;
  readonly accountId: string | null;
}

interface DraftGroup {
  readonly kind: LedgerTruthKind;
  readonly drafts: readonly Draft[];
  readonly bankIds: readonly string[];
  /** Orders entries written on the same day: the bank id, or a fixed label. */
  readonly tie: string;
}

interface Planned {
  readonly row: BankTransaction;
  readonly role: Role;
  treatment: "one_to_one" | "processor_split" | "invoice_split" | "near_amount" | "bank_only";
}

/** Writing state shared by the drafting steps: the random stream and the numbering. */
interface Writer {
  readonly rng: Rng;
  /** Every bank amount: split and invented amounts avoid them, so no exact match is accidental. */
  readonly bankAmounts: ReadonlySet<number>;
  nextInvoice: number;
  readonly payees: readonly string[];
}

/**
 * Writes the sample ledger of the business behind `bank`. Pure and deterministic: the same
 * rows (in any order) and seed give the same ledger. Pending rows get no entry. The books
 * cover the last `windowDays` (default 30) of posted bank dates, and at most `entriesMax`
 * (default 80) entries so that the demo's table stays readable; reconcile it against the
 * bank rows of `period`.
 *
 * @example
 * const ledger = sampleLedger(bankTransactions, { seed: 7 });
 * const result = reconcile(bankTransactions.filter((b) => b.date >= ledger.period!.from), ledger.entries);
 * // ledger.truth: [{ kind: "many_to_one", expectedIds: ["L-0004", "L-0006", "L-0007"], bankIds: ["..."] }, ...]
 * @throws InputError when two bank rows share an id or an amount is not a safe integer
 * @throws ConfigError when an option is out of range
 */
export function sampleLedger(bank: readonly BankTransaction[], options: SampleLedgerOptions): SampleLedger {
  const settings = settingsOf(options);
  const rows = canonical(bank);
  const posted = rows.filter(
    (r) => !r.pending && (settings.accounts === null || settings.accounts.has(r.accountId ?? "")),
  );
  if (posted.length === 0) return { entries: [], truth: [], period: null };
  let to = posted[0]!.date;
  for (const r of posted) if (r.date > to) to = r.date;
  const from = addDays(to, 1 - settings.windowDays);
  const inWindow = posted
    .filter((r) => r.date >= from)
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.id < b.id ? -1 : 1));
  const rng = createRng(hashSeed(`ledger:${settings.seed}`));
  const writer: Writer = {
    rng,
    bankAmounts: new Set(rows.map((r) => r.amountMinor)),
    nextInvoice: rng.between(1040, 1880),
    payees: shuffled(CHECK_PAYEES, rng),
  };
  const plan = planRows(inWindow, rng, settings.entriesMax);
  const groups = plan.filter((p) => p.treatment !== "bank_only").map((p) => draftGroup(p, writer));
  groups.push(...ledgerOnly(inWindow, rows, writer, from, to));
  const ledger = numbered(groups);
  checkLedger(ledger, inWindow);
  invariant(ledger.entries.length <= settings.entriesMax, "the ledger must keep to entriesMax");
  return { ...ledger, period: { from, to } };
}

function settingsOf(options: SampleLedgerOptions) {
  const windowDays = options.windowDays ?? WINDOW_DAYS_DEFAULT;
  const entriesMax = options.entriesMax ?? ENTRIES_MAX_DEFAULT;
  if (!Number.isSafeInteger(options.seed)) throw new ConfigError("option seed must be an integer");
  if (!Number.isInteger(windowDays) || windowDays < 1 || windowDays > WINDOW_DAYS_MAX)
    throw new ConfigError(`option windowDays must be an integer from 1 to ${WINDOW_DAYS_MAX}`);
  if (!Number.isInteger(entriesMax) || entriesMax < ENTRIES_MIN)
    throw new ConfigError(`option entriesMax must be an integer of at least ${ENTRIES_MIN}`);
  const accounts = options.accountIds === undefined ? null : new Set(options.accountIds);
  return { seed: options.seed, windowDays, entriesMax, accounts };
}

/** Rows sorted by id, so that the input order changes nothing; checked once here. */
function canonical(bank: readonly BankTransaction[]): BankTransaction[] {
  const sorted = [...bank].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (let i = 0; i < sorted.length; i++) {
    const row = sorted[i]!;
    if (i > 0 && row.id === sorted[i - 1]!.id)
      throw new InputError(`bank transaction id "${row.id}" appears twice`);
    if (!Number.isSafeInteger(row.amountMinor))
      throw new InputError(`bank transaction "${row.id}": amountMinor must be a safe integer`);
    if (!isIsoDate(row.date)) throw new InputError(`bank transaction "${row.id}": date is not YYYY-MM-DD`);
  }
  return sorted;
}

/** What a bookkeeper makes of a bank row, read from its name alone (no categories needed). */
function roleOf(row: BankTransaction): Role {
  const name = row.name.toUpperCase();
  const moneyIn = row.amountMinor > 0;
  if (row.checkNumber !== null || /^CHECK\s*#?\s*\d+/.test(name)) return "check";
  if (/\b(FEE|SERVICE CHARGE|INTEREST)\b/.test(name)) return "bank_charge";
  if (/TRANSFER (TO|FROM)|CREDIT CARD|PAYMENT THANK YOU/.test(name)) return "own_transfer";
  if (moneyIn && /\b(STRIPE|SQUARE|PAYPAL|SHOPIFY)\b/.test(name)) return "processor_payout";
  if (row.merchantName !== null) return moneyIn ? "card_refund" : "card_purchase";
  if (moneyIn) return "client_payment";
  if (/\b(ATM|WITHDRAWAL)\b/.test(name)) return "cash";
  if (/\b(MORTGAGE|LOAN|NAVIENT)\b/.test(name)) return "loan_payment";
  return "other_out";
}

/** Decides each row's treatment; rows are in date order, and the rng is drawn in that order. */
function planRows(rows: readonly BankTransaction[], rng: Rng, entriesMax: number): Planned[] {
  const plan: Planned[] = rows.map((row) => {
    const role = roleOf(row);
    const petty = role === "card_purchase" && -row.amountMinor < PETTY_PURCHASE_MAX_MINOR;
    return { row, role, treatment: role === "bank_charge" || petty ? "bank_only" : "one_to_one" };
  });
  const clients = plan.filter((p) => p.role === "client_payment");
  // The last client payment arrives short by a wire fee; the first settles several invoices.
  // Their order matters: a settlement's invoices are dated after any earlier payment of the
  // same amount (retainers repeat), so no earlier deposit could take them.
  const last = clients[clients.length - 1];
  if (last !== undefined && last.row.amountMinor >= NEAR_AMOUNT_MIN_MINOR) last.treatment = "near_amount";
  const first = clients[0];
  if (first !== undefined && first !== last && first.row.amountMinor >= SPLIT_AMOUNT_MIN_MINOR)
    first.treatment = "invoice_split";
  const payouts = shuffled(
    plan.filter((p) => p.role === "processor_payout" && p.row.amountMinor >= SPLIT_AMOUNT_MIN_MINOR),
    rng,
  );
  const splits = Math.min(PROCESSOR_SPLITS_MAX, Math.ceil(payouts.length / 4));
  for (const p of payouts.slice(0, splits)) p.treatment = "processor_split";
  trimToCap(plan, entriesMax);
  return plan;
}

/** Entries a treatment writes at most (splits: 4), plus the two ledger-only entries. */
function entriesOf(plan: readonly Planned[]): number {
  let count = 2;
  for (const p of plan) {
    if (p.treatment === "one_to_one" || p.treatment === "near_amount") count += 1;
    else if (p.treatment !== "bank_only") count += 4;
  }
  return count;
}

/** Leaves rows to the bank until the ledger fits: small card purchases first, then the oldest. */
function trimToCap(plan: Planned[], entriesMax: number): void {
  let excess = entriesOf(plan) - entriesMax;
  if (excess <= 0) return;
  const simple = plan.filter((p) => p.treatment === "one_to_one");
  const byPriority = [
    ...simple
      .filter((p) => p.role === "card_purchase")
      .sort((a, b) => b.row.amountMinor - a.row.amountMinor || (a.row.id < b.row.id ? -1 : 1)),
    ...simple.filter((p) => p.role !== "card_purchase"),
  ];
  for (const p of byPriority) {
    if (excess <= 0) break;
    p.treatment = "bank_only";
    excess -= 1;
  }
}

function draftGroup(p: Planned, writer: Writer): DraftGroup {
  const bankIds = [p.row.id];
  if (p.treatment === "processor_split")
    return { kind: "many_to_one", drafts: processorSplit(p.row, writer), bankIds, tie: p.row.id };
  if (p.treatment === "invoice_split")
    return { kind: "many_to_one", drafts: invoiceSplit(p.row, writer), bankIds, tie: p.row.id };
  if (p.treatment === "near_amount")
    return { kind: "near_amount", drafts: [nearAmount(p.row, writer)], bankIds, tie: p.row.id };
  return { kind: "one_to_one", drafts: [oneToOne(p, writer)], bankIds, tie: p.row.id };
}

function oneToOne(p: Planned, writer: Writer): Draft {
  const { rng } = writer;
  const row = p.row;
  const lead = p.role === "check" ? rng.between(3, 21) : p.role === "own_transfer" ? 0 : rng.between(0, 3);
  const words = wordsFor(p, writer);
  const knowsAccount = p.role !== "client_payment" && !rng.chance(ACCOUNTLESS_RATE);
  return {
    date: addDays(row.date, -lead),
    amountMinor: row.amountMinor,
    currency: row.currency,
    ...words,
    accountId: knowsAccount ? row.accountId : null,
  };
}

/** The description, counterparty and reference a bookkeeper writes for a row. */
function wordsFor(p: Planned, writer: Writer): Pick<Draft, "description" | "counterparty" | "reference"> {
  const row = p.row;
  const vendor = row.merchantName ?? cleanName(row.name);
  switch (p.role) {
    case "client_payment":
      return invoiceWords(cleanName(row.name), writer);
    case "processor_payout": {
      const processor = processorOf(row.name);
      return { description: `${processor} payout`, counterparty: processor, reference: null };
    }
    case "check": {
      const number = row.checkNumber ?? (/\d+/.exec(row.name)?.[0] as string);
      const payee = writer.payees[Number(number) % writer.payees.length]!;
      return { description: `Check ${number} - ${payee}`, counterparty: payee, reference: number };
    }
    case "own_transfer":
      return { description: transferWords(row), counterparty: null, reference: null };
    case "loan_payment":
      return { description: `Loan payment - ${vendor}`, counterparty: vendor, reference: null };
    case "cash":
      return { description: "Cash withdrawal - petty cash", counterparty: null, reference: null };
    case "card_refund":
      return { description: `Refund - ${vendor}`, counterparty: vendor, reference: null };
    default:
      return { description: `${vendor} - ${memoOf(vendor)}`, counterparty: vendor, reference: null };
  }
}

function invoiceWords(
  client: string,
  writer: Writer,
): Pick<Draft, "description" | "counterparty" | "reference"> {
  const number = writer.nextInvoice++;
  return { description: `Invoice ${number} - ${client}`, counterparty: client, reference: `INV-${number}` };
}

function transferWords(row: BankTransaction): string {
  const name = row.name.toUpperCase();
  const mask = /(\d{4})\s*$/.exec(row.name)?.[1];
  if (name.includes("PAYMENT THANK YOU")) return "Card payment received from checking";
  if (name.includes("CREDIT CARD"))
    return mask === undefined ? "Credit card payment" : `Credit card payment - card ${mask}`;
  if (name.includes("TO SAV")) return "Transfer to savings";
  if (name.includes("FROM CHECKING") || name.includes("FROM CHK")) return "Transfer from checking";
  return row.amountMinor > 0 ? "Transfer in" : "Transfer out";
}

/** A payout booked gross: 2-3 sales and the processor's fee (2.9% + 0.30 a sale), netting to the payout. */
function processorSplit(row: BankTransaction, writer: Writer): Draft[] {
  const { rng } = writer;
  const processor = processorOf(row.name);
  const sales = rng.between(2, 3);
  const feeMinor = Math.round((row.amountMinor * 0.029 + 30 * sales) / 0.971);
  const parts = splitExactly(row.amountMinor + feeMinor, sales, writer);
  const channels = shuffled(SALES_CHANNELS, rng);
  const drafts: Draft[] = parts.map((amountMinor, i) => ({
    date: addDays(row.date, -rng.between(1, 3)),
    amountMinor,
    currency: row.currency,
    description: `${processor} card sales - ${channels[i]!}`,
    counterparty: processor,
    reference: null,
    accountId: row.accountId,
  }));
  drafts.push({
    date: addDays(row.date, -rng.between(0, 1)),
    amountMinor: -feeMinor,
    currency: row.currency,
    description: `${processor} processing fees`,
    counterparty: processor,
    reference: null,
    accountId: row.accountId,
  });
  invariant(sumOf(drafts) === row.amountMinor, "sales less the fee must equal the payout");
  return drafts;
}

/** A client payment settling 2-3 invoices written in the days before it. */
function invoiceSplit(row: BankTransaction, writer: Writer): Draft[] {
  const { rng } = writer;
  const client = cleanName(row.name);
  const parts = splitExactly(row.amountMinor, rng.between(2, 3), writer);
  // Drawn before numbering, so that invoice numbers rise with their dates as a ledger's do.
  const dates = parts.map(() => addDays(row.date, -rng.between(1, 5))).sort();
  const drafts = parts.map((amountMinor, i) => ({
    date: dates[i]!,
    amountMinor,
    currency: row.currency,
    ...invoiceWords(client, writer),
    accountId: null,
  }));
  invariant(sumOf(drafts) === row.amountMinor, "the invoices must add up to the payment");
  return drafts;
}

/** The invoice as billed; the bank received it less the wire fee its bank took. */
function nearAmount(row: BankTransaction, writer: Writer): Draft {
  let amountMinor = row.amountMinor + writer.rng.between(1_500, 3_000);
  for (let n = 0; n < NUDGES_MAX && writer.bankAmounts.has(amountMinor); n++) amountMinor += 1;
  return {
    date: addDays(row.date, -writer.rng.between(1, 3)),
    amountMinor,
    currency: row.currency,
    ...invoiceWords(cleanName(row.name), writer),
    accountId: row.accountId,
  };
}

/** An outstanding check and an invoice not paid yet, dated inside the period. */
function ledgerOnly(
  window: readonly BankTransaction[],
  all: readonly BankTransaction[],
  writer: Writer,
  from: string,
  to: string,
): DraftGroup[] {
  const { rng } = writer;
  const sample = window[window.length - 1]!;
  const checking = window.find((r) => roleOf(r) === "check")?.accountId ?? null;
  let lastCheck = 0;
  for (const r of all)
    if (r.checkNumber !== null && /^\d+$/.test(r.checkNumber))
      lastCheck = Math.max(lastCheck, Number(r.checkNumber));
  const checkNumber = String(lastCheck === 0 ? rng.between(1001, 1999) : lastCheck + 1);
  const payee = writer.payees[Number(checkNumber) % writer.payees.length]!;
  const client = window.find((r) => roleOf(r) === "client_payment");
  const clientName = client === undefined ? "Northwind Traders" : cleanName(client.name);
  const dayIn = (back: number) => (daysBetween(from, to) >= back ? addDays(to, -back) : from);
  const check: Draft = {
    date: dayIn(rng.between(3, 6)),
    amountMinor: -dodge(rng.between(20_000, 180_000), writer, -1),
    currency: sample.currency,
    description: `Check ${checkNumber} - ${payee}`,
    counterparty: payee,
    reference: checkNumber,
    accountId: checking,
  };
  const invoice: Draft = {
    date: dayIn(rng.between(1, 4)),
    amountMinor: dodge(rng.between(40_000, 400_000), writer, 1),
    currency: sample.currency,
    ...invoiceWords(clientName, writer),
    accountId: null,
  };
  return [
    { kind: "ledger_only", drafts: [check], bankIds: [], tie: "~outstanding-check" },
    { kind: "ledger_only", drafts: [invoice], bankIds: [], tie: "~unpaid-invoice" },
  ];
}

/** A positive amount that no bank row has with the given sign. */
function dodge(amountMinor: number, writer: Writer, sign: 1 | -1): number {
  let out = amountMinor;
  for (let n = 0; n < NUDGES_MAX && writer.bankAmounts.has(sign * out); n++) out += 1;
  return out;
}

/**
 * `totalMinor` (> 0) in `count` positive parts that add up exactly, none equal to a bank
 * amount (so that no part matches a bank row by accident).
 */
function splitExactly(totalMinor: number, count: number, writer: Writer): number[] {
  invariant(Number.isSafeInteger(totalMinor) && totalMinor >= count * 100, "split of a too small amount");
  const weights = Array.from({ length: count }, () => writer.rng.between(2, 6));
  const weightTotal = weights.reduce((a, b) => a + b, 0);
  const parts = weights.map((w) => Math.floor((totalMinor * w) / weightTotal));
  parts[count - 1] = totalMinor - parts.slice(0, -1).reduce((a, b) => a + b, 0);
  for (let i = 0; i < count - 1; i++) {
    for (let n = 0; n < NUDGES_MAX; n++) {
      if (!writer.bankAmounts.has(parts[i]!) && !writer.bankAmounts.has(parts[count - 1]!)) break;
      parts[i]! += 1;
      parts[count - 1]! -= 1;
    }
  }
  invariant(parts.reduce((a, b) => a + b, 0) === totalMinor, "split parts must add up to the total");
  invariant(
    parts.every((x) => x > 0),
    "split parts must be positive",
  );
  return parts;
}

/** Ids in date order, as a ledger numbers its entries; truth follows the ids. */
function numbered(groups: readonly DraftGroup[]): Omit<SampleLedger, "period"> {
  const items = groups.flatMap((g, gi) => g.drafts.map((d, di) => ({ d, gi, key: `${g.tie}:${di}` })));
  items.sort((a, b) => (a.d.date < b.d.date ? -1 : a.d.date > b.d.date ? 1 : a.key < b.key ? -1 : 1));
  const ids: string[][] = groups.map(() => []);
  const entries: ExpectedEntry[] = items.map((item, i) => {
    const id = `L-${String(i + 1).padStart(4, "0")}`;
    ids[item.gi]!.push(id);
    return { id, ...item.d };
  });
  const truth = groups.map((g, gi) => ({ kind: g.kind, expectedIds: ids[gi]!.sort(), bankIds: g.bankIds }));
  return { entries, truth };
}

/** The promises of the truth, asserted before the ledger leaves (programmer errors if broken). */
function checkLedger(ledger: Omit<SampleLedger, "period">, window: readonly BankTransaction[]): void {
  const bankById = new Map(window.map((r) => [r.id, r]));
  const entryById = new Map(ledger.entries.map((e) => [e.id, e]));
  const usedBank = new Set<string>();
  for (const group of ledger.truth) {
    const entries = group.expectedIds.map((id) => entryById.get(id)!);
    const bankTotal = group.bankIds.reduce((sum, id) => {
      invariant(bankById.has(id) && !usedBank.has(id), `bank row ${id} must be in the window once`);
      usedBank.add(id);
      return sum + bankById.get(id)!.amountMinor;
    }, 0);
    if (group.kind === "one_to_one" || group.kind === "many_to_one")
      invariant(sumOf(entries) === bankTotal, `${group.kind} group must add up to its bank rows`);
    if (group.kind === "near_amount")
      invariant(sumOf(entries) > bankTotal, "a near amount is billed above the bank's");
  }
}

function sumOf(drafts: readonly Draft[]): number {
  return drafts.reduce((sum, d) => sum + d.amountMinor, 0);
}

function invariant(condition: boolean, message: string): asserts condition {
  if (!condition) throw new Error(`sampleLedger: ${message}`);
}

/** A deterministic shuffle (Fisher-Yates on the ledger's stream). */
function shuffled<T>(items: readonly T[], rng: Rng): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

const RAIL_NOISE = /\b(PAYROLL|DES:.*|PPD|CCD|ACH|WEB|DIR(ECT)? DEP(OSIT)?|DEPOSIT|CREDIT|PAYMENT)\b/g;
const KEEP_CASE = new Set(["LLC", "LLP", "USA", "US"]);

/** "ACME ROBOTICS INC PAYROLL" → "Acme Robotics Inc"; short all-caps names ("ADP") stay as they are. */
function cleanName(bankName: string): string {
  const words = bankName.toUpperCase().replace(RAIL_NOISE, " ").split(/\s+/).filter(Boolean);
  if (words.length === 0) return bankName.trim();
  return words
    .map((w) =>
      KEEP_CASE.has(w) || (w.length <= 3 && words.length === 1) ? w : w[0] + w.slice(1).toLowerCase(),
    )
    .join(" ");
}

function processorOf(bankName: string): string {
  const found = /\b(STRIPE|SQUARE|PAYPAL|SHOPIFY)\b/.exec(bankName.toUpperCase())?.[1] ?? "Processor";
  return found[0] + found.slice(1).toLowerCase();
}

const MEMOS: readonly (readonly [RegExp, string])[] = [
  [
    /aws|amazon web|google workspace|adobe|slack|zoom|quickbooks|apple|netflix|spotify/i,
    "software subscription",
  ],
  [/fedex|usps|ups\b/i, "shipping"],
  [/staples|office/i, "office supplies"],
  [/wework/i, "coworking rent"],
  [/united|delta|airline/i, "airfare"],
  [/marriott|airbnb|hotel/i, "lodging"],
  [/hertz|avis/i, "car rental"],
  [/uber|lyft|clipper/i, "local travel"],
  [/shell|chevron/i, "fuel"],
  [/verizon|at&t/i, "phone"],
  [/home depot|hardware/i, "repairs and maintenance"],
  [/whole foods|trader joe|safeway|costco|target|amazon|walgreens/i, "supplies"],
  [/equinox|gym/i, "membership"],
  [/starbucks|blue bottle|chipotle|mcdonald|doordash|nopa|zuni|sweetgreen/i, "meals"],
];

function memoOf(vendor: string): string {
  return MEMOS.find(([pattern]) => pattern.test(vendor))?.[1] ?? "purchase";
}

const CHECK_PAYEES: readonly string[] = [
  "Harbor Street Properties",
  "Bayview Cleaning Co",
  "Mendoza Electric",
  "Pacific Print Supply",
  "Lin & Park CPAs",
  "Ortiz Landscaping",
  "Golden Gate Plumbing",
];

const SALES_CHANNELS: readonly string[] = [
  "online store",
  "workshop orders",
  "wholesale orders",
  "market stall",
];
