import type { ExpectedEntry } from "../domain/index.js";
import type { BankFeed, ReadOptions } from "../importers/index.js";
import { readBankFile, readExpectedFile } from "../importers/index.js";
import { reconcile } from "../reconcile-threads/index.js";

/** A place the CLI writes to: the process's stdout/stderr, a file, or a test's buffer. */
export interface CliStream extends NodeJS.WritableStream {
  readonly isTTY?: boolean;
  /** Terminal width, when the stream is a terminal. */
  readonly columns?: number | undefined;
}

/** The parts of bankrec a command runs; tests may swap them (e.g. a stand-in engine). */
export interface CliEngine {
  readonly readBankFile: (path: string, options?: ReadOptions) => Promise<BankFeed>;
  readonly readExpectedFile: (path: string, options?: ReadOptions) => Promise<ExpectedEntry[]>;
  readonly reconcile: typeof reconcile;
}

/** Everything a command touches outside its arguments, passed in so tests run in-process. */
export interface CliContext {
  readonly stdout: CliStream;
  readonly stderr: CliStream;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Relative paths in options resolve against this. */
  readonly cwd: string;
  readonly engine: CliEngine;
}

export const defaultEngine: CliEngine = { readBankFile, readExpectedFile, reconcile };

/** The real process's context. */
export function processContext(): CliContext {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
    engine: defaultEngine,
  };
}

/** Whether to colour what goes to `stream`: only on a terminal, and never when NO_COLOR is set. */
export function colorEnabled(stream: CliStream, env: CliContext["env"]): boolean {
  const noColor = env.NO_COLOR;
  return stream.isTTY === true && (noColor === undefined || noColor === "");
}

/** Whether BANKREC_DEBUG asks for stacks. */
export function debugEnabled(env: CliContext["env"]): boolean {
  const value = env.BANKREC_DEBUG;
  return value !== undefined && value !== "" && value !== "0";
}
