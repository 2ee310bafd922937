import type { BankTransaction, ExpectedEntry } from "../domain/index.js";
import {
  type ReconcileOptions,
  type ReconcileResult,
  reconcile as reconcileInThisThread,
} from "../reconcile/index.js";
import { threadedExecutor } from "./threaded-executor.js";

/**
 * The reconciliation engine with Node's worker threads: the runtime half that the pure engine
 * (reconcile/) leaves to its caller, as Hono keeps runtimes in adapters. The package exports
 * this `reconcile`, and the CLI runs it.
 */
export { threadedExecutor } from "./threaded-executor.js";

/**
 * `reconcile` from the engine, with `threads` honoured: above 1, and with no `executor` given,
 * the settlement search runs on `threadedExecutor(threads)`. The result is the same as the
 * engine's in one thread, for any number of threads.
 *
 * @example
 * const result = reconcile(bankTransactions, ledgerEntries, { threads: 4 });
 */
export function reconcile(
  bankRows: readonly BankTransaction[],
  expectedRows: readonly ExpectedEntry[],
  options: ReconcileOptions = {},
): ReconcileResult {
  const threads = options.threads ?? 1;
  // A number the engine refuses reaches it unchanged, to be refused with its own message.
  const threaded = options.executor === undefined && Number.isInteger(threads) && threads > 1;
  return reconcileInThisThread(
    bankRows,
    expectedRows,
    threaded ? { ...options, executor: threadedExecutor(threads) } : options,
  );
}
