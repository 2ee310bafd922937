import { isIsoDate } from "../domain/iso-date.js";
import { excerpt, ImportError } from "../errors/index.js";
import { amountMinorOf, currencyOf, joinPresent, oneLine } from "./entry-values.js";
import { ProblemList } from "./problem-list.js";
import { atLine, RowProblem } from "./row-problem.js";
import {
  type DeclaredTotal,
  emptyStatement,
  NO_DETAILS,
  type Statement,
  type StatementBalance,
  type StatementEntry,
} from "./statement.js";

/**
 * SWIFT MT940 (customer statement) and MT942 (interim report), as banks export them: with or
 * without the SWIFT block wrapper (`{1:...}{2:...}{4:` ... `-}`), with or without a bank's own
 * header lines before `:20:`, any number of statements in one file, CRLF or LF.
 *
 * `:86:` narratives come in three shapes, all read: German structured sub-fields
 * (`166?00GUTSCHRIFT?20EREF+...?21SVWZ+...?32NAME`), slash keys (`/EREF/.../REMI/.../NAME/...`,
 * Dutch and SEPA banks) and free text. Unstructured continuation lines are joined with a space:
 * banks wrap at word boundaries far more often than inside a word.
 */

export interface Mt940ReadOptions {
  /** Used when a statement names no currency (an MT942 with no balance fields). */
  readonly currency: string;
}

interface Field {
  readonly tag: string;
  value: string;
  readonly line: number;
}

/**
 * Reads every statement of an MT940/MT942 file (already decoded to text).
 *
 * @example parseMt940(text, "bank.sta", { currency: "EUR" })[0]?.entries.length
 * @throws ImportError `bank.sta:7: :61: "100722X0,56" is not a statement line (YYMMDD[MMDD]D|C amount type ref)`
 */
export function parseMt940(text: string, source: string, options: Mt940ReadOptions): Statement[] {
  // Old Mac exports end lines with CR alone.
  const lines = text.includes("\n") || !text.includes("\r") ? text : text.replace(/\r/g, "\n");
  // A bad :61: or its :86: is noted and reading goes on, so every bad row is reported at once;
  // a bad balance or a misplaced field is the statement's, and stops the read.
  const rows: ProblemList = new ProblemList(source);
  const badRow = (error: FieldProblem) => rows.add(() => atLine(source, error.line, error.problem));
  let statements: Statement[];
  try {
    statements = withLines(source, () =>
      splitMessages(fieldsOf(lines)).map((fields) => toStatement(fields, options, badRow)),
    );
  } catch (error) {
    rows.stop(error);
  }
  rows.check();
  if (statements.length === 0)
    throw new ImportError({ file: source }, "holds no MT940 statement (no :20: field)");
  return statements;
}

function withLines<T>(source: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof FieldProblem) throw atLine(source, error.line, error.problem);
    throw error;
  }
}

class FieldProblem extends Error {
  constructor(
    readonly line: number,
    readonly problem: RowProblem,
  ) {
    super(problem.message);
  }
}

/** SWIFT tags, and `:NS:` (non-SWIFT: bank data German banks put anywhere in a statement). */
const TAG = /^:(\d{2}[A-Z]?|NS):/;
/**
 * Fields whose value ends with a digit or a comma: a `-` (or `-}`) after it is the end of the
 * message written on the same line (`:62F:C250131EUR12,00-`, `:90C:1EUR90,00-`).
 */
const GLUED_END = new Set(["60F", "60M", "62F", "62M", "64", "65", "90D", "90C"]);

/** Fields in order, each with its continuation lines; SWIFT wrappers and bank headers dropped. */
function fieldsOf(text: string): Field[] {
  const fields: Field[] = [];
  let current: Field | null = null;
  let line = 0;
  let start = 0;
  while (start <= text.length) {
    const nl = text.indexOf("\n", start);
    const stop = nl === -1 ? text.length : nl;
    let raw = text.slice(start, stop > start && text.charCodeAt(stop - 1) === 0x0d ? stop - 1 : stop);
    line++;
    start = stop + 1;
    const block4 = raw.indexOf("{4:");
    if (block4 !== -1) raw = raw.slice(block4 + 3);
    const bare = raw.trim();
    if (
      bare.startsWith("-}") ||
      bare === "-" ||
      raw.startsWith("{5:") ||
      (raw.startsWith("{") && block4 === -1)
    ) {
      if (current !== null) fields.push({ tag: "-", value: "", line });
      current = null;
      continue;
    }
    const tag = raw.charCodeAt(0) === 0x3a ? TAG.exec(raw) : null;
    if (tag !== null) {
      const value = raw.slice(tag[0].length).trimEnd();
      const glued = GLUED_END.has(tag[1] as string) ? /[\d,](-\}?)$/.exec(value) : null;
      current = {
        tag: tag[1] as string,
        value: glued === null ? value : value.slice(0, -(glued[1] as string).length),
        line,
      };
      fields.push(current);
      if (glued !== null) {
        fields.push({ tag: "-", value: "", line });
        current = null;
      }
    } else if (current !== null && bare !== "") {
      current.value += `\n${raw}`;
    }
    if (nl === -1) break;
  }
  return fields;
}

