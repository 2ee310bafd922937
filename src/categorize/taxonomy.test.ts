import { existsSync, readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { PFC_V2_ROWS } from "./pfc-table.js";
import {
  canonicalCategory,
  describeCategory,
  isCategoryCode,
  PFC_DETAILED,
  PFC_PRIMARIES,
  pfcCategory,
  UNCATEGORIZED,
} from "./taxonomy.js";

const taxonomyPath = resolve(
  dirname(fileURLToPath(import.meta.url)),
  "../../../shared/plaid-openapi/pfc-taxonomy.csv",
);

describe("the PFC table", () => {
  test("equals Plaid's published taxonomy row for row", (context) => {
    if (!existsSync(taxonomyPath)) {
      if (process.env.CI) throw new Error(`missing ${taxonomyPath}`);
      context.skip();
    }
    // Line 1 is the header, line 2 a note; the v1 primary is dropped, so check it is derivable.
    const rows = readFileSync(taxonomyPath, "utf8")
      .split("\n")
      .slice(2)
      .filter((line) => line !== "")
      .map((line) => line.split(","));
    for (const cells of rows) {
      expect(cells).toHaveLength(5);
      expect(cells[2]).toBe("");
      // "A / B" where v2 merged two v1 codes: each v1 code starts with its own v1 primary.
      const v1Primaries = (cells[3] ?? "").split(" / ");
      const v1Codes = (cells[4] ?? "").split(" / ");
      expect(v1Codes).toHaveLength(v1Primaries.length);
      v1Codes.forEach((code, i) => {
        if (code !== "") expect(code.startsWith(`${v1Primaries[i]}_`), code).toBe(true);
        else expect(v1Primaries[i]).toBe("");
      });
    }
    expect(PFC_V2_ROWS).toEqual(rows.map((cells) => [cells[0], cells[1], cells[4] === "" ? null : cells[4]]));
  });

  test("has 18 primaries and 123 detailed categories, each detailed code prefixed by its primary", () => {
    expect(PFC_PRIMARIES).toHaveLength(18);
    expect(PFC_DETAILED).toHaveLength(123);
    expect(new Set(PFC_DETAILED.map((d) => d.code)).size).toBe(123);
    for (const d of PFC_DETAILED) expect(d.code.startsWith(`${d.primary}_`)).toBe(true);
  });
});

describe("describeCategory", () => {
  test("describes a v2 detailed code with its primary and kind", () => {
    expect(describeCategory("FOOD_AND_DRINK_COFFEE")).toEqual({
      code: "FOOD_AND_DRINK_COFFEE",
      primary: "FOOD_AND_DRINK",
      detailed: "FOOD_AND_DRINK_COFFEE",
      name: "Coffee",
      primaryName: "Food and drink",
      known: true,
      kind: "expense",
    });
  });

  test("describes a primary code with no detailed part", () => {
    expect(describeCategory("LOAN_DISBURSEMENTS")).toEqual({
      code: "LOAN_DISBURSEMENTS",
      primary: "LOAN_DISBURSEMENTS",
      detailed: null,
      name: "Loan disbursements",
      primaryName: "Loan disbursements",
      known: true,
      kind: "income",
    });
  });

  test("money from outside is income, OTHER is decided by sign, and every other primary is expense", () => {
    const kinds = (kind: string) =>
      PFC_PRIMARIES.filter((p) => describeCategory(p.code).kind === kind).map((p) => p.code);
    expect(kinds("income").sort()).toEqual(["INCOME", "LOAN_DISBURSEMENTS", "TRANSFER_IN"]);
    expect(kinds("unknown")).toEqual(["OTHER"]);
    expect(kinds("expense")).toHaveLength(14);
    for (const d of PFC_DETAILED)
      expect(describeCategory(d.code).kind).toBe(describeCategory(d.primary).kind);
  });

  test("UNCATEGORIZED is known but of unknown kind", () => {
    expect(describeCategory(UNCATEGORIZED)).toEqual({
      code: UNCATEGORIZED,
      primary: UNCATEGORIZED,
      detailed: null,
      name: "Uncategorized",
      primaryName: "Uncategorized",
      known: true,
      kind: "unknown",
    });
  });

  test("a v1 code is described as its v2 equivalent", () => {
    expect(describeCategory("INCOME_WAGES").code).toBe("INCOME_SALARY");
    expect(describeCategory("INCOME_OTHER_INCOME").code).toBe("INCOME_OTHER");
    const loan = describeCategory("TRANSFER_IN_CASH_ADVANCES_AND_LOANS");
    expect(loan).toMatchObject({
      code: "LOAN_DISBURSEMENTS_OTHER_DISBURSEMENT",
      primary: "LOAN_DISBURSEMENTS",
    });
    expect(loan.known).toBe(true);
  });

  test("an unknown code under a known primary takes that primary and its kind", () => {
    expect(describeCategory("FOOD_AND_DRINK_SOMETHING_NEW")).toEqual({
      code: "FOOD_AND_DRINK_SOMETHING_NEW",
      primary: "FOOD_AND_DRINK",
      detailed: "FOOD_AND_DRINK_SOMETHING_NEW",
      name: "FOOD_AND_DRINK_SOMETHING_NEW",
      primaryName: "Food and drink",
      known: false,
      kind: "expense",
    });
    expect(describeCategory("TRANSFER_IN_CRYPTO").kind).toBe("income");
  });

  test("an unknown code with no known primary is its own primary, of unknown kind", () => {
    expect(describeCategory("CRYPTO")).toEqual({
      code: "CRYPTO",
      primary: "CRYPTO",
      detailed: null,
      name: "CRYPTO",
      primaryName: "CRYPTO",
      known: false,
      kind: "unknown",
    });
    expect(describeCategory("FOOD_AND_DRINKS").kind).toBe("unknown");
    expect(describeCategory("").known).toBe(false);
  });

  test("any string is described without throwing, known exactly when isCategoryCode says so", () => {
    const codes = fc.oneof(
      fc.string(),
      fc.constantFrom(...PFC_DETAILED.map((d) => d.code), ...PFC_PRIMARIES.map((p) => p.code), UNCATEGORIZED),
      fc
        .tuple(fc.constantFrom(...PFC_PRIMARIES.map((p) => p.code)), fc.string())
        .map(([p, s]) => `${p}_${s}`),
    );
    fc.assert(
      fc.property(codes, (code) => {
        const info = describeCategory(code);
        expect(info.known).toBe(isCategoryCode(code));
        if (!info.known) expect(info.code).toBe(code);
        expect(info.code).toBe(canonicalCategory(code));
      }),
      { numRuns: 2000 },
    );
  });
});

describe("display names", () => {
  test.each([
    ["FOOD_AND_DRINK", "Food and drink"],
    ["FOOD_AND_DRINK_COFFEE", "Coffee"],
    ["RENT_AND_UTILITIES_GAS_AND_ELECTRICITY", "Gas and electricity"],
    ["TRANSFER_IN_OTHER_TRANSFER_IN", "Other transfer in"],
    ["BANK_FEES_ATM_FEES", "ATM fees"],
    ["ENTERTAINMENT_TV_AND_MOVIES", "TV and movies"],
    ["LOAN_DISBURSEMENTS_BNPL", "Buy now, pay later"],
    ["LOAN_DISBURSEMENTS_EWA", "Earned wage access"],
    ["LOAN_DISBURSEMENTS", "Loan disbursements"],
    ["GOVERNMENT_AND_NON_PROFIT", "Government and non-profit"],
    ["INCOME_OTHER", "Other income"],
    ["INCOME_WAGES", "Salary"],
  ])("%s reads as %s", (code, name) => {
    expect(describeCategory(code).name).toBe(name);
  });

  test("every name is sentence case with no underscores, and unique within its primary", () => {
    for (const { name } of [...PFC_PRIMARIES, ...PFC_DETAILED]) {
      expect(name).not.toMatch(/_/);
      expect(name.charAt(0)).toBe(name.charAt(0).toUpperCase());
      // Acronyms are the only capitals after the first letter.
      expect(name.replace(/\b(ATM|TV)\b/g, "").slice(1)).not.toMatch(/[A-Z]/);
    }
    for (const p of PFC_PRIMARIES) {
      const names = PFC_DETAILED.filter((d) => d.primary === p.code).map((d) => d.name);
      expect(new Set(names).size).toBe(names.length);
    }
  });
});

describe("isCategoryCode and canonicalCategory", () => {
  test("accept v2 codes, v1 aliases and UNCATEGORIZED, and nothing else", () => {
    expect(isCategoryCode("TRAVEL_FLIGHTS")).toBe(true);
    expect(isCategoryCode("TRAVEL")).toBe(true);
    expect(isCategoryCode("INCOME_WAGES")).toBe(true);
    expect(isCategoryCode(UNCATEGORIZED)).toBe(true);
    expect(isCategoryCode("travel_flights")).toBe(false);
    expect(isCategoryCode("TRAVEL_SPACE")).toBe(false);
  });

  test("every v1 code in the table is known and maps to its row's v2 code", () => {
    const withV1 = PFC_DETAILED.filter((d) => d.v1 !== null);
    expect(withV1).toHaveLength(104);
    for (const d of withV1) {
      expect(isCategoryCode(d.v1 as string)).toBe(true);
      expect(canonicalCategory(d.v1 as string)).toBe(d.code);
    }
    expect(canonicalCategory("FOOD_AND_DRINK_COFFEE")).toBe("FOOD_AND_DRINK_COFFEE");
    expect(canonicalCategory("MYSTERY")).toBe("MYSTERY");
  });

  test("v1's other transfers keep their direction rather than becoming OTHER_OTHER", () => {
    expect(PFC_DETAILED.find((d) => d.code === "OTHER_OTHER")?.v1).toBeNull();
    expect(canonicalCategory("TRANSFER_IN_OTHER_TRANSFER_IN")).toBe("TRANSFER_IN_OTHER_TRANSFER_IN");
    expect(canonicalCategory("TRANSFER_OUT_OTHER_TRANSFER_OUT")).toBe("TRANSFER_OUT_OTHER_TRANSFER_OUT");
    expect(isCategoryCode("TRANSFER_IN_OTHER_TRANSFER_IN / TRANSFER_OUT_OTHER_TRANSFER_OUT")).toBe(false);
    expect(describeCategory("OTHER_OTHER")).toMatchObject({
      name: "Other",
      primaryName: "Other",
      kind: "unknown",
    });
  });
});

describe("pfcCategory", () => {
  test("stores the detailed code, mapping v1 to v2", () => {
    expect(pfcCategory("FOOD_AND_DRINK", "FOOD_AND_DRINK_COFFEE")).toBe("FOOD_AND_DRINK_COFFEE");
    expect(pfcCategory("INCOME", "INCOME_WAGES")).toBe("INCOME_SALARY");
    expect(pfcCategory("TRANSFER_IN", "TRANSFER_IN_CASH_ADVANCES_AND_LOANS")).toBe(
      "LOAN_DISBURSEMENTS_OTHER_DISBURSEMENT",
    );
  });

  test("falls back to the primary when the detailed code is missing", () => {
    expect(pfcCategory("TRAVEL", null)).toBe("TRAVEL");
    expect(pfcCategory("TRAVEL", "")).toBe("TRAVEL");
  });

  test("passes unknown strings through unchanged, preferring the detailed one", () => {
    expect(pfcCategory("TRAVEL", "TRAVEL_SPACE_FLIGHTS")).toBe("TRAVEL_SPACE_FLIGHTS");
    expect(pfcCategory("SPACE", "SPACE_FLIGHTS")).toBe("SPACE_FLIGHTS");
    expect(pfcCategory("SPACE", null)).toBe("SPACE");
  });

  test("is null when Plaid said nothing", () => {
    expect(pfcCategory(null, null)).toBeNull();
    expect(pfcCategory("", "")).toBeNull();
    expect(pfcCategory(null, " ")).toBeNull();
  });
});
