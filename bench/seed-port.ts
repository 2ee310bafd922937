// A faithful port of the seed tutorial's matching loop: the baseline bankrec is measured against.
//
//   node dist/bench/seed-port.js BANK.json|BANK.ndjson EXPECTED.csv RESULT.json
//
// Faithful means its flaws are kept on purpose: float amounts, the first expected row within
// a cent wins (no date, account or description), greedy in file order, and a list scanned from
// the start and spliced for every bank row — quadratic, as the original's pop(i).
import { readFileSync, writeFileSync } from "node:fs";

interface Row {
  readonly id: string;
  /** Plaid's sign: > 0 is money out. A float, as in the original. */
  readonly amount: number;
}

interface SeedMatch {
  readonly bank_transaction_ids: readonly [string];
  readonly expected_ids: readonly [string];
}

/**
 * The seed's loop, line for line:
 * ```
 * for bank_txn in bank_txns:
 *     for i, exp_txn in enumerate(unmatched_expected):
 *         if abs(bank_txn["amount"] - exp_txn["amount"]) < 0.01:
 *             matched.append(...); unmatched_expected.pop(i); break
 *     else: unmatched_bank.append(bank_txn)
 * ```
 */
export function seedMatch(bankTxns: readonly Row[], expected: readonly Row[]) {
  const unmatchedExpected = [...expected];
  const matched: SeedMatch[] = [];
  const unmatchedBank: Row[] = [];
  for (const bankTxn of bankTxns) {
    let found = false;
    for (let i = 0; i < unmatchedExpected.length; i++) {
      const expTxn = unmatchedExpected[i]!;
      if (Math.abs(bankTxn.amount - expTxn.amount) < 0.01) {
        matched.push({ bank_transaction_ids: [bankTxn.id], expected_ids: [expTxn.id] });
        unmatchedExpected.splice(i, 1);
        found = true;
        break;
      }
    }
    if (!found) unmatchedBank.push(bankTxn);
  }
  return { matched, unmatchedBank, unmatchedExpected };
}

/** bank.json ({transactions}) or bank.ndjson (one transaction a line), in file order. */
function readBank(path: string): Row[] {
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
function readExpected(path: string): Row[] {
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

const [bankPath, expectedPath, resultPath] = process.argv.slice(2);
if (!bankPath || !expectedPath || !resultPath) {
  console.error("usage: node seed-port.js BANK.json|BANK.ndjson EXPECTED.csv RESULT.json");
  process.exit(2);
}
const { matched, unmatchedBank, unmatchedExpected } = seedMatch(
  readBank(bankPath),
  readExpected(expectedPath),
);
writeFileSync(
  resultPath,
  JSON.stringify({
    matches: matched,
    unmatched_bank_ids: unmatchedBank.map((row) => row.id),
    unmatched_expected_ids: unmatchedExpected.map((row) => row.id),
  }),
);
