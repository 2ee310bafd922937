import { execFileSync, spawn, spawnSync } from "node:child_process";
import { createWriteStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeOfx } from "../src/importers/statement-writer.js";
import { builtCli } from "./support/built-cli.js";

/**
 * The built CLI on inputs that have no sensible end: /dev/zero, a pipe that never stops, a
 * 200 MB file of NULs, a 10 MB line, a 100 MB ledger whose every row is bad. Each run must stop
 * on its own, exit 3 with a short message, and keep its peak memory (the kernel's high-water
 * mark of every bankrec process, a relaunched child included) far below the input's size.
 * Before these bounds, `import /dev/zero` grew to 15 GB and a 200 MB header of NULs came back
 * whole on stderr. BANKREC_BOUNDS_REPORT=1 prints each run's time, stderr size and peak RSS.
 */
const MIB = 2 ** 20;
/** A Node process with bankrec loaded is some 60–80 MiB; a run that stops early stays near that. */
const EARLY_STOP_RSS_MAX = 200 * MIB;
const RUN_MS_MAX = 60_000;

let bin: string;
let scratch: string;
const rssReporter = fileURLToPath(new URL("./support/report-max-rss.mjs", import.meta.url));

beforeAll(() => {
  bin = builtCli();
  scratch = mkdtempSync(join(tmpdir(), "bankrec-bounds-"));
  const entries = [{ amountMinor: -100, date: "2025-01-01", description: "Coffee", bankId: "B1" }];
  const statement = {
    accountId: "1",
    currency: "USD",
    openingMinor: 0,
    fromDate: "2025-01-01",
    toDate: "2025-01-01",
    entries,
  };
  writeFileSync(join(scratch, "bank.ofx"), writeOfx([statement]));
  writeFileSync(join(scratch, "ledger.csv"), "id,date,amount\nE1,2025-01-01,1.00\n");
}, 180_000);

afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** The largest peak RSS of the bankrec processes the run started. */
  readonly peakRssBytes: number;
  readonly ms: number;
}

