import type { ExpectedEntry } from "../domain/index.js";
import { escapeControls } from "../errors/index.js";
import { adjustmentReasonOf } from "../workflow/auto-accept.js";
import type { MatchDetail, WorkflowBankRow } from "../workflow/index.js";
import { REVIEW_KEYS } from "./review-keys.js";
import { type Notice, plural, type SessionCounts } from "./review-session.js";
import { moneyText } from "./store-options.js";
import { truncate } from "./table.js";

/**
 * The terminal review's screens as lines, pure: a proposal (its bank rows and ledger entries
 * side by side, the confidence, the engine's reasons in words), the help, and the end. Every
 * line fits the width it is given, the text from the bank and the ledger is cut and its control
 * characters written out (a payee's escape sequence must never reach the terminal), and the
 * screen fits the height: reasons give way first, then rows.
 */

export interface ScreenLayout {
  readonly width: number;
  readonly height: number;
  /** ANSI colour (the caller decides from the TTY and NO_COLOR). */
  readonly color: boolean;
}

/** Everything a screen shows. */
export interface ReviewView {
  readonly detail: MatchDetail | null;
  /** 1-based place among the proposals loaded. */
  readonly position: number;
  readonly loaded: number;
  /** The queue held more than were loaded. */
  readonly more: boolean;
  readonly counts: SessionCounts;
  readonly stillWaiting: number;
  readonly actor: string;
  readonly notice: Notice | null;
  readonly help: boolean;
}

type Style = "bold" | "dim" | "green" | "yellow" | "red";

interface Line {
  readonly text: string;
  readonly style?: Style;
}

/** table.ts's colours, for whole lines (its painter works on cells). */
const ANSI: Readonly<Record<Style, readonly [string, string]>> = {
  bold: ["\u001b[1m", "\u001b[22m"],
  dim: ["\u001b[2m", "\u001b[22m"],
  green: ["\u001b[32m", "\u001b[39m"],
  yellow: ["\u001b[33m", "\u001b[39m"],
  red: ["\u001b[31m", "\u001b[39m"],
};

/** Narrower than this, the two sides are stacked instead of side by side. */
export const SIDE_BY_SIDE_WIDTH_MIN = 72;
/** The least the screens are laid out for; a smaller terminal cuts them. */
const WIDTH_MIN = 20;
const HEIGHT_MIN = 8;
const REASONS_SHOWN_MAX = 8;
const NOTICE_LINES_MAX = 3;
const SEPARATOR = " │ ";
const KEYS_LINE = "[a] accept  [r] reject  [s] skip  [u] undo  [q] quit  [?] help";

/**
 * The screen for `view`, as lines without terminators, each at most `layout.width` visible
 * characters and at most `layout.height` of them.
 *
 * @example renderReview(view, { width: 100, height: 30, color: false })[0] // "bankrec review · 1 of 41 · m_3f9a…"
 */
export function renderReview(view: ReviewView, layout: ScreenLayout): string[] {
  const width = Math.max(WIDTH_MIN, layout.width);
  const height = Math.max(HEIGHT_MIN, layout.height);
  const lines = view.help
    ? helpLines()
    : view.detail === null
      ? endLines(view)
      : proposalLines(view, view.detail, width, height);
  const footer: Line[] = [{ text: view.detail === null ? "[u] undo  [q] quit" : KEYS_LINE, style: "dim" }];
  const notice = view.notice;
  // The library's refusals name the way out (a reopen command, a match command): wrapped, not cut.
  if (notice !== null)
    for (const text of wrap(escapeControls(notice.text), width, NOTICE_LINES_MAX))
      footer.push({ text, style: toneStyle(notice.tone) });
  const body = lines.slice(0, Math.max(0, height - footer.length - 1));
  // Escaped once more as a whole: the actor and ids come from outside too, and escaping escaped
  // text changes nothing.
  return [...body, { text: "" }, ...footer].map((line) =>
    paint(cutTo(escapeControls(line.text), width), line.style, layout.color),
  );
}

