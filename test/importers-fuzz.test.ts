import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { checkBalances } from "../src/importers/balance-check.js";
import { toFeedNdjsonLines } from "../src/importers/feed-ndjson.js";
import { parsePlaidNdjson } from "../src/importers/plaid-ndjson.js";
import { parseBankBytes, parseExpectedBytes } from "../src/importers/read-file.js";
import type { StatementFormat } from "../src/importers/statement.js";
import { parseStatementBytes, toBankTransactions } from "../src/importers/statement-file.js";
import {
  type WritableStatement,
  writeBankCsv,
  writeCamt,
  writeMt940,
  writeOfx,
} from "../src/importers/statement-writer.js";
import { describeFailure, type FuzzTarget, prng, runFuzz } from "./support/fuzz.js";

/**
 * Every reader against thousands of seeded byte-level mutations of real and generated files:
 * each input is read, or refused with bankrec's own error (a BankrecError), never a TypeError or
 * RangeError, never over its time (a batch runs under a `vm` timeout, so even a loop that never
 * ends is stopped and named), and memory stays where it was. A failure prints the run's seed, the
 * case, its mutations and its bytes (base64), and how to replay it alone.
 *
 * BANKREC_FUZZ_SEED picks another run (default: a fixed seed, so CI is repeatable);
 * BANKREC_FUZZ_CASE replays one case; BANKREC_TEST_EXTENDED runs ten times as many cases;
 * BANKREC_FUZZ_STATS prints how many cases each reader read and refused.
 */
const RUN_SEED = Number(process.env.BANKREC_FUZZ_SEED ?? 20_250_317);
const ONLY = process.env.BANKREC_FUZZ_CASE === undefined ? undefined : Number(process.env.BANKREC_FUZZ_CASE);
const CASES = process.env.BANKREC_TEST_EXTENDED ? 20_000 : 2_000;
/** Generous for a 2-core CI runner: seed files are a few kilobytes and read in well under a millisecond. */
const CASE_MS_MAX = 1_000;
/** The process may grow by this much over a target's run; a reader that kept or amplified input would pass it. */
const RSS_GROWTH_BYTES_MAX = 256 * 2 ** 20;

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const samples = resolve(root, "../shared/samples");
const samplesPresent = existsSync(samples);
if (!samplesPresent) {
  if (process.env.CI) throw new Error(`sample files not found at ${samples}`);
  console.warn(`importers-fuzz: no sample files at ${samples}; fuzzing generated files only`);
}

function sample(path: string): { name: string; bytes: Buffer }[] {
  return samplesPresent ? [{ name: path, bytes: readFileSync(join(samples, path)) }] : [];
}

/** A statement with what trips readers: accents, a quote, an ampersand, both signs, a missing bank id. */
function statement(seed: number, entries = 6): WritableStatement {
  const random = prng(seed);
  const words = ["Coffee & Co", 'Müller "GmbH"', "Salary", "Rent/March", "Café Ünal", "Refund 12,50", "ÉDF"];
  const list = Array.from({ length: entries }, (_, i) => ({
    amountMinor: ((random() % 2_000_000) - 1_000_000) | 0,
    date: `2025-01-${String(1 + (i % 28)).padStart(2, "0")}`,
    description: `${words[random() % words.length]} ${i}`,
    bankId: i % 3 === 2 ? null : `B${seed}-${i}`,
  }));
  return {
    accountId: "DE89370400440532013000",
    currency: seed % 2 === 0 ? "EUR" : "USD",
    openingMinor: 100_000,
    fromDate: "2025-01-01",
    toDate: "2025-01-28",
    entries: list,
  };
}

const generated = (name: string, text: string | Buffer) => ({
  name,
  bytes: typeof text === "string" ? Buffer.from(text, "utf8") : text,
});

function statementTarget(
  format: StatementFormat,
  extension: string,
  seeds: { name: string; bytes: Buffer }[],
): FuzzTarget {
  let n = 0;
  return {
    name: format,
    seeds,
    // Half the cases say the format (the parser sees every mutation), half leave it to detection.
    read: (bytes) => {
      const file = parseStatementBytes(bytes, `fuzz.${extension}`, (n++ & 1) === 0 ? { format } : {});
      toBankTransactions(file);
      checkBalances(file);
    },
  };
}

