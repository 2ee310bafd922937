// A faithful port of the seed tutorial's matching loop: the baseline bankrec is measured against.
//
//   node dist/bench/seed-port.js BANK.json|BANK.ndjson EXPECTED.csv RESULT.json
//
// Faithful means its flaws are kept on purpose: float amounts, the first expected row within
// a cent wins (no date, account or description), greedy in file order, and a list scanned from
// the start and spliced for every bank row — quadratic, as the original's pop(i).
import { writeFileSync } from "node:fs";
import { type Row, readBank, readExpected } from "./plain-read.js";

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
