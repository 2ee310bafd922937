import { describe, expect, test } from "vitest";
import { InputError } from "../errors/index.js";
import { parseRuleInput, RULE_TEXT_CHARS_MAX } from "./rule-input.js";
import { canonicalCategory } from "./taxonomy.js";

const CONDITIONS = { merchant: { contains: "blue bottle" } };
const ACTIONS = { category: "FOOD_AND_DRINK_COFFEE" };

/** The refusal of `input`: an InputError on one line. */
function refusal(input: unknown): string {
  try {
    parseRuleInput(input);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    const message = (error as InputError).message;
    expect(message).not.toContain("\n");
    expect(message.startsWith("rule: ")).toBe(true);
    return message;
  }
  throw new Error(`accepted ${JSON.stringify(input)}`);
}

describe("parseRuleInput refuses", () => {
  test.each<[string, unknown, string]>([
    [
      "an invalid regex",
      { conditions: { description: { regex: "(unclosed" } }, actions: ACTIONS },
      "conditions.description.regex: is not a valid regular expression",
    ],
    [
      "an unknown category to set",
      { conditions: CONDITIONS, actions: { category: "FOOD_AND_DRINKS" } },
      'actions.category: "FOOD_AND_DRINKS" is not a category code',
    ],
    [
      "an unknown category to match",
      { conditions: { category: "food_and_drink" }, actions: ACTIONS },
      'conditions.category: "food_and_drink" is not a category code',
    ],
    [
      "a minimum above the maximum",
      { conditions: { amountMin: "20", amountMax: "10.50" }, actions: ACTIONS },
      "conditions.amountMin: 20 is above the maximum 10.50",
    ],
    [
      "an amount with a thousands separator",
      { conditions: { amountMin: "1,000" }, actions: ACTIONS },
      'conditions.amountMin: "1,000" is not an amount',
    ],
    [
      "a signed amount",
      { conditions: { amountMax: "-5" }, actions: ACTIONS },
      'conditions.amountMax: "-5" is not an amount',
    ],
    [
      "an amount with more decimals than any currency has",
      { conditions: { amountMax: "1.23456" }, actions: ACTIONS },
      "conditions.amountMax:",
    ],
    ["empty conditions", { conditions: {}, actions: ACTIONS }, "conditions: needs at least one condition"],
    ["empty actions", { conditions: CONDITIONS, actions: {} }, "actions: needs at least one action"],
    [
      "actions that only say what not to do",
      { conditions: CONDITIONS, actions: { markTransfer: false, excludeFromReports: false } },
      "actions: needs at least one action",
    ],
    [
      "an empty text match",
      { conditions: { merchant: {} }, actions: ACTIONS },
      "conditions.merchant: needs equals, contains, words or regex",
    ],
    [
      "an over-long text",
      { conditions: { counterparty: { contains: "x".repeat(RULE_TEXT_CHARS_MAX + 1) } }, actions: ACTIONS },
      `conditions.counterparty.contains: is limited to ${RULE_TEXT_CHARS_MAX} characters`,
    ],
    [
      "an over-long merchant rename",
      { conditions: CONDITIONS, actions: { renameMerchant: "y".repeat(RULE_TEXT_CHARS_MAX + 1) } },
      "actions.renameMerchant: is limited to",
    ],
    [
      "a blank word",
      { conditions: { description: { words: ["coffee", "  "] } }, actions: ACTIONS },
      "conditions.description.words.1: must not be empty",
    ],
    [
      "a currency that is not a code",
      { conditions: { currency: "dollars" }, actions: ACTIONS },
      "conditions.currency: must be an ISO 4217 code",
    ],
    [
      "an empty account list",
      { conditions: { accountIds: [] }, actions: ACTIONS },
      "conditions.accountIds: must name an account",
    ],
    [
      "a direction other than in or out",
      { conditions: { direction: "up" }, actions: ACTIONS },
      "conditions.direction:",
    ],
  ])("%s", (_what, input, expected) => {
    expect(refusal(input)).toContain(expected);
  });

  test.each<[string, unknown, string]>([
    ["the top", { conditions: CONDITIONS, actions: ACTIONS, priority: 1 }, 'rule: unknown field "priority"'],
    [
      "the conditions",
      { conditions: { ...CONDITIONS, merchantName: "x" }, actions: ACTIONS },
      'conditions: unknown field "merchantName"',
    ],
    [
      "the actions",
      { conditions: CONDITIONS, actions: { ...ACTIONS, setCategory: "TRAVEL" } },
      'actions: unknown field "setCategory"',
    ],
    [
      "a text match",
      { conditions: { merchant: { startsWith: "blue" } }, actions: ACTIONS },
      'conditions.merchant: unknown field "startsWith"',
    ],
  ])("an unknown field at %s", (_where, input, expected) => {
    expect(refusal(input)).toContain(expected);
  });

  test("what is not a rule at all", () => {
    refusal(null);
    refusal("FOOD_AND_DRINK_COFFEE");
    expect(refusal({ actions: ACTIONS })).toContain("conditions");
  });
});

