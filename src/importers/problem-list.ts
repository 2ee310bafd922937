import { BadRowsError, ImportError, type InputProblem } from "../errors/index.js";
import { PROBLEMS_MAX } from "./input-limits.js";

/**
 * What a reader that goes on past bad rows gives back: the rows that read cleanly and the
 * problems of the others, as values (see `readExpectedFileChecked`).
 */
export interface CheckedRows<Row> {
  /** The rows that read cleanly, in file order. */
  readonly rows: Row[];
  /** The bad rows' problems in file order, at most 50; empty when every row read. */
  readonly problems: readonly InputProblem[];
  /** How many rows were bad; more than `problems.length` past the bound. */
  readonly badRowCount: number;
}

/** An ImportError as a problem value: its location and its whole message. */
export function problemOf(error: ImportError): InputProblem {
  return {
    file: error.file,
    ...(error.line !== undefined && { line: error.line }),
    ...(error.field !== undefined && { field: error.field }),
    ...(error.path !== undefined && { path: error.path }),
    message: error.message,
  };
}

/** Every problem an ImportError stands for: a BadRowsError's list, or the error itself. */
export function problemsOf(error: ImportError): readonly InputProblem[] {
  return error instanceof BadRowsError ? error.problems : [problemOf(error)];
}

/**
 * The bad rows of one read, kept up to a bound (the rest counted), so a reader can go on to the
 * next row and report them all at once.
 *
 * @example
 * const problems = new ProblemList("expected.csv");
 * for (const row of rows) try { read(row); } catch (e) { problems.add(() => atLine(...)); }
 * problems.check(); // throws one BadRowsError listing them, if any
 */
export class ProblemList {
  readonly #problems: InputProblem[] = [];
  #count = 0;

  constructor(
    readonly file: string,
    readonly max = PROBLEMS_MAX,
  ) {}

  /**
   * Notes one bad row; the caller goes on to the next. Past the bound the row is only counted, so
   * a file of a million bad rows does not build a million messages: pass a function to build the
   * error only when it is kept.
   */
  add(error: ImportError | (() => ImportError)): void {
    this.#count++;
    if (this.#problems.length < this.max)
      this.#problems.push(problemOf(typeof error === "function" ? error() : error));
  }

  get count(): number {
    return this.#count;
  }

  get problems(): readonly InputProblem[] {
    return this.#problems;
  }

  /** Throws the one error that lists every bad row, when there is any. */
  check(): void {
    if (this.#count > 0) throw new BadRowsError(this.file, this.#problems, this.#count);
  }

  /**
   * Reading cannot go on (a quote never closed, a line too long): throws `error`, or, after bad
   * rows, the error that lists them with this one last.
   */
  stop(error: unknown): never {
    if (this.#count === 0 || !(error instanceof ImportError) || error instanceof BadRowsError) throw error;
    this.add(error);
    throw new BadRowsError(this.file, this.#problems, this.#count);
  }

  /** The rows read and the problems, as values. */
  checked<Row>(rows: Row[]): CheckedRows<Row> {
    return { rows, problems: this.#problems, badRowCount: this.#count };
  }
}