const S1 = statement(1);
const S2 = statement(2, 3);

const TARGETS: readonly FuzzTarget[] = [
  statementTarget("ofx", "ofx", [
    ...sample("ofx/ofxparse__checking.ofx"),
    ...sample("ofx/ofxparse__anzcc.ofx"),
    generated("sgml", writeOfx([S1, S2], "sgml")),
    generated("xml", writeOfx([S1], "xml")),
    generated("inline", writeOfx([S2], "inline")),
  ]),
  statementTarget("camt", "xml", [
    ...sample("camt/genkgo-camt__camt053.v2.minimal.xml"),
    generated("camt.02", writeCamt([S1], "02")),
    generated("camt.08", writeCamt([S1, S2], "08")),
  ]),
  statementTarget("mt940", "sta", [
    ...sample("mt940/mt940-js__ing-1.mta"),
    generated("bare", writeMt940([S1, S2])),
    generated("blocks", writeMt940([S1], true)),
  ]),
  statementTarget("csv", "csv", [
    generated("generic", writeBankCsv(S1, "generic")),
    generated("eu-semicolon", writeBankCsv(S1, "eu-semicolon")),
    generated("debit-credit", writeBankCsv(S2, "debit-credit")),
    generated(
      "utf-16",
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(writeBankCsv(S2, "generic"), "utf16le")]),
    ),
    generated("windows-1252", Buffer.from(writeBankCsv(S2, "eu-semicolon"), "latin1")),
  ]),
  {
    name: "plaid-json",
    seeds: plaidJsonSeeds(),
    read: (bytes) => parseBankBytes(bytes, "fuzz.json"),
  },
  {
    name: "plaid-ndjson",
    seeds: [
      generated(
        "transactions",
        plaidRows(7)
          .map((row) => `${JSON.stringify(row)}\n`)
          .join(""),
      ),
      generated(
        "from a statement",
        [...toFeedNdjsonLines(parseStatementBytes(Buffer.from(writeMt940([S1])), "s.sta"))].join(""),
      ),
    ],
    read: (bytes) => parsePlaidNdjson(bytes, "fuzz.ndjson"),
  },
  {
    name: "ledger-csv",
    seeds: [
      generated("benchmark columns", ledgerCsv(",")),
      generated("semicolons", ledgerCsv(";")),
      generated(
        "debit, credit and ranges",
        "Txn ID,Posting Date,Debit,Credit,Memo,Payee,amount_min,amount_max,date_from,date_to\n" +
          'L1,03/31/2025,12.50,,"Coffee, ""large""",Café,12.00,13.00,2025-03-30,2025-04-02\n' +
          "L2,2025-04-01,,1000,Salary,ACME,,,,\nL3,2025-04-02,0,,Zero,,,,,\n",
      ),
    ],
    read: (bytes) => parseExpectedBytes(bytes, "fuzz.csv"),
  },
  {
    name: "ledger-json",
    seeds: [
      generated("array", JSON.stringify(ledgerRows())),
      generated("entries, camelCase", JSON.stringify({ entries: ledgerRows().map(camelCase) }, null, 2)),
    ],
    read: (bytes) => parseExpectedBytes(bytes, "fuzz.json"),
  },
];

function plaidRows(count: number): Record<string, unknown>[] {
  return Array.from({ length: count }, (_, i) => ({
    transaction_id: `t${i}`,
    account_id: i % 2 === 0 ? "acc-1" : "acc-2",
    amount: i % 3 === 0 ? -1200.5 : 12.34 + i,
    iso_currency_code: i === 4 ? null : "USD",
    unofficial_currency_code: null,
    date: `2025-03-${String(10 + i).padStart(2, "0")}`,
    authorized_date: i % 2 === 0 ? null : "2025-03-09",
    name: `Payee ${i} ☕`,
    merchant_name: i % 2 === 0 ? null : "Starbucks",
    check_number: i === 3 ? "1042" : null,
    pending: i === 5,
    personal_finance_category: { primary: "FOOD_AND_DRINK", detailed: "FOOD_AND_DRINK_COFFEE" },
  }));
}

