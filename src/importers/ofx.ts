import { BadRowsError, ImportError } from "../errors/index.js";
import { currencyExponent } from "../money/index.js";
import { amountMinorOf, compactDayOf, currencyOf, isBlank, oneLine } from "./entry-values.js";
import { LineCounter } from "./line-counter.js";
import { ProblemList } from "./problem-list.js";
import { atLine, RowProblem } from "./row-problem.js";
import {
  emptyStatement,
  NO_DETAILS,
  type Statement,
  type StatementBalance,
  type StatementEntry,
} from "./statement.js";

/**
 * OFX 1.x (SGML: leaf elements are not closed, `<TRNAMT>-5.00` then the next tag) and OFX 2.x
 * (XML), which QFX and QBO files are too. One reader serves both: it treats every tag followed by
 * text as a leaf and closes elements left open when an enclosing one closes, which is how SGML
 * OFX is read and also accepts XML. Bank (`STMTRS`) and credit-card (`CCSTMTRS`) statements, any
 * number of them in one file.
 */

/** A node of the OFX tree: an aggregate (children) or a leaf (value). */
interface OfxNode {
  readonly name: string;
  value: string | null;
  readonly children: OfxNode[];
  readonly line: number;
}

/** Aggregates the readers use: SGML leaves may stay open, these may not. */
const AGGREGATES = new Set([
  "OFX",
  "SIGNONMSGSRSV1",
  "SONRS",
  "STATUS",
  "FI",
  "BANKMSGSRSV1",
  "CREDITCARDMSGSRSV1",
  "STMTTRNRS",
  "CCSTMTTRNRS",
  "STMTRS",
  "CCSTMTRS",
  "BANKACCTFROM",
  "CCACCTFROM",
  "BANKACCTTO",
  "CCACCTTO",
  "BANKTRANLIST",
  "STMTTRN",
  "PAYEE",
  "CURRENCY",
  "ORIGCURRENCY",
  "LEDGERBAL",
  "AVAILBAL",
]);

/** Aggregates nest a dozen levels; a bound keeps a hostile file from growing the stack without end. */
const DEPTH_MAX = 64;

export interface OfxReadOptions {
  /** Used when a statement has no `CURDEF`. */
  readonly currency: string;
}

/**
 * Reads the statements of an OFX/QFX file (already decoded to text).
 *
 * @example parseOfx(text, "bank.ofx", { currency: "USD" })[0]?.entries.length
 * @throws ImportError `bank.ofx:42: TRNAMT "12.3x" is not a number`, `bank.ofx:9: </STMTRS> closes nothing open`
 */
export function parseOfx(text: string, source: string, options: OfxReadOptions): Statement[] {
  const entriesByList = new Map<OfxNode, StatementEntry[]>();
  // A bad transaction is noted and reading goes on, so every bad row is reported at once; a
  // broken structure stops the read (with the rows noted before it).
  const rows: ProblemList = new ProblemList(source);
  // Each transaction is mapped when it closes and dropped from the tree, so a large file holds
  // one transaction's nodes at a time (and the collector has little to move).
  const readTree = () =>
    parseOfxTree(text, source, (node, stack) => {
      const list = stack[stack.length - 1];
      if (node.name !== "STMTTRN" || list?.name !== "BANKTRANLIST") return false;
      const statement = stack[stack.length - 2];
      const currency =
        (statement === undefined
          ? null
          : read(source, statement, "CURDEF", (v) => currencyOf("CURDEF", v))) ?? options.currency;
      let entries = entriesByList.get(list);
      if (entries === undefined) entriesByList.set(list, (entries = []));
      try {
        entries.push(toEntry(node, source, currency));
      } catch (error) {
        if (!(error instanceof ImportError) || error instanceof BadRowsError) throw error;
        rows.add(error);
      }
      return true;
    });
  let root: ReturnType<typeof readTree>;
  try {
    root = readTree();
  } catch (error) {
    rows.stop(error);
  }
  rows.check();
  const statements: Statement[] = [];
  collectStatements(root, (node) => statements.push(toStatement(node, source, options, entriesByList)));
  if (statements.length === 0)
    throw new ImportError(
      { file: source },
      `holds no bank or credit card statement (STMTRS or CCSTMTRS)${bankStatus(root)}`,
    );
  return statements;
}

