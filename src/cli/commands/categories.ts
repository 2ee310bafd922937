import type { Command } from "commander";
import { InputError } from "../../errors/index.js";
import type { CliContext } from "../context.js";
import { UsageError } from "../errors.js";
import {
  addStoreOptions,
  printJson,
  printTable,
  STORE_HELP,
  type StoreFlags,
  withStore,
} from "../store-options.js";

const CATEGORIES_HELP = `
The categories bankrec gives transactions: Plaid's personal finance categories (taxonomy v2,
which contains v1; v1 codes are accepted and read as their v2 equal), plus UNCATEGORIZED.
Income categories (INCOME, TRANSFER_IN, LOAN_DISBURSEMENTS) add to income in reports; the
others are expenses. A code Plaid adds later is kept and shown as it is.

Examples:
  $ bankrec categories
  $ bankrec categories --primary FOOD_AND_DRINK
  $ bankrec categories --json`;

const CATEGORIZE_HELP = `
Sets a transaction's category by hand. A person's category wins over rules, Plaid and the
statement, survives every later sync and follows a pending transaction to its posted one.
Give one merchant one category twice and bankrec suggests a rule (bankrec rules suggestions).

Examples:
  $ bankrec categorize txn_123 FOOD_AND_DRINK_COFFEE
  $ bankrec categorize txn_123 --merchant "Blue Bottle"
  $ bankrec categorize txn_123 --clear
${STORE_HELP}`;

async function runCategories(
  flags: { readonly primary?: string; readonly json?: boolean },
  ctx: CliContext,
): Promise<void> {
  const { PFC_DETAILED, PFC_PRIMARIES, UNCATEGORIZED, describeCategory } = await import(
    "../../categorize/index.js"
  );
  const primary = flags.primary?.trim().toUpperCase();
  if (primary !== undefined && !PFC_PRIMARIES.some((p) => p.code === primary))
    throw new UsageError(
      `--primary must be a primary category such as FOOD_AND_DRINK, got ${JSON.stringify(flags.primary)}`,
    );
  const detailed = PFC_DETAILED.filter((d) => primary === undefined || d.primary === primary);
  if (flags.json === true) {
    printJson(ctx, {
      primaries: PFC_PRIMARIES.filter((p) => primary === undefined || p.code === primary).map((p) => ({
        ...p,
        kind: describeCategory(p.code).kind,
      })),
      detailed,
      uncategorized: UNCATEGORIZED,
    });
    return;
  }
  printTable(
    ctx,
    [
      { header: "Code", align: "left" },
      { header: "Name", align: "left" },
      { header: "Primary", align: "left" },
      { header: "Kind", align: "left" },
    ],
    [
      ...detailed.map((d) => [d.code, d.name, d.primary, describeCategory(d.code).kind]),
      ...(primary === undefined ? [[UNCATEGORIZED, "Uncategorized", "", "by sign"]] : []),
    ],
    "no categories",
  );
}

interface CategorizeFlags extends StoreFlags {
  readonly clear?: boolean;
  readonly merchant?: string;
}

async function runCategorize(
  id: string,
  category: string | undefined,
  flags: CategorizeFlags,
  ctx: CliContext,
): Promise<void> {
  const { isCategoryCode, canonicalCategory } = await import("../../categorize/index.js");
  if (flags.clear === true && category !== undefined)
    throw new UsageError("give a category or --clear, not both");
  if (category === undefined && flags.clear !== true && flags.merchant === undefined)
    throw new UsageError("give a category (see `bankrec categories`), --merchant NAME, or --clear");
  const code = category?.trim().toUpperCase();
  if (code !== undefined && !isCategoryCode(code))
    throw new InputError(`"${category}" is not a category code (see \`bankrec categories\`)`);
  const merchant = flags.merchant?.trim();
  if (merchant !== undefined && (merchant === "" || merchant.length > 200))
    throw new UsageError("--merchant must be a name of 1 to 200 characters");
  const { editTransaction } = await import("../../store/index.js");
  const { ruleSuggestions } = await import("../../store/rules.js");
  await withStore(flags, ctx, async (store) => {
    await editTransaction(store, id, {
      ...(code !== undefined && { category: canonicalCategory(code) }),
      ...(flags.clear === true && { category: null, merchantName: null }),
      ...(merchant !== undefined && { merchantName: merchant }),
    });
    const row = await store.db
      .selectFrom("transactions")
      .select(["id", "category", "category_source", "merchant_display", "merchant_key"])
      .where("tenant_id", "=", store.tenantId)
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    const suggestion = (await ruleSuggestions(store)).find((s) => s.key.startsWith(`${row.merchant_key}→`));
    if (flags.json === true) {
      printJson(ctx, {
        id,
        category: row.category,
        source: row.category_source,
        merchant: row.merchant_display,
        suggestion: suggestion ?? null,
      });
      return;
    }
    ctx.stdout.write(
      `${id}: ${row.category} (${row.category_source})${row.merchant_display === null ? "" : `, merchant ${row.merchant_display}`}\n`,
    );
    if (suggestion !== undefined)
      ctx.stdout.write(
        `suggested rule: ${suggestion.merchantName} → ${suggestion.category} (${suggestion.edits} edits); ` +
          `bankrec rules suggestions --accept '${suggestion.key}'\n`,
      );
  });
}

/** `bankrec categories` and `bankrec categorize`. */
export function registerCategories(program: Command, ctx: CliContext): void {
  program
    .command("categories")
    .description("the category codes bankrec uses (Plaid's personal finance categories)")
    .option("--primary <code>", "only the detailed categories under this primary")
    .option("--json", "print machine-readable JSON on stdout instead of a table")
    .addHelpText("after", CATEGORIES_HELP)
    .action(async (flags: { primary?: string; json?: boolean }) => runCategories(flags, ctx));
  addStoreOptions(
    program
      .command("categorize <transaction> [category]")
      .description("set a transaction's category (or merchant) by hand; it sticks")
      .option("--merchant <name>", "show the merchant under this name")
      .option("--clear", "remove your category and merchant: rules and Plaid decide again"),
  )
    .addHelpText("after", CATEGORIZE_HELP)
    .action(async (id: string, category: string | undefined, flags: CategorizeFlags) =>
      runCategorize(id.trim(), category, flags, ctx),
    );
}
