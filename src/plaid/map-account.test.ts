import { describe, expect, it } from "vitest";
import { toPlaidAccountRecord, toPlaidItem } from "./map-account.js";

const account = {
  account_id: "acc_1",
  name: "Plaid Checking",
  official_name: "Plaid Gold Standard 0% Interest Checking",
  mask: "0000",
  type: "depository",
  subtype: "checking",
  balances: {
    available: 100,
    current: 110.25,
    limit: null,
    iso_currency_code: "USD",
    unofficial_currency_code: null,
  },
};

describe("toPlaidAccountRecord", () => {
  it("puts balances in minor units as Plaid states them", () => {
    expect(toPlaidAccountRecord(account)).toMatchObject({
      id: "acc_1",
      name: "Plaid Checking",
      mask: "0000",
      type: "depository",
      subtype: "checking",
      balances: { currency: "USD", availableMinor: 10000, currentMinor: 11025, limitMinor: null },
    });
  });

  it("keeps unknown account types and subtypes as they come", () => {
    const record = toPlaidAccountRecord({ ...account, type: "space_vault", subtype: "moon rock" });
    expect(record).toMatchObject({ type: "space_vault", subtype: "moon rock" });
  });

  it("accepts an account with no balances and refuses amounts without a currency", () => {
    expect(toPlaidAccountRecord({ ...account, balances: undefined }).balances.currentMinor).toBeNull();
    const noCurrency = { ...account, balances: { ...account.balances, iso_currency_code: null } };
    expect(() => toPlaidAccountRecord(noCurrency)).toThrow(/account acc_1 balances/);
  });
});

describe("toPlaidItem", () => {
  it("maps the item and its error", () => {
    const item = toPlaidItem({
      item_id: "item_1",
      institution_id: "ins_109508",
      webhook: "http://hook",
      error: {
        error_type: "ITEM_ERROR",
        error_code: "ITEM_LOGIN_REQUIRED",
        error_message: "login",
        display_message: null,
      },
      available_products: ["balance"],
      billed_products: ["transactions"],
      consent_expiration_time: null,
      update_type: "background",
    });
    expect(item).toMatchObject({
      itemId: "item_1",
      institutionId: "ins_109508",
      error: { errorCode: "ITEM_LOGIN_REQUIRED" },
      billedProducts: ["transactions"],
    });
  });
});
