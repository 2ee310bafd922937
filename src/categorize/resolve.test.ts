import { describe, expect, test } from "vitest";
import {
  baseCategory,
  CARD_PAYMENT_CATEGORY,
  type CategorizeInput,
  categorize,
  PFC_CONFIDENCE_ACCEPTED,
  reportRole,
} from "./resolve.js";
import { parseRuleInput } from "./rule-input.js";
import {
  type CategoryRule,
  type CompiledRule,
  compileRules,
  type RuleActions,
  type RuleConditions,
} from "./rules.js";

const BARE: CategorizeInput = {
  description: "SQ *BLUE BOTTLE COFFEE 0412",
  accountId: "chk",
  amountMinor: -4_50,
  currency: "USD",
  merchantName: null,
  merchantEntityId: null,
  counterparty: null,
  pfcPrimary: null,
  pfcDetailed: null,
  pfcConfidence: null,
  legacyCategory: null,
  statementType: null,
  userCategory: null,
  userMerchantName: null,
};

/** Every source speaks, each with a different category. */
const FULL: CategorizeInput = {
  ...BARE,
  pfcPrimary: "FOOD_AND_DRINK",
  pfcDetailed: "FOOD_AND_DRINK_COFFEE",
  pfcConfidence: "HIGH",
  legacyCategory: ["Travel", "Airlines and Aviation Services"],
  statementType: "ofx:FEE",
  userCategory: "ENTERTAINMENT_CASINOS_AND_GAMBLING",
};

function rules(...list: [id: string, conditions: RuleConditions, actions: RuleActions][]): CompiledRule[] {
  return compileRules(
    list.map(
      ([id, conditions, actions], position): CategoryRule => ({
        id,
        name: id,
        position,
        conditions,
        actions,
      }),
    ),
  );
}

const SHOPPING_RULE = rules([
  "shop",
  { direction: "out" },
  { category: "GENERAL_MERCHANDISE_OTHER_GENERAL_MERCHANDISE" },
]);

describe("categorize: which source decides", () => {
  test("a person's edit comes first", () => {
    const c = categorize(FULL, SHOPPING_RULE);
    expect([c.category, c.source, c.ruleId]).toEqual(["ENTERTAINMENT_CASINOS_AND_GAMBLING", "user", null]);
    expect(c.categoryPrimary).toBe("ENTERTAINMENT");
  });

  test("then a rule, which names itself", () => {
    const c = categorize({ ...FULL, userCategory: null }, SHOPPING_RULE);
    expect([c.category, c.source, c.ruleId]).toEqual([
      "GENERAL_MERCHANDISE_OTHER_GENERAL_MERCHANDISE",
      "rule",
      "shop",
    ]);
  });

  test("then Plaid's personal finance category", () => {
    const c = categorize({ ...FULL, userCategory: null }, []);
    expect([c.category, c.categoryPrimary, c.source, c.ruleId]).toEqual([
      "FOOD_AND_DRINK_COFFEE",
      "FOOD_AND_DRINK",
      "plaid",
      null,
    ]);
  });

  test("then the legacy list", () => {
    const c = categorize({ ...FULL, userCategory: null, pfcPrimary: null, pfcDetailed: null }, []);
    expect([c.category, c.source]).toEqual(["TRAVEL_FLIGHTS", "legacy"]);
  });

  test("then the statement's own type code", () => {
    const c = categorize(
      { ...FULL, userCategory: null, pfcPrimary: null, pfcDetailed: null, legacyCategory: null },
      [],
    );
    expect([c.category, c.source]).toEqual(["BANK_FEES_OTHER_BANK_FEES", "statement"]);
  });

  test("and UNCATEGORIZED when nothing speaks", () => {
    const c = categorize(BARE, []);
    expect([c.category, c.categoryPrimary, c.source, c.ruleId]).toEqual([
      "UNCATEGORIZED",
      "UNCATEGORIZED",
      "none",
      null,
    ]);
  });

  test("a rule that matches but sets no category leaves the category to the next source", () => {
    const tagOnly = rules(["tag", { direction: "out" }, { addTags: ["coffee"] }]);
    const c = categorize({ ...FULL, userCategory: null }, tagOnly);
    expect([c.category, c.source, c.ruleId]).toEqual(["FOOD_AND_DRINK_COFFEE", "plaid", null]);
    expect(c.ruleTags).toEqual(["coffee"]);
  });

  test("a person's v1 category is kept as its v2 code", () => {
    const c = categorize({ ...BARE, userCategory: "INCOME_WAGES" }, []);
    expect([c.category, c.categoryPrimary, c.source]).toEqual(["INCOME_SALARY", "INCOME", "user"]);
  });
});

