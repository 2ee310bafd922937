import type { Command } from "commander";
import type { PeriodLock } from "../../workflow/index.js";
import type { CliContext } from "../context.js";
import { UsageError } from "../errors.js";
import { dateFlag } from "../options.js";
import {
  addStoreOptions,
  printJson,
  printTable,
  STORE_HELP,
  type StoreFlags,
  withStore,
} from "../store-options.js";
import { actorOf, addActorOption } from "./workflow-options.js";

const EXAMPLES = `
Closes an account's period: its reconciled bank rows up to --through, and the ledger entries
matched with them, are locked. Decisions on them are refused, and a later change the bank
makes to one (amount, date, account, pending, removal) is not applied by sync: it is held for
review (bankrec review --locked) until the period is reopened (bankrec reopen) and the change
applied (bankrec review --apply-locked).

The period starts the day after the account's last close (or at its first row; --from sets
it). The close is refused, nothing changed (exit 3), when a bank row of the period is pending
(it may still change or vanish) or not reconciled; --allow-unreconciled closes anyway and
locks only the reconciled rows, the others stay open for later runs. Closing again through
the same date locks what was reconciled since. --list shows the closes and the changes held.

Examples:
  $ bankrec close --account ACCOUNT_ID --through 2026-05-31
  $ bankrec close --account ACCOUNT_ID --through 2026-05-31 --allow-unreconciled
  $ bankrec close --list
${STORE_HELP}`;

interface CloseFlags extends StoreFlags {
  readonly account?: string;
  readonly through?: string;
  readonly from?: string;
  readonly allowUnreconciled?: boolean;
  readonly list?: boolean;
  readonly actor?: string;
}

function lockJson(lock: PeriodLock): Record<string, unknown> {
  return {
    lock_id: lock.id,
    account_id: lock.accountId,
    from: lock.periodFrom,
    through: lock.throughDate,
    status: lock.status,
    closed_at: lock.closedAt,
    closed_by: lock.closedBy,
    allow_unreconciled: lock.allowUnreconciled,
    locked_bank: lock.lockedBankCount,
    locked_expected: lock.lockedExpectedCount,
    held_changes: lock.heldChangeCount,
  };
}

async function runList(flags: CloseFlags, ctx: CliContext): Promise<void> {
  const { listLocks } = await import("../../workflow/periods.js");
  const locks = await withStore(flags, ctx, (store) =>
    listLocks(store, flags.account === undefined ? {} : { accountId: flags.account.trim() }),
  );
  if (flags.json === true) {
    printJson(ctx, locks.map(lockJson));
    return;
  }
  printTable(
    ctx,
    [
      { header: "Lock", align: "left" },
      { header: "Account", align: "left", widthMax: 40, widthMin: 10 },
      { header: "From", align: "left" },
      { header: "Through", align: "left" },
      { header: "Status", align: "left" },
      { header: "Closed by", align: "left", widthMax: 24, widthMin: 6 },
      { header: "Locked", align: "right" },
      { header: "Held changes", align: "right" },
    ],
    locks.map((lock) => [
      lock.id,
      lock.accountId,
      lock.periodFrom ?? "(start)",
      lock.throughDate,
      lock.status,
      lock.closedBy,
      `${lock.lockedBankCount} bank, ${lock.lockedExpectedCount} ledger`,
      lock.heldChangeCount === 0
        ? "0"
        : { text: `${lock.heldChangeCount} (bankrec review --locked)`, style: "yellow" as const },
    ]),
    "no period is closed",
  );
}

/** `bankrec close`. */
export async function runClose(flags: CloseFlags, ctx: CliContext): Promise<void> {
  if (flags.list === true) {
    await runList(flags, ctx);
    return;
  }
  const account = flags.account?.trim();
  if (account === undefined || account === "")
    throw new UsageError("give --account: the account whose period closes");
  const through = dateFlag("--through", flags.through);
  if (through === undefined)
    throw new UsageError("give --through: the last bank date of the period, YYYY-MM-DD");
  const from = dateFlag("--from", flags.from);
  if (from !== undefined && from > through)
    throw new UsageError(`--from ${from} is after --through ${through}`);
  const actor = actorOf(flags, ctx);
  const { closePeriod } = await import("../../workflow/periods.js");
  const outcome = await withStore(flags, ctx, (store) =>
    closePeriod(store, {
      accountId: account,
      through,
      ...(from === undefined ? {} : { from }),
      allowUnreconciled: flags.allowUnreconciled === true,
      actor,
    }),
  );
  if (flags.json === true) {
    printJson(ctx, {
      lock_id: outcome.lockId,
      account_id: outcome.accountId,
      from: outcome.from,
      through: outcome.through,
      locked_bank: outcome.lockedBank,
      locked_expected: outcome.lockedExpected,
      left_open: outcome.leftOpen,
    });
    return;
  }
  const open =
    outcome.leftOpen === 0
      ? ""
      : `; ${outcome.leftOpen} unreconciled bank row${outcome.leftOpen === 1 ? "" : "s"} left open`;
  ctx.stdout.write(
    `closed account ${outcome.accountId} ${outcome.from === null ? "" : `from ${outcome.from} `}through ${outcome.through}: ` +
      `locked ${outcome.lockedBank} bank row${outcome.lockedBank === 1 ? "" : "s"} and ${outcome.lockedExpected} ledger entr${outcome.lockedExpected === 1 ? "y" : "ies"}${open} (lock ${outcome.lockId}, by ${actor})\n`,
  );
}

/** `bankrec close`. */
export function registerClose(program: Command, ctx: CliContext): void {
  const command = program
    .command("close")
    .description("close an account's period: its reconciled rows are locked")
    .option("--account <id>", "the bank account")
    .option("--through <date>", "the last bank date of the period, YYYY-MM-DD")
    .option("--from <date>", "the first bank date (default: the day after the last close, or the first row)")
    .option(
      "--allow-unreconciled",
      "close although some bank rows are not reconciled: only the reconciled ones lock",
    )
    .option("--list", "list the closes and the bank changes held for review");
  addActorOption(command);
  addStoreOptions(command)
    .addHelpText("after", EXAMPLES)
    .action(async (flags: CloseFlags) => {
      await runClose(flags, ctx);
    });
}
