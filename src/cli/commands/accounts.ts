import type { Command } from "commander";
import type { StoredAccount } from "../../store/index.js";
import type { CliContext } from "../context.js";
import {
  addStoreOptions,
  backends,
  itemFlag,
  printJson,
  printTable,
  STORE_HELP,
  type StoreFlags,
  withStore,
} from "../store-options.js";
import { accountName, type Cell } from "../table.js";

const EXAMPLES = `
The stored accounts of every item (or one), as the last sync or refresh left them.
bankrec balances asks Plaid for current balances first.

Examples:
  $ bankrec accounts
  $ bankrec accounts --item ITEM_ID --json
${STORE_HELP}`;

export interface AccountsFlags extends StoreFlags {
  readonly item?: string;
}

export function accountJson(a: StoredAccount): Record<string, unknown> {
  return {
    id: a.id,
    item_id: a.itemId,
    name: a.name,
    official_name: a.officialName,
    mask: a.mask,
    type: a.type,
    subtype: a.subtype,
    currency: a.currency,
  };
}

/** "Plaid Checking …0000": the name people know the account by. */
function accountRow(a: StoredAccount): Cell[] {
  return [
    accountName(a),
    [a.type, a.subtype].filter((t) => t !== null).join(" / "),
    a.currency ?? "",
    a.itemId ?? "",
    a.id,
  ];
}

/** `bankrec accounts`. */
export async function runAccounts(flags: AccountsFlags, ctx: CliContext): Promise<void> {
  const itemId = itemFlag(flags.item);
  const { store: repo } = await backends();
  const accounts = await withStore(flags, ctx, async (store) => {
    if (itemId !== undefined) await repo.getItem(store, itemId);
    return repo.listAccounts(store, itemId === undefined ? {} : { itemId });
  });
  if (flags.json === true) {
    printJson(ctx, accounts.map(accountJson));
    return;
  }
  printTable(
    ctx,
    [
      { header: "Account", align: "left", widthMax: 40, widthMin: 12 },
      { header: "Type", align: "left", widthMax: 28, widthMin: 8 },
      { header: "Currency", align: "left" },
      { header: "Item", align: "left", widthMax: 40, widthMin: 10 },
      { header: "Account id", align: "left", widthMax: 40, widthMin: 10 },
    ],
    accounts.map(accountRow),
    "no accounts: run bankrec sync (or bankrec link)",
  );
}

/** `bankrec accounts`. */
export function registerAccounts(program: Command, ctx: CliContext): void {
  const command = program
    .command("accounts")
    .description("list the stored accounts")
    .option("--item <id>", "only this item's accounts");
  addStoreOptions(command)
    .addHelpText("after", EXAMPLES)
    .action(async (flags: AccountsFlags) => {
      await runAccounts(flags, ctx);
    });
}
