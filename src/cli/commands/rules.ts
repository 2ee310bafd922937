import type { Command } from "commander";
import type { CategoryRule, RuleInput } from "../../categorize/index.js";
import { InputError } from "../../errors/index.js";
import type { RecategorizeOutcome } from "../../store/index.js";
import type { CliContext } from "../context.js";
import { UsageError } from "../errors.js";
import { repeatable, wholeNumber } from "../options.js";
import {
  addStoreOptions,
  moneyText,
  printJson,
  printTable,
  STORE_HELP,
  type StoreFlags,
  withStore,
} from "../store-options.js";

const EXAMPLES = `
Rules run in order (rules list shows it): the first rule that sets a category or a merchant
decides it, tags add up, and any rule may mark a transfer or exclude a row. A person's own
category (bankrec categorize) always wins over rules. Saving or removing a rule re-applies
the rules to every stored row in one database transaction; rules test shows what would
change first. Text conditions are case-insensitive; amounts are magnitudes in the row's currency.

Examples:
  $ bankrec rules add --merchant-contains "blue bottle" --category FOOD_AND_DRINK_COFFEE
  $ bankrec rules test --description-regex "^SQ \\*" --direction out --category FOOD_AND_DRINK_RESTAURANT
  $ bankrec rules add --description-words "payroll gusto" --direction in --category INCOME_SALARY --tag payroll
  $ bankrec rules add --merchant-is "Amzn Mktp" --rename Amazon --position 1
  $ bankrec rules add --description-contains "to savings" --transfer
  $ bankrec rules add --rule '{"conditions":{"amountMin":"1000"},"actions":{"addTags":["large"]}}'
  $ bankrec rules list
  $ bankrec rules remove rule_1a2b3c4d5e
  $ bankrec rules suggestions [--accept KEY | --dismiss KEY]
${STORE_HELP}`;

interface RuleFlags extends StoreFlags {
  readonly rule?: string;
  readonly name?: string;
  readonly merchantIs?: string;
  readonly merchantContains?: string;
  readonly merchantRegex?: string;
  readonly descriptionContains?: string;
  readonly descriptionWords?: string;
  readonly descriptionRegex?: string;
  readonly counterpartyContains?: string;
  readonly account?: readonly string[];
  readonly direction?: string;
  readonly amountMin?: string;
  readonly amountMax?: string;
  readonly currency?: string;
  readonly ifCategory?: string;
  readonly category?: string;
  readonly rename?: string;
  readonly tag?: readonly string[];
  readonly transfer?: boolean;
  readonly exclude?: boolean;
  readonly position?: string;
}

/** Each rule field and the flag that sets it, so an error names what the person typed. */
const FIELD_FLAGS: Readonly<Record<string, string>> = {
  name: "--name",
  "conditions.merchant.equals": "--merchant-is",
  "conditions.merchant.contains": "--merchant-contains",
  "conditions.merchant.regex": "--merchant-regex",
  "conditions.description.contains": "--description-contains",
  "conditions.description.words": "--description-words",
  "conditions.description.regex": "--description-regex",
  "conditions.counterparty.contains": "--counterparty-contains",
  "conditions.accountIds": "--account",
  "conditions.direction": "--direction",
  "conditions.amountMin": "--amount-min",
  "conditions.amountMax": "--amount-max",
  "conditions.currency": "--currency",
  "conditions.category": "--if-category",
  "actions.category": "--category",
  "actions.renameMerchant": "--rename",
  "actions.addTags": "--tag",
};

function textMatch(
  is?: string,
  contains?: string,
  regex?: string,
  words?: string,
): Record<string, unknown> | undefined {
  const m: Record<string, unknown> = {};
  if (is !== undefined) m.equals = is;
  if (contains !== undefined) m.contains = contains;
  if (regex !== undefined) m.regex = regex;
  if (words !== undefined) m.words = words.split(/\s+/).filter((w) => w !== "");
  return Object.keys(m).length === 0 ? undefined : m;
}

