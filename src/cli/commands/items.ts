import type { Command } from "commander";
import type { StoredItem } from "../../store/index.js";
import type { CliContext } from "../context.js";
import {
  addStoreOptions,
  backends,
  printJson,
  printTable,
  STORE_HELP,
  type StoreFlags,
  withStore,
} from "../store-options.js";
import type { Cell } from "../table.js";

const EXAMPLES = `
Lists the linked items: institution, status, what the user must do when an item needs them,
when it last synced and whether it has a sync cursor. Access tokens are never shown.

Examples:
  $ bankrec items
  $ bankrec items --json
${STORE_HELP}`;

/** An item for programs; the token is not part of StoredItem, so it cannot slip in here. */
function itemJson(item: StoredItem): Record<string, unknown> {
  return {
    id: item.id,
    institution_id: item.institutionId,
    institution_name: item.institutionName,
    status: item.status,
    error_code: item.errorCode,
    action: item.errorMessage,
    products: item.products,
    created_at: item.createdAt,
    last_synced_at: item.lastSyncedAt,
    has_cursor: item.cursor !== null && item.cursor !== "",
  };
}

function itemRow(item: StoredItem): Cell[] {
  const problem = item.errorCode === null ? "" : `${item.errorCode}: ${item.errorMessage ?? ""}`;
  return [
    item.id,
    item.institutionName ?? item.institutionId ?? "",
    item.status === "ok" ? item.status : { text: item.status, style: "yellow" },
    item.lastSyncedAt ?? "never",
    item.cursor !== null && item.cursor !== "" ? "yes" : "no",
    problem,
  ];
}

/** `bankrec items`. */
export async function runItems(flags: StoreFlags, ctx: CliContext): Promise<void> {
  const { store: repo } = await backends();
  const items = await withStore(flags, ctx, (store) => repo.listItems(store));
  if (flags.json === true) {
    printJson(ctx, items.map(itemJson));
    return;
  }
  printTable(
    ctx,
    [
      { header: "Item", align: "left" },
      { header: "Institution", align: "left", widthMax: 32, widthMin: 12 },
      { header: "Status", align: "left" },
      { header: "Last synced", align: "left" },
      { header: "Cursor", align: "left" },
      { header: "Problem and action", align: "left", widthMax: 120, widthMin: 20 },
    ],
    items.map(itemRow),
    "no items in this store: run bankrec link",
  );
}

/** `bankrec items`. */
export function registerItems(program: Command, ctx: CliContext): void {
  const command = program.command("items").description("list the linked items and what each needs");
  addStoreOptions(command)
    .addHelpText("after", EXAMPLES)
    .action(async (flags: StoreFlags) => {
      await runItems(flags, ctx);
    });
}
