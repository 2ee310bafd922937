import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BankTransaction, ExpectedEntry } from "../domain/index.js";
import { ImportError } from "../errors/index.js";
import type { Match, ReconcileOptions, ReconcileResult } from "../reconcile/index.js";
import { RESULT_CSV_COLUMNS } from "../reconcile/result-json.js";
import { type CaptureOptions, captureContext } from "./capture.js";
import { demoPaths } from "./commands/demo.js";
import { defaultThreads } from "./options.js";
import { packageInfo } from "./package-root.js";
import { runCli } from "./program.js";

/**
 * A stand-in engine so that these tests check the CLI, not the matching: each bank row takes the
 * first unused ledger row with the same amount and currency; pending rows need review.
 */
function standInReconcile(
  bank: readonly BankTransaction[],
  expected: readonly ExpectedEntry[],
  _options: ReconcileOptions = {},
): ReconcileResult {
  const used = new Set<string>();
  const matches: Match[] = [];
  const unmatchedBank: BankTransaction[] = [];
  for (const b of bank) {
    const e = expected.find(
      (x) => !used.has(x.id) && x.amountMinor === b.amountMinor && x.currency === b.currency,
    );
    if (e === undefined) {
      unmatchedBank.push(b);
      continue;
    }
    used.add(e.id);
    matches.push({
      kind: "one_to_one",
      bankTransactionIds: [b.id],
      expectedIds: [e.id],
      confidence: b.pending ? 0.5 : 0.9,
      reasons: [{ feature: "amount", contribution: 1, detail: "same amount" }],
      amountDifferenceMinor: 0,
      currency: b.currency,
      pending: b.pending,
      needsReview: b.pending,
    });
  }
  const unmatchedExpected = expected.filter((e) => !used.has(e.id));
  const sum = (rows: readonly { amountMinor: number }[]) => rows.reduce((a, r) => a + r.amountMinor, 0);
  const needsReviewCount = matches.filter((m) => m.needsReview).length;
  return {
    status:
      needsReviewCount + unmatchedBank.length + unmatchedExpected.length === 0 ? "complete" : "needs_review",
    matches,
    unmatchedBank,
    unmatchedExpected,
    summary: {
      bankCount: bank.length,
      expectedCount: expected.length,
      matchCount: matches.length,
      matchedBankCount: matches.length,
      matchedExpectedCount: matches.length,
      unmatchedBankCount: unmatchedBank.length,
      unmatchedExpectedCount: unmatchedExpected.length,
      needsReviewCount,
      byKind: { one_to_one: matches.length, many_to_one: 0, one_to_many: 0 },
      totals: [
        {
          currency: "USD",
          bankMatchedMinor: sum(bank) - sum(unmatchedBank),
          bankUnmatchedMinor: sum(unmatchedBank),
          expectedMatchedMinor: sum(expected) - sum(unmatchedExpected),
          expectedUnmatchedMinor: sum(unmatchedExpected),
        },
      ],
    },
  };
}

const demo = demoPaths();
const bankArgs = ["reconcile", "--bank", demo.bankPath, "--expected", demo.expectedPath];

async function run(argv: readonly string[], options: CaptureOptions = {}) {
  const ctx = captureContext({ ...options, engine: { reconcile: standInReconcile, ...options.engine } });
  const code = await runCli(argv, ctx);
  return { code, stdout: ctx.stdout.text(), stderr: ctx.stderr.text() };
}

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), "bankrec-cli-"));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe("bankrec --version and --help", () => {
  it("prints the version from package.json and exits 0", async () => {
    const { code, stdout } = await run(["--version"]);
    expect(code).toBe(0);
    expect(stdout.trim()).toBe(packageInfo().version);
  });

  it("lists the commands and shows examples", async () => {
    const { code, stdout } = await run(["--help"]);
    expect(code).toBe(0);
    expect(stdout).toContain("reconcile [options]");
    expect(stdout).toContain("demo [options]");
    expect(stdout).toContain("$ bankrec demo");
  });

  it("documents every reconcile option in reconcile --help", async () => {
    const { code, stdout } = await run(["reconcile", "--help"]);
    expect(code).toBe(0);
    for (const flag of [
      "--bank",
      "--expected",
      "--out",
      "--format",
      "--currency",
      "--decimal-comma",
      "--window-before",
      "--window-after",
      "--tolerance",
      "--near-max-ratio",
      "--near-max",
      "--group-max",
      "--review-below",
      "--threads",
      "--only",
    ]) {
      expect(stdout).toContain(flag);
    }
    expect(stdout).toContain("Exit codes:");
  });

  it("exits 2 with the help on stderr when no command is given", async () => {
    const { code, stdout, stderr } = await run([]);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toContain("Usage: bankrec");
  });
});

