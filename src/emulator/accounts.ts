import { plaidId, type Rng } from "./prng.js";
import { centsToAmount } from "./transaction.js";

export type AccountRole =
  | "checking"
  | "savings"
  | "credit"
  | "business_credit"
  | "ira"
  | "401k"
  | "student"
  | "mortgage";

/** One account of an item; balances are cents and move as transactions post. */
export interface AccountState {
  readonly accountId: string;
  readonly role: AccountRole;
  readonly name: string;
  readonly officialName: string;
  readonly mask: string;
  readonly type: "depository" | "credit" | "investment" | "loan";
  readonly subtype: string;
  /** Plaid's `current`: for credit and loans, what is owed. */
  currentCents: number;
  readonly limitCents: number | null;
}

interface Template {
  role: AccountRole;
  name: string;
  officialName: string;
  mask: string;
  type: AccountState["type"];
  subtype: string;
  minCents: number;
  maxCents: number;
  limitCents: number | null;
}

const TEMPLATES: readonly Template[] = [
  {
    role: "checking",
    name: "Plaid Checking",
    officialName: "Plaid Gold Standard 0% Interest Checking",
    mask: "0000",
    type: "depository",
    subtype: "checking",
    minCents: 250_000,
    maxCents: 1_500_000,
    limitCents: null,
  },
  {
    role: "savings",
    name: "Plaid Saving",
    officialName: "Plaid Silver Standard 0.1% Interest Saving",
    mask: "1111",
    type: "depository",
    subtype: "savings",
    minCents: 500_000,
    maxCents: 4_000_000,
    limitCents: null,
  },
  {
    role: "credit",
    name: "Plaid Credit Card",
    officialName: "Plaid Diamond 12.5% APR Interest Credit Card",
    mask: "3333",
    type: "credit",
    subtype: "credit card",
    minCents: 40_000,
    maxCents: 350_000,
    limitCents: 1_000_000,
  },
  {
    role: "business_credit",
    name: "Plaid Business Credit Card",
    officialName: "Plaid Platinum Business Credit Card",
    mask: "9999",
    type: "credit",
    subtype: "credit card",
    minCents: 80_000,
    maxCents: 900_000,
    limitCents: 2_500_000,
  },
  {
    role: "ira",
    name: "Plaid IRA",
    officialName: "Plaid Traditional IRA",
    mask: "5555",
    type: "investment",
    subtype: "ira",
    minCents: 0,
    maxCents: 0,
    limitCents: null,
  },
  {
    role: "401k",
    name: "Plaid 401k",
    officialName: "Plaid 401k",
    mask: "6666",
    type: "investment",
    subtype: "401k",
    minCents: 0,
    maxCents: 0,
    limitCents: null,
  },
  {
    role: "student",
    name: "Plaid Student Loan",
    officialName: "Plaid Student Loan",
    mask: "7777",
    type: "loan",
    subtype: "student",
    minCents: 1_200_000,
    maxCents: 4_500_000,
    limitCents: null,
  },
  {
    role: "mortgage",
    name: "Plaid Mortgage",
    officialName: "Plaid Mortgage",
    mask: "8888",
    type: "loan",
    subtype: "mortgage",
    minCents: 18_000_000,
    maxCents: 52_000_000,
    limitCents: null,
  },
];

export function createAccounts(rng: Rng): AccountState[] {
  return TEMPLATES.map((template) => ({
    accountId: plaidId(rng),
    role: template.role,
    name: template.name,
    officialName: template.officialName,
    mask: template.mask,
    type: template.type,
    subtype: template.subtype,
    currentCents: rng.between(template.minCents, template.maxCents),
    limitCents: template.limitCents,
  }));
}

/** Accounts whose activity is reported by the transactions product. */
export function hasTransactions(account: AccountState): boolean {
  return account.type === "depository" || account.type === "credit";
}

/** Plaid's AccountBase. `current` of an investment account is its holdings' value. */
export function accountJson(account: AccountState, investmentValueCents?: number): Record<string, unknown> {
  const current = account.type === "investment" ? (investmentValueCents ?? 0) : account.currentCents;
  let available: number | null = null;
  if (account.type === "depository") available = account.currentCents;
  else if (account.type === "credit" && account.limitCents !== null)
    available = account.limitCents - account.currentCents;
  else if (account.type === "investment") available = current;
  const json: Record<string, unknown> = {
    account_id: account.accountId,
    balances: {
      available: available === null ? null : centsToAmount(available),
      current: centsToAmount(current),
      limit: account.limitCents === null ? null : centsToAmount(account.limitCents),
      iso_currency_code: "USD",
      unofficial_currency_code: null,
    },
    mask: account.mask,
    name: account.name,
    official_name: account.officialName,
    type: account.type,
    subtype: account.subtype,
  };
  if (account.type === "investment") (json.balances as Record<string, unknown>).margin_loan_amount = null;
  return json;
}
