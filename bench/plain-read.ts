// The plainest reading of a benchmark data set: what the seed port and the read-only baseline share
// (ids and float amounts, as the seed's tutorial read them), and the every-field reading of the floor
// (floor.ts) and of the bench's own look at a data set (dataset-rows.ts). No validation, no money model.
import { readFileSync } from "node:fs";

export interface Row {
  readonly id: string;
  /** Plaid's sign: > 0 is money out. A float, as in the original. */
  readonly amount: number;
}

/** bank.json ({transactions}) or bank.ndjson (one transaction a line), in file order. */
export function readBank(path: string): Row[] {
  return readBankTransactions(path).map((t) => {
    const { transaction_id, amount } = t as { transaction_id: string; amount: number };
    return { id: transaction_id, amount };
  });
}

/** Every transaction of bank.json or bank.ndjson, fully parsed (all of Plaid's fields), in file order. */
export function readBankTransactions(path: string): unknown[] {
  const text = readFileSync(path, "utf8");
  return path.endsWith(".ndjson")
    ? text
        .split("\n")
        .filter((line) => line.trim() !== "")
        .map((line) => JSON.parse(line))
    : (JSON.parse(text) as { transactions: unknown[] }).transactions;
}

/**
 * A CSV file split into every field: the header and each record. Quicker than parseCsv below
 * (fields are sliced, not built a character at a time) and as complete: the floor's reading.
 */
export function readCsvFields(path: string): { header: string[]; records: string[][] } {
  const [header = [], ...records] = splitCsv(readFileSync(path, "utf8"));
  return { header, records };
}

/** RFC 4180 as gen.mjs writes it: quoted fields may hold commas, doubled quotes and newlines. */
export function splitCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    if (text.charCodeAt(i) === QUOTE) {
      let value = "";
      i++;
      for (;;) {
        const q = text.indexOf('"', i);
        if (q < 0) {
          value += text.slice(i);
          i = n;
          break;
        }
        value += text.slice(i, q);
        i = q + 1;
        if (text.charCodeAt(i) !== QUOTE) break;
        value += '"';
        i++;
      }
      record.push(value);
    } else {
      let j = i;
      while (j < n) {
        const c = text.charCodeAt(j);
        if (c === COMMA || c === NEWLINE) break;
        j++;
      }
      record.push(text.slice(i, j > i && text.charCodeAt(j - 1) === RETURN ? j - 1 : j));
      i = j;
    }
    if (text.charCodeAt(i) === RETURN) i++;
    if (i >= n) break;
    if (text.charCodeAt(i) === NEWLINE) {
      records.push(record);
      record = [];
    } else if (i + 1 === n) record.push(""); // a record that ends in a comma and the file
    i++;
  }
  if (record.length > 0) records.push(record);
  return records;
}

const QUOTE = 34;
const COMMA = 44;
const NEWLINE = 10;
const RETURN = 13;

/** expected.csv in natural sign (> 0 is money in), negated into Plaid's sign as the seed did. */
export function readExpected(path: string): Row[] {
  const [header, ...records] = parseCsv(readFileSync(path, "utf8"));
  const idColumn = header?.indexOf("id") ?? -1;
  const amountColumn = header?.indexOf("amount") ?? -1;
  if (idColumn < 0 || amountColumn < 0) throw new Error(`${path}: header lacks id or amount`);
  return records
    .filter((record) => record.length > 1 || record[0] !== "")
    .map((record) => ({ id: record[idColumn] ?? "", amount: -Number(record[amountColumn]) }));
}

/** RFC 4180 enough for gen.mjs: quoted fields may hold commas, doubled quotes and newlines. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted && ch === '"' && text[i + 1] === '"') {
      field += '"';
      i++;
    } else if (ch === '"') {
      quoted = !quoted;
    } else if (quoted || (ch !== "," && ch !== "\n" && ch !== "\r")) {
      field += ch;
    } else if (ch === ",") {
      record.push(field);
      field = "";
    } else if (ch === "\n") {
      record.push(field);
      records.push(record);
      record = [];
      field = "";
    } // an unquoted \r belongs to a \r\n line end: dropped
  }
  if (field !== "" || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  return records;
}
