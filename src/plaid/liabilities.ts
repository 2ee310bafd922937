import type { Secret } from "../secrets/index.js";
import type { AccountsOptions } from "./accounts.js";
import type { PlaidCaller } from "./caller.js";
import { type PlaidAccountRecord, toPlaidAccountRecord } from "./map-account.js";
import { type PlaidLiabilities, toPlaidLiabilities } from "./map-liabilities.js";

export interface LiabilitiesResult {
  readonly accounts: readonly PlaidAccountRecord[];
  readonly liabilities: PlaidLiabilities;
  readonly requestId: string;
}

/** `/liabilities/get`: credit cards, mortgages and student loans, in the accounts' currencies. */
export async function getLiabilities(
  caller: PlaidCaller,
  accessToken: Secret,
  options: AccountsOptions = {},
): Promise<LiabilitiesResult> {
  const data = await caller.call("liabilitiesGet", [accessToken], (api) =>
    api.liabilitiesGet({
      access_token: accessToken.reveal(),
      ...(options.accountIds === undefined ? {} : { options: { account_ids: [...options.accountIds] } }),
    }),
  );
  const accounts = data.accounts.map(toPlaidAccountRecord);
  const currencyByAccount = new Map<string, string>();
  for (const account of accounts) {
    if (account.balances.currency !== null) currencyByAccount.set(account.id, account.balances.currency);
  }
  return {
    accounts,
    liabilities: toPlaidLiabilities(data.liabilities, currencyByAccount),
    requestId: data.request_id,
  };
}