/**
 * A statement per `:20:`, or per `:25:` where a bank writes none (ABN AMRO) or a second account
 * follows without one. A `-` ends a SWIFT message; a field after it other than `:20:`/`:25:`
 * continues the statement, as Sparkassen write a stray `-` inside one (willuhn/hbci4java#43);
 * its balances then must not repeat (toStatement). A field before any statement is refused.
 */
function splitMessages(fields: readonly Field[]): Field[][] {
  const messages: Field[][] = [];
  let current: Field[] | null = null;
  let ended = false;
  for (const field of fields) {
    const tag = field.tag;
    if (tag === "-") {
      ended = true;
      continue;
    }
    const newAccount = tag === "25" && (ended || current === null || current.some((f) => f.tag === "25"));
    if (tag === "20" || newAccount) messages.push((current = [field]));
    else if (current !== null) current.push(field);
    else if (tag !== "NS")
      throw problem(field, "comes before any statement (expected :20: or :25: to start one)");
    ended = false;
  }
  return messages;
}

const BALANCE = /^([DC])(\d{6})([A-Z]{3})?(\d[\d,]*)$/;

function toStatement(
  fields: readonly Field[],
  options: Mt940ReadOptions,
  badRow: (error: FieldProblem) => void,
): Statement {
  const first = fields[0] as Field;
  let statement: Statement =
    first.tag === "20"
      ? { ...emptyStatement(first.line, ""), id: first.value.trim() || null }
      : { ...emptyStatement(first.line, ""), ...account(first.value) };
  const entries: StatementEntry[] = [];
  let pending: { field: Field; line61: Line61 } | null = null;
  let currency: string | null = currencyHint(fields);
  const balance = (field: Field, held: StatementBalance | null, what: string): StatementBalance => {
    if (held !== null)
      throw problem(
        field,
        `is a second ${what} balance in one statement (expected :20: or :25: before the next statement)`,
      );
    const b = readBalance(field, currency);
    currency ??= b.currency;
    return b;
  };
  const flush = (narrative: Field | null) => {
    if (pending === null) return;
    try {
      entries.push(toEntry(pending.field, pending.line61, narrative, currency ?? options.currency));
    } catch (error) {
      if (!(error instanceof FieldProblem)) throw error;
      badRow(error);
    }
    pending = null;
  };
  for (const field of fields.slice(1)) {
    const tag = field.tag;
    // Non-SWIFT data may sit between a :61: and its :86: (a-fas/mt940js#19).
    if (tag === "NS") continue;
    if (tag === "86" && pending !== null) {
      flush(field);
      continue;
    }
    flush(null);
    if (tag === "25") statement = { ...statement, ...account(field.value) };
    else if (tag === "28C" || tag === "28")
      statement = { ...statement, sequence: field.value.trim() || null };
    else if (tag === "60F" || tag === "60M")
      statement = { ...statement, opening: balance(field, statement.opening, "opening") };
    else if (tag === "62F" || tag === "62M")
      statement = { ...statement, closing: balance(field, statement.closing, "closing") };
    else if (tag === "64")
      statement = { ...statement, closingAvailable: balance(field, statement.closingAvailable, "available") };
    else if (tag === "90D")
      statement = { ...statement, declaredDebits: declared(field, currency ?? options.currency) };
    else if (tag === "90C")
      statement = { ...statement, declaredCredits: declared(field, currency ?? options.currency) };
    else if (tag === "61") {
      try {
        pending = { field, line61: readLine61(field) };
      } catch (error) {
        if (!(error instanceof FieldProblem)) throw error;
        badRow(error);
        pending = null;
      }
    }
  }
  flush(null);
  const dates = entries.map((e) => e.date).sort();
  return {
    ...statement,
    currency: currency ?? options.currency,
    periodFrom: statement.opening?.date ?? dates[0] ?? null,
    periodTo: statement.closing?.date ?? dates.at(-1) ?? null,
    entries,
  };
}

