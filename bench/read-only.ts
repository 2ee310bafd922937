// Read only: a baseline for the benchmark's times that is measured on the same machine in
// the same run, at every size. It reads both inputs the plainest way (as the seed port does)
// and writes a report naming every row as unmatched: the least any reconciler of these files
// does. Times as multiples of it compare across machines and across runs of one machine that
// is busier at some times than at others, which absolute seconds do not.
//
//   node dist/bench/read-only.js BANK.json|BANK.ndjson EXPECTED.csv RESULT.json
import { writeFileSync } from "node:fs";
import { readBank, readExpected } from "./plain-read.js";

const [bankPath, expectedPath, resultPath] = process.argv.slice(2);
if (!bankPath || !expectedPath || !resultPath) {
  console.error("usage: node read-only.js BANK.json|BANK.ndjson EXPECTED.csv RESULT.json");
  process.exit(2);
}
const bank = readBank(bankPath);
const expected = readExpected(expectedPath);
writeFileSync(
  resultPath,
  JSON.stringify({
    matches: [],
    unmatched_bank_ids: bank.map((row) => row.id),
    unmatched_expected_ids: expected.map((row) => row.id),
  }),
);
