import type { Channel, Merchant } from "./merchants.js";
import { hashSeed } from "./prng.js";

/** A transaction exactly as Plaid serialises it (API version 2020-09-14). Immutable once made. */
export interface PlaidTransaction {
  readonly transaction_id: string;
  readonly account_id: string;
  readonly amount: number;
  readonly iso_currency_code: string | null;
  readonly unofficial_currency_code: string | null;
  readonly category: null;
  readonly category_id: null;
  readonly check_number: string | null;
  readonly date: string;
  readonly datetime: string | null;
  readonly authorized_date: string | null;
  readonly authorized_datetime: string | null;
  readonly location: Readonly<Record<string, string | number | null>>;
  readonly name: string;
  readonly merchant_name: string | null;
  readonly merchant_entity_id: string | null;
  readonly original_description: string | null;
  readonly logo_url: string | null;
  readonly website: string | null;
  readonly payment_meta: Readonly<Record<string, string | null>>;
  readonly payment_channel: Channel;
  readonly pending: boolean;
  readonly pending_transaction_id: string | null;
  readonly account_owner: string | null;
  readonly transaction_type: "digital" | "place" | "special" | "unresolved";
  readonly transaction_code: null;
  readonly personal_finance_category: {
    readonly primary: string;
    readonly detailed: string;
    readonly confidence_level: string;
    readonly version?: PfcVersion;
  };
  readonly personal_finance_category_icon_url: string;
  readonly counterparties: readonly Readonly<Record<string, string | null>>[];
}

/** What the generator decides; the rest of Plaid's fields follow from it. */
export interface TransactionSpec {
  readonly transactionId: string;
  readonly accountId: string;
  /** Plaid's sign: > 0 money out of the account. Integer cents. */
  readonly amountCents: number;
  readonly date: string;
  readonly authorizedDate?: string;
  readonly pending: boolean;
  readonly pendingTransactionId?: string;
  readonly name: string;
  readonly descriptor: string;
  readonly merchant?: Merchant;
  readonly primary: string;
  readonly detailed: string;
  readonly channel: Channel;
  readonly checkNumber?: string;
  readonly ppdId?: string;
  readonly referenceNumber?: string;
  readonly counterpartyType?: "merchant" | "financial_institution" | "income_source" | "payment_app";
  readonly confidence?: "VERY_HIGH" | "HIGH" | "MEDIUM" | "LOW";
}

const ENTITY_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** Stable per merchant name, so every transaction at one merchant shares its entity id. */
function entityId(name: string): string {
  let state = hashSeed(name);
  let id = "";
  for (let i = 0; i < 27; i++) {
    state = Math.imul(state ^ (state >>> 13), 0x5bd1e995) >>> 0;
    id += ENTITY_ALPHABET[state % ENTITY_ALPHABET.length];
  }
  return id;
}

const entityIds = new Map<string, string>();
function cachedEntityId(name: string): string {
  let id = entityIds.get(name);
  if (id === undefined) {
    id = entityId(name);
    entityIds.set(name, id);
  }
  return id;
}

/** Cents to Plaid's float with at most two decimals. */
export function centsToAmount(cents: number): number {
  return Math.round(cents) / 100;
}

/**
 * Nested parts shared between transactions that have the same values: transactions are
 * immutable (a change makes a new object), and sharing keeps a 100,000-transaction item
 * cheap to build.
 */
const shared = new Map<string, object>();
function sharedPart<T extends object>(key: string, make: () => T): T {
  let part = shared.get(key) as T | undefined;
  if (part === undefined) {
    part = Object.freeze(make());
    shared.set(key, part);
  }
  return part;
}

