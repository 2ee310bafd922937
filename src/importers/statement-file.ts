import { isAscii } from "node:buffer";
import type { BankAccount, BankTransaction } from "../domain/index.js";
import { ImportError } from "../errors/index.js";
import type { DecimalSeparator } from "../money/index.js";
import { parseBankCsv } from "./bank-csv.js";
import { parseCamt } from "./camt.js";
import type { CsvMapping, DateFormat } from "./csv-presets.js";
import { detectStatementFormat } from "./detect-format.js";
import { importKeys } from "./import-keys.js";
import { type InputFile, withInputFile } from "./input-file.js";
import { FILE_BYTES_MAX, HEAD_BYTES, LINE_CHARS_MAX } from "./input-limits.js";
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

/** How much of the text tells the format. */
const DETECT_CHARS = 65536;
/** Formats read line by line, whose lines have a bound; OFX and CAMT may be one line long. */
const LINE_FORMATS: readonly StatementFormat[] = ["csv", "mt940"];

/**
 * Reads an OFX/QFX, CAMT, MT940/MT942 or bank CSV file. All or nothing: any problem throws and
 * nothing is returned, so a caller never stores half a file. Statement files are read whole, so
 * one is at most 500 MiB (the longest text V8 holds is just under 512 MiB; the bound was 1 GiB,
 * which no file could reach without failing inside Node instead); a CSV or MT940 line at most
 * 1,048,576 characters, which stops a file of NULs or a log at its first megabytes.
 *
 * @example const file = await readStatementFile("statement.sta"); file.statements[0]?.closing
 * @throws ImportError naming the file, line (or element path) and what was expected
 */
export async function readStatementFile(
  path: string,
  options: StatementReadOptions = {},
): Promise<StatementFile> {
  return withInputFile(path, (input) => readStatementInput(input, path, options));
}

/**
 * The same from a file already opened (whose head may have been read to tell its format). The
 * head decides early what the whole file would: a file that is not a statement is refused after
 * its first 128 KiB (a pipe of NULs is not read to the bound), and a CSV or MT940 one is read
 * with its lines bounded.
 */
export async function readStatementInput(
  input: InputFile,
  source: string,
  options: StatementReadOptions,
): Promise<StatementFile> {
  const head = await input.head(HEAD_BYTES * 2);
  const format = formatFromHead(head, source, options);
  if (format === null) throw notAStatement(source);
  const bounds =
    format !== undefined && LINE_FORMATS.includes(format)
      ? { bytesMax: FILE_BYTES_MAX, lineCharsMax: LINE_CHARS_MAX }
      : { bytesMax: FILE_BYTES_MAX };
  return parseStatementBytes(await input.readAll(bounds), source, options);
}

/**
 * The format as stated, or as the head tells it when that is sure to be what the whole file
 * tells: an ASCII head decodes to the same first characters as the whole file, whichever
 * encoding that is read in (the head's 128 KiB hold the 65,536 characters detection reads).
 * `null`: surely not a statement; undefined: the whole file decides.
 */
function formatFromHead(
  head: Buffer,
  source: string,
  options: StatementReadOptions,
): StatementFormat | null | undefined {
  if (options.format !== undefined && options.format !== "auto") return options.format;
  if (!isAscii(head) || options.encoding !== undefined) return undefined;
  // Still through decodeBytes: UTF-16 without a mark is ASCII bytes too, and told by its first 64.
  const text = decodeBytes(head, source).text.slice(0, DETECT_CHARS);
  return detectStatementFormat(text, source) ?? null;
}

function notAStatement(source: string): ImportError {
  return new ImportError(
    { file: source },
    "is not a statement file bankrec reads (OFX/QFX, CAMT, MT940/MT942 or bank CSV)",
  );
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
      ? detectStatementFormat(text.slice(0, DETECT_CHARS), source)
      : options.format;
  if (format === undefined) throw notAStatement(source);
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