describe("baseCategory", () => {
  const pfc = { ...BARE, pfcPrimary: "FOOD_AND_DRINK", pfcDetailed: "FOOD_AND_DRINK_COFFEE" };
  const withLegacy = { ...pfc, legacyCategory: ["Travel", "Airlines and Aviation Services"] };

  test.each([...PFC_CONFIDENCE_ACCEPTED, null])("takes Plaid's category at confidence %s", (confidence) => {
    expect(baseCategory({ ...withLegacy, pfcConfidence: confidence })).toEqual({
      code: "FOOD_AND_DRINK_COFFEE",
      source: "plaid",
    });
  });

  test("accepts exactly VERY_HIGH, HIGH and MEDIUM", () => {
    expect([...PFC_CONFIDENCE_ACCEPTED].sort()).toEqual(["HIGH", "MEDIUM", "VERY_HIGH"]);
  });

  test("skips Plaid's category at LOW confidence, for the legacy list or UNCATEGORIZED", () => {
    expect(baseCategory({ ...withLegacy, pfcConfidence: "LOW" })).toEqual({
      code: "TRAVEL_FLIGHTS",
      source: "legacy",
    });
    expect(baseCategory({ ...pfc, pfcConfidence: "LOW" })).toEqual({ code: "UNCATEGORIZED", source: "none" });
  });

  test("takes Plaid's primary when no detailed code came, and maps a v1 detailed code to v2", () => {
    expect(baseCategory({ ...BARE, pfcPrimary: "TRAVEL" })).toEqual({ code: "TRAVEL", source: "plaid" });
    expect(baseCategory({ ...BARE, pfcPrimary: "INCOME", pfcDetailed: "INCOME_WAGES" })).toEqual({
      code: "INCOME_SALARY",
      source: "plaid",
    });
  });

  test("an empty legacy list or an unknown legacy path falls through to the statement", () => {
    const statement = { ...BARE, statementType: "ofx:FEE" };
    expect(baseCategory({ ...statement, legacyCategory: [] })).toEqual({
      code: "BANK_FEES_OTHER_BANK_FEES",
      source: "statement",
    });
    expect(baseCategory({ ...statement, legacyCategory: ["Unheard Of"] }).source).toBe("statement");
  });

  test.each([
    ["ofx:FEE", -3_00, "BANK_FEES_OTHER_BANK_FEES"],
    ["ofx:INT", 1_25, "INCOME_INTEREST_EARNED"],
    ["ofx:INT", -9_00, "BANK_FEES_INTEREST_CHARGE"],
    ["camt:PMNT/CCRD/CWDL", -100_00, "TRANSFER_OUT_WITHDRAWAL"],
    ["mt940:NCHG", -3_50, "BANK_FEES_OTHER_BANK_FEES"],
  ])("reads the statement type %s (amount %d) as %s", (statementType, amountMinor, code) => {
    expect(baseCategory({ ...BARE, statementType, amountMinor })).toEqual({ code, source: "statement" });
  });

  test.each(["ofx:POS", "csv:FEE", "qif:FEE", "FEE", ":FEE"])(
    "gives UNCATEGORIZED for a statement type %j that names no purpose or no known format",
    (statementType) => {
      expect(baseCategory({ ...BARE, statementType })).toEqual({ code: "UNCATEGORIZED", source: "none" });
    },
  );
});