/** MT942 may carry no balance: `:34F:` (floor limit) starts with the currency. */
function currencyHint(fields: readonly Field[]): string | null {
  const floor = fields.find((f) => f.tag === "34F");
  const code = floor?.value.trim().slice(0, 3);
  return code !== undefined && /^[A-Z]{3}$/.test(code) ? code : null;
}

function problem(field: Field, reason: string, value = field.value.trim()): FieldProblem {
  return new FieldProblem(field.line, new RowProblem(`:${field.tag}:`, reason, oneLine(value).slice(0, 60)));
}

function account(value: string): Partial<Statement> {
  const id = value.trim();
  const compact = id.replace(/\s+/g, "");
  const iban = /^[A-Z]{2}\d{2}[A-Z0-9]{10,30}$/.test(compact) ? compact : null;
  return { accountId: iban ?? id, iban, accountNumber: iban === null ? id : null };
}

/**
 * `C250131EUR1234,56`. A balance without its currency (`C250131105000,00`, a sample German banks
 * publish: wolph/mt940#23) is in the statement's, when an earlier field named it.
 */
function readBalance(field: Field, known: string | null): StatementBalance {
  const m = BALANCE.exec(field.value.trim());
  if (m === null)
    throw problem(
      field,
      "is not a balance (expected D|C, YYMMDD, currency, amount such as C250131EUR1234,56)",
    );
  const [, mark, yymmdd, written, amount] = m as unknown as [
    string,
    string,
    string,
    string | undefined,
    string,
  ];
  const date = swiftDate(yymmdd);
  if (date === null) throw problem(field, "has no valid date");
  const code = written ?? known;
  if (code === null)
    throw problem(
      field,
      "has no currency and no earlier balance names one (expected D|C, YYMMDD, currency, amount such as C250131EUR1234,56)",
    );
  const magnitude = withField(field, () =>
    amountMinorOf("amount", amount, currencyOf("currency", code), ","),
  );
  return { amountMinor: mark === "D" ? -magnitude : magnitude, currency: code, date };
}

/**
 * `:90D:`/`:90C:` count, currency and sum (`3EUR120,00`). Fiducia banks write `EUR,00` for no
 * entries (wolph/mt940#63): a zero sum without a count is a count of 0; a sum of money without
 * one cannot be checked and is refused.
 */
function declared(field: Field, currency: string): DeclaredTotal {
  const m = /^(\d{1,5})?([A-Z]{3})(\d[\d,]*|,\d+)$/.exec(field.value.trim());
  if (m === null) throw problem(field, "is not a count and sum (expected such as 3EUR120,00)");
  const code = m[2] as string;
  const totalMinor = withField(field, () =>
    amountMinorOf("amount", m[3] as string, currencyOf("currency", code), ","),
  );
  if (m[1] === undefined && totalMinor !== 0)
    throw problem(
      field,
      "has a sum but no count of entries (expected count, currency, sum such as 3EUR120,00)",
    );
  return { count: Number(m[1] ?? 0), totalMinor, currency: code || currency };
}

function withField<T>(field: Field, reader: () => T): T {
  try {
    return reader();
  } catch (error) {
    if (error instanceof RowProblem)
      throw problem(field, `${error.reason} (${error.field} "${excerpt(error.value ?? "")}")`);
    throw error;
  }
}

/** YYMMDD as ISO; SWIFT years are 2000-based (a pivot at 70 keeps old archives readable). */
function swiftDate(yymmdd: string): string | null {
  const yy = Number(yymmdd.slice(0, 2));
  const date = `${yy < 70 ? 2000 + yy : 1900 + yy}-${yymmdd.slice(2, 4)}-${yymmdd.slice(4, 6)}`;
  return isIsoDate(date) ? date : null;
}

interface Line61 {
  readonly valueDate: string;
  readonly entryDate: string | null;
  readonly mark: string;
  readonly amount: string;
  readonly type: string;
  readonly customerRef: string | null;
  readonly bankRef: string | null;
  readonly supplementary: string | null;
}

/**
 * `YYMMDD[MMDD]` value and entry date, mark, funds code, amount, type, references. Seen in the
 * wild and read: four spaces for the entry date (wolph/mt940#108), a space before the amount,
 * a type padded with spaces (`S   `, wolph/mt940#53); long references (wolph/mt940#111).
 */
const LINE61 = /^(\d{6})(\d{4}| {4})?(RC|RD|EC|ED|C|D)([A-Z])? ?(\d[\d,]*)([NSF][A-Z0-9 ]{3})(.*)$/;
/** A first line that stops after the mark: Sparkassen continue with the amount on the next line. */
const LINE61_CUT = /^\d{6}(\d{4}| {4})?(RC|RD|EC|ED|C|D)[A-Z]?$/;

