import {
  asRow,
  type CurrencyOf,
  currencyOf,
  invalid,
  openString,
  optionalBoolean,
  optionalDate,
  optionalNumber,
  type Row,
  requiredDate,
  requiredId,
  requiredString,
  roundedMinor,
  type Where,
} from "./map-fields.js";

/**
 * A position in a security. Quantities and unit prices stay numbers (a share count or a price
 * can have many decimals); values are money, in minor units rounded half away from zero.
 */
export interface PlaidHoldingRecord {
  readonly accountId: string;
  readonly securityId: string;
  readonly quantity: number;
  readonly institutionPrice: number;
  readonly institutionPriceAsOf: string | null;
  readonly institutionValueMinor: number;
  readonly costBasisMinor: number | null;
  readonly vestedQuantity: number | null;
  readonly vestedValueMinor: number | null;
  readonly currency: string;
  readonly currencyIsOfficial: boolean;
  readonly raw: Readonly<Record<string, unknown>>;
}

export interface PlaidSecurityRecord {
  readonly securityId: string;
  readonly name: string | null;
  readonly tickerSymbol: string | null;
  /** `equity`, `etf`, `mutual fund`, `cash`, `cryptocurrency`, … (open). */
  readonly type: string | null;
  readonly subtype: string | null;
  readonly isin: string | null;
  readonly cusip: string | null;
  readonly sedol: string | null;
  readonly institutionSecurityId: string | null;
  readonly institutionId: string | null;
  readonly proxySecurityId: string | null;
  readonly isCashEquivalent: boolean | null;
  readonly closePrice: number | null;
  readonly closePriceAsOf: string | null;
  readonly currency: string | null;
  readonly raw: Readonly<Record<string, unknown>>;
}

/** An investment transaction; `amountMinor` in the natural sign (> 0 is cash into the account). */
export interface PlaidInvestmentTransactionRecord {
  readonly id: string;
  readonly accountId: string;
  readonly securityId: string | null;
  readonly cancelTransactionId: string | null;
  readonly date: string;
  readonly transactionDatetime: string | null;
  readonly name: string;
  readonly quantity: number;
  readonly price: number;
  readonly amountMinor: number;
  /** Fees paid, as a positive amount, when the institution reports them. */
  readonly feesMinor: number | null;
  /** `buy`, `sell`, `cash`, `fee`, `transfer`, `cancel` (open). */
  readonly type: string | null;
  readonly subtype: string | null;
  readonly currency: string;
  readonly currencyIsOfficial: boolean;
  readonly raw: Readonly<Record<string, unknown>>;
}

/** @example toPlaidHoldingRecord({ account_id: "a", security_id: "s", quantity: 1.5, institution_price: 10.005, institution_value: 15.0075, iso_currency_code: "USD" }).institutionValueMinor // 1501 */
export function toPlaidHoldingRecord(value: unknown): PlaidHoldingRecord {
  const row = asRow(value, { kind: "holding", id: "(unknown)" });
  const accountId = requiredId(row, "account_id", "holding");
  const securityId = requiredId(row, "security_id", "holding");
  const where: Where = { kind: "holding", id: `${accountId}/${securityId}` };
  const money = currencyOf(row, where);
  return {
    accountId,
    securityId,
    quantity: requiredNumber(row, "quantity", where),
    institutionPrice: requiredNumber(row, "institution_price", where),
    institutionPriceAsOf: optionalDate(row, "institution_price_as_of", where),
    institutionValueMinor: roundedMinor(row, "institution_value", money.currency, where) ?? 0,
    costBasisMinor: roundedMinor(row, "cost_basis", money.currency, where),
    vestedQuantity: optionalNumber(row, "vested_quantity"),
    vestedValueMinor: roundedMinor(row, "vested_value", money.currency, where),
    ...money,
    raw: row,
  };
}

export function toPlaidSecurityRecord(value: unknown): PlaidSecurityRecord {
  const row = asRow(value, { kind: "security", id: "(unknown)" });
  const securityId = requiredId(row, "security_id", "security");
  const where: Where = { kind: "security", id: securityId };
  const hasCurrency = row.iso_currency_code != null || row.unofficial_currency_code != null;
  return {
    securityId,
    name: openString(row, "name"),
    tickerSymbol: openString(row, "ticker_symbol"),
    type: openString(row, "type"),
    subtype: openString(row, "subtype"),
    isin: openString(row, "isin"),
    cusip: openString(row, "cusip"),
    sedol: openString(row, "sedol"),
    institutionSecurityId: openString(row, "institution_security_id"),
    institutionId: openString(row, "institution_id"),
    proxySecurityId: openString(row, "proxy_security_id"),
    isCashEquivalent: optionalBoolean(row, "is_cash_equivalent"),
    closePrice: optionalNumber(row, "close_price"),
    closePriceAsOf: optionalDate(row, "close_price_as_of", where),
    currency: hasCurrency ? currencyOf(row, where).currency : null,
    raw: row,
  };
}

export function toPlaidInvestmentTransactionRecord(value: unknown): PlaidInvestmentTransactionRecord {
  const row = asRow(value, { kind: "investment transaction", id: "(unknown)" });
  const id = requiredId(row, "investment_transaction_id", "investment transaction");
  const where: Where = { kind: "investment transaction", id };
  const money: CurrencyOf = currencyOf(row, where);
  // Plaid: amount > 0 is cash out of the account (a buy); flipped to the natural sign here.
  const outMinor = roundedMinor(row, "amount", money.currency, where);
  if (outMinor === null) throw invalid(where, "amount", "is missing");
  return {
    id,
    accountId: requiredString(row, "account_id", where),
    securityId: openString(row, "security_id"),
    cancelTransactionId: openString(row, "cancel_transaction_id"),
    date: requiredDate(row, "date", where),
    transactionDatetime: openString(row, "transaction_datetime"),
    name: openString(row, "name") ?? "",
    quantity: optionalNumber(row, "quantity") ?? 0,
    price: optionalNumber(row, "price") ?? 0,
    amountMinor: outMinor === 0 ? 0 : -outMinor,
    feesMinor: roundedMinor(row, "fees", money.currency, where),
    type: openString(row, "type"),
    subtype: openString(row, "subtype"),
    ...money,
    raw: row,
  };
}

function requiredNumber(row: Row, key: string, where: Where): number {
  const value = optionalNumber(row, key);
  if (value === null) throw invalid(where, key, "is missing or not a number");
  return value;
}
