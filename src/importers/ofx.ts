import { ImportError } from "../errors/index.js";
import { amountMinorOf, compactDayOf, currencyOf, isBlank, oneLine } from "./entry-values.js";
import { LineCounter } from "./line-counter.js";
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
  // Each transaction is mapped when it closes and dropped from the tree, so a large file holds
  // one transaction's nodes at a time (and the collector has little to move).
  const root = parseOfxTree(text, source, (node, stack) => {
    const list = stack[stack.length - 1];
    if (node.name !== "STMTTRN" || list?.name !== "BANKTRANLIST") return false;
    const statement = stack[stack.length - 2];
    const currency =
      (statement === undefined ? null : read(source, statement, "CURDEF", (v) => currencyOf("CURDEF", v))) ??
      options.currency;
    let entries = entriesByList.get(list);
    if (entries === undefined) entriesByList.set(list, (entries = []));
    entries.push(toEntry(node, source, currency));
    return true;
  });
  const statements: Statement[] = [];
  collectStatements(root, (node) => statements.push(toStatement(node, source, options, entriesByList)));
  if (statements.length === 0)
    throw new ImportError({ file: source }, "holds no bank or credit card statement (STMTRS or CCSTMTRS)");
  return statements;
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
  const lines = new LineCounter(text);
  /** Tags as written, with their names: a file repeats a few dozen tags. */
  const names = new Map<string, string>();
  let pos = start;
  const root: OfxNode = { name: "", value: null, children: [], line: 1 };
  const stack: OfxNode[] = [root];
  /** The leaf closed by its text most recently: an explicit `</NAME>` right after is fine. */
  let lastLeaf: OfxNode | null = null;
  const fail = (at: number, problem: string) => new ImportError({ file: source, line: at }, problem);
  while (pos < text.length) {
    const lt = text.indexOf("<", pos);
    const stop = lt === -1 ? text.length : lt;
    let line = lines.lineAt(pos);
    if (stop > pos) {
      const top = stack[stack.length - 1] as OfxNode;
      if (!isBlank(text, pos, stop)) {
        const raw = text.slice(pos, stop);
        if (top === root || top.children.length > 0)
          throw fail(line, `text "${oneLine(raw).slice(0, 30)}" outside a leaf element`);
        top.value = decodeEntities(raw.trim());
        stack.pop();
        lastLeaf = top;
      }
      line = lines.lineAt(stop);
    }
    if (lt === -1) break;
    const gt = text.indexOf(">", lt);
    if (gt === -1) throw fail(line, "a tag is never closed with >");
    const tag = text.slice(lt + 1, gt).trim();
    if (tag.startsWith("!--") || tag.startsWith("?")) {
      // comments and processing instructions carry no data
    } else if (tag.startsWith("/")) {
      lastLeaf = closeTag(
        onClose,
        tag.slice(1).trim().toUpperCase(),
        stack,
        lastLeaf,
        () => fail(line, `</${tag.slice(1)}> closes nothing open`),
        (node) =>
          fail(node.line, `<${node.name}> is never closed (found </${tag.slice(1).trim()}> at line ${line})`),
      );
    } else {
      const selfClosing = tag.endsWith("/");
      let name = names.get(tag);
      if (name === undefined) {
        name = (selfClosing ? tag.slice(0, -1) : tag).trim().split(/\s/, 1)[0]?.toUpperCase() ?? "";
        if (!/^[A-Z][A-Z0-9._]*$/.test(name)) throw fail(line, `"<${tag.slice(0, 30)}>" is not an OFX tag`);
        names.set(tag, name);
      }
      const node: OfxNode = { name, value: selfClosing ? "" : null, children: [], line };
      (stack[stack.length - 1] as OfxNode).children.push(node);
      if (!selfClosing) {
        if (stack.length > DEPTH_MAX) throw fail(line, `elements nest deeper than ${DEPTH_MAX}`);
        stack.push(node);
      }
      lastLeaf = null;
    }
    pos = gt + 1;
  }
  const open = stack[stack.length - 1] as OfxNode;
  if (open !== root) throw fail(open.line, `<${open.name}> is never closed`);
  return root;
}

/**
 * Closes `name`: elements opened after it and never given text or a closing tag were empty
 * leaves (SGML allows `<MEMO>` with nothing), so their children move up to where they belong.
 */
function closeTag(
  onClose: (node: OfxNode, stack: readonly OfxNode[]) => boolean,
  name: string,
  stack: OfxNode[],
  lastLeaf: OfxNode | null,
  fail: () => ImportError,
  unclosed: (node: OfxNode) => ImportError,
): OfxNode | null {
  let at = stack.length - 1;
  while (at > 0 && (stack[at] as OfxNode).name !== name) at--;
  if (at === 0) {
    if (lastLeaf?.name === name) return null;
    throw fail();
  }
  while (stack.length - 1 > at) {
    const orphan = stack.pop() as OfxNode;
    // An aggregate left open would lose its rows to its parent: a broken file, never a leaf.
    if (AGGREGATES.has(orphan.name)) throw unclosed(orphan);
    const parent = stack[stack.length - 1] as OfxNode;
    parent.children.push(...orphan.children.splice(0));
    orphan.value = "";
  }
  const closed = stack.pop() as OfxNode;
  if (onClose(closed, stack)) stack[stack.length - 1]?.children.pop();
  return null;
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
    list === undefined ? null : read(source, list, name, (v) => compactDayOf(name, v));
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

function balance(node: OfxNode | undefined, source: string, currency: string): StatementBalance | null {
  if (node === undefined) return null;
  const amountMinor = required(source, node, "BALAMT", (v) =>
    amountMinorOf("BALAMT", v, currency, decimalOf(v)),
  );
  return { amountMinor, currency, date: read(source, node, "DTASOF", (v) => compactDayOf("DTASOF", v)) };
}

/** OFX allows a decimal comma; a comma with no point is one (`-34,51`). */
function decimalOf(value: string): "." | "," {
  return value.includes(",") && !value.includes(".") ? "," : ".";
}

function toEntry(node: OfxNode, source: string, statementCurrency: string): StatementEntry {
  const entryCurrency = currencyOfLeaf(source, node, statementCurrency);
  const amountMinor = required(source, node, "TRNAMT", (v) =>
    amountMinorOf("TRNAMT", v, entryCurrency, decimalOf(v)),
  );
  const date = required(source, node, "DTPOSTED", (v) => compactDayOf("DTPOSTED", v));
  const name = leaf(node, "NAME") ?? leaf(node, "PAYEE", "NAME");
  const memo = leaf(node, "MEMO");
  return {
    amountMinor,
    currency: entryCurrency,
    date,
    valueDate: read(source, node, "DTAVAIL", (v) => compactDayOf("DTAVAIL", v)),
    authorizedDate: read(source, node, "DTUSER", (v) => compactDayOf("DTUSER", v)),
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
