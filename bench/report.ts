// Turns outcomes into the tables, summary lines and JSON that `npm run bench` prints.
import { cpus, platform, release, totalmem } from "node:os";
import type { Dataset, DatasetMeta } from "./dataset.js";
import type { EngineOutcome } from "./engines.js";

export interface RunReport {
  readonly size: number;
  readonly seed: number;
  readonly dataset: DatasetMeta & { readonly dir: string; readonly reused: boolean };
  readonly bankrec: EngineOutcome;
  readonly seedPort: EngineOutcome;
  /** The seed port's reading and writing alone: the baseline times are also given against. */
  readonly readOnly: EngineOutcome;
  readonly comparison: Comparison;
}

export interface Comparison {
  /** Seed port time / bankrec time, from the same run. A lower bound when the seed port timed out. */
  readonly speedup: number | null;
  readonly speedupIsLowerBound: boolean;
  /** bankrec F1 minus seed port F1. */
  readonly f1Difference: number | null;
  /** Each engine's time as a multiple of the read-only baseline's, from the same run. */
  readonly bankrecPerReadOnly: number | null;
  readonly seedPortPerReadOnly: number | null;
}

export function compare(
  bankrec: EngineOutcome,
  seedPort: EngineOutcome,
  readOnly: EngineOutcome,
): Comparison {
  const bankrecMs = bankrec.status === "ok" ? bankrec.wallMs : null;
  const timedOut = seedPort.status === "timeout";
  const seedMs = seedPort.status === "ok" ? seedPort.wallMs : timedOut ? seedPort.timeoutMs : null;
  const speedup = bankrecMs !== null && seedMs !== null ? seedMs / Math.max(bankrecMs, 1) : null;
  const f1Difference =
    bankrec.score !== null && seedPort.score !== null ? bankrec.score.f1 - seedPort.score.f1 : null;
  const baseMs = readOnly.status === "ok" ? readOnly.wallMs : null;
  const per = (ms: number | null) => (ms !== null && baseMs !== null ? ms / Math.max(baseMs, 1) : null);
  return {
    speedup,
    speedupIsLowerBound: timedOut && speedup !== null,
    f1Difference,
    bankrecPerReadOnly: per(bankrecMs),
    seedPortPerReadOnly: per(seedPort.status === "ok" ? seedPort.wallMs : null),
  };
}

export function makeReport(
  dataset: Dataset,
  bankrec: EngineOutcome,
  seedPort: EngineOutcome,
  readOnly: EngineOutcome,
): RunReport {
  return {
    size: dataset.meta.size,
    seed: dataset.meta.seed,
    dataset: { ...dataset.meta, dir: dataset.dir, reused: dataset.reused },
    bankrec,
    seedPort,
    readOnly,
    comparison: compare(bankrec, seedPort, readOnly),
  };
}

export function environmentLine(): string {
  const cpu = cpus();
  const memoryGiB = (totalmem() / 2 ** 30).toFixed(0);
  return `node ${process.version} · ${platform()} ${release()} · ${cpu[0]?.model ?? "cpu"} × ${cpu.length} · ${memoryGiB} GiB`;
}

/** One block per size × seed: an engine table, recall by kind, and the comparison line. */
export function formatRun(report: RunReport): string {
  const { dataset: d } = report;
  const engines = [report.bankrec, report.seedPort];
  const lines = [
    `size ${report.size} seed ${report.seed}: ${d.expectedRows} expected rows, ${d.bankRows} bank rows, ` +
      `${d.truthGroups} truth groups (${d.reused ? "reused" : "new"} data set, profile ${d.profile})`,
    ...table(
      ["engine", "F1", "precision", "recall", "exact groups", "time", "peak RSS", "status"],
      engines.map((e) => [
        e.engine,
        figure(e.score?.f1),
        figure(e.score?.precision),
        figure(e.score?.recall),
        figure(e.score?.exact_groups),
        e.wallMs === null ? "-" : `${e.wallMs} ms`,
        e.peakRssMiB === null ? "-" : `${e.peakRssMiB.toFixed(1)} MiB`,
        statusText(e),
      ]),
      7,
    ),
    "recall by kind (true pairs in brackets):",
    ...table(
      ["kind", ...engines.map((e) => e.engine)],
      Object.entries(d.truePairsByKind)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([kind, pairs]) => [
          `${kind} (${pairs})`,
          ...engines.map((e) => figure(e.score?.recall_by_kind[kind])),
        ]),
    ).map((line) => `  ${line}`),
    comparisonLine(report.comparison),
    readOnlyLine(report.readOnly, report.comparison),
  ];
  for (const e of [...engines, report.readOnly]) {
    if (e.status === "failed" && e.note !== null) lines.push(`${e.engine} failed: ${indent(e.note)}`);
  }
  return lines.join("\n");
}

