/**
 * The types every part of bankrec shares. Amounts are integer minor units in the natural
 * sign (> 0 is money in); dates are ISO `YYYY-MM-DD` strings (calendar days, no time zone).
 */

/** A row of a bank feed, whatever its source (Plaid, a statement file, a test). */
export interface BankTransaction {
  readonly id: string;
  /** The bank account it belongs to, when known. */
  readonly accountId: string | null;
  /** Minor units, natural sign: > 0 is money into the account. */
  readonly amountMinor: number;
  readonly currency: string;
  /** The date the bank posted it (or, when pending, the date it was seen). */
  readonly date: string;
  /** The date the payment was authorized, when the bank says. */
  readonly authorizedDate: string | null;
  /** The bank's own description, with rail noise and all. */
  readonly name: string;
  readonly merchantName: string | null;
  readonly checkNumber: string | null;
  readonly pending: boolean;
  /**
   * The statement file's own type code with its format (`ofx:FEE`, `camt:PMNT/CCRD/CWDL`,
   * `mt940:NCHG`), when the row came from one: the categorizer's last hint.
   */
  readonly typeCode?: string | null;
}

/**
 * A row of the business's own records that should show up at the bank. Amount and date may be
 * ranges: a payment expected between $980 and $1,000, between the 3rd and the 10th.
 */
export interface ExpectedEntry {
  readonly id: string;
  /** The ledger date (invoice date, payment date, check written). */
  readonly date: string;
  /** Minor units, natural sign: > 0 is money expected in. */
  readonly amountMinor: number;
  readonly currency: string;
  readonly description: string;
  readonly counterparty: string | null;
  /** Invoice number, check number, end-to-end id: anything the bank may echo back. */
  readonly reference: string | null;
  /** The bank account it is expected to hit, when the ledger knows. */
  readonly accountId: string | null;
  /** Inclusive bounds on the bank amount, same sign as `amountMinor`. */
  readonly amountMinMinor?: number;
  readonly amountMaxMinor?: number;
  /** Inclusive bounds on the bank date. */
  readonly dateFrom?: string;
  readonly dateTo?: string;
}

/** A bank account as a feed describes it. */
export interface BankAccount {
  readonly id: string;
  readonly name: string;
  readonly mask: string | null;
  readonly type: string | null;
  readonly subtype: string | null;
}
