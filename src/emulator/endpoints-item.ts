import { z } from "zod";
import { hasTransactions } from "./accounts.js";
import { type Endpoint, itemEndpoint, plainEndpoint } from "./endpoint.js";
import { failures, PlaidFailure } from "./errors.js";
import { institutionJson, SUPPORTED_PRODUCTS } from "./institutions.js";
import { accessToken, accountIds } from "./validation.js";
import { filterAccounts, itemJson, itemStatusJson } from "./views.js";

/** Link tokens, items, accounts and balances, institutions, webhook keys. */

const product = z.enum(SUPPORTED_PRODUCTS as [string, ...string[]], {
  message: `must be one of ${SUPPORTED_PRODUCTS.join(", ")}`,
});

const linkTokenCreate = z.object({
  client_name: z.string().min(1, { message: "must not be empty" }),
  language: z.string().min(2, { message: "must be a language code" }),
  country_codes: z.array(z.string()).min(1, { message: "must name at least one country" }),
  user: z.object({ client_user_id: z.string().min(1, { message: "must not be empty" }) }),
  products: z.array(product).nullish(),
  webhook: z.string().url({ message: "must be a URL" }).nullish(),
  access_token: z.string().nullish(),
  transactions: z.object({ days_requested: z.number().int().min(1).max(730).nullish() }).nullish(),
});

const itemOnly = z.object({ access_token: accessToken });
const withAccountIds = z.object({
  access_token: accessToken,
  options: z.object({ account_ids: accountIds }).nullish(),
});

export function itemEndpoints(): Endpoint[] {
  return [
    plainEndpoint("/link/token/create", linkTokenCreate, ({ state }, body) => {
      let itemId: string | null = null;
      if (typeof body.access_token === "string") itemId = state.itemByToken(body.access_token).itemId;
      else if (body.products === null || body.products === undefined || body.products.length === 0) {
        throw failures.missingFields("the following required fields are missing: products");
      }
      const session = state.createLinkSession({
        clientUserId: body.user.client_user_id,
        products: body.products ?? [],
        webhook: body.webhook ?? null,
        historyDays: body.transactions?.days_requested ?? null,
        itemId,
      });
      return {
        link_token: session.linkToken,
        expiration: new Date(session.expiresAtMs).toISOString().replace(/\.\d+Z$/, "Z"),
      };
    }),
    plainEndpoint(
      "/item/public_token/exchange",
      z.object({ public_token: z.string() }),
      async ({ state, notify }, body) => {
        const item = state.exchangePublicToken(body.public_token, "user_good");
        if (item.ready && item.log.length > 0) await notify(item, syncUpdatesPayload(item.itemId));
        return { access_token: item.accessToken, item_id: item.itemId };
      },
    ),
    itemEndpoint("/item/get", itemOnly, false, (_context, _body, item) => ({
      item: itemJson(item, true),
      status: itemStatusJson(item),
    })),
    itemEndpoint("/item/remove", itemOnly, false, ({ state }, _body, item) => {
      state.removeItem(item);
      return {};
    }),
    itemEndpoint(
      "/item/webhook/update",
      z.object({
        access_token: accessToken,
        webhook: z.string().url({ message: "must be a URL" }).nullish(),
      }),
      false,
      async ({ notify }, body, item) => {
        item.webhook = body.webhook ?? null;
        if (item.webhook !== null) {
          await notify(item, {
            webhook_type: "ITEM",
            webhook_code: "WEBHOOK_UPDATE_ACKNOWLEDGED",
            item_id: item.itemId,
            new_webhook_url: item.webhook,
            error: null,
            environment: "sandbox",
          });
        }
        return { item: itemJson(item) };
      },
    ),
    itemEndpoint("/accounts/get", withAccountIds, false, (_context, body, item) => ({
      accounts: filterAccounts(item.accountsJson(), body.options?.account_ids),
      item: itemJson(item),
    })),
    itemEndpoint("/accounts/balance/get", withAccountIds, true, (_context, body, item) => ({
      accounts: filterAccounts(
        item.accountsJson(
          (account) => hasTransactions(account) || account.type === "loan" || account.type === "investment",
        ),
        body.options?.account_ids,
      ).map((account) => ({
        ...account,
        balances: { ...(account.balances as object), last_updated_datetime: new Date().toISOString() },
      })),
      item: itemJson(item),
    })),
    plainEndpoint(
      "/institutions/get_by_id",
      z.object({ institution_id: z.string(), country_codes: z.array(z.string()).min(1) }),
      ({ state }, body) => ({
        institution: institutionJson(state.institution(body.institution_id), SUPPORTED_PRODUCTS),
      }),
    ),
    plainEndpoint("/webhook_verification_key/get", z.object({ key_id: z.string() }), ({ state }, body) => {
      const key = state.webhooks.publicKey(body.key_id);
      if (key === undefined) {
        throw new PlaidFailure(
          "INVALID_INPUT",
          "INVALID_WEBHOOK_VERIFICATION_KEY_ID",
          "invalid key_id provided",
        );
      }
      return { key };
    }),
  ];
}

export function syncUpdatesPayload(itemId: string): Record<string, unknown> {
  return {
    webhook_type: "TRANSACTIONS",
    webhook_code: "SYNC_UPDATES_AVAILABLE",
    item_id: itemId,
    initial_update_complete: true,
    historical_update_complete: true,
    environment: "sandbox",
  };
}
