import type { BankAccount, BankTransaction } from "../domain/index.js";
import type { DecimalSeparator } from "../money/index.js";

/** What a bank file holds once read: its accounts (when it lists them) and its transactions. */
export interface BankFeed {
  readonly accounts: BankAccount[];
  readonly transactions: BankTransaction[];
}

/** Options every reader takes; all optional. */
export interface ReadOptions {
  /** ISO 4217 code used when a row names none. Default "USD". */
  readonly currency?: string;
  /** Decimal separator of amounts written as text. Default ".". */
  readonly decimalSeparator?: DecimalSeparator;
  /** Called every `PROGRESS_ROWS_STEP` rows and once at the end with the rows read so far. */
  readonly onProgress?: (rows: number) => void;
}

/** How often `onProgress` fires: often enough for a progress bar, rare enough to cost nothing. */
export const PROGRESS_ROWS_STEP = 10_000;

export const DEFAULT_CURRENCY = "USD";
