// Command-line options of `npm run bench`, and where the shared data generator and scorer live.
import { existsSync, readdirSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

export type BenchPart = "reconcile" | "import" | "sync" | "store" | "spending" | "workflow";

export interface BenchOptions {
  readonly parts: readonly BenchPart[];
  /** Entries per statement file in the import part. */
  readonly importEntries: number;
  /** Transactions of the emulator item in the sync and store parts. */
  readonly syncSize: number;
  /** Stored transactions the spending part reports over. */
  readonly spendingSize: number;
  /** gen.mjs's --size for the workflow part's year of books. */
  readonly workflowSize: number;
  readonly sharedDir: string;
  readonly sizes: readonly number[];
  readonly seeds: readonly number[];
  /** Generator profiles, each run at every size × seed: public first, then ours, by name. */
  readonly profiles: readonly Profile[];
  /** Also run bankrec with `--settlements` and a payout report derived from the truth. */
  readonly withSettlements: boolean;
  readonly seedPortEnabled: boolean;
  /** Above this many expected rows the quadratic seed port is skipped (it cannot finish in a minute). */
  readonly seedPortSizeMax: number;
  /** bankrec's --threads; null: its default (the machine's). */
  readonly threads: number | null;
  readonly outDir: string;
  readonly jsonPath: string | null;
  readonly repoRoot: string;
}

export interface Profile {
  /** The data set's name part: the file's name without .json (`public` for the shared one). */
  readonly name: string;
  /** null: gen.mjs's own default, the shared profiles/public.json. */
  readonly path: string | null;
}

/** A bad command line or a missing shared dir: main prints the message alone and exits 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

export const usage = `usage: npm run bench -- [options]
  --part LIST       reconcile, import, sync, store, spending, workflow; comma list (default all six)
  --import-entries N entries per statement file in the import part (default 100000)
  --sync-size N     transactions synced from the emulator in the sync and store parts (default 100000)
  --spending-size N stored transactions the spending part reports over (default 1000000)
  --workflow-size N gen.mjs --size of the workflow part's year of books (default 100000)
  --size N          expected rows per data set; repeat or comma list (default 1000,10000,100000)
  --seed N          generator seed; repeat or comma list (default 7)
  --profile LIST    generator profiles: files, or names (public: the shared one; NAME: bench/profiles/
                    NAME.json); repeat or comma list (default public and every bench/profiles/*.json)
  --with-settlements run bankrec a second time with --settlements and a payout report derived
                    from the truth (payouts.csv in the data set), reported as "with payout report"
  --shared DIR      shared bench dir holding gen.mjs and score.mjs
                    (default $BANKREC_BENCH_DIR, else ../shared/bench from the repo root)
  --no-seed-port    do not run the port of the seed's loop (it runs on the public profile only)
  --seed-port-max N largest size the seed port runs at (default 100000; it is quadratic)
  --threads N       bankrec's --threads (default: bankrec's own, the machine's CPUs)
  --out DIR         data sets and results (default .bench/ in the repo root)
  --json FILE       also write every figure as JSON
env: BANKREC_BENCH_CLI=FILE runs FILE instead of dist/src/cli/main.js (a stand-in engine)`;

const SIZES_DEFAULT = [1_000, 10_000, 100_000];
const SEEDS_DEFAULT = [7];
const SEED_PORT_SIZE_MAX_DEFAULT = 100_000;
/** gen.mjs has no upper bound; this one keeps a typo (an extra zero) from filling the disk. */
const SIZE_MAX = 10_000_000;

/** dist/bench/main.js → the repo root is two levels up. */
export function repoRootFromHere(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
}

export function parseOptions(argv: readonly string[], env: NodeJS.ProcessEnv): BenchOptions | "help" {
  const { values } = parseArgsOrThrow(argv);
  if (values.help === true) return "help";
  const parts = values.part ? parseParts(values.part) : PARTS;
  const repoRoot = repoRootFromHere();
  const sizes = values.size ? parseIntegerList(values.size, "--size", 1, SIZE_MAX) : SIZES_DEFAULT;
  const seeds = values.seed ? parseIntegerList(values.seed, "--seed", 0, 2 ** 32 - 1) : SEEDS_DEFAULT;
  const seedPortSizeMax =
    values["seed-port-max"] === undefined
      ? SEED_PORT_SIZE_MAX_DEFAULT
      : parseInteger(values["seed-port-max"], "--seed-port-max", 0, SIZE_MAX);
  const profiles = values.profile ? parseProfiles(values.profile, repoRoot) : defaultProfiles(repoRoot);
  return {
    parts,
    importEntries:
      values["import-entries"] === undefined
        ? 100_000
        : parseInteger(values["import-entries"], "--import-entries", 1, SIZE_MAX),
    spendingSize:
      values["spending-size"] === undefined
        ? 1_000_000
        : parseInteger(values["spending-size"], "--spending-size", 1, 2_000_000),
    workflowSize:
      values["workflow-size"] === undefined
        ? 100_000
        : parseInteger(values["workflow-size"], "--workflow-size", 100, 1_000_000),
    syncSize:
      values["sync-size"] === undefined
        ? 100_000
        : parseInteger(values["sync-size"], "--sync-size", 1, SIZE_MAX),
    // Only the reconcile and workflow parts need the shared generator (and scorer).
    sharedDir:
      parts.includes("reconcile") || parts.includes("workflow")
        ? locateSharedDir(values.shared, env, repoRoot)
        : "",
    sizes,
    seeds,
    profiles,
    withSettlements: values["with-settlements"] === true,
    seedPortEnabled: values["no-seed-port"] !== true,
    seedPortSizeMax,
    threads: values.threads === undefined ? null : parseInteger(values.threads, "--threads", 1, 64),
    outDir: resolve(values.out ?? join(repoRoot, ".bench")),
    jsonPath: values.json === undefined ? null : resolve(values.json),
    repoRoot,
  };
}

function parseArgsOrThrow(argv: readonly string[]) {
  try {
    return parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        part: { type: "string", multiple: true },
        "import-entries": { type: "string" },
        "sync-size": { type: "string" },
        "spending-size": { type: "string" },
        "workflow-size": { type: "string" },
        size: { type: "string", multiple: true },
        seed: { type: "string", multiple: true },
        profile: { type: "string", multiple: true },
        "with-settlements": { type: "boolean" },
        shared: { type: "string" },
        "no-seed-port": { type: "boolean" },
        "seed-port-max": { type: "string" },
        threads: { type: "string" },
        out: { type: "string" },
        json: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (error) {
    throw new UsageError(`bench: ${(error as Error).message}\n${usage}`);
  }
}

/** --shared, else $BANKREC_BENCH_DIR, else ../shared/bench beside the repo; it must hold both scripts. */
function locateSharedDir(flag: string | undefined, env: NodeJS.ProcessEnv, repoRoot: string): string {
  const [dir, source] =
    flag !== undefined
      ? [resolve(flag), "--shared"]
      : env.BANKREC_BENCH_DIR
        ? [resolve(env.BANKREC_BENCH_DIR), "BANKREC_BENCH_DIR"]
        : [resolve(repoRoot, "..", "shared", "bench"), "default ../shared/bench from the repo root"];
  if (!existsSync(dir))
    throw new UsageError(`bench: shared bench dir not found: looked in ${dir} (${source})`);
  const missing = ["gen.mjs", "score.mjs"].filter((file) => !existsSync(join(dir, file)));
  if (missing.length > 0) {
    throw new UsageError(
      `bench: shared bench dir not usable: ${dir} (${source}) lacks ${missing.join(", ")}`,
    );
  }
  return dir;
}

/** Our own generator profiles live in bench/profiles/ (the source tree's, beside this file's source). */
function profilesDir(repoRoot: string): string {
  return join(repoRoot, "bench", "profiles");
}

const PUBLIC: Profile = { name: "public", path: null };

function defaultProfiles(repoRoot: string): Profile[] {
  return [PUBLIC, ...ownProfileNames(repoRoot).map((name) => resolveProfile(name, repoRoot))];
}

function ownProfileNames(repoRoot: string): string[] {
  const dir = profilesDir(repoRoot);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((file) => file.endsWith(".json"))
    .map((file) => file.slice(0, -".json".length))
    .sort();
}

/** "public,cafe-square" or repeated flags; the same profile twice runs once. */
function parseProfiles(raw: readonly string[], repoRoot: string): Profile[] {
  const profiles = raw
    .flatMap((item) => item.split(","))
    .map((item) => item.trim())
    .filter((item) => item !== "")
    .map((item) => resolveProfile(item, repoRoot));
  const seen = new Set<string>();
  return profiles.filter((p) => {
    const key = p.path ?? p.name;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** A path (it has a slash or ends in .json), `public`, or the name of a file in bench/profiles/. */
function resolveProfile(item: string, repoRoot: string): Profile {
  if (item === "public") return PUBLIC;
  const isPath = item.includes("/") || item.includes("\\") || item.endsWith(".json");
  const path = isPath ? resolve(item) : join(profilesDir(repoRoot), `${item}.json`);
  if (!existsSync(path)) {
    const names = ["public", ...ownProfileNames(repoRoot)].join(", ");
    throw new UsageError(`bench: profile not found: ${path} (names: ${names}; or give a file)`);
  }
  return { name: basename(path).replace(/\.json$/, ""), path };
}

const PARTS: readonly BenchPart[] = ["reconcile", "import", "sync", "store", "spending", "workflow"];

function parseParts(raw: readonly string[]): BenchPart[] {
  const names = raw
    .flatMap((item) => item.split(","))
    .map((item) => item.trim())
    .filter((item) => item !== "");
  for (const name of names) {
    if (!(PARTS as readonly string[]).includes(name))
      throw new UsageError(`bench: --part wants ${PARTS.join(", ")}; got "${name}"`);
  }
  return PARTS.filter((part) => names.includes(part));
}

/** "1000,10000" or repeated flags; a k/m suffix is accepted because sizes are long numbers. */
function parseIntegerList(raw: readonly string[], flag: string, min: number, max: number): number[] {
  const values = raw.flatMap((item) => item.split(",")).filter((item) => item.trim() !== "");
  const parsed = values.map((item) => parseInteger(item, flag, min, max));
  return [...new Set(parsed)];
}

function parseInteger(raw: string, flag: string, min: number, max: number): number {
  const match = /^(\d+)([kKmM]?)$/.exec(raw.trim().replaceAll("_", ""));
  const multiplier = match?.[2] === "" ? 1 : match?.[2]?.toLowerCase() === "k" ? 1_000 : 1_000_000;
  const value = match ? Number(match[1]) * multiplier : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new UsageError(`bench: ${flag} wants an integer from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}
