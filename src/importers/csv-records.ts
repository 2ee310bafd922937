import { ImportError } from "../errors/index.js";
import { lineTooLong } from "./input-file.js";
import { LINE_CHARS_MAX } from "./input-limits.js";

const QUOTE = 0x22;
const CR = 0x0d;
const BOM = 0xfeff;

/** Called once per record with its fields and the physical line it starts on (1-based). */
export type CsvVisitor = (fields: string[], line: number) => void;

/**
 * An RFC 4180 reader: quoted fields may hold the delimiter, doubled quotes and line breaks;
 * records end in CRLF or LF (CR alone when the text has no LF at all); a leading UTF-8 BOM is
 * skipped; blank lines are skipped. A quote inside an unquoted field is kept as a character
 * (`5" pipe`): spreadsheets write that and nothing about it is ambiguous. Records are handed
 * out one at a time so a million-row file never exists twice in memory as arrays.
 *
 * Unquoted fields are found with `indexOf` on the next delimiter and the next line break,
 * each searched once per occurrence: native scanning is several times faster than a
 * `charCodeAt` loop in JavaScript, and that is most of a million-row import.
 *
 * A record (a line, or several when quoted fields hold line breaks) longer than `recordCharsMax`
 * stops the read: `x.csv:1: line is longer than 1,048,576 characters`. A file with no line
 * breaks at all is one such line, and is refused before any of it is cut into fields.
 *
 * @example parseCsv('a,"b,""c"""\r\n', "x.csv", (f) => f) // visits ["a", 'b,"c"'] on line 1
 * @returns the number of records visited
 */
export function parseCsv(
  text: string,
  source: string,
  visit: CsvVisitor,
  delimiter = ",",
  recordCharsMax = LINE_CHARS_MAX,
): number {
  const end = text.length;
  const newline = text.includes("\n") || !text.includes("\r") ? "\n" : "\r";
  let i = text.charCodeAt(0) === BOM ? 1 : 0;
  let nextBreak = indexOrEnd(text, newline, i);
  let nextDelimiter = indexOrEnd(text, delimiter, i);
  let line = 1;
  let recordLine = 1;
  let records = 0;
  let fields: string[] = [];
  let recordStart = i;
  while (i < end) {
    let stop: number;
    if (text.charCodeAt(i) === QUOTE) {
      const quoted = readQuoted(text, i, source, line, recordStart + recordCharsMax);
      if (quoted === undefined) throw lineTooLong(source, recordLine, recordCharsMax, "row");
      fields.push(quoted.value);
      line += quoted.lineBreaks;
      stop = quoted.next;
      if (stop > nextBreak) nextBreak = indexOrEnd(text, newline, stop);
      if (stop > nextDelimiter) nextDelimiter = indexOrEnd(text, delimiter, stop);
      const atBreak = stop === nextBreak || (stop + 1 === nextBreak && text.charCodeAt(stop) === CR);
      if (stop !== nextDelimiter && !atBreak) {
        throw new ImportError({ file: source, line }, "unexpected character after a closing quote");
      }
    } else {
      stop = Math.min(nextDelimiter, nextBreak);
      if (stop - recordStart > recordCharsMax)
        throw lineTooLong(source, recordLine, recordCharsMax, line === recordLine ? "line" : "row");
      const cut = stop === nextBreak && stop > i && text.charCodeAt(stop - 1) === CR ? stop - 1 : stop;
      fields.push(text.slice(i, cut));
    }
    if (stop === nextDelimiter && stop < end) {
      i = stop + 1;
      nextDelimiter = indexOrEnd(text, delimiter, i);
      if (i < end) continue;
      fields.push(""); // a delimiter right before the end of the text opens one last empty field
    } else {
      i = nextBreak + 1;
      nextBreak = indexOrEnd(text, newline, i);
    }
    if (fields.length > 1 || fields[0] !== "") {
      visit(fields, recordLine);
      records++;
    }
    fields = [];
    line++;
    recordLine = line;
    recordStart = i;
  }
  return records;
}

function indexOrEnd(text: string, search: string, from: number): number {
  const at = text.indexOf(search, from);
  return at === -1 ? text.length : at;
}

interface Quoted {
  readonly value: string;
  /** Index just past the closing quote. */
  readonly next: number;
  readonly lineBreaks: number;
}

/** The quoted field at `open`, or undefined when it runs past `limit` (the record's bound). */
function readQuoted(
  text: string,
  open: number,
  source: string,
  line: number,
  limit: number,
): Quoted | undefined {
  let value = "";
  let start = open + 1;
  let lineBreaks = 0;
  for (;;) {
    const close = text.indexOf('"', start);
    if (close > limit || (close === -1 && text.length > limit)) return undefined;
    if (close === -1) throw new ImportError({ file: source, line }, "quoted field is never closed");
    for (let nl = text.indexOf("\n", start); nl !== -1 && nl < close; nl = text.indexOf("\n", nl + 1)) {
      lineBreaks++;
    }
    if (text.charCodeAt(close + 1) === QUOTE) {
      value += text.slice(start, close + 1);
      start = close + 2;
      continue;
    }
    value += text.slice(start, close);
    return { value, next: close + 1, lineBreaks };
  }
}
