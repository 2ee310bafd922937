import fc from "fast-check";
import { describe, expect, test } from "vitest";
import {
  applyRules,
  type CategoryRule,
  compileRules,
  NO_RULE_OUTCOME,
  type RuleActions,
  type RuleConditions,
  type RuleSubject,
  type TextMatch,
} from "./rules.js";

const SUBJECT: RuleSubject = {
  description: "SQ *BLUE BOTTLE COFFEE 0412 OAKLAND CA",
  merchantName: "Blue Bottle Coffee",
  counterparty: "Blue Bottle Coffee Inc",
  accountId: "chk",
  amountMinor: -4_50,
  currency: "USD",
  baseCategory: "FOOD_AND_DRINK_COFFEE",
};

function rule(
  id: string,
  conditions: RuleConditions,
  actions: RuleActions = { category: "FOOD_AND_DRINK_COFFEE" },
  position = 0,
): CategoryRule {
  return { id, name: id, position, conditions, actions };
}

/** Whether one rule with these conditions matches the subject. */
function matches(conditions: RuleConditions, subject: Partial<RuleSubject> = {}): boolean {
  return applyRules(compileRules([rule("r", conditions)]), { ...SUBJECT, ...subject }).ruleIds.length === 1;
}

describe("text conditions", () => {
  const fields = [
    ["merchant", "merchantName"],
    ["description", "description"],
    ["counterparty", "counterparty"],
  ] as const;

  describe.each(fields)("on %s", (field, subjectField) => {
    const on = (m: TextMatch, text: string) => matches({ [field]: m }, { [subjectField]: text });

    test("equals compares the whole trimmed text, ignoring case and runs of spaces", () => {
      expect(on({ equals: "blue bottle" }, "  BLUE   Bottle ")).toBe(true);
      expect(on({ equals: "blue bottle" }, "Blue Bottle Coffee")).toBe(false);
    });

    test("contains finds a substring, ignoring case", () => {
      expect(on({ contains: "BOTTLE" }, "blue bottle coffee")).toBe(true);
      expect(on({ contains: "bottles" }, "blue bottle coffee")).toBe(false);
    });

    test("words must each stand as a whole word: bar does not match barber", () => {
      expect(on({ words: ["bar"] }, "JOE'S BAR & GRILL")).toBe(true);
      expect(on({ words: ["bar"] }, "bar")).toBe(true);
      expect(on({ words: ["bar"] }, "THE BARBER SHOP")).toBe(false);
      expect(on({ words: ["bar"] }, "CROWBAR")).toBe(false);
      expect(on({ words: ["bar", "grill"] }, "joe's bar & grill")).toBe(true);
      expect(on({ words: ["bar", "grill"] }, "joe's bar")).toBe(false);
    });

    test("words are matched literally, not as patterns", () => {
      expect(on({ words: ["a.c"] }, "abc")).toBe(false);
      expect(on({ words: ["a.c"] }, "the a.c store")).toBe(true);
    });

    test("regex is case-insensitive", () => {
      expect(on({ regex: "^sq \\*blue" }, "SQ *BLUE BOTTLE")).toBe(true);
      expect(on({ regex: "^blue" }, "SQ *BLUE BOTTLE")).toBe(false);
    });

    test("every part given must hold", () => {
      expect(on({ contains: "blue", words: ["coffee"] }, "blue bottle coffee")).toBe(true);
      expect(on({ contains: "blue", words: ["tea"] }, "blue bottle coffee")).toBe(false);
    });
  });

  test("a merchant or counterparty condition never matches a row without one", () => {
    expect(matches({ merchant: { contains: "" } }, { merchantName: null })).toBe(false);
    expect(matches({ counterparty: { regex: ".*" } }, { counterparty: null })).toBe(false);
  });
});

