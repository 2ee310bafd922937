// The import part of `npm run bench`: statement-file throughput per format (import-throughput.ts)
// against a baseline measured in the same run: a Plaid JSON feed of as many transactions, read by
// the same `readBankFile`. That path is one JSON.parse and a mapping, the floor for a reader
// written in JavaScript; a format's ratio says what its own parsing costs on top.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { benchImportThroughput, type ImportThroughput, RUNS, timeRead } from "./import-throughput.js";

export async function benchImport(entries: number): Promise<ImportThroughput[]> {
  return [await plaidJsonBaseline(entries), ...(await benchImportThroughput(entries))];
}

async function plaidJsonBaseline(entries: number): Promise<ImportThroughput> {
  const dir = await mkdtemp(join(tmpdir(), "bankrec-import-baseline-"));
  const path = join(dir, "bank.json");
  try {
    const transactions = Array.from({ length: entries }, (_, i) => ({
      transaction_id: `T${i}`,
      account_id: "acc-1",
      amount: Number((((i * 7919) % 200_000) / 100 - 1000).toFixed(2)) || 0.01,
      iso_currency_code: "USD",
      date: new Date(Date.UTC(2025, 0, 1) + Math.floor((i * 365) / entries) * 86_400_000)
        .toISOString()
        .slice(0, 10),
      authorized_date: null,
      name: `ACME COFFEE INV-${i % 100_000}`,
      merchant_name: null,
      check_number: null,
      pending: false,
    }));
    await writeFile(path, JSON.stringify({ accounts: [], transactions }));
    return await timeRead("plaid-json", path, entries);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export function formatImport(results: readonly ImportThroughput[]): string {
  const base = results.find((r) => r.format === "plaid-json");
  const lines = results.map((r) => {
    const ratio =
      base === undefined ? "" : `  ${(r.entriesPerSecond / base.entriesPerSecond).toFixed(2)}× plaid-json`;
    return (
      `  ${r.format.padEnd(10)} ${(r.bytes / 1e6).toFixed(1).padStart(6)} MB  ${r.seconds.toFixed(3).padStart(7)} s  ` +
      `${r.entriesPerSecond.toLocaleString("en-US").padStart(10)} entries/s${ratio}`
    );
  });
  const entries = results[0]?.entries ?? 0;
  return [
    `statement import, ${entries.toLocaleString("en-US")} entries a file (best of ${RUNS}; baseline plaid-json = JSON.parse and mapping)`,
    ...lines,
  ].join("\n");
}
