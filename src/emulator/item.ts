import { type AccountState, accountJson, createAccounts, hasTransactions } from "./accounts.js";
import { ChangeLog } from "./change-log.js";
import { addDays, daysBetween } from "./dates.js";
import { accountsByRole, createProfile, HistoryGenerator } from "./generate.js";
import type { InstitutionInfo } from "./institutions.js";
import { createPortfolio, holdingValueCents, type Portfolio } from "./investments.js";
import { createRng, plaidId, pseudoUuid, type Rng } from "./prng.js";
import type { PlaidTransaction } from "./transaction.js";
import type { SandboxUser } from "./types.js";

/** Everything the emulator knows about one item. */
export interface ItemSetup {
  readonly seed: number;
  readonly institution: InstitutionInfo;
  readonly user: SandboxUser;
  readonly products: readonly string[];
  readonly webhook: string | null;
  readonly today: string;
  readonly historyDays: number;
  readonly transactionCount?: number;
  readonly ready: boolean;
}

export class Item {
  readonly itemId: string;
  readonly accessToken: string;
  readonly institution: InstitutionInfo;
  readonly user: SandboxUser;
  readonly products: readonly string[];
  readonly createdAt: string;
  readonly accounts: readonly AccountState[];
  readonly log = new ChangeLog();
  readonly portfolio: Portfolio;
  webhook: string | null;
  ready: boolean;
  loginRequired = false;
  lastWebhook: { sentAt: string; code: string } | null = null;
  private readonly rng: Rng;
  private readonly generator: HistoryGenerator;

  constructor(setup: ItemSetup) {
    this.rng = createRng(setup.seed);
    this.itemId = plaidId(this.rng);
    this.accessToken = `access-sandbox-${pseudoUuid(this.rng)}`;
    this.institution = setup.institution;
    this.user = setup.user;
    this.products = setup.products;
    this.webhook = setup.webhook;
    this.ready = setup.ready;
    this.createdAt = `${setup.today}T12:00:00Z`;
    this.accounts = createAccounts(this.rng);
    this.generator = new HistoryGenerator(this.rng, accountsByRole(this.accounts), createProfile(this.rng));
    const start = addDays(setup.today, -(setup.historyDays - 1));
    const history = this.generator.history({
      start,
      end: setup.today,
      ...(setup.transactionCount === undefined ? {} : { count: setup.transactionCount }),
    });
    for (const transaction of history) this.log.add(transaction);
    this.portfolio = createPortfolio(this.rng, this.accounts, addDays(setup.today, -729), setup.today);
  }

  /** Whether the clock and /transactions/refresh change this item's history. */
  get dynamic(): boolean {
    return this.user === "user_transactions_dynamic";
  }

  account(accountId: string): AccountState | undefined {
    return this.accounts.find((account) => account.accountId === accountId);
  }

  accountsJson(filter: (account: AccountState) => boolean = () => true): Record<string, unknown>[] {
    return this.accounts
      .filter(filter)
      .map((account) => accountJson(account, this.investmentValueCents(account)));
  }

  transactionAccountsJson(): Record<string, unknown>[] {
    return this.accountsJson(hasTransactions);
  }

  private investmentValueCents(account: AccountState): number {
    let total = 0;
    for (const holding of this.portfolio.holdings)
      if (holding.accountId === account.accountId) total += holdingValueCents(holding);
    return total;
  }

  /** Adds a transaction that happened after the item was created; posted ones move balances. */
  addNew(transaction: PlaidTransaction): void {
    this.log.add(transaction);
    if (!transaction.pending) this.moveBalance(transaction, 1);
  }

  private moveBalance(transaction: PlaidTransaction, sign: 1 | -1): void {
    const account = this.account(transaction.account_id);
    if (account === undefined) return;
    const cents = Math.round(transaction.amount * 100) * sign;
    // Plaid's sign: > 0 is money out, which lowers a deposit account and raises what is owed.
    account.currentCents += account.type === "depository" ? -cents : cents;
  }

  /**
   * One day of change on a dynamic item: pending transactions from before `date` post (the
   * pending id is removed, a new id with `pending_transaction_id` is added, restaurant amounts
   * gain a tip), a few recent transactions are enriched (modified), and the day's calendar
   * events and new pending purchases are added. Returns how many log entries it wrote.
   */
  advanceDay(date: string): number {
    const before = this.log.length;
    const pending = [...this.log.transactions()].filter((t) => t.pending && t.date < date);
    pending.sort((a, b) => (a.transaction_id < b.transaction_id ? -1 : 1));
    for (const transaction of pending) {
      if (!this.rng.chance(0.85)) continue;
      this.log.remove(transaction.transaction_id);
      this.addNew(this.generator.posted(transaction, date));
    }
    this.enrichSome(date);
    for (const transaction of this.generator.recurring(date)) this.addNew(transaction);
    const purchases = this.rng.between(2, 6);
    for (let i = 0; i < purchases; i++) this.addNew(this.generator.purchase(date, true));
    return this.log.length - before;
  }

  /** Plaid revises recent transactions as merchant data arrives: a store address appears. */
  private enrichSome(date: string): void {
    const candidates = [...this.log.transactions()].filter(
      (t) =>
        !t.pending &&
        t.merchant_name !== null &&
        t.location.address === null &&
        daysBetween(t.date, date) <= 10 &&
        t.payment_channel === "in store",
    );
    candidates.sort((a, b) => (a.transaction_id < b.transaction_id ? -1 : 1));
    const count = Math.min(candidates.length, this.rng.between(0, 2));
    for (let i = 0; i < count; i++) {
      const target = candidates[this.rng.int(candidates.length)] as PlaidTransaction;
      if (this.log.get(target.transaction_id)?.location.address !== null) continue;
      const store = String(this.rng.between(100, 9999));
      this.log.modify({
        ...target,
        location: {
          ...target.location,
          address: `${this.rng.between(10, 2999)} Market St`,
          store_number: store,
        },
        personal_finance_category: { ...target.personal_finance_category, confidence_level: "VERY_HIGH" },
      });
    }
  }

  /** Transactions the sandbox endpoint asks for; posted on the checking account. */
  createSandboxTransactions(
    rows: readonly { date_transacted: string; date_posted: string; amount: number; description: string }[],
  ): void {
    const checking = this.accounts.find((account) => account.subtype === "checking") as AccountState;
    for (const row of rows) {
      const base = this.generator.purchase(row.date_posted, false);
      this.addNew({
        ...base,
        account_id: checking.accountId,
        amount: Math.round(row.amount * 100) / 100,
        date: row.date_posted,
        authorized_date: row.date_transacted,
        name: row.description,
        merchant_name: null,
        merchant_entity_id: null,
        original_description: row.description,
        website: null,
        counterparties: [],
        location: { ...base.location, city: null, region: null, country: null },
        payment_channel: "other",
        transaction_type: "special",
        personal_finance_category: {
          primary: "GENERAL_MERCHANDISE",
          detailed: "GENERAL_MERCHANDISE_OTHER_GENERAL_MERCHANDISE",
          confidence_level: "LOW",
        },
        personal_finance_category_icon_url:
          "https://plaid-category-icons.plaid.com/PFC_GENERAL_MERCHANDISE.png",
      });
    }
  }
}
