import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PlaidApiError } from "./errors.js";
import { toPlaidTransactionRecord } from "./map-transaction.js";

const plaidTransaction = {
  transaction_id: "tx_1",
  account_id: "acc_1",
  amount: 12.5,
  iso_currency_code: "USD",
  unofficial_currency_code: null,
  date: "2026-06-02",
  authorized_date: "2026-06-01",
  datetime: "2026-06-02T10:00:00Z",
  authorized_datetime: null,
  name: "STARBUCKS STORE 1234",
  merchant_name: "Starbucks",
  merchant_entity_id: "ent_sbux",
  payment_channel: "in store",
  pending: false,
  pending_transaction_id: "tx_0",
  account_owner: null,
  category: ["Food and Drink", "Restaurants", "Coffee Shop"],
  category_id: "13005043",
  check_number: null,
  location: {
    address: "1 Main St",
    city: "Portland",
    region: "OR",
    postal_code: "97201",
    country: "US",
    lat: 45.5,
    lon: -122.6,
    store_number: "1234",
  },
  personal_finance_category: {
    primary: "FOOD_AND_DRINK",
    detailed: "FOOD_AND_DRINK_COFFEE",
    confidence_level: "VERY_HIGH",
  },
  counterparties: [
    {
      name: "Starbucks",
      type: "merchant",
      entity_id: "ent_sbux",
      website: "starbucks.com",
      logo_url: null,
      confidence_level: "HIGH",
    },
  ],
  website: "starbucks.com",
  logo_url: "https://logo/sbux.png",
  payment_meta: {},
  transaction_code: null,
};

describe("toPlaidTransactionRecord", () => {
  it("flips Plaid's sign once into minor units and keeps the fields a store needs", () => {
    const record = toPlaidTransactionRecord(plaidTransaction);
    expect(record).toMatchObject({
      id: "tx_1",
      accountId: "acc_1",
      amountMinor: -1250,
      currency: "USD",
      currencyIsOfficial: true,
      date: "2026-06-02",
      authorizedDate: "2026-06-01",
      datetime: "2026-06-02T10:00:00Z",
      name: "STARBUCKS STORE 1234",
      merchantName: "Starbucks",
      merchantEntityId: "ent_sbux",
      paymentChannel: "in store",
      pendingTransactionId: "tx_0",
      legacyCategory: ["Food and Drink", "Restaurants", "Coffee Shop"],
      personalFinanceCategoryV1: {
        primary: "FOOD_AND_DRINK",
        detailed: "FOOD_AND_DRINK_COFFEE",
        confidenceLevel: "VERY_HIGH",
      },
      personalFinanceCategoryV2: null,
      website: "starbucks.com",
    });
    expect(record.counterparties[0]).toMatchObject({
      name: "Starbucks",
      type: "merchant",
      entityId: "ent_sbux",
    });
    expect(record.location).toMatchObject({ city: "Portland", storeNumber: "1234" });
    expect(record.raw).toBe(plaidTransaction);
  });

  it("turns a refund (Plaid amount < 0) into money in", () => {
    expect(toPlaidTransactionRecord({ ...plaidTransaction, amount: -40 }).amountMinor).toBe(4000);
  });

  it("files a v2 category under v2", () => {
    const record = toPlaidTransactionRecord({
      ...plaidTransaction,
      personal_finance_category: {
        primary: "FOOD_AND_DRINK",
        detailed: "FOOD_AND_DRINK_COFFEE",
        confidence_level: null,
        version: "v2",
      },
    });
    expect(record.personalFinanceCategoryV1).toBeNull();
    expect(record.personalFinanceCategoryV2).toEqual({
      primary: "FOOD_AND_DRINK",
      detailed: "FOOD_AND_DRINK_COFFEE",
      confidenceLevel: null,
    });
  });

  it("passes unknown enum values and categories through without crashing", () => {
    const record = toPlaidTransactionRecord({
      ...plaidTransaction,
      payment_channel: "telepathy",
      transaction_code: "quantum transfer",
      personal_finance_category: {
        primary: "SPACE_TRAVEL",
        detailed: "SPACE_TRAVEL_MOON",
        confidence_level: "ABSOLUTE",
      },
      counterparties: [{ name: "Moon Co", type: "lunar_entity", website: null, logo_url: null }],
      category: ["Brand New Category"],
    });
    expect(record.paymentChannel).toBe("telepathy");
    expect(record.transactionCode).toBe("quantum transfer");
    expect(record.personalFinanceCategoryV1?.confidenceLevel).toBe("ABSOLUTE");
    expect(record.counterparties[0]?.type).toBe("lunar_entity");
  });

  it("tolerates missing optional fields", () => {
    const minimal = {
      transaction_id: "t",
      account_id: "a",
      amount: 1,
      iso_currency_code: "EUR",
      date: "2026-01-01",
      name: "x",
      pending: true,
    };
    const record = toPlaidTransactionRecord(minimal);
    expect(record).toMatchObject({
      pending: true,
      currency: "EUR",
      merchantName: null,
      personalFinanceCategoryV1: null,
      counterparties: [],
      location: null,
    });
  });

  it("uses the unofficial currency code when there is no ISO code", () => {
    const record = toPlaidTransactionRecord({
      ...plaidTransaction,
      iso_currency_code: null,
      unofficial_currency_code: "BTC",
      amount: 0.5,
    });
    expect(record).toMatchObject({ currency: "BTC", currencyIsOfficial: false, amountMinor: -50 });
  });

  it("names the transaction and field when a value cannot be used", () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ amount: "12" }, /transaction tx_1: amount is not a number/],
      [{ amount: 0.125 }, /transaction tx_1: amount has more than 2 decimal places/],
      [{ date: "02/06/2026" }, /transaction tx_1: date is not a YYYY-MM-DD date/],
      [{ iso_currency_code: null }, /iso_currency_code and unofficial_currency_code are both null/],
    ];
    for (const [patch, message] of cases) {
      const run = () => toPlaidTransactionRecord({ ...plaidTransaction, ...patch });
      expect(run).toThrow(PlaidApiError);
      expect(run).toThrow(message);
    }
  });

  it("maps every cent amount exactly, in both directions", () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e11, max: 1e11 }), (cents) => {
        const amount = Number((cents / 100).toFixed(2));
        const record = toPlaidTransactionRecord({ ...plaidTransaction, amount });
        expect(record.amountMinor).toBe(cents === 0 ? 0 : -cents);
      }),
    );
  });
});
