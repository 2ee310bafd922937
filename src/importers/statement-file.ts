import { readFile } from "node:fs/promises";
import type { BankAccount, BankTransaction } from "../domain/index.js";
import { ImportError } from "../errors/index.js";
import type { DecimalSeparator } from "../money/index.js";
import { parseBankCsv } from "./bank-csv.js";
import { parseCamt } from "./camt.js";
import type { CsvMapping, DateFormat } from "./csv-presets.js";
import { detectStatementFormat } from "./detect-format.js";
import { fileError } from "./file-text.js";
import { importKeys } from "./import-keys.js";
import { parseMt940 } from "./mt940.js";
import { parseOfx } from "./ofx.js";
import type { Statement, StatementFile, StatementFormat } from "./statement.js";
import { decodeBytes, type TextEncodingName } from "./text-encoding.js";
import { DEFAULT_CURRENCY } from "./types.js";

/** How to read a statement file; every option may be left out. */
export interface StatementReadOptions {
  /** Default: detected from the content (then the extension). */
  readonly format?: StatementFormat | "auto";
  /** Currency of rows whose file names none (CSV without a currency column). Default USD. */
  readonly currency?: string;
  /** CSV only: the decimal separator; default from the amounts. */
  readonly decimalSeparator?: DecimalSeparator;
  /** Default: detected (BOM, valid UTF-8, the file's own header, else Windows-1252). */
  readonly encoding?: TextEncodingName;
  /** Account of statements that name none (CSV). */
  readonly accountId?: string;
  /** CSV only: a preset by name (see `CSV_PRESETS`). */
  readonly csvPreset?: string;
  /** CSV only: columns a person names; wins over presets. */
  readonly csvMapping?: CsvMapping;
  /** CSV only: `DD/MM/YYYY`, `YYYYMMDD`, ... or "auto". */
  readonly dateFormat?: DateFormat;
}

/** Statement files are read whole; a bound keeps a wrong file from taking the machine. */
const STATEMENT_BYTES_MAX = 1 << 30;

/**
 * Reads an OFX/QFX, CAMT, MT940/MT942 or bank CSV file. All or nothing: any problem throws and
 * nothing is returned, so a caller never stores half a file.
 *
 * @example const file = await readStatementFile("statement.sta"); file.statements[0]?.closing
 * @throws ImportError naming the file, line (or element path) and what was expected
 */
export async function readStatementFile(
  path: string,
  options: StatementReadOptions = {},
): Promise<StatementFile> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw fileError(path, error);
  }
  if (bytes.length > STATEMENT_BYTES_MAX)
    throw new ImportError({ file: path }, `is larger than ${STATEMENT_BYTES_MAX >> 20} MiB`);
  return parseStatementBytes(bytes, path, options);
}

/**
 * The same from bytes already in memory; `source` names the file in messages.
 *
 * @example parseStatementBytes(Buffer.from(text), "upload.ofx").statements.length
 */
export function parseStatementBytes(
  bytes: Uint8Array,
  source: string,
  options: StatementReadOptions = {},
): StatementFile {
  const { text, encoding } = decodeBytes(bytes, source, options.encoding);
  const format =
    options.format === undefined || options.format === "auto"
      ? detectStatementFormat(text.slice(0, 65536), source)
      : options.format;
  if (format === undefined)
    throw new ImportError(
      { file: source },
      "is not a statement file bankrec reads (OFX/QFX, CAMT, MT940/MT942 or bank CSV)",
    );
  const statements = parseAs(format, text, source, options).map((s) =>
    s.accountId === "" && options.accountId !== undefined ? { ...s, accountId: options.accountId } : s,
  );
  return { file: source, format, encoding, statements };
}

function parseAs(
  format: StatementFormat,
  text: string,
  source: string,
  options: StatementReadOptions,
): Statement[] {
  const currency = options.currency ?? DEFAULT_CURRENCY;
  switch (format) {
    case "ofx":
      return parseOfx(text, source, { currency });
    case "camt":
      return parseCamt(text, source, { currency });
    case "mt940":
      return parseMt940(text, source, { currency });
    case "csv":
      return parseBankCsv(text, source, {
        currency,
        ...(options.csvPreset !== undefined && { preset: options.csvPreset }),
        ...(options.csvMapping !== undefined && { mapping: options.csvMapping }),
        ...(options.decimalSeparator !== undefined && { decimalSeparator: options.decimalSeparator }),
        ...(options.dateFormat !== undefined && { dateFormat: options.dateFormat }),
        ...(options.accountId !== undefined && { accountId: options.accountId }),
      });
  }
}

/**
 * The file's entries as the domain's BankTransaction, in file order. Each id is the entry's
 * import key (`import-keys.ts`), so re-reading a file gives the same ids. Informational entries
 * (CAMT `INFO`) are left out: they never moved money.
 *
 * @example toBankTransactions(file)[0] // { id: "1452687~7|id|0000486", amountMinor: 1, ... }
 */
export function toBankTransactions(file: StatementFile): BankTransaction[] {
  const keys = importKeys(file.statements);
  const out: BankTransaction[] = [];
  file.statements.forEach((s, i) => {
    const statementKeys = keys[i] as string[];
    s.entries.forEach((e, j) => {
      if (e.status === "info") return;
      out.push({
        id: statementKeys[j] as string,
        accountId: s.accountId === "" ? null : s.accountId,
        amountMinor: e.amountMinor,
        currency: e.currency,
        date: e.date,
        authorizedDate: e.authorizedDate,
        name: e.description,
        merchantName: e.counterparty,
        checkNumber: e.checkNumber,
        pending: e.status === "pending",
        typeCode: e.type === null ? null : `${file.format}:${e.type}`,
      });
    });
  });
  return out;
}

/** One account per distinct account id the file names. */
export function toBankAccounts(file: StatementFile): BankAccount[] {
  const seen = new Map<string, BankAccount>();
  for (const s of file.statements) {
    if (s.accountId === "" || seen.has(s.accountId)) continue;
    const number = s.iban ?? s.accountNumber ?? s.accountId;
    seen.set(s.accountId, {
      id: s.accountId,
      name: s.accountType === null ? number : `${s.accountType} ${number}`,
      mask: number.length >= 4 ? number.slice(-4) : null,
      type: s.accountType === "CREDITCARD" ? "credit" : "depository",
      subtype: s.accountType?.toLowerCase() ?? null,
    });
  }
  return [...seen.values()];
}
