import type { BankAccount, BankTransaction, ExpectedEntry } from "../domain/index.js";
import { escapeControls } from "../errors/index.js";
import { formatAmount } from "../money/index.js";
import type { Match, ReconcileResult } from "../reconcile/index.js";
import { reasonWords } from "../reconcile/result-json.js";
import type { OnlyRows } from "./options.js";

/**
 * The report for people: four sections (matched, needs review, unmatched bank, unmatched
 * expected), each capped at a screenful or two, then a summary. Plain text; ANSI colour only
 * when asked (the caller decides from the TTY and NO_COLOR).
 */

export interface TableData {
  /** The result, already narrowed by --only if it was given; the summary covers the whole run. */
  readonly result: ReconcileResult;
  readonly bankById: ReadonlyMap<string, BankTransaction>;
  readonly expectedById: ReadonlyMap<string, ExpectedEntry>;
  readonly accountsById?: ReadonlyMap<string, BankAccount>;
}

export interface TableOptions {
  readonly color: boolean;
  readonly only?: OnlyRows;
  /** Matches or rows listed per section before "… and N more". Default 50. */
  readonly rowsPerSectionMax?: number;
  /** Width to fit in (the terminal's); wide text columns shrink first. Default 200. */
  readonly widthMax?: number;
  /** A line above everything, e.g. what the demo reconciles. */
  readonly title?: string;
}

export type Style = "bold" | "dim" | "green" | "yellow" | "red";
export type Cell = string | { readonly text: string; readonly style: Style };

export interface Column {
  readonly header: string;
  readonly align: "left" | "right";
  /** Longest text shown; longer text is cut with "…". */
  readonly widthMax?: number;
  /** Gives up width, down to this, when the table is wider than the screen. */
  readonly widthMin?: number;
}

const ANSI: Readonly<Record<Style, readonly [string, string]>> = {
  bold: ["\u001b[1m", "\u001b[22m"],
  dim: ["\u001b[2m", "\u001b[22m"],
  green: ["\u001b[32m", "\u001b[39m"],
  yellow: ["\u001b[33m", "\u001b[39m"],
  red: ["\u001b[31m", "\u001b[39m"],
};

const GAP = "  ";
const INDENT = "  ";
const ID_WIDTH_MAX = 16;

/**
 * Cuts text to `width` characters, ending with "…" when cut. Every cell passes here: white space
 * runs become one space and control characters from a file (an escape sequence in a payee, a
 * carriage return in a memo) are written out as `\x1b`, never sent to the terminal.
 */
export function truncate(text: string, width: number): string {
  const flat = escapeControls(text.replace(/\s+/g, " ").trim());
  return flat.length <= width ? flat : `${flat.slice(0, Math.max(0, width - 1))}…`;
}

/** Shortens a long id in the middle, keeping both ends recognisable: "vzeNDwK7KQ…GK98D". */
function shortId(id: string): string {
  if (id.length <= ID_WIDTH_MAX) return id;
  return `${id.slice(0, ID_WIDTH_MAX - 6)}…${id.slice(-5)}`;
}

class Painter {
  constructor(private readonly on: boolean) {}
  paint(text: string, style: Style): string {
    if (!this.on || text === "") return text;
    const [open, close] = ANSI[style];
    return `${open}${text}${close}`;
  }
}

function cellText(cell: Cell): string {
  return typeof cell === "string" ? cell : cell.text;
}

/** Lays rows out in aligned columns; colour is added after padding so widths stay right. */
function layout(
  columns: readonly Column[],
  rows: readonly Cell[][],
  widthMax: number,
  painter: Painter,
): string[] {
  const widths = columns.map((c, i) =>
    Math.min(
      c.widthMax ?? Number.POSITIVE_INFINITY,
      Math.max(c.header.length, ...rows.map((r) => cellLength(r[i]))),
    ),
  );
  shrinkToFit(columns, widths, widthMax);
  const line = (cells: readonly Cell[], headerStyle?: Style): string => {
    const parts = columns.map((c, i) => {
      const cell = cells[i] ?? "";
      const width = widths[i] ?? 0;
      const text = truncate(cellText(cell), width);
      const padded = c.align === "right" ? text.padStart(width) : text.padEnd(width);
      const style = headerStyle ?? (typeof cell === "string" ? undefined : cell.style);
      return style === undefined ? padded : painter.paint(padded, style);
    });
    return (INDENT + parts.join(GAP)).trimEnd();
  };
  return [
    line(
      columns.map((c) => c.header),
      "dim",
    ),
    ...rows.map((r) => line(r)),
  ];
}

