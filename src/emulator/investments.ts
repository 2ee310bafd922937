import type { AccountState } from "./accounts.js";
import { addDays, dayOfMonth, daysBetween } from "./dates.js";
import { plaidId, type Rng } from "./prng.js";
import { centsToAmount } from "./transaction.js";

/** Holdings, securities and investment transactions of an item's investment accounts. */

interface SecurityInfo {
  readonly securityId: string;
  readonly name: string;
  readonly ticker: string | null;
  readonly cusip: string | null;
  readonly isin: string | null;
  readonly type: string;
  readonly subtype: string;
  readonly priceCents: number;
  readonly cashEquivalent: boolean;
  readonly sector: string | null;
  readonly industry: string | null;
}

const SECURITIES: readonly SecurityInfo[] = [
  {
    securityId: "KDwjlXj1Rqt58dVvmzRguxJybmyQL8FgeWWAZ",
    name: "Vanguard Total Stock Market ETF",
    ticker: "VTI",
    cusip: "922908769",
    isin: "US9229087690",
    type: "etf",
    subtype: "etf",
    priceCents: 28_745,
    cashEquivalent: false,
    sector: null,
    industry: null,
  },
  {
    securityId: "8E4L9XLl6MudjEpwPAAgivmdZRdBPJuvMPlPb",
    name: "iShares Core U.S. Aggregate Bond ETF",
    ticker: "AGG",
    cusip: "464287226",
    isin: "US4642872265",
    type: "etf",
    subtype: "etf",
    priceCents: 9_812,
    cashEquivalent: false,
    sector: null,
    industry: null,
  },
  {
    securityId: "JDdP7XPMklt5vwPmDN45t3KAoWAPmjtpaW7DP",
    name: "Apple Inc.",
    ticker: "AAPL",
    cusip: "037833100",
    isin: "US0378331005",
    type: "equity",
    subtype: "common stock",
    priceCents: 21_430,
    cashEquivalent: false,
    sector: "Electronic Technology",
    industry: "Telecommunications Equipment",
  },
  {
    securityId: "NDVQrXQoqzt5v3bAe8qRt4A7mK7wvZCLEBBJk",
    name: "Microsoft Corporation",
    ticker: "MSFT",
    cusip: "594918104",
    isin: "US5949181045",
    type: "equity",
    subtype: "common stock",
    priceCents: 44_310,
    cashEquivalent: false,
    sector: "Technology Services",
    industry: "Packaged Software",
  },
  {
    securityId: "d6ePmbPxgWCWmMVv66q9iPV94n91vMtov5Are",
    name: "Vanguard Federal Money Market Fund",
    ticker: "VMFXX",
    cusip: null,
    isin: null,
    type: "cash",
    subtype: "money market",
    priceCents: 100,
    cashEquivalent: true,
    sector: null,
    industry: null,
  },
];

export interface Holding {
  readonly accountId: string;
  readonly security: SecurityInfo;
  quantity: number;
  readonly costBasisCents: number;
}

export interface InvestmentTransaction {
  readonly investment_transaction_id: string;
  readonly account_id: string;
  readonly security_id: string | null;
  readonly date: string;
  readonly name: string;
  readonly quantity: number;
  readonly amount: number;
  readonly price: number;
  readonly fees: number | null;
  readonly type: string;
  readonly subtype: string;
  readonly iso_currency_code: string | null;
  readonly unofficial_currency_code: string | null;
  readonly cancel_transaction_id: string | null;
}

export interface Portfolio {
  readonly holdings: Holding[];
  readonly transactions: InvestmentTransaction[];
}

function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}

