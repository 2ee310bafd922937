import { BadRowsError, ImportError } from "../errors/index.js";
import {
  amountMinorOf,
  currencyOf as checkCurrency,
  isoDayOf,
  joinPresent,
  oneLine,
} from "./entry-values.js";
import { ProblemList } from "./problem-list.js";
import { RowProblem } from "./row-problem.js";
import {
  type DeclaredTotal,
  type EntryDetail,
  type EntryStatus,
  emptyStatement,
  NO_DETAILS,
  type Statement,
  type StatementBalance,
  type StatementEntry,
} from "./statement.js";
import { child, childrenNamed, elementPath, parseXml, textAt, type XmlElement } from "./xml-reader.js";

/**
 * ISO 20022 cash management: camt.053 statements (`Stmt`), camt.052 reports (`Rpt`) and camt.054
 * notifications (`Ntfctn`), versions .02 to .08. Elements are found by local name, so every
 * version's namespace reads the same; where versions differ (`Sts` text in .02–.07, `Sts/Cd` in
 * .08; `Dbtr/Nm` before .08, `Dbtr/Pty/Nm` after) both shapes are read.
 *
 * One BankTransaction per `Ntry`, because the entry is what moved the balance and what the bank
 * shows on the statement. A batch entry (several `TxDtls`) keeps each detail in `details`, with
 * its own amount, end-to-end id, remittance and party, so the reconcile engine or a person can
 * split it against several ledger entries (the one-to-many case).
 */

const CONTAINERS = new Set(["Stmt", "Rpt", "Ntfctn"]);
/** Values banks write where an id is absent. */
const NO_ID = new Set(["NOTPROVIDED", "NONREF", "NOT PROVIDED", "NONE"]);

export interface CamtReadOptions {
  /** Used only when neither the account nor any amount names a currency. */
  readonly currency: string;
}

/**
 * Reads every statement, report and notification of a CAMT document (already decoded to text).
 *
 * @example parseCamt(text, "camt053.xml", { currency: "EUR" })[0]?.closing?.amountMinor
 * @throws ImportError `camt053.xml:12 (Document/BkToCstmrStmt/Stmt[1]/Ntry[3]/Amt): amount "1O.00" is not a number`
 */
export function parseCamt(text: string, source: string, options: CamtReadOptions): Statement[] {
  // `seen` counts every Ntry, bad ones too, so each path (Ntry[n]) is the file's own.
  const read = new Map<
    XmlElement,
    { currency: Currency; path: string; entries: StatementEntry[]; seen: number }
  >();
  // Entries are mapped as each closes and then dropped from the tree: a 100,000-entry file never
  // holds more than one entry's elements at a time.
  // A bad entry is noted and reading goes on, so every bad row is reported at once; a broken
  // document or statement stops the read (with the rows noted before it).
  const rows: ProblemList = new ProblemList(source);
  const readDocument = () =>
    parseXml(text, source, (element) => {
      const container = element.parent;
      if (element.name !== "Ntry" || container === null || !CONTAINERS.has(container.name)) return false;
      let state = read.get(container);
      if (state === undefined) {
        state = {
          currency: currencyOf(container, element, source, options),
          path: elementPath(container),
          entries: [],
          seen: 0,
        };
        read.set(container, state);
      }
      const path = `${state.path}/Ntry[${++state.seen}]`;
      currentEntry = { element, path };
      try {
        state.entries.push(toEntry(element, source, state.currency.code, path));
      } catch (error) {
        if (!(error instanceof ImportError) || error instanceof BadRowsError) throw error;
        rows.add(error);
      } finally {
        currentEntry = null;
      }
      return true;
    });
  let root: ReturnType<typeof readDocument>;
  try {
    root = readDocument();
  } catch (error) {
    rows.stop(error);
  }
  rows.check();
  const containers: XmlElement[] = [];
  for (const m of messagesOf(root))
    for (const c of m.children) if (CONTAINERS.has(c.name)) containers.push(c);
  if (containers.length === 0)
    throw new ImportError(
      { file: source, line: root.line, path: root.name },
      "holds no CAMT statement, report or notification (Stmt, Rpt or Ntfctn)",
    );
  return containers.map((c) => {
    const state = read.get(c);
    return toStatement(
      c,
      source,
      state?.currency ?? currencyOf(c, undefined, source, options),
      state?.entries ?? [],
    );
  });
}

/**
 * The messages (`BkToCstmrStmt`, ...) of a document: the root's children, or the root itself when
 * it is one. A `Document` wrapped in an envelope with a business application header
 * (`<Envelope><AppHdr/><Document>`) is found a few levels down.
 */
