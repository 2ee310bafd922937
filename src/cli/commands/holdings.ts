import type { Command } from "commander";
import type { StoredHolding } from "../../store/index.js";
import type { CliContext } from "../context.js";
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

const EXAMPLES = `
Investment holdings as last stored; --refresh asks Plaid (/investments/holdings/get) first and
replaces each item's holdings with its answer. Items need the investments product
(bankrec link --products transactions,investments).

Examples:
  $ bankrec holdings --refresh
  $ bankrec holdings --item ITEM_ID --json
${STORE_HELP}`;

export interface HoldingsFlags extends StoreFlags {
  readonly item?: string;
  readonly refresh?: boolean;
}

function holdingJson(h: StoredHolding): Record<string, unknown> {
  return {
    item_id: h.itemId,
    account_id: h.accountId,
    security_id: h.securityId,
    quantity: h.quantity,
    currency: h.currency,
    institution_value: moneyJson(h.institutionValueMinor, h.currency),
    cost_basis: moneyJson(h.costBasisMinor, h.currency),
    security:
      h.security === null
        ? null
        : {
            name: h.security.name,
            ticker_symbol: h.security.tickerSymbol,
            type: h.security.type,
            close_price: h.security.closePrice,
          },
  };
}

function holdingRow(h: StoredHolding, accountNames: ReadonlyMap<string, string>): Cell[] {
  return [
    accountNames.get(h.accountId) ?? h.accountId,
    h.security?.tickerSymbol ?? "",
    h.security?.name ?? h.securityId,
    h.security?.type ?? "",
    h.quantity.toLocaleString("en-US", { maximumFractionDigits: 8 }),
    moneyText(h.institutionValueMinor, h.currency),
    moneyText(h.costBasisMinor, h.currency),
    h.currency ?? "",
  ];
}

/** `bankrec holdings`. */
export async function runHoldings(flags: HoldingsFlags, ctx: CliContext): Promise<void> {
  const itemId = itemFlag(flags.item);
  const gateway = flags.refresh === true ? await cliGateway(ctx) : null;
  const { store: repo, sync } = await backends();
  const { holdings, accounts } = await withStore(flags, ctx, async (store) => {
    const itemIds = await itemIdsOf(store, itemId);
    if (gateway !== null) await refreshEach(ctx, itemIds, (id) => sync.refreshHoldings(store, gateway, id));
    const only = itemId === undefined ? {} : { itemId };
    return { holdings: await repo.listHoldings(store, only), accounts: await repo.listAccounts(store, only) };
  });
  if (flags.json === true) {
    printJson(ctx, holdings.map(holdingJson));
    return;
  }
  const names = new Map(accounts.map((a) => [a.id, accountName(a)]));
  printTable(
    ctx,
    [
      { header: "Account", align: "left", widthMax: 32, widthMin: 10 },
      { header: "Ticker", align: "left" },
      { header: "Security", align: "left", widthMax: 40, widthMin: 12 },
      { header: "Type", align: "left", widthMax: 16, widthMin: 6 },
      { header: "Quantity", align: "right" },
      { header: "Value", align: "right" },
      { header: "Cost basis", align: "right" },
      { header: "Currency", align: "left" },
    ],
    holdings.map((h) => holdingRow(h, names)),
    flags.refresh === true ? "no holdings" : "no holdings stored: run bankrec holdings --refresh",
  );
}

/** `bankrec holdings`. */
export function registerHoldings(program: Command, ctx: CliContext): void {
  const command = program
    .command("holdings")
    .description("list investment holdings (--refresh asks Plaid first)")
    .option("--item <id>", "only this item")
    .option("--refresh", "ask Plaid for current holdings before listing");
  addStoreOptions(command)
    .addHelpText("after", EXAMPLES)
    .action(async (flags: HoldingsFlags) => {
      await runHoldings(flags, ctx);
    });
}
