/**
 * Category rules in the store: saved, listed, tested, removed, and re-applied to the stored
 * rows in the same database transaction as the change, so no report ever sees a rule half
 * applied. Suggested rules come from a person's own category edits.
 */
import { randomBytes } from "node:crypto";
import type { RawBuilder } from "kysely";
import {
  type CategoryEdit,
  type CategoryRule,
  parseRuleInput,
  type RuleInput,
  type RuleSuggestion,
  suggestRules,
} from "../categorize/index.js";
import { InputError } from "../errors/index.js";
import {
  ANALYZE_ROWS_MIN,
  loadRules,
  type RecategorizeOutcome,
  recategorize,
  recategorizeAll,
  refreshPlannerStatistics,
} from "./categories.js";
import { ruleScope } from "./rule-scope.js";
import type { Store } from "./store.js";

/** Rules one tenant may hold: each row is checked against each rule on every write. */
export const RULES_MAX = 500;
const PRIORITY_STEP = 10;

/**
 * The tenant's rules, in the order they run.
 *
 * @example for (const rule of await listRules(store)) console.log(rule.position, rule.name);
 */
export async function listRules(store: Store): Promise<CategoryRule[]> {
  return loadRules(store.db, store.tenantId);
}

/** Where a new rule goes: 1-based place in the order; default last. */
export interface RulePlacement {
  readonly position?: number;
}

function placed(
  rules: readonly CategoryRule[],
  input: RuleInput,
  id: string,
  placement: RulePlacement,
): CategoryRule[] {
  const at = Math.min(Math.max((placement.position ?? rules.length + 1) - 1, 0), rules.length);
  const rule: CategoryRule = {
    id,
    name: input.name ?? describeRule(input),
    position: 0,
    conditions: input.conditions,
    actions: input.actions,
  };
  const ordered = [...rules.slice(0, at), rule, ...rules.slice(at)];
  return ordered.map((r, i) => ({ ...r, position: (i + 1) * PRIORITY_STEP }));
}

/** A short name for a rule nobody named: its first condition and its first action. */
function describeRule(input: RuleInput): string {
  const [condition, value] = Object.entries(input.conditions)[0] ?? ["?", ""];
  const [action, result] = Object.entries(input.actions)[0] ?? ["?", ""];
  const show = (v: unknown) => (typeof v === "object" && v !== null ? JSON.stringify(v) : String(v));
  return `${condition} ${show(value)} → ${action} ${show(result)}`.slice(0, 120);
}

/**
 * The rows a change of `rule` could touch (see `rule-scope.ts`): saving or removing one rule
 * changes only rows it matches, so the rest of the store is not read.
 */
async function scopeOf(
  db: Store["db"],
  tenantId: string,
  rule: Pick<CategoryRule, "conditions">,
): Promise<RawBuilder<unknown> | undefined> {
  const needsCurrencies = rule.conditions.amountMin !== undefined || rule.conditions.amountMax !== undefined;
  const currencies = needsCurrencies
    ? (
        await db
          .selectFrom("transactions")
          .select("currency")
          .distinct()
          .where("tenant_id", "=", tenantId)
          .execute()
      ).map((row) => row.currency)
    : [];
  return ruleScope(rule, currencies);
}

function newRuleId(): string {
  return `rule_${randomBytes(5).toString("hex")}`;
}

/**
 * What saving `input` would change, without saving it: the count of stored rows whose
 * category, merchant, tags or report role would change, with examples. Equals what `addRule`
 * then changes, as both run the same categorizer over the same rows.
 *
 * @example const { changed, examples } = await testRule(store, { conditions: { merchant: { contains: "uber" } }, actions: { category: "TRANSPORTATION_TAXIS_AND_RIDE_SHARES" } });
 */
export async function testRule(
  store: Store,
  raw: unknown,
  placement: RulePlacement = {},
): Promise<RecategorizeOutcome> {
  const input = parseRuleInput(raw);
  const rules = placed(await listRules(store), input, "(test)", placement);
  const where = await scopeOf(store.db, store.tenantId, input);
  const scope = where === undefined ? { all: true as const } : { all: true as const, where };
  return recategorize(store.db, store.tenantId, scope, { rules, dryRun: true });
}

/**
 * Saves a rule and re-applies the rules to every stored row, in one database transaction.
 *
 * @example const { rule, outcome } = await addRule(store, { name: "Coffee", conditions: { merchant: { contains: "blue bottle" } }, actions: { category: "FOOD_AND_DRINK_COFFEE" } });
 * @throws InputError naming the field of a bad rule; nothing is stored
 */
