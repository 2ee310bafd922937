/**
 * The spending summary for people (tables with small bar charts) and for spreadsheets (CSV).
 * The JSON form is the summary itself.
 */

import { csvField } from "../reconcile/result-json.js";
import type { CategoryLine, CurrencySpending, SpendingChange, SpendingSummary } from "../reports/index.js";
import { moneyText } from "./store-options.js";
import { type Cell, type Column, renderColumns } from "./table.js";

export const SPENDING_VIEWS = ["category", "merchant", "month"] as const;
export type SpendingView = (typeof SPENDING_VIEWS)[number];

const BAR_WIDTH = 20;
const EIGHTHS = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"];

/**
 * A bar `value / max` of `BAR_WIDTH` characters, in eighths of a block.
 *
 * @example bar(50, 100) // "██████████"
 */
export function bar(value: number, max: number): string {
  if (max <= 0 || value <= 0) return "";
  const eighths = Math.max(1, Math.round((Math.min(value, max) / max) * BAR_WIDTH * 8));
  return "█".repeat(Math.floor(eighths / 8)) + (EIGHTHS[eighths % 8] ?? "");
}

function percentText(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}

function changeText(change: SpendingChange): string {
  return change.percent === null ? "new" : `${change.percent > 0 ? "+" : ""}${change.percent.toFixed(1)}%`;
}

export interface RenderOptions {
  readonly color: boolean;
  readonly widthMax: number;
  readonly views: readonly SpendingView[];
  /** Show detailed categories under each primary. */
  readonly detailed: boolean;
}

/** The summary as text lines: a header and totals per currency, then each view asked for. */
export function renderSpending(summary: SpendingSummary, options: RenderOptions): string[] {
  const { period, previousPeriod } = summary;
  const lines = [
    `Spending ${period.from} to ${period.to}, compared with ${previousPeriod.from} to ${previousPeriod.to}`,
  ];
  if (summary.currencies.length === 0) return [...lines, "", "no counted transactions in this period"];
  for (const c of summary.currencies) {
    lines.push("", ...totalsLines(c, options));
    for (const view of options.views) lines.push("", ...viewLines(c, view, options));
  }
  return lines;
}

function table(columns: readonly Column[], rows: Cell[][], options: RenderOptions): string[] {
  return renderColumns(columns, rows, { color: options.color, widthMax: options.widthMax });
}

function totalsLines(c: CurrencySpending, options: RenderOptions): string[] {
  const money = (minor: number) => moneyText(minor, c.currency);
  return table(
    [
      { header: c.currency, align: "left" },
      { header: "This period", align: "right" },
      { header: "Previous", align: "right" },
      { header: "Change", align: "right" },
    ],
    [
      ["Income", money(c.totals.incomeMinor), money(c.previous.incomeMinor), changeText(c.change.income)],
      [
        "Expenses",
        money(c.totals.expensesMinor),
        money(c.previous.expensesMinor),
        changeText(c.change.expenses),
      ],
      ["Net", money(c.totals.netMinor), money(c.previous.netMinor), changeText(c.change.net)],
      ["Transactions", String(c.totals.count), String(c.previous.count), ""],
    ],
    options,
  );
}