function bankrec(args: readonly string[]): Run {
  const rssFile = join(scratch, `rss-${Date.now()}-${Math.random()}`);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NO_COLOR: "1",
    BANKREC_DATA_DIR: scratch,
    BANKREC_MAX_RSS_FILE: rssFile,
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --import ${JSON.stringify(rssReporter)}`.trim(),
  };
  delete env.BANKREC_DEBUG;
  const started = performance.now();
  const run = spawnSync(process.execPath, [bin, ...args], {
    cwd: scratch,
    env,
    encoding: "utf8",
    timeout: RUN_MS_MAX,
    maxBuffer: 64 * MIB,
  });
  const ms = performance.now() - started;
  if (process.env.BANKREC_BOUNDS_REPORT)
    console.info(
      `${args.join(" ")}: exit ${run.status}, ${Math.round(ms)} ms, stderr ${run.stderr.length} B`,
    );
  const peaks = readFileSync(rssFile, "utf8")
    .trim()
    .split("\n")
    .map((line) => Number(line.split(" ")[1]) * 1024);
  const peakRssBytes = Math.max(...peaks);
  if (process.env.BANKREC_BOUNDS_REPORT) console.info(`  peak RSS ${(peakRssBytes / MIB).toFixed(0)} MiB`);
  return { code: run.status, stdout: run.stdout, stderr: run.stderr, peakRssBytes, ms };
}

function expectStoppedEarly(run: Run, stderr: RegExp): void {
  expect(run.code, run.stderr.slice(0, 500)).toBe(3);
  expect(run.stderr).toMatch(stderr);
  expect(run.stderr.length).toBeLessThan(300);
  expect(run.peakRssBytes).toBeLessThan(EARLY_STOP_RSS_MAX);
}

/** Writes `bytes` of what `piece` repeats, about a megabyte (whole pieces) at a time. */
async function generate(name: string, bytes: number, piece: Buffer): Promise<string> {
  const path = join(scratch, name);
  const block = Buffer.alloc(piece.length * Math.max(1, Math.floor(MIB / piece.length)), piece);
  const out = createWriteStream(path);
  for (let written = 0; written < bytes; written += block.length) {
    if (!out.write(block.subarray(0, Math.min(block.length, bytes - written))))
      await new Promise<void>((resolve) => out.once("drain", () => resolve()));
  }
  await new Promise<void>((resolve, reject) =>
    out.end((error?: Error | null) => (error ? reject(error) : resolve())),
  );
  return path;
}

describe("inputs without a sensible end stop early, in little memory, with a short message", () => {
  it("a device: import /dev/zero, reconcile --bank /dev/zero, --expected /dev/zero", () => {
    const device = /^bankrec: \/dev\/zero: is a character device, not a file/;
    expectStoppedEarly(bankrec(["import", "/dev/zero", "--dry-run"]), device);
    expectStoppedEarly(bankrec(["reconcile", "--bank", "/dev/zero", "--expected", "ledger.csv"]), device);
    expectStoppedEarly(bankrec(["reconcile", "--bank", "bank.ofx", "--expected", "/dev/zero"]), device);
  });

  it("a pipe that never ends, as a ledger and as a statement", async () => {
    for (const [args, message] of [
      [["reconcile", "--bank", "bank.ofx", "--expected"], /:1: line is longer than 1,048,576 characters\n$/],
      [["import"], /: is not a statement file bankrec reads/],
    ] as const) {
      const fifo = join(scratch, `endless-${args.length}.fifo`);
      execFileSync("mkfifo", [fifo]);
      const writer = spawn("sh", ["-c", 'cat /dev/zero > "$1"', "sh", fifo], { stdio: "ignore" });
      try {
        expectStoppedEarly(bankrec([...args, fifo]), message);
      } finally {
        writer.kill();
      }
    }
  });

  it("a 200 MB file of NULs, as a statement and as a ledger: no 200 MB echo", async () => {
    const zeros = await generate("zeros.csv", 200 * MIB, Buffer.from([0]));
    const line = /zeros\.csv:1: line is longer than 1,048,576 characters\n$/;
    expectStoppedEarly(bankrec(["import", zeros, "--dry-run"]), line);
    expectStoppedEarly(bankrec(["reconcile", "--bank", "bank.ofx", "--expected", zeros]), line);
    rmSync(zeros);
  });

  it("a 10 MB line, as a statement and as a ledger", async () => {
    const long = await generate("long.csv", 10 * MIB, Buffer.from("a"));
    const line = /long\.csv:1: line is longer than 1,048,576 characters\n$/;
    expectStoppedEarly(bankrec(["import", long, "--dry-run"]), line);
    expectStoppedEarly(bankrec(["reconcile", "--bank", "bank.ofx", "--expected", long]), line);
  });

  it("a 100 MB ledger whose every row is bad: read through, 50 listed, memory bounded by the file", async () => {
    const row = Buffer.from(`E,2025-01-01,not-a-number,${"d".repeat(1000)}\n`);
    const path = join(scratch, "bad-rows.csv");
    writeFileSync(path, "id,date,amount,description\n");
    const rowCount = Math.floor((100 * MIB) / row.length);
    const rows = await generate("rows.part", rowCount * row.length, row);
    execFileSync("sh", ["-c", 'cat "$1" >> "$2" && rm "$1"', "sh", rows, path]);
    const run = bankrec(["reconcile", "--bank", "bank.ofx", "--expected", path]);
    expect(run.code).toBe(3);
    const lines = run.stderr.trimEnd().split("\n");
    expect(lines[0]).toBe(
      `bankrec: ${path}: ${rowCount.toLocaleString("en-US")} rows are bad, the first 50:`,
    );
    expect(lines).toHaveLength(51);
    expect(run.stderr.length).toBeLessThan(8 * 1024);
    // The file is read whole (bytes and text) and nothing of a bad row is kept.
    expect(run.peakRssBytes).toBeLessThan(3 * 100 * MIB + EARLY_STOP_RSS_MAX);
  });
});
