import type { Command } from "commander";
import type { SyncItemReport, SyncProgress } from "../../sync/index.js";
import type { CliContext } from "../context.js";
import { wholeNumber } from "../options.js";
import { Progress } from "../progress.js";
import {
  addStoreOptions,
  backends,
  cliGateway,
  itemFlag,
  itemIdsOf,
  printJson,
  STORE_HELP,
  type StoreFlags,
  withStore,
} from "../store-options.js";

const EXAMPLES = `
Each item's transactions are pulled from its stored cursor and applied with the new cursor in
one database transaction. An item that needs its user (ITEM_LOGIN_REQUIRED, …) is reported with
what to do and the run still exits 0; a Plaid failure or a busy item exits non-zero after the
other items have run. Progress is drawn on stderr only when it is a terminal.

Examples:
  $ bankrec sync                                          every item
  $ bankrec sync --item ITEM_ID --wait 60                 wait up to a minute for another sync
  $ bankrec sync --json | jq '.items[] | select(.outcome != "synced")'
${STORE_HELP}`;

export interface SyncFlags extends StoreFlags {
  readonly item?: string;
  readonly wait?: string;
}

/** One item's outcome in the CLI's JSON (snake_case, no cursor: it is noise to people). */
export type SyncReportLine =
  | {
      readonly item_id: string;
      readonly outcome: "synced";
      readonly added: number;
      readonly modified: number;
      readonly removed: number;
      readonly carried_over: number;
      readonly pages: number;
      readonly restarts: number;
    }
  | { readonly item_id: string; readonly outcome: "not_ready"; readonly pages: number }
  | {
      readonly item_id: string;
      readonly outcome: "item_error";
      readonly error_code: string;
      readonly action: string;
    }
  | { readonly item_id: string; readonly outcome: "failed"; readonly error: string };

const WAIT_SECONDS_MAX = 3600;

export function syncReportLine(report: SyncItemReport): SyncReportLine {
  const item_id = report.itemId;
  if (report.outcome === "item_error")
    return {
      item_id,
      outcome: "item_error",
      error_code: report.problem.errorCode,
      action: report.problem.action,
    };
  if (report.outcome === "not_ready") return { item_id, outcome: "not_ready", pages: report.pages };
  return {
    item_id,
    outcome: "synced",
    added: report.added,
    modified: report.modified,
    removed: report.removed,
    carried_over: report.carriedOver,
    pages: report.pages,
    restarts: report.restarts,
  };
}

function count(n: number): string {
  return n.toLocaleString("en-US");
}

/** One line per item for people. */
export function printSyncReports(ctx: CliContext, lines: readonly SyncReportLine[]): void {
  for (const line of lines) {
    const text =
      line.outcome === "synced"
        ? `synced: ${count(line.added)} added, ${count(line.modified)} modified, ${count(line.removed)} removed` +
          ` (${count(line.pages)} pages, ${count(line.restarts)} restarts` +
          `${line.carried_over > 0 ? `, ${count(line.carried_over)} edits carried to posted rows` : ""})`
        : line.outcome === "not_ready"
          ? "not ready: Plaid is still pulling this item's history; run bankrec sync again in a few minutes"
          : line.outcome === "item_error"
            ? `needs its user (${line.error_code}): ${line.action}`
            : `failed: ${line.error}`;
    ctx.stdout.write(`item ${line.item_id}: ${text}\n`);
  }
}

function progressOf(ctx: CliContext): { onProgress: (p: SyncProgress) => void; clear: () => void } {
  const progress = new Progress(ctx.stderr);
  return {
    onProgress: (p) =>
      progress.status(
        `syncing ${p.itemId}… ${count(p.pages)} pages, ${count(p.staged)} changes` +
          (p.restarts > 0 ? `, ${count(p.restarts)} restarts` : ""),
      ),
    clear: () => progress.clear(),
  };
}

/**
 * `bankrec sync`: every stored item (or one), one after the other. Real failures do not stop
 * the other items; the first is thrown at the end so the exit code says what went wrong.
 */
export async function runSync(flags: SyncFlags, ctx: CliContext): Promise<void> {
  const itemId = itemFlag(flags.item);
  const waitMs = 1000 * wholeNumber("--wait", flags.wait ?? "0", "seconds", 0, WAIT_SECONDS_MAX);
  const gateway = await cliGateway(ctx);
  const { sync } = await backends();
  await withStore(flags, ctx, async (store) => {
    const itemIds = await itemIdsOf(store, itemId);
    const lines: SyncReportLine[] = [];
    let failure: unknown;
    const progress = progressOf(ctx);
    for (const id of itemIds) {
      try {
        const report = await sync.syncItem(store, gateway, id, {
          lockWaitMs: waitMs,
          onProgress: progress.onProgress,
        });
        lines.push(syncReportLine(report));
      } catch (error) {
        failure ??= error;
        lines.push({
          item_id: id,
          outcome: "failed",
          error: error instanceof Error ? error.message : String(error),
        });
      }
      progress.clear();
    }
    if (flags.json === true) printJson(ctx, { items: lines });
    else if (lines.length === 0) ctx.stdout.write("no items in this store: run bankrec link first\n");
    else printSyncReports(ctx, lines);
    if (failure !== undefined) throw failure;
  });
}

/** `bankrec sync`. */
export function registerSync(program: Command, ctx: CliContext): void {
  const command = program
    .command("sync")
    .description("pull new, changed and removed transactions for every item (or one) into the store")
    .option("--item <id>", "only this item")
    .option(
      "--wait <seconds>",
      `wait this long for another sync of the same item (0 to ${WAIT_SECONDS_MAX})`,
      "0",
    );
  addStoreOptions(command)
    .addHelpText("after", EXAMPLES)
    .action(async (flags: SyncFlags) => {
      await runSync(flags, ctx);
    });
}
