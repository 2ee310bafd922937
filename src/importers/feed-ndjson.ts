import { formatAmountPlain } from "../money/index.js";
import { importKeys } from "./import-keys.js";
import type { StatementFile } from "./statement.js";

/**
 * A statement file's rows as NDJSON in Plaid's transaction shape, one object a line, which
 * `readBankFile` (and so `bankrec reconcile --bank`) reads back to the same BankTransactions.
 * Plaid's sign is used on purpose (amount > 0 is money out): the file is a Plaid feed like any
 * other. Amounts are written as decimal literals with the currency's exact decimals, so reading
 * them back is exact. Statement fields Plaid has no name for ride along under `bankrec_*` keys,
 * which Plaid readers ignore.
 *
 * @example [...toFeedNdjsonLines(file)][0] // '{"transaction_id":"NL..|id|0001","account_id":"NL..","amount":12.50,...}'
 */
export function* toFeedNdjsonLines(file: StatementFile): Generator<string> {
  const keys = importKeys(file.statements);
  for (const [i, s] of file.statements.entries()) {
    const statementKeys = keys[i] as string[];
    for (const [j, e] of s.entries.entries()) {
      if (e.status === "info") continue;
      const str = (v: string | null) => (v === null ? "null" : JSON.stringify(v));
      const plaidAmount = formatAmountPlain(e.amountMinor === 0 ? 0 : -e.amountMinor, e.currency);
      yield `{"transaction_id":${str(statementKeys[j] as string)},"account_id":${str(s.accountId === "" ? null : s.accountId)},` +
        `"amount":${plaidAmount},"iso_currency_code":${str(e.currency)},"date":${str(e.date)},` +
        `"authorized_date":${str(e.authorizedDate)},"name":${str(e.description)},"merchant_name":${str(e.counterparty)},` +
        `"check_number":${str(e.checkNumber)},"pending":${e.status === "pending"},` +
        `"bankrec_bank_id":${str(e.bankId)},"bankrec_reference":${str(e.reference)},"bankrec_end_to_end_id":${str(e.endToEndId)},` +
        `"bankrec_counterparty_account":${str(e.counterpartyAccount)},"bankrec_value_date":${str(e.valueDate)},` +
        `"bankrec_type":${str(e.type)},"bankrec_type_code":${str(e.type === null ? null : `${file.format}:${e.type}`)},"bankrec_details":${e.details.length},"bankrec_source":${str(`${file.file}:${e.line}`)}}\n`;
    }
  }
}
