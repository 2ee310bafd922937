import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { packageInfo } from "./package-root.js";

/**
 * The built CLI as people run it: a child process on dist/, with real exit codes and streams.
 * The build runs once here; a type error elsewhere in the tree does not stop tsc from emitting.
 */

const root = packageInfo().root;
const bin = join(root, "dist", "src", "cli", "main.js");
let scratch: string;

function bankrec(...args: string[]) {
  return bankrecWith({}, ...args);
}

function bankrecWith(extraEnv: NodeJS.ProcessEnv, ...args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1", ...extraEnv };
  delete env.BANKREC_DEBUG;
  const run = spawnSync(process.execPath, [bin, ...args], { cwd: scratch, encoding: "utf8", env });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

beforeAll(() => {
  try {
    execFileSync(
      process.execPath,
      [join(root, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.build.json"],
      {
        cwd: root,
        stdio: "pipe",
      },
    );
  } catch {
    // Emitted anyway; the existence check below is what matters to these tests.
  }
  if (!existsSync(bin)) throw new Error(`the build did not write ${bin}`);
  scratch = mkdtempSync(join(tmpdir(), "bankrec-bin-"));
});

afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

describe("the bankrec executable", () => {
  it("starts with a node shebang", () => {
    expect(readFileSync(bin, "utf8").startsWith("#!/usr/bin/env node\n")).toBe(true);
  });

  it("prints its version", () => {
    const { code, stdout } = bankrec("--version");
    expect(code).toBe(0);
    expect(stdout.trim()).toBe(packageInfo().version);
  });

  it("exits 2 with one line for a bad option", () => {
    const { code, stdout, stderr } = bankrec(
      "reconcile",
      "--bank",
      "b.json",
      "--expected",
      "e.csv",
      "--window-after",
      "x",
    );
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toBe('bankrec: --window-after must be a whole number of days, got "x"\n');
  });

  it("exits 3 naming a missing input file as typed", () => {
    const { code, stderr } = bankrec("reconcile", "--bank", "bank.json", "--expected", "expected.csv");
    expect(code).toBe(3);
    expect(stderr).toBe("bankrec: bank.json: file not found\n");
  });

  it("finds the demo's data from dist/, whatever the working folder", () => {
    const { code, stdout, stderr } = bankrec("demo", "--sample", "--format", "csv");
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout.split("\n")[0]).toBe(
      "match_no,status,kind,side,id,date,amount,currency,description,confidence,reasons",
    );
  });

  it("writes --out relative to the working folder", () => {
    const { code } = bankrec("demo", "--sample", "--out", "result.json");
    expect(code).toBe(0);
    const json = JSON.parse(readFileSync(join(scratch, "result.json"), "utf8"));
    expect(json.summary.bank_count).toBe(42);
  });

  it("runs a large reconciliation again in a child with a bigger heap, with the same output and exit code", () => {
    const demo = join(root, "examples", "demo");
    const args = ["reconcile", "--bank", join(demo, "bank.json"), "--expected", join(demo, "expected.csv")];
    const direct = bankrecWith({ BANKREC_NO_RELAUNCH: "1" }, ...args, "--format", "json");
    const relaunched = bankrecWith(
      { BANKREC_RELAUNCH_BYTES: "1", BANKREC_NO_RELAUNCH: "" },
      ...args,
      "--format",
      "json",
    );
    expect(relaunched.code).toBe(0);
    expect(relaunched.stdout).toBe(direct.stdout);
    const missing = bankrecWith(
      { BANKREC_RELAUNCH_BYTES: "1" },
      "reconcile",
      "--bank",
      join(demo, "bank.json"),
      "--expected",
      "nope.csv",
    );
    expect(missing.code).toBe(3);
  });
});
