import fc from "fast-check";
import { describe, expect, test } from "vitest";
import {
  CAMT_SUBFAMILY_CODES,
  MT940_TYPE_CODES,
  OFX_TYPE_CODES,
  type StatementCodeRule,
  type StatementFormat,
  statementCategory,
} from "./statement-codes.js";
import { PFC_DETAILED } from "./taxonomy.js";

const V2_DETAILED = new Set(PFC_DETAILED.map((d) => d.code));
const IN = 1_00;
const OUT = -1_00;

describe("statementCategory for OFX", () => {
  test.each([
    ["FEE", OUT, "BANK_FEES_OTHER_BANK_FEES"],
    ["SRVCHG", OUT, "BANK_FEES_OTHER_BANK_FEES"],
    ["FEE", IN, "BANK_FEES_OTHER_BANK_FEES"],
    ["INT", IN, "INCOME_INTEREST_EARNED"],
    ["INT", OUT, "BANK_FEES_INTEREST_CHARGE"],
    ["DIV", IN, "INCOME_DIVIDENDS"],
    ["ATM", OUT, "TRANSFER_OUT_WITHDRAWAL"],
    ["ATM", IN, "TRANSFER_IN_DEPOSIT"],
    ["CASH", OUT, "TRANSFER_OUT_WITHDRAWAL"],
    ["CASH", IN, "TRANSFER_IN_DEPOSIT"],
    ["XFER", IN, "TRANSFER_IN_ACCOUNT_TRANSFER"],
    ["XFER", OUT, "TRANSFER_OUT_ACCOUNT_TRANSFER"],
    ["DIRECTDEP", IN, "INCOME_OTHER"],
    ["DIRECTDEP", OUT, null],
  ])("%s with amount %i is %s", (code, amountMinor, category) => {
    expect(statementCategory("ofx", code, amountMinor)).toBe(category);
  });

  test("codes that say only how money moved give null", () => {
    for (const code of [
      "CREDIT",
      "DEBIT",
      "POS",
      "CHECK",
      "PAYMENT",
      "DEP",
      "DIRECTDEBIT",
      "REPEATPMT",
      "HOLD",
      "OTHER",
    ])
      for (const amountMinor of [IN, OUT])
        expect(statementCategory("ofx", code, amountMinor), code).toBeNull();
  });

  test("case and surrounding spaces are ignored", () => {
    expect(statementCategory("ofx", " srvChg ", OUT)).toBe("BANK_FEES_OTHER_BANK_FEES");
  });

  test("a zero amount has no direction, so direction-dependent codes give null", () => {
    expect(statementCategory("ofx", "INT", 0)).toBeNull();
    expect(statementCategory("ofx", "FEE", 0)).toBe("BANK_FEES_OTHER_BANK_FEES");
  });
});

describe("statementCategory for CAMT", () => {
  test.each([
    ["ACMT/MDOP/CHRG", OUT, "BANK_FEES_OTHER_BANK_FEES"],
    ["PMNT/MCOP/FEES", OUT, "BANK_FEES_OTHER_BANK_FEES"],
    ["PMNT/MCOP/COMM", OUT, "BANK_FEES_OTHER_BANK_FEES"],
    ["ACMT/MDOP/INTR", IN, "INCOME_INTEREST_EARNED"],
    ["ACMT/MDOP/INTR", OUT, "BANK_FEES_INTEREST_CHARGE"],
    ["PMNT/RCDT/SALA", IN, "INCOME_SALARY"],
    ["PMNT/ICDT/SALA", OUT, null],
    ["SECU/CORP/DVCA", IN, "INCOME_DIVIDENDS"],
    ["PMNT/CCRD/CWDL", OUT, "TRANSFER_OUT_WITHDRAWAL"],
    ["PMNT/CNTR/CDPT", IN, "TRANSFER_IN_DEPOSIT"],
    ["PMNT/ICDT/TAXE", OUT, "GOVERNMENT_AND_NON_PROFIT_TAX_PAYMENT"],
    ["PMNT/RCDT/TAXE", IN, "INCOME_TAX_REFUND"],
    ["PMNT/RCDT/BOOK", IN, "TRANSFER_IN_ACCOUNT_TRANSFER"],
    ["PMNT/ICDT/BOOK", OUT, "TRANSFER_OUT_ACCOUNT_TRANSFER"],
    ["pmnt/rcdt/sala", IN, "INCOME_SALARY"],
  ])("%s with amount %i is %s", (code, amountMinor, category) => {
    expect(statementCategory("camt", code, amountMinor)).toBe(category);
  });

  test("other sub-families, a family alone and proprietary codes give null", () => {
    expect(statementCategory("camt", "PMNT/RCDT/ESCT", IN)).toBeNull();
    expect(statementCategory("camt", "PMNT/RCDT", IN)).toBeNull();
    expect(statementCategory("camt", "CHRG", OUT)).toBeNull();
    expect(statementCategory("camt", "NTRF+166+00900", IN)).toBeNull();
  });
});

describe("statementCategory for MT940", () => {
  test.each([
    ["NCHG", OUT, "BANK_FEES_OTHER_BANK_FEES"],
    ["FCHG", OUT, "BANK_FEES_OTHER_BANK_FEES"],
    ["SCHG", OUT, "BANK_FEES_OTHER_BANK_FEES"],
    ["NCOM", OUT, "BANK_FEES_OTHER_BANK_FEES"],
    ["NINT", IN, "INCOME_INTEREST_EARNED"],
    ["NINT", OUT, "BANK_FEES_INTEREST_CHARGE"],
    ["NDIV", IN, "INCOME_DIVIDENDS"],
    ["ntrf", IN, null],
    ["NMSC", OUT, null],
    ["S103", IN, null],
    ["XCHG", OUT, null],
    ["CHG", OUT, null],
  ])("%s with amount %i is %s", (code, amountMinor, category) => {
    expect(statementCategory("mt940", code, amountMinor)).toBe(category);
  });
});

describe("statementCategory in general", () => {
  test("a CSV's type column is never read", () => {
    expect(statementCategory("csv", "FEE", OUT)).toBeNull();
    expect(statementCategory("csv", "INT", IN)).toBeNull();
  });

  test("every code the tables can return is a known v2 detailed code", () => {
    const tables: Record<string, Readonly<Record<string, StatementCodeRule>>> = {
      ofx: OFX_TYPE_CODES,
      camt: CAMT_SUBFAMILY_CODES,
      mt940: MT940_TYPE_CODES,
    };
    for (const [name, table] of Object.entries(tables))
      for (const [key, rule] of Object.entries(table)) {
        const codes = typeof rule === "string" ? [rule] : [rule.in, rule.out];
        for (const code of codes)
          if (code !== null) expect(V2_DETAILED.has(code), `${name} ${key} → ${code}`).toBe(true);
      }
  });

  test("any input gives null or a known v2 code, never a throw", () => {
    const formats = fc.constantFrom<StatementFormat>("ofx", "camt", "mt940", "csv");
    const codes = fc.oneof(
      fc.string(),
      fc.constantFrom(
        "constructor",
        "__proto__",
        "toString",
        "INT",
        "NINT",
        "PMNT/RCDT/INTR",
        "ACMT/MDOP/CHRG",
      ),
    );
    fc.assert(
      fc.property(
        formats,
        codes,
        fc.oneof(fc.integer(), fc.constant(Number.NaN)),
        (format, code, amountMinor) => {
          const category = statementCategory(format, code, amountMinor);
          expect(category === null || V2_DETAILED.has(category)).toBe(true);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
