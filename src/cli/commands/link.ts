import type { Command } from "commander";
import type { PlaidGateway } from "../../plaid/index.js";
import type { CliContext } from "../context.js";
import { UsageError } from "../errors.js";
import {
  addStoreOptions,
  backends,
  cliGateway,
  itemFlag,
  printJson,
  STORE_HELP,
  type StoreFlags,
  withStore,
} from "../store-options.js";
import { printSyncReports, type SyncReportLine, syncReportLine } from "./sync.js";

const EXAMPLES = `
Without --update, link makes a sandbox item through /sandbox/public_token/create (Plaid's sandbox
or the emulator at PLAID_BASE_URL), stores it with its access token sealed, and syncs it. Plaid's
production environment has no such call: real items come from Link in your app.
With --update ITEM, it prints a Link token in update mode for an item that needs its user
(ITEM_LOGIN_REQUIRED and the like): open Link with it, sign in, then run bankrec sync.

Examples:
  $ bankrec link                                          First Platypus Bank, user_good
  $ bankrec link --user user_transactions_dynamic --no-sync
  $ bankrec link --institution ins_109508 --products transactions,investments,liabilities
  $ bankrec link --update ITEM_ID
${STORE_HELP}`;

export interface LinkFlags extends StoreFlags {
  readonly institution?: string;
  readonly user?: string;
  readonly products?: string;
  readonly sync?: boolean;
  readonly update?: string;
}

const PRODUCT = /^[a-z_]{1,40}$/;
const PRODUCTS_MAX = 10;
/** The id Link shows the end user as; one person runs the CLI, so one fixed id is honest. */
const CLI_USER_ID = "bankrec-cli";

function productsFlag(value: string | undefined): string[] {
  if (value === undefined) return ["transactions"];
  const products = value
    .split(",")
    .map((p) => p.trim())
    .filter((p) => p !== "");
  if (products.length === 0 || products.length > PRODUCTS_MAX || !products.every((p) => PRODUCT.test(p)))
    throw new UsageError(
      `--products must be 1 to ${PRODUCTS_MAX} comma-separated Plaid products such as transactions,investments, got "${value}"`,
    );
  return products;
}

function institutionFlag(value: string | undefined): string {
  const text = (value ?? "ins_109508").trim();
  if (!/^ins_[A-Za-z0-9]{1,40}$/.test(text))
    throw new UsageError(`--institution must be a Plaid institution id such as ins_109508, got "${value}"`);
  return text;
}

/** `bankrec link`: a sandbox item, stored and (unless --no-sync) synced. */
export async function runLink(flags: LinkFlags, ctx: CliContext): Promise<void> {
  const gateway = await cliGateway(ctx);
  if (flags.update !== undefined) return runLinkUpdate(flags, gateway, ctx);
  if (gateway.config.env === "production")
    throw new UsageError(
      "bankrec link creates sandbox items, and PLAID_ENV is production: link real accounts with Plaid Link in your app, or set PLAID_ENV=sandbox",
    );
  await withStore(flags, ctx, async (store) => {
    const { sync: run } = await backends();
    const item = await run.linkSandboxItem(store, gateway, {
      institutionId: institutionFlag(flags.institution),
      products: productsFlag(flags.products),
      ...(flags.user === undefined ? {} : { user: flags.user }),
    });
    let sync: SyncReportLine | null = null;
    if (flags.sync !== false) sync = syncReportLine(await run.syncItem(store, gateway, item.itemId));
    if (flags.json === true) {
      printJson(ctx, {
        item_id: item.itemId,
        institution_id: item.institutionId,
        institution_name: item.institutionName,
        products: item.products,
        sync,
      });
      return;
    }
    const name = item.institutionName ?? item.institutionId;
    ctx.stdout.write(`linked item ${item.itemId} at ${name} (${item.products.join(", ")})\n`);
    if (sync === null) ctx.stdout.write(`not synced yet: run bankrec sync --item ${item.itemId}\n`);
    else printSyncReports(ctx, [sync]);
  });
}

async function runLinkUpdate(flags: LinkFlags, gateway: PlaidGateway, ctx: CliContext): Promise<void> {
  const itemId = itemFlag(flags.update) ?? "";
  const { store: repo } = await backends();
  await withStore(flags, ctx, async (store) => {
    const item = await repo.getItem(store, itemId);
    const accessToken = await repo.accessTokenOf(store, itemId);
    const token = await gateway.createLinkToken({
      clientUserId: CLI_USER_ID,
      clientName: "bankrec",
      accessToken,
    });
    if (flags.json === true) {
      printJson(ctx, { item_id: itemId, link_token: token.linkToken, expiration: token.expiration });
      return;
    }
    ctx.stdout.write(
      `Link token for item ${itemId} (${item.institutionName ?? item.institutionId ?? "unknown institution"}), update mode, expires ${token.expiration}:\n` +
        `${token.linkToken}\n` +
        "Open Plaid Link with this token (Plaid.create({ token, onSuccess }) in your app, or the emulator's\n" +
        "Link stand-in), have the user sign in again, then run: bankrec sync --item " +
        `${itemId}\n`,
    );
  });
}

/** `bankrec link`: create a sandbox item, or a Link token to repair one. */
export function registerLink(program: Command, ctx: CliContext): void {
  const command = program
    .command("link")
    .description("link a sandbox item (Plaid sandbox or the emulator) and sync it; --update repairs an item")
    .option("--institution <id>", "the sandbox institution", "ins_109508")
    .option("--user <name>", "sandbox user: user_good (default) or user_transactions_dynamic")
    .option("--products <list>", "comma-separated Plaid products", "transactions")
    .option("--no-sync", "store the item without its first sync")
    .option("--update <item>", "print a Link token in update mode for this stored item instead");
  addStoreOptions(command)
    .addHelpText("after", EXAMPLES)
    .action(async (flags: LinkFlags) => {
      await runLink(flags, ctx);
    });
}