function proposalLines(view: ReviewView, detail: MatchDetail, width: number, height: number): Line[] {
  const { match } = detail;
  const total = `${view.loaded.toLocaleString("en-US")}${view.more ? "+" : ""}`;
  const head: Line[] = [
    { text: `bankrec review · ${view.position} of ${total} · ${match.id} · by ${view.actor}`, style: "bold" },
    { text: summaryWords(detail) },
    { text: "" },
  ];
  const reasons = [...match.reasons].sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution));
  // Lines besides the rows and the reasons: the head, a blank, the difference, a blank, "Why", a
  // blank and the footer's two.
  const budget = height - head.length - 7;
  const reasonsShown = Math.min(reasons.length, REASONS_SHOWN_MAX, Math.max(1, budget - 3));
  const rowsMax = Math.max(1, Math.floor((budget - reasonsShown - 1) / 2));
  const bank = sideOf("Bank", detail.bank.map(bankCells), detail.bankTotalMinor, currencyOf(detail), rowsMax);
  const ledger = sideOf(
    "Ledger",
    detail.expected.map(entryCells),
    detail.ledgerTotalMinor,
    currencyOf(detail),
    rowsMax,
  );
  const why: Line[] = [{ text: "Why (the engine's reasons, strongest first):" }];
  for (const r of reasons.slice(0, reasonsShown))
    why.push({ text: `  ${signed(r.contribution).padStart(5)}  ${truncate(r.detail, width)}` });
  if (reasons.length > reasonsShown)
    why.push({ text: `  … and ${reasons.length - reasonsShown} more`, style: "dim" });
  if (reasons.length === 0) why.push({ text: "  (no reasons recorded)", style: "dim" });
  return [...head, ...sides(bank, ledger, width), { text: "" }, differenceLine(detail), { text: "" }, ...why];
}

/** "1 bank row ↔ 2 ledger entries · confidence 0.872 · flagged for review". */
function summaryWords(detail: MatchDetail): string {
  const { match } = detail;
  const parts = [
    `${plural(detail.bank.length, "bank row")} ↔ ${plural(detail.expected.length, "ledger entry", "ledger entries")}`,
    `confidence ${match.confidence.toFixed(3)}`,
    match.status === "needs_review"
      ? "flagged for review"
      : match.status === "unmatched"
        ? "accepted once, then unmatched"
        : "proposed",
  ];
  if (match.pending) parts.push("a bank row is pending: it may still change");
  return parts.join(" · ");
}

function differenceLine(detail: MatchDetail): Line {
  const currency = currencyOf(detail);
  if (detail.differenceMinor === 0) return { text: "Amounts agree.", style: "green" };
  const reason = adjustmentReasonOf(detail.match.reasons);
  return {
    text: `Difference ${moneyText(detail.differenceMinor, currency)} ${currency ?? ""}: accepting keeps it as an adjustment (${reason}).`,
    style: "yellow",
  };
}

function currencyOf(detail: MatchDetail): string | null {
  return detail.match.currency ?? detail.bank[0]?.currency ?? detail.expected[0]?.currency ?? null;
}

/** A row as its two lines' parts: date, amount, account; then its words. */
interface RowCells {
  readonly date: string;
  readonly amount: string;
  readonly account: string;
  readonly words: string;
}

function bankCells(row: WorkflowBankRow): RowCells {
  const flags = [row.pending ? "pending" : "", row.removedAt !== null ? "removed by the bank" : ""].filter(
    Boolean,
  );
  const merchant = row.merchantName !== null && row.merchantName !== row.name ? ` · ${row.merchantName}` : "";
  return {
    date: row.date,
    amount: moneyText(row.amountMinor, row.currency),
    account: [row.accountId ?? "(no account)", ...flags].join(" · "),
    words: `${row.name}${merchant}`,
  };
}

function entryCells(entry: ExpectedEntry): RowCells {
  const words = [entry.description, entry.counterparty, entry.reference].filter(
    (w): w is string => w !== null && w.trim() !== "",
  );
  return {
    date: entry.date,
    amount: moneyText(entry.amountMinor, entry.currency),
    account: entry.accountId ?? "(any account)",
    words: [...new Set(words)].join(" · "),
  };
}

/** One side's block: a title with the total, then two lines a row, at most `rowsMax` rows. */
interface Side {
  readonly title: string;
  readonly rows: readonly RowCells[];
  readonly hidden: number;
}

function sideOf(
  name: string,
  rows: readonly RowCells[],
  totalMinor: number,
  currency: string | null,
  rowsMax: number,
): Side {
  const shown = rows.length <= rowsMax ? rows : rows.slice(0, Math.max(1, rowsMax - 1));
  const count = name === "Bank" ? plural(rows.length, "row") : plural(rows.length, "entry", "entries");
  return {
    title: `${name} · ${count} · total ${moneyText(totalMinor, currency)} ${currency ?? ""}`.trimEnd(),
    rows: shown,
    hidden: rows.length - shown.length,
  };
}

