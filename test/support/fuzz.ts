import { createContext, runInContext } from "node:vm";
import { BankrecError } from "../../src/errors/index.js";

/**
 * A small seeded byte-level fuzzer for the readers: each case takes a seed file, applies one to
 * five mutations (flip a bit, set or insert bytes, delete or duplicate a chunk, truncate, splice
 * in a piece of another seed) and hands the bytes to a reader. The reader must return, or throw
 * one of bankrec's own errors (a BankrecError: ImportError, InputError); anything else (a
 * TypeError, a RangeError, a case over its time) is a failure, reported with what reproduces it.
 *
 * Every case has its own seed, derived from the run's seed, the target's name and the case's
 * number, so one case replays alone: `BANKREC_FUZZ_SEED=<seed> BANKREC_FUZZ_CASE=<n>`.
 */

/** mulberry32: small, fast, and good enough to pick mutations; a uint32 per call. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/** FNV-1a over the parts: a case's seed from the run's seed, the target and the case number. */
export function caseSeed(runSeed: number, target: string, index: number): number {
  let h = 0x811c9dc5;
  for (const ch of `${runSeed >>> 0}:${target}:${index}`) {
    h ^= ch.charCodeAt(0);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** Bytes that mean something to one format or another: markup, separators, quotes, controls, UTF-8 and BOM pieces. */
const INTERESTING = [
  0x00, 0x09, 0x0a, 0x0d, 0x1b, 0x20, 0x22, 0x26, 0x27, 0x2c, 0x2d, 0x2e, 0x2f, 0x30, 0x31, 0x39, 0x3a, 0x3b,
  0x3c, 0x3d, 0x3e, 0x3f, 0x41, 0x43, 0x44, 0x5b, 0x5c, 0x5d, 0x7b, 0x7c, 0x7d, 0x7f, 0x80, 0xa0, 0xbb, 0xbf,
  0xc3, 0xe2, 0xef, 0xfe, 0xff,
];

/** Longer pieces worth inserting: tokens of the formats, numbers at the edges, deep nesting. */
const TOKENS = [
  "<STMTTRN>",
  "</STMTTRN>",
  "<TRNAMT>",
  "<DTPOSTED>",
  "<BANKTRANLIST>",
  "<Ntry>",
  "</Ntry>",
  '<Amt Ccy="EUR">',
  "<TxDtls>",
  "<![CDATA[",
  "&#x0;",
  "&amp;",
  ":61:",
  ":86:",
  ":60F:",
  ":62F:",
  ":20:",
  "{4:",
  "-}",
  '"amount":',
  '"transaction_id":',
  '"date":"2025-02-30"',
  "null",
  "1e309",
  "-0",
  "9007199254740993",
  "99999999999999999999.99",
  "[[[[[[[[[[[[[[[[",
  "{{{{{{{{",
  '""',
  '","',
  ";;;;",
  "\r\n",
  "\ufeff",
  "\ud800",
];

/** One mutation, applied and described (`insert@40 3c 2f`), so a failure says what was done. */
type Mutator = (
  bytes: Buffer,
  random: () => number,
  seeds: readonly Buffer[],
) => { bytes: Buffer; what: string };

const below = (random: () => number, n: number) => (n <= 0 ? 0 : random() % n);
const hexOf = (bytes: Uint8Array) =>
  [...bytes.subarray(0, 24)].map((b) => b.toString(16).padStart(2, "0")).join(" ") +
  (bytes.length > 24 ? " …" : "");

function someBytes(random: () => number): Buffer {
  const pick = below(random, 3);
  if (pick === 0) return Buffer.from([INTERESTING[below(random, INTERESTING.length)] as number]);
  if (pick === 1) return Buffer.from(TOKENS[below(random, TOKENS.length)] as string, "utf8");
  return Buffer.from(Array.from({ length: 1 + below(random, 16) }, () => below(random, 256)));
}

const MUTATORS: readonly (readonly [string, Mutator])[] = [
  [
    "flip",
    (bytes, random) => {
      const out = Buffer.from(bytes);
      const at = below(random, out.length);
      const bit = below(random, 8);
      if (out.length > 0) out[at] = (out[at] as number) ^ (1 << bit);
      return { bytes: out, what: `flip@${at} bit ${bit}` };
    },
  ],
  [
    "set",
    (bytes, random) => {
      const out = Buffer.from(bytes);
      const at = below(random, out.length);
      const value =
        below(random, 2) === 0
          ? (INTERESTING[below(random, INTERESTING.length)] as number)
          : below(random, 256);
      if (out.length > 0) out[at] = value;
      return { bytes: out, what: `set@${at} ${value.toString(16)}` };
    },
  ],
  [
    "insert",
    (bytes, random) => {
      const at = below(random, bytes.length + 1);
      const piece = someBytes(random);
      return {
        bytes: Buffer.concat([bytes.subarray(0, at), piece, bytes.subarray(at)]),
        what: `insert@${at} ${hexOf(piece)}`,
      };
    },
  ],
  [
    "delete",
    (bytes, random) => {
      const at = below(random, bytes.length);
      const length = 1 + below(random, 64);
      return {
        bytes: Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + length)]),
        what: `delete@${at} ${length}`,
      };
    },
  ],
  [
    "duplicate",
    (bytes, random) => {
      const from = below(random, bytes.length);
      const length = 1 + below(random, Math.min(512, Math.max(1, bytes.length - from)));
      const to = below(random, bytes.length + 1);
      const times = 1 + (below(random, 4) === 0 ? below(random, 16) : 0);
      const chunk = bytes.subarray(from, from + length);
      const copies = Buffer.concat(Array.from({ length: times }, () => chunk));
      return {
        bytes: Buffer.concat([bytes.subarray(0, to), copies, bytes.subarray(to)]),
        what: `duplicate ${from}+${length} ×${times} @${to}`,
      };
    },
  ],
  [
    "truncate",
    (bytes, random) => {
      const at = below(random, bytes.length + 1);
      return { bytes: bytes.subarray(0, at), what: `truncate@${at}` };
    },
  ],
  [
    "splice",
    (bytes, random, seeds) => {
      const other = seeds[below(random, seeds.length)] ?? bytes;
      const from = below(random, other.length);
      const length = 1 + below(random, 256);
      const at = below(random, bytes.length + 1);
      const cut = below(random, 64);
      const piece = other.subarray(from, from + length);
      return {
        bytes: Buffer.concat([bytes.subarray(0, at), piece, bytes.subarray(at + cut)]),
        what: `splice@${at}-${cut} from a seed ${from}+${piece.length}`,
      };
    },
  ],
];

