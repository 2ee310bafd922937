import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { parseRuleInput, RULE_TEXT_CHARS_MAX } from "./rule-input.js";
import { applyRules, type CategoryRule, compileRules } from "./rules.js";
import { type CategoryEdit, SUGGESTION_EDITS_MIN, suggestRules } from "./suggestions.js";

const COFFEE = "FOOD_AND_DRINK_COFFEE";
const RESTAURANT = "FOOD_AND_DRINK_RESTAURANT";

function edits(
  merchantName: string,
  category: string,
  times: number,
  key = `name:${merchantName}`,
): CategoryEdit[] {
  return Array.from({ length: times }, () => ({ merchantKey: key, merchantName, category }));
}

function merchantRule(equals: string, category: string): CategoryRule {
  return { id: "r1", name: "r1", position: 0, conditions: { merchant: { equals } }, actions: { category } };
}

describe("suggestRules", () => {
  test(`suggests a rule after ${SUGGESTION_EDITS_MIN} edits of one merchant to one category`, () => {
    const suggestions = suggestRules(
      edits("Blue Bottle Coffee", COFFEE, 2, "name:blue bottle coffee"),
      [],
      new Set(),
    );
    expect(suggestions).toEqual([
      {
        key: `name:blue bottle coffee→${COFFEE}`,
        merchantName: "Blue Bottle Coffee",
        category: COFFEE,
        edits: 2,
        rule: {
          name: `Blue Bottle Coffee → ${COFFEE}`,
          conditions: { merchant: { equals: "Blue Bottle Coffee" } },
          actions: { category: COFFEE },
        },
      },
    ]);
  });

  test("does not suggest after a single edit", () => {
    expect(suggestRules(edits("Blue Bottle Coffee", COFFEE, 1), [], new Set())).toEqual([]);
    expect(suggestRules([], [], new Set())).toEqual([]);
  });

  test("edits of two merchants do not add up", () => {
    const split = [...edits("Blue Bottle", COFFEE, 1, "a"), ...edits("Blue Bottle", COFFEE, 1, "b")];
    expect(suggestRules(split, [], new Set())).toEqual([]);
  });

  test("does not suggest when another category was given as often", () => {
    const tied = [...edits("Cafe", COFFEE, 2), ...edits("Cafe", RESTAURANT, 2)];
    expect(suggestRules(tied, [], new Set())).toEqual([]);
  });

  test("suggests the category given most often when it leads", () => {
    const mixed = [...edits("Cafe", RESTAURANT, 2), ...edits("Cafe", COFFEE, 3)];
    const suggestions = suggestRules(mixed, [], new Set());
    expect(suggestions.map((s) => [s.category, s.edits])).toEqual([[COFFEE, 3]]);
  });

  test("does not suggest what was dismissed, by its merchantKey→category key", () => {
    const given = edits("Blue Bottle", COFFEE, 3, "desc:blue bottle");
    expect(suggestRules(given, [], new Set([`desc:blue bottle→${COFFEE}`]))).toEqual([]);
    // Dismissing another category of the merchant does not hide this one.
    expect(suggestRules(given, [], new Set([`desc:blue bottle→${RESTAURANT}`]))).toHaveLength(1);
  });

  test("does not suggest what a merchant-equals rule with that category already does, whatever its case", () => {
    const given = edits("Blue Bottle Coffee", COFFEE, 2);
    expect(suggestRules(given, [merchantRule("blue BOTTLE coffee", COFFEE)], new Set())).toEqual([]);
    expect(suggestRules(given, [merchantRule("Blue Bottle Coffee", COFFEE)], new Set())).toEqual([]);
  });

  test("still suggests when the rules for the merchant set another category or match it otherwise", () => {
    const given = edits("Blue Bottle Coffee", COFFEE, 2);
    expect(suggestRules(given, [merchantRule("Blue Bottle Coffee", RESTAURANT)], new Set())).toHaveLength(1);
    const containsRule: CategoryRule = {
      id: "r2",
      name: "r2",
      position: 0,
      conditions: { merchant: { contains: "bottle" } },
      actions: { category: COFFEE },
    };
    expect(suggestRules(given, [containsRule], new Set())).toHaveLength(1);
  });

  test("lists the merchants edited most first, then by key", () => {
    const given = [
      ...edits("B", COFFEE, 2, "b"),
      ...edits("C", RESTAURANT, 4, "c"),
      ...edits("A", COFFEE, 2, "a"),
    ];
    expect(suggestRules(given, [], new Set()).map((s) => s.key)).toEqual([
      `c→${RESTAURANT}`,
      `a→${COFFEE}`,
      `b→${COFFEE}`,
    ]);
  });

  /** Saves a suggestion's rule as a person accepting it would, and runs it on the merchant's row. */
  function acceptAndApply(name: string, code: string): string | undefined {
    const [suggestion] = suggestRules(edits(name, code, 2), [], new Set());
    expect(suggestion).toBeDefined();
    const rule = parseRuleInput(suggestion?.rule);
    const compiled = compileRules([{ id: "s", name: "s", position: 0, ...rule }]);
    return applyRules(compiled, {
      description: "CARD PURCHASE",
      merchantName: name,
      counterparty: null,
      accountId: "chk",
      amountMinor: -1_00,
      currency: "USD",
      baseCategory: "UNCATEGORIZED",
    }).category?.code;
  }

  test("the suggested rule passes parseRuleInput and, saved, gives the merchant the category", () => {
    const names = fc
      .string({
        unit: fc.constantFrom(..."ABCXYZabcxyz019 &'-.*"),
        minLength: 1,
        maxLength: 120,
        size: "max",
      })
      .filter((name) => name.trim() !== "");
    const category = fc.constantFrom(COFFEE, RESTAURANT, "INCOME_SALARY", "TRAVEL", "UNCATEGORIZED");
    fc.assert(
      fc.property(names, category, (name, code) => {
        expect(acceptAndApply(name, code)).toBe(code);
      }),
      { numRuns: 500 },
    );
  });

  test("a merchant name a rule can hold (up to the text limit) still gives a rule parseRuleInput accepts", () => {
    const name = `Blue Bottle Coffee ${"x".repeat(RULE_TEXT_CHARS_MAX - 40)}`;
    expect(name.length).toBeLessThanOrEqual(RULE_TEXT_CHARS_MAX);
    expect(acceptAndApply(name, COFFEE)).toBe(COFFEE);
  });
});