/** A side's lines at `width`: each field cut on its own, so the amount is never the part lost. */
function blockOf(side: Side, width: number): Line[] {
  const amountWidth = Math.max(0, ...side.rows.map((r) => r.amount.length));
  const out: Line[] = [{ text: truncate(side.title, width), style: "bold" }];
  for (const row of side.rows) {
    const lead = `${row.date}  ${row.amount.padStart(amountWidth)}  `;
    out.push({ text: `${lead}${truncate(row.account, Math.max(1, width - lead.length))}` });
    out.push({ text: `  ${truncate(row.words, Math.max(1, width - 2))}` });
  }
  if (side.hidden > 0) out.push({ text: `… and ${side.hidden} more`, style: "dim" });
  return out;
}

/** The two sides next to each other when the width allows, else one above the other. */
function sides(bank: Side, ledger: Side, width: number): Line[] {
  if (width < SIDE_BY_SIDE_WIDTH_MIN)
    return [...blockOf(bank, width), { text: "" }, ...blockOf(ledger, width)];
  const column = Math.floor((width - SEPARATOR.length) / 2);
  const left = blockOf(bank, column);
  const right = blockOf(ledger, column);
  const out: Line[] = [];
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    const l = left[i]?.text ?? "";
    const r = right[i]?.text ?? "";
    // A whole line has one style: the titles' bold reads for both sides.
    const style = i === 0 ? "bold" : undefined;
    out.push({
      text: `${cutTo(l, column).padEnd(column)}${SEPARATOR}${r}`.trimEnd(),
      ...(style && { style }),
    });
  }
  return out;
}

function endLines(view: ReviewView): Line[] {
  const c = view.counts;
  const decided = [
    `${c.accepted} accepted`,
    `${c.rejected} rejected`,
    `${c.skipped} skipped`,
    ...(c.withdrawn > 0 ? [`${c.withdrawn} withdrawn by an acceptance`] : []),
    ...(c.undone > 0 ? [`${c.undone} undone`] : []),
  ];
  return [
    { text: `bankrec review · every proposal loaded has been seen · by ${view.actor}`, style: "bold" },
    { text: "" },
    { text: `  ${decided.join(" · ")}` },
    {
      text: `  ${plural(view.stillWaiting, "proposal")} still waiting${view.more ? ", and more beyond the first " + view.loaded.toLocaleString("en-US") : ""} (bankrec review again shows them)`,
    },
  ];
}

function helpLines(): Line[] {
  return [
    { text: "bankrec review · keys", style: "bold" },
    { text: "" },
    ...REVIEW_KEYS.map((k) => ({ text: `  ${k.keys}  ${k.words}` })),
    { text: "  Ctrl-C leaves at once, like q; Ctrl-L draws the screen again" },
    { text: "" },
    { text: "Each decision is saved when taken, with your name (--actor) and the time." },
  ];
}

function signed(contribution: number): string {
  const rounded = Math.round(contribution);
  return rounded > 0 ? `+${rounded}` : String(rounded);
}

function toneStyle(tone: Notice["tone"]): Style {
  return tone === "ok" ? "green" : tone === "warn" ? "yellow" : "red";
}

/** Words into lines of at most `width` characters, at most `linesMax` of them (the last one cut). */
function wrap(text: string, width: number, linesMax: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/).filter((w) => w !== "")) {
    if (line === "") line = word;
    else if (line.length + 1 + word.length <= width) line = `${line} ${word}`;
    else {
      lines.push(line);
      line = word;
    }
  }
  if (line !== "") lines.push(line);
  if (lines.length <= linesMax) return lines;
  const kept = lines.slice(0, linesMax);
  kept[linesMax - 1] = cutTo(`${kept[linesMax - 1]} ${lines.slice(linesMax).join(" ")}`, width);
  return kept;
}

/** Cuts an already-escaped line to `width` characters. */
function cutTo(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, Math.max(0, width - 1))}…`;
}

function paint(text: string, style: Style | undefined, color: boolean): string {
  if (!color || style === undefined || text === "") return text;
  const [open, close] = ANSI[style];
  return `${open}${text}${close}`;
}