/**
 * Any list as aligned columns under a dim header row, fitted to `widthMax` (default 200):
 * the layout the report uses, for the commands that list stored things.
 *
 * @example
 * renderColumns([{ header: "Id", align: "left" }, { header: "Amount", align: "right" }], [["a", "1.00"]], { color: false })
 * // ["  Id  Amount", "  a     1.00"]
 */
export function renderColumns(
  columns: readonly Column[],
  rows: readonly Cell[][],
  options: { readonly color: boolean; readonly widthMax?: number },
): string[] {
  return layout(columns, rows, options.widthMax ?? 200, new Painter(options.color));
}

function cellLength(cell: Cell | undefined): number {
  return cell === undefined ? 0 : truncate(cellText(cell), Number.POSITIVE_INFINITY).length;
}

function shrinkToFit(columns: readonly Column[], widths: number[], widthMax: number): void {
  const total = (): number =>
    INDENT.length + widths.reduce((a, b) => a + b, 0) + GAP.length * (widths.length - 1);
  for (let i = columns.length - 1; i >= 0 && total() > widthMax; i--) {
    const width = widths[i] ?? 0;
    const widthMin = columns[i]?.widthMin ?? width;
    if (width > widthMin) widths[i] = Math.max(widthMin, width - (total() - widthMax));
  }
}

interface Context {
  readonly data: TableData;
  readonly painter: Painter;
  readonly rowsMax: number;
  readonly widthMax: number;
  /** Whether amounts carry their currency code (only when the run has several). */
  readonly showCurrency: boolean;
}

function money(ctx: Context, minor: number, currency: string): string {
  const text = formatAmount(minor, currency);
  return ctx.showCurrency ? `${text} ${currency}` : text;
}

function heading(ctx: Context, title: string, count: number, style: Style): string {
  return ctx.painter.paint(`${title} (${count.toLocaleString("en-US")})`, style);
}

function more(ctx: Context, shown: number, total: number): string[] {
  if (total <= shown) return [];
  const rest = (total - shown).toLocaleString("en-US");
  return [ctx.painter.paint(`${INDENT}… and ${rest} more (use --format csv or json for all)`, "dim")];
}

const MATCH_COLUMNS: readonly Column[] = [
  { header: "#", align: "right" },
  { header: "Bank date", align: "left" },
  { header: "Bank amount", align: "right" },
  { header: "Bank id", align: "left", widthMin: 10 },
  { header: "Ledger date", align: "left" },
  { header: "Ledger amount", align: "right" },
  { header: "Ledger id", align: "left", widthMin: 10 },
  { header: "Description", align: "left", widthMax: 36, widthMin: 12 },
  { header: "Conf", align: "right" },
  { header: "Why", align: "left", widthMax: 72, widthMin: 16 },
];

function confidenceCell(match: Match): Cell {
  const style: Style = match.needsReview ? "yellow" : "green";
  return { text: match.confidence.toFixed(2), style };
}

function why(ctx: Context, match: Match): string {
  const notes: string[] = [];
  if (match.pending) notes.push("pending at the bank");
  if (match.amountDifferenceMinor !== 0) {
    notes.push(`bank differs by ${money(ctx, match.amountDifferenceMinor, match.currency)}`);
  }
  const words = reasonWords(match.reasons, 2);
  if (words !== "") notes.push(words);
  return notes.join("; ");
}

