/**
 * The boundary where a rule comes in (the CLI, the API, a file): checked whole before anything
 * is stored, and refused in one line that names the field.
 */
import { z } from "zod";
import { InputError } from "../errors/index.js";
import { isCurrencyCode } from "../money/index.js";
import type { RuleActions, RuleConditions } from "./rules.js";
import { scaledBound } from "./rules.js";
import { canonicalCategory, isCategoryCode } from "./taxonomy.js";

/** Bounds on what one rule may hold: a rule is a person's sentence, not a data set. */
export const RULE_TEXT_CHARS_MAX = 200;
export const RULE_REGEX_CHARS_MAX = 200;
export const RULE_LIST_ITEMS_MAX = 50;

const text = z
  .string()
  .trim()
  .min(1, "must not be empty")
  .max(RULE_TEXT_CHARS_MAX, `is limited to ${RULE_TEXT_CHARS_MAX} characters`);

const regex = z
  .string()
  .min(1, "must not be empty")
  .max(RULE_REGEX_CHARS_MAX, `is limited to ${RULE_REGEX_CHARS_MAX} characters`)
  .superRefine((value, ctx) => {
    try {
      new RegExp(value, "iu");
    } catch (error) {
      ctx.addIssue({
        code: "custom",
        message: `is not a valid regular expression (${(error as Error).message.replace(/^Invalid regular expression: /, "")})`,
      });
    }
  });

const textMatch = z
  .strictObject({
    equals: text.optional(),
    contains: text.optional(),
    words: z.array(text).min(1, "must name a word").max(RULE_LIST_ITEMS_MAX).optional(),
    regex: regex.optional(),
  })
  .refine((m) => Object.values(m).some((v) => v !== undefined), "needs equals, contains, words or regex");

/** A string check whose message quotes the value. */
function checked(test: (value: string) => boolean, problem: (value: string) => string) {
  return z
    .string()
    .trim()
    .superRefine((value, ctx) => {
      if (!test(value)) ctx.addIssue({ code: "custom", message: problem(value) });
    });
}

/** A known code, stored as its v2 code: a v1 alias in a rule means what Plaid files under v2. */
const category = checked(
  isCategoryCode,
  (value) => `"${value}" is not a category code (see \`bankrec categories\`)`,
).transform(canonicalCategory);

const amount = checked(
  (value) => scaledBound(value) !== null,
  (value) => `"${value}" is not an amount (a magnitude such as 10 or 49.99)`,
);

const conditions = z
  .strictObject({
    merchant: textMatch.optional(),
    description: textMatch.optional(),
    counterparty: textMatch.optional(),
    accountIds: z.array(text).min(1, "must name an account").max(RULE_LIST_ITEMS_MAX).optional(),
    direction: z.enum(["in", "out"]).optional(),
    amountMin: amount.optional(),
    amountMax: amount.optional(),
    currency: z
      .string()
      .trim()
      .toUpperCase()
      .refine(isCurrencyCode, "must be an ISO 4217 code such as USD")
      .optional(),
    category: category.optional(),
  })
  .superRefine((c, ctx) => {
    if (Object.values(c).every((v) => v === undefined))
      ctx.addIssue({ code: "custom", message: "needs at least one condition" });
    if (c.amountMin === undefined || c.amountMax === undefined) return;
    const low = scaledBound(c.amountMin);
    const high = scaledBound(c.amountMax);
    if (low !== null && high !== null && low > high)
      ctx.addIssue({
        code: "custom",
        path: ["amountMin"],
        message: `${c.amountMin} is above the maximum ${c.amountMax}`,
      });
  });

const actions = z
  .strictObject({
    category: category.optional(),
    renameMerchant: text.optional(),
    addTags: z.array(text).min(1, "must name a tag").max(RULE_LIST_ITEMS_MAX).optional(),
    markTransfer: z.boolean().optional(),
    excludeFromReports: z.boolean().optional(),
  })
  .refine(
    (a) =>
      a.category !== undefined ||
      a.renameMerchant !== undefined ||
      a.addTags !== undefined ||
      a.markTransfer === true ||
      a.excludeFromReports === true,
    "needs at least one action (category, renameMerchant, addTags, markTransfer, excludeFromReports)",
  );

const ruleInput = z.strictObject({
  name: text.optional(),
  conditions,
  actions,
});

/** A rule as a person gives it, before it has an id and a place in the order. */
export interface RuleInput {
  readonly name?: string;
  readonly conditions: RuleConditions;
  readonly actions: RuleActions;
}

/**
 * Checks a rule from outside. Unknown fields, an invalid regex, an unknown category, a minimum
 * above the maximum: an InputError whose one line names the field.
 *
 * @example parseRuleInput({ conditions: { merchant: { contains: "blue bottle" } }, actions: { category: "FOOD_AND_DRINK_COFFEE" } })
 * @throws InputError `rule: conditions.description.regex: is not a valid regular expression (…)`
 */
export function parseRuleInput(input: unknown): RuleInput {
  const parsed = ruleInput.safeParse(input);
  if (parsed.success) return stripUndefined(parsed.data) as RuleInput;
  const issue = parsed.error.issues[0];
  const path = issue === undefined || issue.path.length === 0 ? "" : `${issue.path.join(".")}: `;
  const message =
    issue?.code === "unrecognized_keys"
      ? `unknown field ${issue.keys.map((k) => `"${k}"`).join(", ")}`
      : (issue?.message ?? "is not a rule");
  throw new InputError(`rule: ${path}${message}`);
}

/** zod leaves absent optionals as absent, but `exactOptionalPropertyTypes` wants them gone. */
function stripUndefined(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripUndefined);
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) if (v !== undefined) out[key] = stripUndefined(v);
  return out;
}