/**
 * A file without a statement is often the bank's refusal (`<CODE>15500<SEVERITY>ERROR`): its
 * status says why, whatever the case or spelling of the severity.
 */
function bankStatus(root: OfxNode): string {
  let found = "";
  const visit = (node: OfxNode, depth: number) => {
    for (const c of node.children) {
      if (found !== "" || depth > DEPTH_MAX) return;
      const code = c.name === "STATUS" ? leaf(c, "CODE") : null;
      if (code !== null && code !== "0") {
        const severity = leaf(c, "SEVERITY");
        const message = leaf(c, "MESSAGE");
        found = `; the bank reports status ${code}${severity === null ? "" : ` ${severity}`}${message === null ? "" : ` "${oneLine(message)}"`}`;
      } else if (c.value === null) visit(c, depth + 1);
    }
  };
  visit(root, 0);
  return found;
}

function collectStatements(node: OfxNode, visit: (node: OfxNode) => void): void {
  for (const c of node.children) {
    if (c.name === "STMTRS" || c.name === "CCSTMTRS") visit(c);
    else if (c.value === null) collectStatements(c, visit);
  }
}

/** Builds the tree from `<OFX>` on; the header before it (SGML or XML) was used for decoding only. */
function parseOfxTree(
  text: string,
  source: string,
  onClose: (node: OfxNode, stack: readonly OfxNode[]) => boolean,
): OfxNode {
  const start = text.search(/<OFX>/i);
  if (start === -1) throw new ImportError({ file: source }, "has no <OFX> element");
  const tree = new OfxTreeBuilder(text, source, onClose);
  let pos = start;
  while (pos < text.length) {
    const lt = markupStart(text, pos);
    const stop = lt === -1 ? text.length : lt;
    if (stop > pos) tree.characters(pos, stop);
    if (lt === -1) break;
    pos = tree.markup(lt);
  }
  return tree.finish();
}

/**
 * The next `<` that opens markup: one followed by a letter, `/`, `!` or `?`. Any other `<` is a
 * character of a value (`<NAME>A < B`, `<MEMO><3`): no tag can start that way.
 */
function markupStart(text: string, from: number): number {
  let lt = text.indexOf("<", from);
  while (lt !== -1 && !opensMarkup(text.charCodeAt(lt + 1))) lt = text.indexOf("<", lt + 1);
  return lt;
}

function opensMarkup(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x2f || c === 0x21 || c === 0x3f;
}

/**
 * HTML formatting some banks put inside a value (`<NAME>AT&T <B>bill</B>`, ING's `<BR/>` in
 * MEMO). No OFX element has these names, so inside a value they are formatting, not elements:
 * their text stays in the value and a line break becomes a space.
 */
const INLINE_MARKUP = /^\/?(B|I|U|EM|STRONG|SPAN|FONT|SUB|SUP|SMALL|BR)(\s[^<>]*)?\/?$/i;
const LINE_BREAK = /^BR\b/i;

const BANG = 0x21;
const QUESTION = 0x3f;
const SLASH = 0x2f;