function messagesOf(root: XmlElement): readonly XmlElement[] {
  if (root.name === "Document") return root.children;
  const queue = [root];
  for (let depth = 0; depth < ENVELOPE_DEPTH_MAX && queue.length > 0; depth++)
    for (const e of queue.splice(0)) {
      const document = child(e, "Document");
      if (document !== undefined) return document.children;
      queue.push(...e.children);
    }
  return [root];
}

/** How far below the root a wrapped Document is looked for: an envelope or two, never a whole tree. */
const ENVELOPE_DEPTH_MAX = 3;

/** A statement's currency and whether the file names it (else it is the caller's default). */
interface Currency {
  readonly code: string;
  readonly named: boolean;
}

/** The account's currency, else a balance's, else the first entry's, else the option. */
function currencyOf(
  container: XmlElement,
  firstEntry: XmlElement | undefined,
  source: string,
  options: CamtReadOptions,
): Currency {
  const acct = child(container, "Acct");
  const written = [
    textAt(acct, "Ccy"),
    ...childrenNamed(container, "Bal").map((b) => child(b, "Amt")?.attributes.Ccy),
    child(firstEntry, "Amt")?.attributes.Ccy,
  ];
  for (const code of written)
    if (code !== null && code !== undefined)
      return { code: at(source, acct ?? container, () => checkCurrency("Ccy", code)), named: true };
  return { code: options.currency, named: false };
}

/**
 * The entry being mapped. Entries already mapped were dropped from the tree, so an element's
 * own sibling count no longer tells which Ntry it is; its path is built from the entry's.
 */
let currentEntry: { readonly element: XmlElement; readonly path: string } | null = null;

function pathOf(element: XmlElement): string {
  const entry = currentEntry;
  if (entry === null) return elementPath(element);
  const parts: string[] = [];
  for (let e: XmlElement | null = element; e !== null; e = e.parent) {
    if (e === entry.element) return [entry.path, ...parts.reverse()].join("/");
    parts.push(e.name);
  }
  return elementPath(element);
}

/** Turns a RowProblem raised while reading `element` into an ImportError with its line and path. */
function at<T>(source: string, element: XmlElement, reader: () => T): T {
  try {
    return reader();
  } catch (error) {
    if (!(error instanceof RowProblem)) throw error;
    const text =
      error.value === undefined
        ? `${error.field}: ${error.reason}`
        : `${error.field} "${error.value}" ${error.reason}`;
    throw new ImportError(
      { file: source, line: element.line, path: pathOf(element), field: error.field },
      text,
      {
        cause: error,
      },
    );
  }
}

function missing(source: string, parent: XmlElement, name: string): ImportError {
  return new ImportError(
    { file: source, line: parent.line, path: pathOf(parent), field: name },
    `expected a <${name}> element`,
  );
}

function toStatement(
  node: XmlElement,
  source: string,
  statementCurrency: Currency,
  entries: StatementEntry[],
): Statement {
  const currency = statementCurrency.code;
  const acct = child(node, "Acct");
  const iban = textAt(acct, "Id", "IBAN");
  const other = textAt(acct, "Id", "Othr", "Id");
  // A balance without Ccy is in the statement's currency when the file names it somewhere.
  const fallback = statementCurrency.named ? currency : undefined;
  const balances = childrenNamed(node, "Bal").map((b) => toBalance(b, source, fallback));
  const period = child(node, "FrToDt");
  const day = (name: string) => {
    const value = textAt(period, name);
    return value === null ? null : at(source, period as XmlElement, () => isoDayOf(name, value));
  };
  const summary = child(node, "TxsSummry");
  return {
    ...emptyStatement(node.line, currency),
    id: textAt(node, "Id"),
    sequence: textAt(node, "ElctrncSeqNb") ?? textAt(node, "LglSeqNb"),
    accountId: iban ?? other ?? "",
    iban,
    accountNumber: other,
    bankCode: textAt(acct, "Svcr", "FinInstnId", "BIC") ?? textAt(acct, "Svcr", "FinInstnId", "BICFI"),
    periodFrom: day("FrDtTm"),
    periodTo: day("ToDtTm"),
    ...chooseBalances(balances),
    declaredCredits: declared(child(summary, "TtlCdtNtries"), source, currency),
    declaredDebits: declared(child(summary, "TtlDbtNtries"), source, currency),
    entries,
  };
}

interface TypedBalance {
  readonly code: string;
  readonly balance: StatementBalance;
}

