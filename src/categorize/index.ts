/**
 * The categorizer, pure: Plaid's personal finance categories as a table bankrec owns, the
 * legacy list and statement type codes as fallbacks, rules a person writes (and rules
 * suggested from their edits), merchants cleaned from descriptions, and transfers between
 * one's own accounts. No I/O, no SQL, no Plaid SDK types: the store and the CLI call it.
 *
 * @example
 * const rules = compileRules(storedRules);
 * const { category, source, merchantName } = categorize(input, rules);
 */
export { type CategorizedRow, categorizeRows, type FeedRow } from "./categorize-rows.js";
export { legacyCategory } from "./legacy-categories.js";
export { type Merchant, merchantKey, merchantName, resolveMerchant } from "./merchants.js";
export {
  baseCategory,
  CARD_PAYMENT_CATEGORY,
  type Categorization,
  type CategorizeInput,
  type CategorySource,
  categorize,
  PFC_CONFIDENCE_ACCEPTED,
  type ReportRole,
  reportRole,
} from "./resolve.js";
export {
  parseRuleInput,
  RULE_LIST_ITEMS_MAX,
  RULE_REGEX_CHARS_MAX,
  RULE_TEXT_CHARS_MAX,
  type RuleInput,
} from "./rule-input.js";
export {
  applyRules,
  BOUND_SCALE_EXPONENT,
  type CategoryRule,
  type CompiledRule,
  compileRules,
  foldText,
  type RuleActions,
  type RuleConditions,
  type RuleOutcome,
  type RuleSubject,
  scaledBound,
  type TextMatch,
} from "./rules.js";
export { statementCategory } from "./statement-codes.js";
export { type CategoryEdit, type RuleSuggestion, SUGGESTION_EDITS_MIN, suggestRules } from "./suggestions.js";
export {
  type CategoryInfo,
  type CategoryKind,
  canonicalCategory,
  describeCategory,
  isCategoryCode,
  PFC_DETAILED,
  PFC_PRIMARIES,
  pfcCategory,
  UNCATEGORIZED,
} from "./taxonomy.js";
export {
  pairTransfers,
  saysTransfer,
  TRANSFER_WINDOW_DAYS,
  type TransferCandidate,
  type TransferPair,
} from "./transfers.js";
