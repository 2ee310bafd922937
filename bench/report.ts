// Turns outcomes into the tables, summary lines and JSON that `npm run bench` prints.
import { cpus, platform, release, totalmem } from "node:os";
import type { Dataset, DatasetMeta } from "./dataset.js";
import type { EngineOutcome } from "./engines.js";
import type { DatasetBound } from "./upper-bound-cache.js";

export interface RunReport {
  /** The generator profile's name (`public`, or a bench/profiles/ file's). */
  readonly profile: string;
  readonly size: number;
  readonly seed: number;
  readonly dataset: DatasetMeta & { readonly dir: string; readonly reused: boolean };
  readonly bankrec: EngineOutcome;
  /** bankrec with `--settlements` and the payout report derived from truth; null: not asked for. */
  readonly withSettlements: EngineOutcome | null;
  readonly seedPort: EngineOutcome;
  /** The seed port's reading and writing alone: the baseline times are also given against. */
  readonly readOnly: EngineOutcome;
  /** Every field read, one exact-amount hash join, the result written (floor.ts); null: not run. */
  readonly floor: EngineOutcome | null;
  /** Share of each kind's pairs determinable from amounts alone (upper-bound.ts); null: not computed. */
  readonly upperBound: DatasetBound | null;
  readonly comparison: Comparison;
}

/** What makeReport takes beyond the three engines every report has. */
export interface ReportExtras {
  readonly withSettlements?: EngineOutcome | null;
  readonly floor?: EngineOutcome | null;
  readonly upperBound?: DatasetBound | null;
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
  /** bankrec's time as a multiple of the floor's, from the same run. */
  readonly bankrecPerFloor: number | null;
}

export function compare(
  bankrec: EngineOutcome,
  seedPort: EngineOutcome,
  readOnly: EngineOutcome,
  floor: EngineOutcome | null = null,
): Comparison {
  const bankrecMs = bankrec.status === "ok" ? bankrec.wallMs : null;
  const timedOut = seedPort.status === "timeout";
  const seedMs = seedPort.status === "ok" ? seedPort.wallMs : timedOut ? seedPort.timeoutMs : null;
  const speedup = bankrecMs !== null && seedMs !== null ? seedMs / Math.max(bankrecMs, 1) : null;
  const f1Difference =
    bankrec.score !== null && seedPort.score !== null ? bankrec.score.f1 - seedPort.score.f1 : null;
  const baseMs = readOnly.status === "ok" ? readOnly.wallMs : null;
  const per = (ms: number | null) => (ms !== null && baseMs !== null ? ms / Math.max(baseMs, 1) : null);
  const floorMs = floor?.status === "ok" ? floor.wallMs : null;
  return {
    speedup,
    speedupIsLowerBound: timedOut && speedup !== null,
    f1Difference,
    bankrecPerReadOnly: per(bankrecMs),
    seedPortPerReadOnly: per(seedPort.status === "ok" ? seedPort.wallMs : null),
    bankrecPerFloor: bankrecMs !== null && floorMs !== null ? bankrecMs / Math.max(floorMs, 1) : null,
  };
}

export function makeReport(
  dataset: Dataset,
  bankrec: EngineOutcome,
  seedPort: EngineOutcome,
  readOnly: EngineOutcome,
  extras: ReportExtras = {},
): RunReport {
  const floor = extras.floor ?? null;
  return {
    profile: dataset.meta.profile,
    size: dataset.meta.size,
    seed: dataset.meta.seed,
    dataset: { ...dataset.meta, dir: dataset.dir, reused: dataset.reused },
    bankrec,
    withSettlements: extras.withSettlements ?? null,
    seedPort,
    readOnly,
    floor,
    upperBound: extras.upperBound ?? null,
    comparison: compare(bankrec, seedPort, readOnly, floor),
  };
}

export function environmentLine(): string {
  const cpu = cpus();
  const memoryGiB = (totalmem() / 2 ** 30).toFixed(0);
  return `node ${process.version} · ${platform()} ${release()} · ${cpu[0]?.model ?? "cpu"} × ${cpu.length} · ${memoryGiB} GiB`;
}

