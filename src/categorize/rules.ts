/**
 * Category rules: ordered conditions on a transaction and the actions they take. Rules are
 * data (what a person saves, what `rules test` evaluates); `compileRules` turns them into
 * predicates once, so a million rows pay for a regex compile once, not once a row.
 *
 * Order decides: the first rule (lowest position) that sets a field (category, merchant)
 * decides it; tags from every matching rule are kept; any matching rule may mark a row as a
 * transfer or exclude it from reports.
 */
import { currencyExponent, isCurrencyCode } from "../money/index.js";

/** Text conditions; every part given must hold. Case-insensitive. */
export interface TextMatch {
  /** The whole text, trimmed, equals this. */
  readonly equals?: string;
  /** The text contains this substring. */
  readonly contains?: string;
  /** Every one of these words stands in the text as a whole word. */
  readonly words?: readonly string[];
  /** A JavaScript regular expression (case-insensitive, no flags of its own). */
  readonly regex?: string;
}

export interface RuleConditions {
  /** The merchant's name (Plaid's, a person's rename, or the one cleaned from the description). */
  readonly merchant?: TextMatch;
  /** The bank's description as it came. */
  readonly description?: TextMatch;
  /** The other party the bank names (Plaid's counterparty, a statement's party). */
  readonly counterparty?: TextMatch;
  /** The row's account is one of these. */
  readonly accountIds?: readonly string[];
  /** `in`: money in (amount > 0); `out`: money out. */
  readonly direction?: "in" | "out";
  /**
   * Bounds on the amount's magnitude, inclusive, as decimal text in the row's currency
   * ("10", "49.99"): a rule means the same in any currency's minor units.
   */
  readonly amountMin?: string;
  readonly amountMax?: string;
  /** ISO 4217 code of the row. */
  readonly currency?: string;
  /**
   * The category the row has before rules (Plaid's, the legacy list's or the statement's).
   * A primary code matches every detailed category under it.
   */
  readonly category?: string;
}

export interface RuleActions {
  readonly category?: string;
  readonly renameMerchant?: string;
  readonly addTags?: readonly string[];
  /** Treat the row as a movement between the owner's own accounts (left out of spending). */
  readonly markTransfer?: boolean;
  /** Leave the row out of reports. */
  readonly excludeFromReports?: boolean;
}

/** A rule as stored. `position` orders rules: the lowest first. */
export interface CategoryRule {
  readonly id: string;
  readonly name: string;
  readonly position: number;
  readonly conditions: RuleConditions;
  readonly actions: RuleActions;
}

/** What the rules see of a row. */
export interface RuleSubject {
  readonly description: string;
  readonly merchantName: string | null;
  readonly counterparty: string | null;
  readonly accountId: string;
  readonly amountMinor: number;
  readonly currency: string;
  /** The category before rules (never a person's edit, never a rule's). */
  readonly baseCategory: string;
}

/** What the rules did to a row; nulls where no rule spoke. */
export interface RuleOutcome {
  readonly category: { readonly code: string; readonly ruleId: string } | null;
  readonly merchantName: string | null;
  readonly tags: readonly string[];
  readonly markTransfer: boolean;
  readonly excludeFromReports: boolean;
  /** Every rule that matched, in order. */
  readonly ruleIds: readonly string[];
}

export const NO_RULE_OUTCOME: RuleOutcome = Object.freeze({
  category: null,
  merchantName: null,
  tags: Object.freeze([]) as readonly string[],
  markTransfer: false,
  excludeFromReports: false,
  ruleIds: Object.freeze([]) as readonly string[],
});

/** Decimal places every amount bound is compared at: enough for any ISO currency (CLF has 4). */
export const BOUND_SCALE_EXPONENT = 4;

type Predicate = (subject: RuleSubject) => boolean;

export interface CompiledRule {
  readonly rule: CategoryRule;
  readonly test: Predicate;
}

/**
 * Compiles rules into predicates, in their order. Rules are expected to be valid (see
 * `parseRuleInput`); a regex that does not compile here is a programmer error.
 *
 * @example
 * const compiled = compileRules(rules);
 * const outcome = applyRules(compiled, subject);
 */