describe("bad usage exits 2 with one line", () => {
  const cases: [string[], string][] = [
    [["--window-after", "x"], 'bankrec: --window-after must be a whole number of days, got "x"\n'],
    [["--window-before", "-1"], 'bankrec: --window-before must be a whole number of days, got "-1"\n'],
    [["--window-after", "400"], 'bankrec: --window-after must be between 0 and 366 days, got "400"\n'],
    [["--threads", "0"], 'bankrec: --threads must be between 1 and 64 threads, got "0"\n'],
    [["--tolerance", "abc"], 'bankrec: --tolerance must be an amount in USD such as 0.05, got "abc"\n'],
    [["--tolerance", "0.001"], 'bankrec: --tolerance must be an amount in USD such as 0.05, got "0.001"\n'],
    [["--tolerance", "-1"], 'bankrec: --tolerance must not be negative, got "-1"\n'],
    [
      ["--near-max", "1.5", "--currency", "JPY"],
      'bankrec: --near-max must be an amount in JPY such as 0.05, got "1.5"\n',
    ],
    [["--near-max-ratio", "1.5"], 'bankrec: --near-max-ratio must be a number from 0 to 1, got "1.5"\n'],
    [["--review-below", "high"], 'bankrec: --review-below must be a number from 0 to 1, got "high"\n'],
    [["--group-max", "0"], 'bankrec: --group-max must be between 1 and 12 rows, got "0"\n'],
    [["--group-max", "2.5"], 'bankrec: --group-max must be a whole number of rows, got "2.5"\n'],
    [
      ["--currency", "dollars"],
      'bankrec: --currency must be a 3-letter currency code such as USD, got "dollars"\n',
    ],
    [["--format", "xml"], 'bankrec: --format must be one of table, json, csv, got "xml"\n'],
    [["--only", "all"], 'bankrec: --only must be one of matched, review, unmatched, got "all"\n'],
    [["--json", "--format", "csv"], "bankrec: --json and --format csv disagree; give one of them\n"],
  ];

  it.each(cases)("rejects %j", async (extra, message) => {
    const { code, stdout, stderr } = await run([...bankArgs, ...extra]);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toBe(message);
  });

  it("checks options before reading any file", async () => {
    let reads = 0;
    const { code } = await run(
      ["reconcile", "--bank", "missing.json", "--expected", "x.csv", "--group-max", "x"],
      {
        engine: {
          readBankFile: async () => {
            reads += 1;
            return { accounts: [], transactions: [] };
          },
        },
      },
    );
    expect(code).toBe(2);
    expect(reads).toBe(0);
  });

  it("reports an unknown option in bankrec's words", async () => {
    const { code, stderr } = await run([...bankArgs, "--windw-after", "3"]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^bankrec: unknown option '--windw-after'.*--window-after.*\n$/);
    expect(stderr.split("\n")).toHaveLength(2);
  });

  it("reports a missing required option", async () => {
    const { code, stderr } = await run(["reconcile", "--bank", demo.bankPath]);
    expect(code).toBe(2);
    expect(stderr).toBe("bankrec: required option '--expected <file>' not specified\n");
  });

  it("refuses --out into a folder that does not exist", async () => {
    const { code, stderr } = await run([...bankArgs, "--out", join(scratch, "nope", "r.json")]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^bankrec: --out ".*r\.json": folder ".*nope" does not exist\n$/);
  });
});

describe("bad input exits 3 naming the file", () => {
  it("names a missing bank file", async () => {
    const missing = join(scratch, "no-such-bank.json");
    const { code, stdout, stderr } = await run([
      "reconcile",
      "--bank",
      missing,
      "--expected",
      demo.expectedPath,
    ]);
    expect(code).toBe(3);
    expect(stdout).toBe("");
    expect(stderr).toBe(`bankrec: ${missing}: file not found\n`);
  });

  it("names a missing ledger file before reading the bank feed", async () => {
    let reads = 0;
    const missing = join(scratch, "no-such-ledger.csv");
    const { code, stderr } = await run(["reconcile", "--bank", demo.bankPath, "--expected", missing], {
      engine: {
        readBankFile: async () => {
          reads += 1;
          return { accounts: [], transactions: [] };
        },
      },
    });
    expect(code).toBe(3);
    expect(stderr).toBe(`bankrec: ${missing}: file not found\n`);
    expect(reads).toBe(0);
  });

  it("passes a reader's ImportError through as one line", async () => {
    const { code, stderr } = await run(bankArgs, {
      engine: {
        readExpectedFile: async (path) => {
          throw new ImportError({ file: path, line: 17 }, 'amount "12,3x"\nis not a number');
        },
      },
    });
    expect(code).toBe(3);
    expect(stderr).toBe(`bankrec: ${demo.expectedPath}:17: amount "12,3x" is not a number\n`);
  });

  it("reports a malformed file with the reader's file:line message", async () => {
    const broken = join(scratch, "broken.csv");
    await writeFile(broken, "id,date,amount,currency,description\nA1,2025-03-01,12.3x,USD,Coffee\n");
    const { code, stderr } = await run(["reconcile", "--bank", demo.bankPath, "--expected", broken]);
    expect(code).toBe(3);
    expect(stderr).toMatch(
      new RegExp(`^bankrec: ${broken.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:2: .+\\n$`),
    );
  });
});