describe("other conditions", () => {
  test("accountIds matches rows of those accounts only", () => {
    expect(matches({ accountIds: ["sav", "chk"] })).toBe(true);
    expect(matches({ accountIds: ["sav"] })).toBe(false);
  });

  test("direction in matches money in, out matches money out, and a zero amount matches neither", () => {
    expect(matches({ direction: "in" }, { amountMinor: 1 })).toBe(true);
    expect(matches({ direction: "in" }, { amountMinor: -1 })).toBe(false);
    expect(matches({ direction: "out" }, { amountMinor: -1 })).toBe(true);
    expect(matches({ direction: "out" }, { amountMinor: 1 })).toBe(false);
    expect(matches({ direction: "in" }, { amountMinor: 0 })).toBe(false);
    expect(matches({ direction: "out" }, { amountMinor: 0 })).toBe(false);
  });

  test("amount bounds are on the magnitude, in the row's own currency", () => {
    // "10" is $10.00 (1000 cents) and ¥10 (10 yen): the same words in any currency.
    expect(matches({ amountMin: "10", amountMax: "10" }, { amountMinor: -10_00, currency: "USD" })).toBe(
      true,
    );
    expect(matches({ amountMin: "10", amountMax: "10" }, { amountMinor: 10_00, currency: "USD" })).toBe(true);
    expect(matches({ amountMin: "10", amountMax: "10" }, { amountMinor: 10, currency: "JPY" })).toBe(true);
    expect(matches({ amountMin: "10", amountMax: "10" }, { amountMinor: -10, currency: "USD" })).toBe(false);
    expect(matches({ amountMin: "10", amountMax: "10" }, { amountMinor: 10_00, currency: "JPY" })).toBe(
      false,
    );
    expect(matches({ amountMin: "10.5", amountMax: "10.5" }, { amountMinor: 10_50, currency: "USD" })).toBe(
      true,
    );
    expect(matches({ amountMin: "1.234" }, { amountMinor: 1_234, currency: "BHD" })).toBe(true);
    expect(matches({ amountMin: "1.235" }, { amountMinor: 1_234, currency: "BHD" })).toBe(false);
  });

  test("amount bounds are inclusive at both ends", () => {
    const bounds = { amountMin: "10.5", amountMax: "20" };
    expect(matches(bounds, { amountMinor: -10_49 })).toBe(false);
    expect(matches(bounds, { amountMinor: -10_50 })).toBe(true);
    expect(matches(bounds, { amountMinor: -20_00 })).toBe(true);
    expect(matches(bounds, { amountMinor: -20_01 })).toBe(false);
    expect(matches({ amountMax: "20" }, { amountMinor: 0 })).toBe(true);
    expect(matches({ amountMin: "20" }, { amountMinor: 1_000_000_00 })).toBe(true);
  });

  test("currency matches the row's currency, whatever the case the rule wrote", () => {
    expect(matches({ currency: "USD" })).toBe(true);
    expect(matches({ currency: "usd" })).toBe(true);
    expect(matches({ currency: "EUR" })).toBe(false);
  });

  test("a primary category matches its detailed codes; a detailed one only itself", () => {
    expect(matches({ category: "FOOD_AND_DRINK" })).toBe(true);
    expect(matches({ category: "FOOD_AND_DRINK" }, { baseCategory: "FOOD_AND_DRINK" })).toBe(true);
    expect(matches({ category: "FOOD_AND_DRINK_COFFEE" })).toBe(true);
    expect(matches({ category: "FOOD_AND_DRINK_RESTAURANT" })).toBe(false);
    expect(matches({ category: "TRAVEL" })).toBe(false);
    expect(matches({ category: "FOOD_AND_DRINK_COFFEE" }, { baseCategory: "FOOD_AND_DRINK" })).toBe(false);
  });

  test("every condition given must hold", () => {
    expect(matches({ direction: "out", currency: "USD", merchant: { contains: "bottle" } })).toBe(true);
    expect(matches({ direction: "in", currency: "USD", merchant: { contains: "bottle" } })).toBe(false);
  });
});