/**
 * One block per profile × size × seed: an engine table, recall by kind beside each kind's upper
 * bound, the comparison line and the baselines' lines.
 */
export function formatRun(report: RunReport): string {
  const { dataset: d } = report;
  const engines = enginesOf(report);
  const others = engines.filter((e) => e !== report.bankrec && e.score !== null);
  const bound = report.upperBound;
  const lines = [
    `profile ${report.profile} · size ${report.size} seed ${report.seed}: ${d.expectedRows} expected rows, ` +
      `${d.bankRows} bank rows, ${d.truthGroups} truth groups (${d.reused ? "reused" : "new"} data set)`,
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
    bound === null
      ? "recall by kind (true pairs in brackets):"
      : "recall by kind (true pairs in brackets; bound: the share of them determinable from amounts alone):",
    ...table(
      ["kind", "bankrec", ...(bound === null ? [] : ["bound"]), ...others.map((e) => e.engine)],
      Object.entries(d.truePairsByKind)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([kind, pairs]) => [
          `${kind} (${pairs})`,
          figure(report.bankrec.score?.recall_by_kind[kind]),
          ...(bound === null ? [] : [boundText(bound.kinds[kind])]),
          ...others.map((e) => figure(e.score?.recall_by_kind[kind])),
        ]),
    ).map((line) => `  ${line}`),
    comparisonLine(report.comparison),
    readOnlyLine(report.readOnly, report.comparison),
  ];
  if (report.floor !== null) lines.push(floorLine(report.floor, report.comparison));
  if (bound !== null) lines.push(boundLine(bound));
  if (report.withSettlements?.status === "skipped") {
    lines.push(`with payout report: not run (${report.withSettlements.note ?? "skipped"})`);
  }
  for (const e of [...engines, report.readOnly]) {
    if (e.status === "failed" && e.note !== null) lines.push(`${e.engine} failed: ${indent(e.note)}`);
  }
  return lines.join("\n");
}

/** The engines of a report's table, in table order. */
function enginesOf(report: RunReport): EngineOutcome[] {
  const settled = report.withSettlements === null ? [] : [report.withSettlements];
  const floor = report.floor === null ? [] : [report.floor];
  return [report.bankrec, ...settled, report.seedPort, ...floor];
}

/** `0.4412`; `~0.4412` when it rests on a sample; `1` for a one-to-one kind. */
function boundText(kind: DatasetBound["kinds"][string] | undefined): string {
  if (kind === undefined) return "-";
  if (kind.shape === "one-to-one") return "1";
  return `${kind.estimated ? "~" : ""}${kind.bound.toFixed(4)}`;
}

/**
 * `upper bound (README): 2.6 s (computed now) · ~ estimated: batch_payment (17 of 239 groups too
 * costly to count exactly, their share from a sample of 17)`
 */
function boundLine(bound: DatasetBound): string {
  const when = bound.cached ? "computed earlier, read back from the data set" : "computed now";
  const notes: string[] = [];
  for (const k of Object.values(bound.kinds)) {
    if (!k.estimated) continue;
    const parts: string[] = [];
    if (k.judgedGroups < k.groups) parts.push(`${k.judgedGroups} of ${k.groups} groups judged, a sample`);
    if (k.deferred !== null) {
      parts.push(
        `${k.deferred.groups} of ${k.judgedGroups} too costly to count exactly, their share from a sample of ${k.deferred.sampled}`,
      );
    }
    notes.push(`${k.kind} (${parts.join("; ")})`);
  }
  const estimated = notes.length === 0 ? "" : ` · ~ estimated: ${notes.join(", ")}`;
  return `upper bound (README): ${bound.seconds.toFixed(1)} s (${when})${estimated}`;
}

/** `floor (every field read, one exact-amount hash join, result written): 350 ms · bankrec 6.0× that` */
function floorLine(floor: EngineOutcome, c: Comparison): string {
  const label = "floor (every field read, one exact-amount hash join, result written)";
  if (floor.status !== "ok" || floor.wallMs === null) return `${label}: ${statusText(floor)}`;
  const parts = [`${label}: ${floor.wallMs} ms`];
  if (c.bankrecPerFloor !== null) parts.push(`bankrec ${multiple(c.bankrecPerFloor)} that`);
  return parts.join(" · ");
}

