import { z } from "zod";
import { addDays } from "./dates.js";
import { type Endpoint, itemEndpoint, plainEndpoint } from "./endpoint.js";
import { syncUpdatesPayload } from "./endpoints-item.js";
import { failures, PlaidFailure } from "./errors.js";
import { newRequestId } from "./http.js";
import { SUPPORTED_PRODUCTS } from "./institutions.js";
import type { Item } from "./item.js";
import type { SandboxUser } from "./types.js";
import { accessToken, isoDate } from "./validation.js";

/** Plaid's sandbox helpers. */

const publicTokenCreate = z.object({
  institution_id: z.string().min(1),
  initial_products: z
    .array(
      z.enum(SUPPORTED_PRODUCTS as [string, ...string[]], {
        message: `must be one of ${SUPPORTED_PRODUCTS.join(", ")}`,
      }),
    )
    .min(1, { message: "must name at least one product" }),
  options: z
    .object({
      webhook: z.string().url({ message: "must be a URL" }).nullish(),
      override_username: z.string().nullish(),
      override_password: z.string().nullish(),
      transactions: z.object({ days_requested: z.number().int().min(1).max(730).nullish() }).nullish(),
    })
    .nullish(),
});

const fireWebhook = z.object({
  access_token: accessToken,
  webhook_type: z.string().nullish(),
  webhook_code: z.enum(
    [
      "DEFAULT_UPDATE",
      "NEW_ACCOUNTS_AVAILABLE",
      "USER_PERMISSION_REVOKED",
      "USER_ACCOUNT_REVOKED",
      "PENDING_DISCONNECT",
      "LOGIN_REPAIRED",
      "SYNC_UPDATES_AVAILABLE",
      "PRODUCT_READY",
      "ERROR",
    ],
    { message: "is not a webhook code this sandbox can fire" },
  ),
});

const transactionsCreate = z.object({
  access_token: accessToken,
  transactions: z
    .array(
      z.object({
        date_transacted: isoDate,
        date_posted: isoDate,
        amount: z
          .number()
          .refine((n) => Number.isFinite(n) && Math.abs(n * 100 - Math.round(n * 100)) < 1e-6, {
            message: "must be a number with at most two decimals",
          }),
        description: z.string().min(1),
        iso_currency_code: z.string().nullish(),
      }),
    )
    .min(1, { message: "must hold at least one transaction" })
    .max(10, { message: "must hold at most 10 transactions" }),
});

export function sandboxUser(username: string | null | undefined): SandboxUser {
  return username === "user_transactions_dynamic" ? "user_transactions_dynamic" : "user_good";
}

export function sandboxEndpoints(): Endpoint[] {
  return [
    plainEndpoint("/sandbox/public_token/create", publicTokenCreate, ({ state }, body) => {
      state.institution(body.institution_id);
      const options = body.options;
      const token = state.issuePublicToken({
        institutionId: body.institution_id,
        products: body.initial_products,
        user: sandboxUser(options?.override_username),
        ...(options?.webhook ? { webhook: options.webhook } : {}),
        ...(options?.transactions?.days_requested
          ? { historyDays: options.transactions.days_requested }
          : {}),
      });
      return { public_token: token };
    }),
    itemEndpoint("/sandbox/item/fire_webhook", fireWebhook, false, async ({ notify }, body, item) => {
      if (item.webhook === null) {
        throw new PlaidFailure(
          "SANDBOX_ERROR",
          "SANDBOX_WEBHOOK_INVALID",
          "the item has no webhook URL; set one with /item/webhook/update",
        );
      }
      await notify(item, firedPayload(item, body.webhook_code, body.webhook_type ?? null));
      return { webhook_fired: true };
    }),
    itemEndpoint(
      "/sandbox/item/reset_login",
      z.object({ access_token: accessToken }),
      false,
      async ({ notify }, _body, item) => {
        item.loginRequired = true;
        await notify(item, firedPayload(item, "ERROR", "ITEM"));
        return { reset_login: true };
      },
    ),
    itemEndpoint(
      "/sandbox/transactions/create",
      transactionsCreate,
      false,
      async ({ state, notify }, body, item) => {
        const late = body.transactions.find(
          (t) => t.date_posted > addDays(state.today, 0) || t.date_transacted > t.date_posted,
        );
        if (late !== undefined) {
          throw failures.invalidField(
            "transactions: date_posted must not be after today nor before date_transacted",
          );
        }
        item.createSandboxTransactions(body.transactions);
        await notify(item, syncUpdatesPayload(item.itemId));
        return {};
      },
    ),
  ];
}

/** The body of a webhook fired on request, shaped as Plaid's for that code. */
function firedPayload(item: Item, code: string, type: string | null): Record<string, unknown> {
  const base = { item_id: item.itemId, environment: "sandbox" };
  switch (code) {
    case "SYNC_UPDATES_AVAILABLE":
      return syncUpdatesPayload(item.itemId);
    case "DEFAULT_UPDATE":
      if (type === "HOLDINGS") {
        return {
          webhook_type: "HOLDINGS",
          webhook_code: code,
          ...base,
          error: null,
          new_holdings: 0,
          updated_holdings: 0,
        };
      }
      if (type === "INVESTMENTS_TRANSACTIONS") {
        return {
          webhook_type: type,
          webhook_code: code,
          ...base,
          error: null,
          new_investments_transactions: 0,
          cancelled_investments_transactions: 0,
        };
      }
      return { webhook_type: "TRANSACTIONS", webhook_code: code, ...base, error: null, new_transactions: 0 };
    case "ERROR":
      return {
        webhook_type: "ITEM",
        webhook_code: code,
        ...base,
        error: failures.itemLoginRequired().body(newRequestId()),
      };
    case "PENDING_DISCONNECT": {
      const disconnect = new Date(Date.now() + 7 * 86_400_000).toISOString();
      return {
        webhook_type: "ITEM",
        webhook_code: code,
        ...base,
        reason: "INSTITUTION_TOKEN_EXPIRATION",
        disconnect_time: disconnect,
      };
    }
    case "USER_ACCOUNT_REVOKED":
      return {
        webhook_type: "ITEM",
        webhook_code: code,
        ...base,
        account_id: item.accounts[0]?.accountId ?? null,
      };
    case "PRODUCT_READY":
      return { webhook_type: type ?? "INCOME", webhook_code: code, ...base };
    default:
      return { webhook_type: "ITEM", webhook_code: code, ...base, error: null };
  }
}
