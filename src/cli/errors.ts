import { CommanderError } from "commander";
import { BadRowsError, BankrecError, escapeControls, ImportError, InputError } from "../errors/index.js";
import { problemsOf } from "../importers/problem-list.js";
import type { PlaidApiError } from "../plaid/index.js";
import { type CliContext, debugEnabled } from "./context.js";

/** Exit codes: the contract scripts rely on. */
export const EXIT = {
  /** It ran; unmatched rows are a result, not a failure. */
  ok: 0,
  /** Something unexpected; a bug or the environment. */
  unexpected: 1,
  /** Bad usage: an unknown or invalid option. */
  usage: 2,
  /** Bad input: a file is missing or cannot be read; an unknown item. */
  input: 3,
  /** Plaid refused or failed a call (after retries); the message carries Plaid's request id. */
  plaid: 4,
  /** Another process holds what this one needs (a sync of the same item). */
  busy: 5,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** The command line itself is wrong: an option's value, a missing flag, a conflict. */
export class UsageError extends BankrecError {
  readonly code = "USAGE" as const;
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

const FILE_ERRNO: Readonly<Record<string, string>> = {
  ENOENT: "file not found",
  EACCES: "permission denied",
  EISDIR: "is a directory, not a file",
  ENOTDIR: "a part of the path is not a directory",
};

interface ErrnoLike {
  readonly code: string;
  readonly path: string;
}

function isFileErrno(error: unknown): error is ErrnoLike {
  if (!(error instanceof Error)) return false;
  const { code, path } = error as { code?: unknown; path?: unknown };
  return typeof code === "string" && code in FILE_ERRNO && typeof path === "string";
}

/** By code, not class: importing the Plaid module here would load the SDK for every command. */
function isPlaidError(error: unknown): error is PlaidApiError {
  return error instanceof BankrecError && error.code === "PLAID";
}

/** The longest line an error prints: readers quote short excerpts; this holds whatever does not. */
const MESSAGE_CHARS_MAX = 2_000;

/**
 * One line, never a stack: messages from the engine or a reader may span lines. Whatever of a
 * file or a file name a message quotes reaches the terminal escaped, never as its controls, and
 * a message is cut at MESSAGE_CHARS_MAX.
 */
function oneLine(text: string): string {
  const flat = text.replace(/\s*\r?\n\s*/g, " ").trim();
  const cut =
    flat.length > MESSAGE_CHARS_MAX
      ? `${flat.slice(0, MESSAGE_CHARS_MAX)}… (${(flat.length - MESSAGE_CHARS_MAX).toLocaleString("en-US")} more characters)`
      : flat;
  return escapeControls(cut);
}

/**
 * Several bad rows: an intro line, then each row's problem on a line of its own in the readers'
 * `file:line: problem` form, so editors can jump to each.
 */
function sayBadRows(error: BadRowsError, ctx: CliContext): void {
  const shown = error.problems.length;
  const listed = error.badRowCount > shown ? `, the first ${shown}` : "";
  const lines = [
    `bankrec: ${oneLine(error.file)}: ${error.badRowCount.toLocaleString("en-US")} rows are bad${listed}:`,
    ...error.problems.map((problem) => `  ${oneLine(problem.message)}`),
  ];
  ctx.stderr.write(`${lines.join("\n")}\n`);
}

/**
 * Reports a failure on stderr and says which exit code it maps to. Commander has already printed
 * its own usage errors (through the program's `outputError`), so those only map to a code.
 */
export function reportError(error: unknown, ctx: CliContext): ExitCode {
  const say = (line: string): void => {
    ctx.stderr.write(`bankrec: ${oneLine(line)}\n`);
  };
  if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  if (error instanceof BadRowsError && error.badRowCount > 1) {
    sayBadRows(error, ctx);
    return EXIT.input;
  }
  if (error instanceof ImportError || error instanceof InputError) {
    say(error.message);
    return EXIT.input;
  }
  if (isFileErrno(error)) {
    say(`${error.path}: ${FILE_ERRNO[error.code]}`);
    return EXIT.input;
  }
  if (error instanceof BankrecError && (error.code === "USAGE" || error.code === "CONFIG")) {
    say(error.message);
    return EXIT.usage;
  }
  if (isPlaidError(error)) {
    say(`${error.message} (request id ${error.requestId ?? "none: no answer from Plaid"})`);
    return EXIT.plaid;
  }
  if (error instanceof BankrecError && error.code === "BUSY") {
    say(error.message);
    return EXIT.busy;
  }
  const message = error instanceof Error ? error.message : String(error);
  if (debugEnabled(ctx.env)) {
    say(`unexpected error: ${message}`);
    if (error instanceof Error && error.stack !== undefined)
      ctx.stderr.write(`${error.stack.split("\n").map(escapeControls).join("\n")}\n`);
  } else {
    say(`unexpected error: ${message} (set BANKREC_DEBUG=1 to see the stack)`);
  }
  return EXIT.unexpected;
}

/**
 * A failed read for `--json`: what a program needs to show or fix each bad row. Printed on
 * stdout by the commands that read files; stderr still carries the lines for people.
 *
 * @example {"error":{"code":"IMPORT","message":"e.csv: 2 rows are bad; first: ..."},"badRowCount":2,"problems":[{"file":"e.csv","line":3,"field":"amount","message":"e.csv:3: amount \"x\" is not a number"}, ...]}
 */
export function importFailureJson(error: ImportError): string {
  const problems = problemsOf(error);
  // A file-level failure (missing, too large) is one problem and no bad row.
  const badRowCount = error instanceof BadRowsError ? error.badRowCount : 0;
  return `${JSON.stringify({ error: { code: error.code, message: error.message }, badRowCount, problems }, null, 2)}\n`;
}
