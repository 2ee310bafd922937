import type { Products, SandboxItemFireWebhookRequestWebhookCodeEnum, WebhookType } from "plaid";
import { isIsoDate } from "../domain/iso-date.js";
import { InputError } from "../errors/index.js";
import { Secret } from "../secrets/index.js";
import type { PlaidCaller } from "./caller.js";

/**
 * Plaid's sandbox helpers (and the emulator's). Plaid's production environment refuses them;
 * they exist to build test Items and provoke webhooks.
 */

export interface SandboxPublicTokenOptions {
  /** e.g. "ins_109508" (First Platypus Bank). */
  readonly institutionId: string;
  /** Default ["transactions"]. */
  readonly products?: readonly string[];
  readonly webhookUrl?: string;
  /** e.g. "user_transactions_dynamic"; Plaid's default is "user_good". */
  readonly overrideUsername?: string;
  readonly overridePassword?: string;
  readonly daysRequested?: number;
}

/** `/sandbox/public_token/create`: a public token as Link would hand one over. */
export async function createSandboxPublicToken(
  caller: PlaidCaller,
  options: SandboxPublicTokenOptions,
): Promise<{ publicToken: Secret; requestId: string }> {
  const data = await caller.call("sandboxPublicTokenCreate", [], (api) =>
    api.sandboxPublicTokenCreate({
      institution_id: options.institutionId,
      initial_products: [...(options.products ?? ["transactions"])] as Products[],
      options: {
        ...(options.webhookUrl === undefined ? {} : { webhook: options.webhookUrl }),
        ...(options.overrideUsername === undefined ? {} : { override_username: options.overrideUsername }),
        ...(options.overridePassword === undefined ? {} : { override_password: options.overridePassword }),
        ...(options.daysRequested === undefined
          ? {}
          : { transactions: { days_requested: options.daysRequested } }),
      },
    }),
  );
  return { publicToken: new Secret(data.public_token), requestId: data.request_id };
}

/** `/sandbox/item/fire_webhook`: makes Plaid POST a webhook (e.g. SYNC_UPDATES_AVAILABLE) to the Item's URL. */
export async function fireSandboxWebhook(
  caller: PlaidCaller,
  accessToken: Secret,
  webhookCode: string,
  webhookType?: string,
): Promise<{ webhookFired: boolean; requestId: string }> {
  const data = await caller.call(
    "sandboxItemFireWebhook",
    [accessToken],
    (api) =>
      api.sandboxItemFireWebhook({
        access_token: accessToken.reveal(),
        webhook_code: webhookCode as SandboxItemFireWebhookRequestWebhookCodeEnum,
        ...(webhookType === undefined ? {} : { webhook_type: webhookType as WebhookType }),
      }),
    false,
  );
  return { webhookFired: data.webhook_fired, requestId: data.request_id };
}

/** `/sandbox/item/reset_login`: puts the Item in ITEM_LOGIN_REQUIRED. */
export async function resetSandboxLogin(
  caller: PlaidCaller,
  accessToken: Secret,
): Promise<{ resetLogin: boolean }> {
  const data = await caller.call("sandboxItemResetLogin", [accessToken], (api) =>
    api.sandboxItemResetLogin({ access_token: accessToken.reveal() }),
  );
  return { resetLogin: data.reset_login };
}

export interface SandboxTransaction {
  readonly dateTransacted: string;
  readonly datePosted: string;
  /** Plaid's sign: > 0 is money out (this is Plaid's request, not a bankrec amount). */
  readonly amount: number;
  readonly description: string;
  readonly isoCurrencyCode?: string;
}

/**
 * `/sandbox/transactions/create` (for `user_transactions_dynamic` Items). Not repeated after
 * an ambiguous failure: a retry could create the transactions twice.
 */
export async function createSandboxTransactions(
  caller: PlaidCaller,
  accessToken: Secret,
  transactions: readonly SandboxTransaction[],
): Promise<{ requestId: string }> {
  for (const t of transactions) {
    if (!isIsoDate(t.dateTransacted) || !isIsoDate(t.datePosted)) {
      throw new InputError(`sandbox transaction "${t.description}": dates must be YYYY-MM-DD`);
    }
  }
  const data = await caller.call(
    "sandboxTransactionsCreate",
    [accessToken],
    (api) =>
      api.sandboxTransactionsCreate({
        access_token: accessToken.reveal(),
        transactions: transactions.map((t) => ({
          date_transacted: t.dateTransacted,
          date_posted: t.datePosted,
          amount: t.amount,
          description: t.description,
          ...(t.isoCurrencyCode === undefined ? {} : { iso_currency_code: t.isoCurrencyCode }),
        })),
      }),
    false,
  );
  return { requestId: data.request_id };
}
