import { formatAmount } from "../money/index.js";
import type { DeclaredTotal, Statement, StatementFile } from "./statement.js";

/**
 * The arithmetic a statement carries about itself: opening balance + booked entries = closing
 * balance, exactly in minor units; and, where a file declares them (MT942 `:90D:`/`:90C:`, CAMT
 * `TxsSummry`), the count and sum of debits and credits.
 *
 * A break is a value, not an error: the rows may still be right (a bank that leaves out fees, a
 * statement cut mid-day) and a person should see them. `bankrec import` prints every break as a
 * warning and `--strict` turns any break into an import error (exit 3, nothing imported).
 */
export interface BalanceCheck {
  /** 1-based position of the statement in the file. */
  readonly statement: number;
  /** ok: the numbers add up; break: they do not; unchecked: the file lacks what is needed. */
  readonly status: "ok" | "break" | "unchecked";
  readonly currency: string;
  readonly openingMinor: number | null;
  readonly entriesMinor: number;
  readonly closingMinor: number | null;
  /** closing − (opening + entries); 0 when ok, null when unchecked. */
  readonly breakMinor: number | null;
  /** One line for people, naming the file, the statement and the numbers. */
  readonly message: string;
}

/**
 * Checks every statement of a file.
 *
 * @example checkBalances(file).filter((c) => c.status === "break").map((c) => c.message)
 * // ["statement.sta: statement 2 (account NL..): opening 1,000.00 + entries 250.00 = 1,250.00 but closing balance says 1,205.00 (break -45.00)"]
 */
export function checkBalances(file: StatementFile): BalanceCheck[] {
  return file.statements.flatMap((s, i) => checkStatement(file.file, s, i + 1));
}

function label(file: string, statement: Statement, n: number): string {
  const account = statement.accountId === "" ? "" : ` (account ${statement.accountId})`;
  return `${file}: statement ${n}${account}`;
}

function checkStatement(file: string, s: Statement, n: number): BalanceCheck[] {
  const booked = s.entries.filter((e) => e.status === "booked");
  const currency = s.opening?.currency ?? s.closing?.currency ?? s.currency;
  const foreign = booked.filter((e) => e.currency !== currency).length;
  const entriesMinor = booked.reduce((sum, e) => (e.currency === currency ? sum + e.amountMinor : sum), 0);
  const base = { statement: n, currency, entriesMinor };
  const checks: BalanceCheck[] = [...declaredChecks(file, s, n)];
  const money = (minor: number) => formatAmount(minor, currency);
  const unchecked = (why: string): BalanceCheck => ({
    ...base,
    status: "unchecked",
    openingMinor: s.opening?.amountMinor ?? null,
    closingMinor: s.closing?.amountMinor ?? null,
    breakMinor: null,
    message: `${label(file, s, n)}: balance not checked: ${why}`,
  });
  if (s.opening === null || s.closing === null) {
    const lacking =
      s.opening === null && s.closing === null
        ? "no opening or closing balance"
        : s.opening === null
          ? "no opening balance"
          : "no closing balance";
    return [unchecked(lacking), ...checks];
  }
  if (s.opening.currency !== s.closing.currency)
    return [
      unchecked(`opening balance in ${s.opening.currency} but closing balance in ${s.closing.currency}`),
      ...checks,
    ];
  if (foreign > 0) return [unchecked(`${foreign} booked entries are not in ${currency}`), ...checks];
  const expected = s.opening.amountMinor + entriesMinor;
  const breakMinor = s.closing.amountMinor - expected;
  const sum = `opening ${money(s.opening.amountMinor)} + entries ${money(entriesMinor)} = ${money(expected)}`;
  const message =
    breakMinor === 0
      ? `${label(file, s, n)}: ${sum} = closing balance`
      : `${label(file, s, n)}: ${sum} but closing balance says ${money(s.closing.amountMinor)} (break ${money(breakMinor)})`;
  return [
    {
      ...base,
      status: breakMinor === 0 ? "ok" : "break",
      openingMinor: s.opening.amountMinor,
      closingMinor: s.closing.amountMinor,
      breakMinor,
      message,
    },
    ...checks,
  ];
}

function declaredChecks(file: string, s: Statement, n: number): BalanceCheck[] {
  const out: BalanceCheck[] = [];
  const side = (declared: DeclaredTotal | null, debit: boolean) => {
    if (declared === null) return;
    const rows = s.entries.filter(
      (e) =>
        e.status === "booked" &&
        e.currency === declared.currency &&
        (debit ? e.amountMinor < 0 : e.amountMinor > 0),
    );
    const total = rows.reduce((sum, e) => sum + Math.abs(e.amountMinor), 0);
    const what = debit ? "debits" : "credits";
    const money = (minor: number) => formatAmount(minor, declared.currency);
    const ok = rows.length === declared.count && total === declared.totalMinor;
    out.push({
      statement: n,
      status: ok ? "ok" : "break",
      currency: declared.currency,
      openingMinor: null,
      entriesMinor: debit ? -total : total,
      closingMinor: null,
      breakMinor: ok ? 0 : declared.totalMinor - total,
      message: ok
        ? `${label(file, s, n)}: ${rows.length} ${what} of ${money(total)} as declared`
        : `${label(file, s, n)}: ${rows.length} ${what} of ${money(total)} but the file declares ${declared.count} of ${money(declared.totalMinor)}`,
    });
  };
  side(s.declaredDebits, true);
  side(s.declaredCredits, false);
  return out;
}
