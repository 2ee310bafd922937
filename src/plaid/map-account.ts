import type { BankAccount } from "../domain/index.js";
import {
  asRow,
  currencyOf,
  openString,
  type Row,
  requiredId,
  requiredString,
  statedMinor,
  stringList,
  type Where,
} from "./map-fields.js";

/**
 * Balances in minor units, as Plaid states them (not flipped): for a depository account
 * `current` > 0 is money held; for a credit or loan account it is money owed.
 */
export interface PlaidBalances {
  readonly currency: string | null;
  readonly currencyIsOfficial: boolean;
  readonly availableMinor: number | null;
  readonly currentMinor: number | null;
  readonly limitMinor: number | null;
  /** When the bank last refreshed the balance (ISO 8601), when Plaid says. */
  readonly lastUpdatedDatetime: string | null;
}

/** A Plaid account: a BankAccount plus its balances and Plaid's extra fields. */
export interface PlaidAccountRecord extends BankAccount {
  readonly officialName: string | null;
  /** `depository`, `credit`, `loan`, `investment`, `other`, … (open). */
  readonly type: string | null;
  /** `checking`, `savings`, `credit card`, `mortgage`, `student`, … (open). */
  readonly subtype: string | null;
  readonly persistentAccountId: string | null;
  readonly balances: PlaidBalances;
  readonly raw: Readonly<Record<string, unknown>>;
}

/**
 * Maps one Plaid account with its balances.
 *
 * @example toPlaidAccountRecord({ account_id: "a1", name: "Checking", mask: "0000", type: "depository",
 *   subtype: "checking", balances: { available: 100, current: 110.5, limit: null, iso_currency_code: "USD" } })
 * // { id: "a1", ..., balances: { currency: "USD", availableMinor: 10000, currentMinor: 11050, ... } }
 */
export function toPlaidAccountRecord(value: unknown): PlaidAccountRecord {
  const row = asRow(value, { kind: "account", id: "(unknown)" });
  const id = requiredId(row, "account_id", "account");
  const where: Where = { kind: "account", id };
  return {
    id,
    name: requiredString(row, "name", where),
    officialName: openString(row, "official_name"),
    mask: openString(row, "mask"),
    type: openString(row, "type"),
    subtype: openString(row, "subtype"),
    persistentAccountId: openString(row, "persistent_account_id"),
    balances: balancesOf(row.balances, where),
    raw: row,
  };
}

const NO_BALANCES: PlaidBalances = {
  currency: null,
  currencyIsOfficial: true,
  availableMinor: null,
  currentMinor: null,
  limitMinor: null,
  lastUpdatedDatetime: null,
};

function balancesOf(value: unknown, where: Where): PlaidBalances {
  if (typeof value !== "object" || value === null) return NO_BALANCES;
  const row = value as Row;
  const at: Where = { kind: where.kind, id: `${where.id} balances` };
  const hasCurrency = row.iso_currency_code != null || row.unofficial_currency_code != null;
  const hasAmount = ["available", "current", "limit"].some((key) => row[key] != null);
  if (!hasCurrency && !hasAmount)
    return { ...NO_BALANCES, lastUpdatedDatetime: openString(row, "last_updated_datetime") };
  // A balance with no currency cannot be put in minor units honestly: currencyOf throws.
  const { currency, currencyIsOfficial } = currencyOf(row, at);
  return {
    currency,
    currencyIsOfficial,
    availableMinor: statedMinor(row, "available", currency, at),
    currentMinor: statedMinor(row, "current", currency, at),
    limitMinor: statedMinor(row, "limit", currency, at),
    lastUpdatedDatetime: openString(row, "last_updated_datetime"),
  };
}

/** Plaid's Item: the link to one login at one institution. */
export interface PlaidItem {
  readonly itemId: string;
  readonly institutionId: string | null;
  readonly institutionName: string | null;
  readonly webhook: string | null;
  /** The Item's error when it needs attention (ITEM_LOGIN_REQUIRED, …), else null. */
  readonly error: PlaidItemError | null;
  readonly availableProducts: readonly string[];
  readonly billedProducts: readonly string[];
  readonly products: readonly string[];
  readonly consentExpirationTime: string | null;
  /** `background` or `user_present_required` (open). */
  readonly updateType: string | null;
  readonly raw: Readonly<Record<string, unknown>>;
}

export interface PlaidItemError {
  readonly errorType: string;
  readonly errorCode: string;
  readonly errorMessage: string;
  readonly displayMessage: string | null;
}

/** Maps Plaid's `item` object. */
export function toPlaidItem(value: unknown): PlaidItem {
  const row = asRow(value, { kind: "item", id: "(unknown)" });
  const itemId = requiredId(row, "item_id", "item");
  return {
    itemId,
    institutionId: openString(row, "institution_id"),
    institutionName: openString(row, "institution_name"),
    webhook: openString(row, "webhook"),
    error: itemErrorOf(row.error),
    availableProducts: stringList(row, "available_products") ?? [],
    billedProducts: stringList(row, "billed_products") ?? [],
    products: stringList(row, "products") ?? [],
    consentExpirationTime: openString(row, "consent_expiration_time"),
    updateType: openString(row, "update_type"),
    raw: row,
  };
}

/** A Plaid error object inside a response or a webhook (not a failed call). */
export function itemErrorOf(value: unknown): PlaidItemError | null {
  if (typeof value !== "object" || value === null) return null;
  const row = value as Row;
  return {
    errorType: openString(row, "error_type") ?? "UNKNOWN",
    errorCode: openString(row, "error_code") ?? "UNKNOWN",
    errorMessage: openString(row, "error_message") ?? "",
    displayMessage: openString(row, "display_message"),
  };
}
