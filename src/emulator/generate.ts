import type { AccountRole, AccountState } from "./accounts.js";
import { addDays, dayOfMonth, daysBetween, weekday } from "./dates.js";
import { BUSINESS_MERCHANTS, type Merchant, PERSONAL_MERCHANTS, pickWeighted } from "./merchants.js";
import { plaidId, type Rng } from "./prng.js";
import { buildTransaction, type PlaidTransaction, type TransactionSpec } from "./transaction.js";

/**
 * Deterministic transaction history for one item: payroll, mortgage and loan payments,
 * savings transfers, card payments, checks, ATM withdrawals, fees and interest on a
 * calendar, and everyday personal and business purchases (with some refunds) in between.
 * The last day's card purchases are pending.
 */

export interface HistoryOptions {
  /** First day of history (inclusive). */
  readonly start: string;
  /** Today (inclusive). */
  readonly end: string;
  /** Exact number of transactions; default about 5 a day. */
  readonly count?: number;
}

type Accounts = Readonly<Record<AccountRole, AccountState>>;

export function accountsByRole(accounts: readonly AccountState[]): Accounts {
  const byRole: Partial<Record<AccountRole, AccountState>> = {};
  for (const account of accounts) byRole[account.role] = account;
  return byRole as Accounts;
}

/** Per-item constants so that payroll and the mortgage stay the same month to month. */
interface Profile {
  readonly payrollCents: number;
  readonly payrollParity: number;
  readonly employer: string;
  readonly ppdId: string;
  readonly mortgageCents: number;
  readonly studentCents: number;
  readonly savingsCents: number;
  readonly firstCheck: number;
}

export function createProfile(rng: Rng): Profile {
  return {
    payrollCents: rng.between(180_000, 420_000),
    payrollParity: rng.int(2),
    employer: rng.pick(["GUSTO", "ADP", "ACME ROBOTICS INC", "PAYCHEX"]),
    ppdId: String(rng.between(1_000_000_000, 9_999_999_999)),
    mortgageCents: rng.between(160_000, 340_000),
    studentCents: rng.between(18_000, 52_000),
    savingsCents: rng.pick([25_000, 50_000, 75_000, 100_000]),
    firstCheck: rng.between(1001, 4000),
  };
}

/** One generator per item; it keeps the next check number and the id stream. */
export class HistoryGenerator {
  private nextCheck: number;
  constructor(
    private readonly rng: Rng,
    private readonly accounts: Accounts,
    private readonly profile: Profile,
  ) {
    this.nextCheck = profile.firstCheck;
  }

  newId(): string {
    return plaidId(this.rng);
  }

  /** Calendar events of one day (always posted). */
  recurring(date: string): PlaidTransaction[] {
    const out: PlaidTransaction[] = [];
    const day = dayOfMonth(date);
    const dow = weekday(date);
    const week = Math.floor(daysBetween("2000-01-07", date) / 7);
    if (dow === 5 && week % 2 === this.profile.payrollParity) out.push(this.payroll(date));
    if (day === 1) out.push(this.mortgagePayment(date));
    if (day === 2) out.push(...this.savingsTransfer(date));
    if (day === 15) out.push(this.studentLoanPayment(date));
    if (day === 25) out.push(...this.cardPayments(date));
    if ((day === 8 || day === 22) && this.rng.chance(0.7)) out.push(this.check(date));
    if (dow === 2 || dow === 4) out.push(this.processorDeposit(date, dow === 2 ? "STRIPE" : "SQUARE INC"));
    if (dow === 6 && this.rng.chance(0.5)) out.push(this.atmWithdrawal(date));
    if (day === 28) out.push(...this.monthEnd(date));
    return out;
  }

  private payroll(date: string): PlaidTransaction {
    const { employer, ppdId, payrollCents } = this.profile;
    const descriptor = `${employer} DES:PAYROLL ID:${ppdId} INDN:ALEX MORGAN CO ID:${ppdId} PPD`;
    return this.post(
      this.accounts.checking,
      -payrollCents,
      date,
      `${employer} PAYROLL`,
      descriptor,
      "INCOME_WAGES",
      {
        ppdId,
        counterparty: "income_source",
      },
    );
  }

  private mortgagePayment(date: string): PlaidTransaction {
    const descriptor = `ROCKET MORTGAGE DES:MTG PYMT ID:${this.accounts.mortgage.mask}${this.profile.ppdId.slice(0, 6)} PPD`;
    return this.post(
      this.accounts.checking,
      this.profile.mortgageCents,
      date,
      "Rocket Mortgage",
      descriptor,
      "LOAN_PAYMENTS_MORTGAGE_PAYMENT",
      {
        counterparty: "financial_institution",
      },
    );
  }

