import type { Command } from "commander";
import { formatAmount, isCurrencyCode, MoneyParseError, parseAmount } from "../../money/index.js";
import type { Store } from "../../store/index.js";
import { ADJUSTMENT_REASONS, type AdjustmentReason } from "../../workflow/auto-accept.js";
import type { CliContext } from "../context.js";
import { UsageError } from "../errors.js";
import { addStoreOptions, printJson, STORE_HELP, type StoreFlags, withStore } from "../store-options.js";
import { actorOf, addActorOption, idList, matchDetailJson } from "./workflow-options.js";

const EXAMPLES = `
Matches bank rows with ledger entries by hand, accepted at once, when no proposal pairs them.
Any sets: one deposit with the three invoices it paid, two instalments with one invoice, a
bank row with its own manual entry. The sums must agree, or --adjust must balance them
exactly: bank total = ledger total + adjustment, in the natural sign (a 30.00 fee the bank
kept from a 1,000.00 payment is --adjust -30.00). The adjustment stays with the match, with
its --reason (fee, rounding, fx, other) and --memo. When the sums differ, the message gives
both sums and the difference to pass.

Refused, nothing changed (exit 3): an id the store does not hold, a bank row the bank
removed, a row of a closed period or already in an accepted match (bankrec review --unmatch
it first), rows of two currencies, sums that differ without --adjust, an adjustment that does
not balance. Open proposals holding the rows are replaced. Pending rows may be matched.

Examples:
  $ bankrec match txn_8fQ2 INV-1043
  $ bankrec match txn_8fQ2 INV-1043,INV-1044,INV-1045 --adjust -30.00 --reason fee --memo "wire fee"
  $ bankrec match txn_1,txn_2 INV-1050
${STORE_HELP}`;

interface MatchFlags extends StoreFlags {
  readonly adjust?: string;
  readonly reason?: string;
  readonly memo?: string;
  readonly actor?: string;
}

/** `--reason`, checked. */
function reasonOf(flags: MatchFlags): AdjustmentReason | undefined {
  if (flags.adjust === undefined && flags.reason === undefined) return undefined;
  if (flags.adjust === undefined)
    throw new UsageError("--reason goes with --adjust: the reason of the adjustment");
  if (flags.reason === undefined)
    throw new UsageError(`--adjust needs --reason: one of ${ADJUSTMENT_REASONS.join(", ")}`);
  const reason = ADJUSTMENT_REASONS.find((r) => r === flags.reason?.trim().toLowerCase());
  if (reason === undefined)
    throw new UsageError(
      `--reason must be one of ${ADJUSTMENT_REASONS.join(", ")}, got ${JSON.stringify(flags.reason)}`,
    );
  return reason;
}

/** The currency the rows are in, for reading --adjust: the first bank row's, else the first entry's. */
async function rowsCurrency(
  store: Store,
  bankIds: readonly string[],
  ledgerIds: readonly string[],
): Promise<string> {
  const { loadBankRows } = await import("../../store/workflow-rows.js");
  const { loadExpectedEntries } = await import("../../store/ledger.js");
  const bank = await loadBankRows(store.db, store.tenantId, bankIds.slice(0, 1));
  const first = bank.values().next().value;
  if (first !== undefined) return first.currency;
  const ledger = await loadExpectedEntries(store.db, store.tenantId, ledgerIds.slice(0, 1));
  return ledger.values().next().value?.currency ?? "USD";
}

/** --adjust in the rows' currency; a code written with it must be theirs. */
function adjustmentMinor(text: string, currency: string): number {
  const code = /([A-Za-z]{3})\s*$|^\s*([A-Za-z]{3})/.exec(text);
  const written = (code?.[1] ?? code?.[2])?.toUpperCase();
  if (written !== undefined && isCurrencyCode(written) && written !== currency)
    throw new UsageError(`--adjust is in ${written}, but the rows are in ${currency}`);
  try {
    return parseAmount(text, { currency });
  } catch (error) {
    if (!(error instanceof MoneyParseError)) throw error;
    throw new UsageError(
      `--adjust must be an amount in ${currency} such as -30.00, got ${JSON.stringify(text)}`,
    );
  }
}

/** `bankrec match BANK_IDS LEDGER_IDS`. */
export async function runMatch(
  bankText: string,
  ledgerText: string,
  flags: MatchFlags,
  ctx: CliContext,
): Promise<void> {
  const bankIds = idList("BANK_IDS", bankText);
  const ledgerIds = idList("LEDGER_IDS", ledgerText);
  const reason = reasonOf(flags);
  const actor = actorOf(flags, ctx);
  const { matchManually } = await import("../../workflow/manual.js");
  const { getMatch } = await import("../../workflow/queue.js");
  const detail = await withStore(flags, ctx, async (store) => {
    const currency = flags.adjust === undefined ? null : await rowsCurrency(store, bankIds, ledgerIds);
    const outcome = await matchManually(store, {
      bankTransactionIds: bankIds,
      expectedIds: ledgerIds,
      ...(flags.adjust !== undefined &&
        currency !== null &&
        reason !== undefined && {
          adjustment: { amountMinor: adjustmentMinor(flags.adjust, currency), reason },
        }),
      ...(flags.memo !== undefined && { memo: flags.memo }),
      actor,
    });
    return { outcome, detail: await getMatch(store, outcome.matchId) };
  });
  if (flags.json === true) {
    printJson(ctx, {
      ...matchDetailJson(detail.detail),
      replaced_proposals: detail.outcome.replacedProposals,
    });
    return;
  }
  const o = detail.outcome;
  const money = (minor: number) => `${formatAmount(minor, o.currency)} ${o.currency}`;
  const adjusted =
    o.adjustmentMinor === 0
      ? ""
      : `, adjustment ${formatAmount(o.adjustmentMinor, o.currency)} (${reason ?? "other"})`;
  ctx.stdout.write(
    `matched ${bankIds.length} bank row${bankIds.length === 1 ? "" : "s"} (${money(o.bankTotalMinor)}) with ` +
      `${ledgerIds.length} ledger entr${ledgerIds.length === 1 ? "y" : "ies"} (${money(o.ledgerTotalMinor)})${adjusted}: ` +
      `match ${o.matchId}, accepted by ${actor}\n`,
  );
  if (o.replacedProposals > 0)
    ctx.stdout.write(
      `${o.replacedProposals} open proposal${o.replacedProposals === 1 ? "" : "s"} holding these rows replaced\n`,
    );
}

/** `bankrec match`. */
export function registerMatch(program: Command, ctx: CliContext): void {
  const command = program
    .command("match")
    .description("match bank rows with ledger entries by hand (sums agree, or an adjustment balances them)")
    .argument("<bank_ids>", "bank transaction ids, a comma list")
    .argument("<ledger_ids>", "ledger entry ids, a comma list")
    .option(
      "--adjust <amount>",
      "the adjustment that balances the match: bank total - ledger total, e.g. -30.00 for a fee",
    )
    .option("--reason <reason>", `why the adjustment: ${ADJUSTMENT_REASONS.join(", ")}`)
    .option("--memo <text>", "a note kept with the match");
  addActorOption(command);
  addStoreOptions(command)
    .addHelpText("after", EXAMPLES)
    .action(async (bankIds: string, ledgerIds: string, flags: MatchFlags) => {
      await runMatch(bankIds, ledgerIds, flags, ctx);
    });
}