/** SGML marked sections whose content is text: CDATA (any case, SGML allows spaces) and RCDATA. */
const MARKED_SECTION = /^<!\[\s*R?CDATA\s*\[/i;

/** Pairs banks mix up (`<CCSTMTRS>` ... `</STMTRS>`): a closing tag naming the other one closes it. */
const PAIRED: Readonly<Record<string, string>> = {
  STMTRS: "CCSTMTRS",
  CCSTMTRS: "STMTRS",
  STMTTRNRS: "CCSTMTTRNRS",
  CCSTMTTRNRS: "STMTTRNRS",
};

/** Turns the tags and text of an OFX body into a tree, one call per piece, in file order. */
class OfxTreeBuilder {
  readonly #lines: LineCounter;
  /** Tags as written, with their names: a file repeats a few dozen tags. */
  readonly #names = new Map<string, string>();
  /** Whether a tag as written is inline formatting (`<B>`, `<br/>`), asked once per spelling. */
  readonly #inlineTags = new Map<string, boolean>();
  readonly #root: OfxNode = { name: "", value: null, children: [], line: 1 };
  readonly #stack: OfxNode[] = [this.#root];
  /**
   * The leaf whose value is being read: set by its text and kept through CDATA sections and
   * inline markup, so `AT&T <B>bill</B>` is one value. Any OFX tag ends it; an explicit
   * `</NAME>` right after it closes nothing more.
   */
  #valueLeaf: OfxNode | null = null;

  constructor(
    readonly text: string,
    readonly source: string,
    readonly onClose: (node: OfxNode, stack: readonly OfxNode[]) => boolean,
  ) {
    this.#lines = new LineCounter(text);
  }

  #fail(line: number, problem: string): ImportError {
    return new ImportError({ file: this.source, line }, problem);
  }

  /** Text between two pieces of markup. */
  characters(from: number, to: number): void {
    const leaf = this.#valueLeaf;
    if (leaf !== null) {
      leaf.value += decodeEntities(this.text.slice(from, to));
      return;
    }
    if (isBlank(this.text, from, to)) return;
    const raw = this.text.slice(from, to);
    const top = this.#stack[this.#stack.length - 1] as OfxNode;
    if (top === this.#root || top.children.length > 0)
      throw this.#fail(
        this.#lines.lineAt(from),
        `text "${oneLine(raw).slice(0, 30)}" outside a leaf element`,
      );
    top.value = decodeEntities(raw);
    this.#stack.pop();
    this.#valueLeaf = top;
  }

  /** The markup starting at `lt`; returns where the text after it starts. */
  markup(lt: number): number {
    const text = this.text;
    const line = this.#lines.lineAt(lt);
    if (text.charCodeAt(lt + 1) === BANG) {
      const end = this.#bang(lt, line);
      if (end !== -1) return end;
    }
    const gt = text.indexOf(">", lt);
    if (gt === -1) throw this.#fail(line, "a tag is never closed with >");
    const tag = text.slice(lt + 1, gt).trim();
    const first = tag.charCodeAt(0);
    // Processing instructions and declarations carry no data.
    if (first === QUESTION || first === BANG) return gt + 1;
    if (this.#isInline(tag) && this.#inline(tag)) return gt + 1;
    const leaf = this.#valueLeaf;
    this.#valueLeaf = null;
    if (first === SLASH) this.#close(this.#nameOf(tag, line), line, `<${tag}>`, leaf);
    else this.#open(tag, line);
    return gt + 1;
  }

  /** A CDATA section or a comment (their end is not the first `>`); -1 for a declaration. */
  #bang(lt: number, line: number): number {
    const text = this.text;
    if (text.startsWith("<!--", lt)) {
      const end = text.indexOf("-->", lt + 4);
      if (end === -1) throw this.#fail(line, "a comment is never closed with -->");
      return end + 3;
    }
    if (!text.startsWith("<![", lt)) return -1;
    const head = text.slice(lt, lt + 40);
    const section = MARKED_SECTION.exec(head);
    if (section === null) {
      const shown = /^<!\[[^[\]<>]{0,20}\[?/.exec(head)?.[0] ?? "<![";
      throw this.#fail(line, `marked section "${oneLine(shown)}" is not read (expected <![CDATA[)`);
    }
    const from = lt + section[0].length;
    const end = text.indexOf("]]>", from);
    if (end === -1) throw this.#fail(line, "a CDATA section is never closed with ]]>");
    this.#literal(text.slice(from, end), line);
    return end + 3;
  }

  #isInline(tag: string): boolean {
    let inline = this.#inlineTags.get(tag);
    if (inline === undefined) this.#inlineTags.set(tag, (inline = INLINE_MARKUP.test(tag)));
    return inline;
  }

  /** The element name of a tag (`<stmttrn>`, `</STMTTRN >`, `<MEMO/>`), checked once per spelling. */
  #nameOf(tag: string, line: number): string {
    let name = this.#names.get(tag);
    if (name === undefined) {
      const bare = tag.replace(/^\/|\/$/g, "").trim();
      name = bare.split(/\s/, 1)[0]?.toUpperCase() ?? "";
      if (!/^[A-Z][A-Z0-9._]*$/.test(name))
        throw this.#fail(line, `"<${tag.slice(0, 30)}>" is not an OFX tag`);
      this.#names.set(tag, name);
    }
    return name;
  }

  /** The leaf a CDATA section or inline markup belongs to: the value being read, or an empty open leaf. */
  #valueTarget(): OfxNode | null {
    if (this.#valueLeaf !== null) return this.#valueLeaf;
    const top = this.#stack[this.#stack.length - 1] as OfxNode;
    if (top === this.#root || top.children.length > 0 || AGGREGATES.has(top.name)) return null;
    top.value = "";
    this.#stack.pop();
    this.#valueLeaf = top;
    return top;
  }

  /** A CDATA section: its characters as written, entities and `<` included. */
  #literal(content: string, line: number): void {
    const target = this.#valueTarget();
    if (target !== null) target.value += content;
    else if (content.trim() !== "")
      throw this.#fail(line, `CDATA "${oneLine(content).slice(0, 30)}" outside a leaf element`);
  }

  /** Inline formatting inside a value; false when it is not inside one (then it is an element). */
  #inline(tag: string): boolean {
    const target = this.#valueTarget();
    if (target === null) return false;
    if (LINE_BREAK.test(tag)) target.value += " ";
    return true;
  }

  #open(tag: string, line: number): void {
    const stack = this.#stack;
    const selfClosing = tag.endsWith("/");
    const name = this.#nameOf(tag, line);
    // A transaction never holds another: a new one closes one its bank left open.
    if (name === "STMTTRN" && this.#openTransaction()) this.#close("STMTTRN", line, "<STMTTRN>", null);
    const node: OfxNode = { name, value: selfClosing ? "" : null, children: [], line };
    (stack[stack.length - 1] as OfxNode).children.push(node);
    if (selfClosing) return;
    if (stack.length > DEPTH_MAX) throw this.#fail(line, `elements nest deeper than ${DEPTH_MAX}`);
    stack.push(node);
  }

  /** Whether a STMTTRN directly in a BANKTRANLIST is open. */
  #openTransaction(): boolean {
    const stack = this.#stack;
    for (let i = stack.length - 1; i > 0; i--)
      if ((stack[i] as OfxNode).name === "STMTTRN") return (stack[i - 1] as OfxNode).name === "BANKTRANLIST";
    return false;
  }

  #indexOf(name: string): number {
    let at = this.#stack.length - 1;
    while (at > 0 && (this.#stack[at] as OfxNode).name !== name) at--;
    return at;
  }

  /**
   * Closes `name`: elements opened after it and never given text or a closing tag were empty
   * leaves (SGML allows `<MEMO>` with nothing), so their children move up to where they belong.
   * A transaction left open in its list is closed as if its bank had written `</STMTTRN>`.
   */
  #close(name: string, line: number, found: string, lastLeaf: OfxNode | null): void {
    const stack = this.#stack;
    let at = this.#indexOf(name);
    if (at === 0) {
      if (lastLeaf?.name === name) return;
      const paired = PAIRED[name];
      if (paired !== undefined) at = this.#indexOf(paired);
      if (at === 0) throw this.#fail(line, `${found} closes nothing open`);
    }
    while (stack.length - 1 > at) {
      const orphan = stack[stack.length - 1] as OfxNode;
      if (orphan.name === "STMTTRN" && (stack[stack.length - 2] as OfxNode).name === "BANKTRANLIST") {
        this.#pop();
        continue;
      }
      // An aggregate left open would lose its rows to its parent: a broken file, never a leaf.
      if (AGGREGATES.has(orphan.name))
        throw this.#fail(orphan.line, `<${orphan.name}> is never closed (found ${found} at line ${line})`);
      stack.pop();
      (stack[stack.length - 1] as OfxNode).children.push(...orphan.children.splice(0));
      orphan.value = "";
    }
    this.#pop();
  }

  #pop(): void {
    const closed = this.#stack.pop() as OfxNode;
    if (this.onClose(closed, this.#stack)) this.#stack[this.#stack.length - 1]?.children.pop();
  }

  finish(): OfxNode {
    const open = this.#stack[this.#stack.length - 1] as OfxNode;
    if (open !== this.#root) throw this.#fail(open.line, `<${open.name}> is never closed`);
    return this.#root;
  }
}

const OFX_ENTITIES: Readonly<Record<string, string>> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  nbsp: " ",
};