describe("unexpected errors exit 1", () => {
  const boom = () => {
    throw new TypeError("cannot read properties of undefined");
  };

  it("prints one line with a hint and no stack", async () => {
    const { code, stderr } = await run(bankArgs, { engine: { reconcile: boom } });
    expect(code).toBe(1);
    expect(stderr).toBe(
      "bankrec: unexpected error: cannot read properties of undefined (set BANKREC_DEBUG=1 to see the stack)\n",
    );
  });

  it("prints the stack when BANKREC_DEBUG=1", async () => {
    const { code, stderr } = await run(bankArgs, {
      engine: { reconcile: boom },
      env: { BANKREC_DEBUG: "1" },
    });
    expect(code).toBe(1);
    expect(stderr).toMatch(
      /^bankrec: unexpected error: cannot read properties of undefined\nTypeError: .*\n\s+at /,
    );
  });
});

describe("output formats", () => {
  it("writes JSON that parses and carries the contract's keys", async () => {
    const { code, stdout, stderr } = await run([...bankArgs, "--format", "json"]);
    expect(code).toBe(0);
    expect(stderr).toBe("");
    const json = JSON.parse(stdout);
    expect(Object.keys(json)).toEqual([
      "status",
      "summary",
      "matches",
      "unmatched_bank",
      "unmatched_expected",
      "ambiguous_settlements",
    ]);
    expect(json.matches.length).toBeGreaterThan(0);
    for (const match of json.matches) {
      expect(Array.isArray(match.bank_transaction_ids)).toBe(true);
      expect(Array.isArray(match.expected_ids)).toBe(true);
      expect(typeof match.amount_difference).toBe("string");
    }
    expect(json.summary.bank_count).toBe(42);
    expect(json.summary.expected_count).toBe(45);
  });

  it("takes --json as --format json", async () => {
    const { stdout } = await run([...bankArgs, "--json"]);
    expect(JSON.parse(stdout).status).toBeDefined();
  });

  it("writes CSV with the documented header", async () => {
    const { code, stdout } = await run([...bankArgs, "--format", "csv"]);
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split("\n");
    expect(lines[0]).toBe(RESULT_CSV_COLUMNS.join(","));
    expect(lines.some((l) => l.startsWith(",unmatched,,bank,"))).toBe(true);
  });

  it("writes a table with the four sections and the summary by default", async () => {
    const { code, stdout } = await run(bankArgs);
    expect(code).toBe(0);
    for (const heading of [
      "Matched (",
      "Needs review (",
      "Unmatched bank (",
      "Unmatched expected (",
      "Summary",
    ]) {
      expect(stdout).toContain(heading);
    }
    expect(stdout).toContain("Status  needs review");
    expect(stdout).not.toContain("\u001b[");
  });

  it("infers the format from the --out extension and writes nothing to stdout", async () => {
    for (const [name, check] of [
      ["r.json", (text: string) => expect(JSON.parse(text).matches).toBeDefined()],
      ["r.csv", (text: string) => expect(text.startsWith("match_no,status,")).toBe(true)],
      ["r.txt", (text: string) => expect(text).toContain("Unmatched bank (")],
    ] as const) {
      const out = join(scratch, name);
      const { code, stdout } = await run([...bankArgs, "--out", out]);
      expect(code).toBe(0);
      expect(stdout).toBe("");
      check(await readFile(out, "utf8"));
    }
    expect((await readdir(scratch)).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  it("lets --format win over the --out extension", async () => {
    const out = join(scratch, "report.json");
    await run([...bankArgs, "--out", out, "--format", "csv"]);
    expect((await readFile(out, "utf8")).startsWith("match_no,")).toBe(true);
  });

  it("narrows the rows with --only but keeps the whole summary", async () => {
    const { stdout } = await run([...bankArgs, "--only", "unmatched", "--json"]);
    const json = JSON.parse(stdout);
    expect(json.matches).toEqual([]);
    expect(json.unmatched_bank.length).toBe(json.summary.unmatched_bank_count);
    expect(json.summary.match_count).toBeGreaterThan(0);

    const table = (await run([...bankArgs, "--only", "review"])).stdout;
    expect(table).toContain("Needs review (");
    expect(table).not.toContain("Matched (");
    expect(table).not.toContain("Unmatched bank (");
    expect(table).toContain("Summary");
  });

  it("passes the options to the engine in minor units", async () => {
    let seen: ReconcileOptions | undefined;
    await run(
      [
        ...bankArgs,
        "--window-before",
        "3",
        "--window-after",
        "60",
        "--tolerance",
        "0.05",
        "--near-max",
        "1,000.00",
        "--near-max-ratio",
        "0.01",
        "--group-max",
        "4",
        "--review-below",
        ".75",
        "--threads",
        "3",
      ],
      {
        engine: {
          reconcile: (bank, expected, options) => {
            seen = options;
            return standInReconcile(bank, expected);
          },
        },
      },
    );
    expect(seen).toEqual({
      dateWindowBeforeDays: 3,
      dateWindowAfterDays: 60,
      amountToleranceMinor: 5,
      nearAmountMaxMinor: 100000,
      nearAmountMaxRatio: 0.01,
      groupSizeMax: 4,
      reviewBelowConfidence: 0.75,
      threads: 3,
    });
  });

  it("leaves the engine's defaults alone when no option is given, but lets it use this machine's threads", async () => {
    let seen: ReconcileOptions | undefined;
    await run(bankArgs, {
      engine: {
        reconcile: (bank, expected, options) => {
          seen = options;
          return standInReconcile(bank, expected);
        },
      },
    });
    expect(seen).toEqual({ threads: defaultThreads() });
  });
});

describe("colour and progress", () => {
  it("colours the table on a terminal", async () => {
    const { stdout } = await run(bankArgs, { stdoutTTY: true, columns: 160 });
    expect(stdout).toContain("\u001b[");
  });

  it("honours NO_COLOR on a terminal", async () => {
    const { stdout } = await run(bankArgs, { stdoutTTY: true, env: { NO_COLOR: "1" } });
    expect(stdout).not.toContain("\u001b[");
  });

  it("fits the table to the terminal's width", async () => {
    const { stdout } = await run(bankArgs, { stdoutTTY: true, columns: 120, env: { NO_COLOR: "1" } });
    const widest = Math.max(...stdout.split("\n").map((l) => l.length));
    expect(widest).toBeLessThanOrEqual(120);
  });

  it("writes no progress when stderr is not a terminal", async () => {
    const { stderr } = await run(bankArgs, {
      engine: {
        readBankFile: async (_path, options) => {
          options?.onProgress?.(500_000);
          return { accounts: [], transactions: [] };
        },
      },
    });
    expect(stderr).toBe("");
  });

  it("shows reading progress on a terminal stderr for large inputs", async () => {
    const { stderr, stdout } = await run(bankArgs, {
      stderrTTY: true,
      engine: {
        readBankFile: async (_path, options) => {
          options?.onProgress?.(10_000);
          options?.onProgress?.(500_000);
          return { accounts: [], transactions: [] };
        },
      },
    });
    expect(stderr).toContain("reading bank.json… 500,000 rows");
    expect(stderr).not.toContain("10,000");
    expect(stdout).not.toContain("reading");
  });

  it("stays quiet on a terminal stderr for small inputs", async () => {
    const { stderr } = await run(bankArgs, { stderrTTY: true });
    expect(stderr).toBe("");
  });
});

describe("bankrec demo", () => {
  it("reconciles the shipped sample and prints the report", async () => {
    const { code, stdout } = await run(["demo", "--sample"]);
    expect(code).toBe(0);
    expect(stdout).toContain("Tidewater Print & Sign Co.");
    expect(stdout).toContain("Summary");
    expect(stdout).toContain("Unmatched expected (");
  });

  it("takes --format and --out too", async () => {
    const out = join(scratch, "demo.csv");
    const { code } = await run(["demo", "--sample", "--out", out]);
    expect(code).toBe(0);
    expect((await readFile(out, "utf8")).split("\n")[0]).toBe(RESULT_CSV_COLUMNS.join(","));
    expect(JSON.parse((await run(["demo", "--sample", "--format", "json"])).stdout).summary.bank_count).toBe(
      42,
    );
  });
});