describe("rule order", () => {
  test("the first rule that sets a category wins; a later one cannot override it", () => {
    const rules = compileRules([
      rule("tags-only", { direction: "out" }, { addTags: ["card"] }, 0),
      rule("coffee", { merchant: { contains: "bottle" } }, { category: "FOOD_AND_DRINK_COFFEE" }, 1),
      rule("restaurant", { direction: "out" }, { category: "FOOD_AND_DRINK_RESTAURANT" }, 2),
    ]);
    const outcome = applyRules(rules, SUBJECT);
    expect(outcome.category).toEqual({ code: "FOOD_AND_DRINK_COFFEE", ruleId: "coffee" });
    expect(outcome.ruleIds).toEqual(["tags-only", "coffee", "restaurant"]);
  });

  test("tags add up in rule order, each once", () => {
    const rules = compileRules([
      rule("a", { direction: "out" }, { addTags: ["coffee", "work"] }, 0),
      rule("b", { direction: "out" }, { addTags: ["work", "daily"] }, 1),
      rule("c", { direction: "in" }, { addTags: ["never"] }, 2),
      rule("d", { direction: "out" }, { addTags: ["coffee", "late"] }, 3),
    ]);
    expect(applyRules(rules, SUBJECT).tags).toEqual(["coffee", "work", "daily", "late"]);
  });

  test("any matching rule can mark a transfer or exclude from reports, and no later rule unmarks", () => {
    const rules = compileRules([
      rule("cat", { direction: "out" }, { category: "TRANSFER_OUT_ACCOUNT_TRANSFER" }, 0),
      rule("mark", { direction: "out" }, { markTransfer: true }, 1),
      rule("exclude", { direction: "out" }, { excludeFromReports: true }, 2),
      rule(
        "unmark",
        { direction: "out" },
        { markTransfer: false, excludeFromReports: false, addTags: ["x"] },
        3,
      ),
    ]);
    const outcome = applyRules(rules, SUBJECT);
    expect(outcome.markTransfer).toBe(true);
    expect(outcome.excludeFromReports).toBe(true);
  });

  test("the first rule that renames the merchant wins", () => {
    const rules = compileRules([
      rule("none", { direction: "out" }, { addTags: ["t"] }, 0),
      rule("first", { direction: "out" }, { renameMerchant: "Blue Bottle" }, 1),
      rule("second", { direction: "out" }, { renameMerchant: "Coffee Place" }, 2),
    ]);
    expect(applyRules(rules, SUBJECT).merchantName).toBe("Blue Bottle");
  });

  test("no matching rule gives the empty outcome", () => {
    const rules = compileRules([rule("in", { direction: "in" })]);
    expect(applyRules(rules, SUBJECT)).toEqual(NO_RULE_OUTCOME);
    expect(applyRules([], SUBJECT)).toEqual(NO_RULE_OUTCOME);
  });

  test("compileRules orders by position, then by id, whatever the input order", () => {
    const rules = [
      rule("b", { direction: "out" }, { category: "TRAVEL" }, 2),
      rule("z", { direction: "out" }, { category: "TRAVEL" }, 1),
      rule("a", { direction: "out" }, { category: "TRAVEL" }, 2),
      rule("m", { direction: "out" }, { category: "TRAVEL" }, -5),
    ];
    const order = compileRules(rules).map((c) => c.rule.id);
    expect(order).toEqual(["m", "z", "a", "b"]);
    expect(compileRules([...rules].reverse()).map((c) => c.rule.id)).toEqual(order);
    expect(applyRules(compileRules(rules), SUBJECT).category?.ruleId).toBe("m");
  });

  test("compileRules leaves the caller's array as it was", () => {
    const rules = [rule("b", { direction: "out" }, {}, 2), rule("a", { direction: "out" }, {}, 1)];
    compileRules(rules);
    expect(rules.map((r) => r.id)).toEqual(["b", "a"]);
  });
});