/** SGML OFX often holds a bare `&` (`AT&T`): anything that is not a known entity stays as written. */
function decodeEntities(text: string): string {
  if (!text.includes("&")) return text;
  return text.replace(/&(#x[0-9a-fA-F]{1,6}|#\d{1,7}|[a-zA-Z]{2,6});/g, (whole, name: string) => {
    if (name.startsWith("#")) {
      const code =
        name[1] === "x" || name[1] === "X" ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
      return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff)
        ? String.fromCodePoint(code)
        : whole;
    }
    return OFX_ENTITIES[name.toLowerCase()] ?? whole;
  });
}

function find(node: OfxNode | undefined, ...names: string[]): OfxNode | undefined {
  let current = node;
  for (const name of names) current = current?.children.find((c) => c.name === name);
  return current;
}

function leaf(node: OfxNode | undefined, ...names: string[]): string | null {
  const found = find(node, ...names);
  const value = found?.value?.trim();
  return value === undefined || value === "" ? null : value;
}

/** Runs a value reader and turns its RowProblem into an ImportError at the leaf's line. */
function read<T>(source: string, node: OfxNode, name: string, reader: (value: string) => T): T | null {
  const found = find(node, name);
  const value = found?.value?.trim();
  if (found === undefined || value === undefined || value === "") return null;
  try {
    return reader(value);
  } catch (error) {
    if (error instanceof RowProblem) throw atLine(source, found.line, error);
    throw error;
  }
}