/** One line per row of the larger side; bank and ledger rows side by side. */
function matchRows(ctx: Context, match: Match, matchNo: number): Cell[][] {
  const bank = match.bankTransactionIds.map((id) => ctx.data.bankById.get(id));
  const ledger = match.expectedIds.map((id) => ctx.data.expectedById.get(id));
  const lines = Math.max(bank.length, ledger.length);
  const rows: Cell[][] = [];
  for (let i = 0; i < lines; i++) {
    const b = bank[i];
    const l = ledger[i];
    const bankId = match.bankTransactionIds[i];
    const ledgerId = match.expectedIds[i];
    rows.push([
      i === 0 ? String(matchNo) : "",
      b?.date ?? "",
      b === undefined ? "" : money(ctx, b.amountMinor, b.currency),
      bankId === undefined ? "" : shortId(bankId),
      l?.date ?? "",
      l === undefined ? "" : money(ctx, l.amountMinor, l.currency),
      ledgerId === undefined ? "" : shortId(ledgerId),
      l?.description ?? b?.name ?? "",
      i === 0 ? confidenceCell(match) : "",
      i === 0 ? why(ctx, match) : "",
    ]);
  }
  return rows;
}

function matchSection(ctx: Context, title: string, style: Style, review: boolean): string[] {
  const rows: Cell[][] = [];
  let total = 0;
  let matchNo = 0;
  for (const match of ctx.data.result.matches) {
    matchNo += 1;
    if (match.needsReview !== review) continue;
    total += 1;
    if (total <= ctx.rowsMax) rows.push(...matchRows(ctx, match, matchNo));
  }
  const lines = [heading(ctx, title, total, style)];
  if (total === 0) return [...lines, `${INDENT}none`];
  return [
    ...lines,
    ...layout(MATCH_COLUMNS, rows, ctx.widthMax, ctx.painter),
    ...more(ctx, Math.min(total, ctx.rowsMax), total),
  ];
}

function accountLabel(ctx: Context, accountId: string | null): string {
  if (accountId === null) return "";
  const account = ctx.data.accountsById?.get(accountId);
  if (account === undefined) return shortId(accountId);
  return accountName(account);
}

/** An account as people know it: its name and the last digits of its number. */
export function accountName(account: BankAccount): string {
  return account.mask === null ? account.name : `${account.name} …${account.mask}`;
}

function unmatchedBankSection(ctx: Context): string[] {
  const rows = ctx.data.result.unmatchedBank;
  const columns: Column[] = [
    { header: "Date", align: "left" },
    { header: "Amount", align: "right" },
    { header: "Bank id", align: "left" },
    { header: "Account", align: "left", widthMax: 28, widthMin: 10 },
    { header: "Bank description", align: "left", widthMax: 56, widthMin: 16 },
    { header: "Note", align: "left" },
  ];
  const cells = rows
    .slice(0, ctx.rowsMax)
    .map((r): Cell[] => [
      r.date,
      money(ctx, r.amountMinor, r.currency),
      shortId(r.id),
      accountLabel(ctx, r.accountId),
      r.name,
      r.pending ? { text: "pending", style: "yellow" } : "",
    ]);
  return section(ctx, "Unmatched bank", columns, cells, rows.length);
}

function unmatchedExpectedSection(ctx: Context): string[] {
  const rows = ctx.data.result.unmatchedExpected;
  const columns: Column[] = [
    { header: "Date", align: "left" },
    { header: "Amount", align: "right" },
    { header: "Ledger id", align: "left" },
    { header: "Description", align: "left", widthMax: 48, widthMin: 16 },
    { header: "Counterparty", align: "left", widthMax: 28, widthMin: 10 },
    { header: "Reference", align: "left", widthMax: 20 },
  ];
  const cells = rows
    .slice(0, ctx.rowsMax)
    .map((r): Cell[] => [
      r.date,
      money(ctx, r.amountMinor, r.currency),
      shortId(r.id),
      r.description,
      r.counterparty ?? "",
      r.reference ?? "",
    ]);
  return section(ctx, "Unmatched expected", columns, cells, rows.length);
}

