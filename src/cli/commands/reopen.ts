import type { Command } from "commander";
import type { CliContext } from "../context.js";
import { UsageError } from "../errors.js";
import { dateFlag } from "../options.js";
import { addStoreOptions, printJson, STORE_HELP, type StoreFlags, withStore } from "../store-options.js";
import { actorOf, addActorOption } from "./workflow-options.js";

const EXAMPLES = `
Reopens an account from a date: an explicit decision, recorded with --reason and who took it.
The account's locked rows dated then or later (and the ledger entries they locked) are
unlocked, and its closes end the day before. Bank changes held while they were locked are not
applied here: see them with bankrec review --locked, apply them with bankrec review
--apply-locked (an accepted match whose amount changed goes back to the review queue).

Examples:
  $ bankrec reopen --account ACCOUNT_ID --from 2026-05-01 --reason "bank corrected the May 12 wire"
${STORE_HELP}`;

interface ReopenFlags extends StoreFlags {
  readonly account?: string;
  readonly from?: string;
  readonly reason?: string;
  readonly actor?: string;
}

/** `bankrec reopen`. */
export async function runReopen(flags: ReopenFlags, ctx: CliContext): Promise<void> {
  const account = flags.account?.trim();
  if (account === undefined || account === "") throw new UsageError("give --account: the account to reopen");
  const from = dateFlag("--from", flags.from);
  if (from === undefined) throw new UsageError("give --from: the first bank date to unlock, YYYY-MM-DD");
  const reason = flags.reason?.trim();
  if (reason === undefined || reason === "")
    throw new UsageError("give --reason: why the period reopens (it is recorded)");
  const actor = actorOf(flags, ctx);
  const { reopenPeriod } = await import("../../workflow/periods.js");
  const outcome = await withStore(flags, ctx, (store) =>
    reopenPeriod(store, { accountId: account, from, reason, actor }),
  );
  if (flags.json === true) {
    printJson(ctx, {
      account_id: outcome.accountId,
      from: outcome.from,
      unlocked_bank: outcome.unlockedBank,
      unlocked_expected: outcome.unlockedExpected,
      lock_ids: outcome.lockIds,
      applicable_changes: outcome.applicableChanges,
    });
    return;
  }
  ctx.stdout.write(
    `reopened account ${outcome.accountId} from ${outcome.from}: unlocked ${outcome.unlockedBank} bank row${outcome.unlockedBank === 1 ? "" : "s"} and ` +
      `${outcome.unlockedExpected} ledger entr${outcome.unlockedExpected === 1 ? "y" : "ies"} (by ${actor})\n`,
  );
  if (outcome.applicableChanges > 0)
    ctx.stdout.write(
      `${outcome.applicableChanges} held bank change${outcome.applicableChanges === 1 ? "" : "s"} can now be applied: bankrec review --locked, then bankrec review --apply-locked\n`,
    );
}

/** `bankrec reopen`. */
export function registerReopen(program: Command, ctx: CliContext): void {
  const command = program
    .command("reopen")
    .description("reopen an account's closed period from a date (a recorded decision)")
    .option("--account <id>", "the bank account")
    .option("--from <date>", "the first bank date to unlock, YYYY-MM-DD")
    .option("--reason <text>", "why, recorded with the decision");
  addActorOption(command);
  addStoreOptions(command)
    .addHelpText("after", EXAMPLES)
    .action(async (flags: ReopenFlags) => {
      await runReopen(flags, ctx);
    });
}