function required<T>(source: string, node: OfxNode, name: string, reader: (value: string) => T): T {
  const value = read(source, node, name, reader);
  if (value === null)
    throw new ImportError({ file: source, line: node.line, field: name }, `<${node.name}> has no ${name}`);
  return value;
}

function toStatement(
  node: OfxNode,
  source: string,
  options: OfxReadOptions,
  entriesByList: ReadonlyMap<OfxNode, StatementEntry[]>,
): Statement {
  const currency = read(source, node, "CURDEF", (v) => currencyOf("CURDEF", v)) ?? options.currency;
  const card = node.name === "CCSTMTRS";
  const from = find(node, card ? "CCACCTFROM" : "BANKACCTFROM");
  const accountNumber = leaf(from, "ACCTID");
  const list = find(node, "BANKTRANLIST");
  const entries = (list === undefined ? undefined : entriesByList.get(list)) ?? [];
  const period = (name: string) =>
    list === undefined ? null : read(source, list, name, (v) => ofxDay(name, v));
  return {
    ...emptyStatement(node.line, currency),
    accountId: accountNumber ?? "",
    accountNumber,
    bankCode: leaf(from, "BANKID"),
    accountType: card ? "CREDITCARD" : leaf(from, "ACCTTYPE"),
    periodFrom: period("DTSTART"),
    periodTo: period("DTEND"),
    closing: balance(find(node, "LEDGERBAL"), source, currency),
    closingAvailable: balance(find(node, "AVAILBAL"), source, currency),
    entries,
  };
}

/** A balance aggregate whose BALAMT is empty or missing states no balance (asgrim/ofxparser#58). */
function balance(node: OfxNode | undefined, source: string, currency: string): StatementBalance | null {
  if (node === undefined) return null;
  const amountMinor = read(source, node, "BALAMT", (v) => ofxAmount("BALAMT", v, currency));
  if (amountMinor === null) return null;
  return { amountMinor, currency, date: read(source, node, "DTASOF", (v) => ofxDay("DTASOF", v)) };
}

/**
 * An OFX amount. The standard allows a decimal point or comma and no grouping; banks also write
 * grouping with a decimal (`1,650.00`, `1.400,82`): the last separator is then the decimal one
 * and the other must group by threes. A separator used twice (`1,650,000`) can only group. One
 * separator before exactly three digits (`1,650`) reads as 1.650 or as 1650: refused.
 *
 * @example ofxAmount("TRNAMT", "-1.400,82", "EUR") // -140082
 * @throws RowProblem `is ambiguous: "," before three digits ...`
 */
