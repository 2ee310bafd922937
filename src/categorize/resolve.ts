/**
 * One category, one merchant and one report role for every transaction, and where each came
 * from. The order of precedence for the category:
 *
 *   a person's edit > a rule > Plaid's personal finance category (confidence MEDIUM or above,
 *   or none stated) > Plaid's legacy category list > the statement file's own type code >
 *   UNCATEGORIZED.
 *
 * Plaid documents LOW as "the category may be wrong"; below MEDIUM bankrec prefers the legacy
 * list or the statement, and says UNCATEGORIZED rather than guess, so a person sees it.
 */
import { legacyCategory } from "./legacy-categories.js";
import { resolveMerchant } from "./merchants.js";
import { applyRules, type CompiledRule, type RuleSubject } from "./rules.js";
import { statementCategory } from "./statement-codes.js";
import { canonicalCategory, describeCategory, pfcCategory, UNCATEGORIZED } from "./taxonomy.js";

export type CategorySource = "user" | "rule" | "plaid" | "legacy" | "statement" | "none";

/** Plaid confidence levels whose category bankrec takes as it is. */
export const PFC_CONFIDENCE_ACCEPTED: ReadonlySet<string> = new Set(["VERY_HIGH", "HIGH", "MEDIUM"]);

/** What the categorizer reads of a stored or incoming row. */
export interface CategorizeInput {
  readonly description: string;
  readonly accountId: string;
  /** Minor units, natural sign. */
  readonly amountMinor: number;
  readonly currency: string;
  /** Plaid's merchant name, or the party a statement names. */
  readonly merchantName: string | null;
  readonly merchantEntityId: string | null;
  readonly counterparty: string | null;
  readonly pfcPrimary: string | null;
  readonly pfcDetailed: string | null;
  readonly pfcConfidence: string | null;
  readonly legacyCategory: readonly string[] | null;
  /** The statement's own type code with its format, e.g. `ofx:FEE`, `camt:PMNT/CCRD/CWDL`. */
  readonly statementType: string | null;
  readonly userCategory: string | null;
  readonly userMerchantName: string | null;
}

/** How a row counts in reports. */
export type ReportRole = "counted" | "transfer" | "excluded";

export interface Categorization {
  readonly category: string;
  readonly categoryPrimary: string;
  readonly source: CategorySource;
  /** The rule that set the category, when one did. */
  readonly ruleId: string | null;
  readonly merchantKey: string | null;
  readonly merchantName: string | null;
  /** Tags rules added (a person's own tags are kept apart). */
  readonly ruleTags: readonly string[];
  /** A rule said it is a transfer between the owner's accounts. */
  readonly markTransfer: boolean;
  /** A rule left it out of reports. */
  readonly excluded: boolean;
}

/** Paying off a credit card moves money between one's own accounts: never spending. */
export const CARD_PAYMENT_CATEGORY = "LOAN_PAYMENTS_CREDIT_CARD_PAYMENT";

/**
 * The category a row has before rules and edits, and where it came from.
 *
 * @example baseCategory({ ...row, pfcPrimary: "FOOD_AND_DRINK", pfcDetailed: "FOOD_AND_DRINK_COFFEE", pfcConfidence: "HIGH" }) // { code: "FOOD_AND_DRINK_COFFEE", source: "plaid" }
 */
export function baseCategory(input: CategorizeInput): {
  readonly code: string;
  readonly source: CategorySource;
} {
  if (input.pfcConfidence === null || PFC_CONFIDENCE_ACCEPTED.has(input.pfcConfidence)) {
    const code = pfcCategory(input.pfcPrimary, input.pfcDetailed);
    if (code !== null) return { code, source: "plaid" };
  }
  if (input.legacyCategory !== null && input.legacyCategory.length > 0) {
    const code = legacyCategory(input.legacyCategory);
    if (code !== null) return { code, source: "legacy" };
  }
  if (input.statementType !== null) {
    const code = fromStatementType(input.statementType, input.amountMinor);
    if (code !== null) return { code, source: "statement" };
  }
  return { code: UNCATEGORIZED, source: "none" };
}

const STATEMENT_FORMATS = new Set(["ofx", "camt", "mt940", "csv"]);

function fromStatementType(tagged: string, amountMinor: number): string | null {
  const colon = tagged.indexOf(":");
  const format = tagged.slice(0, colon);
  if (colon < 0 || !STATEMENT_FORMATS.has(format)) return null;
  return statementCategory(format as "ofx", tagged.slice(colon + 1), amountMinor);
}

/**
 * Resolves a row: category (with its source and rule), merchant, rule tags and marks.
 *
 * @example
 * const rules = compileRules(await listRules(store));
 * categorize(input, rules).category // "FOOD_AND_DRINK_COFFEE"
 */
export function categorize(input: CategorizeInput, rules: readonly CompiledRule[]): Categorization {
  const base = baseCategory(input);
  const plaidMerchant = resolveMerchant({
    merchantEntityId: input.merchantEntityId,
    merchantName: input.merchantName,
    description: input.description,
  });
  const subject: RuleSubject = {
    description: input.description,
    merchantName: input.userMerchantName ?? plaidMerchant?.name ?? null,
    counterparty: input.counterparty,
    accountId: input.accountId,
    amountMinor: input.amountMinor,
    currency: input.currency,
    baseCategory: base.code,
  };
  const ruled = rules.length === 0 ? null : applyRules(rules, subject);
  const userCategory = input.userCategory === null ? null : canonicalCategory(input.userCategory);
  const chosen =
    userCategory !== null
      ? { code: userCategory, source: "user" as const, ruleId: null }
      : ruled?.category != null
        ? { code: ruled.category.code, source: "rule" as const, ruleId: ruled.category.ruleId }
        : { ...base, ruleId: null };
  const renamed = input.userMerchantName ?? ruled?.merchantName ?? null;
  const merchant =
    renamed === null
      ? plaidMerchant
      : resolveMerchant({ merchantEntityId: null, merchantName: renamed, description: input.description });
  return {
    category: chosen.code,
    categoryPrimary: describeCategory(chosen.code).primary,
    source: chosen.source,
    ruleId: chosen.ruleId,
    merchantKey: merchant?.key ?? null,
    merchantName: merchant?.name ?? null,
    ruleTags: ruled?.tags ?? [],
    markTransfer: ruled?.markTransfer ?? false,
    excluded: ruled?.excludeFromReports ?? false,
  };
}

/**
 * How a row counts: excluded by a rule; a transfer when paired with its other side, marked so
 * by a rule, or a credit card payment (paired or not: its purchases are the spending);
 * otherwise counted.
 *
 * @example reportRole({ category: "LOAN_PAYMENTS_CREDIT_CARD_PAYMENT", markTransfer: false, excluded: false }, false) // "transfer"
 */
export function reportRole(
  c: Pick<Categorization, "category" | "markTransfer" | "excluded">,
  paired: boolean,
): ReportRole {
  if (c.excluded) return "excluded";
  if (paired || c.markTransfer || c.category === CARD_PAYMENT_CATEGORY) return "transfer";
  return "counted";
}
