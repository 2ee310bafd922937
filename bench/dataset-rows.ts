// A data set's rows as the bench itself looks at them (the upper bound, the payout report): both
// files read whole, amounts in integer cents in the natural sign, and the truth.
import { readFileSync } from "node:fs";
import { readBankTransactions, readCsvFields } from "./plain-read.js";
import type { Row, Truth } from "./upper-bound.js";

export interface DatasetFiles {
  readonly bankPath: string;
  readonly expectedPath: string;
  readonly truthPath: string;
}

export interface LedgerRow extends Row {
  readonly description: string;
}

export interface DatasetRows {
  readonly bank: ReadonlyMap<string, Row>;
  readonly expected: ReadonlyMap<string, LedgerRow>;
  readonly truth: Truth;
}

interface PlaidTransaction {
  readonly transaction_id: string;
  readonly account_id: string;
  readonly amount: number;
  readonly date: string;
  readonly iso_currency_code?: string | null;
  readonly unofficial_currency_code?: string | null;
}

export function readDatasetRows(files: DatasetFiles): DatasetRows {
  const bank = new Map<string, Row>();
  for (const raw of readBankTransactions(files.bankPath)) {
    const t = raw as PlaidTransaction;
    bank.set(t.transaction_id, {
      id: t.transaction_id,
      date: t.date,
      cents: -toCents(t.amount), // Plaid's sign: > 0 is money out
      currency: t.iso_currency_code ?? t.unofficial_currency_code ?? "",
      accountId: t.account_id ?? "",
    });
  }
  const { header, records } = readCsvFields(files.expectedPath);
  const column = (name: string) => {
    const index = header.indexOf(name);
    if (index < 0) throw new Error(`${files.expectedPath}: header lacks ${name}`);
    return index;
  };
  const [id, date, amount, currency, description, account] = [
    "id",
    "date",
    "amount",
    "currency",
    "description",
    "account_id",
  ].map(column) as [number, number, number, number, number, number];
  const expected = new Map<string, LedgerRow>();
  for (const record of records) {
    if (record.length < header.length) continue; // a blank line
    expected.set(record[id]!, {
      id: record[id]!,
      date: record[date]!,
      cents: toCents(Number(record[amount])),
      currency: record[currency]!,
      accountId: record[account]!,
      description: record[description]!,
    });
  }
  const truth = JSON.parse(readFileSync(files.truthPath, "utf8")) as Truth;
  return { bank, expected, truth };
}

/** Decimal major units to integer cents; a float's error is far below half a cent. */
export function toCents(amount: number): number {
  return Math.round(amount * 100);
}
