import { excerpt, ImportError, InputError } from "../errors/index.js";
import type { StatementFile } from "../importers/statement.js";
import {
  type BalanceExplanation,
  type ExplainLimits,
  explainBalanceDifference,
  type OpenItem,
} from "./balance-explainer.js";
import { type StatementClosingBalance, statementBalanceFrom } from "./statement-balance.js";

/**
 * Reconcile to a statement date: the statement's closing balance against the books' balance at
 * the same day, and when they differ, the uncleared items that explain it (the balance
 * explainer). Pure: the store reads the totals and the open items (store/workflow-balance.ts);
 * this adds them up and asks the explainer. No clock, no I/O.
 */

/** An open item as a statement check shows it: the explainer's fields and what the row says. */
export interface StatementCheckItem extends OpenItem {
  /** The bank row's name or the ledger entry's description. */
  readonly description: string;
}

/** Entries summed in one currency. */
export interface CurrencyTotal {
  readonly currency: string;
  readonly totalMinor: number;
  readonly count: number;
}

export interface StatementCheckInput<T extends OpenItem = StatementCheckItem> {
  /** The statement's closing balance and the day it holds at. */
  readonly statement: { readonly amountMinor: number; readonly currency: string; readonly date: string };
  /**
   * The books' balance before the ledger's first entry, in the statement's currency. Default 0:
   * a ledger that starts from nothing (or whose opening balance is itself an entry).
   */
  readonly openingMinor?: number;
  /** The ledger entries the books count at the statement date (dated on or before it), summed per currency. */
  readonly ledger: readonly CurrencyTotal[];
  /** Adjustments (a fee, a rounding) of the matches cleared by the statement date, summed per currency. */
  readonly adjustments?: readonly CurrencyTotal[];
  /** Bank rows not in the books and ledger entries not on the statement, at the statement date. */
  readonly openItems: readonly T[];
  readonly limits?: Partial<ExplainLimits>;
}

/** What a currency other than the statement's kept out of the comparison. */
export interface LeftOut {
  readonly ledgerEntries: number;
  readonly adjustments: number;
  readonly openItems: number;
  /** The currencies seen, sorted. */
  readonly currencies: readonly string[];
}

export interface StatementCheck<T extends OpenItem = StatementCheckItem> {
  /** opening + ledger + adjustments: the books' balance at the statement date. */
  readonly booksMinor: number;
  readonly openingMinor: number;
  readonly ledgerMinor: number;
  readonly ledgerEntries: number;
  readonly adjustmentsMinor: number;
  readonly adjustmentCount: number;
  /** Entries and items in another currency than the statement's: in neither sum, never converted. */
  readonly leftOut: LeftOut;
  /** `balanced`, `explained` (the likeliest sets of open items), `unexplained` or `truncated`. */
  readonly explanation: BalanceExplanation<T>;
}

/**
 * Compares a statement's closing balance with the books' balance at its date and explains the
 * difference:
 *
 *     books = opening + Σ ledger entries counted at the date + Σ adjustments of cleared matches
 *     statement = books + Σ bank rows not in the books − Σ ledger entries not on the statement
 *
 * Totals and items in another currency than the statement's are left out and counted (a
 * difference across currencies is an FX question, not a missing item); the explainer leaves out
 * items dated after the statement date.
 *
 * @example
 * checkStatementBalance({
 *   statement: { amountMinor: 1_024_500, currency: "USD", date: "2025-03-31" },
 *   openingMinor: 817_015,
 *   ledger: [{ currency: "USD", totalMinor: 157_485, count: 4 }],
 *   openItems: [{ id: "dep-88", side: "ledger", date: "2025-03-30", amountMinor: -50_000, currency: "USD", description: "..." }],
 * })
 * // { booksMinor: 974_500, explanation: { kind: "explained", differenceMinor: 50_000, candidates: [{ items: [dep-88] … }] } … }
 * @throws InputError when an amount is not a whole number of minor units or the sum is too large to be exact
 */
export function checkStatementBalance<T extends OpenItem>(input: StatementCheckInput<T>): StatementCheck<T> {
  const { statement } = input;
  const currency = statement.currency;
  const openingMinor = input.openingMinor ?? 0;
  if (!Number.isSafeInteger(openingMinor))
    throw new InputError(`the opening balance ${openingMinor} is not a whole number of minor units`);
  const ledger = totalIn(input.ledger, currency, "ledger total");
  const adjustments = totalIn(input.adjustments ?? [], currency, "adjustment total");
  const booksMinor = openingMinor + ledger.totalMinor + adjustments.totalMinor;
  if (!Number.isSafeInteger(booksMinor)) throw new InputError("the books' balance is too large to be exact");
  const openItems = input.openItems.filter((item) => item.currency === currency);
  const others = new Set<string>([
    ...ledger.otherCurrencies,
    ...adjustments.otherCurrencies,
    ...input.openItems.filter((item) => item.currency !== currency).map((item) => item.currency),
  ]);
  const explanation = explainBalanceDifference({
    statement,
    books: { amountMinor: booksMinor, currency },
    openItems,
    ...(input.limits !== undefined && { limits: input.limits }),
  });
  return {
    booksMinor,
    openingMinor,
    ledgerMinor: ledger.totalMinor,
    ledgerEntries: ledger.count,
    adjustmentsMinor: adjustments.totalMinor,
    adjustmentCount: adjustments.count,
    leftOut: {
      ledgerEntries: ledger.otherCount,
      adjustments: adjustments.otherCount,
      openItems: input.openItems.length - openItems.length,
      currencies: [...others].sort(),
    },
    explanation,
  };
}

