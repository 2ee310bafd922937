import { BadRowsError, ImportError } from "../../src/errors/index.js";

/**
 * The ImportError that `run` throws. Any other outcome fails the test: another error is
 * rethrown as it is, and no error at all is a failure of its own.
 */
export function importErrorOf(run: () => unknown): ImportError {
  try {
    run();
  } catch (error) {
    if (error instanceof ImportError) return error;
    throw error;
  }
  throw new Error("expected an ImportError");
}

/** The BadRowsError that `run` throws (every bad row of a file at once); anything else fails the test. */
export function badRowsOf(run: () => unknown): BadRowsError {
  const error = importErrorOf(run);
  if (error instanceof BadRowsError) return error;
  throw new Error(`expected a BadRowsError, got ${error.name}: ${error.message}`);
}

/** The same for a promise. */
export async function badRowsOfAsync(promise: Promise<unknown>): Promise<BadRowsError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (error instanceof BadRowsError) return error;
  throw new Error(`expected a BadRowsError, got ${String(error)}`);
}