export function createPortfolio(
  rng: Rng,
  accounts: readonly AccountState[],
  start: string,
  end: string,
): Portfolio {
  const holdings: Holding[] = [];
  const transactions: InvestmentTransaction[] = [];
  for (const account of accounts.filter((a) => a.type === "investment")) {
    for (const security of SECURITIES) {
      if (!rng.chance(0.75)) continue;
      const quantity = security.cashEquivalent
        ? rng.between(500, 8_000)
        : round(rng.between(500, 40_000) / 100, 3);
      const costBasisCents = Math.round(quantity * security.priceCents * (0.7 + rng.next() * 0.35));
      holdings.push({ accountId: account.accountId, security, quantity, costBasisCents });
    }
    const days = daysBetween(start, end);
    for (let d = 0; d <= days; d++) {
      const date = addDays(start, d);
      if (dayOfMonth(date) === 15) {
        transactions.push(cashFlow(rng, account, date, -50_000, "deposit", "Contribution"));
        const security = rng.pick(SECURITIES.filter((s) => !s.cashEquivalent));
        const quantity = round(45_000 / security.priceCents, 4);
        transactions.push(trade(rng, account, date, security, quantity));
      }
      if (dayOfMonth(date) === 28 && Number(date.slice(5, 7)) % 3 === 0) {
        const security = SECURITIES[0] as SecurityInfo;
        transactions.push({
          ...cashFlow(
            rng,
            account,
            date,
            -rng.between(2_000, 9_000),
            "dividend",
            `${security.name} Dividend`,
          ),
          security_id: security.securityId,
          type: "cash",
        });
      }
      if (dayOfMonth(date) === 1 && rng.chance(0.3)) {
        transactions.push({
          ...cashFlow(rng, account, date, 2_500, "account fee", "Account Maintenance Fee"),
          type: "fee",
        });
      }
    }
  }
  return { holdings, transactions };
}

function cashFlow(
  rng: Rng,
  account: AccountState,
  date: string,
  cents: number,
  subtype: string,
  name: string,
): InvestmentTransaction {
  return {
    investment_transaction_id: plaidId(rng),
    account_id: account.accountId,
    security_id: null,
    date,
    name,
    quantity: 0,
    amount: centsToAmount(cents),
    price: 0,
    fees: 0,
    type: "cash",
    subtype,
    iso_currency_code: "USD",
    unofficial_currency_code: null,
    cancel_transaction_id: null,
  };
}

function trade(
  rng: Rng,
  account: AccountState,
  date: string,
  security: SecurityInfo,
  quantity: number,
): InvestmentTransaction {
  return {
    investment_transaction_id: plaidId(rng),
    account_id: account.accountId,
    security_id: security.securityId,
    date,
    name: `BUY ${security.name}`,
    quantity,
    amount: centsToAmount(Math.round(quantity * security.priceCents)),
    price: centsToAmount(security.priceCents),
    fees: 0,
    type: "buy",
    subtype: "buy",
    iso_currency_code: "USD",
    unofficial_currency_code: null,
    cancel_transaction_id: null,
  };
}

export function holdingValueCents(holding: Holding): number {
  return Math.round(holding.quantity * holding.security.priceCents);
}

export function holdingJson(holding: Holding, today: string): Record<string, unknown> {
  return {
    account_id: holding.accountId,
    security_id: holding.security.securityId,
    institution_price: centsToAmount(holding.security.priceCents),
    institution_price_as_of: today,
    institution_price_datetime: null,
    institution_value: centsToAmount(holdingValueCents(holding)),
    cost_basis: centsToAmount(holding.costBasisCents),
    quantity: holding.quantity,
    iso_currency_code: "USD",
    unofficial_currency_code: null,
    vested_quantity: null,
    vested_value: null,
  };
}

export function securityJson(security: SecurityInfo, today: string): Record<string, unknown> {
  return {
    security_id: security.securityId,
    isin: security.isin,
    cusip: security.cusip,
    sedol: null,
    institution_security_id: null,
    institution_id: null,
    proxy_security_id: null,
    name: security.name,
    ticker_symbol: security.ticker,
    is_cash_equivalent: security.cashEquivalent,
    type: security.type,
    subtype: security.subtype,
    close_price: centsToAmount(security.priceCents),
    close_price_as_of: today,
    update_datetime: null,
    iso_currency_code: "USD",
    unofficial_currency_code: null,
    market_identifier_code: security.ticker === null ? null : "XNAS",
    sector: security.sector,
    industry: security.industry,
    cfi_code: null,
    option_contract: null,
    fixed_income: null,
  };
}

/** The securities that `holdings` and `transactions` refer to, each once. */
export function referencedSecurities(
  holdings: readonly Holding[],
  transactions: readonly InvestmentTransaction[],
): SecurityInfo[] {
  const ids = new Set<string>();
  for (const holding of holdings) ids.add(holding.security.securityId);
  for (const transaction of transactions)
    if (transaction.security_id !== null) ids.add(transaction.security_id);
  return SECURITIES.filter((security) => ids.has(security.securityId));
}
