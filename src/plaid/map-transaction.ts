import type { BankTransaction } from "../domain/index.js";
import {
  asRow,
  currencyOf,
  flowMinor,
  openString,
  optionalDate,
  optionalNumber,
  type Row,
  requiredDate,
  requiredId,
  requiredString,
  stringList,
  type Where,
} from "./map-fields.js";

/** A personal finance category. Plaid adds categories over time: all open strings. */
export interface PlaidCategory {
  readonly primary: string;
  readonly detailed: string;
  /** `VERY_HIGH`, `HIGH`, `MEDIUM`, `LOW`, `UNKNOWN`, or whatever Plaid says next. */
  readonly confidenceLevel: string | null;
}

export interface PlaidCounterparty {
  readonly name: string;
  /** `merchant`, `financial_institution`, `payment_app`, `marketplace`, … (open). */
  readonly type: string | null;
  readonly entityId: string | null;
  readonly website: string | null;
  readonly logoUrl: string | null;
  readonly confidenceLevel: string | null;
}

export interface PlaidLocation {
  readonly address: string | null;
  readonly city: string | null;
  readonly region: string | null;
  readonly postalCode: string | null;
  readonly country: string | null;
  readonly lat: number | null;
  readonly lon: number | null;
  readonly storeNumber: string | null;
}

/**
 * A Plaid transaction as bankrec keeps it: a BankTransaction (amount in minor units, natural
 * sign: > 0 is money in) plus the Plaid fields a store and the categorizer need, and the raw
 * payload for anything not lifted out yet.
 */
export interface PlaidTransactionRecord extends BankTransaction {
  readonly accountId: string;
  /** false when the currency is Plaid's `unofficial_currency_code`. */
  readonly currencyIsOfficial: boolean;
  readonly datetime: string | null;
  readonly authorizedDatetime: string | null;
  readonly merchantEntityId: string | null;
  /** `online`, `in store`, `other`, … (open). */
  readonly paymentChannel: string | null;
  readonly transactionCode: string | null;
  /** The personal finance category when Plaid sent taxonomy v1 (no `version` means v1). */
  readonly personalFinanceCategoryV1: PlaidCategory | null;
  /** The personal finance category when Plaid sent taxonomy v2. */
  readonly personalFinanceCategoryV2: PlaidCategory | null;
  readonly personalFinanceCategoryIconUrl: string | null;
  /** Plaid's legacy category hierarchy, e.g. ["Shops", "Computers and Electronics"]. */
  readonly legacyCategory: readonly string[] | null;
  readonly legacyCategoryId: string | null;
  readonly pendingTransactionId: string | null;
  readonly accountOwner: string | null;
  readonly originalDescription: string | null;
  readonly counterparties: readonly PlaidCounterparty[];
  readonly location: PlaidLocation | null;
  readonly website: string | null;
  readonly logoUrl: string | null;
  readonly raw: Readonly<Record<string, unknown>>;
}

/**
 * Maps one Plaid transaction. The sign flips here, once; dates are checked; enum-like
 * strings pass through unchanged, known or not.
 *
 * @example toPlaidTransactionRecord({ transaction_id: "t1", account_id: "a1", amount: 12.5,
 *   iso_currency_code: "USD", date: "2026-06-01", name: "Starbucks", pending: false, ... })
 * // { id: "t1", amountMinor: -1250, currency: "USD", ... }
 * @throws PlaidApiError (INVALID_RESPONSE) naming the transaction and field
 */
export function toPlaidTransactionRecord(value: unknown): PlaidTransactionRecord {
  const row = asRow(value, { kind: "transaction", id: "(unknown)" });
  const id = requiredId(row, "transaction_id", "transaction");
  const where: Where = { kind: "transaction", id };
  const { currency, currencyIsOfficial } = currencyOf(row, where);
  const name = openString(row, "name");
  const merchantName = openString(row, "merchant_name");
  const category = categoryOf(row.personal_finance_category);
  return {
    id,
    accountId: requiredString(row, "account_id", where),
    amountMinor: flowMinor(row, "amount", currency, where),
    currency,
    date: requiredDate(row, "date", where),
    authorizedDate: optionalDate(row, "authorized_date", where),
    name: name ?? merchantName ?? "",
    merchantName,
    checkNumber: openString(row, "check_number"),
    pending: row.pending === true,
    currencyIsOfficial,
    datetime: openString(row, "datetime"),
    authorizedDatetime: openString(row, "authorized_datetime"),
    merchantEntityId: openString(row, "merchant_entity_id"),
    paymentChannel: openString(row, "payment_channel"),
    transactionCode: openString(row, "transaction_code"),
    personalFinanceCategoryV1: category?.version === "v1" ? category.category : null,
    personalFinanceCategoryV2: category?.version === "v2" ? category.category : null,
    personalFinanceCategoryIconUrl: openString(row, "personal_finance_category_icon_url"),
    legacyCategory: stringList(row, "category"),
    legacyCategoryId: openString(row, "category_id"),
    pendingTransactionId: openString(row, "pending_transaction_id"),
    accountOwner: openString(row, "account_owner"),
    originalDescription: openString(row, "original_description"),
    counterparties: counterpartiesOf(row.counterparties),
    location: locationOf(row.location),
    website: openString(row, "website"),
    logoUrl: openString(row, "logo_url"),
    raw: row,
  };
}

/** The category and which taxonomy it belongs to; a version Plaid has not defined yet is kept in raw only. */
function categoryOf(value: unknown): { version: string; category: PlaidCategory } | null {
  if (typeof value !== "object" || value === null) return null;
  const row = value as Row;
  const primary = openString(row, "primary");
  const detailed = openString(row, "detailed");
  if (primary === null || detailed === null) return null;
  const version = (openString(row, "version") ?? "v1").toLowerCase();
  return { version, category: { primary, detailed, confidenceLevel: openString(row, "confidence_level") } };
}

function counterpartiesOf(value: unknown): readonly PlaidCounterparty[] {
  if (!Array.isArray(value)) return [];
  const out: PlaidCounterparty[] = [];
  for (const item of value) {
    if (typeof item !== "object" || item === null) continue;
    const row = item as Row;
    const name = openString(row, "name");
    if (name === null) continue;
    out.push({
      name,
      type: openString(row, "type"),
      entityId: openString(row, "entity_id"),
      website: openString(row, "website"),
      logoUrl: openString(row, "logo_url"),
      confidenceLevel: openString(row, "confidence_level"),
    });
  }
  return out;
}

function locationOf(value: unknown): PlaidLocation | null {
  if (typeof value !== "object" || value === null) return null;
  const row = value as Row;
  if (isEmptyLocation(row)) return null;
  return {
    address: openString(row, "address"),
    city: openString(row, "city"),
    region: openString(row, "region"),
    postalCode: openString(row, "postal_code"),
    country: openString(row, "country"),
    lat: optionalNumber(row, "lat"),
    lon: optionalNumber(row, "lon"),
    storeNumber: openString(row, "store_number"),
  };
}

const LOCATION_KEYS = ["address", "city", "region", "postal_code", "country", "lat", "lon", "store_number"];

function isEmptyLocation(row: Row): boolean {
  for (const key of LOCATION_KEYS) if (row[key] != null) return false;
  return true;
}

/** A transaction id Plaid reports as removed. */
export function removedTransactionId(value: unknown): string {
  const row = asRow(value, { kind: "removed transaction", id: "(unknown)" });
  return requiredId(row, "transaction_id", "removed transaction");
}