function toBalance(node: XmlElement, source: string, fallbackCurrency: string | undefined): TypedBalance {
  const code = textAt(node, "Tp", "CdOrPrtry", "Cd") ?? textAt(node, "Tp", "CdOrPrtry", "Prtry") ?? "";
  const { amountMinor, currency } = signedAmount(node, source, fallbackCurrency);
  return { code: code.toUpperCase(), balance: { amountMinor, currency, date: dateOf(node, "Dt", source) } };
}

/**
 * Opening: OPBD, else the previous closing (PRCD). Closing: CLBD. Intraday reports (camt.052)
 * often carry only interim balances (ITBD): the first and last then bound the period.
 */
function chooseBalances(balances: readonly TypedBalance[]) {
  const of = (code: string) => balances.find((b) => b.code === code)?.balance ?? null;
  const interim = balances.filter((b) => b.code === "ITBD").map((b) => b.balance);
  let opening = of("OPBD") ?? of("PRCD");
  let closing = of("CLBD");
  if (opening === null && interim.length >= 2) opening = interim[0] ?? null;
  if (opening !== null && closing === null && interim.length > 0 && interim.at(-1) !== opening)
    closing = interim.at(-1) ?? null;
  return { opening, closing, closingAvailable: of("CLAV") };
}

function declared(node: XmlElement | undefined, source: string, currency: string): DeclaredTotal | null {
  if (node === undefined) return null;
  const count = textAt(node, "NbOfNtries");
  const sum = textAt(node, "Sum");
  if (count === null || sum === null) return null;
  return at(source, node, () => {
    if (!/^\d{1,15}$/.test(count)) throw new RowProblem("NbOfNtries", "is not a whole number", count);
    return { count: Number(count), totalMinor: Math.abs(amountMinorOf("Sum", sum, currency, ".")), currency };
  });
}

/** `Amt@Ccy` with `CdtDbtInd` beside it: DBIT is money out (negative). */
function signedAmount(
  node: XmlElement,
  source: string,
  fallbackCurrency?: string,
  fallbackIndicator?: string,
): { amountMinor: number; currency: string } {
  const amt = child(node, "Amt");
  if (amt === undefined) throw missing(source, node, "Amt");
  const written = amt.attributes.Ccy;
  if (written === undefined && fallbackCurrency === undefined)
    throw new ImportError(
      { file: source, line: amt.line, path: pathOf(amt), field: "Ccy" },
      "expected a Ccy attribute (neither the account nor any other amount names the currency)",
    );
  const currency =
    written === undefined
      ? (fallbackCurrency as string)
      : at(source, amt, () => checkCurrency("currency", written));
  const magnitude = at(source, amt, () => amountMinorOf("amount", amt.text.trim(), currency, "."));
  const indicator = textAt(node, "CdtDbtInd") ?? fallbackIndicator;
  if (indicator === undefined)
    throw new ImportError(
      { file: source, line: node.line, path: pathOf(node), field: "CdtDbtInd" },
      "expected a <CdtDbtInd> element (CRDT or DBIT): without it the direction of the money is unknown",
    );
  if (indicator !== "CRDT" && indicator !== "DBIT")
    throw new ImportError(
      { file: source, line: node.line, path: `${pathOf(node)}/CdtDbtInd`, field: "CdtDbtInd" },
      `credit/debit indicator "${indicator}" is not CRDT or DBIT`,
    );
  if (magnitude < 0)
    throw new ImportError(
      { file: source, line: amt.line, path: pathOf(amt), field: "amount" },
      `amount "${amt.text.trim()}" must not be negative (the sign is in CdtDbtInd)`,
    );
  return { amountMinor: indicator === "DBIT" ? -magnitude : magnitude, currency };
}

/** `<X><Dt>2025-01-31</Dt></X>` or `<X><DtTm>2025-01-31T10:00:00</DtTm></X>`. */
function dateOf(node: XmlElement, name: string, source: string): string | null {
  const holder = child(node, name);
  if (holder === undefined) return null;
  const value = textAt(holder, "Dt") ?? textAt(holder, "DtTm");
  if (value === null) throw missing(source, holder, "Dt");
  return at(source, holder, () => isoDayOf(name, value));
}

function statusOf(node: XmlElement): EntryStatus {
  const status = (textAt(node, "Sts", "Cd") ?? textAt(node, "Sts") ?? "BOOK").toUpperCase();
  if (status === "BOOK") return "booked";
  return status === "INFO" ? "info" : "pending";
}

function idOf(value: string | null): string | null {
  return value === null || NO_ID.has(value.toUpperCase()) ? null : value;
}

