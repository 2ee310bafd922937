import { describe, expect, it } from "vitest";
import {
  toPlaidHoldingRecord,
  toPlaidInvestmentTransactionRecord,
  toPlaidSecurityRecord,
} from "./map-investments.js";
import { toPlaidLiabilities } from "./map-liabilities.js";

describe("investment mapping", () => {
  it("keeps quantities and prices as numbers and rounds values to the minor unit", () => {
    const holding = toPlaidHoldingRecord({
      account_id: "inv",
      security_id: "sec",
      quantity: 10.123,
      institution_price: 42.4275,
      institution_value: 429.4896,
      cost_basis: 2.675,
      iso_currency_code: "USD",
    });
    expect(holding).toMatchObject({
      quantity: 10.123,
      institutionPrice: 42.4275,
      institutionValueMinor: 42949,
      costBasisMinor: 268,
    });
  });

  it("flips an investment transaction's amount to the natural sign and keeps unknown types", () => {
    const buy = toPlaidInvestmentTransactionRecord({
      investment_transaction_id: "it1",
      account_id: "inv",
      security_id: "sec",
      date: "2026-05-01",
      name: "BUY VTI",
      quantity: 2,
      amount: 400.1,
      price: 200.05,
      fees: 0,
      type: "buy",
      subtype: "dividend reinvestment of the future",
      iso_currency_code: "USD",
    });
    expect(buy).toMatchObject({
      amountMinor: -40010,
      feesMinor: 0,
      type: "buy",
      subtype: "dividend reinvestment of the future",
    });
  });

  it("maps a security with or without a currency", () => {
    const security = toPlaidSecurityRecord({
      security_id: "sec",
      name: "Vanguard",
      ticker_symbol: "VTI",
      type: "etf",
      close_price: 200.05,
      close_price_as_of: "2026-05-01",
      iso_currency_code: "USD",
    });
    expect(security).toMatchObject({ tickerSymbol: "VTI", closePrice: 200.05, currency: "USD" });
    expect(toPlaidSecurityRecord({ security_id: "cash" }).currency).toBeNull();
  });
});

describe("toPlaidLiabilities", () => {
  it("maps cards, mortgages and student loans in the account's currency", () => {
    const liabilities = toPlaidLiabilities(
      {
        credit: [
          {
            account_id: "cc",
            aprs: [
              { apr_type: "cash_apr", apr_percentage: 25 },
              { apr_type: "purchase_apr", apr_percentage: 15.24 },
            ],
            last_payment_amount: 168.25,
            last_payment_date: "2026-05-22",
            minimum_payment_amount: 20,
            next_payment_due_date: "2026-07-15",
            is_overdue: false,
            last_statement_balance: 1708.77,
          },
        ],
        mortgage: [
          {
            account_id: "mo",
            interest_rate: { percentage: 3.99, type: "fixed" },
            next_monthly_payment: 3141.54,
            last_payment_amount: 3141.54,
          },
        ],
        student: [
          {
            account_id: "st",
            interest_rate_percentage: 5.25,
            minimum_payment_amount: 25,
            loan_status: { type: "repayment" },
          },
        ],
      },
      new Map([["mo", "CAD"]]),
    );
    expect(liabilities.credit[0]).toMatchObject({
      kind: "credit",
      currency: "USD",
      interestRatePercentage: 15.24,
      lastPaymentAmountMinor: 16825,
      minimumPaymentAmountMinor: 2000,
    });
    expect(liabilities.mortgage[0]).toMatchObject({
      currency: "CAD",
      interestRatePercentage: 3.99,
      minimumPaymentAmountMinor: 314154,
    });
    expect(liabilities.student[0]).toMatchObject({
      interestRatePercentage: 5.25,
      minimumPaymentAmountMinor: 2500,
    });
  });

  it("accepts null lists", () => {
    expect(toPlaidLiabilities({ credit: null, mortgage: null, student: null }, new Map())).toEqual({
      credit: [],
      mortgage: [],
      student: [],
    });
  });
});