function plaidJsonSeeds(): { name: string; bytes: Buffer }[] {
  const accounts = [
    { account_id: "acc-1", name: "Checking", mask: "0000", type: "depository", subtype: "checking" },
    { account_id: "acc-2", official_name: "Savings", mask: null, type: "depository", subtype: "savings" },
  ];
  const rows = plaidRows(6);
  return [
    generated(
      "/transactions/get",
      JSON.stringify({ accounts, transactions: rows, total_transactions: 6 }, null, 2),
    ),
    generated("bare array", JSON.stringify(rows)),
    generated(
      "/transactions/sync dump",
      JSON.stringify({
        accounts,
        added: rows.slice(0, 4),
        modified: [{ ...rows[1], amount: 99.99 }],
        removed: [{ transaction_id: "t0", account_id: "acc-1" }, "t3"],
      }),
    ),
  ];
}

function ledgerRows(): Record<string, unknown>[] {
  return [
    {
      id: "E1",
      date: "2025-03-31",
      amount: -12.5,
      currency: "EUR",
      description: "Coffee",
      counterparty: "Café",
    },
    { id: "E2", date: "2025-04-01", amount: "1,000.00", reference: "INV-7", account_id: "acc-1" },
    { id: "E3", date: "2025-04-02", debit: "30", amount_min: -31, amount_max: -29, date_from: "2025-04-01" },
    { id: "E4", date: "2025-04-03", credit: 45, description: null },
  ];
}

function camelCase(row: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(row).map(([key, value]) => [
      key.replace(/_(\w)/g, (_, c: string) => c.toUpperCase()),
      value,
    ]),
  );
}

function ledgerCsv(delimiter: string): string {
  const rows = [
    ["id", "date", "amount", "currency", "description", "counterparty", "reference", "account_id"],
    ["E1", "2025-03-31", "-12.50", "USD", '"Coffee, large"', "Café", "", "acc-1"],
    ["E2", "2025-04-01", "1000", "", "Salary", "ACME", "INV-7", ""],
    ["E3", "2025-04-02", delimiter === ";" ? '"-3,5"' : "-3.5", "EUR", '"multi\nline"', "", "", ""],
  ];
  return `${rows.map((r) => r.join(delimiter)).join("\r\n")}\r\n`;
}

describe("readers under seeded byte mutations", () => {
  for (const target of TARGETS) {
    it(`${target.name}: ${ONLY === undefined ? CASES : `case ${ONLY} of`} mutated files are read or refused with a BankrecError, in time`, () => {
      const rssBefore = process.memoryUsage().rss;
      const report = runFuzz(target, {
        runSeed: RUN_SEED,
        cases: CASES,
        caseMsMax: CASE_MS_MAX,
        ...(ONLY !== undefined && { only: ONLY }),
      });
      const rssGrowth = process.memoryUsage().rss - rssBefore;
      const shown = report.failures.slice(0, 5).map((f) => describeFailure(target.name, RUN_SEED, f));
      const more = report.failures.length > 5 ? [`… and ${report.failures.length - 5} more failures`] : [];
      expect(report.failures.length, [...shown, ...more].join("\n\n")).toBe(0);
      expect(rssGrowth).toBeLessThan(RSS_GROWTH_BYTES_MAX);
      // The mutations must reach past the first check: some cases still read, some are refused.
      if (ONLY === undefined) {
        expect(report.read).toBeGreaterThan(0);
        expect(report.refused).toBeGreaterThan(0);
      }
      if (process.env.BANKREC_FUZZ_STATS)
        console.info(target.name, report.read, report.refused, report.slowestMs.toFixed(1));
      for (const [reason, count] of report.skipped)
        console.warn(`${target.name}: ${count} cases skipped: ${reason}`);
    });
  }
});
