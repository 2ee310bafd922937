import { describe, expect, it } from "vitest";
import type { Dataset } from "../bench/dataset.js";
import type { EngineName, EngineOutcome } from "../bench/engines.js";
import { compare, formatRun, makeReport, summaryLine } from "../bench/report.js";

function outcome(
  engine: EngineName,
  wallMs: number | null,
  status: EngineOutcome["status"] = "ok",
): EngineOutcome {
  return {
    engine,
    status,
    note: status === "skipped" ? "--no-seed-port" : null,
    wallMs,
    peakRssMiB: wallMs === null ? null : 100,
    cpuMs: wallMs,
    timeoutMs: 60_000,
    score: null,
    resultPath: null,
  };
}

const dataset: Dataset = {
  dir: "/tmp/size-1000-seed-7",
  reused: true,
  bankPath: "/tmp/size-1000-seed-7/bank.json",
  expectedPath: "/tmp/size-1000-seed-7/expected.csv",
  truthPath: "/tmp/size-1000-seed-7/truth.json",
  meta: {
    size: 1000,
    seed: 7,
    profile: "public",
    expectedRows: 1000,
    bankRows: 870,
    truthGroups: 800,
    truePairsByKind: { invoice: 10 },
    generateMs: 1,
  },
};

describe("bench report", () => {
  it("gives each engine's time as a multiple of the read-only baseline from the same run", () => {
    const c = compare(outcome("bankrec", 3_000), outcome("seed port", 12_000), outcome("read only", 600));
    expect(c.speedup).toBe(4);
    expect(c.bankrecPerReadOnly).toBe(5);
    expect(c.seedPortPerReadOnly).toBe(20);
    const report = makeReport(
      dataset,
      outcome("bankrec", 3_000),
      outcome("seed port", 12_000),
      outcome("read only", 600),
    );
    expect(formatRun(report)).toContain(
      "read only (the seed port's reading and writing, no matching): 600 ms · bankrec 5.0× that · seed port 20× that",
    );
    expect(summaryLine(report)).toMatch(/speed-up 4\.0×, bankrec 5\.0× read only$/);
  });

  it("leaves the multiples out when the baseline or an engine did not run", () => {
    const c = compare(
      outcome("bankrec", 3_000),
      outcome("seed port", null, "skipped"),
      outcome("read only", null, "failed"),
    );
    expect(c.bankrecPerReadOnly).toBeNull();
    expect(c.seedPortPerReadOnly).toBeNull();
    const report = makeReport(
      dataset,
      outcome("bankrec", 3_000),
      outcome("seed port", null, "skipped"),
      outcome("read only", 500),
    );
    expect(report.comparison.bankrecPerReadOnly).toBe(6);
    expect(report.comparison.seedPortPerReadOnly).toBeNull();
    expect(formatRun(report).split("\n")).toContain(
      "read only (the seed port's reading and writing, no matching): 500 ms · bankrec 6.0× that",
    );
  });
});
