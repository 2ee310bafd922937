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
