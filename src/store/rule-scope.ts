/**
 * Which stored rows a rule could touch, as SQL: a condition every row the rule matches
 * satisfies. Saving or removing one rule can change only the rows that rule matches (the other
 * rules' verdicts on a row do not depend on it), so re-categorizing after a rule change reads
 * those rows instead of the whole store. The condition is necessary, not sufficient: the
 * categorizer still decides each row it reads; conditions SQL cannot state portably (a regex,
 * the merchant cleaned from a description, the category before rules) are left to it.
 */
import { type RawBuilder, sql } from "kysely";
import {
  BOUND_SCALE_EXPONENT,
  type CategoryRule,
  foldText,
  scaledBound,
  type TextMatch,
} from "../categorize/index.js";
import { currencyExponent, isCurrencyCode } from "../money/index.js";

/**
 * The SQL condition for the rows `rule` could match; undefined when nothing narrows it.
 * `currencies` are the currencies the tenant's rows hold (amount bounds are per currency).
 *
 * @example ruleScope(rule, ["USD"]) // sql`(amount_minor < 0 and (currency = 'USD' and abs(amount_minor) between 1000 and 5000))`
 */
export function ruleScope(
  rule: Pick<CategoryRule, "conditions">,
  currencies: readonly string[],
): RawBuilder<unknown> | undefined {
  const c = rule.conditions;
  const parts: RawBuilder<unknown>[] = [];
  if (c.direction === "in") parts.push(sql`amount_minor > 0`);
  if (c.direction === "out") parts.push(sql`amount_minor < 0`);
  if (c.currency !== undefined) parts.push(sql`currency = ${c.currency.toUpperCase()}`);
  if (c.accountIds !== undefined) parts.push(sql`account_id in (${sql.join(c.accountIds)})`);
  const description = textScope(sql`name`, c.description);
  if (description !== undefined) parts.push(description);
  const counterparty = textScope(sql`counterparty_name`, c.counterparty);
  if (counterparty !== undefined) parts.push(counterparty);
  const amounts = amountScope(c.amountMin, c.amountMax, currencies);
  if (amounts !== undefined) parts.push(amounts);
  if (parts.length === 0) return undefined;
  return sql`(${sql.join(parts, sql` and `)})`;
}

/** Substrings the folded text must hold: `contains` and each of `words`. */
function textScope(
  column: RawBuilder<unknown>,
  match: TextMatch | undefined,
): RawBuilder<unknown> | undefined {
  if (match === undefined) return undefined;
  const needles = [match.contains, ...(match.words ?? [])]
    .filter((text): text is string => text !== undefined)
    .map(foldText)
    .filter((text) => text !== "" && !/\s/.test(text));
  if (needles.length === 0) return undefined;
  // lower() then LIKE with escapes: the same on SQLite (ASCII case-insensitive anyway) and
  // PostgreSQL (case-sensitive LIKE). Non-ASCII letters fold differently in the two, so only
  // ASCII needles narrow; the categorizer checks the rest.
  const ascii = needles.filter((text) => /^[\x20-\x7e]+$/.test(text));
  if (ascii.length === 0) return undefined;
  return sql.join(
    ascii.map(
      (text) => sql`lower(${column}) like ${`%${text.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`} escape '\\'`,
    ),
    sql` and `,
  );
}

/** Per currency, the magnitude range in minor units that the bounds allow. */
function amountScope(
  min: string | undefined,
  max: string | undefined,
  currencies: readonly string[],
): RawBuilder<unknown> | undefined {
  if (min === undefined && max === undefined) return undefined;
  const low = min === undefined ? null : scaledBound(min);
  const high = max === undefined ? null : scaledBound(max);
  if ((min !== undefined && low === null) || (max !== undefined && high === null) || currencies.length === 0)
    return undefined;
  const each = currencies.map((currency) => {
    const factor =
      10 ** Math.max(0, BOUND_SCALE_EXPONENT - (isCurrencyCode(currency) ? currencyExponent(currency) : 2));
    const from = low === null ? 0 : Math.ceil(low / factor);
    const to = high === null ? Number.MAX_SAFE_INTEGER : Math.floor(high / factor);
    return sql`(currency = ${currency} and abs(amount_minor) between ${from} and ${to})`;
  });
  return sql`(${sql.join(each, sql` or `)})`;
}