describe("applyRules as a whole", () => {
  const CATEGORIES = ["FOOD_AND_DRINK_COFFEE", "TRAVEL", "INCOME_SALARY", "RENT_AND_UTILITIES_RENT"];
  const MERCHANTS = ["Blue Bottle Coffee", "Delta", "Acme Payroll", null];

  const conditions: fc.Arbitrary<RuleConditions> = fc.record(
    {
      merchant: fc.record({ contains: fc.constantFrom("blue", "delta", "acme", "o") }),
      accountIds: fc.subarray(["chk", "sav", "card"], { minLength: 1 }),
      direction: fc.constantFrom("in" as const, "out" as const),
      currency: fc.constantFrom("USD", "EUR"),
      category: fc.constantFrom("FOOD_AND_DRINK", "TRAVEL_FLIGHTS", "INCOME"),
    },
    { requiredKeys: [] },
  );
  const actions: fc.Arbitrary<RuleActions> = fc.record(
    {
      category: fc.constantFrom(...CATEGORIES),
      addTags: fc.subarray(["a", "b", "c"], { minLength: 1 }),
      markTransfer: fc.boolean(),
    },
    { requiredKeys: [] },
  );
  const rules = fc.array(
    fc.record({
      id: fc.string({ minLength: 1, maxLength: 3 }),
      name: fc.constant("r"),
      position: fc.integer({ min: 0, max: 5 }),
      conditions,
      actions,
    }),
    { maxLength: 12 },
  );
  const subject: fc.Arbitrary<RuleSubject> = fc.record({
    description: fc.constant("CARD PURCHASE"),
    merchantName: fc.constantFrom(...MERCHANTS),
    counterparty: fc.constant(null),
    accountId: fc.constantFrom("chk", "sav", "card"),
    amountMinor: fc.integer({ min: -1000, max: 1000 }),
    currency: fc.constantFrom("USD", "EUR"),
    baseCategory: fc.constantFrom(
      "FOOD_AND_DRINK_COFFEE",
      "TRAVEL_FLIGHTS",
      "INCOME_SALARY",
      "UNCATEGORIZED",
    ),
  });

  /** Which of the subjects' base categories each category condition above matches. */
  const CATEGORY_MATCHES: Record<string, readonly string[]> = {
    FOOD_AND_DRINK: ["FOOD_AND_DRINK_COFFEE"],
    TRAVEL_FLIGHTS: ["TRAVEL_FLIGHTS"],
    INCOME: ["INCOME_SALARY"],
  };

  /** An independent reading of the conditions used above. */
  function holds(c: RuleConditions, s: RuleSubject): boolean {
    if (c.merchant?.contains !== undefined)
      if (s.merchantName === null || !s.merchantName.toLowerCase().includes(c.merchant.contains))
        return false;
    if (c.accountIds !== undefined && !c.accountIds.includes(s.accountId)) return false;
    if (c.direction === "in" && !(s.amountMinor > 0)) return false;
    if (c.direction === "out" && !(s.amountMinor < 0)) return false;
    if (c.currency !== undefined && c.currency !== s.currency) return false;
    if (c.category !== undefined && !(CATEGORY_MATCHES[c.category] ?? []).includes(s.baseCategory))
      return false;
    return true;
  }

  test("the category is the one of the first matching rule by position (then id) that sets one", () => {
    fc.assert(
      fc.property(rules, subject, (list, s) => {
        const sorted = [...list].sort(
          (a, b) => a.position - b.position || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
        );
        let expected: { code: string; ruleId: string } | null = null;
        const tags: string[] = [];
        let markTransfer = false;
        for (const r of sorted) {
          if (!holds(r.conditions, s)) continue;
          if (expected === null && r.actions.category !== undefined)
            expected = { code: r.actions.category, ruleId: r.id };
          for (const tag of r.actions.addTags ?? []) if (!tags.includes(tag)) tags.push(tag);
          markTransfer ||= r.actions.markTransfer === true;
        }
        const outcome = applyRules(compileRules(list), s);
        expect(outcome.category).toEqual(expected);
        expect(outcome.tags).toEqual(tags);
        expect(outcome.markTransfer).toBe(markTransfer);
      }),
      { numRuns: 1000 },
    );
  });
});