function toEntry(node: XmlElement, source: string, statementCurrency: string, path: string): StatementEntry {
  const { amountMinor, currency } = signedAmount(node, source, statementCurrency);
  const bookingDate = dateOf(node, "BookgDt", source);
  const valueDate = dateOf(node, "ValDt", source);
  const date = bookingDate ?? valueDate;
  if (date === null) throw missing(source, node, "BookgDt");
  const indicator = textAt(node, "CdtDbtInd") ?? "CRDT";
  const details: EntryDetail[] = [];
  for (const d of childrenNamed(node, "NtryDtls"))
    for (const tx of childrenNamed(d, "TxDtls")) details.push(toDetail(tx, source, currency, indicator));
  const only = details.length === 1 ? details[0] : undefined;
  const info = textAt(node, "AddtlNtryInf");
  const description =
    details.length > 1
      ? (info ?? `batch of ${details.length} transactions`)
      : joinPresent(only?.counterparty, only?.remittance, info !== only?.remittance ? info : null);
  return {
    amountMinor,
    currency,
    date,
    valueDate,
    authorizedDate: null,
    status: statusOf(node),
    description: oneLine(description),
    bankId: idOf(textAt(node, "AcctSvcrRef")) ?? only?.bankId ?? null,
    reference: only?.reference ?? null,
    endToEndId: only?.endToEndId ?? null,
    counterparty: only?.counterparty ?? null,
    counterpartyAccount: only?.counterpartyAccount ?? null,
    checkNumber: only === undefined ? null : chequeOf(node),
    type: bankTransactionCode(child(node, "BkTxCd")),
    // A single detail's fields are the entry's own (above); only a batch keeps its list.
    details: details.length > 1 ? details : NO_DETAILS,
    line: node.line,
    path,
  };
}

function chequeOf(entry: XmlElement): string | null {
  const tx = child(entry, "NtryDtls", "TxDtls");
  return textAt(tx, "Refs", "ChqNb");
}

/** `PMNT/RCDT/ESCT` from the ISO domain, family and sub-family; else the bank's own code. */
function bankTransactionCode(node: XmlElement | undefined): string | null {
  if (node === undefined) return null;
  const domain = textAt(node, "Domn", "Cd");
  const family = textAt(node, "Domn", "Fmly", "Cd");
  const sub = textAt(node, "Domn", "Fmly", "SubFmlyCd");
  if (domain !== null) return joinPresent(domain, family, sub).replaceAll(" ", "/");
  return textAt(node, "Prtry", "Cd");
}

function partyName(parties: XmlElement | undefined, role: string): string | null {
  return textAt(parties, role, "Nm") ?? textAt(parties, role, "Pty", "Nm");
}

function partyAccount(parties: XmlElement | undefined, role: string): string | null {
  return textAt(parties, `${role}Acct`, "Id", "IBAN") ?? textAt(parties, `${role}Acct`, "Id", "Othr", "Id");
}

function toDetail(
  tx: XmlElement,
  source: string,
  entryCurrency: string,
  entryIndicator: string,
): EntryDetail {
  const amountHolder = child(tx, "AmtDtls", "TxAmt") ?? (child(tx, "Amt") === undefined ? undefined : tx);
  const amount =
    amountHolder === undefined
      ? null
      : signedAmount(amountHolder, source, entryCurrency, textAt(tx, "CdtDbtInd") ?? entryIndicator);
  const parties = child(tx, "RltdPties");
  // The other side: who paid us on a credit, whom we paid on a debit.
  const role = entryIndicator === "DBIT" ? "Cdtr" : "Dbtr";
  const remittance = child(tx, "RmtInf");
  const unstructured = childrenNamed(remittance, "Ustrd")
    .map((u) => u.text.trim())
    .filter((u) => u !== "");
  const structured = childrenNamed(remittance, "Strd")
    .map((s) => textAt(s, "CdtrRefInf", "Ref"))
    .find((r) => r !== null);
  const ustrd = unstructured.length === 0 ? null : oneLine(unstructured.join(" "));
  return {
    amountMinor: amount?.amountMinor ?? null,
    currency: amount?.currency ?? null,
    bankId: idOf(textAt(tx, "Refs", "AcctSvcrRef")),
    endToEndId: idOf(textAt(tx, "Refs", "EndToEndId")),
    reference: structured ?? ustrd,
    remittance: ustrd ?? structured ?? textAt(tx, "AddtlTxInf"),
    counterparty: partyName(parties, role) ?? partyName(parties, `Ultmt${role}`),
    counterpartyAccount: partyAccount(parties, role),
  };
}
