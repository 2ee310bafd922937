import type { PlaidApi } from "plaid";
import type { Secret } from "../secrets/index.js";
import {
  type AccountsOptions,
  type AccountsResult,
  type BalancesOptions,
  type BalancesResult,
  getAccounts,
  getBalances,
} from "./accounts.js";
import { BalanceCache } from "./balance-cache.js";
import { PlaidCaller } from "./caller.js";
import { type PlaidConfig, type PlaidConfigOptions, resolvePlaidConfig } from "./config.js";
import {
  getAllInvestmentTransactions,
  getInvestmentHoldings,
  getInvestmentTransactions,
  type HoldingsResult,
  type InvestmentTransactionsPage,
} from "./investments.js";
import {
  createLinkToken,
  type ExchangedItem,
  exchangePublicToken,
  getItem,
  getWebhookVerificationKey,
  type LinkToken,
  type LinkTokenOptions,
  removeItem,
  updateItemWebhook,
  type WebhookVerificationKey,
} from "./items.js";
import { getLiabilities, type LiabilitiesResult } from "./liabilities.js";
import type { PlaidItem } from "./map-account.js";
import type { RetryEvent, RetryPolicy, RetryTiming } from "./retry.js";
import {
  createSandboxPublicToken,
  createSandboxTransactions,
  fireSandboxWebhook,
  resetSandboxLogin,
  type SandboxPublicTokenOptions,
  type SandboxTransaction,
} from "./sandbox.js";
import {
  type DateRange,
  getAllTransactions,
  getTransactions,
  type PageOptions,
  refreshTransactions,
  type TransactionsPage,
} from "./transactions.js";
import { type SyncOptions, type SyncStep, syncTransactions } from "./transactions-sync.js";

export interface PlaidGatewayOptions {
  /** A resolved configuration, or options resolved with the environment as fallback. */
  readonly config?: PlaidConfig | PlaidConfigOptions;
  /** An SDK client to use instead of building one (tests). */
  readonly api?: PlaidApi;
  readonly retry?: Partial<RetryPolicy>;
  /** Clock, sleep and random for retries and the balance cache (tests inject them). */
  readonly timing?: Partial<RetryTiming>;
  readonly onRetry?: (event: RetryEvent) => void;
}

/**
 * bankrec's one door to Plaid, over the official SDK. Every call is retried when that is safe,
 * every failure is a scrubbed PlaidApiError, every answer is mapped to bankrec's types
 * (minor units, natural sign, open enums). Access tokens go in and come out as `Secret`.
 *
 * @example
 * const plaid = new PlaidGateway({ config: { baseUrl: "http://localhost:4010" } });
 * const { accessToken } = await plaid.exchangePublicToken(publicToken);
 * const run = await collectSyncRun(plaid.syncTransactions(accessToken, { cursor: "" }));
 */
export class PlaidGateway {
  readonly #caller: PlaidCaller;
  readonly #balances: BalanceCache<AccountsResult>;
  readonly config: Omit<PlaidConfig, "secret">;

  constructor(options: PlaidGatewayOptions = {}) {
    const config = isResolved(options.config) ? options.config : resolvePlaidConfig(options.config);
    this.#caller = new PlaidCaller({
      config,
      api: options.api,
      retry: options.retry,
      timing: options.timing,
      onRetry: options.onRetry,
    });
    this.#balances = new BalanceCache(this.#caller.now);
    this.config = {
      clientId: config.clientId,
      env: config.env,
      basePath: config.basePath,
      timeoutMs: config.timeoutMs,
    };
  }

  createLinkToken(options: LinkTokenOptions): Promise<LinkToken> {
    return createLinkToken(this.#caller, options);
  }

  exchangePublicToken(publicToken: string | Secret): Promise<ExchangedItem> {
    return exchangePublicToken(this.#caller, publicToken);
  }

  getItem(accessToken: Secret): Promise<PlaidItem> {
    return getItem(this.#caller, accessToken);
  }

  async removeItem(accessToken: Secret): Promise<{ requestId: string }> {
    const result = await removeItem(this.#caller, accessToken);
    this.#balances.forgetItem(accessToken);
    return result;
  }

  updateItemWebhook(accessToken: Secret, webhookUrl: string): Promise<PlaidItem> {
    return updateItemWebhook(this.#caller, accessToken, webhookUrl);
  }

  getAccounts(accessToken: Secret, options?: AccountsOptions): Promise<AccountsResult> {
    return getAccounts(this.#caller, accessToken, options);
  }

  /** Real-time balances, served from cache within `maxAgeMs` (default 60 s). */
  getBalances(accessToken: Secret, options?: BalancesOptions): Promise<BalancesResult> {
    return getBalances(this.#caller, this.#balances, accessToken, options);
  }

  getTransactions(accessToken: Secret, range: DateRange & PageOptions): Promise<TransactionsPage> {
    return getTransactions(this.#caller, accessToken, range);
  }

  getAllTransactions(
    accessToken: Secret,
    range: DateRange,
  ): Promise<TransactionsPage & { readonly pages: number }> {
    return getAllTransactions(this.#caller, accessToken, range);
  }

  /** See {@link syncTransactions} for the page / restart / end contract. */
  syncTransactions(accessToken: Secret, options?: SyncOptions): AsyncGenerator<SyncStep, void, undefined> {
    return syncTransactions(this.#caller, accessToken, options);
  }

  refreshTransactions(accessToken: Secret): Promise<{ requestId: string }> {
    return refreshTransactions(this.#caller, accessToken);
  }

  getInvestmentHoldings(accessToken: Secret, options?: AccountsOptions): Promise<HoldingsResult> {
    return getInvestmentHoldings(this.#caller, accessToken, options);
  }

  getInvestmentTransactions(
    accessToken: Secret,
    range: DateRange & PageOptions,
  ): Promise<InvestmentTransactionsPage> {
    return getInvestmentTransactions(this.#caller, accessToken, range);
  }

  getAllInvestmentTransactions(
    accessToken: Secret,
    range: DateRange,
  ): Promise<InvestmentTransactionsPage & { readonly pages: number }> {
    return getAllInvestmentTransactions(this.#caller, accessToken, range);
  }

  getLiabilities(accessToken: Secret, options?: AccountsOptions): Promise<LiabilitiesResult> {
    return getLiabilities(this.#caller, accessToken, options);
  }

  getWebhookVerificationKey(keyId: string): Promise<WebhookVerificationKey> {
    return getWebhookVerificationKey(this.#caller, keyId);
  }

  createSandboxPublicToken(
    options: SandboxPublicTokenOptions,
  ): Promise<{ publicToken: Secret; requestId: string }> {
    return createSandboxPublicToken(this.#caller, options);
  }

  fireSandboxWebhook(
    accessToken: Secret,
    webhookCode: string,
    webhookType?: string,
  ): Promise<{ webhookFired: boolean; requestId: string }> {
    return fireSandboxWebhook(this.#caller, accessToken, webhookCode, webhookType);
  }

  resetSandboxLogin(accessToken: Secret): Promise<{ resetLogin: boolean }> {
    return resetSandboxLogin(this.#caller, accessToken);
  }

  createSandboxTransactions(
    accessToken: Secret,
    transactions: readonly SandboxTransaction[],
  ): Promise<{ requestId: string }> {
    return createSandboxTransactions(this.#caller, accessToken, transactions);
  }
}

function isResolved(config: PlaidConfig | PlaidConfigOptions | undefined): config is PlaidConfig {
  return config !== undefined && "basePath" in config && typeof config.secret === "object";
}
