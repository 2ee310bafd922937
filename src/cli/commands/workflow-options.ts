import { userInfo } from "node:os";
import type { Command } from "commander";
import type { ExpectedEntry } from "../../domain/index.js";
import { formatAmountPlain } from "../../money/index.js";
import type { WorkflowBankRow } from "../../store/workflow-rows.js";
import type { MatchDetail } from "../../workflow/index.js";
import type { CliContext } from "../context.js";
import { UsageError } from "../errors.js";
import { moneyJson } from "../store-options.js";

/**
 * What the workflow's commands share: who decides (`--actor`, default the OS user: found here,
 * never in the library), comma lists of ids, and the JSON of a match for scripts.
 */

/** The longest an actor's name may be. */
const ACTOR_CHARS_MAX = 200;

/** Adds `--actor`. */
export function addActorOption(command: Command): Command {
  return command.option(
    "--actor <name>",
    "who takes the decision, recorded with it (default: your user name)",
  );
}

/**
 * `--actor`, else the operating system's user name (then USER, LOGNAME, USERNAME), else "unknown".
 *
 * @example actorOf({}, ctx) // "ana"
 */
export function actorOf(flags: { readonly actor?: string }, ctx: CliContext): string {
  if (flags.actor !== undefined) {
    const actor = flags.actor.trim();
    if (actor === "" || actor.length > ACTOR_CHARS_MAX)
      throw new UsageError(
        `--actor must be a name of 1 to ${ACTOR_CHARS_MAX} characters, got ${JSON.stringify(flags.actor)}`,
      );
    return actor;
  }
  try {
    const name = userInfo().username;
    if (name !== "") return name;
  } catch {
    // No passwd entry (a container's arbitrary uid): fall back to the environment.
  }
  return ctx.env.USER ?? ctx.env.LOGNAME ?? ctx.env.USERNAME ?? "unknown";
}

/** Ids most commands take at once. */
export const IDS_MAX = 10_000;

/**
 * Ids from comma lists, as given once or several times (`a,b` or `a b`), duplicates dropped.
 *
 * @example idList("BANK_IDS", ["t1,t2", "t3"]) // ["t1", "t2", "t3"]
 */
export function idList(name: string, values: string | readonly string[] | undefined): string[] {
  const texts = values === undefined ? [] : typeof values === "string" ? [values] : values;
  const ids = [
    ...new Set(
      texts
        .flatMap((text) => text.split(","))
        .map((id) => id.trim())
        .filter((id) => id !== ""),
    ),
  ];
  if (ids.length === 0) throw new UsageError(`${name} needs at least one id (a comma list: a,b,c)`);
  if (ids.length > IDS_MAX)
    throw new UsageError(`${name} takes at most ${IDS_MAX.toLocaleString("en-US")} ids`);
  return ids;
}

/** A bank row for programs. */
export function bankRowJson(row: WorkflowBankRow): Record<string, unknown> {
  return {
    id: row.id,
    account_id: row.accountId,
    date: row.date,
    ...moneyJson(row.amountMinor, row.currency),
    currency: row.currency,
    name: row.name,
    pending: row.pending,
    removed: row.removedAt !== null,
  };
}

/** A ledger entry for programs. */
export function entryJson(entry: ExpectedEntry): Record<string, unknown> {
  return {
    id: entry.id,
    date: entry.date,
    ...moneyJson(entry.amountMinor, entry.currency),
    currency: entry.currency,
    description: entry.description,
    counterparty: entry.counterparty,
    reference: entry.reference,
    account_id: entry.accountId,
  };
}

/** A match with its rows for programs (`review --json`, `match --json`). */
export function matchDetailJson(detail: MatchDetail): Record<string, unknown> {
  const { match } = detail;
  const currency = match.currency ?? detail.bank[0]?.currency ?? detail.expected[0]?.currency ?? null;
  const amount = (minor: number) => (currency === null ? null : formatAmountPlain(minor, currency));
  return {
    match_id: match.id,
    run_id: match.runId,
    origin: match.origin,
    kind: match.kind,
    status: match.status,
    confidence: Math.round(match.confidence * 1000) / 1000,
    pending: match.pending,
    currency,
    bank_total: amount(detail.bankTotalMinor),
    ledger_total: amount(detail.ledgerTotalMinor),
    difference: amount(detail.differenceMinor),
    decided_at: match.decidedAt,
    decided_by: match.decidedBy,
    memo: match.memo,
    reasons: match.reasons.map((r) => r.detail),
    adjustments: match.adjustments.map((a) => ({
      ...moneyJson(a.amountMinor, a.currency),
      currency: a.currency,
      reason: a.reason,
      memo: a.memo,
      created_by: a.createdBy,
      created_at: a.createdAt,
    })),
    bank: detail.bank.map(bankRowJson),
    expected: detail.expected.map(entryJson),
  };
}