export function buildTransaction(spec: TransactionSpec): PlaidTransaction {
  const merchant = spec.merchant;
  const merchantName = merchant?.name ?? null;
  const confidence = spec.confidence ?? (merchant === undefined ? "HIGH" : "VERY_HIGH");
  const merchantKey = merchantName === null ? "" : `${merchantName}|${merchant?.city ?? ""}`;
  const location = sharedPart(`loc|${merchantKey}`, () => ({
    address: null,
    city: merchant?.city ?? null,
    region: merchant?.region ?? null,
    postal_code: null,
    country: merchant?.city ? "US" : null,
    lat: null,
    lon: null,
    store_number: null,
  }));
  const paymentMeta =
    spec.ppdId === undefined && spec.referenceNumber === undefined
      ? sharedPart(`meta|${spec.checkNumber === undefined ? "" : "check"}`, () => paymentMetaOf(spec))
      : paymentMetaOf(spec);
  const personalFinanceCategory = sharedPart(`pfc|${spec.detailed}|${confidence}`, () => ({
    primary: spec.primary,
    detailed: spec.detailed,
    confidence_level: confidence,
  }));
  const counterparties = sharedPart(`cp|${merchantKey}|${spec.counterpartyType ?? "merchant"}`, () =>
    merchantName === null
      ? []
      : [
          Object.freeze({
            name: merchantName,
            type: spec.counterpartyType ?? "merchant",
            website: merchant?.website ?? null,
            logo_url: null,
            entity_id: cachedEntityId(merchantName),
            confidence_level: "VERY_HIGH",
          }),
        ],
  );
  return {
    transaction_id: spec.transactionId,
    account_id: spec.accountId,
    amount: centsToAmount(spec.amountCents),
    iso_currency_code: "USD",
    unofficial_currency_code: null,
    category: null,
    category_id: null,
    check_number: spec.checkNumber ?? null,
    date: spec.date,
    datetime: null,
    authorized_date: spec.authorizedDate ?? (spec.channel === "other" ? null : spec.date),
    authorized_datetime: null,
    location,
    name: spec.name,
    merchant_name: merchantName,
    merchant_entity_id: merchantName === null ? null : cachedEntityId(merchantName),
    original_description: spec.descriptor,
    logo_url: null,
    website: merchant?.website ?? null,
    payment_meta: paymentMeta,
    payment_channel: spec.channel,
    pending: spec.pending,
    pending_transaction_id: spec.pendingTransactionId ?? null,
    account_owner: null,
    transaction_type:
      spec.channel === "online" ? "digital" : spec.channel === "in store" ? "place" : "special",
    transaction_code: null,
    personal_finance_category: personalFinanceCategory,
    personal_finance_category_icon_url: iconUrl(spec.primary),
    counterparties,
  };
}

const iconUrls = new Map<string, string>();
function iconUrl(primary: string): string {
  let url = iconUrls.get(primary);
  if (url === undefined) {
    url = `https://plaid-category-icons.plaid.com/PFC_${primary}.png`;
    iconUrls.set(primary, url);
  }
  return url;
}

function paymentMetaOf(spec: TransactionSpec): Record<string, string | null> {
  return {
    by_order_of: null,
    payee: null,
    payer: null,
    payment_method: spec.checkNumber === undefined ? null : "check",
    payment_processor: null,
    ppd_id: spec.ppdId ?? null,
    reason: null,
    reference_number: spec.referenceNumber ?? null,
  };
}

export type PfcVersion = "v1" | "v2";

/** The PFC v1 codes whose v2 code differs (Plaid's taxonomy: v2 is otherwise a superset). */
const V2_OF_V1: Readonly<Record<string, readonly [primary: string, detailed: string]>> = {
  INCOME_WAGES: ["INCOME", "INCOME_SALARY"],
  INCOME_OTHER_INCOME: ["INCOME", "INCOME_OTHER"],
  TRANSFER_IN_CASH_ADVANCES_AND_LOANS: ["LOAN_DISBURSEMENTS", "LOAN_DISBURSEMENTS_OTHER_DISBURSEMENT"],
};

type Pfc = PlaidTransaction["personal_finance_category"];

function versioned(pfc: Pfc, version: PfcVersion): Pfc {
  const mapped = version === "v2" ? V2_OF_V1[pfc.detailed] : undefined;
  const primary = mapped?.[0] ?? pfc.primary;
  const detailed = mapped?.[1] ?? pfc.detailed;
  return sharedPart(`pfc|${detailed}|${pfc.confidence_level}|${version}`, () => ({
    primary,
    detailed,
    confidence_level: pfc.confidence_level,
    version,
  }));
}

export interface ViewOptions {
  /** Plaid leaves `original_description` null unless the request asks for it. */
  readonly withOriginal: boolean;
  readonly pfcVersion: PfcVersion;
}

/** The copy a response carries, shaped by the request's options. */
export function transactionView(transaction: PlaidTransaction, options: ViewOptions): PlaidTransaction {
  return {
    ...transaction,
    original_description: options.withOriginal ? transaction.original_description : null,
    personal_finance_category: versioned(transaction.personal_finance_category, options.pfcVersion),
  };
}
