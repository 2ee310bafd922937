// The plainest reading of a benchmark data set: what the seed port and the read-only baseline share.
// No validation, no money model: ids and float amounts, as the seed's tutorial read them.
import { readFileSync } from "node:fs";

export interface Row {
  readonly id: string;
  /** Plaid's sign: > 0 is money out. A float, as in the original. */
  readonly amount: number;
}

/** bank.json ({transactions}) or bank.ndjson (one transaction a line), in file order. */
export function readBank(path: string): Row[] {
  const text = readFileSync(path, "utf8");
  const transactions: unknown[] = path.endsWith(".ndjson")
    ? text
        .split("\n")
        .filter((line) => line.trim() !== "")
        .map((line) => JSON.parse(line))
    : (JSON.parse(text) as { transactions: unknown[] }).transactions;
  return transactions.map((t) => {
    const { transaction_id, amount } = t as { transaction_id: string; amount: number };
    return { id: transaction_id, amount };
  });
}

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
