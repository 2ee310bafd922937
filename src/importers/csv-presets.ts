import type { DecimalSeparator } from "../money/index.js";

/**
 * Column mappings for bank CSV exports. Each field lists the headers it may appear under
 * (matched without regard to case or surrounding space); the first present is used.
 */
export interface CsvMapping {
  readonly date: readonly string[];
  /** One signed column (natural sign: > 0 is money in) ... */
  readonly amount?: readonly string[];
  /** ... or two unsigned ones: money out and money in. */
  readonly debit?: readonly string[];
  readonly credit?: readonly string[];
  /** Several description columns are joined with a space, in this order. */
  readonly description?: readonly string[];
  readonly valueDate?: readonly string[];
  readonly currency?: readonly string[];
  readonly reference?: readonly string[];
  readonly id?: readonly string[];
  readonly counterparty?: readonly string[];
  readonly balance?: readonly string[];
  readonly type?: readonly string[];
  readonly checkNumber?: readonly string[];
  readonly account?: readonly string[];
}

export type CsvField = keyof CsvMapping;
export const CSV_FIELDS: readonly CsvField[] = [
  "date",
  "amount",
  "debit",
  "credit",
  "description",
  "valueDate",
  "currency",
  "reference",
  "id",
  "counterparty",
  "balance",
  "type",
  "checkNumber",
  "account",
];

/** A date layout: `YYYY`, `YY`, `MM`, `DD` and literal separators, or "auto". */
export type DateFormat = string;

export interface CsvPreset {
  readonly name: string;
  readonly summary: string;
  readonly mapping: CsvMapping;
  /** Fields whose header must be present for the preset to be picked by itself. */
  readonly requires: readonly CsvField[];
  readonly decimalSeparator?: DecimalSeparator;
  readonly dateFormat?: DateFormat;
}

/**
 * The presets, tried in this order when neither `--preset` nor `--map` is given: the most
 * specific first, the generic `Date,Description,Amount` last.
 */
export const CSV_PRESETS: readonly CsvPreset[] = [
  {
    name: "chase-checking",
    summary:
      "Chase-style checking export: Details,Posting Date,Description,Amount,Type,Balance,Check or Slip #",
    mapping: {
      date: ["Posting Date"],
      amount: ["Amount"],
      description: ["Description"],
      type: ["Type"],
      balance: ["Balance"],
      checkNumber: ["Check or Slip #"],
    },
    requires: ["date", "amount", "description"],
    dateFormat: "MM/DD/YYYY",
  },
  {
    name: "eu-semicolon",
    summary:
      "European (German-style) export: semicolons, decimal comma, DD.MM.YYYY; Buchungstag;Valutadatum;Auftraggeber/Empfänger;Verwendungszweck;Betrag;Währung",
    mapping: {
      date: ["Buchungstag", "Buchungsdatum"],
      valueDate: ["Valutadatum", "Wertstellung", "Valuta"],
      counterparty: [
        "Auftraggeber/Empfänger",
        "Beguenstigter/Zahlungspflichtiger",
        "Zahlungsempfänger",
        "Name",
      ],
      description: ["Buchungstext", "Verwendungszweck"],
      amount: ["Betrag", "Betrag (EUR)", "Umsatz"],
      currency: ["Währung", "Waehrung"],
      reference: ["Kundenreferenz", "Mandatsreferenz"],
      balance: ["Saldo", "Kontostand"],
      account: ["Auftragskonto", "IBAN Auftragskonto"],
    },
    requires: ["date", "amount"],
    decimalSeparator: ",",
    dateFormat: "DD.MM.YYYY",
  },
  {
    name: "debit-credit",
    summary: "separate money-out and money-in columns: Date,Description,Debit,Credit[,Balance]",
    mapping: {
      date: ["Date", "Transaction Date", "Posted Date", "Posting Date"],
      description: ["Description", "Details", "Narrative", "Payee"],
      debit: ["Debit", "Debit Amount", "Money Out", "Withdrawals", "Paid out"],
      credit: ["Credit", "Credit Amount", "Money In", "Deposits", "Paid in"],
      balance: ["Balance", "Running Balance"],
      reference: ["Reference", "Ref"],
      currency: ["Currency"],
      checkNumber: ["Check Number", "Cheque Number"],
    },
    requires: ["date", "debit", "credit"],
  },
  {
    name: "generic",
    summary:
      "Date,Description,Amount (natural sign: money in > 0), optional Currency, Reference, Id, Balance",
    mapping: {
      date: ["Date", "Transaction Date", "Posted Date", "Posting Date", "Booking Date"],
      amount: ["Amount", "Amount (natural)", "Value"],
      description: ["Description", "Details", "Narrative", "Memo", "Payee", "Name"],
      currency: ["Currency", "Ccy"],
      reference: ["Reference", "Ref"],
      id: ["Id", "Transaction Id", "Transaction ID", "FITID", "Bank Id"],
      balance: ["Balance", "Running Balance"],
      valueDate: ["Value Date"],
      counterparty: ["Counterparty"],
      checkNumber: ["Check Number", "Check #", "Cheque Number"],
      account: ["Account", "Account Id"],
    },
    requires: ["date", "amount"],
  },
];

/** A preset by name (case-insensitive), or undefined. */
export function csvPreset(name: string): CsvPreset | undefined {
  const wanted = name.trim().toLowerCase();
  return CSV_PRESETS.find((p) => p.name === wanted);
}

/**
 * Reads a person's mapping, `date=Posting Date,amount=Amount,description=Description`; a field
 * given twice (`description=Payee,description=Memo`) takes both columns, joined in that order.
 *
 * @example parseCsvMapping("date=Posting Date,amount=Amount").date // ["Posting Date"]
 * @throws RangeError naming the unknown field or the missing `=`
 */
export function parseCsvMapping(text: string): CsvMapping {
  const mapping: Partial<Record<CsvField, string[]>> = {};
  for (const part of text.split(",")) {
    if (part.trim() === "") continue;
    const eq = part.indexOf("=");
    if (eq === -1) throw new RangeError(`"${part.trim()}" is not field=Column`);
    const key = part.slice(0, eq).trim();
    const field = CSV_FIELDS.find((f) => f.toLowerCase() === key.toLowerCase());
    if (field === undefined)
      throw new RangeError(`"${key}" is not a field (expected one of ${CSV_FIELDS.join(", ")})`);
    const column = part.slice(eq + 1).trim();
    if (column === "") throw new RangeError(`${field} names no column`);
    (mapping[field] ??= []).push(column);
  }
  if (mapping.date === undefined) throw new RangeError("the mapping needs date=<column>");
  if (mapping.amount === undefined && (mapping.debit === undefined || mapping.credit === undefined))
    throw new RangeError("the mapping needs amount=<column>, or debit=<column> and credit=<column>");
  return mapping as CsvMapping;
}
