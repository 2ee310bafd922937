import type { Secret } from "../secrets/index.js";
import { BALANCE_MAX_AGE_MS_DEFAULT, type BalanceCache, balanceKey } from "./balance-cache.js";
import type { PlaidCaller } from "./caller.js";
import { type PlaidAccountRecord, type PlaidItem, toPlaidAccountRecord, toPlaidItem } from "./map-account.js";

export interface AccountsOptions {
  /** Only these accounts; all of the Item's when absent. */
  readonly accountIds?: readonly string[];
}

export interface AccountsResult {
  readonly item: PlaidItem;
  readonly accounts: readonly PlaidAccountRecord[];
  readonly requestId: string;
}

/** `/accounts/get`: accounts with the balances Plaid last cached (free, possibly old). */
export async function getAccounts(
  caller: PlaidCaller,
  accessToken: Secret,
  options: AccountsOptions = {},
): Promise<AccountsResult> {
  const data = await caller.call("accountsGet", [accessToken], (api) =>
    api.accountsGet({
      access_token: accessToken.reveal(),
      ...(options.accountIds === undefined ? {} : { options: { account_ids: [...options.accountIds] } }),
    }),
  );
  return {
    item: toPlaidItem(data.item),
    accounts: data.accounts.map(toPlaidAccountRecord),
    requestId: data.request_id,
  };
}

export interface BalancesOptions extends AccountsOptions {
  /**
   * Accept a cached answer at most this old (default 60 s; 0 forces a call). Real-time
   * balances are billed per call and can take many seconds.
   */
  readonly maxAgeMs?: number;
  /**
   * Plaid's `min_last_updated_datetime` (ISO 8601): required by some institutions that do not
   * refresh balances on demand; the oldest balance update acceptable.
   */
  readonly minLastUpdatedDatetime?: string;
}

export interface BalancesResult extends AccountsResult {
  /** When `/accounts/balance/get` answered (ms since the epoch, by the gateway's clock). */
  readonly fetchedAtMs: number;
  readonly fromCache: boolean;
}

/**
 * `/accounts/balance/get` behind a max-age cache: repeated calls for the same Item and
 * accounts inside the window are served without calling Plaid.
 */
export async function getBalances(
  caller: PlaidCaller,
  cache: BalanceCache<AccountsResult>,
  accessToken: Secret,
  options: BalancesOptions = {},
): Promise<BalancesResult> {
  const maxAgeMs = options.maxAgeMs ?? BALANCE_MAX_AGE_MS_DEFAULT;
  const key = balanceKey(accessToken, options.accountIds, options.minLastUpdatedDatetime);
  const cached = cache.get(key, maxAgeMs);
  if (cached !== undefined) return { ...cached.value, fetchedAtMs: cached.fetchedAtMs, fromCache: true };
  const requestOptions = {
    ...(options.accountIds === undefined ? {} : { account_ids: [...options.accountIds] }),
    ...(options.minLastUpdatedDatetime === undefined
      ? {}
      : { min_last_updated_datetime: options.minLastUpdatedDatetime }),
  };
  const data = await caller.call("accountsBalanceGet", [accessToken], (api) =>
    api.accountsBalanceGet({
      access_token: accessToken.reveal(),
      ...(Object.keys(requestOptions).length === 0 ? {} : { options: requestOptions }),
    }),
  );
  const fetchedAtMs = caller.now();
  const value: AccountsResult = {
    item: toPlaidItem(data.item),
    accounts: data.accounts.map(toPlaidAccountRecord),
    requestId: data.request_id,
  };
  cache.set(key, value, fetchedAtMs);
  return { ...value, fetchedAtMs, fromCache: false };
}