describe("parseRuleInput accepts", () => {
  test("a valid rule, returned without undefined keys at any level", () => {
    const rule = parseRuleInput({
      name: undefined,
      conditions: {
        merchant: { contains: "blue bottle", equals: undefined },
        description: undefined,
        direction: "out",
        amountMax: "49.99",
      },
      actions: { category: "FOOD_AND_DRINK_COFFEE", addTags: undefined, markTransfer: undefined },
    });
    expect(rule).toEqual({
      conditions: { merchant: { contains: "blue bottle" }, direction: "out", amountMax: "49.99" },
      actions: { category: "FOOD_AND_DRINK_COFFEE" },
    });
    expect(Object.keys(rule)).toEqual(["conditions", "actions"]);
    expect(Object.keys(rule.conditions).sort()).toEqual(["amountMax", "direction", "merchant"]);
    expect(Object.keys(rule.conditions.merchant ?? {})).toEqual(["contains"]);
    expect(Object.keys(rule.actions)).toEqual(["category"]);
  });

  test("texts trimmed and the currency upper-cased", () => {
    const rule = parseRuleInput({
      name: "  Coffee  ",
      conditions: { merchant: { equals: " Blue Bottle " }, currency: "usd", amountMin: " 10 " },
      actions: { renameMerchant: " Blue Bottle ", addTags: [" coffee "] },
    });
    expect(rule).toEqual({
      name: "Coffee",
      conditions: { merchant: { equals: "Blue Bottle" }, currency: "USD", amountMin: "10" },
      actions: { renameMerchant: "Blue Bottle", addTags: ["coffee"] },
    });
  });

  test("v1 alias categories, primaries and UNCATEGORIZED", () => {
    const alias = parseRuleInput({
      conditions: { category: "INCOME_WAGES" },
      actions: { category: "INCOME_WAGES" },
    });
    // Kept as given or replaced by its v2 code: either way it names INCOME_SALARY.
    expect(canonicalCategory(alias.conditions.category ?? "")).toBe("INCOME_SALARY");
    expect(canonicalCategory(alias.actions.category ?? "")).toBe("INCOME_SALARY");
    expect(
      parseRuleInput({ conditions: { category: "UNCATEGORIZED" }, actions: { category: "TRAVEL" } }),
    ).toEqual({ conditions: { category: "UNCATEGORIZED" }, actions: { category: "TRAVEL" } });
  });

  test("equal bounds, text at the limit, and a lone mark as the action", () => {
    const long = "z".repeat(RULE_TEXT_CHARS_MAX);
    expect(
      parseRuleInput({
        conditions: { amountMin: "10", amountMax: "10.00", description: { contains: long } },
        actions: { markTransfer: true },
      }),
    ).toEqual({
      conditions: { amountMin: "10", amountMax: "10.00", description: { contains: long } },
      actions: { markTransfer: true },
    });
  });

  test("every kind of condition together", () => {
    const input = {
      name: "All",
      conditions: {
        merchant: { equals: "a", contains: "b", words: ["c", "d"], regex: "^e\\d+$" },
        description: { words: ["f"] },
        counterparty: { regex: "g" },
        accountIds: ["chk", "sav"],
        direction: "in",
        amountMin: "0.01",
        amountMax: "99999999999.9999",
        currency: "JPY",
        category: "FOOD_AND_DRINK",
      },
      actions: {
        category: "INCOME_SALARY",
        renameMerchant: "Acme",
        addTags: ["x"],
        markTransfer: false,
        excludeFromReports: true,
      },
    };
    expect(parseRuleInput(input)).toEqual(input);
  });
});