function readLine61(field: Field): Line61 {
  const lines = field.value.split("\n");
  const [head = "", next = ""] = lines;
  if (LINE61_CUT.test(head.trim()) && /^\s*\d/.test(next)) lines.splice(0, 2, `${head.trim()}${next.trim()}`);
  const [first = "", ...rest] = lines;
  const m = LINE61.exec(first.trim());
  if (m === null)
    throw problem(
      field,
      "is not a statement line (expected YYMMDD[MMDD], D|C|RD|RC, amount, type such as NTRF)",
      first,
    );
  const valueDate = swiftDate(m[1] as string);
  if (valueDate === null) throw problem(field, "has no valid value date", first);
  const entryText = m[2]?.trim() || undefined;
  const entryDate = entryText === undefined ? null : nearestDay(valueDate, entryText);
  if (entryText !== undefined && entryDate === null) throw problem(field, "has no valid entry date", first);
  const refs = (m[7] ?? "").trim();
  const cut = refs.indexOf("//");
  const customer = (cut === -1 ? refs : refs.slice(0, cut)).trim();
  const bank = cut === -1 ? "" : refs.slice(cut + 2).trim();
  const supplementary = oneLine(rest.join(" "));
  return {
    valueDate,
    entryDate,
    mark: m[3] as string,
    amount: m[5] as string,
    type: (m[6] as string).trim(),
    customerRef: customer === "" || customer.toUpperCase() === "NONREF" ? null : customer,
    bankRef: bank === "" || bank.toUpperCase() === "NONREF" ? null : bank,
    supplementary: supplementary === "" ? null : supplementary,
  };
}

/** The entry date has no year: the one of the value date's year, the year before or after nearest to it. */
function nearestDay(valueDate: string, mmdd: string): string | null {
  const sameYear = `${valueDate.slice(0, 5)}${mmdd.slice(0, 2)}-${mmdd.slice(2, 4)}`;
  const month = Number(mmdd.slice(0, 2));
  const valueMonth = Number(valueDate.slice(5, 7));
  // Only an entry date across a new year (December against January) can belong to another year.
  if (Math.abs(month - valueMonth) < 6) return isIsoDate(sameYear) ? sameYear : null;
  const year = Number(valueDate.slice(0, 4));
  const valueTime = Date.parse(valueDate);
  let best: string | null = null;
  for (const y of [year - 1, year, year + 1]) {
    const candidate = `${y}-${mmdd.slice(0, 2)}-${mmdd.slice(2, 4)}`;
    if (!isIsoDate(candidate)) continue;
    if (best === null || Math.abs(Date.parse(candidate) - valueTime) < Math.abs(Date.parse(best) - valueTime))
      best = candidate;
  }
  return best;
}

function toEntry(field: Field, l: Line61, narrative: Field | null, currency: string): StatementEntry {
  const magnitude = withField(field, () => amountMinorOf("amount", l.amount, currency, ","));
  // RC reverses a credit (money goes out again), RD a debit; EC/ED are expected entries (MT942).
  const out = l.mark === "D" || l.mark === "RC" || l.mark === "ED";
  const story = narrative === null ? null : readNarrative(narrative.value);
  const description = joinPresent(story?.description, story === null ? l.supplementary : null);
  return {
    amountMinor: out ? -magnitude : magnitude,
    currency,
    date: l.entryDate ?? l.valueDate,
    valueDate: l.valueDate,
    authorizedDate: null,
    status: l.mark.startsWith("E") ? "pending" : "booked",
    description: description === "" ? (l.customerRef ?? l.type) : description,
    bankId: l.bankRef,
    reference: story?.reference ?? l.customerRef,
    endToEndId: story?.endToEndId ?? null,
    counterparty: story?.counterparty ?? null,
    counterpartyAccount: story?.counterpartyAccount ?? null,
    checkNumber: null,
    type: l.type,
    details: NO_DETAILS,
    line: field.line,
    path: null,
  };
}

interface Narrative {
  readonly description: string;
  readonly reference: string | null;
  readonly endToEndId: string | null;
  readonly counterparty: string | null;
  readonly counterpartyAccount: string | null;
}

/**
 * Reads a `:86:` text in whichever of the three shapes it has.
 *
 * @example readNarrative("166?00GUTSCHRIFT?20EREF+INV-7?21SVWZ+Rent May?32ACME GMBH").counterparty // "ACME GMBH"
 */
