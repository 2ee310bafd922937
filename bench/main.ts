// `npm run bench`: the reconcile benchmark. For each size × seed it generates (or reuses) a data
// set with the shared gen.mjs, runs bankrec's CLI and the port of the seed's loop as child
// processes, scores both with the shared score.mjs, and prints tables and one summary line each.
//
// Exit codes: 0 all runs scored; 1 some run failed (bankrec missing or crashing, a data set
// that could not be generated); 2 bad options or no shared bench dir. A seed port timeout or
// skip is expected and is not a failure.

import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { defaultThreads } from "../src/cli/options.js";
import { ensureDataset } from "./dataset.js";
import { bankrecScript, runBankrec, runReadOnly, runSeedPort, SEED_PORT_TIMEOUT_MS } from "./engines.js";
import { benchImport, formatImport } from "./import-part.js";
import { type BenchOptions, parseOptions, UsageError, usage } from "./options.js";
import { environmentLine, formatRun, makeReport, type RunReport, summaryLine, toJson } from "./report.js";
import { benchSpending, formatSpending } from "./spending-part.js";
import { benchStore, formatStore } from "./store-part.js";
import { benchSync, formatSync } from "./sync-part.js";

const progress = (line: string) => process.stderr.write(`bench: ${line}\n`);

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2), process.env);
  if (options === "help") {
    console.log(usage);
    return 0;
  }
  console.log(`bankrec bench (${options.parts.join(", ")}) · ${environmentLine()}`);
  if (options.parts.includes("reconcile")) {
    console.log(`bankrec --threads ${options.threads ?? `${defaultThreads()} (its default)`}`);
  }
  let failures = 0;
  if (options.parts.includes("reconcile")) failures += await reconcilePart(options);
  if (options.parts.includes("import")) {
    progress(`import: ${options.importEntries} entries per format`);
    console.log(`\n${formatImport(await benchImport(options.importEntries))}`);
  }
  if (options.parts.includes("sync")) {
    progress(`sync: ${options.syncSize} transactions from the emulator`);
    console.log(`\n${formatSync(await benchSync(options.syncSize))}`);
  }
  if (options.parts.includes("store")) {
    progress(`store: ${options.syncSize} transactions from the emulator into SQLite and Postgres`);
    console.log(`\n${formatStore(await benchStore(options.syncSize))}`);
  }
  if (options.parts.includes("spending")) {
    progress(`spending: ${options.spendingSize} stored transactions in SQLite and Postgres`);
    console.log(`\n${formatSpending(await benchSpending(options.spendingSize))}`);
  }
  if (failures > 0) progress(`${failures} run(s) failed`);
  return failures > 0 ? 1 : 0;
}

async function reconcilePart(options: BenchOptions): Promise<number> {
  if (process.env.BANKREC_BENCH_CLI)
    console.log(`bankrec = stand-in ${bankrecScript(options)} (BANKREC_BENCH_CLI)`);
  const reports: RunReport[] = [];
  let failures = 0;
  for (const size of options.sizes) {
    for (const seed of options.seeds) {
      const report = await benchOne(options, size, seed);
      if (report === null) {
        failures++;
        continue;
      }
      reports.push(report);
      if ([report.bankrec, report.seedPort].some((e) => e.status === "failed")) failures++;
      console.log(`\n${formatRun(report)}`);
      writeJson(options, reports); // after each run, so an interrupted long run keeps its figures
    }
  }
  console.log("");
  for (const report of reports) console.log(summaryLine(report));
  return failures;
}

/** One size × seed; null when its data set could not be generated (reported, then skipped). */
async function benchOne(options: BenchOptions, size: number, seed: number): Promise<RunReport | null> {
  const request = { ...options, size, seed };
  let dataset: Awaited<ReturnType<typeof ensureDataset>>;
  try {
    dataset = await ensureDataset(request, progress);
  } catch (error) {
    console.log(`\nsize ${size} seed ${seed}: FAILED to generate data: ${(error as Error).message}`);
    return null;
  }
  progress(`size ${size} seed ${seed}: running bankrec`);
  const bankrec = await runBankrec(options, dataset);
  progress(
    `size ${size} seed ${seed}: bankrec ${bankrec.status}${bankrec.wallMs === null ? "" : ` in ${bankrec.wallMs} ms`}`,
  );
  if (options.seedPortEnabled && size <= options.seedPortSizeMax) {
    progress(`size ${size} seed ${seed}: running seed port (limit ${SEED_PORT_TIMEOUT_MS / 1000} s)`);
  }
  const seedPort = await runSeedPort(options, dataset);
  if (seedPort.status !== "skipped") {
    const took = seedPort.wallMs === null ? "" : ` in ${seedPort.wallMs} ms`;
    progress(`size ${size} seed ${seed}: seed port ${seedPort.status}${took}`);
  }
  progress(`size ${size} seed ${seed}: reading only (the baseline)`);
  const readOnly = await runReadOnly(options, dataset);
  return makeReport(dataset, bankrec, seedPort, readOnly);
}

function writeJson(options: BenchOptions, reports: readonly RunReport[]): void {
  if (options.jsonPath === null) return;
  mkdirSync(dirname(options.jsonPath), { recursive: true });
  const { sizes, seeds, profilePath, seedPortEnabled, seedPortSizeMax, sharedDir } = options;
  const threads = options.threads ?? defaultThreads();
  const echoed = { sizes, seeds, profilePath, seedPortEnabled, seedPortSizeMax, sharedDir, threads };
  writeFileSync(options.jsonPath, `${toJson(reports, echoed)}\n`);
}

try {
  process.exitCode = await main();
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  console.error(error.message);
  process.exitCode = 2;
}
