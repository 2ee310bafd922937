import type { Command } from "commander";
import { currencyExponent, isCurrencyCode, parseAmount } from "../../money/index.js";
import type { StoredLiability } from "../../store/index.js";
import type { CliContext } from "../context.js";
import {
  addStoreOptions,
  backends,
  cliGateway,
  itemFlag,
  itemIdsOf,
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
Credit cards, mortgages and student loans as last stored; --refresh asks Plaid
(/liabilities/get) first and replaces each item's liabilities with its answer. --json prints
Plaid's liability objects as received (amounts in Plaid's decimal units, rates in percent).
Items need the liabilities product (bankrec link --products transactions,liabilities).

Examples:
  $ bankrec liabilities --refresh
  $ bankrec liabilities --item ITEM_ID --json
${STORE_HELP}`;

export interface LiabilitiesFlags extends StoreFlags {
  readonly item?: string;
  readonly refresh?: boolean;
}

interface AccountInfo {
  readonly label: string;
  readonly currency: string | null;
}

/** A Plaid decimal amount from the stored object, in minor units (null when absent or odd). */
function plaidMinor(value: unknown, currency: string | null): number | null {
  if (typeof value !== "number" || !Number.isFinite(value) || currency === null || !isCurrencyCode(currency))
    return null;
  // Plaid's amounts carry at most the currency's decimals; toFixed drops binary noise only.
  return parseAmount(value.toFixed(currencyExponent(currency)), { currency });
}

function field(details: Record<string, unknown>, ...names: string[]): unknown {
  for (const name of names) if (details[name] !== undefined && details[name] !== null) return details[name];
  return undefined;
}

/** Credit cards state APRs in a list; loans one interest rate. */
function ratePercent(details: Record<string, unknown>): string {
  const aprs = details.aprs;
  const first = Array.isArray(aprs) ? (aprs[0] as Record<string, unknown> | undefined) : undefined;
  const rate = details.interest_rate as Record<string, unknown> | undefined;
  const value = first?.apr_percentage ?? rate?.percentage ?? details.interest_rate_percentage;
  return typeof value === "number" ? `${value}%` : "";
}

function liabilityRow(l: StoredLiability, accounts: ReadonlyMap<string, AccountInfo>): Cell[] {
  const account = accounts.get(l.accountId);
  const currency = account?.currency ?? null;
  const d = l.details;
  const money = (value: unknown): string => {
    const minor = plaidMinor(value, currency);
    return minor === null ? "" : moneyText(minor, currency);
  };
  const due = field(d, "next_payment_due_date");
  return [
    account?.label ?? l.accountId,
    l.kind,
    money(field(d, "last_statement_balance", "outstanding_principal_balance")),
    money(field(d, "minimum_payment_amount", "next_monthly_payment")),
    typeof due === "string" ? due : "",
    ratePercent(d),
    currency ?? "",
  ];
}

/** `bankrec liabilities`. */
export async function runLiabilities(flags: LiabilitiesFlags, ctx: CliContext): Promise<void> {
  const itemId = itemFlag(flags.item);
  const gateway = flags.refresh === true ? await cliGateway(ctx) : null;
  const { store: repo, sync } = await backends();
  const { liabilities, accounts } = await withStore(flags, ctx, async (store) => {
    const itemIds = await itemIdsOf(store, itemId);
    if (gateway !== null)
      await refreshEach(ctx, itemIds, (id) => sync.refreshLiabilities(store, gateway, id));
    const only = itemId === undefined ? {} : { itemId };
    return {
      liabilities: await repo.listLiabilities(store, only),
      accounts: await repo.listAccounts(store, only),
    };
  });
  if (flags.json === true) {
    printJson(
      ctx,
      liabilities.map((l) => ({
        item_id: l.itemId,
        account_id: l.accountId,
        kind: l.kind,
        details: l.details,
      })),
    );
    return;
  }
  const byId = new Map(
    accounts.map((a) => [
      a.id,
      {
        label: accountName(a),
        currency: a.balance?.currency ?? a.currency,
      },
    ]),
  );
  printTable(
    ctx,
    [
      { header: "Account", align: "left", widthMax: 36, widthMin: 10 },
      { header: "Kind", align: "left" },
      { header: "Statement / principal", align: "right" },
      { header: "Payment", align: "right" },
      { header: "Due", align: "left" },
      { header: "Rate", align: "right" },
      { header: "Currency", align: "left" },
    ],
    liabilities.map((l) => liabilityRow(l, byId)),
    flags.refresh === true ? "no liabilities" : "no liabilities stored: run bankrec liabilities --refresh",
  );
}

/** `bankrec liabilities`. */
export function registerLiabilities(program: Command, ctx: CliContext): void {
  const command = program
    .command("liabilities")
    .description("list credit, mortgage and student loan liabilities (--refresh asks Plaid first)")
    .option("--item <id>", "only this item")
    .option("--refresh", "ask Plaid for current liabilities before listing");
  addStoreOptions(command)
    .addHelpText("after", EXAMPLES)
    .action(async (flags: LiabilitiesFlags) => {
      await runLiabilities(flags, ctx);
    });
}
