import type { BankAccount, BankTransaction } from "../domain/index.js";
import type { DecimalSeparator } from "../money/index.js";
import type { CsvMapping, DateFormat } from "./csv-presets.js";
import type { BankFileFormat } from "./detect-format.js";
import type { StatementFile } from "./statement.js";
import type { TextEncodingName } from "./text-encoding.js";

/** What a bank file holds once read: its accounts (when it lists them) and its transactions. */
export interface BankFeed {
  readonly accounts: BankAccount[];
  readonly transactions: BankTransaction[];
  /** For statement files (OFX, CAMT, MT940, CSV): the statements with balances and entry details. */
  readonly statementFile?: StatementFile;
}

/** Options every reader takes; all optional. */
export interface ReadOptions {
  /** ISO 4217 code used when a row names none. Default "USD". */
  readonly currency?: string;
  /** Decimal separator of amounts written as text. Default ".". */
  readonly decimalSeparator?: DecimalSeparator;
  /** Called every `PROGRESS_ROWS_STEP` rows and once at the end with the rows read so far. */
  readonly onProgress?: (rows: number) => void;
  /** Bank files only: the format, or "auto" (default) to tell it from the content. */
  readonly format?: BankFileFormat | "auto";
  /** Statement files only: the text encoding, when detection would guess wrong. */
  readonly encoding?: TextEncodingName;
  /** Statement files only: account of statements that name none (CSV). */
  readonly accountId?: string;
  /** Bank CSV only: a preset name, a person's column mapping, a date layout. */
  readonly csvPreset?: string;
  readonly csvMapping?: CsvMapping;
  readonly dateFormat?: DateFormat;
}

/** How often `onProgress` fires: often enough for a progress bar, rare enough to cost nothing. */
export const PROGRESS_ROWS_STEP = 10_000;

export const DEFAULT_CURRENCY = "USD";
