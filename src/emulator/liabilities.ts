import type { AccountState } from "./accounts.js";
import { addDays } from "./dates.js";
import type { Rng } from "./prng.js";
import { centsToAmount } from "./transaction.js";

/** Plaid's LiabilitiesObject for an item's cards, mortgage and student loan. */
export function liabilitiesJson(
  rng: Rng,
  accounts: readonly AccountState[],
  today: string,
): { credit: Row[]; mortgage: Row[]; student: Row[] } {
  const monthStart = `${today.slice(0, 8)}01`;
  return {
    credit: creditJson(rng, accounts, monthStart),
    mortgage: mortgageJson(accounts, monthStart),
    student: studentJson(accounts, monthStart),
  };
}

type Row = Record<string, unknown>;

function creditJson(rng: Rng, accounts: readonly AccountState[], monthStart: string): Row[] {
  return accounts
    .filter((account) => account.type === "credit")
    .map((account) => ({
      account_id: account.accountId,
      aprs: [
        {
          apr_percentage: 15.24,
          apr_type: "purchase_apr",
          balance_subject_to_apr: centsToAmount(account.currentCents),
          interest_charge_amount: 0,
        },
        { apr_percentage: 27.95, apr_type: "cash_apr", balance_subject_to_apr: 0, interest_charge_amount: 0 },
      ],
      is_overdue: false,
      last_payment_amount: centsToAmount(rng.between(40_000, 320_000)),
      last_payment_date: addDays(monthStart, -6),
      last_statement_issue_date: addDays(monthStart, -12),
      last_statement_balance: centsToAmount(account.currentCents),
      minimum_payment_amount: centsToAmount(Math.max(2_500, Math.round(account.currentCents * 0.02))),
      next_payment_due_date: addDays(monthStart, 24),
    }));
}

function mortgageJson(accounts: readonly AccountState[], monthStart: string): Row[] {
  return accounts
    .filter((account) => account.subtype === "mortgage")
    .map((account) => ({
      account_id: account.accountId,
      account_number: `31${account.mask}49012`,
      current_late_fee: 0,
      escrow_balance: 3141.54,
      has_pmi: false,
      has_prepayment_penalty: false,
      interest_rate: { percentage: 3.99, type: "fixed" },
      last_payment_amount: 2140.0,
      last_payment_date: monthStart,
      loan_type_description: "conventional",
      loan_term: "30 year",
      maturity_date: "2051-07-01",
      next_monthly_payment: 2140.0,
      next_payment_due_date: addDays(monthStart, 31),
      origination_date: "2021-07-01",
      origination_principal_amount: centsToAmount(Math.round(account.currentCents * 1.12)),
      past_due_amount: 0,
      property_address: {
        city: "San Francisco",
        country: "US",
        postal_code: "94110",
        region: "CA",
        street: "2992 Cameron Square",
      },
      ytd_interest_paid: 6122.13,
      ytd_principal_paid: 5011.71,
    }));
}

function studentJson(accounts: readonly AccountState[], monthStart: string): Row[] {
  return accounts
    .filter((account) => account.subtype === "student")
    .map((account) => ({
      account_id: account.accountId,
      account_number: `48${account.mask}1203`,
      disbursement_dates: ["2018-08-15"],
      expected_payoff_date: "2034-01-31",
      guarantor: "DEPT OF ED",
      interest_rate_percentage: 5.25,
      is_overdue: false,
      last_payment_amount: 312.45,
      last_payment_date: addDays(monthStart, 14 - 31),
      last_statement_balance: centsToAmount(account.currentCents),
      last_statement_issue_date: addDays(monthStart, -20),
      loan_name: "Consolidation",
      loan_status: { end_date: "2034-01-31", type: "repayment" },
      minimum_payment_amount: 312.45,
      next_payment_due_date: addDays(monthStart, 14),
      origination_date: "2018-08-15",
      origination_principal_amount: centsToAmount(Math.round(account.currentCents * 1.4)),
      outstanding_interest_amount: 61.18,
      payment_reference_number: `4820${account.mask}`,
      pslf_status: { estimated_eligibility_date: null, payments_made: 48, payments_remaining: 72 },
      repayment_plan: { description: "Standard Repayment", type: "standard" },
      sequence_number: "1",
      servicer_address: {
        city: "Wilkes-Barre",
        country: "US",
        postal_code: "18773",
        region: "PA",
        street: "123 Relaxation Road",
      },
      ytd_interest_paid: 280.11,
      ytd_principal_paid: 1906.59,
    }));
}
