import { extname } from "node:path";
import type { StatementFormat } from "./statement.js";

/** Every kind of bank file `readBankFile` reads. */
export type BankFileFormat = StatementFormat | "plaid-json" | "ndjson";

const BY_EXTENSION: Readonly<Record<string, StatementFormat>> = {
  ".ofx": "ofx",
  ".qfx": "ofx",
  ".qbo": "ofx",
  ".sta": "mt940",
  ".mt940": "mt940",
  ".940": "mt940",
  ".942": "mt940",
  ".mta": "mt940",
  ".swi": "mt940",
  ".xml": "camt",
  ".csv": "csv",
  ".tsv": "csv",
};

/**
 * Tells a statement file's format from its first characters (decoded text), falling back on the
 * extension only when the content is not telling. Content wins because banks name files
 * freely (`export.txt`, `statement.dat`, an MT940 saved as `.csv`).
 *
 * @example detectStatementFormat("OFXHEADER:100\nDATA:OFXSGML...", "a.txt") // "ofx"
 * @example detectStatementFormat("<?xml ...><Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\">", "a") // "camt"
 */
export function detectStatementFormat(head: string, fileName: string): StatementFormat | undefined {
  const text = head.replace(/^\ufeff/, "");
  const start = text.trimStart();
  if (/^OFXHEADER\s*:/i.test(start) || /<\?OFX\s/i.test(text.slice(0, 2048)) || /^<OFX>/i.test(start))
    return "ofx";
  // An SGML header that lost lines, OFXHEADER among them (`DATA:OFXSGML` then `<OFX>`).
  if (OFX_HEADER_LINES.test(start.slice(0, 2048))) return "ofx";
  if (start.startsWith("<")) {
    if (/BkToCstmr|camt\.05[234]/.test(text)) return "camt";
    if (/<OFX>/i.test(text)) return "ofx";
    return BY_EXTENSION[extname(fileName).toLowerCase()] === "ofx" ? "ofx" : undefined;
  }
  if (/^\{1:/.test(start) || looksLikeMt940(text)) return "mt940";
  if (start.startsWith("{") || start.startsWith("[")) return undefined;
  const byExtension = BY_EXTENSION[extname(fileName).toLowerCase()];
  if (byExtension !== undefined && byExtension !== "camt") return byExtension;
  const firstLine = start.split("\n", 1)[0] ?? "";
  return /[,;\t|]/.test(firstLine) ? "csv" : undefined;
}

const OFX_HEADER_LINES = /^(?:[A-Za-z]+[ \t]*:[^\r\n<]*\r?\n\s*){1,12}<OFX>/i;

/**
 * `:20:` with another statement field, or `:25:` with a balance or statement line: ABN AMRO's
 * day statements have no `:20:` (fruitl00p/php-mt940#46). Old Mac exports end lines with CR only.
 */
function looksLikeMt940(head: string): boolean {
  const text = head.includes("\n") ? head : head.replace(/\r/g, "\n");
  if (/^:20:/m.test(text) && /^:(25|28C?|60[FM]|61|13D?|34F):/m.test(text)) return true;
  return /^:25:/m.test(text) && /^:(28C?|60[FM]|61|62[FM]):/m.test(text);
}