export async function addRule(
  store: Store,
  raw: unknown,
  placement: RulePlacement = {},
): Promise<{ readonly rule: CategoryRule; readonly outcome: RecategorizeOutcome }> {
  const input = parseRuleInput(raw);
  const now = store.now();
  return store.db.transaction().execute(async (trx) => {
    const existing = await loadRules(trx, store.tenantId);
    if (existing.length >= RULES_MAX)
      throw new InputError(`rule: this store already holds ${RULES_MAX} rules, the most it keeps`);
    const id = newRuleId();
    const rules = placed(existing, input, id, placement);
    for (const rule of rules) {
      if (rule.id === id)
        await trx
          .insertInto("category_rules")
          .values({
            id,
            tenant_id: store.tenantId,
            priority: rule.position,
            name: rule.name,
            conditions_json: JSON.stringify(rule.conditions),
            actions_json: JSON.stringify(rule.actions),
            created_at: now,
          })
          .execute();
      else
        await trx
          .updateTable("category_rules")
          .set({ priority: rule.position })
          .where("id", "=", rule.id)
          .where("tenant_id", "=", store.tenantId)
          .execute();
    }
    await refreshPlannerStatistics(trx, store.dialect, ANALYZE_ROWS_MIN);
    const rule = rules.find((r) => r.id === id) as CategoryRule;
    const outcome = await recategorizeAll(
      trx,
      store.tenantId,
      rules,
      await scopeOf(trx, store.tenantId, rule),
    );
    return { rule, outcome };
  });
}

/**
 * Removes a rule and re-applies the others to every stored row, in one database transaction.
 *
 * @throws InputError when the tenant has no such rule
 */
export async function removeRule(store: Store, id: string): Promise<RecategorizeOutcome> {
  return store.db.transaction().execute(async (trx) => {
    const removed = (await loadRules(trx, store.tenantId)).find((rule) => rule.id === id);
    if (removed === undefined)
      throw new InputError(`no rule "${id}" in this store (see \`bankrec rules list\`)`);
    await trx
      .deleteFrom("category_rules")
      .where("id", "=", id)
      .where("tenant_id", "=", store.tenantId)
      .execute();
    await refreshPlannerStatistics(trx, store.dialect, ANALYZE_ROWS_MIN);
    return recategorizeAll(trx, store.tenantId, undefined, await scopeOf(trx, store.tenantId, removed));
  });
}

/**
 * Re-applies the stored rules (and the taxonomy) to every stored row; changes nothing when
 * every row is already as the rules say.
 */
export async function reapplyRules(store: Store): Promise<RecategorizeOutcome> {
  return store.db.transaction().execute(async (trx) => {
    await refreshPlannerStatistics(trx, store.dialect, ANALYZE_ROWS_MIN);
    return recategorizeAll(trx, store.tenantId);
  });
}

/**
 * Rules worth offering from the person's category edits (see `suggestRules`).
 *
 * @example for (const s of await ruleSuggestions(store)) console.log(s.key, s.edits);
 */
export async function ruleSuggestions(store: Store): Promise<RuleSuggestion[]> {
  const edited = await store.db
    .selectFrom("transactions")
    .select(["merchant_key", "merchant_display", "user_category"])
    .where("tenant_id", "=", store.tenantId)
    .where("user_category", "is not", null)
    .where("merchant_key", "is not", null)
    .where("removed_at", "is", null)
    .execute();
  const edits: CategoryEdit[] = edited.map((row) => ({
    merchantKey: row.merchant_key as string,
    merchantName: row.merchant_display ?? (row.merchant_key as string),
    category: row.user_category as string,
  }));
  const dismissed = await store.db
    .selectFrom("rule_suggestion_dismissals")
    .select("suggestion_key")
    .where("tenant_id", "=", store.tenantId)
    .execute();
  return suggestRules(edits, await listRules(store), new Set(dismissed.map((row) => row.suggestion_key)));
}

async function suggestionFor(store: Store, key: string): Promise<RuleSuggestion> {
  const suggestion = (await ruleSuggestions(store)).find((s) => s.key === key);
  if (suggestion === undefined)
    throw new InputError(`no rule suggestion "${key}" (see \`bankrec rules suggestions\`)`);
  return suggestion;
}

/** Saves a suggested rule (see `addRule`). */
export async function acceptSuggestion(
  store: Store,
  key: string,
): Promise<{ readonly rule: CategoryRule; readonly outcome: RecategorizeOutcome }> {
  return addRule(store, (await suggestionFor(store, key)).rule);
}

/** Dismisses a suggestion for good: it is not offered again. */
export async function dismissSuggestion(store: Store, key: string): Promise<void> {
  await suggestionFor(store, key);
  await store.db
    .insertInto("rule_suggestion_dismissals")
    .values({ tenant_id: store.tenantId, suggestion_key: key, dismissed_at: store.now() })
    .onConflict((conflict) => conflict.columns(["tenant_id", "suggestion_key"]).doNothing())
    .execute();
}