/** `size 10000 seed 7: bankrec F1 0.981 in 850 ms (120.3 MiB), seed F1 0.553 in 2100 ms, speed-up 2.5×` */
export function summaryLine(report: RunReport): string {
  const { bankrec: b, seedPort: s } = report;
  const bankrecPart =
    b.status === "ok" && b.score !== null
      ? `bankrec F1 ${b.score.f1.toFixed(3)} in ${b.wallMs} ms (${(b.peakRssMiB ?? 0).toFixed(1)} MiB)`
      : `bankrec ${b.status.toUpperCase()}`;
  const seedPart =
    s.status === "ok" && s.score !== null
      ? `seed F1 ${s.score.f1.toFixed(3)} in ${s.wallMs} ms`
      : s.status === "timeout"
        ? `seed timeout > ${s.timeoutMs / 1000} s`
        : `seed ${s.status}`;
  const perReadOnly = report.comparison.bankrecPerReadOnly;
  const readOnlyPart = perReadOnly === null ? "" : `, bankrec ${multiple(perReadOnly)} read only`;
  return `size ${report.size} seed ${report.seed}: ${bankrecPart}, ${seedPart}, speed-up ${speedupText(report.comparison)}${readOnlyPart}`;
}

/**
 * `read only (the seed port's reading and writing, no matching): 612 ms · bankrec 15.2× that ·
 * seed port 39× that`
 */
function readOnlyLine(readOnly: EngineOutcome, c: Comparison): string {
  const label = "read only (the seed port's reading and writing, no matching)";
  if (readOnly.status !== "ok" || readOnly.wallMs === null) return `${label}: ${statusText(readOnly)}`;
  const parts = [`${label}: ${readOnly.wallMs} ms`];
  if (c.bankrecPerReadOnly !== null) parts.push(`bankrec ${multiple(c.bankrecPerReadOnly)} that`);
  if (c.seedPortPerReadOnly !== null) parts.push(`seed port ${multiple(c.seedPortPerReadOnly)} that`);
  return parts.join(" · ");
}

function multiple(x: number): string {
  return `${x >= 10 ? x.toFixed(0) : x.toFixed(1)}×`;
}

export function toJson(reports: readonly RunReport[], options: object): string {
  return JSON.stringify(
    { generatedAt: new Date().toISOString(), environment: environmentLine(), options, reports },
    null,
    2,
  );
}

function comparisonLine(c: Comparison): string {
  const f1 =
    c.f1Difference === null ? "n/a" : `${c.f1Difference >= 0 ? "+" : ""}${c.f1Difference.toFixed(4)}`;
  return `speed-up (seed port time / bankrec time): ${speedupText(c)} · F1 difference (bankrec − seed port): ${f1}`;
}

function speedupText(c: Comparison): string {
  if (c.speedup === null) return "n/a";
  const value = c.speedup >= 10 ? c.speedup.toFixed(0) : c.speedup.toFixed(1);
  return `${c.speedupIsLowerBound ? "> " : ""}${value}×`;
}

function statusText(e: EngineOutcome): string {
  if (e.status === "ok") return "ok";
  if (e.status === "timeout") return e.note ?? "timeout";
  if (e.status === "skipped") return `skipped: ${e.note ?? ""}`;
  return "FAILED (see below)";
}

function figure(value: number | undefined): string {
  return value === undefined ? "-" : value.toFixed(4);
}

function indent(text: string): string {
  return text.split("\n").join("\n    ");
}

/** Names (the first column, and `textColumn` if given) align left; figures align right. */
function table(header: readonly string[], rows: readonly (readonly string[])[], textColumn = 0): string[] {
  const all = [header, ...rows];
  const widths = header.map((_, column) => Math.max(...all.map((row) => (row[column] ?? "").length)));
  const pad = (cell: string, column: number) =>
    column === 0 || column === textColumn
      ? cell.padEnd(widths[column] ?? 0)
      : cell.padStart(widths[column] ?? 0);
  return all.map((row) => row.map(pad).join("  ").trimEnd());
}
