import { describe, expect, test } from "vitest";
import { LEGACY_CATEGORY_TABLE, legacyCategory } from "./legacy-categories.js";
import { describeCategory, PFC_DETAILED } from "./taxonomy.js";

const V2_DETAILED = new Set(PFC_DETAILED.map((d) => d.code));

/** Plaid's 13 legacy top-level categories. */
const TOP_LEVELS = [
  "Bank Fees",
  "Cash Advance",
  "Community",
  "Food and Drink",
  "Healthcare",
  "Interest",
  "Payment",
  "Recreation",
  "Service",
  "Shops",
  "Tax",
  "Transfer",
  "Travel",
];

describe("legacyCategory", () => {
  test.each([
    [["Food and Drink", "Restaurants", "Coffee Shop"], "FOOD_AND_DRINK_COFFEE"],
    [["Travel", "Airlines and Aviation Services"], "TRAVEL_FLIGHTS"],
    [["Transfer", "Debit"], "TRANSFER_OUT_OTHER_TRANSFER_OUT"],
    [["Payment", "Credit Card"], "LOAN_PAYMENTS_CREDIT_CARD_PAYMENT"],
    [["Bank Fees", "Overdraft"], "BANK_FEES_OVERDRAFT_FEES"],
    [["Shops", "Supermarkets and Groceries"], "FOOD_AND_DRINK_GROCERIES"],
    [["Recreation", "Gyms and Fitness Centers"], "PERSONAL_CARE_GYMS_AND_FITNESS_CENTERS"],
    [["Service", "Telecommunication Services"], "RENT_AND_UTILITIES_TELEPHONE"],
    [["Tax", "Refund"], "INCOME_TAX_REFUND"],
    [["Interest", "Interest Earned"], "INCOME_INTEREST_EARNED"],
    [["Transfer", "Payroll"], "INCOME_SALARY"],
    [["Community", "Religious"], "GOVERNMENT_AND_NON_PROFIT_DONATIONS"],
    [["Healthcare", "Pharmacies"], "MEDICAL_PHARMACIES_AND_SUPPLEMENTS"],
    [["Travel", "Car Service", "Ride Share"], "TRANSPORTATION_TAXIS_AND_RIDE_SHARES"],
  ])("%j maps to %s", (hierarchy, code) => {
    expect(legacyCategory(hierarchy)).toBe(code);
  });

  test("the deepest known level wins, then its parents, then the top level", () => {
    expect(legacyCategory(["Food and Drink", "Restaurants", "Fast Food"])).toBe("FOOD_AND_DRINK_FAST_FOOD");
    expect(legacyCategory(["Food and Drink", "Restaurants", "Sushi"])).toBe("FOOD_AND_DRINK_RESTAURANT");
    expect(legacyCategory(["Food and Drink", "Something New"])).toBe("FOOD_AND_DRINK_OTHER_FOOD_AND_DRINK");
    expect(legacyCategory(["Food and Drink"])).toBe("FOOD_AND_DRINK_OTHER_FOOD_AND_DRINK");
  });

  test("the same name under different parents can mean different things", () => {
    expect(legacyCategory(["Bank Fees", "Cash Advance"])).toBe("BANK_FEES_CASH_ADVANCE");
    expect(legacyCategory(["Cash Advance"])).toBe("LOAN_DISBURSEMENTS_CASH_ADVANCES");
    expect(legacyCategory(["Service", "Real Estate", "Rent"])).toBe("RENT_AND_UTILITIES_RENT");
    expect(legacyCategory(["Service", "Real Estate"])).toBe("GENERAL_SERVICES_OTHER_GENERAL_SERVICES");
  });

  test("case and extra spaces are ignored", () => {
    expect(legacyCategory(["FOOD AND DRINK", "restaurants", " Coffee  Shop "])).toBe("FOOD_AND_DRINK_COFFEE");
  });

  test("an unknown top level, an empty hierarchy or levels past the third give null or are ignored", () => {
    expect(legacyCategory(["Unheard Of", "Restaurants"])).toBeNull();
    expect(legacyCategory([])).toBeNull();
    expect(legacyCategory([""])).toBeNull();
    expect(legacyCategory(["Food and Drink", "Restaurants", "Coffee Shop", "Espresso"])).toBe(
      "FOOD_AND_DRINK_COFFEE",
    );
  });

  test("every one of Plaid's 13 top levels has a fallback", () => {
    for (const top of TOP_LEVELS) expect(legacyCategory([top]), top).not.toBeNull();
    const tops = new Set(LEGACY_CATEGORY_TABLE.map(([path]) => path.split(" > ")[0]));
    expect([...tops].sort()).toEqual([...TOP_LEVELS].sort());
  });

  test("every code the table can return is a known v2 detailed code", () => {
    for (const [path, code] of LEGACY_CATEGORY_TABLE) {
      expect(V2_DETAILED.has(code), `${path} → ${code}`).toBe(true);
      expect(describeCategory(code).code).toBe(code);
    }
  });

  test("every path is listed once, with its parent listed too", () => {
    const paths = LEGACY_CATEGORY_TABLE.map(([path]) => path.toLowerCase());
    expect(new Set(paths).size).toBe(paths.length);
    for (const path of paths) {
      const levels = path.split(" > ");
      expect(levels.length).toBeLessThanOrEqual(3);
      expect(paths, path).toContain(levels[0]);
    }
  });
});