/** Inputs never grow past this: a case is about structure, not size (the size bounds have their own tests). */
const CASE_BYTES_MAX = 256 * 1024;

export interface FuzzCase {
  readonly index: number;
  readonly seed: number;
  readonly seedFile: string;
  readonly mutations: readonly string[];
  readonly bytes: Buffer;
}

/** The bytes of one case: a seed file and its mutations, all from the case's own seed. */
export function makeCase(
  target: string,
  seeds: readonly { readonly name: string; readonly bytes: Buffer }[],
  runSeed: number,
  index: number,
): FuzzCase {
  const seed = caseSeed(runSeed, target, index);
  const random = prng(seed);
  const start = seeds[below(random, seeds.length)];
  if (start === undefined) throw new Error(`fuzz target ${target} has no seed files`);
  let bytes = start.bytes;
  const mutations: string[] = [];
  const rounds = 1 + below(random, 5);
  for (let i = 0; i < rounds; i++) {
    const [, mutator] = MUTATORS[below(random, MUTATORS.length)] as (typeof MUTATORS)[number];
    const done = mutator(
      bytes,
      random,
      seeds.map((s) => s.bytes),
    );
    bytes = done.bytes.length > CASE_BYTES_MAX ? done.bytes.subarray(0, CASE_BYTES_MAX) : done.bytes;
    mutations.push(done.what);
  }
  return { index, seed, seedFile: start.name, mutations, bytes };
}

export interface FuzzTarget {
  readonly name: string;
  readonly seeds: readonly { readonly name: string; readonly bytes: Buffer }[];
  /** Reads the bytes as the reader under test would a file. */
  readonly read: (bytes: Buffer) => unknown;
  /**
   * Known crashes in code this suite may not fix, by a reason that names the report; a case the
   * predicate matches is counted as skipped, not failed.
   */
  readonly knownCrash?: (error: unknown) => string | undefined;
}

export interface FuzzFailure {
  readonly case: FuzzCase;
  readonly problem: string;
}

export interface FuzzReport {
  readonly cases: number;
  readonly read: number;
  readonly refused: number;
  readonly skipped: ReadonlyMap<string, number>;
  readonly failures: readonly FuzzFailure[];
  readonly slowestMs: number;
}

export interface FuzzSettings {
  readonly runSeed: number;
  readonly cases: number;
  /** One case over this is a failure. */
  readonly caseMsMax: number;
  /** Only this case (to replay one). */
  readonly only?: number;
}

/** Cases run in batches inside a `vm` timeout, which stops even a loop that never yields. */
const BATCH_CASES = 100;

