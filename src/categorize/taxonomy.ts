import { PFC_V2_ROWS } from "./pfc-table.js";

/**
 * bankrec's own code for "nothing said": no source gave a category. It is not a Plaid code, and
 * its kind is "unknown" so a report decides such a row by its sign.
 *
 * @example describeCategory(UNCATEGORIZED).name // "Uncategorized"
 */
export const UNCATEGORIZED = "UNCATEGORIZED";

/**
 * Which way a category moves money for a spending report. "unknown" is for codes that say
 * nothing about it (UNCATEGORIZED, unrecognised codes): the report decides those by the sign.
 *
 * @example describeCategory("TRANSFER_IN_DEPOSIT").kind // "income"
 */
export type CategoryKind = "income" | "expense" | "unknown";

/**
 * What bankrec knows about a category code, ready to show.
 *
 * @example
 * describeCategory("FOOD_AND_DRINK_COFFEE")
 * // { code: "FOOD_AND_DRINK_COFFEE", primary: "FOOD_AND_DRINK", detailed: "FOOD_AND_DRINK_COFFEE",
 * //   name: "Coffee", primaryName: "Food and drink", known: true, kind: "expense" }
 */
export interface CategoryInfo {
  /** The canonical code: a v1 alias is replaced by its v2 code; an unknown code is kept as given. */
  readonly code: string;
  readonly primary: string;
  /** Null for a primary code, UNCATEGORIZED, or an unknown code with no known primary prefix. */
  readonly detailed: string | null;
  /** Sentence case; a detailed category's name drops its primary ("Coffee", not "Food and drink coffee"). */
  readonly name: string;
  readonly primaryName: string;
  /** Whether `isCategoryCode` accepts the code as given. */
  readonly known: boolean;
  readonly kind: CategoryKind;
}

/**
 * A PFC v2 primary category.
 *
 * @example PFC_PRIMARIES[0] // { code: "INCOME", name: "Income" }
 */
export interface PfcPrimary {
  readonly code: string;
  readonly name: string;
}

/**
 * A PFC v2 detailed category, with the one v1 code that became it: null for codes v2 added, and
 * for OTHER_OTHER, whose two v1 sources (TRANSFER_IN/OUT_OTHER_TRANSFER_*) live on in v2 as
 * themselves.
 *
 * @example PFC_DETAILED[8] // { code: "INCOME_SALARY", primary: "INCOME", name: "Salary", v1: "INCOME_WAGES" }
 */
export interface PfcDetailed {
  readonly code: string;
  readonly primary: string;
  readonly name: string;
  readonly v1: string | null;
}

/** Money from outside: Plaid files loans received and transfers in beside income. */
const INCOME_PRIMARIES: ReadonlySet<string> = new Set(["INCOME", "TRANSFER_IN", "LOAN_DISBURSEMENTS"]);

/**
 * v2's OTHER (OTHER_OTHER) is what Plaid could not place, and stands for both v1's
 * TRANSFER_IN_OTHER_TRANSFER_IN and TRANSFER_OUT_OTHER_TRANSFER_OUT: it says no more about
 * direction than UNCATEGORIZED does, so the report decides it by sign too.
 */
const DIRECTIONLESS_PRIMARIES: ReadonlySet<string> = new Set(["OTHER"]);

/**
 * Names the words of a code cannot spell: acronyms, hyphens, commas, and detailed codes whose
 * last words alone would be vague ("Other", "Auto") or clash inside their primary.
 */
const NAME_OVERRIDES: Readonly<Record<string, string>> = {
  [UNCATEGORIZED]: "Uncategorized",
  GOVERNMENT_AND_NON_PROFIT: "Government and non-profit",
  GOVERNMENT_AND_NON_PROFIT_OTHER_GOVERNMENT_AND_NON_PROFIT: "Other government and non-profit",
  INCOME_LONG_TERM_DISABILITY: "Long-term disability",
  INCOME_OTHER: "Other income",
  INCOME_RENTAL: "Rental income",
  LOAN_DISBURSEMENTS_AUTO: "Auto loan",
  LOAN_DISBURSEMENTS_BNPL: "Buy now, pay later",
  LOAN_DISBURSEMENTS_EWA: "Earned wage access",
  LOAN_DISBURSEMENTS_PERSONAL: "Personal loan",
  LOAN_DISBURSEMENTS_STUDENT: "Student loan",
  LOAN_PAYMENTS_EWA: "Earned wage access",
  TRANSFER_IN_WIRE: "Wire transfer",
  TRANSFER_OUT_WIRE: "Wire transfer",
  BANK_FEES_ATM_FEES: "ATM fees",
  BANK_FEES_CASH_ADVANCE: "Cash advance fees",
  ENTERTAINMENT_SPORTING_EVENTS_AMUSEMENT_PARKS_AND_MUSEUMS: "Sporting events, amusement parks and museums",
  ENTERTAINMENT_TV_AND_MOVIES: "TV and movies",
  FOOD_AND_DRINK_BEER_WINE_AND_LIQUOR: "Beer, wine and liquor",
};

