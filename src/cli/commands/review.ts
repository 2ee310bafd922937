import type { Command } from "commander";
import { formatAmount } from "../../money/index.js";
import { ADJUSTMENT_REASONS, type AdjustmentReason } from "../../workflow/auto-accept.js";
import type { DecisionOutcome, LockedChange, MatchDetail } from "../../workflow/index.js";
import type { CliContext } from "../context.js";
import { UsageError } from "../errors.js";
import { unitInterval, wholeNumber } from "../options.js";
import {
  addStoreOptions,
  moneyText,
  printJson,
  printTable,
  STORE_HELP,
  type StoreFlags,
  withStore,
} from "../store-options.js";
import type { Cell } from "../table.js";
import { actorOf, addActorOption, idList, matchDetailJson } from "./workflow-options.js";

const EXAMPLES = `
The review queue: the proposals of \`bankrec reconcile --stored\` that were not accepted
automatically, most confident first, with their bank rows and ledger entries. Decide with
--accept, --reject (that exact pairing is never proposed again) or --accept-above (every
proposal at least that sure); undo an accepted match with --unmatch (its rows are open again).
Each decision is recorded with --actor (default: your user name), the time and --note.
Accepting a match whose sums differ keeps the difference as its adjustment, with --reason
(fee, rounding, fx, other; default fee when the engine saw a fee, else other).

--locked lists the bank's changes to rows of a closed period, held instead of applied
(--all with the applied ones); after bankrec reopen, --apply-locked applies those whose rows
are no longer locked. A decision on a closed period, an unknown match or one that cannot be
taken is refused, nothing changed (exit 3). In a terminal (stdin and stdout both terminals,
no --json) it shows one proposal at a time: a accept, r reject, s skip, u undo the last step
(an acceptance is unmatched; a rejection cannot be undone), q quit, ? help. Piped, or with
--json, it lists the queue.

Examples:
  $ bankrec review
  $ bankrec review --json > queue.json
  $ bankrec review --accept m_3f9a0c2e7b1d4a58,m_0c1d2e3f4a5b6c7d
  $ bankrec review --reject m_3f9a0c2e7b1d4a58 --note "paid by the other Acme"
  $ bankrec review --accept-above 0.95
  $ bankrec review --unmatch m_3f9a0c2e7b1d4a58 --note "wrong invoice"
  $ bankrec review --locked
  $ bankrec review --apply-locked
${STORE_HELP}`;

interface ReviewFlags extends StoreFlags {
  readonly accept?: readonly string[];
  readonly reject?: readonly string[];
  readonly unmatch?: readonly string[];
  readonly acceptAbove?: string;
  readonly locked?: boolean;
  readonly all?: boolean;
  readonly applyLocked?: boolean;
  readonly account?: string;
  readonly min?: string;
  readonly limit?: string;
  readonly reason?: string;
  readonly note?: string;
  readonly actor?: string;
}

type Action = "list" | "accept" | "reject" | "unmatch" | "accept-above" | "locked" | "apply-locked";

function actionOf(flags: ReviewFlags): Action {
  const chosen: Action[] = [];
  if (flags.accept !== undefined) chosen.push("accept");
  if (flags.reject !== undefined) chosen.push("reject");
  if (flags.unmatch !== undefined) chosen.push("unmatch");
  if (flags.acceptAbove !== undefined) chosen.push("accept-above");
  if (flags.locked === true) chosen.push("locked");
  if (flags.applyLocked === true) chosen.push("apply-locked");
  if (chosen.length > 1) throw new UsageError(`give one of --${chosen.join(", --")} at a time`);
  return chosen[0] ?? "list";
}

function reasonOf(flags: ReviewFlags): AdjustmentReason | undefined {
  if (flags.reason === undefined) return undefined;
  const reason = ADJUSTMENT_REASONS.find((r) => r === flags.reason?.trim().toLowerCase());
  if (reason === undefined)
    throw new UsageError(
      `--reason must be one of ${ADJUSTMENT_REASONS.join(", ")}, got ${JSON.stringify(flags.reason)}`,
    );
  return reason;
}

const NOTE_CHARS_MAX = 2_000;
const QUEUE_SHOWN_MAX = 100_000;