describe("categorize: what rules see and do", () => {
  test("rules see the base category, not a person's edit", () => {
    const byBase = rules(["coffee", { category: "FOOD_AND_DRINK" }, { addTags: ["base"] }]);
    const byUser = rules(["casino", { category: "ENTERTAINMENT" }, { addTags: ["user"] }]);
    expect(categorize(FULL, byBase).ruleTags).toEqual(["base"]);
    expect(categorize(FULL, byUser).ruleTags).toEqual([]);
  });

  test("a rule on a v1 alias category matches the rows Plaid files under its v2 code", () => {
    // parseRuleInput accepts INCOME_WAGES; Plaid's INCOME_WAGES is stored as INCOME_SALARY.
    const input = parseRuleInput({ conditions: { category: "INCOME_WAGES" }, actions: { addTags: ["pay"] } });
    const compiled = compileRules([{ id: "wages", name: "wages", position: 0, ...input }]);
    const payroll = { ...BARE, amountMinor: 2_000_00, pfcPrimary: "INCOME", pfcDetailed: "INCOME_WAGES" };
    expect(categorize(payroll, compiled).ruleTags).toEqual(["pay"]);
  });

  test("a rule's v1 alias category is kept as its v2 code, as a person's edit is", () => {
    const input = parseRuleInput({ conditions: { direction: "in" }, actions: { category: "INCOME_WAGES" } });
    const compiled = compileRules([{ id: "wages", name: "wages", position: 0, ...input }]);
    const c = categorize({ ...BARE, amountMinor: 2_000_00 }, compiled);
    expect([c.category, c.categoryPrimary, c.source]).toEqual(["INCOME_SALARY", "INCOME", "rule"]);
  });

  test("the merchant comes from Plaid's entity, Plaid's name, or the cleaned description", () => {
    const fromEntity = categorize({ ...BARE, merchantEntityId: "O5W5j4", merchantName: "Blue Bottle" }, []);
    expect([fromEntity.merchantKey, fromEntity.merchantName]).toEqual(["entity:O5W5j4", "Blue Bottle"]);
    const fromName = categorize({ ...BARE, merchantName: "Blue Bottle" }, []);
    expect(fromName.merchantName).toBe("Blue Bottle");
    expect(fromName.merchantKey).not.toBe(fromEntity.merchantKey);
    const fromDescription = categorize(BARE, []);
    expect(fromDescription.merchantName).toBe("Blue Bottle Coffee");
    expect(categorize({ ...BARE, description: "CHECK 1042" }, []).merchantKey).toBeNull();
  });

  test("a person's merchant rename changes the merchant's key and name", () => {
    const plain = categorize({ ...BARE, merchantEntityId: "O5W5j4", merchantName: "Blue Bottle" }, []);
    const renamed = categorize(
      {
        ...BARE,
        merchantEntityId: "O5W5j4",
        merchantName: "Blue Bottle",
        userMerchantName: "Morning Coffee",
      },
      [],
    );
    expect(renamed.merchantName).toBe("Morning Coffee");
    expect(renamed.merchantKey).not.toBe(plain.merchantKey);
    // Two rows a person named alike are one merchant.
    const other = categorize(
      { ...BARE, description: "CAFE 12 OAKLAND", userMerchantName: "Morning Coffee" },
      [],
    );
    expect(other.merchantKey).toBe(renamed.merchantKey);
  });

  test("a rule's rename changes the merchant, and a person's rename wins over it", () => {
    const rename = rules([
      "rename",
      { description: { contains: "blue bottle" } },
      { renameMerchant: "Morning Coffee" },
    ]);
    const byRule = categorize(BARE, rename);
    const byPerson = categorize({ ...BARE, userMerchantName: "Morning Coffee" }, []);
    expect(byRule.merchantName).toBe("Morning Coffee");
    expect(byRule.merchantKey).toBe(byPerson.merchantKey);
    expect(byRule.merchantKey).not.toBe(categorize(BARE, []).merchantKey);
    expect(categorize({ ...BARE, userMerchantName: "Beans" }, rename).merchantName).toBe("Beans");
  });

  test("rules see a person's merchant rename", () => {
    const onRenamed = rules(["beans", { merchant: { equals: "beans" } }, { addTags: ["beans"] }]);
    expect(categorize({ ...BARE, userMerchantName: "Beans" }, onRenamed).ruleTags).toEqual(["beans"]);
    expect(categorize(BARE, onRenamed).ruleTags).toEqual([]);
  });

  test("a rule's transfer mark and exclusion come through", () => {
    const marks = rules(
      ["mark", { direction: "out" }, { markTransfer: true }],
      ["hide", { amountMax: "5" }, { excludeFromReports: true }],
    );
    const c = categorize(BARE, marks);
    expect([c.markTransfer, c.excluded]).toEqual([true, true]);
    const none = categorize(BARE, []);
    expect([none.markTransfer, none.excluded, none.ruleTags]).toEqual([false, false, []]);
  });
});

describe("reportRole", () => {
  const counted = { category: "FOOD_AND_DRINK_COFFEE", markTransfer: false, excluded: false };

  test("a plain row counts", () => {
    expect(reportRole(counted, false)).toBe("counted");
  });

  test("a paired row, a rule's transfer mark or a card payment is a transfer", () => {
    expect(reportRole(counted, true)).toBe("transfer");
    expect(reportRole({ ...counted, markTransfer: true }, false)).toBe("transfer");
    expect(reportRole({ ...counted, category: CARD_PAYMENT_CATEGORY }, false)).toBe("transfer");
  });

  test("a card payment categorized from Plaid is a transfer, paired or not", () => {
    const payment = categorize(
      {
        ...BARE,
        description: "PAYMENT THANK YOU",
        amountMinor: 500_00,
        pfcPrimary: "LOAN_PAYMENTS",
        pfcDetailed: CARD_PAYMENT_CATEGORY,
      },
      [],
    );
    expect(reportRole(payment, false)).toBe("transfer");
  });

  test("excluded wins over every reason to be a transfer", () => {
    const excluded = { category: CARD_PAYMENT_CATEGORY, markTransfer: true, excluded: true };
    expect(reportRole(excluded, true)).toBe("excluded");
    expect(reportRole({ ...counted, excluded: true }, false)).toBe("excluded");
  });
});