/** "GAS_AND_ELECTRICITY" → "Gas and electricity". */
function sentenceCase(words: string): string {
  const text = words.toLowerCase().replaceAll("_", " ");
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function nameOf(code: string, primary: string | null): string {
  const override = NAME_OVERRIDES[code];
  if (override !== undefined) return override;
  const own = primary !== null && code.startsWith(`${primary}_`) ? code.slice(primary.length + 1) : code;
  return sentenceCase(own);
}

function kindOf(primary: string): CategoryKind {
  if (DIRECTIONLESS_PRIMARIES.has(primary)) return "unknown";
  return INCOME_PRIMARIES.has(primary) ? "income" : "expense";
}

/**
 * The 18 PFC v2 primary categories, in Plaid's order.
 *
 * @example PFC_PRIMARIES.map((p) => p.code).slice(0, 3) // ["INCOME", "LOAN_DISBURSEMENTS", "LOAN_PAYMENTS"]
 */
export const PFC_PRIMARIES: readonly PfcPrimary[] = [...new Set(PFC_V2_ROWS.map(([primary]) => primary))].map(
  (code) => Object.freeze({ code, name: nameOf(code, null) }),
);

/**
 * The 123 PFC v2 detailed categories, in Plaid's order.
 *
 * @example PFC_DETAILED.find((d) => d.v1 === "INCOME_OTHER_INCOME")?.code // "INCOME_OTHER"
 */
export const PFC_DETAILED: readonly PfcDetailed[] = PFC_V2_ROWS.map(([primary, code, v1]) =>
  Object.freeze({ code, primary, name: nameOf(code, primary), v1: soleV1Code(v1) }),
);

/** Plaid's v1 column names several codes as "A / B" where v2 merged them. */
function v1Codes(v1Detailed: string | null): string[] {
  return v1Detailed === null ? [] : v1Detailed.split(" / ");
}

function soleV1Code(v1Detailed: string | null): string | null {
  const codes = v1Codes(v1Detailed);
  return codes.length === 1 ? (codes[0] ?? null) : null;
}

/**
 * v1 detailed codes that v2 renamed, to their v2 code. A v1 code that is still a v2 code keeps
 * its meaning (TRANSFER_IN_OTHER_TRANSFER_IN stays itself, not OTHER_OTHER): it is not an alias.
 */
const V2_BY_V1: ReadonlyMap<string, string> = buildAliases();

function buildAliases(): Map<string, string> {
  const v2 = new Set(PFC_V2_ROWS.map(([, detailed]) => detailed));
  const aliases = new Map<string, string>();
  for (const [, detailed, v1Detailed] of PFC_V2_ROWS)
    for (const v1 of v1Codes(v1Detailed)) if (!v2.has(v1)) aliases.set(v1, detailed);
  return aliases;
}

/** Every known code (v2 primary, v2 detailed, UNCATEGORIZED) described once and shared. */
const KNOWN: ReadonlyMap<string, CategoryInfo> = buildKnown();

function buildKnown(): Map<string, CategoryInfo> {
  const known = new Map<string, CategoryInfo>();
  const primaryNames = new Map(PFC_PRIMARIES.map((p) => [p.code, p.name]));
  known.set(
    UNCATEGORIZED,
    Object.freeze({
      code: UNCATEGORIZED,
      primary: UNCATEGORIZED,
      detailed: null,
      name: nameOf(UNCATEGORIZED, null),
      primaryName: nameOf(UNCATEGORIZED, null),
      known: true,
      kind: "unknown",
    }),
  );
  for (const { code, name } of PFC_PRIMARIES)
    known.set(
      code,
      Object.freeze({
        code,
        primary: code,
        detailed: null,
        name,
        primaryName: name,
        known: true,
        kind: kindOf(code),
      }),
    );
  for (const { code, primary, name } of PFC_DETAILED) {
    const primaryName = primaryNames.get(primary) ?? nameOf(primary, null);
    known.set(
      code,
      Object.freeze({ code, primary, detailed: code, name, primaryName, known: true, kind: kindOf(primary) }),
    );
  }
  return known;
}

/** The longest known primary that `code` starts with, followed by "_"; null when none does. */
function knownPrimaryPrefix(code: string): PfcPrimary | null {
  let best: PfcPrimary | null = null;
  for (const primary of PFC_PRIMARIES)
    if (code.startsWith(`${primary.code}_`) && (best === null || primary.code.length > best.code.length))
      best = primary;
  return best;
}

/**
 * Describes any category code. Plaid's category strings are open, so an unknown code never
 * throws: it is kept as given (name included), placed under the known primary it starts with
 * when there is one, and otherwise left of kind "unknown" for the report to decide by sign.
 *
 * @example describeCategory("RENT_AND_UTILITIES_GAS_AND_ELECTRICITY").name // "Gas and electricity"
 * @example describeCategory("INCOME_WAGES").code // "INCOME_SALARY" (a v1 alias)
 * @example describeCategory("FOOD_AND_DRINK_SOMETHING_NEW") // { primary: "FOOD_AND_DRINK", known: false, kind: "expense", ... }
 * @example describeCategory("MYSTERY").kind // "unknown"
 */
export function describeCategory(code: string): CategoryInfo {
  const known = KNOWN.get(V2_BY_V1.get(code) ?? code);
  if (known !== undefined) return known;
  const primary = knownPrimaryPrefix(code);
  if (primary === null)
    return {
      code,
      primary: code,
      detailed: null,
      name: code,
      primaryName: code,
      known: false,
      kind: "unknown",
    };
  return {
    code,
    primary: primary.code,
    detailed: code,
    name: code,
    primaryName: primary.name,
    known: false,
    kind: kindOf(primary.code),
  };
}

/**
 * Whether bankrec knows the code: a v2 detailed or primary code, a v1 detailed alias, or
 * UNCATEGORIZED. Case matters: Plaid's codes are upper case.
 *
 * @example isCategoryCode("TRAVEL_FLIGHTS") // true
 * @example isCategoryCode("INCOME_WAGES") // true (v1)
 * @example isCategoryCode("travel_flights") // false
 */
export function isCategoryCode(code: string): boolean {
  return KNOWN.has(code) || V2_BY_V1.has(code);
}

/**
 * The v2 code for a v1 alias; any other code unchanged, so stored codes compare across versions.
 *
 * @example canonicalCategory("TRANSFER_IN_CASH_ADVANCES_AND_LOANS") // "LOAN_DISBURSEMENTS_OTHER_DISBURSEMENT"
 * @example canonicalCategory("FOOD_AND_DRINK_COFFEE") // "FOOD_AND_DRINK_COFFEE"
 */
export function canonicalCategory(code: string): string {
  return V2_BY_V1.get(code) ?? code;
}

function present(value: string | null): value is string {
  return value !== null && value.trim() !== "";
}

/**
 * The code bankrec stores for Plaid's `personal_finance_category`: the detailed code (a v1 one
 * mapped to v2), else the primary when no detailed code came. Unknown strings pass through
 * unchanged, the detailed one preferred, so a category Plaid adds later is kept rather than lost.
 *
 * @example pfcCategory("INCOME", "INCOME_WAGES") // "INCOME_SALARY"
 * @example pfcCategory("TRAVEL", null) // "TRAVEL"
 * @example pfcCategory("TRAVEL", "TRAVEL_SPACE_FLIGHTS") // "TRAVEL_SPACE_FLIGHTS"
 * @example pfcCategory(null, "") // null
 */
export function pfcCategory(primary: string | null, detailed: string | null): string | null {
  if (present(detailed)) return canonicalCategory(detailed);
  if (present(primary)) return primary;
  return null;
}