/**
 * Runs the cases and sorts each outcome: read, refused with a BankrecError, a known crash
 * (skipped), or a failure. A batch that runs past its time is replayed case by case to find the
 * one that hangs.
 */
export function runFuzz(target: FuzzTarget, settings: FuzzSettings): FuzzReport {
  const indexes =
    settings.only === undefined ? Array.from({ length: settings.cases }, (_, i) => i) : [settings.only];
  const report = { read: 0, refused: 0, slowestMs: 0 };
  const skipped = new Map<string, number>();
  const failures: FuzzFailure[] = [];
  const record = (c: FuzzCase, result: CaseResult) => {
    report.slowestMs = Math.max(report.slowestMs, result.ms);
    if (result.kind === "failed") failures.push({ case: c, problem: result.problem });
    else if (result.kind === "skipped") skipped.set(result.reason, (skipped.get(result.reason) ?? 0) + 1);
    else if (result.kind === "read") report.read++;
    else report.refused++;
  };
  for (let from = 0; from < indexes.length; from += BATCH_CASES) {
    const batch = indexes
      .slice(from, from + BATCH_CASES)
      .map((i) => makeCase(target.name, target.seeds, settings.runSeed, i));
    const results: CaseResult[] = [];
    const runBatch = () => {
      for (const c of batch) results.push(runCase(target, c, settings));
    };
    if (withTimeout(runBatch, settings.caseMsMax * batch.length)) {
      for (const [i, c] of batch.entries()) record(c, results[i] as CaseResult);
      continue;
    }
    // Past the batch's time: replay each case alone, so the one that hangs is named.
    for (const c of batch) {
      let result: CaseResult | undefined;
      const limitMs = settings.caseMsMax * 4;
      if (!withTimeout(() => (result = runCase(target, c, settings)), limitMs))
        result = { kind: "failed", problem: `did not finish within ${limitMs} ms (a hang)`, ms: limitMs };
      record(c, result as CaseResult);
    }
  }
  return { cases: indexes.length, ...report, skipped, failures };
}

type CaseResult =
  | { readonly kind: "read" | "refused"; readonly ms: number }
  | { readonly kind: "skipped"; readonly reason: string; readonly ms: number }
  | { readonly kind: "failed"; readonly problem: string; readonly ms: number };

function runCase(target: FuzzTarget, c: FuzzCase, settings: FuzzSettings): CaseResult {
  const started = performance.now();
  let result: CaseResult;
  try {
    target.read(c.bytes);
    result = { kind: "read", ms: 0 };
  } catch (error) {
    const known = error instanceof BankrecError ? undefined : target.knownCrash?.(error);
    result =
      error instanceof BankrecError
        ? { kind: "refused", ms: 0 }
        : known !== undefined
          ? { kind: "skipped", reason: known, ms: 0 }
          : { kind: "failed", problem: `threw ${describeError(error)}`, ms: 0 };
  }
  const ms = performance.now() - started;
  if (result.kind !== "failed" && ms > settings.caseMsMax)
    return { kind: "failed", problem: `took ${ms.toFixed(0)} ms (bound ${settings.caseMsMax} ms)`, ms };
  return { ...result, ms };
}

/** Runs `run`, stopping it (even mid-loop) after `ms`; false when it was stopped. */
function withTimeout(run: () => void, ms: number): boolean {
  const context = createContext({ run });
  try {
    runInContext("run()", context, { timeout: Math.max(1, Math.ceil(ms)) });
    return true;
  } catch (error) {
    if ((error as { code?: unknown }).code === "ERR_SCRIPT_EXECUTION_TIMEOUT") return false;
    throw error;
  }
}

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const at = error.stack?.split("\n").find((line) => line.includes("/src/")) ?? "";
  return `${error.name}: ${error.message}${at === "" ? "" : ` (${at.trim()})`}`;
}

/** A failure as the lines a person needs to replay and fix it. */
export function describeFailure(target: string, runSeed: number, failure: FuzzFailure): string {
  const c = failure.case;
  const bytes = c.bytes;
  return [
    `${target} case ${c.index} (case seed ${c.seed}): ${failure.problem}`,
    `  replay: BANKREC_FUZZ_SEED=${runSeed} BANKREC_FUZZ_CASE=${c.index} npx vitest run test/importers-fuzz.test.ts -t ${target}`,
    `  seed file ${c.seedFile}; mutations: ${c.mutations.join(", ")}`,
    `  input (${bytes.length} bytes, base64): ${bytes.length <= 4096 ? bytes.toString("base64") : `${bytes.subarray(0, 4096).toString("base64")}…`}`,
  ].join("\n");
}
