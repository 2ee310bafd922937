import { excerpt, ImportError, InputError } from "../errors/index.js";
import { isIsoDate } from "../importers/calendar-date.js";
import type { Statement, StatementFile, StatementFormat } from "../importers/statement.js";

/**
 * A statement's closing balance and the day it holds at: what reconciling to a statement date
 * compares with the books. Read from a statement file the importers have already parsed; this
 * module reads no file and keeps no clock.
 */
export interface StatementClosingBalance {
  /** The account the balance is for: IBAN, else account number, else "" when the file names none. */
  readonly accountId: string;
  /** Minor units, natural sign: > 0 is money in the account (an overdraft is < 0). */
  readonly amountMinor: number;
  readonly currency: string;
  /** The day the balance holds at, `YYYY-MM-DD`. */
  readonly date: string;
  /** Where it was read: the file as named in messages, its format, the statement (1-based) and its line. */
  readonly file: string;
  readonly format: StatementFormat;
  readonly statement: number;
  readonly line: number;
}

export interface StatementBalanceOptions {
  /**
   * The account to read, when the file holds statements for more than one: matched against a
   * statement's account id, IBAN or account number.
   */
  readonly accountId?: string;
  /** Only balances that hold on or before this day (`YYYY-MM-DD`): a file of daily statements read up to a date. */
  readonly onOrBefore?: string;
}

/** What each format calls its booked closing balance, for messages. */
const CLOSING_NAME: Readonly<Record<StatementFormat, string>> = {
  ofx: "LEDGERBAL",
  camt: "a CLBD balance",
  mt940: ":62F: or :62M:",
  csv: "a running balance on every row",
};

/**
 * The booked closing balance a parsed statement file states: OFX `LEDGERBAL` (`BALAMT` at
 * `DTASOF`), CAMT.053 `Bal` of type `CLBD` (the importer falls back to the last interim `ITBD`
 * of an intraday camt.052), MT940 `:62F:`/`:62M:`, or a bank CSV's running balance after its
 * newest row. The importers already read these into `Statement.closing`; this picks the one that
 * answers "what did the bank say the balance was on that day":
 *
 * - one account: the file's account, or `options.accountId` when it holds several;
 * - several statements of that account (an MT940 file of daily statements): the one whose
 *   closing balance holds on the latest day (at most `options.onOrBefore`); on the same day the
 *   later in the file, as an MT940 statement split over messages carries an intermediate
 *   `:62M:` on each and the final `:62F:` on the last.
 *
 * @example
 * const file = await readStatementFile("march.sta"); // at the edge, with I/O
 * statementBalanceFrom(file)
 * // { accountId: "NL91ABNA0417164300", amountMinor: 1234567, currency: "EUR", date: "2025-03-31",
 * //   file: "march.sta", format: "mt940", statement: 31, line: 402 }
 * @throws ImportError naming the file (and the statement's line) when it holds no statement, no
 *   closing balance or one without a date, several accounts and no `accountId` to choose, or no
 *   statement of the account asked for; InputError when `onOrBefore` is not a date
 */
export function statementBalanceFrom(
  file: StatementFile,
  options: StatementBalanceOptions = {},
): StatementClosingBalance {
  if (options.onOrBefore !== undefined && !isIsoDate(options.onOrBefore))
    throw new InputError(`statement balance day "${excerpt(options.onOrBefore)}" is not a YYYY-MM-DD date`);
  const numbered = file.statements.map((statement, i) => ({ statement, n: i + 1 }));
  if (numbered.length === 0) throw new ImportError({ file: file.file }, "holds no statement");
  const ofAccount = statementsOfAccount(file, numbered, options.accountId);
  let best: StatementClosingBalance | null = null;
  let earliest: string | null = null;
  for (const { statement, n } of ofAccount) {
    const closing = closingOf(file, statement, n);
    if (closing === null) continue;
    if (earliest === null || closing.date < earliest) earliest = closing.date;
    if (options.onOrBefore !== undefined && closing.date > options.onOrBefore) continue;
    // `>=`: on the same day the later statement in the file wins (its :62F: follows the :62M:).
    if (best === null || closing.date >= best.date) best = closing;
  }
  if (best !== null) return best;
  const first = ofAccount[0] as Numbered;
  if (earliest !== null)
    throw new ImportError(
      { file: file.file },
      `states no closing balance on or before ${options.onOrBefore} (the earliest is on ${earliest})`,
    );
  throw new ImportError(
    { file: file.file, line: first.statement.line },
    `${describe(first.statement, first.n)} states no closing balance (expected ${CLOSING_NAME[file.format]})`,
  );
}

interface Numbered {
  readonly statement: Statement;
  readonly n: number;
}

function statementsOfAccount(
  file: StatementFile,
  numbered: readonly Numbered[],
  accountId: string | undefined,
): readonly Numbered[] {
  const accounts = [...new Set(numbered.map((s) => s.statement.accountId))];
  if (accountId === undefined) {
    if (accounts.length === 1) return numbered;
    throw new ImportError(
      { file: file.file },
      `holds statements of ${accounts.length} accounts (${accounts.map(shown).join(", ")}); say which account to read`,
    );
  }
  const wanted = accountId.trim();
  const matching = numbered.filter(
    ({ statement: s }) => s.accountId === wanted || s.iban === wanted || s.accountNumber === wanted,
  );
  if (matching.length > 0) return matching;
  throw new ImportError(
    { file: file.file },
    `has no statement of account ${shown(wanted)} (it holds ${accounts.map(shown).join(", ")})`,
  );
}

function closingOf(file: StatementFile, statement: Statement, n: number): StatementClosingBalance | null {
  const closing = statement.closing;
  if (closing === null) return null;
  if (closing.date === null)
    throw new ImportError(
      { file: file.file, line: statement.line },
      `${describe(statement, n)} states its closing balance without the day it holds at`,
    );
  return {
    accountId: statement.accountId,
    amountMinor: closing.amountMinor,
    currency: closing.currency,
    date: closing.date,
    file: file.file,
    format: file.format,
    statement: n,
    line: statement.line,
  };
}

function describe(statement: Statement, n: number): string {
  return statement.accountId === ""
    ? `statement ${n}`
    : `statement ${n} (account ${shown(statement.accountId)})`;
}

function shown(accountId: string): string {
  return accountId === "" ? "(none named)" : excerpt(accountId);
}
