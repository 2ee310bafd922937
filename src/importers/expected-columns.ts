/** The fields an expected entry can be read from, named as in the benchmark's CSV. */
export type ExpectedField =
  | "id"
  | "date"
  | "amount"
  | "currency"
  | "description"
  | "counterparty"
  | "reference"
  | "account_id"
  | "debit"
  | "credit"
  | "amount_min"
  | "amount_max"
  | "date_from"
  | "date_to";

/**
 * Header spellings seen in ledger and bank exports, by field, best first: when two columns
 * name the same field the earlier spelling wins, so `name` never displaces `payee`.
 * Keys are compared after `normalizeKey`.
 */
const ALIASES: Readonly<Record<ExpectedField, readonly string[]>> = {
  id: ["id", "entryid", "txnid", "transactionid", "ledgerid"],
  date: ["date", "postingdate", "transactiondate", "ledgerdate", "postdate", "bookingdate"],
  amount: ["amount", "value", "total", "amt"],
  currency: ["currency", "currencycode", "ccy"],
  description: ["description", "memo", "narrative", "details", "desc"],
  counterparty: ["counterparty", "payee", "customer", "vendor", "payer", "name"],
  reference: ["reference", "ref", "invoice", "invoicenumber", "invoiceno", "checknumber", "checkno"],
  account_id: ["accountid", "account"],
  debit: ["debit", "withdrawal", "moneyout"],
  credit: ["credit", "deposit", "moneyin"],
  amount_min: ["amountmin", "minamount"],
  amount_max: ["amountmax", "maxamount"],
  date_from: ["datefrom", "fromdate", "startdate"],
  date_to: ["dateto", "todate", "enddate"],
};

const BY_KEY: ReadonlyMap<string, { field: ExpectedField; rank: number }> = new Map(
  Object.entries(ALIASES).flatMap(([field, keys]) =>
    keys.map((key, rank) => [key, { field: field as ExpectedField, rank }] as const),
  ),
);

/** Case, spaces, underscores, dashes and dots do not matter: `Account ID` = `account_id` = `accountId`. */
export function normalizeKey(header: string): string {
  return header.toLowerCase().replace(/[\s_.\-#]+/g, "");
}

/** The field a header or JSON key names, or undefined for a column we do not read. */
export function fieldOf(header: string): { field: ExpectedField; rank: number } | undefined {
  return BY_KEY.get(normalizeKey(header));
}

/**
 * Which input column (by index) feeds each field; unknown columns are ignored.
 *
 * @example mapColumns(["Txn ID", "Posting Date", "Value"]) // { id: 0, date: 1, amount: 2 }
 */
export function mapColumns(headers: readonly string[]): Partial<Record<ExpectedField, number>> {
  const columns: Partial<Record<ExpectedField, number>> = {};
  const ranks: Partial<Record<ExpectedField, number>> = {};
  headers.forEach((header, index) => {
    const hit = fieldOf(header);
    if (hit === undefined) return;
    const held = ranks[hit.field];
    if (held !== undefined && held <= hit.rank) return;
    columns[hit.field] = index;
    ranks[hit.field] = hit.rank;
  });
  return columns;
}
