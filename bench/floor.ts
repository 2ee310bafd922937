// The floor: the least work a reconciler of these files can do and still match anything. It
// reads both files with every field (the bank feed fully parsed, every CSV field split out),
// joins them once on the exact amount through a hash (the bank's amount negated into the natural
// sign, in cents; each bank row in file order takes the first unused ledger entry of its
// amount), and writes the result contract. bankrec's time as a multiple of this one is what its
// validation, normalization, scoring, assignment and settlement search cost beyond the floor.
// Scored like the engines (the F1 of an exact-amount join), though it is there for its time.
//
//   node dist/bench/floor.js BANK.json|BANK.ndjson EXPECTED.csv RESULT.json
import { writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { readBankTransactions, readCsvFields } from "./plain-read.js";

interface Match {
  readonly bank_transaction_ids: readonly [string];
  readonly expected_ids: readonly [string];
}

/** The hash join: bank rows in file order, each taking the first unused entry of its amount. */
export function floorJoin(
  bank: readonly { readonly id: string; readonly cents: number }[],
  expected: readonly { readonly id: string; readonly cents: number }[],
) {
  const byCents = new Map<number, string[]>();
  for (const row of expected) {
    const list = byCents.get(row.cents);
    if (list === undefined) byCents.set(row.cents, [row.id]);
    else list.push(row.id);
  }
  const next = new Map<number, number>(); // the first unused entry of each amount
  const matches: Match[] = [];
  const unmatchedBank: string[] = [];
  for (const row of bank) {
    const key = -row.cents; // Plaid's sign: > 0 is money out
    const list = byCents.get(key);
    const i = next.get(key) ?? 0;
    if (list === undefined || i >= list.length) {
      unmatchedBank.push(row.id);
      continue;
    }
    next.set(key, i + 1);
    matches.push({ bank_transaction_ids: [row.id], expected_ids: [list[i]!] });
  }
  const unmatchedExpected: string[] = [];
  for (const [cents, list] of byCents) unmatchedExpected.push(...list.slice(next.get(cents) ?? 0));
  return { matches, unmatchedBank, unmatchedExpected };
}

// run as a script (as measured.js runs it), not when a test imports floorJoin
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [bankPath, expectedPath, resultPath] = process.argv.slice(2);
  if (!bankPath || !expectedPath || !resultPath) {
    console.error("usage: node floor.js BANK.json|BANK.ndjson EXPECTED.csv RESULT.json");
    process.exit(2);
  }
  const bank = readBankTransactions(bankPath).map((t) => {
    const { transaction_id, amount } = t as { transaction_id: string; amount: number };
    return { id: transaction_id, cents: Math.round(amount * 100) };
  });
  const { header, records } = readCsvFields(expectedPath);
  const idColumn = header.indexOf("id");
  const amountColumn = header.indexOf("amount");
  if (idColumn < 0 || amountColumn < 0) throw new Error(`${expectedPath}: header lacks id or amount`);
  const expected = records
    .filter((record) => record.length > 1)
    .map((record) => ({ id: record[idColumn]!, cents: Math.round(Number(record[amountColumn]) * 100) }));
  const { matches, unmatchedBank, unmatchedExpected } = floorJoin(bank, expected);
  writeFileSync(
    resultPath,
    JSON.stringify({ matches, unmatched_bank_ids: unmatchedBank, unmatched_expected_ids: unmatchedExpected }),
  );
}