/** `bankrec review`. */
export async function runReview(flags: ReviewFlags, ctx: CliContext): Promise<void> {
  const action = actionOf(flags);
  if (flags.note !== undefined && flags.note.length > NOTE_CHARS_MAX)
    throw new UsageError(`--note is at most ${NOTE_CHARS_MAX} characters`);
  const adjustmentReason = reasonOf(flags);
  // In a terminal, one proposal at a time; piped or with --json, the queue as a list.
  if (action === "list" && flags.json !== true && process.stdin.isTTY === true && ctx.stdout.isTTY === true) {
    const { reviewInTerminal } = await import("../review-terminal.js");
    await reviewInTerminal(flags, ctx, {
      input: process.stdin,
      ...(adjustmentReason !== undefined && { adjustmentReason }),
    });
    return;
  }
  if (action === "list") return listQueue(flags, ctx);
  if (action === "locked") return listLocked(flags, ctx);
  const actor = actorOf(flags, ctx);
  const workflow = await import("../../workflow/index.js");
  const common = { actor, ...(flags.note !== undefined && { reason: flags.note }) };
  const accepting = { ...common, ...(adjustmentReason !== undefined && { adjustmentReason }) };
  if (action === "apply-locked") {
    const outcome = await withStore(flags, ctx, (store) => workflow.applyLockedChanges(store, { actor }));
    if (flags.json === true) {
      printJson(ctx, {
        applied: outcome.applied,
        still_locked: outcome.stillLocked,
        matches_reopened: outcome.matchesReopened,
      });
      return;
    }
    ctx.stdout.write(
      `applied ${outcome.applied} held bank change${outcome.applied === 1 ? "" : "s"}` +
        (outcome.matchesReopened > 0
          ? `; ${outcome.matchesReopened} accepted match${outcome.matchesReopened === 1 ? "" : "es"} back in review`
          : "") +
        (outcome.stillLocked > 0 ? `; ${outcome.stillLocked} still locked (bankrec reopen first)` : "") +
        "\n",
    );
    return;
  }
  // Every option is checked before the store opens.
  const ids =
    action === "accept-above" ? [] : idList(`--${action}`, flags[action as "accept" | "reject" | "unmatch"]);
  const above = action === "accept-above" ? unitInterval("--accept-above", flags.acceptAbove ?? "") : 0;
  const outcome = await withStore(flags, ctx, (store) => {
    switch (action) {
      case "accept":
        return workflow.acceptMatches(store, ids, accepting);
      case "reject":
        return workflow.rejectMatches(store, ids, common);
      case "unmatch":
        return workflow.unmatchMatches(store, ids, common);
      default:
        return workflow.acceptAbove(store, above, accepting);
    }
  });
  printDecisions(action, outcome, actor, flags, ctx);
}

const VERBS: Readonly<Record<string, string>> = {
  accept: "accepted",
  "accept-above": "accepted",
  reject: "rejected",
  unmatch: "undone (rows open again)",
};

function printDecisions(
  action: Action,
  outcome: DecisionOutcome,
  actor: string,
  flags: ReviewFlags,
  ctx: CliContext,
): void {
  if (flags.json === true) {
    printJson(ctx, {
      action,
      actor,
      decided: outcome.decided,
      unchanged: outcome.unchanged,
      skipped: outcome.skipped.map((s) => ({ match_id: s.matchId, problem: s.problem })),
    });
    return;
  }
  const n = outcome.decided.length;
  const lines = [`${n} match${n === 1 ? "" : "es"} ${VERBS[action] ?? action} by ${actor}`];
  if (outcome.unchanged.length > 0)
    lines.push(`${outcome.unchanged.length} already so: ${outcome.unchanged.slice(0, 10).join(", ")}`);
  if (outcome.skipped.length > 0) {
    lines.push(`${outcome.skipped.length} left in the queue:`);
    for (const s of outcome.skipped.slice(0, 20)) lines.push(`  ${s.problem}`);
  }
  ctx.stdout.write(`${lines.join("\n")}\n`);
}

async function listQueue(flags: ReviewFlags, ctx: CliContext): Promise<void> {
  const limit =
    flags.limit === undefined ? 1_000 : wholeNumber("--limit", flags.limit, "proposals", 1, QUEUE_SHOWN_MAX);
  const confidenceMin = flags.min === undefined ? undefined : unitInterval("--min", flags.min);
  const { listReviewQueue } = await import("../../workflow/queue.js");
  const queue = await withStore(flags, ctx, (store) =>
    listReviewQueue(store, {
      limit,
      ...(confidenceMin !== undefined && { confidenceMin }),
      ...(flags.account !== undefined && { accountId: flags.account.trim() }),
    }),
  );
  if (flags.json === true) {
    printJson(ctx, queue.map(matchDetailJson));
    return;
  }
  printTable(
    ctx,
    [
      { header: "Match", align: "left" },
      { header: "Confidence", align: "right" },
      { header: "Kind", align: "left" },
      { header: "Bank", align: "left", widthMax: 48, widthMin: 12 },
      { header: "Ledger", align: "left", widthMax: 48, widthMin: 12 },
      { header: "Difference", align: "right" },
      { header: "Why", align: "left", widthMax: 50, widthMin: 10 },
    ],
    queue.map(queueRow),
    "the review queue is empty",
  );
  if (queue.length > 0)
    ctx.stdout.write(
      `${queue.length} proposal${queue.length === 1 ? "" : "s"} waiting: bankrec review --accept ID,… | --reject ID,… | --accept-above 0.95\n`,
    );
}

