/**
 * The category a bank statement's own type code implies. Most type codes say how money moved
 * (a card, a cheque, a credit), not what it was for: those give null and leave the row to rules
 * and merchants. Only codes that name the purpose (a fee, interest, a dividend, cash, salary,
 * tax, a transfer between own accounts) map to a PFC v2 code.
 */

/** The statement formats whose type codes are read here. */
export type StatementFormat = "ofx" | "camt" | "mt940" | "csv";

/**
 * What a type code implies: one code whatever the sign, or one per direction. A code of one
 * kind keeps its category when reversed (a refunded fee is still a fee), so the report nets the
 * two; a per-direction code gives null for a zero amount, which has no direction.
 *
 * @example const interest: StatementCodeRule = { in: "INCOME_INTEREST_EARNED", out: "BANK_FEES_INTEREST_CHARGE" };
 */
export type StatementCodeRule = string | { readonly in: string | null; readonly out: string | null };

const FEES = "BANK_FEES_OTHER_BANK_FEES";
const INTEREST: StatementCodeRule = { in: "INCOME_INTEREST_EARNED", out: "BANK_FEES_INTEREST_CHARGE" };
const CASH: StatementCodeRule = { in: "TRANSFER_IN_DEPOSIT", out: "TRANSFER_OUT_WITHDRAWAL" };
const OWN_TRANSFER: StatementCodeRule = {
  in: "TRANSFER_IN_ACCOUNT_TRANSFER",
  out: "TRANSFER_OUT_ACCOUNT_TRANSFER",
};

/**
 * OFX `TRNTYPE` values that name a purpose. CREDIT, DEBIT, POS, CHECK, PAYMENT, DEP,
 * DIRECTDEBIT, REPEATPMT, HOLD and OTHER say only how money moved, so they are absent.
 *
 * DIRECTDEP (money in) is INCOME_OTHER rather than INCOME_SALARY: a direct deposit is an ACH
 * credit from an outside payer, most often payroll but as often a pension, benefit or refund,
 * so it is surely income but not surely salary; rules and merchants refine it. A direct deposit
 * going out is a reversal or a mislabel, and says nothing we can trust.
 *
 * @example OFX_TYPE_CODES.INT // { in: "INCOME_INTEREST_EARNED", out: "BANK_FEES_INTEREST_CHARGE" }
 */
export const OFX_TYPE_CODES: Readonly<Record<string, StatementCodeRule>> = {
  FEE: FEES,
  SRVCHG: FEES,
  INT: INTEREST,
  DIV: "INCOME_DIVIDENDS",
  ATM: CASH,
  CASH: CASH,
  XFER: OWN_TRANSFER,
  DIRECTDEP: { in: "INCOME_OTHER", out: null },
};

/**
 * ISO 20022 bank transaction sub-family codes (the last part of "PMNT/RCDT/SALA") that name a
 * purpose. Salary going out is an employer paying wages: PFC has no payroll-expense code, so
 * it gives null rather than counting a payroll run as the account holder's income.
 *
 * @example CAMT_SUBFAMILY_CODES.CWDL // "TRANSFER_OUT_WITHDRAWAL"
 */
export const CAMT_SUBFAMILY_CODES: Readonly<Record<string, StatementCodeRule>> = {
  CHRG: FEES,
  FEES: FEES,
  COMM: FEES,
  INTR: INTEREST,
  SALA: { in: "INCOME_SALARY", out: null },
  DVCA: "INCOME_DIVIDENDS",
  CWDL: "TRANSFER_OUT_WITHDRAWAL",
  CDPT: "TRANSFER_IN_DEPOSIT",
  TAXE: { in: "INCOME_TAX_REFUND", out: "GOVERNMENT_AND_NON_PROFIT_TAX_PAYMENT" },
  BOOK: OWN_TRANSFER,
};

/**
 * SWIFT transaction type codes (the three letters after S, N or F in MT940 field 61, as in
 * "NCHG") that name a purpose. TRF, CHK, MSC and the rest say only how money moved.
 *
 * @example MT940_TYPE_CODES.DIV // "INCOME_DIVIDENDS"
 */
export const MT940_TYPE_CODES: Readonly<Record<string, StatementCodeRule>> = {
  CHG: FEES,
  COM: FEES,
  INT: INTEREST,
  DIV: "INCOME_DIVIDENDS",
};

/** "DOMAIN/FAMILY/SUBFAMILY" as the CAMT importer writes it; a proprietary code has no slashes. */
const CAMT_CODE = /^[A-Z0-9]{4}\/[A-Z0-9]{4}\/([A-Z0-9]{4})$/;

/** S (SWIFT message), N (non-SWIFT) or F (first advice), then the three-character code. */
const MT940_TYPE = /^[SNF]([A-Z0-9]{3})$/;

/** Own-property lookup: a type code such as "constructor" must not find Object's members. */
function lookup(table: Readonly<Record<string, StatementCodeRule>>, key: string): StatementCodeRule | null {
  return Object.hasOwn(table, key) ? (table[key] ?? null) : null;
}

function ruleFor(format: StatementFormat, code: string): StatementCodeRule | null {
  switch (format) {
    case "ofx":
      return lookup(OFX_TYPE_CODES, code);
    case "camt": {
      // A proprietary code is the bank's own vocabulary: without its key, guessing is wrong.
      const subFamily = CAMT_CODE.exec(code)?.[1];
      return subFamily === undefined ? null : lookup(CAMT_SUBFAMILY_CODES, subFamily);
    }
    case "mt940": {
      const type = MT940_TYPE.exec(code)?.[1];
      return type === undefined ? null : lookup(MT940_TYPE_CODES, type);
    }
    case "csv":
      // A CSV's type column is whatever the bank chose to call it: no standard to read.
      return null;
    default:
      return null;
  }
}

/**
 * The PFC v2 code a statement row's own type code implies, or null when the code says only how
 * money moved, is unknown, or depends on a direction a zero amount does not have. Case and
 * surrounding spaces are ignored; nothing throws.
 *
 * @param amountMinor the row's signed amount in minor units, money in > 0
 * @example statementCategory("ofx", "INT", 125) // "INCOME_INTEREST_EARNED"
 * @example statementCategory("ofx", "int", -900) // "BANK_FEES_INTEREST_CHARGE"
 * @example statementCategory("camt", "PMNT/RCDT/SALA", 250000) // "INCOME_SALARY"
 * @example statementCategory("mt940", "NCHG", -350) // "BANK_FEES_OTHER_BANK_FEES"
 * @example statementCategory("ofx", "POS", -1299) // null
 */
export function statementCategory(
  format: StatementFormat,
  typeCode: string,
  amountMinor: number,
): string | null {
  const rule = ruleFor(format, typeCode.trim().toUpperCase());
  if (rule === null || typeof rule === "string") return rule;
  if (amountMinor > 0) return rule.in;
  if (amountMinor < 0) return rule.out;
  return null;
}
