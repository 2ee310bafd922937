// The two reconcilers the bench runs on each data set, each as a child process in the same
// result contract, so both are timed, measured and scored the same way.
import { existsSync, mkdirSync, rmSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { largeInputNodeFlags } from "../src/cli/heap.js";
import type { Dataset } from "./dataset.js";
import type { BenchOptions } from "./options.js";
import { runMeasured } from "./run-child.js";
import { type Score, score } from "./score.js";

export type EngineName = "bankrec" | "with payout report" | "seed port" | "read only" | "floor";

export interface EngineOutcome {
  readonly engine: EngineName;
  /** `timeout` and `skipped` are expected for the quadratic seed port; `failed` never is. */
  readonly status: "ok" | "failed" | "timeout" | "skipped";
  /** Why it was skipped, or what went wrong (the child's stderr tail). */
  readonly note: string | null;
  readonly wallMs: number | null;
  readonly peakRssMiB: number | null;
  /** User + system CPU of the child: above wallMs when the engine uses worker threads. */
  readonly cpuMs: number | null;
  readonly timeoutMs: number;
  readonly score: Score | null;
  readonly resultPath: string | null;
}

/** The seed port's budget: the brief is "only where it would finish within a minute". */
export const SEED_PORT_TIMEOUT_MS = 60_000;
/** bankrec should do a million rows in seconds; ten minutes only catches a hang. */
const BANKREC_TIMEOUT_MS = 10 * 60 * 1000;

const benchDir = dirname(fileURLToPath(import.meta.url));

interface EngineCommand {
  readonly script: string;
  readonly args: readonly string[];
  readonly timeoutMs: number;
  /** Node flags for the measured process, and an environment to add. */
  readonly nodeFlags?: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
}

/** BANKREC_BENCH_CLI points the bench at a stand-in script with the CLI's contract (see README). */
export function bankrecScript(options: BenchOptions): string {
  return process.env.BANKREC_BENCH_CLI ?? join(options.repoRoot, "dist", "src", "cli", "main.js");
}

export function runBankrec(options: BenchOptions, dataset: Dataset): Promise<EngineOutcome> {
  return runBankrecWith(options, dataset, "bankrec", []);
}

/**
 * bankrec again with `--settlements payouts.csv` (payout-report.ts). A CLI without the option
 * (it is being added) exits 2 with "unknown option": reported as skipped, not as a failure.
 */
export async function runBankrecWithSettlements(
  options: BenchOptions,
  dataset: Dataset,
  settlementsPath: string,
): Promise<EngineOutcome> {
  const engine = "with payout report";
  const outcome = await runBankrecWith(options, dataset, engine, ["--settlements", settlementsPath]);
  if (outcome.status === "failed" && /unknown option.*--settlements/.test(outcome.note ?? "")) {
    return notRun(engine, "skipped", "this bankrec CLI has no --settlements yet", BANKREC_TIMEOUT_MS);
  }
  return outcome;
}

function runBankrecWith(
  options: BenchOptions,
  dataset: Dataset,
  engine: "bankrec" | "with payout report",
  extraArgs: readonly string[],
): Promise<EngineOutcome> {
  const resultPath = resultFile(options, dataset, engine === "bankrec" ? "bankrec" : "bankrec-settlements");
  const script = bankrecScript(options);
  if (!existsSync(script)) {
    const note = `bankrec CLI not found at ${script} (npm run build, or set BANKREC_BENCH_CLI)`;
    return Promise.resolve(notRun(engine, "failed", note, BANKREC_TIMEOUT_MS));
  }
  const args = ["reconcile", "--bank", dataset.bankPath, "--expected", dataset.expectedPath, ...extraArgs];
  args.push("--format", "json", "--out", resultPath);
  if (options.threads !== null) args.push("--threads", String(options.threads));
  // Large inputs: give the measured process the heap the CLI would relaunch itself with, and
  // tell it not to relaunch, so that its peak RSS is the run's (a relaunched child's is not).
  const nodeFlags = largeInputNodeFlags(args);
  const command: EngineCommand =
    nodeFlags === null
      ? { script, args, timeoutMs: BANKREC_TIMEOUT_MS }
      : { script, args, timeoutMs: BANKREC_TIMEOUT_MS, nodeFlags, env: { BANKREC_NO_RELAUNCH: "1" } };
  return runEngine(engine, command, options, dataset, resultPath);
}

export function runSeedPort(options: BenchOptions, dataset: Dataset): Promise<EngineOutcome> {
  const size = dataset.meta.size;
  if (!options.seedPortEnabled) {
    return Promise.resolve(notRun("seed port", "skipped", "--no-seed-port", SEED_PORT_TIMEOUT_MS));
  }
  // The seed port is the baseline of the public profile's figures (its README's table); on our
  // own profiles it would only add a minute a size.
  if (dataset.meta.profile !== "public") {
    return Promise.resolve(notRun("seed port", "skipped", "public profile only", SEED_PORT_TIMEOUT_MS));
  }
  if (size > options.seedPortSizeMax) {
    const note = `quadratic: skipped above ${options.seedPortSizeMax} rows (--seed-port-max)`;
    return Promise.resolve(notRun("seed port", "skipped", note, SEED_PORT_TIMEOUT_MS));
  }
  const resultPath = resultFile(options, dataset, "seed-port");
  const script = join(benchDir, "seed-port.js");
  const args = [dataset.bankPath, dataset.expectedPath, resultPath];
  return runEngine(
    "seed port",
    { script, args, timeoutMs: SEED_PORT_TIMEOUT_MS },
    options,
    dataset,
    resultPath,
  );
}

/**
 * The baseline every time is also given against: the seed port's reading and writing without
 * its loop (read-only.ts). Not scored: it matches nothing.
 */
export function runReadOnly(options: BenchOptions, dataset: Dataset): Promise<EngineOutcome> {
  const resultPath = resultFile(options, dataset, "read-only");
  const script = join(benchDir, "read-only.js");
  const args = [dataset.bankPath, dataset.expectedPath, resultPath];
  const command = { script, args, timeoutMs: BANKREC_TIMEOUT_MS };
  return runEngine("read only", command, options, dataset, resultPath, { scored: false });
}

/**
 * The floor (floor.ts): every field read, one exact-amount hash join, the result written. Scored,
 * though it is there for its time: bankrec's whole process as a multiple of the least a
 * reconciler of these files does.
 */
export function runFloor(options: BenchOptions, dataset: Dataset): Promise<EngineOutcome> {
  const resultPath = resultFile(options, dataset, "floor");
  const script = join(benchDir, "floor.js");
  const args = [dataset.bankPath, dataset.expectedPath, resultPath];
  return runEngine("floor", { script, args, timeoutMs: BANKREC_TIMEOUT_MS }, options, dataset, resultPath);
}

async function runEngine(
  engine: EngineName,
  command: EngineCommand,
  options: BenchOptions,
  dataset: Dataset,
  resultPath: string,
  { scored } = { scored: true },
): Promise<EngineOutcome> {
  const usageFile = `${resultPath}.usage.json`;
  rmSync(resultPath, { force: true }); // an earlier run's result must not be scored as this one's
  const run = await runMeasured(command.script, command.args, usageFile, command.timeoutMs, {
    ...(command.nodeFlags !== undefined && { nodeFlags: command.nodeFlags }),
    ...(command.env !== undefined && { env: command.env }),
  });
  const measured = {
    engine,
    wallMs: Math.round(run.wallMs),
    peakRssMiB: run.usage === null ? null : run.usage.maxRssKiB / 1024,
    cpuMs:
      run.usage === null ? null : Math.round((run.usage.userCpuMicros + run.usage.systemCpuMicros) / 1000),
    timeoutMs: command.timeoutMs,
    resultPath,
  };
  if (run.status === "timeout") {
    const note = `timeout > ${command.timeoutMs / 1000} s`;
    return { ...measured, status: "timeout", note, wallMs: null, peakRssMiB: null, score: null };
  }
  if (run.status === "failed") {
    const how = run.signal === null ? `exit ${run.exitCode}` : `signal ${run.signal}`;
    return { ...measured, status: "failed", note: `${how}\n${run.stderrTail}`.trimEnd(), score: null };
  }
  if (!existsSync(resultPath)) {
    return { ...measured, status: "failed", note: `exit 0 but no result at ${resultPath}`, score: null };
  }
  if (!scored) return { ...measured, status: "ok", note: null, score: null };
  try {
    const figures = await score(options.sharedDir, dataset.truthPath, resultPath);
    return { ...measured, status: "ok", note: null, score: figures };
  } catch (error) {
    return { ...measured, status: "failed", note: (error as Error).message, score: null };
  }
}

function notRun(
  engine: EngineName,
  status: "failed" | "skipped",
  note: string,
  timeoutMs: number,
): EngineOutcome {
  return {
    engine,
    status,
    note,
    wallMs: null,
    peakRssMiB: null,
    cpuMs: null,
    timeoutMs,
    score: null,
    resultPath: null,
  };
}

/** <out>/runs/<data set>/<engine>.json: beside its data set's name, overwritten by each run. */
function resultFile(options: BenchOptions, dataset: Dataset, engine: string): string {
  const dir = join(options.outDir, "runs", basename(dataset.dir));
  mkdirSync(dir, { recursive: true });
  return join(dir, `${engine}.json`);
}
