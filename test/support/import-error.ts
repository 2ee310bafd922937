import { ImportError } from "../../src/errors/index.js";

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
