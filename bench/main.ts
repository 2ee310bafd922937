// `npm run bench`: the reconcile benchmark. For each profile × size × seed it generates (or
// reuses) a data set with the shared gen.mjs, computes each kind's upper bound from the truth,
// runs bankrec's CLI, the port of the seed's loop and the baselines as child processes, scores
// them with the shared score.mjs, and prints tables, one summary line each and a table of all.
//
// Exit codes: 0 all runs scored; 1 some run failed (bankrec missing or crashing, a data set
// that could not be generated); 2 bad options or no shared bench dir. A seed port timeout or
// skip is expected and is not a failure.

import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { defaultThreads } from "../src/cli/options.js";
import { ensureDataset } from "./dataset.js";
import { type DatasetRows, readDatasetRows } from "./dataset-rows.js";
import {
  bankrecScript,
  type EngineOutcome,
  runBankrec,
  runBankrecWithSettlements,
  runFloor,
  runReadOnly,
  runSeedPort,
  SEED_PORT_TIMEOUT_MS,
} from "./engines.js";
import { benchImport, formatImport } from "./import-part.js";
import { type BenchOptions, type Profile, parseOptions, UsageError, usage } from "./options.js";
import { writePayoutReport } from "./payout-report.js";
import {
  environmentLine,
  formatAcrossRuns,
  formatRun,
  makeReport,
  type RunReport,
  summaryLine,
  toJson,
} from "./report.js";
import { benchSpending, formatSpending } from "./spending-part.js";
import { benchStore, formatStore } from "./store-part.js";
import { benchSync, formatSync } from "./sync-part.js";
import { ensureUpperBound } from "./upper-bound-cache.js";
import { benchWorkflow, formatWorkflow } from "./workflow-part.js";

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
  if (options.parts.includes("workflow")) {
    progress(
      `workflow: a year of gen.mjs --size ${options.workflowSize} in SQLite, first run and incremental run`,
    );
    const request = {
      sharedDir: options.sharedDir,
      outDir: options.outDir,
      size: options.workflowSize,
      seed: options.seeds[0] ?? 7,
    };
    console.log(`\n${formatWorkflow(await benchWorkflow(request))}`);
  }
  if (failures > 0) progress(`${failures} run(s) failed`);
  return failures > 0 ? 1 : 0;
}

async function reconcilePart(options: BenchOptions): Promise<number> {
  if (process.env.BANKREC_BENCH_CLI)
    console.log(`bankrec = stand-in ${bankrecScript(options)} (BANKREC_BENCH_CLI)`);
  console.log(`profiles: ${options.profiles.map((p) => p.path ?? `${p.name} (gen.mjs's own)`).join(", ")}`);
  const reports: RunReport[] = [];
  let failures = 0;
  for (const profile of options.profiles) {
    for (const size of options.sizes) {
      for (const seed of options.seeds) {
        const report = await benchOne(options, profile, size, seed);
        if (report === null) {
          failures++;
          continue;
        }
        reports.push(report);
        const engines = [report.bankrec, report.withSettlements, report.seedPort, report.floor];
        if (engines.some((e) => e?.status === "failed")) failures++;
        console.log(`\n${formatRun(report)}`);
        writeJson(options, reports); // after each run, so an interrupted long run keeps its figures
      }
    }
  }
  console.log("");
  for (const report of reports) console.log(summaryLine(report));
  if (reports.length > 1) console.log(`\n${formatAcrossRuns(reports)}`);
  return failures;
}

/** One profile × size × seed; null when its data set could not be generated (reported, then skipped). */
async function benchOne(
  options: BenchOptions,
  profile: Profile,
  size: number,
  seed: number,
): Promise<RunReport | null> {
  const run = `${profile.name} size ${size} seed ${seed}`;
  const request = { ...options, size, seed, profilePath: profile.path };
  let dataset: Awaited<ReturnType<typeof ensureDataset>>;
  try {
    dataset = await ensureDataset(request, (line) => progress(`${profile.name} ${line}`));
  } catch (error) {
    console.log(`\n${run}: FAILED to generate data: ${(error as Error).message}`);
    return null;
  }
  // The bench's own look at the rows (the bound, the payout report), read once and only if needed.
  let rows: DatasetRows | null = null;
  const readRows = () => {
    rows ??= readDatasetRows(dataset);
    return rows;
  };
  progress(`${run}: upper bound per kind`);
  const upperBound = ensureUpperBound(dataset, readRows);
  progress(
    `${run}: upper bound ${upperBound.cached ? "read back" : `in ${upperBound.seconds.toFixed(1)} s`}`,
  );
  const settlementsPath = options.withSettlements ? writePayoutReport(dataset.dir, readRows()) : null;
  rows = null; // the engines run next: let the collector have them

  const ran = (e: EngineOutcome) => `${e.status}${e.wallMs === null ? "" : ` in ${e.wallMs} ms`}`;
  progress(`${run}: running bankrec`);
  const bankrec = await runBankrec(options, dataset);
  progress(`${run}: bankrec ${ran(bankrec)}`);
  let withSettlements: EngineOutcome | null = null;
  if (settlementsPath !== null) {
    progress(`${run}: running bankrec with the payout report`);
    withSettlements = await runBankrecWithSettlements(options, dataset, settlementsPath);
    progress(`${run}: with payout report ${ran(withSettlements)}`);
  }
  const seedPort = await runSeedPort(options, dataset);
  if (seedPort.status !== "skipped") {
    progress(`${run}: seed port ${ran(seedPort)} (limit ${SEED_PORT_TIMEOUT_MS / 1000} s)`);
  }
  progress(`${run}: reading only (the baseline)`);
  const readOnly = await runReadOnly(options, dataset);
  progress(`${run}: the floor`);
  const floor = await runFloor(options, dataset);
  return makeReport(dataset, bankrec, seedPort, readOnly, { withSettlements, floor, upperBound });
}

function writeJson(options: BenchOptions, reports: readonly RunReport[]): void {
  if (options.jsonPath === null) return;
  mkdirSync(dirname(options.jsonPath), { recursive: true });
  const { sizes, seeds, profiles, withSettlements, seedPortEnabled, seedPortSizeMax, sharedDir } = options;
  const threads = options.threads ?? defaultThreads();
  const echoed = {
    sizes,
    seeds,
    profiles,
    withSettlements,
    seedPortEnabled,
    seedPortSizeMax,
    sharedDir,
    threads,
  };
  writeFileSync(options.jsonPath, `${toJson(reports, echoed)}\n`);
}

try {
  process.exitCode = await main();
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  console.error(error.message);
  process.exitCode = 2;
}