export function compileRules(rules: readonly CategoryRule[]): CompiledRule[] {
  return [...rules]
    .sort((a, b) => a.position - b.position || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((rule) => ({ rule, test: compileConditions(rule.conditions) }));
}

/**
 * Runs the rules over one row. The first rule that sets the category or the merchant decides
 * it; tags add up (each once, in rule order); transfer and exclusion marks are any rule's.
 *
 * @example applyRules(compileRules([coffeeRule]), subject).category // { code: "FOOD_AND_DRINK_COFFEE", ruleId: "r1" }
 */
export function applyRules(rules: readonly CompiledRule[], subject: RuleSubject): RuleOutcome {
  let outcome: RuleOutcome | null = null;
  for (const { rule, test } of rules) {
    if (!test(subject)) continue;
    const a = rule.actions;
    const before: RuleOutcome = outcome ?? NO_RULE_OUTCOME;
    const tags = a.addTags === undefined ? before.tags : [...new Set([...before.tags, ...a.addTags])];
    outcome = {
      category: before.category ?? (a.category === undefined ? null : { code: a.category, ruleId: rule.id }),
      merchantName: before.merchantName ?? a.renameMerchant ?? null,
      tags,
      markTransfer: before.markTransfer || a.markTransfer === true,
      excludeFromReports: before.excludeFromReports || a.excludeFromReports === true,
      ruleIds: [...before.ruleIds, rule.id],
    };
  }
  return outcome ?? NO_RULE_OUTCOME;
}

function compileConditions(c: RuleConditions): Predicate {
  const tests: Predicate[] = [];
  if (c.merchant !== undefined) {
    const match = compileText(c.merchant);
    tests.push((s) => s.merchantName !== null && match(s.merchantName));
  }
  if (c.description !== undefined) {
    const match = compileText(c.description);
    tests.push((s) => match(s.description));
  }
  if (c.counterparty !== undefined) {
    const match = compileText(c.counterparty);
    tests.push((s) => s.counterparty !== null && match(s.counterparty));
  }
  if (c.accountIds !== undefined) {
    const ids = new Set(c.accountIds);
    tests.push((s) => ids.has(s.accountId));
  }
  if (c.direction !== undefined) {
    const wantIn = c.direction === "in";
    tests.push((s) => (wantIn ? s.amountMinor > 0 : s.amountMinor < 0));
  }
  if (c.currency !== undefined) {
    const currency = c.currency.toUpperCase();
    tests.push((s) => s.currency === currency);
  }
  if (c.amountMin !== undefined || c.amountMax !== undefined)
    tests.push(compileAmount(c.amountMin, c.amountMax));
  if (c.category !== undefined) {
    const code = c.category;
    const prefix = `${code}_`;
    tests.push((s) => s.baseCategory === code || s.baseCategory.startsWith(prefix));
  }
  return (s) => {
    for (const test of tests) if (!test(s)) return false;
    return true;
  };
}

/** Lower-cased, with runs of white space as one space: how every text condition reads a text. */
export function foldText(text: string): string {
  return text.toLowerCase().replace(/\s+/g, " ").trim();
}

function compileText(m: TextMatch): (text: string) => boolean {
  const parts: ((folded: string, raw: string) => boolean)[] = [];
  if (m.equals !== undefined) {
    const want = foldText(m.equals);
    parts.push((folded) => folded === want);
  }
  if (m.contains !== undefined) {
    const want = foldText(m.contains);
    parts.push((folded) => folded.includes(want));
  }
  if (m.words !== undefined) {
    const words = m.words.map(
      (w) => new RegExp(`(?:^|[^\\p{L}\\p{N}])${escapeRegex(foldText(w))}(?:$|[^\\p{L}\\p{N}])`, "u"),
    );
    parts.push((folded) => words.every((w) => w.test(folded)));
  }
  if (m.regex !== undefined) {
    const re = new RegExp(m.regex, "iu");
    parts.push((_folded, raw) => re.test(raw));
  }
  return (text) => {
    const folded = foldText(text);
    for (const part of parts) if (!part(folded, text)) return false;
    return true;
  };
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Decimal text ("49.99") at four decimals, as an exact integer; null when it is not one. */
export function scaledBound(text: string): number | null {
  const m = /^(\d{1,11})(?:\.(\d{1,4}))?$/.exec(text.trim());
  if (m === null) return null;
  const fraction = (m[2] ?? "").padEnd(BOUND_SCALE_EXPONENT, "0");
  return Number(m[1]) * 10 ** BOUND_SCALE_EXPONENT + Number(fraction);
}

function compileAmount(min: string | undefined, max: string | undefined): Predicate {
  const low = min === undefined ? null : scaledBound(min);
  const high = max === undefined ? null : scaledBound(max);
  // A row's minor units scaled to four decimals: exact for exponents 0..4, whatever the currency.
  const factor = new Map<string, number>();
  const factorOf = (currency: string): number => {
    let f = factor.get(currency);
    if (f === undefined) {
      const exponent = isCurrencyCode(currency) ? currencyExponent(currency) : 2;
      f = 10 ** Math.max(0, BOUND_SCALE_EXPONENT - exponent);
      factor.set(currency, f);
    }
    return f;
  };
  return (s) => {
    const magnitude = Math.abs(s.amountMinor) * factorOf(s.currency);
    return (low === null || magnitude >= low) && (high === null || magnitude <= high);
  };
}
