/**
 * Rules suggested from a person's own corrections: when they give one merchant one category
 * twice, they are likely to do it a third time. A suggestion has a stable key (merchant and
 * category), so a dismissed one never comes back, and one already covered by a rule is not
 * offered.
 */
import { RULE_TEXT_CHARS_MAX, type RuleInput } from "./rule-input.js";
import { type CategoryRule, foldText } from "./rules.js";

/** How many times one merchant must get one category before a rule is offered. */
export const SUGGESTION_EDITS_MIN = 2;

/** A person's category edit, with the merchant of the row it was made on. */
export interface CategoryEdit {
  readonly merchantKey: string;
  readonly merchantName: string;
  readonly category: string;
}

export interface RuleSuggestion {
  /** `merchantKey→category`: what a dismissal records. */
  readonly key: string;
  readonly merchantName: string;
  readonly category: string;
  /** How many edits gave this merchant this category. */
  readonly edits: number;
  /** The rule accepting it would save. */
  readonly rule: RuleInput;
}

/**
 * The rules worth offering: a merchant whose most frequent edited category was given at least
 * twice and more often than any other, not dismissed, and not already set by a rule.
 *
 * @example suggestRules(edits, rules, new Set())[0]?.rule // { name: "Blue Bottle Coffee → FOOD_AND_DRINK_COFFEE", conditions: { merchant: { equals: "Blue Bottle Coffee" } }, actions: { category: "FOOD_AND_DRINK_COFFEE" } }
 */
export function suggestRules(
  edits: readonly CategoryEdit[],
  rules: readonly CategoryRule[],
  dismissed: ReadonlySet<string>,
): RuleSuggestion[] {
  const byMerchant = new Map<string, { name: string; counts: Map<string, number> }>();
  for (const edit of edits) {
    const entry = byMerchant.get(edit.merchantKey) ?? { name: edit.merchantName, counts: new Map() };
    entry.counts.set(edit.category, (entry.counts.get(edit.category) ?? 0) + 1);
    byMerchant.set(edit.merchantKey, entry);
  }
  const covered = new Set(
    rules
      .filter((rule) => rule.conditions.merchant?.equals !== undefined && rule.actions.category !== undefined)
      .map((rule) => `${foldText(rule.conditions.merchant?.equals ?? "")}→${rule.actions.category}`),
  );
  const out: RuleSuggestion[] = [];
  for (const [merchantKey, { name, counts }] of byMerchant) {
    const ranked = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    const [best, runnerUp] = ranked;
    if (
      best === undefined ||
      best[1] < SUGGESTION_EDITS_MIN ||
      (runnerUp !== undefined && runnerUp[1] === best[1])
    )
      continue;
    const [category, count] = best;
    const key = `${merchantKey}→${category}`;
    if (dismissed.has(key) || covered.has(`${foldText(name)}→${category}`)) continue;
    if (name.trim().length > RULE_TEXT_CHARS_MAX) continue;
    out.push({
      key,
      merchantName: name,
      category,
      edits: count,
      rule: {
        // A rule's texts are bounded (RULE_TEXT_CHARS_MAX): a long merchant name is cut in the
        // rule's name only; the condition keeps it whole (names past the bound are not offered).
        name: truncate(`${name} → ${category}`, RULE_TEXT_CHARS_MAX),
        conditions: { merchant: { equals: name } },
        actions: { category },
      },
    });
  }
  return out.sort((a, b) => b.edits - a.edits || (a.key < b.key ? -1 : 1));
}

function truncate(text: string, chars: number): string {
  return text.length <= chars ? text : `${text.slice(0, chars - 1)}…`;
}
