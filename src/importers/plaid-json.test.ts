import { describe, expect, it } from "vitest";
import { badRowsOf, importErrorOf } from "../../test/support/import-error.js";
import { parsePlaidJson } from "./plaid-json.js";

/** A transaction as Plaid's /transactions/get returns it, with fields bankrec ignores. */
function plaid(id: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    transaction_id: id,
    account_id: "acc-1",
    amount: 49.99,
    iso_currency_code: "USD",
    unofficial_currency_code: null,
    date: "2025-03-31",
    authorized_date: "2025-03-28",
    name: "DROPBOX*604292 DB.TT/CCHELP",
    merchant_name: "Dropbox",
    payment_channel: "online",
    pending: false,
    pending_transaction_id: null,
    check_number: null,
    category: ["Service", "Computers"],
    personal_finance_category: { primary: "GENERAL_SERVICES", detailed: "X", confidence_level: "HIGH" },
    ...overrides,
  };
}

function message(run: () => unknown): string {
  return importErrorOf(run).message;
}

describe("parsePlaidJson", () => {
  it("maps a /transactions/get response, flipping Plaid's sign", () => {
    const account = {
      account_id: "acc-1",
      name: "Checking",
      official_name: "Biz",
      mask: "0000",
      type: "depository",
      subtype: "checking",
    };
    const feed = parsePlaidJson(
      { accounts: [account], transactions: [plaid("t1"), plaid("t2", { amount: -1200 })] },
      "bank.json",
    );
    expect(feed.accounts).toEqual([
      { id: "acc-1", name: "Checking", mask: "0000", type: "depository", subtype: "checking" },
    ]);
    expect(feed.transactions).toEqual([
      {
        id: "t1",
        accountId: "acc-1",
        amountMinor: -4999,
        currency: "USD",
        date: "2025-03-31",
        authorizedDate: "2025-03-28",
        name: "DROPBOX*604292 DB.TT/CCHELP",
        merchantName: "Dropbox",
        checkNumber: null,
        pending: false,
      },
      expect.objectContaining({ id: "t2", amountMinor: 120000 }),
    ]);
  });

  it("reads a bare array of transactions", () => {
    expect(parsePlaidJson([plaid("t1")], "bank.json")).toEqual({
      accounts: [],
      transactions: [expect.objectContaining({ id: "t1" })],
    });
  });

  it("applies a /transactions/sync dump: modified replaces, removed drops", () => {
    const feed = parsePlaidJson(
      {
        added: [plaid("a"), plaid("b"), plaid("c")],
        modified: [plaid("b", { amount: 10, pending: true }), plaid("z")],
        removed: [{ transaction_id: "c", account_id: "acc-1" }, "never-seen"],
        next_cursor: "x",
        has_more: false,
      },
      "sync.json",
    );
    expect(feed.transactions.map((t) => [t.id, t.amountMinor, t.pending])).toEqual([
      ["a", -4999, false],
      ["b", -1000, true],
      ["z", -4999, false],
    ]);
  });

  it("takes the unofficial currency, then the option, and checks decimals against it", () => {
    const feed = parsePlaidJson(
      [
        plaid("u", { iso_currency_code: null, unofficial_currency_code: "BTC", amount: 1.5 }),
        plaid("d", { iso_currency_code: null, amount: 1500 }),
      ],
      "bank.json",
      { currency: "JPY" },
    );
    expect(feed.transactions.map((t) => [t.currency, t.amountMinor])).toEqual([
      ["BTC", -150],
      ["JPY", -1500],
    ]);
  });

  it("falls back from name to merchant_name to an empty string", () => {
    const feed = parsePlaidJson(
      [plaid("a", { name: null }), plaid("b", { name: undefined, merchant_name: null })],
      "b.json",
    );
    expect(feed.transactions.map((t) => t.name)).toEqual(["Dropbox", ""]);
  });

  it("lets unknown fields and enum values through", () => {
    const odd = plaid("t", {
      payment_channel: "telepathy",
      transaction_code: "NEW_CODE",
      brand_new_field: [1, { x: 2 }],
    });
    expect(parsePlaidJson([odd], "b.json").transactions).toHaveLength(1);
  });

  it("drops an exact repeat of a transaction", () => {
    expect(parsePlaidJson([plaid("t"), plaid("t")], "b.json").transactions).toHaveLength(1);
  });

  it("reads a numeric check number as text", () => {
    expect(parsePlaidJson([plaid("t", { check_number: 1042 })], "b.json").transactions[0]?.checkNumber).toBe(
      "1042",
    );
  });

  it.each([
    [
      { transactions: [plaid("0"), plaid("1"), plaid("2"), plaid("3", { amount: "12.00" })] },
      "bank.json: transactions[3].amount: expected a number",
    ],
    [
      [plaid("t", { amount: 0.1 + 0.2 })],
      'bank.json: [0].amount: "0.30000000000000004" has more than 2 decimal places',
    ],
    [[plaid("t", { date: "2025-02-30" })], 'bank.json: [0].date: "2025-02-30" is not a date'],
    [[plaid("t", { date: 20250101 })], "bank.json: [0].date: expected a date string"],
    [[plaid("t", { transaction_id: "" })], "bank.json: [0].transaction_id: expected a non-empty string"],
    [[plaid("t", { name: 5 })], "bank.json: [0].name: expected a string or null"],
    [[plaid("t", { pending: "no" })], "bank.json: [0].pending: expected a boolean"],
    [
      [plaid("t", { iso_currency_code: "dollars" })],
      'bank.json: [0].iso_currency_code: "dollars" is not a currency code',
    ],
    [
      [plaid("t"), plaid("t", { amount: 1 })],
      'bank.json: [1].transaction_id: "t" already used at [0] with different values',
    ],
    [
      { added: [plaid("t")], removed: [{}] },
      "bank.json: removed[0].transaction_id: expected a non-empty string",
    ],
    [{ transactions: [null] }, "bank.json: transactions[0]: expected an object"],
    [{ transactions: {} }, "bank.json: transactions: expected an array"],
    [
      { accounts: [{ name: "x" }], transactions: [] },
      "bank.json: accounts[0].account_id: expected a non-empty string",
    ],
    ["nope", "bank.json: expected a Plaid transactions object or array"],
  ])("rejects bad rows with a path: %#", (input, expected) => {
    expect(message(() => parsePlaidJson(input, "bank.json"))).toBe(expected);
  });

  it("lists every bad row of every list, accounts too, in one error", () => {
    const input = {
      accounts: [{ account_id: "acc-1" }, { name: "no id" }],
      added: [plaid("a"), plaid("b", { amount: "1" }), plaid("c", { date: "2025-13-01" })],
      modified: [plaid("d", { name: "\u001b]0;pwned\u0007" + "x".repeat(70_000) })],
      removed: [{}],
    };
    const error = badRowsOf(() => parsePlaidJson(input, "bank.json"));
    expect(error.problems.map((p) => p.message)).toEqual([
      "bank.json: added[1].amount: expected a number",
      'bank.json: added[2].date: "2025-13-01" is not a date',
      `bank.json: modified[0].name: "\\x1b]0;pwned\\x07${"x".repeat(29)}…" is longer than 65,536 characters`,
      "bank.json: removed[0].transaction_id: expected a non-empty string",
      "bank.json: accounts[1].account_id: expected a non-empty string",
    ]);
  });

  it("says a list of the wrong shape before reading any row", () => {
    expect(
      message(() => parsePlaidJson({ added: [plaid("b", { amount: "1" })], removed: {} }, "bank.json")),
    ).toBe("bank.json: removed: expected an array");
  });
});