  private studentLoanPayment(date: string): PlaidTransaction {
    const descriptor = `NAVIENT DES:ED LOAN PMT ID:${this.accounts.student.mask}0042 PPD`;
    return this.post(
      this.accounts.checking,
      this.profile.studentCents,
      date,
      "Navient",
      descriptor,
      "LOAN_PAYMENTS_STUDENT_LOAN_PAYMENT",
      {
        counterparty: "financial_institution",
      },
    );
  }

  /** Both sides of the monthly move to savings, sharing one reference. */
  private savingsTransfer(date: string): PlaidTransaction[] {
    const { checking, savings } = this.accounts;
    const cents = this.profile.savingsCents;
    const reference = this.ref();
    return [
      this.post(
        checking,
        cents,
        date,
        "Online Transfer to Savings",
        `ONLINE TRANSFER TO SAV ...${savings.mask} REF #${reference}`,
        "TRANSFER_OUT_SAVINGS",
        { reference },
      ),
      this.post(
        savings,
        -cents,
        date,
        "Online Transfer from Checking",
        `ONLINE TRANSFER FROM CHK ...${checking.mask} REF #${reference}`,
        "TRANSFER_IN_SAVINGS",
        { reference },
      ),
    ];
  }

  /** Each card paid from checking: the debit on checking and the credit on the card. */
  private cardPayments(date: string): PlaidTransaction[] {
    const out: PlaidTransaction[] = [];
    for (const card of [this.accounts.credit, this.accounts.business_credit]) {
      const cents = this.rng.between(40_000, 320_000);
      const reference = this.ref();
      const detailed = "LOAN_PAYMENTS_CREDIT_CARD_PAYMENT";
      out.push(
        this.post(
          this.accounts.checking,
          cents,
          date,
          `Payment to Credit Card ...${card.mask}`,
          `CREDIT CARD PAYMENT ...${card.mask} REF #${reference}`,
          detailed,
          { reference },
        ),
      );
      out.push(
        this.post(
          card,
          -cents,
          date,
          "Payment Thank You",
          `PAYMENT THANK YOU - WEB REF #${reference}`,
          detailed,
          { reference },
        ),
      );
    }
    return out;
  }

  /** A card processor's payout of the business's sales. */
  private processorDeposit(date: string, processor: "STRIPE" | "SQUARE INC"): PlaidTransaction {
    const cents = this.rng.between(35_000, 480_000);
    const name = processor === "STRIPE" ? "Stripe Payout" : "Square Deposit";
    const descriptor = `${processor} DES:TRANSFER ID:ST-${this.rng.between(100000, 999999)} CCD`;
    return this.post(this.accounts.checking, -cents, date, name, descriptor, "TRANSFER_IN_DEPOSIT", {
      counterparty: "payment_app",
    });
  }

  private atmWithdrawal(date: string): PlaidTransaction {
    const cents = this.rng.pick([6_000, 10_000, 20_000]);
    const descriptor = `ATM WITHDRAWAL 00${this.rng.between(1000, 9999)} 1450 MARKET ST SAN FRANCISCO CA`;
    return this.post(
      this.accounts.checking,
      cents,
      date,
      "ATM Withdrawal",
      descriptor,
      "TRANSFER_OUT_WITHDRAWAL",
      {},
    );
  }

  /** Savings interest, and now and then a maintenance fee. */
  private monthEnd(date: string): PlaidTransaction[] {
    const { checking, savings } = this.accounts;
    const out = [
      this.post(
        savings,
        -this.rng.between(80, 2_400),
        date,
        "Interest Payment",
        "INTEREST PAYMENT",
        "INCOME_INTEREST_EARNED",
        {},
      ),
    ];
    if (this.rng.chance(0.25)) {
      out.push(
        this.post(
          checking,
          1_200,
          date,
          "Monthly Service Fee",
          "MONTHLY MAINTENANCE FEE",
          "BANK_FEES_OTHER_BANK_FEES",
          {},
        ),
      );
    }
    return out;
  }

  /** A card or debit purchase; pending when `pending`. */
  purchase(date: string, pending: boolean): PlaidTransaction {
    const business = this.rng.chance(0.3);
    const merchant = pickWeighted(business ? BUSINESS_MERCHANTS : PERSONAL_MERCHANTS, this.rng.next());
    const account = business
      ? this.accounts.business_credit
      : this.rng.chance(0.7)
        ? this.accounts.credit
        : this.accounts.checking;
    const cents = this.rng.between(merchant.minCents, merchant.maxCents);
    return this.merchantTransaction(account, merchant, cents, date, pending);
  }

  /** A refund of `original` a few days later: same merchant, negative amount. */
  refund(original: PlaidTransaction, date: string): PlaidTransaction {
    const merchant = [...PERSONAL_MERCHANTS, ...BUSINESS_MERCHANTS].find(
      (m) => m.name === original.merchant_name,
    );
    const cents = -Math.max(1, Math.round(original.amount * 100 * (this.rng.chance(0.6) ? 1 : 0.5)));
    const account = this.accountById(original.account_id);
    if (merchant === undefined || account === undefined)
      throw new Error("refund of a transaction without merchant");
    return this.merchantTransaction(account, merchant, cents, date, false, `${merchant.descriptor} REFUND`);
  }