function totalIn(
  totals: readonly CurrencyTotal[],
  currency: string,
  what: string,
): { totalMinor: number; count: number; otherCount: number; otherCurrencies: string[] } {
  let totalMinor = 0;
  let count = 0;
  let otherCount = 0;
  const otherCurrencies: string[] = [];
  for (const total of totals) {
    if (!Number.isSafeInteger(total.totalMinor) || !Number.isSafeInteger(total.count) || total.count < 0)
      throw new InputError(
        `the ${what} in ${excerpt(total.currency)} is not a whole number of minor units over a count of entries`,
      );
    if (total.currency !== currency) {
      otherCount += total.count;
      if (total.count > 0) otherCurrencies.push(total.currency);
      continue;
    }
    totalMinor += total.totalMinor;
    count += total.count;
  }
  if (!Number.isSafeInteger(totalMinor)) throw new InputError(`the ${what} is too large to be exact`);
  return { totalMinor, count, otherCount, otherCurrencies };
}

/** A stored account as the statement check names it in a statement file. */
export interface StatementAccount {
  /** The store's account id: a statement file's own id (IBAN, number) when it was imported from one. */
  readonly id: string;
  /** Its last digits, when the store knows them (a Plaid account's `mask`, an imported account's last four). */
  readonly mask: string | null;
}

/**
 * The closing balance a statement file states for a stored account, which may name the account
 * otherwise than the store does:
 *
 * 1. a statement whose account id, IBAN or number is the store's id (an account `bankrec
 *    import` created from a statement file has the file's id);
 * 2. else, when the account has a mask, the one account of the file whose id, IBAN or number
 *    ends with it (a Plaid account: `…1234`); none or several is an error;
 * 3. else (no mask to tell), the file must hold statements of one account only.
 *
 * A file that names no account at all (a bank CSV) is taken as the account's.
 *
 * Of that account's statements, the latest closing balance (at most `onOrBefore`), as
 * `statementBalanceFrom` picks it.
 *
 * @example statementBalanceForAccount(file, { id: "plaid_acc_9", mask: "1234" }) // the file's account …1234
 * @throws ImportError naming the file when no account of it is the stored one, several could be,
 *   or the balance is missing (see `statementBalanceFrom`)
 */
export function statementBalanceForAccount(
  file: StatementFile,
  account: StatementAccount,
  options: { readonly onOrBefore?: string } = {},
): StatementClosingBalance {
  const read = (accountId?: string) =>
    statementBalanceFrom(file, {
      ...(accountId !== undefined && { accountId }),
      ...(options.onOrBefore !== undefined && { onOrBefore: options.onOrBefore }),
    });
  const numbersOf = (s: StatementFile["statements"][number]) =>
    [s.accountId, s.iban, s.accountNumber].filter((n): n is string => n !== null && n !== "");
  const id = account.id.trim();
  if (file.statements.some((s) => numbersOf(s).includes(id))) return read(id);
  const accounts = [...new Set(file.statements.map((s) => s.accountId))];
  const held = accounts.map((a) => (a === "" ? "(none named)" : excerpt(a))).join(", ");
  // A file that names no account (a bank CSV) cannot contradict the stored one.
  if (accounts.length === 1 && accounts[0] === "") return read();
  const mask = account.mask?.trim() ?? "";
  if (mask !== "") {
    const ending = [
      ...new Set(
        file.statements
          .filter((s) => numbersOf(s).some((n) => n.replace(/\s+/g, "").endsWith(mask)))
          .map((s) => s.accountId),
      ),
    ];
    if (ending.length === 1) return read(ending[0] as string);
    throw new ImportError(
      { file: file.file },
      ending.length === 0
        ? `has no statement of account ${excerpt(id)} (…${excerpt(mask)}): it holds ${held}`
        : `holds statements of ${ending.length} accounts ending in ${excerpt(mask)} (${ending.map((a) => excerpt(a)).join(", ")}); account ${excerpt(id)} could be either`,
    );
  }
  if (accounts.length > 1)
    throw new ImportError(
      { file: file.file },
      `holds statements of ${accounts.length} accounts (${held}) and account ${excerpt(id)} has no number to tell which is its own`,
    );
  return read();
}
