/**
 * What a bank statement file holds once read, whatever its format: statements (one account,
 * one period each) with their balances and entries. Every amount is integer minor units in
 * bankrec's natural sign (> 0 is money into the account); every date is ISO `YYYY-MM-DD`.
 * `toBankTransactions` (statement-file.ts) turns the entries into the domain's BankTransaction.
 */

export const STATEMENT_FORMATS = ["ofx", "camt", "mt940", "csv"] as const;
export type StatementFormat = (typeof STATEMENT_FORMATS)[number];

/** Booked rows count towards the balances; pending and informational rows do not. */
export type EntryStatus = "booked" | "pending" | "info";

/** A balance the file states, in the account's currency. */
export interface StatementBalance {
  readonly amountMinor: number;
  readonly currency: string;
  /** The day it holds at, when the file says. */
  readonly date: string | null;
}

/** A count and sum the file declares for a direction (MT942 `:90D:`/`:90C:`). */
export interface DeclaredTotal {
  readonly count: number;
  /** Magnitude in minor units (always >= 0). */
  readonly totalMinor: number;
  readonly currency: string;
}

/**
 * One underlying transaction of a bank entry. CAMT books a batch (a payroll run, a direct
 * debit collection) as one entry with several details: the entry is what moved the balance,
 * the details say what it was made of.
 */
export interface EntryDetail {
  /** Minor units, natural sign; null when the bank gives no amount per detail. */
  readonly amountMinor: number | null;
  readonly currency: string | null;
  readonly bankId: string | null;
  readonly endToEndId: string | null;
  /** Structured creditor reference, else the first words of unstructured remittance. */
  readonly reference: string | null;
  readonly remittance: string | null;
  readonly counterparty: string | null;
  readonly counterpartyAccount: string | null;
}

/** One row of a statement. */
export interface StatementEntry {
  /** Minor units, natural sign (> 0 is money in). */
  readonly amountMinor: number;
  readonly currency: string;
  /** The booking (posting) date; for a pending row, the date the bank first shows it. */
  readonly date: string;
  readonly valueDate: string | null;
  /** The day the customer made the payment (OFX `DTUSER`), when given. */
  readonly authorizedDate: string | null;
  readonly status: EntryStatus;
  /** The bank's description as one line: what a person reads on the statement. */
  readonly description: string;
  /** The bank's own id for the row: OFX `FITID`, CAMT `AcctSvcrRef`, MT940 bank reference. */
  readonly bankId: string | null;
  /** Invoice number, creditor reference, customer reference: what the ledger may hold. */
  readonly reference: string | null;
  readonly endToEndId: string | null;
  readonly counterparty: string | null;
  readonly counterpartyAccount: string | null;
  readonly checkNumber: string | null;
  /** The bank's type code as written: OFX `TRNTYPE`, MT940 `N078`, CAMT `BkTxCd`. */
  readonly type: string | null;
  /**
   * The transactions a CAMT batch entry is made of (two or more `TxDtls`); empty otherwise, as
   * a single detail's end-to-end id, party and remittance are the entry's own fields.
   */
  readonly details: readonly EntryDetail[];
  /** 1-based line of the file where the row starts. */
  readonly line: number;
  /** For XML formats, the element path, e.g. `Document/BkToCstmrStmt/Stmt[1]/Ntry[3]`. */
  readonly path: string | null;
}

/** One account over one period, as the file states it. */
export interface Statement {
  /** The statement's own id (MT940 `:20:`, CAMT `Stmt/Id`), when it has one. */
  readonly id: string | null;
  /** Sequence number (MT940 `:28C:`, CAMT `ElctrncSeqNb`). */
  readonly sequence: string | null;
  /** The account the entries belong to: IBAN, else account number, else `--account`, else "". */
  readonly accountId: string;
  readonly iban: string | null;
  readonly accountNumber: string | null;
  /** OFX `BANKID` (routing number), CAMT servicer BIC, when given. */
  readonly bankCode: string | null;
  /** OFX `ACCTTYPE` (CHECKING, SAVINGS, CREDITLINE) or `CREDITCARD`; null when unknown. */
  readonly accountType: string | null;
  readonly currency: string;
  readonly periodFrom: string | null;
  readonly periodTo: string | null;
  /** Booked balance at the start of the period (CAMT OPBD/PRCD, MT940 `:60F:`/`:60M:`). */
  readonly opening: StatementBalance | null;
  /** Booked balance at the end (CAMT CLBD, MT940 `:62F:`/`:62M:`, OFX `LEDGERBAL`). */
  readonly closing: StatementBalance | null;
  /** Available balance at the end (CAMT CLAV, MT940 `:64:`, OFX `AVAILBAL`). */
  readonly closingAvailable: StatementBalance | null;
  readonly declaredDebits: DeclaredTotal | null;
  readonly declaredCredits: DeclaredTotal | null;
  readonly entries: readonly StatementEntry[];
  /** 1-based line where the statement starts. */
  readonly line: number;
}

/** A whole file once read. */
export interface StatementFile {
  /** The path or name used in messages. */
  readonly file: string;
  readonly format: StatementFormat;
  /** How the bytes were decoded, e.g. `utf-8`, `windows-1252`, `utf-16le`. */
  readonly encoding: string;
  readonly statements: readonly Statement[];
}

/** A statement with every optional part empty; readers fill in what their format gives. */
export function emptyStatement(line: number, currency: string): Statement {
  return {
    id: null,
    sequence: null,
    accountId: "",
    iban: null,
    accountNumber: null,
    bankCode: null,
    accountType: null,
    currency,
    periodFrom: null,
    periodTo: null,
    opening: null,
    closing: null,
    closingAvailable: null,
    declaredDebits: null,
    declaredCredits: null,
    entries: [],
    line,
  };
}

/** The details of an entry that has none: one shared empty list instead of one per row. */
export const NO_DETAILS: readonly EntryDetail[] = Object.freeze([]);