  /** The posted version of a pending transaction, with a new id; restaurants may add a tip. */
  posted(pending: PlaidTransaction, date: string): PlaidTransaction {
    const tipped =
      pending.personal_finance_category.detailed === "FOOD_AND_DRINK_RESTAURANT" && pending.amount > 0;
    const cents = Math.round(pending.amount * 100 * (tipped ? 1 + this.rng.between(15, 22) / 100 : 1));
    return {
      ...pending,
      transaction_id: this.newId(),
      amount: cents / 100,
      date,
      authorized_date: pending.authorized_date ?? pending.date,
      pending: false,
      pending_transaction_id: pending.transaction_id,
    };
  }

  private merchantTransaction(
    account: AccountState,
    merchant: Merchant,
    cents: number,
    date: string,
    pending: boolean,
    descriptor = merchant.descriptor,
  ): PlaidTransaction {
    return buildTransaction({
      transactionId: this.newId(),
      accountId: account.accountId,
      amountCents: cents,
      date,
      pending,
      name: merchant.name,
      descriptor,
      merchant,
      primary: merchant.primary,
      detailed: merchant.detailed,
      channel: merchant.channel,
    });
  }

  private check(date: string): PlaidTransaction {
    const number = String(this.nextCheck++);
    return buildTransaction({
      transactionId: this.newId(),
      accountId: this.accounts.checking.accountId,
      amountCents: this.rng.between(8_500, 240_000),
      date,
      pending: false,
      name: `Check ${number}`,
      descriptor: `CHECK ${number}`,
      primary: "GENERAL_SERVICES",
      detailed: "GENERAL_SERVICES_OTHER_GENERAL_SERVICES",
      channel: "other",
      checkNumber: number,
      confidence: "LOW",
    });
  }

  private post(
    account: AccountState,
    cents: number,
    date: string,
    name: string,
    descriptor: string,
    detailed: string,
    extra: { ppdId?: string; reference?: string; counterparty?: TransactionSpec["counterpartyType"] },
  ): PlaidTransaction {
    const primary = detailed.startsWith("TRANSFER_OUT")
      ? "TRANSFER_OUT"
      : detailed.startsWith("TRANSFER_IN")
        ? "TRANSFER_IN"
        : detailed.startsWith("LOAN_PAYMENTS")
          ? "LOAN_PAYMENTS"
          : detailed.startsWith("BANK_FEES")
            ? "BANK_FEES"
            : "INCOME";
    return buildTransaction({
      transactionId: this.newId(),
      accountId: account.accountId,
      amountCents: cents,
      date,
      pending: false,
      name,
      descriptor,
      primary,
      detailed,
      channel: "other",
      ...(extra.ppdId === undefined ? {} : { ppdId: extra.ppdId }),
      ...(extra.reference === undefined ? {} : { referenceNumber: extra.reference }),
    });
  }

  private ref(): string {
    return String(this.rng.between(10_000_000, 99_999_999));
  }

  private accountById(accountId: string): AccountState | undefined {
    return Object.values(this.accounts).find((account) => account.accountId === accountId);
  }

  /** The item's history from `start` to `end`, oldest first. */
  history(options: HistoryOptions): PlaidTransaction[] {
    const days = daysBetween(options.start, options.end) + 1;
    const recurring: PlaidTransaction[][] = [];
    let recurringCount = 0;
    for (let d = 0; d < days; d++) {
      const list = this.recurring(addDays(options.start, d));
      recurring.push(list);
      recurringCount += list.length;
    }
    const target = options.count ?? days * 5;
    let skipRecurring = Math.max(0, recurringCount - target);
    const purchases = Math.max(0, target - recurringCount);
    const out: PlaidTransaction[] = [];
    const refunds = new Map<number, PlaidTransaction[]>();
    for (let d = 0; d < days; d++) {
      const date = addDays(options.start, d);
      for (const transaction of recurring[d] ?? []) {
        if (skipRecurring > 0) skipRecurring--;
        else out.push(transaction);
      }
      const quota = Math.floor(((d + 1) * purchases) / days) - Math.floor((d * purchases) / days);
      const due = refunds.get(d) ?? [];
      refunds.delete(d);
      let made = 0;
      for (const original of due) {
        if (made >= quota) break;
        out.push(this.refund(original, date));
        made++;
      }
      const pending = d === days - 1;
      for (; made < quota; made++) {
        const transaction = this.purchase(date, pending);
        out.push(transaction);
        if (!pending && transaction.payment_channel === "online" && this.rng.chance(0.02)) {
          const later = d + this.rng.between(3, 10);
          if (later < days) refunds.set(later, [...(refunds.get(later) ?? []), transaction]);
        }
      }
    }
    return out;
  }
}
