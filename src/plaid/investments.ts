import type { Secret } from "../secrets/index.js";
import type { AccountsOptions } from "./accounts.js";
import type { PlaidCaller } from "./caller.js";
import { type PlaidAccountRecord, toPlaidAccountRecord } from "./map-account.js";
import {
  type PlaidHoldingRecord,
  type PlaidInvestmentTransactionRecord,
  type PlaidSecurityRecord,
  toPlaidHoldingRecord,
  toPlaidInvestmentTransactionRecord,
  toPlaidSecurityRecord,
} from "./map-investments.js";
import {
  type DateRange,
  OFFSET_PAGES_MAX,
  PAGE_COUNT_MAX,
  type PageOptions,
  pageLimit,
  rangePageRequest,
} from "./transactions.js";

export interface HoldingsResult {
  readonly accounts: readonly PlaidAccountRecord[];
  readonly holdings: readonly PlaidHoldingRecord[];
  readonly securities: readonly PlaidSecurityRecord[];
  readonly requestId: string;
}

/** `/investments/holdings/get`. */
export async function getInvestmentHoldings(
  caller: PlaidCaller,
  accessToken: Secret,
  options: AccountsOptions = {},
): Promise<HoldingsResult> {
  const data = await caller.call("investmentsHoldingsGet", [accessToken], (api) =>
    api.investmentsHoldingsGet({
      access_token: accessToken.reveal(),
      ...(options.accountIds === undefined ? {} : { options: { account_ids: [...options.accountIds] } }),
    }),
  );
  return {
    accounts: data.accounts.map(toPlaidAccountRecord),
    holdings: data.holdings.map(toPlaidHoldingRecord),
    securities: data.securities.map(toPlaidSecurityRecord),
    requestId: data.request_id,
  };
}

export interface InvestmentTransactionsPage {
  readonly accounts: readonly PlaidAccountRecord[];
  readonly securities: readonly PlaidSecurityRecord[];
  readonly investmentTransactions: readonly PlaidInvestmentTransactionRecord[];
  readonly totalInvestmentTransactions: number;
  readonly requestId: string;
}

/** `/investments/transactions/get`: one page. */
export async function getInvestmentTransactions(
  caller: PlaidCaller,
  accessToken: Secret,
  range: DateRange & PageOptions,
): Promise<InvestmentTransactionsPage> {
  const request = rangePageRequest(range);
  const data = await caller.call("investmentsTransactionsGet", [accessToken], (api) =>
    api.investmentsTransactionsGet({ access_token: accessToken.reveal(), ...request }),
  );
  return {
    accounts: data.accounts.map(toPlaidAccountRecord),
    securities: data.securities.map(toPlaidSecurityRecord),
    investmentTransactions: data.investment_transactions.map(toPlaidInvestmentTransactionRecord),
    totalInvestmentTransactions: data.total_investment_transactions,
    requestId: data.request_id,
  };
}

/** Every investment transaction of a range, by pages of 500; securities merged by id. */
export async function getAllInvestmentTransactions(
  caller: PlaidCaller,
  accessToken: Secret,
  range: DateRange,
): Promise<InvestmentTransactionsPage & { readonly pages: number }> {
  const byId = new Map<string, PlaidInvestmentTransactionRecord>();
  const securities = new Map<string, PlaidSecurityRecord>();
  let offset = 0;
  let pages = 0;
  for (;;) {
    if (pages >= OFFSET_PAGES_MAX) throw pageLimit("investmentsTransactionsGet", pages);
    const page = await getInvestmentTransactions(caller, accessToken, {
      ...range,
      count: PAGE_COUNT_MAX,
      offset,
    });
    pages++;
    for (const t of page.investmentTransactions) byId.set(t.id, t);
    for (const s of page.securities) securities.set(s.securityId, s);
    offset += page.investmentTransactions.length;
    if (page.investmentTransactions.length === 0 || offset >= page.totalInvestmentTransactions) {
      return {
        ...page,
        securities: [...securities.values()],
        investmentTransactions: [...byId.values()],
        pages,
      };
    }
  }
}
