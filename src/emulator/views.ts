import { failures } from "./errors.js";
import { newRequestId } from "./http.js";
import type { Item } from "./item.js";

/** Plaid's Item object (with the consent fields /item/get adds). */
export function itemJson(item: Item, withConsent = false): Record<string, unknown> {
  const json: Record<string, unknown> = {
    item_id: item.itemId,
    institution_id: item.institution.institutionId,
    institution_name: item.institution.name,
    webhook: item.webhook,
    auth_method: null,
    error: item.loginRequired ? failures.itemLoginRequired().body(newRequestId()) : null,
    available_products: [
      "assets",
      "auth",
      "balance",
      "identity",
      "investments",
      "liabilities",
      "transactions",
    ].filter((product) => !item.products.includes(product)),
    billed_products: [...item.products],
    products: [...item.products],
    consented_products: [...item.products],
    consent_expiration_time: null,
    update_type: "background",
  };
  if (withConsent) json.created_at = item.createdAt;
  return json;
}

/** The `status` object of /item/get. */
export function itemStatusJson(item: Item): Record<string, unknown> {
  return {
    transactions: { last_successful_update: item.createdAt, last_failed_update: null },
    investments: { last_successful_update: item.createdAt, last_failed_update: null },
    last_webhook:
      item.lastWebhook === null
        ? null
        : { sent_at: item.lastWebhook.sentAt, code_sent: item.lastWebhook.code },
  };
}

/** Keeps only the accounts named in `ids`, when given. */
export function filterAccounts<T extends { account_id?: unknown }>(
  rows: T[],
  ids: readonly string[] | null | undefined,
): T[] {
  if (ids === null || ids === undefined) return rows;
  return rows.filter((row) => typeof row.account_id === "string" && ids.includes(row.account_id));
}
