import { formatAmount } from "../money/index.js";

/**
 * The arithmetic of a manual match, pure: a person's set of bank rows and ledger entries is
 * accepted when the sums agree, or when an adjustment balances them exactly
 * (bank total = ledger total + adjustment, natural sign: a fee the bank kept is negative).
 */

/** A row's money, as the check needs it. */
export interface MoneyRow {
  readonly id: string;
  readonly amountMinor: number;
  readonly currency: string;
}

/** What a manual match's sums say. */
export type ManualMatchCheck =
  | { readonly kind: "balanced"; readonly currency: string; readonly totals: Totals }
  | {
      readonly kind: "adjusted";
      readonly currency: string;
      readonly totals: Totals;
      readonly adjustmentMinor: number;
    }
  | { readonly kind: "unbalanced"; readonly currency: string; readonly totals: Totals }
  | {
      readonly kind: "adjustment_off";
      readonly currency: string;
      readonly totals: Totals;
      readonly adjustmentMinor: number;
    }
  | { readonly kind: "mixed_currency"; readonly currencies: readonly string[] }
  | { readonly kind: "empty"; readonly side: "bank" | "ledger" };

export interface Totals {
  readonly bankMinor: number;
  readonly ledgerMinor: number;
  /** Bank total minus ledger total: the adjustment that would balance the match. */
  readonly differenceMinor: number;
}

/**
 * Checks a manual match's sums. `adjustmentMinor` null: none given.
 *
 * @example
 * checkManualMatch([{ id: "b", amountMinor: 97_000, currency: "USD" }],
 *   [{ id: "e1", amountMinor: 60_000, currency: "USD" }, { id: "e2", amountMinor: 40_000, currency: "USD" }], -3_000)
 * // { kind: "adjusted", currency: "USD", totals: { bankMinor: 97000, ledgerMinor: 100000, differenceMinor: -3000 }, adjustmentMinor: -3000 }
 */
export function checkManualMatch(
  bank: readonly MoneyRow[],
  ledger: readonly MoneyRow[],
  adjustmentMinor: number | null,
): ManualMatchCheck {
  if (bank.length === 0) return { kind: "empty", side: "bank" };
  if (ledger.length === 0) return { kind: "empty", side: "ledger" };
  const currencies = [...new Set([...bank, ...ledger].map((row) => row.currency))].sort();
  if (currencies.length > 1) return { kind: "mixed_currency", currencies };
  const currency = currencies[0] as string;
  const totals = totalsOf(bank, ledger);
  const adjustment = adjustmentMinor ?? 0;
  if (adjustmentMinor === null || adjustment === 0)
    return totals.differenceMinor === 0
      ? { kind: "balanced", currency, totals }
      : { kind: "unbalanced", currency, totals };
  return adjustment === totals.differenceMinor
    ? { kind: "adjusted", currency, totals, adjustmentMinor: adjustment }
    : { kind: "adjustment_off", currency, totals, adjustmentMinor: adjustment };
}

function totalsOf(bank: readonly MoneyRow[], ledger: readonly MoneyRow[]): Totals {
  // bigint: a person may pick many large rows; the sums are checked before they become numbers.
  const sum = (rows: readonly MoneyRow[]) => rows.reduce((s, row) => s + BigInt(row.amountMinor), 0n);
  const bankMinor = sum(bank);
  const ledgerMinor = sum(ledger);
  const safe = (value: bigint) => {
    const n = Number(value);
    if (!Number.isSafeInteger(n))
      throw new RangeError(`a match total of ${value} minor units is beyond 2^53`);
    return n;
  };
  return {
    bankMinor: safe(bankMinor),
    ledgerMinor: safe(ledgerMinor),
    differenceMinor: safe(bankMinor - ledgerMinor),
  };
}

/**
 * The one line that says why a manual match cannot be made, or null when it can.
 *
 * @example manualMatchProblem(checkManualMatch(bank, ledger, null))
 * // "the bank rows add up to 970.00 USD and the ledger entries to 1,000.00 USD, a difference of -30.00: give --adjust -30.00 with a --reason (fee, rounding, fx, other) to keep it with the match"
 */
export function manualMatchProblem(check: ManualMatchCheck): string | null {
  switch (check.kind) {
    case "balanced":
    case "adjusted":
      return null;
    case "empty":
      return `a match needs at least one ${check.side === "bank" ? "bank row" : "ledger entry"}`;
    case "mixed_currency":
      return `the rows are in ${check.currencies.join(" and ")}: a match holds one currency (book a conversion difference with --adjust --reason fx on rows of one currency)`;
    case "unbalanced": {
      const { totals, currency } = check;
      return (
        `the bank rows add up to ${money(totals.bankMinor, currency)} and the ledger entries to ` +
        `${money(totals.ledgerMinor, currency)}, a difference of ${formatAmount(totals.differenceMinor, currency)}: ` +
        `give --adjust ${formatAmount(totals.differenceMinor, currency, { grouping: false })} with a --reason (fee, rounding, fx, other) to keep it with the match`
      );
    }
    case "adjustment_off": {
      const { totals, currency } = check;
      const off = totals.differenceMinor - check.adjustmentMinor;
      return (
        `the adjustment ${formatAmount(check.adjustmentMinor, currency)} does not balance the match: the bank rows add up to ` +
        `${money(totals.bankMinor, currency)} and the ledger entries to ${money(totals.ledgerMinor, currency)}, ` +
        `so the adjustment must be ${formatAmount(totals.differenceMinor, currency)} (it is off by ${formatAmount(off, currency)})`
      );
    }
  }
}

function money(minor: number, currency: string): string {
  return `${formatAmount(minor, currency)} ${currency}`;
}

/**
 * The kind of a match by how many rows each side has; `many_to_many` only a person makes.
 *
 * @example matchKindOf(1, 3) // "many_to_one"
 */
export function matchKindOf(bankCount: number, ledgerCount: number): string {
  if (bankCount === 1) return ledgerCount === 1 ? "one_to_one" : "many_to_one";
  return ledgerCount === 1 ? "one_to_many" : "many_to_many";
}