function viewLines(c: CurrencySpending, view: SpendingView, options: RenderOptions): string[] {
  const money = (minor: number) => moneyText(minor, c.currency);
  if (view === "merchant") {
    if (c.merchants.length === 0) return ["no spending at a known merchant"];
    const max = c.merchants[0]?.spentMinor ?? 0;
    return table(
      [
        { header: "Top merchants", align: "left", widthMax: 32, widthMin: 12 },
        { header: "Spent", align: "right" },
        { header: "Share", align: "right" },
        { header: "", align: "left" },
        { header: "Count", align: "right" },
      ],
      c.merchants.map((m) => [
        m.name,
        money(m.spentMinor),
        percentText(m.share),
        bar(m.spentMinor, max),
        String(m.count),
      ]),
      options,
    );
  }
  if (view === "month") {
    const max = Math.max(0, ...c.months.map((m) => m.expensesMinor));
    return table(
      [
        { header: "Month", align: "left" },
        { header: "Income", align: "right" },
        { header: "Expenses", align: "right" },
        { header: "Net", align: "right" },
        { header: "", align: "left" },
        { header: "Count", align: "right" },
      ],
      c.months.map((m) => [
        m.month,
        money(m.incomeMinor),
        money(m.expensesMinor),
        money(m.netMinor),
        bar(m.expensesMinor, max),
        String(m.count),
      ]),
      options,
    );
  }
  const max = Math.max(0, ...c.categories.map((line) => line.expensesMinor));
  const rows: Cell[][] = [];
  for (const line of c.categories.filter((l) => l.count > 0)) {
    rows.push(categoryRow(line, money, max, line.name));
    // A primary whose only line is itself (UNCATEGORIZED, a bare primary) has nothing to show.
    const own = line.detailed.length === 1 && line.detailed[0]?.code === line.code;
    if (options.detailed && !own)
      for (const sub of line.detailed)
        rows.push(
          categoryRow(sub, money, max, `· ${sub.code === line.code ? `${sub.name} (no detail)` : sub.name}`),
        );
  }
  return table(
    [
      { header: "Category", align: "left", widthMax: 36, widthMin: 12 },
      { header: "Spent", align: "right" },
      { header: "Income", align: "right" },
      { header: "Share", align: "right" },
      { header: "", align: "left" },
      { header: "Count", align: "right" },
      { header: "vs previous", align: "right" },
    ],
    rows,
    options,
  );
}

function categoryRow(
  line: CategoryLine,
  money: (minor: number) => string,
  max: number,
  label: string,
): Cell[] {
  return [
    label,
    line.expensesMinor === 0 ? "" : money(line.expensesMinor),
    line.incomeMinor === 0 ? "" : money(line.incomeMinor),
    percentText(line.share),
    bar(line.expensesMinor, max),
    String(line.count),
    changeText(line.change),
  ];
}

/** The view as CSV: one header line, then a line per category (primary and detailed), merchant or month. */
export function spendingCsv(summary: SpendingSummary, view: SpendingView): string[] {
  const out: string[][] = [];
  if (view === "merchant") {
    out.push(["currency", "merchant_key", "merchant", "spent_minor", "share", "count"]);
    for (const c of summary.currencies)
      for (const m of c.merchants)
        out.push([c.currency, m.key, m.name, String(m.spentMinor), String(m.share), String(m.count)]);
  } else if (view === "month") {
    out.push(["currency", "month", "income_minor", "expenses_minor", "net_minor", "count"]);
    for (const c of summary.currencies)
      for (const m of c.months)
        out.push([
          c.currency,
          m.month,
          String(m.incomeMinor),
          String(m.expensesMinor),
          String(m.netMinor),
          String(m.count),
        ]);
  } else {
    out.push([
      "currency",
      "category",
      "primary",
      "name",
      "kind",
      "income_minor",
      "expenses_minor",
      "net_minor",
      "count",
      "share",
      "side",
      "previous_income_minor",
      "previous_expenses_minor",
      "change_percent",
    ]);
    for (const c of summary.currencies)
      for (const line of c.categories)
        for (const [entry, primary] of [
          [line, line.code],
          ...line.detailed.map((d) => [d, line.code] as const),
        ] as const)
          out.push([
            c.currency,
            entry.code,
            primary,
            entry.name,
            entry.kind,
            String(entry.incomeMinor),
            String(entry.expensesMinor),
            String(entry.netMinor),
            String(entry.count),
            String(entry.share),
            entry.side,
            String(entry.previous.incomeMinor),
            String(entry.previous.expensesMinor),
            entry.change.percent === null ? "" : String(entry.change.percent),
          ]);
  }
  return out.map((fields) => fields.map(csvField).join(","));
}
