import {
  asRow,
  currencyOf,
  openString,
  optionalBoolean,
  optionalDate,
  optionalNumber,
  type Row,
  statedMinor,
  type Where,
} from "./map-fields.js";

/**
 * Liabilities as Plaid states them: amounts owed and paid are positive, in minor units of the
 * account's currency; rates are percentages as numbers. Kinds are `credit`, `mortgage`,
 * `student` (and whatever Plaid adds, kept raw).
 */
export interface PlaidLiabilityRecord {
  readonly kind: string;
  readonly accountId: string | null;
  readonly currency: string;
  readonly lastPaymentAmountMinor: number | null;
  readonly lastPaymentDate: string | null;
  readonly lastStatementBalanceMinor: number | null;
  readonly lastStatementIssueDate: string | null;
  readonly minimumPaymentAmountMinor: number | null;
  readonly nextPaymentDueDate: string | null;
  readonly isOverdue: boolean | null;
  /** Interest rate in percent (APR for cards: the purchase APR when listed). */
  readonly interestRatePercentage: number | null;
  readonly raw: Readonly<Record<string, unknown>>;
}

export interface PlaidLiabilities {
  readonly credit: readonly PlaidLiabilityRecord[];
  readonly mortgage: readonly PlaidLiabilityRecord[];
  readonly student: readonly PlaidLiabilityRecord[];
}

/**
 * Maps Plaid's `liabilities` object. Liabilities carry no currency of their own: it is the
 * account's, passed in by account id (USD when the account states none).
 *
 * @example toPlaidLiabilities({ credit: [{ account_id: "a", last_payment_amount: 168.25, ... }], mortgage: null, student: null }, new Map())
 */
export function toPlaidLiabilities(
  value: unknown,
  currencyByAccount: ReadonlyMap<string, string>,
): PlaidLiabilities {
  const row = asRow(value, { kind: "liabilities", id: "(response)" });
  const list = (kind: string) =>
    Array.isArray(row[kind])
      ? (row[kind] as unknown[]).map((item) => liabilityOf(kind, item, currencyByAccount))
      : [];
  return { credit: list("credit"), mortgage: list("mortgage"), student: list("student") };
}

function liabilityOf(
  kind: string,
  value: unknown,
  currencyByAccount: ReadonlyMap<string, string>,
): PlaidLiabilityRecord {
  const row = asRow(value, { kind: `${kind} liability`, id: "(unknown)" });
  const accountId = openString(row, "account_id");
  const where: Where = { kind: `${kind} liability`, id: accountId ?? "(no account)" };
  const currency =
    row.iso_currency_code != null || row.unofficial_currency_code != null
      ? currencyOf(row, where).currency
      : ((accountId === null ? undefined : currencyByAccount.get(accountId)) ?? "USD");
  return {
    kind,
    accountId,
    currency,
    lastPaymentAmountMinor: statedMinor(row, "last_payment_amount", currency, where),
    lastPaymentDate: optionalDate(row, "last_payment_date", where),
    lastStatementBalanceMinor: statedMinor(row, "last_statement_balance", currency, where),
    lastStatementIssueDate: optionalDate(row, "last_statement_issue_date", where),
    minimumPaymentAmountMinor: statedMinor(
      row,
      kind === "mortgage" ? "next_monthly_payment" : "minimum_payment_amount",
      currency,
      where,
    ),
    nextPaymentDueDate: optionalDate(row, "next_payment_due_date", where),
    isOverdue: optionalBoolean(row, "is_overdue"),
    interestRatePercentage: rateOf(kind, row),
    raw: row,
  };
}

function rateOf(kind: string, row: Row): number | null {
  if (kind === "student") return optionalNumber(row, "interest_rate_percentage");
  if (kind === "mortgage") {
    const rate = row.interest_rate;
    return typeof rate === "object" && rate !== null ? optionalNumber(rate as Row, "percentage") : null;
  }
  if (!Array.isArray(row.aprs)) return null;
  const aprs = row.aprs.filter((apr): apr is Row => typeof apr === "object" && apr !== null);
  const purchase = aprs.find((apr) => apr.apr_type === "purchase_apr") ?? aprs[0];
  return purchase === undefined ? null : optionalNumber(purchase, "apr_percentage");
}