/**
 * Every run side by side: a column per profile × size × seed, rows for bankrec's overall figures
 * and one per kind (its recall, and the bound in brackets where the kind has one).
 */
export function formatAcrossRuns(reports: readonly RunReport[]): string {
  if (reports.length === 0) return "";
  const kinds = [...new Set(reports.flatMap((r) => Object.keys(r.dataset.truePairsByKind)))].sort();
  const header = ["bankrec", ...reports.map((r) => `${r.profile} ${compactSize(r.size)} s${r.seed}`)];
  const row = (label: string, cell: (r: RunReport) => string) => [label, ...reports.map(cell)];
  const times = (x: number | null) => (x === null ? "-" : multiple(x));
  const rows = [
    row("F1", (r) => figure(r.bankrec.score?.f1)),
    row("precision", (r) => figure(r.bankrec.score?.precision)),
    row("recall", (r) => figure(r.bankrec.score?.recall)),
  ];
  if (reports.some((r) => r.withSettlements?.score)) {
    rows.push(row("F1 with payout report", (r) => figure(r.withSettlements?.score?.f1)));
  }
  rows.push(
    row("time", (r) => (r.bankrec.wallMs === null ? "-" : `${r.bankrec.wallMs} ms`)),
    row("× floor", (r) => times(r.comparison.bankrecPerFloor)),
    row("× read only", (r) => times(r.comparison.bankrecPerReadOnly)),
  );
  for (const kind of kinds) {
    rows.push(
      row(kind, (r) => {
        if (r.dataset.truePairsByKind[kind] === undefined) return "";
        const recall = figure(r.bankrec.score?.recall_by_kind[kind]);
        const k = r.upperBound?.kinds[kind];
        return k === undefined || k.shape === "one-to-one" ? recall : `${recall} (${boundText(k)})`;
      }),
    );
  }
  return [
    "all runs: bankrec's figures, and per kind its recall with the bound in brackets where the kind has one",
    ...table(header, rows),
  ].join("\n");
}

function compactSize(size: number): string {
  if (size >= 1_000_000 && size % 1_000_000 === 0) return `${size / 1_000_000}m`;
  if (size >= 1_000 && size % 1_000 === 0) return `${size / 1_000}k`;
  return String(size);
}

/**
 * `public size 10000 seed 7: bankrec F1 0.981 in 850 ms (120.3 MiB), seed F1 0.553 in 2100 ms,
 * speed-up 2.5×, bankrec 7.0× read only, 9.1× floor`
 */
export function summaryLine(report: RunReport): string {
  const { bankrec: b, seedPort: s } = report;
  const settled = report.withSettlements?.score;
  const withReport = settled ? ` (${settled.f1.toFixed(3)} with payout report)` : "";
  const bankrecPart =
    b.status === "ok" && b.score !== null
      ? `bankrec F1 ${b.score.f1.toFixed(3)}${withReport} in ${b.wallMs} ms (${(b.peakRssMiB ?? 0).toFixed(1)} MiB)`
      : `bankrec ${b.status.toUpperCase()}`;
  const seedPart =
    s.status === "ok" && s.score !== null
      ? `seed F1 ${s.score.f1.toFixed(3)} in ${s.wallMs} ms`
      : s.status === "timeout"
        ? `seed timeout > ${s.timeoutMs / 1000} s`
        : `seed ${s.status}`;
  const perReadOnly = report.comparison.bankrecPerReadOnly;
  const readOnlyPart = perReadOnly === null ? "" : `, bankrec ${multiple(perReadOnly)} read only`;
  const perFloor = report.comparison.bankrecPerFloor;
  const floorPart = perFloor === null ? "" : `, ${multiple(perFloor)} floor`;
  const run = `${report.profile} size ${report.size} seed ${report.seed}`;
  return `${run}: ${bankrecPart}, ${seedPart}, speed-up ${speedupText(report.comparison)}${readOnlyPart}${floorPart}`;
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
