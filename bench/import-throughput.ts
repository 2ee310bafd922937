// Statement-file import throughput: writes a file of `entries` rows in each format (OFX SGML,
// CAMT.053, MT940, bank CSV) to a temporary folder and times `readBankFile` on it, which is
// decoding, parsing, mapping to BankTransaction and import keys: what `bankrec import` and
// `bankrec reconcile --bank` pay. Standalone: `node dist/bench/import-throughput.js [entries]`.
import { mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { readBankFile } from "../src/importers/index.js";
import {
  type WritableStatement,
  writeBankCsv,
  writeCamt,
  writeMt940,
  writeOfx,
} from "../src/importers/statement-writer.js";

export interface ImportThroughput {
  readonly format: string;
  readonly entries: number;
  /** Wall time of the fastest of `RUNS` reads. */
  readonly seconds: number;
  readonly entriesPerSecond: number;
  readonly bytes: number;
  /** Process CPU time of that read (main thread and the collector's helpers): steadier than wall time on a busy machine. */
  readonly cpuSeconds: number;
}

/** Reads timed per format; the fastest counts, as the others measure the machine's other load. */
export const RUNS = 3;

const WORDS = [
  "ACME",
  "COFFEE",
  "RENT",
  "PAYROLL",
  "INVOICE",
  "REFUND",
  "GROCERY",
  "FUEL",
  "SUPPLIES",
  "TRANSFER",
];

/** A deterministic statement: a month of rows a day apart, varied amounts and words. */
function statementOf(entries: number): WritableStatement {
  let seed = 42;
  const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31);
  const rows = Array.from({ length: entries }, (_, i) => {
    const day = new Date(Date.UTC(2025, 0, 1) + Math.floor((i * 365) / entries) * 86_400_000)
      .toISOString()
      .slice(0, 10);
    const amountMinor = (next() % 200_000) - 100_000 || 1;
    const description = `${WORDS[next() % WORDS.length]} ${WORDS[next() % WORDS.length]} INV-${next() % 100_000}`;
    return { amountMinor, date: day, description, bankId: `B${i}` };
  });
  return {
    accountId: "NL91ABNA0417164300",
    currency: "EUR",
    openingMinor: 1_000_000,
    fromDate: "2025-01-01",
    toDate: "2025-12-31",
    entries: rows,
  };
}

/**
 * Times the import of an `entries`-row file of each format.
 *
 * @example const rows = await benchImportThroughput(10_000); // [{ format: "ofx", entriesPerSecond: ..., ... }, ...]
 */
export async function benchImportThroughput(entries = 100_000): Promise<ImportThroughput[]> {
  const dir = await mkdtemp(join(tmpdir(), "bankrec-import-bench-"));
  const writers: [string, string, (s: WritableStatement) => string][] = [
    ["ofx", "statement.ofx", (s) => writeOfx([s])],
    ["camt", "statement.xml", (s) => writeCamt([s])],
    ["mt940", "statement.sta", (s) => writeMt940([s])],
    ["csv", "statement.csv", (s) => writeBankCsv(s)],
  ];
  // Every file is written before any is timed, and nothing generated stays in memory: the
  // collector's work during a read is then the reader's own.
  {
    const statement = statementOf(entries);
    for (const [, name, write] of writers) await writeFile(join(dir, name), write(statement));
  }
  const results: ImportThroughput[] = [];
  try {
    for (const [format, name] of writers) results.push(await timeRead(format, join(dir, name), entries));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return results;
}

/**
 * The best of a few reads of one file through `readBankFile`, after a warm-up read (JIT and file
 * cache), so the figure is the steady state; the read must yield `entries` rows.
 */
export async function timeRead(format: string, path: string, entries: number): Promise<ImportThroughput> {
  const bytes = (await stat(path)).size;
  await readBankFile(path);
  let seconds = Number.POSITIVE_INFINITY;
  let cpuSeconds = 0;
  for (let run = 0; run < RUNS; run++) {
    const cpu = process.cpuUsage();
    const started = process.hrtime.bigint();
    const feed = await readBankFile(path);
    const wall = Number(process.hrtime.bigint() - started) / 1e9;
    const used = process.cpuUsage(cpu);
    if (feed.transactions.length !== entries)
      throw new Error(`${format}: read ${feed.transactions.length} of ${entries} rows`);
    if (wall < seconds) {
      seconds = wall;
      cpuSeconds = (used.user + used.system) / 1e6;
    }
  }
  return { format, entries, seconds, entriesPerSecond: Math.round(entries / seconds), bytes, cpuSeconds };
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const entries = Number(process.argv[2] ?? 100_000);
  const results = await benchImportThroughput(entries);
  console.log(
    `bankrec import throughput · ${entries.toLocaleString("en-US")} entries per file · node ${process.version}`,
  );
  console.log("format   MB      seconds  entries/s  cpu s");
  for (const r of results)
    console.log(
      `${r.format.padEnd(8)} ${(r.bytes / 1e6).toFixed(1).padStart(6)}  ${r.seconds.toFixed(3).padStart(7)}  ${r.entriesPerSecond.toLocaleString("en-US").padStart(10)}  ${r.cpuSeconds.toFixed(3).padStart(5)}`,
    );
}
