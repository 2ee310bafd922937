import { z } from "zod";
import { type Endpoint, itemEndpoint } from "./endpoint.js";
import { failures } from "./errors.js";
import { holdingJson, referencedSecurities, securityJson } from "./investments.js";
import { liabilitiesJson } from "./liabilities.js";
import { createRng, hashSeed } from "./prng.js";
import { accessToken, accountIds, count500, isoDate, offset } from "./validation.js";
import { filterAccounts, itemJson } from "./views.js";

/** Investments (holdings, paginated transactions) and liabilities. */

const holdingsSchema = z.object({
  access_token: accessToken,
  options: z.object({ account_ids: accountIds }).nullish(),
});

const investmentTransactionsSchema = z.object({
  access_token: accessToken,
  start_date: isoDate,
  end_date: isoDate,
  options: z
    .object({ account_ids: accountIds, count: count500.nullish(), offset: offset.nullish() })
    .nullish(),
});

export function productEndpoints(): Endpoint[] {
  return [
    itemEndpoint("/investments/holdings/get", holdingsSchema, true, ({ state }, body, item) => {
      const ids = body.options?.account_ids;
      const holdings = filterAccounts(
        [...item.portfolio.holdings].map((h) => ({ ...h, account_id: h.accountId })),
        ids,
      );
      return {
        accounts: filterAccounts(
          item.accountsJson((account) => account.type === "investment"),
          ids,
        ),
        holdings: holdings.map((holding) => holdingJson(holding, state.today)),
        securities: referencedSecurities(holdings, []).map((security) => securityJson(security, state.today)),
        item: itemJson(item),
      };
    }),
    itemEndpoint(
      "/investments/transactions/get",
      investmentTransactionsSchema,
      true,
      ({ state }, body, item) => {
        if (body.start_date > body.end_date)
          throw failures.invalidField("start_date must not be after end_date");
        const ids = body.options?.account_ids;
        const matching = filterAccounts(
          item.portfolio.transactions.filter((t) => t.date >= body.start_date && t.date <= body.end_date),
          ids,
        ).sort((a, b) =>
          a.date === b.date
            ? a.investment_transaction_id < b.investment_transaction_id
              ? -1
              : 1
            : a.date < b.date
              ? 1
              : -1,
        );
        const start = body.options?.offset ?? 0;
        const page = matching.slice(start, start + (body.options?.count ?? 100));
        return {
          item: itemJson(item),
          accounts: filterAccounts(
            item.accountsJson((account) => account.type === "investment"),
            ids,
          ),
          securities: referencedSecurities([], page).map((security) => securityJson(security, state.today)),
          investment_transactions: page,
          total_investment_transactions: matching.length,
        };
      },
    ),
    itemEndpoint("/liabilities/get", holdingsSchema, true, ({ state }, body, item) => {
      const ids = body.options?.account_ids;
      const liabilities = liabilitiesJson(
        createRng(hashSeed(`${item.itemId}:${state.today}`)),
        item.accounts,
        state.today,
      );
      const keep = <T extends { account_id?: unknown }>(rows: unknown): T[] =>
        filterAccounts(rows as T[], ids);
      return {
        accounts: filterAccounts(
          item.accountsJson((account) => account.type === "credit" || account.type === "loan"),
          ids,
        ),
        item: itemJson(item),
        liabilities: {
          credit: keep(liabilities.credit),
          mortgage: keep(liabilities.mortgage),
          student: keep(liabilities.student),
        },
      };
    }),
  ];
}
