import { excerpt, ImportError } from "../errors/index.js";

/**
 * A problem with one field of one row, raised by the row mappers, which do not know where the
 * row came from. The caller that does (a CSV line, a JSON path) turns it into an ImportError,
 * so every format words its messages the same way.
 */
export class RowProblem extends Error {
  constructor(
    /** The field as the input names it (a CSV header, a JSON key). */
    readonly field: string,
    /** Reads after the field (`expected a number`) or after the quoted value (`is not a date`). */
    readonly reason: string,
    /** The offending value as written, when there is one. */
    readonly value?: string,
    options?: { cause?: unknown },
  ) {
    super(`${field}: ${reason}`, options);
    this.name = "RowProblem";
  }
}

/**
 * `expected.csv:17: amount "12,3x" is not a number`. The field and value come from the file, so
 * each is quoted as a short, escaped excerpt: a bad cell of a megabyte is not echoed whole.
 */
export function atLine(file: string, line: number, problem: RowProblem): ImportError {
  const field = excerpt(problem.field);
  const text =
    problem.value === undefined
      ? `${field}: ${problem.reason}`
      : `${field} "${excerpt(problem.value)}" ${problem.reason}`;
  return new ImportError({ file, line, field }, text, { cause: problem.cause ?? problem });
}

/** `bank.json: transactions[3].amount: expected a number` */
export function atPath(file: string, path: string, problem: RowProblem): ImportError {
  const name = excerpt(problem.field);
  const field = name === "" ? path : path === "" ? name : `${path}.${name}`;
  const text =
    problem.value === undefined
      ? `${field}: ${problem.reason}`
      : `${field}: "${excerpt(problem.value)}" ${problem.reason}`;
  return new ImportError({ file, field }, text, { cause: problem.cause ?? problem });
}