export function readNarrative(text: string): Narrative {
  const flat = text.replace(/\r?\n/g, "");
  if (/^\d{3}[?>^]\d{2}/.test(flat) || /^[?>]\d{2}/.test(flat)) return germanNarrative(flat);
  if (/^\/[A-Z]{2,4}\//.test(flat)) return slashNarrative(flat);
  return {
    description: oneLine(text),
    reference: null,
    endToEndId: null,
    counterparty: null,
    counterpartyAccount: null,
  };
}

const SEPA_KEY = /(EREF|KREF|MREF|CRED|SVWZ|ABWA|ABWE|DEBT|COAM|OAMT)\+/g;

/** `?00` booking text, `?20`–`?29` and `?60`–`?63` purpose, `?30`/`?31` bank and account, `?32`/`?33` name. */
function germanNarrative(flat: string): Narrative {
  const separator = /^\d{3}/.test(flat) ? flat.charAt(3) : flat.charAt(0);
  const sub = new Map<number, string>();
  const parts = flat.split(separator);
  for (const part of parts.slice(1)) {
    const key = Number(part.slice(0, 2));
    if (Number.isInteger(key) && !sub.has(key)) sub.set(key, part.slice(2));
  }
  let purpose = "";
  let previous = "";
  for (const key of [20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 60, 61, 62, 63]) {
    const piece = sub.get(key);
    if (piece === undefined) continue;
    // Sub-fields hold 27 characters: a full one was most likely cut inside a word.
    purpose += purpose === "" || previous.length >= 27 ? piece : ` ${piece}`;
    previous = piece;
  }
  const keyed = sepaKeys(purpose);
  const name = oneLine(`${sub.get(32) ?? ""}${sub.get(33) ?? ""}`);
  const remittance = keyed.get("SVWZ") ?? (keyed.size === 0 ? oneLine(purpose) : null);
  const eref = keyed.get("EREF") ?? null;
  const counterparty = name === "" ? null : name;
  return {
    description: oneLine(joinPresent(sub.get(0), counterparty, remittance)),
    reference: remittance,
    endToEndId: eref === null || eref.toUpperCase() === "NOTPROVIDED" ? null : eref,
    counterparty,
    counterpartyAccount: sub.get(31)?.trim() || null,
  };
}

function sepaKeys(purpose: string): Map<string, string> {
  const keyed = new Map<string, string>();
  const marks = [...purpose.matchAll(SEPA_KEY)];
  marks.forEach((m, i) => {
    const from = (m.index ?? 0) + m[0].length;
    const to = marks[i + 1]?.index ?? purpose.length;
    if (!keyed.has(m[1] as string)) keyed.set(m[1] as string, oneLine(purpose.slice(from, to)));
  });
  return keyed;
}

const SLASH_KEYS = [
  "EREF",
  "REMI",
  "ORDP",
  "BENM",
  "NAME",
  "IBAN",
  "BIC",
  "CSID",
  "MARF",
  "TRTP",
  "PREF",
  "RTRN",
  "ADDR",
  "CNTP",
  "ULTC",
  "ULTD",
  "ULTB",
  "PURP",
  "BUSP",
  "ISDT",
  "EXCH",
  "CHGS",
  "SVCL",
  "ACCW",
  "OCMT",
  "KREF",
];
const SLASH_KEY = new RegExp(`/(${SLASH_KEYS.join("|")})/`, "g");

/** `/TRTP/SEPA OVERBOEKING/IBAN/NL.../NAME/J JANSEN/REMI/USTD//INV 7/EREF/E2E-1` */
function slashNarrative(flat: string): Narrative {
  const values = new Map<string, string>();
  const marks = [...flat.matchAll(SLASH_KEY)];
  marks.forEach((m, i) => {
    const from = (m.index ?? 0) + m[0].length;
    const to = marks[i + 1]?.index ?? flat.length;
    if (!values.has(m[1] as string))
      values.set(
        m[1] as string,
        flat
          .slice(from, to)
          .replace(/^\/+|\/+$/g, "")
          .trim(),
      );
  });
  const party = (values.get("CNTP") ?? "").split("/");
  const name = values.get("NAME") || party[2] || null;
  const remi =
    values
      .get("REMI")
      ?.replace(/^(USTD|STRD\/[A-Z]{3})\/+/, "")
      .trim() || null;
  const eref = values.get("EREF") || null;
  const description = joinPresent(name, remi);
  return {
    description: oneLine(description === "" ? flat : description),
    reference: remi,
    endToEndId: eref === null || eref.toUpperCase() === "NOTPROVIDED" ? null : eref,
    counterparty: name,
    counterpartyAccount: values.get("IBAN") || party[0] || null,
  };
}
