import type { Command } from "commander";
import { formatAmount, formatAmountPlain, isCurrencyCode } from "../money/index.js";
import type { PlaidGateway } from "../plaid/index.js";
import type { Keyring, Store } from "../store/index.js";
import { type CliContext, colorEnabled } from "./context.js";
import { UsageError } from "./errors.js";
import { type Cell, type Column, renderColumns } from "./table.js";

/** The options every store command takes, as commander hands them over. */
export interface StoreFlags {
  readonly database?: string;
  readonly json?: boolean;
}

/** Printed under each store command's own examples. */
export const STORE_HELP = `
The store is DATABASE_URL (or --database): a file path, sqlite:PATH or postgres://…; default
bankrec.db in the data directory. Access tokens are sealed with BANKREC_SECRET_KEY (required
for PostgreSQL), or for SQLite with a key file (bankrec.key, mode 0600) beside the database. Plaid: PLAID_CLIENT_ID, PLAID_SECRET,
PLAID_ENV (sandbox or production), PLAID_BASE_URL (e.g. the emulator's URL).
Exit codes: 0 it ran, 2 bad option or configuration, 3 unknown item or bad input,
4 Plaid refused or failed (the request id is printed), 5 another sync holds the item, 1 unexpected.`;

/**
 * The store, sync and Plaid modules, loaded when a store command runs: the Plaid SDK alone
 * takes most of a second to load, which `bankrec reconcile` and `--help` should not pay.
 *
 * @example const { store, sync } = await backends();
 */
export async function backends(): Promise<{
  readonly store: typeof import("../store/index.js");
  readonly sync: typeof import("../sync/index.js");
  readonly plaid: typeof import("../plaid/index.js");
}> {
  const [store, sync, plaid] = await Promise.all([
    import("../store/index.js"),
    import("../sync/index.js"),
    import("../plaid/index.js"),
  ]);
  return { store, sync, plaid };
}

/** Adds `--database` and `--json`, the options every store command shares. */
export function addStoreOptions(command: Command): Command {
  return command
    .option("--database <url>", "the store: a file path, sqlite:PATH or postgres://… (default: DATABASE_URL)")
    .option("--json", "print machine-readable JSON on stdout instead of a table");
}

/**
 * Opens the store named by `--database`, else DATABASE_URL, with the context's environment
 * (and so its BANKREC_SECRET_KEY or key file).
 *
 * @example const store = await openCliStore({ database: "books.db" }, ctx);
 */
export async function openCliStore(
  flags: StoreFlags,
  ctx: CliContext,
  options: { readonly keyring?: Keyring } = {},
): Promise<Store> {
  const url = flags.database ?? ctx.env.DATABASE_URL;
  const { openStore } = await import("../store/index.js");
  const store = await openStore({
    env: ctx.env,
    cwd: ctx.cwd,
    ...(url === undefined ? {} : { url }),
    ...(options.keyring === undefined ? {} : { keyring: options.keyring }),
  });
  // A warning (e.g. a store file others can read) never stops the command.
  for (const warning of store.warnings) ctx.stderr.write(`bankrec: warning: ${warning}\n`);
  return store;
}

/**
 * The Plaid gateway configured from the context's environment (PLAID_CLIENT_ID, PLAID_SECRET,
 * PLAID_ENV, PLAID_BASE_URL); a ConfigError (exit 2) says what is missing.
 */
export async function cliGateway(ctx: CliContext): Promise<PlaidGateway> {
  const { PlaidGateway, resolvePlaidConfig } = await import("../plaid/index.js");
  return new PlaidGateway({ config: resolvePlaidConfig({}, ctx.env) });
}

/**
 * Runs `work` with an open store and closes it whatever happens.
 *
 * @example await withStore(flags, ctx, async (store) => listItems(store));
 */
export async function withStore<T>(
  flags: StoreFlags,
  ctx: CliContext,
  work: (store: Store) => Promise<T>,
): Promise<T> {
  const store = await openCliStore(flags, ctx);
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

/** Writes a value as indented JSON and a newline. */
export function printJson(ctx: CliContext, value: unknown): void {
  ctx.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Writes rows as a table, or `empty` when there are none. */
export function printTable(
  ctx: CliContext,
  columns: readonly Column[],
  rows: readonly Cell[][],
  empty: string,
): void {
  if (rows.length === 0) {
    ctx.stdout.write(`${empty}\n`);
    return;
  }
  const widthMax = ctx.stdout.isTTY === true ? (ctx.stdout.columns ?? 200) : 200;
  const lines = renderColumns(columns, rows, { color: colorEnabled(ctx.stdout, ctx.env), widthMax });
  ctx.stdout.write(`${lines.join("\n")}\n`);
}

/** `--item` checked for shape; whether it exists is the store's to say. */
export function itemFlag(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (text === "" || text.length > 200) throw new UsageError(`--item must be an item id, got "${value}"`);
  return text;
}

/**
 * An amount for people, with the money formatter; without a known currency the bare minor
 * units are shown rather than guessing decimals.
 *
 * @example moneyText(-123456, "USD") // "-1,234.56"
 */
export function moneyText(minor: number | null, currency: string | null): string {
  if (minor === null) return "";
  if (currency === null || !isCurrencyCode(currency)) return `${minor} (minor units)`;
  return formatAmount(minor, currency);
}

/** An amount for programs: the decimal text (null without a currency) beside the minor units. */
export function moneyJson(
  minor: number | null,
  currency: string | null,
): { readonly amount: string | null; readonly amount_minor: number | null } {
  if (minor === null) return { amount: null, amount_minor: null };
  const known = currency !== null && isCurrencyCode(currency);
  return { amount: known ? formatAmountPlain(minor, currency) : null, amount_minor: minor };
}

/**
 * Runs a Plaid refresh for each item. An item that needs its user is reported on stderr with
 * what to do, and the listing goes on with what is stored; any other failure propagates.
 *
 * @example await refreshEach(ctx, store, itemIds, (id) => sync.refreshBalances(store, gateway, id));
 */
export async function refreshEach(
  ctx: CliContext,
  itemIds: readonly string[],
  refresh: (itemId: string) => Promise<unknown>,
): Promise<void> {
  const { plaid, sync } = await backends();
  for (const itemId of itemIds) {
    try {
      await refresh(itemId);
    } catch (error) {
      const problem = error instanceof plaid.PlaidApiError ? sync.itemProblemOf(error, itemId) : null;
      if (problem === null) throw error;
      ctx.stderr.write(
        `bankrec: item ${itemId} needs its user (${problem.errorCode}): ${problem.action}; showing what is stored\n`,
      );
    }
  }
}

/** The one item asked for (checked to exist), else every item not removed. */
export async function itemIdsOf(store: Store, itemId: string | undefined): Promise<string[]> {
  const { store: repo } = await backends();
  if (itemId !== undefined) return [(await repo.getItem(store, itemId)).id];
  return (await repo.listItems(store)).filter((item) => item.status !== "removed").map((item) => item.id);
}
