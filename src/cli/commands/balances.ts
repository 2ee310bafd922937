import type { Command } from "commander";
import type { StoredAccount } from "../../store/index.js";
import type { CliContext } from "../context.js";
import { wholeNumber } from "../options.js";
import {
  addStoreOptions,
  backends,
  cliGateway,
  itemFlag,
  itemIdsOf,
  moneyJson,
  moneyText,
  printJson,
  printTable,
  refreshEach,
  STORE_HELP,
  type StoreFlags,
  withStore,
} from "../store-options.js";
import { accountName, type Cell } from "../table.js";
import { accountJson } from "./accounts.js";

const EXAMPLES = `
Asks Plaid for each item's current balances (/accounts/balance/get, billed per call by Plaid),
stores them as a snapshot and lists the latest snapshot per account. An answer younger than
--max-age seconds is reused instead of calling again. --cached lists the stored snapshots only.
A credit or loan account's current balance is what is owed, as Plaid states it.

Examples:
  $ bankrec balances
  $ bankrec balances --item ITEM_ID --max-age 0           always ask the bank
  $ bankrec balances --cached --json
${STORE_HELP}`;

export interface BalancesFlags extends StoreFlags {
  readonly item?: string;
  readonly maxAge?: string;
  readonly cached?: boolean;
}

const MAX_AGE_SECONDS_MAX = 7 * 24 * 3600;

function balanceJson(a: StoredAccount): Record<string, unknown> {
  const b = a.balance;
  const currency = b?.currency ?? a.currency;
  return {
    ...accountJson(a),
    balance:
      b === null
        ? null
        : {
            taken_at: b.takenAt,
            currency,
            current: moneyJson(b.currentMinor, currency),
            available: moneyJson(b.availableMinor, currency),
            limit: moneyJson(b.limitMinor, currency),
          },
  };
}

function balanceRow(a: StoredAccount): Cell[] {
  const b = a.balance;
  const currency = b?.currency ?? a.currency;
  return [
    accountName(a),
    a.subtype ?? a.type ?? "",
    moneyText(b?.currentMinor ?? null, currency),
    moneyText(b?.availableMinor ?? null, currency),
    moneyText(b?.limitMinor ?? null, currency),
    currency ?? "",
    b?.takenAt ?? "never",
  ];
}

/** `bankrec balances`. */
export async function runBalances(flags: BalancesFlags, ctx: CliContext): Promise<void> {
  const itemId = itemFlag(flags.item);
  const maxAgeMs =
    flags.maxAge === undefined
      ? undefined
      : 1000 * wholeNumber("--max-age", flags.maxAge, "seconds", 0, MAX_AGE_SECONDS_MAX);
  const gateway = flags.cached === true ? null : await cliGateway(ctx);
  const { store: repo, sync } = await backends();
  const accounts = await withStore(flags, ctx, async (store) => {
    const itemIds = await itemIdsOf(store, itemId);
    if (gateway !== null)
      await refreshEach(ctx, itemIds, (id) =>
        sync.refreshBalances(store, gateway, id, maxAgeMs === undefined ? {} : { maxAgeMs }),
      );
    return repo.listAccounts(store, itemId === undefined ? {} : { itemId });
  });
  if (flags.json === true) {
    printJson(ctx, accounts.map(balanceJson));
    return;
  }
  printTable(
    ctx,
    [
      { header: "Account", align: "left", widthMax: 40, widthMin: 12 },
      { header: "Type", align: "left", widthMax: 20, widthMin: 6 },
      { header: "Current", align: "right" },
      { header: "Available", align: "right" },
      { header: "Limit", align: "right" },
      { header: "Currency", align: "left" },
      { header: "As of", align: "left" },
    ],
    accounts.map(balanceRow),
    "no accounts: run bankrec link (or bankrec sync)",
  );
}

/** `bankrec balances`. */
export function registerBalances(program: Command, ctx: CliContext): void {
  const command = program
    .command("balances")
    .description("refresh and list account balances")
    .option("--item <id>", "only this item's accounts")
    .option("--max-age <seconds>", "reuse a balance answer younger than this (default 60)")
    .option("--cached", "list the stored balances without asking Plaid");
  addStoreOptions(command)
    .addHelpText("after", EXAMPLES)
    .action(async (flags: BalancesFlags) => {
      await runBalances(flags, ctx);
    });
}