function section(ctx: Context, title: string, columns: Column[], cells: Cell[][], total: number): string[] {
  const head = heading(ctx, title, total, total === 0 ? "bold" : "red");
  if (total === 0) return [head, `${INDENT}none`];
  return [head, ...layout(columns, cells, ctx.widthMax, ctx.painter), ...more(ctx, cells.length, total)];
}

function count(n: number): string {
  return n.toLocaleString("en-US");
}

/** Counts, totals per currency and the status: the part to read first when short of time. */
function summarySection(ctx: Context): string[] {
  const s = ctx.data.result.summary;
  const review = s.needsReviewCount === 1 ? "1 needs review" : `${count(s.needsReviewCount)} need review`;
  const facts: Cell[][] = [
    [
      "Bank rows",
      count(s.bankCount),
      `matched ${count(s.matchedBankCount)}, unmatched ${count(s.unmatchedBankCount)}`,
    ],
    [
      "Ledger rows",
      count(s.expectedCount),
      `matched ${count(s.matchedExpectedCount)}, unmatched ${count(s.unmatchedExpectedCount)}`,
    ],
    [
      "Matches",
      count(s.matchCount),
      `one-to-one ${count(s.byKind.one_to_one)}, many-to-one ${count(s.byKind.many_to_one)}, ` +
        `one-to-many ${count(s.byKind.one_to_many)}; ${review}`,
    ],
  ];
  const factColumns: Column[] = [
    { header: "", align: "left" },
    { header: "", align: "right" },
    { header: "", align: "left" },
  ];
  const totals = s.totals.map((t): Cell[] => [
    t.currency,
    formatAmount(t.bankMatchedMinor, t.currency),
    formatAmount(t.bankUnmatchedMinor, t.currency),
    formatAmount(t.expectedMatchedMinor, t.currency),
    formatAmount(t.expectedUnmatchedMinor, t.currency),
  ]);
  const totalColumns: Column[] = [
    { header: "Totals", align: "left" },
    { header: "Bank matched", align: "right" },
    { header: "Bank unmatched", align: "right" },
    { header: "Ledger matched", align: "right" },
    { header: "Ledger unmatched", align: "right" },
  ];
  const complete = ctx.data.result.status === "complete";
  const status = complete ? "complete: every row is matched" : "needs review";
  return [
    ctx.painter.paint("Summary", "bold"),
    ...layout(factColumns, facts, ctx.widthMax, ctx.painter).slice(1),
    ...(totals.length === 0 ? [] : ["", ...layout(totalColumns, totals, ctx.widthMax, ctx.painter)]),
    "",
    `${INDENT}Status  ${ctx.painter.paint(status, complete ? "green" : "yellow")}`,
  ];
}

/**
 * The whole report as lines (no terminators). Sections follow `only`; the summary always ends it.
 *
 * @example
 * for (const line of renderTable({ result, bankById, expectedById }, { color: false })) console.log(line);
 */
export function renderTable(data: TableData, options: TableOptions): string[] {
  const currencies = new Set(data.result.summary.totals.map((t) => t.currency));
  const ctx: Context = {
    data,
    painter: new Painter(options.color),
    rowsMax: options.rowsPerSectionMax ?? 50,
    widthMax: options.widthMax ?? 200,
    showCurrency: currencies.size > 1,
  };
  const only = options.only;
  const sections: string[][] = [];
  if (only === undefined || only === "matched") sections.push(matchSection(ctx, "Matched", "green", false));
  if (only === undefined || only === "review")
    sections.push(matchSection(ctx, "Needs review", "yellow", true));
  if (only === undefined || only === "unmatched") {
    sections.push(unmatchedBankSection(ctx), unmatchedExpectedSection(ctx));
  }
  sections.push(summarySection(ctx));
  const title =
    options.title === undefined ? [] : [ctx.painter.paint(escapeControls(options.title), "bold"), ""];
  return [...title, ...sections.flatMap((lines, i) => (i === 0 ? lines : ["", ...lines]))];
}
