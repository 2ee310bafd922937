// Generates a data set with the shared gen.mjs, or reuses one generated earlier.
//
// A data set's directory name carries a hash of gen.mjs and of the profile, so a changed
// generator or profile gets fresh data instead of stale figures. gen.mjs writes into a
// temporary directory that is renamed into place only when it succeeded: an interrupted run
// never leaves a half-written data set that a later run would reuse.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { runNode } from "./run-child.js";

export interface Dataset {
  readonly dir: string;
  /** bank.json, or bank.ndjson above 200,000 rows. */
  readonly bankPath: string;
  readonly expectedPath: string;
  readonly truthPath: string;
  readonly meta: DatasetMeta;
  readonly reused: boolean;
}

/** Written beside the data: the counts the report prints, so a reused set needs no re-reading. */
export interface DatasetMeta {
  readonly size: number;
  readonly seed: number;
  readonly profile: string;
  readonly bankRows: number;
  readonly expectedRows: number;
  readonly truthGroups: number;
  readonly truePairsByKind: Readonly<Record<string, number>>;
  readonly generateMs: number;
}

interface TruthFile {
  readonly groups: readonly {
    readonly bank: readonly string[];
    readonly expected: readonly string[];
    readonly kind: string;
  }[];
  readonly unmatched_bank: readonly string[];
  readonly unmatched_expected: readonly string[];
}

/** gen.mjs at a million rows takes tens of seconds; this bound only catches a hung generator. */
const GENERATE_TIMEOUT_MS = 15 * 60 * 1000;
const META_FILE = "meta.json";

export interface DatasetRequest {
  readonly sharedDir: string;
  readonly outDir: string;
  readonly size: number;
  readonly seed: number;
  readonly profilePath: string | null;
}

export async function ensureDataset(
  request: DatasetRequest,
  progress: (line: string) => void,
): Promise<Dataset> {
  const { sharedDir, size, seed, profilePath } = request;
  const dir = join(request.outDir, "data", datasetKey(request));
  const metaPath = join(dir, META_FILE);
  if (existsSync(metaPath)) {
    progress(`size ${size} seed ${seed}: reusing data set ${dir}`);
    return describe(dir, JSON.parse(readFileSync(metaPath, "utf8")) as DatasetMeta, true);
  }
  progress(`size ${size} seed ${seed}: generating data set in ${dir}`);
  const tmpDir = `${dir}.tmp-${process.pid}`;
  rmSync(tmpDir, { recursive: true, force: true });
  mkdirSync(tmpDir, { recursive: true });
  const args = [join(sharedDir, "gen.mjs"), "--size", String(size), "--seed", String(seed), "--out", tmpDir];
  if (profilePath !== null) args.push("--profile", profilePath);
  const run = await runNode({ args, timeoutMs: GENERATE_TIMEOUT_MS });
  if (run.status !== "ok") {
    rmSync(tmpDir, { recursive: true, force: true });
    throw new Error(`gen.mjs ${run.status} (exit ${run.exitCode ?? run.signal}):\n${run.stderrTail}`);
  }
  const meta = countTruth(tmpDir, request, profileName(profilePath), run.wallMs);
  writeFileSync(join(tmpDir, META_FILE), JSON.stringify(meta, null, 2));
  rmSync(dir, { recursive: true, force: true });
  renameSync(tmpDir, dir);
  return describe(dir, meta, false);
}

function describe(dir: string, meta: DatasetMeta, reused: boolean): Dataset {
  const ndjson = join(dir, "bank.ndjson");
  return {
    dir,
    bankPath: existsSync(ndjson) ? ndjson : join(dir, "bank.json"),
    expectedPath: join(dir, "expected.csv"),
    truthPath: join(dir, "truth.json"),
    meta,
    reused,
  };
}

/** Every generated row is in exactly one truth group or unmatched list, so truth gives the counts. */
function countTruth(dir: string, request: DatasetRequest, profile: string, generateMs: number): DatasetMeta {
  const truth = JSON.parse(readFileSync(join(dir, "truth.json"), "utf8")) as TruthFile;
  let bankRows = truth.unmatched_bank.length;
  let expectedRows = truth.unmatched_expected.length;
  const truePairsByKind: Record<string, number> = {};
  for (const group of truth.groups) {
    bankRows += group.bank.length;
    expectedRows += group.expected.length;
    truePairsByKind[group.kind] =
      (truePairsByKind[group.kind] ?? 0) + group.bank.length * group.expected.length;
  }
  return {
    size: request.size,
    seed: request.seed,
    profile,
    bankRows,
    expectedRows,
    truthGroups: truth.groups.length,
    truePairsByKind,
    generateMs: Math.round(generateMs),
  };
}

/** size-10000-seed-7-public-1a2b3c4d: readable, and changes when gen.mjs or the profile does. */
function datasetKey({ sharedDir, size, seed, profilePath }: DatasetRequest): string {
  const hash = createHash("sha256");
  hash.update(readFileSync(join(sharedDir, "gen.mjs")));
  // gen.mjs's default profile is profiles/public.json beside it; hash whichever is used
  hash.update(readFileSync(profilePath ?? join(sharedDir, "profiles", "public.json")));
  return `size-${size}-seed-${seed}-${profileName(profilePath)}-${hash.digest("hex").slice(0, 8)}`;
}

function profileName(profilePath: string | null): string {
  const name = profilePath === null ? "public" : basename(profilePath).replace(/\.json$/, "");
  return name.replace(/[^A-Za-z0-9_-]/g, "_");
}