function ofxAmount(field: string, text: string, currency: string): number {
  const value = text.trim();
  const comma = value.lastIndexOf(",");
  const point = value.lastIndexOf(".");
  if (comma === -1 || point === -1) {
    const at = Math.max(comma, point);
    const mark = comma === -1 ? "." : ",";
    if (at !== -1 && value.indexOf(mark) !== at)
      return amountMinorOf(field, value, currency, mark === "," ? "." : ",");
    const exponent = currencyExponent(currency);
    if (at !== -1 && exponent !== 3 && /^[+-]?0*[1-9]\d{0,2}[.,]\d{3}$/.test(value))
      throw new RowProblem(
        field,
        `is ambiguous: "${mark}" before three digits is a decimal separator (${value.replace(mark, ".")}) or a thousands separator (${value.replace(mark, "")}); expected at most ${exponent} decimals and no grouping`,
        value,
      );
    return amountMinorOf(field, value, currency, mark === "," ? "," : ".");
  }
  return amountMinorOf(field, value, currency, comma > point ? "," : ".");
}

/**
 * An OFX date (`YYYYMMDD[HHMMSS[.XXX]][[offset:zone]]`, the zone also seen bare as ` GMT`) as the
 * day the bank wrote, never shifted by its zone. All zeros (`00000000`) is how some banks say "no
 * date" (annacruz/ofx#15): null, so an optional date is absent and a posting date refused. A year and month without a day
 * (`202501`) is refused rather than guessed.
 */
function ofxDay(field: string, text: string): string | null {
  const value = text.trim();
  if (/^0{8}/.test(value)) return null;
  if (/^\d{6}(?!\d)/.test(value))
    throw new RowProblem(field, "is not a date: a year and month without a day (expected YYYYMMDD)", value);
  return compactDayOf(field, value);
}

function postedDay(text: string): string {
  const day = ofxDay("DTPOSTED", text);
  if (day === null)
    throw new RowProblem(
      "DTPOSTED",
      "is all zeros, not a date (a transaction needs the day it was posted)",
      text.trim(),
    );
  return day;
}

function toEntry(node: OfxNode, source: string, statementCurrency: string): StatementEntry {
  const entryCurrency = currencyOfLeaf(source, node, statementCurrency);
  const amountMinor = required(source, node, "TRNAMT", (v) => ofxAmount("TRNAMT", v, entryCurrency));
  const date = required(source, node, "DTPOSTED", postedDay);
  const name = leaf(node, "NAME") ?? leaf(node, "PAYEE", "NAME");
  const memo = leaf(node, "MEMO");
  return {
    amountMinor,
    currency: entryCurrency,
    date,
    valueDate: read(source, node, "DTAVAIL", (v) => ofxDay("DTAVAIL", v)),
    authorizedDate: read(source, node, "DTUSER", (v) => ofxDay("DTUSER", v)),
    status: "booked",
    description: describe(name, memo),
    bankId: leaf(node, "FITID"),
    reference: leaf(node, "REFNUM"),
    endToEndId: null,
    counterparty: leaf(node, "PAYEE", "NAME"),
    counterpartyAccount: leaf(node, "BANKACCTTO", "ACCTID") ?? leaf(node, "CCACCTTO", "ACCTID"),
    checkNumber: leaf(node, "CHECKNUM"),
    type: leaf(node, "TRNTYPE"),
    details: NO_DETAILS,
    line: node.line,
    path: null,
  };
}

/** A `<CURRENCY>` aggregate means TRNAMT is in that currency rather than the statement's. */
function currencyOfLeaf(source: string, node: OfxNode, fallback: string): string {
  const aggregate = find(node, "CURRENCY");
  if (aggregate === undefined) return fallback;
  return read(source, aggregate, "CURSYM", (v) => currencyOf("CURSYM", v)) ?? fallback;
}

/** NAME is often cut at 32 characters and MEMO repeats it in full: say it once. */
function describe(name: string | null, memo: string | null): string {
  if (name === null) return memo === null ? "" : oneLine(memo);
  if (memo === null) return oneLine(name);
  const n = oneLine(name);
  const m = oneLine(memo);
  return m.startsWith(n) ? m : `${n} ${m}`;
}
