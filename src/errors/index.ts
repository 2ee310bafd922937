/**
 * The named errors that cross a module's edge. Each carries a stable `code`; the CLI maps
 * them to exit codes and messages, the API (later) to problem+json. Expected outcomes such
 * as an unmatched row are values, never errors.
 */

export type BankrecErrorCode = "IMPORT" | "INPUT" | "CONFIG" | "USAGE" | "PLAID" | "BUSY";

export abstract class BankrecError extends Error {
  abstract readonly code: BankrecErrorCode;
}

/** Where in an input a problem sits: file, 1-based line, and field when there is one. */
export interface InputLocation {
  readonly file: string;
  readonly line?: number;
  readonly field?: string;
  /** Where in a nested document (an XML element path), when the format has one. */
  readonly path?: string;
}

/**
 * An input file could not be read. The message leads with `file:line:` so that editors and
 * terminals can jump to it, e.g. `expected.csv:17: amount "12,3x" is not a number`.
 */
export class ImportError extends BankrecError {
  readonly code = "IMPORT" as const;
  readonly file: string;
  readonly line: number | undefined;
  readonly field: string | undefined;
  readonly path: string | undefined;
  constructor(location: InputLocation, problem: string, options?: { cause?: unknown }) {
    const at = location.line === undefined ? location.file : `${location.file}:${location.line}`;
    const where = location.path === undefined ? at : `${at} (${location.path})`;
    super(`${where}: ${problem}`, options);
    this.name = "ImportError";
    this.file = location.file;
    this.line = location.line;
    this.field = location.field;
    this.path = location.path;
  }
}

/** An option or setting is missing or invalid. */
export class ConfigError extends BankrecError {
  readonly code = "CONFIG" as const;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "ConfigError";
  }
}

/**
 * Rows handed to the library are not usable as they are (two rows with one id, a date that is
 * not a date). Files are checked by the readers with file and line; this is for rows built in
 * code, and names the row.
 */
export class InputError extends BankrecError {
  readonly code = "INPUT" as const;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "InputError";
  }
}

/** Another process holds what this one needs (a sync of the same item); try again later. */
export class BusyError extends BankrecError {
  readonly code = "BUSY" as const;
  constructor(message: string) {
    super(message);
    this.name = "BusyError";
  }
}

/**
 * One problem with one row (or line) of an input file, as a value: where it is and the message
 * a person reads, which leads with `file:line:` like every import message.
 */
export interface InputProblem {
  readonly file: string;
  readonly line?: number;
  readonly field?: string;
  /** Where in a nested document (a JSON path, an XML element path), when the format has one. */
  readonly path?: string;
  /** The whole line as printed, e.g. `expected.csv:17: amount "12,3x" is not a number`. */
  readonly message: string;
}

/**
 * Rows of one file are bad. Readers go on past a bad row to find the others, up to a bound,
 * and then throw this once, so a person fixes every row in one go and nothing half-read is used.
 * With one problem the message is that problem's (`expected.csv:17: amount "12,3x" is not a
 * number`); with more it counts them and quotes the first:
 * `expected.csv: 3 rows are bad; first: expected.csv:17: amount "12,3x" is not a number`.
 */
export class BadRowsError extends ImportError {
  /** The problems in file order, at most the readers' bound (50). */
  readonly problems: readonly InputProblem[];
  /** How many rows were bad in all; more than `problems.length` when the bound was reached. */
  readonly badRowCount: number;
  constructor(file: string, problems: readonly InputProblem[], badRowCount = problems.length) {
    const first = problems[0];
    if (first === undefined) throw new Error("BadRowsError needs at least one problem");
    const single = problems.length === 1 && badRowCount === 1;
    const location: InputLocation = single
      ? {
          file: first.file,
          ...(first.line !== undefined && { line: first.line }),
          ...(first.field !== undefined && { field: first.field }),
          ...(first.path !== undefined && { path: first.path }),
        }
      : { file };
    const listed = badRowCount > problems.length ? ` (the first ${problems.length} are listed)` : "";
    const count = badRowCount.toLocaleString("en-US");
    super(location, single ? "" : `${count} rows are bad${listed}; first: ${first.message}`);
    // One problem reads exactly as it always did: `file:line: problem`.
    if (single) this.message = first.message;
    this.name = "BadRowsError";
    this.problems = problems;
    this.badRowCount = badRowCount;
  }
}

/**
 * Characters a terminal acts on or that make text read other than it is: C0 and C1 controls,
 * DEL, bidirectional marks and overrides, line and paragraph separators, lone surrogates.
 */
const CONTROL_CHARACTERS = /[\p{Cc}\p{Cs}\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/gu;

/**
 * Text from a file or a command line made safe to print on a terminal: every control character
 * (an escape sequence's ESC, a carriage return that overwrites the line, C1 controls, bidi and
 * line-separator marks, lone surrogates) is written out as `\xNN` or `\uNNNN`. Printable text,
 * accents and all, is kept as it is.
 *
 * @example escapeControls("a\u001b[31mb") // "a\\x1b[31mb"
 */
export function escapeControls(text: string): string {
  return text.replace(CONTROL_CHARACTERS, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${hex(code, 2)}` : `\\u${hex(code, 4)}`;
  });
}

function hex(code: number, digits: number): string {
  return code.toString(16).padStart(digits, "0");
}

/** How much of an offending value an error message quotes. */
export const EXCERPT_CHARS_MAX = 40;

/**
 * At most `charsMax` characters of `text` for an error message, cut with "…" and escaped
 * (see `escapeControls`): a bad value is quoted, never a whole line of a 200 MB file.
 *
 * @example excerpt("12,3x") // "12,3x"
 * @example excerpt("\u0000".repeat(1e6), 4) // "\\x00\\x00\\x00…"
 */
export function excerpt(text: string, charsMax = EXCERPT_CHARS_MAX): string {
  if (text.length <= charsMax) return escapeControls(text);
  let end = Math.max(0, charsMax - 1);
  // Never split a surrogate pair: half a character would print as an escape of its own.
  if (end > 0 && isHighSurrogate(text.charCodeAt(end - 1))) end--;
  return `${escapeControls(text.slice(0, end))}…`;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