function queueRow(item: MatchDetail): Cell[] {
  const m = item.match;
  const currency = m.currency ?? item.bank[0]?.currency ?? "USD";
  const side = (
    rows: readonly { id: string; date: string; amountMinor: number }[],
    words: (i: number) => string,
  ) => {
    const first = rows[0];
    if (first === undefined) return "";
    const more = rows.length > 1 ? ` +${rows.length - 1}` : "";
    return `${first.date} ${moneyText(first.amountMinor, currency)} ${words(0)}${more}`;
  };
  const reasons = [...m.reasons]
    .sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution))
    .slice(0, 2)
    .map((r) => r.detail)
    .join("; ");
  return [
    m.id,
    m.confidence.toFixed(3),
    `${m.kind}${m.pending ? " (pending)" : ""}`,
    side(item.bank, (i) => item.bank[i]?.name ?? ""),
    side(item.expected, (i) => item.expected[i]?.description ?? ""),
    item.differenceMinor === 0 ? "" : { text: formatAmount(item.differenceMinor, currency), style: "yellow" },
    reasons,
  ];
}

async function listLocked(flags: ReviewFlags, ctx: CliContext): Promise<void> {
  const { listLockedChanges } = await import("../../workflow/periods.js");
  const changes = await withStore(flags, ctx, (store) =>
    listLockedChanges(store, { status: flags.all === true ? "all" : "held" }),
  );
  if (flags.json === true) {
    printJson(ctx, changes.map(changeJson));
    return;
  }
  printTable(
    ctx,
    [
      { header: "Transaction", align: "left", widthMax: 40, widthMin: 10 },
      { header: "Change", align: "left" },
      { header: "Fields", align: "left" },
      { header: "Before", align: "left", widthMax: 48, widthMin: 12 },
      { header: "After", align: "left", widthMax: 48, widthMin: 12 },
      { header: "Received", align: "left" },
      { header: "State", align: "left" },
    ],
    changes.map((c) => [
      c.transactionId,
      c.kind,
      c.fields.join(", "),
      rowWords(c.before),
      c.after === null ? "(removed by the bank)" : rowWords(c.after),
      c.receivedAt.slice(0, 19).replace("T", " "),
      c.status === "applied"
        ? `applied by ${c.appliedBy ?? "?"}`
        : c.stillLocked
          ? { text: "held: locked", style: "yellow" }
          : { text: "held: unlocked, bankrec review --apply-locked", style: "yellow" },
    ]),
    "no bank change to a locked row is held",
  );
}

function rowWords(row: NonNullable<LockedChange["after"]>): string {
  return `${row.date} ${moneyText(row.amount_minor, row.currency)} ${row.currency}${row.pending === 1 ? " pending" : ""} ${row.name}`;
}

function changeJson(c: LockedChange): Record<string, unknown> {
  return {
    id: c.id,
    transaction_id: c.transactionId,
    lock_id: c.lockId,
    kind: c.kind,
    fields: c.fields,
    before: c.before,
    after: c.after,
    received_at: c.receivedAt,
    status: c.status,
    still_locked: c.stillLocked,
    applied_at: c.appliedAt,
    applied_by: c.appliedBy,
  };
}

/** `bankrec review`. */
export function registerReview(program: Command, ctx: CliContext): void {
  const collect = (value: string, previous: readonly string[] = []) => [...previous, value];
  const command = program
    .command("review")
    .description("the review queue: list proposals, accept, reject, bulk-accept, unmatch; held bank changes")
    .option("--accept <ids>", "accept these proposals (a comma list; repeatable)", collect)
    .option("--reject <ids>", "reject these proposals: the pairing is never proposed again", collect)
    .option("--unmatch <ids>", "undo these accepted matches: their rows are open again", collect)
    .option("--accept-above <confidence>", "accept every proposal at least this sure (0 to 1)")
    .option(
      "--reason <reason>",
      `what an accepted match's amount difference is: ${ADJUSTMENT_REASONS.join(", ")}`,
    )
    .option("--note <text>", "why, recorded with the decision")
    .option("--account <id>", "list only proposals with a bank row of this account")
    .option("--min <confidence>", "list only proposals at least this sure")
    .option("--limit <n>", "list at most this many proposals (default 1,000)")
    .option("--locked", "list the bank's changes to locked rows, held for review")
    .option("--all", "with --locked: the applied changes too")
    .option(
      "--apply-locked",
      "apply the held changes whose rows are no longer locked (after bankrec reopen)",
    );
  addActorOption(command);
  addStoreOptions(command)
    .addHelpText("after", EXAMPLES)
    .action(async (flags: ReviewFlags) => {
      await runReview(flags, ctx);
    });
}