/** The rule the flags describe, unchecked: `parseRuleInput` checks it and names the field. */
function ruleFromFlags(f: RuleFlags): unknown {
  if (f.rule !== undefined) {
    try {
      return JSON.parse(f.rule);
    } catch {
      throw new UsageError('--rule must be a rule as JSON: {"conditions": {…}, "actions": {…}}');
    }
  }
  const conditions: Record<string, unknown> = {
    merchant: textMatch(f.merchantIs, f.merchantContains, f.merchantRegex),
    description: textMatch(undefined, f.descriptionContains, f.descriptionRegex, f.descriptionWords),
    counterparty: textMatch(undefined, f.counterpartyContains),
    accountIds: f.account,
    direction: f.direction?.trim().toLowerCase(),
    amountMin: f.amountMin,
    amountMax: f.amountMax,
    currency: f.currency,
    category: f.ifCategory,
  };
  const actions: Record<string, unknown> = {
    category: f.category,
    renameMerchant: f.rename,
    addTags: f.tag,
    markTransfer: f.transfer === true ? true : undefined,
    excludeFromReports: f.exclude === true ? true : undefined,
  };
  const drop = (o: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
  return {
    ...(f.name === undefined ? {} : { name: f.name }),
    conditions: drop(conditions),
    actions: drop(actions),
  };
}

/** A rule error in the words of the flags when the rule came from flags. */
function inFlagWords(error: unknown, fromFlags: boolean): never {
  if (!fromFlags || !(error instanceof InputError)) throw error;
  const m = /^rule: ([\w.]+?)(?:\.\d+)?: (.*)$/.exec(error.message);
  const flag = m === null ? undefined : FIELD_FLAGS[m[1] as string];
  if (m !== null && flag !== undefined) throw new InputError(`${flag}: ${m[2]}`);
  if (m !== null && m[1] === "conditions")
    throw new InputError(
      "a rule needs at least one condition (--merchant-contains, --description-words, --direction, …)",
    );
  if (m !== null && m[1] === "actions")
    throw new InputError(
      "a rule needs at least one action (--category, --rename, --tag, --transfer, --exclude)",
    );
  throw error;
}

function placementOf(flags: RuleFlags): { position?: number } {
  return flags.position === undefined
    ? {}
    : { position: wholeNumber("--position", flags.position, "places", 1, 10_000) };
}

function describe(rule: RuleInput | CategoryRule): { when: string; actions: string } {
  const when = Object.entries(rule.conditions).map(
    ([k, v]) => `${k} ${typeof v === "object" ? JSON.stringify(v) : v}`,
  );
  const then = Object.entries(rule.actions).map(([k, v]) =>
    v === true ? k : `${k} ${typeof v === "object" ? JSON.stringify(v) : v}`,
  );
  return { when: when.join("; "), actions: then.join("; ") };
}

function printOutcome(ctx: CliContext, outcome: RecategorizeOutcome, verb: string): void {
  ctx.stdout.write(
    `${outcome.changed.toLocaleString("en-US")} of ${outcome.examined.toLocaleString("en-US")} stored transactions ${verb}\n`,
  );
  if (outcome.examples.length === 0) return;
  printTable(
    ctx,
    [
      { header: "Date", align: "left" },
      { header: "Amount", align: "right" },
      { header: "Description", align: "left", widthMax: 36, widthMin: 12 },
      { header: "Category before → after", align: "left", widthMax: 60, widthMin: 16 },
      { header: "Merchant after", align: "left", widthMax: 24, widthMin: 8 },
    ],
    outcome.examples.map((e) => [
      e.date,
      moneyText(e.amountMinor, e.currency),
      e.description,
      e.before.category === e.after.category
        ? e.after.category
        : `${e.before.category} → ${e.after.category}`,
      e.after.merchant ?? "",
    ]),
    "",
  );
}

async function rulesModule() {
  return import("../../store/rules.js");
}

async function runAdd(flags: RuleFlags, ctx: CliContext, dryRun: boolean): Promise<void> {
  const raw = ruleFromFlags(flags);
  const placement = placementOf(flags);
  const { addRule, testRule } = await rulesModule();
  await withStore(flags, ctx, async (store) => {
    try {
      if (dryRun) {
        const outcome = await testRule(store, raw, placement);
        if (flags.json === true) printJson(ctx, outcome);
        else printOutcome(ctx, outcome, "would change (nothing saved)");
        return;
      }
      const { rule, outcome } = await addRule(store, raw, placement);
      if (flags.json === true) printJson(ctx, { rule, outcome });
      else {
        ctx.stdout.write(`saved rule ${rule.id} (${rule.name}) at place ${rule.position / 10}\n`);
        printOutcome(ctx, outcome, "changed");
      }
    } catch (error) {
      inFlagWords(error, flags.rule === undefined);
    }
  });
}

function addRuleFlags(command: Command): Command {
  return command
    .option("--rule <json>", "the whole rule as JSON (instead of the flags below)")
    .option("--name <text>", "a name for the rule (default: made from its first condition and action)")
    .option("--merchant-is <name>", "condition: the merchant's name is this")
    .option("--merchant-contains <text>", "condition: the merchant's name contains this")
    .option("--merchant-regex <re>", "condition: the merchant's name matches this regular expression")
    .option("--description-contains <text>", "condition: the bank's description contains this")
    .option("--description-words <words>", "condition: the description holds each of these words")
    .option("--description-regex <re>", "condition: the description matches this regular expression")
    .option("--counterparty-contains <text>", "condition: the other party's name contains this")
    .option("--account <id>", "condition: the account is this one (repeat for several)", repeatable)
    .option("--direction <in|out>", "condition: money in or money out")
    .option("--amount-min <amount>", "condition: the amount is at least this (a magnitude, e.g. 10.00)")
    .option("--amount-max <amount>", "condition: the amount is at most this")
    .option("--currency <code>", "condition: the row's currency")
    .option("--if-category <code>", "condition: the category before rules (a primary covers its detailed)")
    .option("--category <code>", "action: set this category (see `bankrec categories`)")
    .option("--rename <name>", "action: show the merchant under this name")
    .option("--tag <tag>", "action: add this tag (repeat for several)", repeatable)
    .option("--transfer", "action: a transfer between your own accounts (left out of spending)")
    .option("--exclude", "action: leave the row out of reports")
    .option("--position <n>", "place in the order, 1 first (default: last)");
}

async function runList(flags: StoreFlags, ctx: CliContext): Promise<void> {
  const { listRules } = await rulesModule();
  const rules = await withStore(flags, ctx, (store) => listRules(store));
  if (flags.json === true) {
    printJson(ctx, rules);
    return;
  }
  printTable(
    ctx,
    [
      { header: "#", align: "right" },
      { header: "Id", align: "left" },
      { header: "Name", align: "left", widthMax: 30, widthMin: 8 },
      { header: "When", align: "left", widthMax: 60, widthMin: 12 },
      { header: "Then", align: "left", widthMax: 50, widthMin: 12 },
    ],
    rules.map((rule, i) => {
      const { when, actions } = describe(rule);
      return [String(i + 1), rule.id, rule.name, when, actions];
    }),
    "no rules yet (bankrec rules add --help)",
  );
}

async function runSuggestions(
  flags: StoreFlags & { readonly accept?: string; readonly dismiss?: string },
  ctx: CliContext,
): Promise<void> {
  if (flags.accept !== undefined && flags.dismiss !== undefined)
    throw new UsageError("give --accept or --dismiss, not both");
  const { acceptSuggestion, dismissSuggestion, ruleSuggestions } = await rulesModule();
  await withStore(flags, ctx, async (store) => {
    if (flags.accept !== undefined) {
      const { rule, outcome } = await acceptSuggestion(store, flags.accept);
      if (flags.json === true) printJson(ctx, { rule, outcome });
      else {
        ctx.stdout.write(`saved rule ${rule.id} (${rule.name})\n`);
        printOutcome(ctx, outcome, "changed");
      }
      return;
    }
    if (flags.dismiss !== undefined) {
      await dismissSuggestion(store, flags.dismiss);
      if (flags.json === true) printJson(ctx, { dismissed: flags.dismiss });
      else ctx.stdout.write(`dismissed; "${flags.dismiss}" will not be suggested again\n`);
      return;
    }
    const suggestions = await ruleSuggestions(store);
    if (flags.json === true) {
      printJson(ctx, suggestions);
      return;
    }
    printTable(
      ctx,
      [
        { header: "Key", align: "left", widthMax: 60, widthMin: 12 },
        { header: "Merchant", align: "left", widthMax: 30, widthMin: 8 },
        { header: "Category", align: "left" },
        { header: "Edits", align: "right" },
      ],
      suggestions.map((s) => [s.key, s.merchantName, s.category, String(s.edits)]),
      "no suggestions: a rule is offered once you give one merchant one category twice",
    );
    if (suggestions.length > 0)
      ctx.stdout.write("accept one with: bankrec rules suggestions --accept KEY (or --dismiss KEY)\n");
  });
}

/** `bankrec rules add|list|test|apply|remove|suggestions`. */
export function registerRules(program: Command, ctx: CliContext): void {
  const rules = program
    .command("rules")
    .description("category rules: add, test, list, apply, remove, and rules suggested from your edits")
    .addHelpText("after", EXAMPLES);
  addStoreOptions(
    addRuleFlags(rules.command("add").description("save a rule and apply it to every stored row")),
  )
    .addHelpText("after", EXAMPLES)
    .action(async (flags: RuleFlags) => runAdd(flags, ctx, false));
  addStoreOptions(
    addRuleFlags(rules.command("test").description("show what a rule would change, saving nothing")),
  )
    .addHelpText("after", EXAMPLES)
    .action(async (flags: RuleFlags) => runAdd(flags, ctx, true));
  addStoreOptions(rules.command("list").description("the rules, in the order they run")).action(
    async (flags: StoreFlags) => runList(flags, ctx),
  );
  addStoreOptions(rules.command("apply").description("re-apply every rule to every stored row")).action(
    async (flags: StoreFlags) => {
      const { reapplyRules } = await rulesModule();
      const outcome = await withStore(flags, ctx, (store) => reapplyRules(store));
      if (flags.json === true) printJson(ctx, outcome);
      else printOutcome(ctx, outcome, "changed");
    },
  );
  addStoreOptions(rules.command("remove <id>").description("remove a rule and re-apply the others")).action(
    async (id: string, flags: StoreFlags) => {
      const { removeRule } = await rulesModule();
      const outcome = await withStore(flags, ctx, (store) => removeRule(store, id.trim()));
      if (flags.json === true) printJson(ctx, { removed: id, outcome });
      else {
        ctx.stdout.write(`removed rule ${id}\n`);
        printOutcome(ctx, outcome, "changed");
      }
    },
  );
  addStoreOptions(
    rules
      .command("suggestions")
      .description("rules suggested from your own category edits")
      .option("--accept <key>", "save the suggested rule with this key")
      .option("--dismiss <key>", "never suggest this one again"),
  ).action(async (flags: StoreFlags & { accept?: string; dismiss?: string }) => runSuggestions(flags, ctx));
}
