import { ImportError } from "../errors/index.js";
import { isBlank } from "./entry-values.js";
import { LineCounter } from "./line-counter.js";

/**
 * A small XML reader for bank statements: elements, attributes, text, the five predefined
 * entities and character references, CDATA, comments, processing instructions and a DOCTYPE
 * (skipped: no entity is ever expanded from it, so no entity bombs). Names are kept by local
 * name (`camt:Ntry` and `Ntry` are the same element) because CAMT's namespaces change with
 * every version while the element names do not. Each element records its line for messages.
 *
 * Written for speed on large files: every scan is a native `indexOf`, text is sliced once.
 */
export interface XmlElement {
  /** Local name, without any namespace prefix. */
  readonly name: string;
  /** Attributes by local name; `xmlns` declarations are left out. */
  readonly attributes: Readonly<Record<string, string>>;
  /** Child elements in order; leaves share one empty list until a child arrives. */
  children: XmlElement[];
  /** The element's own text (entities decoded), untrimmed; "" when it has none or only white space. */
  text: string;
  /** 1-based line of the start tag. */
  readonly line: number;
  readonly parent: XmlElement | null;
}

/** Deep enough for any statement (CAMT nests about 12 levels); bounds the stack of open elements. */
const DEPTH_MAX = 256;
const NO_ATTRIBUTES: Readonly<Record<string, string>> = Object.freeze({});
/** Most elements are leaves: one shared (never written) empty list saves an array each. */
const NO_CHILDREN: XmlElement[] = [];
const SLASH = 0x2f;
const BANG = 0x21;
const QUESTION = 0x3f;

/**
 * Parses a whole document and returns its root element.
 *
 * @example parseXml('<a x="1"><b>&amp;</b></a>', "f.xml").children[0]?.text // "&"
 * @throws ImportError `f.xml:3: expected </Amt> but found </Ntry>`, and the like
 */
export function parseXml(
  text: string,
  source: string,
  onClose?: (element: XmlElement) => boolean,
): XmlElement {
  return new XmlParser(text, source, onClose).parse();
}

/**
 * `onClose` sees each element once it is complete; returning true drops it from the tree. A
 * reader that maps each statement entry as it closes keeps memory (and the collector's work)
 * to one entry's elements instead of the whole document's.
 */
export type XmlCloseHandler = (element: XmlElement) => boolean;

class XmlParser {
  #pos = 0;
  readonly #lines: LineCounter;
  readonly #stack: XmlElement[] = [];
  /** Qualified names of the open elements, to check closing tags as written. */
  readonly #qnames: string[] = [];
  #root: XmlElement | null = null;
  /** Qualified names already checked, with their local names: a document repeats a few dozen names. */
  readonly #names = new Map<string, string>();

  constructor(
    readonly text: string,
    readonly source: string,
    readonly onClose: XmlCloseHandler | undefined,
  ) {
    this.#lines = new LineCounter(text);
  }

  #closed(element: XmlElement): void {
    if (this.onClose?.(element) === true) element.parent?.children.pop();
  }

  parse(): XmlElement {
    const text = this.text;
    const length = text.length;
    while (this.#pos < length) {
      const lt = text.indexOf("<", this.#pos);
      const stop = lt === -1 ? length : lt;
      if (stop > this.#pos) this.#characters(this.#pos, stop);
      if (lt === -1) break;
      const next = text.charCodeAt(lt + 1);
      if (next === SLASH) this.#endTag(lt);
      else if (next === BANG) this.#bang(lt);
      else if (next === QUESTION) this.#pos = this.#after("?>", lt + 2, "processing instruction");
      else this.#startTag(lt);
    }
    const open = this.#stack[this.#stack.length - 1];
    if (open !== undefined) throw this.#error(open.line, `<${this.#qnames.at(-1)}> is never closed`);
    if (this.#root === null) throw this.#error(1, "holds no XML element");
    return this.#root;
  }

  #lineAt(offset: number): number {
    return this.#lines.lineAt(offset);
  }

  #error(line: number, problem: string): ImportError {
    return new ImportError({ file: this.source, line }, problem);
  }

  #after(terminator: string, from: number, what: string): number {
    const end = this.text.indexOf(terminator, from);
    if (end === -1) throw this.#error(this.#lineAt(from), `${what} is never closed`);
    return end + terminator.length;
  }

  #characters(from: number, to: number): void {
    // Indentation between elements is most of a document's text and never data.
    if (isBlank(this.text, from, to)) return;
    const top = this.#stack[this.#stack.length - 1];
    if (top === undefined) {
      // A byte-order mark left in the text (a second one, or one after a blank line) is not data.
      if (this.text.slice(from, to).replaceAll("\ufeff", "").trim() === "") return;
      throw this.#error(this.#lineAt(from), "text outside the root element");
    }
    const raw = this.text.slice(from, to);
    const value = raw.includes("&") ? this.#entities(raw, from) : raw;
    top.text = top.text === "" ? value : top.text + value;
  }

  #entities(raw: string, from: number): string {
    return raw.replace(/&([^;&\s]{0,12});?/g, (whole, name: string) => {
      const decoded = whole.endsWith(";") ? entityValue(name) : undefined;
      if (decoded !== undefined) return decoded;
      if (!whole.endsWith(";"))
        throw this.#error(
          this.#lineAt(from),
          `"${whole}" is not an entity (a literal & is written &amp; in XML)`,
        );
      throw this.#error(this.#lineAt(from), `unknown entity ${whole}`);
    });
  }

  #bang(lt: number): void {
    const text = this.text;
    if (text.startsWith("<!--", lt)) {
      this.#pos = this.#after("-->", lt + 4, "comment");
    } else if (text.startsWith("<![CDATA[", lt)) {
      const end = this.#after("]]>", lt + 9, "CDATA section");
      const top = this.#stack[this.#stack.length - 1];
      if (top === undefined) throw this.#error(this.#lineAt(lt), "CDATA outside the root element");
      top.text += text.slice(lt + 9, end - 3);
      this.#pos = end;
    } else if (text.startsWith("<!DOCTYPE", lt) && this.#root === null) {
      const subset = text.indexOf("[", lt);
      const gt = text.indexOf(">", lt);
      const from = subset !== -1 && subset < gt ? this.#after("]", subset, "DOCTYPE") : lt;
      this.#pos = this.#after(">", from, "DOCTYPE");
    } else {
      throw this.#error(this.#lineAt(lt), "unexpected <! markup");
    }
  }

  #startTag(lt: number): void {
    const gt = this.#tagEnd(lt);
    const line = this.#lineAt(lt);
    const selfClosing = this.text.charCodeAt(gt - 1) === SLASH;
    const inner = this.text.slice(lt + 1, selfClosing ? gt - 1 : gt);
    const space = firstSpace(inner);
    const qname = space === -1 ? inner : inner.slice(0, space);
    let name = this.#names.get(qname);
    if (name === undefined) {
      if (!NAME.test(qname)) throw this.#error(line, `"<${qname}" is not a valid element name`);
      name = localName(qname);
      this.#names.set(qname, name);
    }
    const attributes = space === -1 ? NO_ATTRIBUTES : this.#attributes(inner.slice(space), line);
    const parent = this.#stack[this.#stack.length - 1] ?? null;
    if (parent === null && this.#root !== null) throw this.#error(line, "a second root element");
    const element: XmlElement = { name, attributes, children: NO_CHILDREN, text: "", line, parent };
    if (parent === null) this.#root = element;
    else if (parent.children === NO_CHILDREN) parent.children = [element];
    else parent.children.push(element);
    this.#pos = gt + 1;
    if (selfClosing) {
      this.#closed(element);
      return;
    }
    if (this.#stack.length >= DEPTH_MAX) throw this.#error(line, `elements nest deeper than ${DEPTH_MAX}`);
    this.#stack.push(element);
    this.#qnames.push(qname);
  }

  /** The `>` ending a tag, skipping any inside quoted attribute values. */
  #tagEnd(lt: number): number {
    const text = this.text;
    let gt = text.indexOf(">", lt);
    for (;;) {
      if (gt === -1) throw this.#error(this.#lineAt(lt), "a tag is never closed with >");
      if (quotesBalanced(text, lt, gt)) return gt;
      gt = text.indexOf(">", gt + 1);
    }
  }

  #attributes(source: string, line: number): Record<string, string> {
    const attributes: Record<string, string> = {};
    ATTRIBUTE.lastIndex = 0;
    let at = 0;
    for (let m = ATTRIBUTE.exec(source); m !== null; m = ATTRIBUTE.exec(source)) {
      if (m.index !== at) break;
      at = ATTRIBUTE.lastIndex;
      const qname = m[1] ?? "";
      if (qname === "xmlns" || qname.startsWith("xmlns:")) continue;
      const raw = m[3] ?? m[4] ?? "";
      attributes[localName(qname)] = raw.includes("&") ? this.#entities(raw, 0) : raw;
    }
    if (source.slice(at).trim() !== "")
      throw this.#error(line, `malformed attribute "${source.slice(at).trim().slice(0, 30)}"`);
    return attributes;
  }

  #endTag(lt: number): void {
    const gt = this.text.indexOf(">", lt);
    const line = this.#lineAt(lt);
    if (gt === -1) throw this.#error(line, "a closing tag is never closed with >");
    const open = this.#qnames.pop();
    // Compared in place: most closing tags match, and then no string is made.
    const end = lt + 2 + (open?.length ?? 0);
    const matches = open !== undefined && this.text.startsWith(open, lt + 2) && isBlank(this.text, end, gt);
    if (!matches) {
      const qname = this.text.slice(lt + 2, gt).trim();
      if (open === undefined) throw this.#error(line, `</${qname}> closes nothing`);
      throw this.#error(line, `expected </${open}> but found </${qname}>`);
    }
    const element = this.#stack.pop() as XmlElement;
    this.#pos = gt + 1;
    this.#closed(element);
  }
}

const NAME = /^[A-Za-z_][\w.:-]*$/;
const ATTRIBUTE = /\s*([A-Za-z_][\w.:-]*)\s*=\s*("([^"]*)"|'([^']*)')\s*/g;

function firstSpace(text: string): number {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) <= 0x20) return i;
  return -1;
}

/** Whether `text[from, to)` closes every quote it opens (a `>` inside an attribute value is not the tag's end). */
function quotesBalanced(text: string, from: number, to: number): boolean {
  let quote = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (quote === 0 && (c === 0x22 || c === 0x27)) quote = c;
    else if (c === quote) quote = 0;
  }
  return quote === 0;
}

function localName(qname: string): string {
  const colon = qname.indexOf(":");
  return colon === -1 ? qname : qname.slice(colon + 1);
}

const PREDEFINED: Readonly<Record<string, string>> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

/** The text an entity stands for, or undefined when it is not one XML defines. */
export function entityValue(name: string): string | undefined {
  const predefined = PREDEFINED[name];
  if (predefined !== undefined) return predefined;
  if (name.charCodeAt(0) !== 0x23) return undefined;
  const hex = name[1] === "x" || name[1] === "X";
  const digits = name.slice(hex ? 2 : 1);
  if (!(hex ? /^[0-9a-fA-F]{1,6}$/ : /^\d{1,7}$/).test(digits)) return undefined;
  const code = Number.parseInt(digits, hex ? 16 : 10);
  if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff) || code === 0) return undefined;
  return String.fromCodePoint(code);
}

/** The first child named `name`, following further names down: `child(ntry, "BookgDt", "Dt")`. */
export function child(element: XmlElement | undefined, ...names: string[]): XmlElement | undefined {
  let current = element;
  for (const name of names) {
    if (current === undefined) return undefined;
    current = current.children.find((c) => c.name === name);
  }
  return current;
}

/** Every child named `name`. */
export function childrenNamed(element: XmlElement | undefined, name: string): XmlElement[] {
  return element === undefined ? [] : element.children.filter((c) => c.name === name);
}

/** The trimmed text of the element found by `child(...)`, or null when missing or empty. */
export function textAt(element: XmlElement | undefined, ...names: string[]): string | null {
  const found = child(element, ...names);
  if (found === undefined) return null;
  const value = found.text.trim();
  return value === "" ? null : value;
}

/**
 * The element's path from the root, with a 1-based index where it has same-named siblings:
 * `Document/BkToCstmrStmt/Stmt[1]/Ntry[3]/Amt`. Computed only for messages.
 */
export function elementPath(element: XmlElement): string {
  const parts: string[] = [];
  for (let e: XmlElement | null = element; e !== null; e = e.parent) {
    const siblings = e.parent === null ? [e] : e.parent.children.filter((c) => c.name === e?.name);
    const index = siblings.indexOf(e) + 1;
    parts.push(siblings.length > 1 || ALWAYS_INDEXED.has(e.name) ? `${e.name}[${index}]` : e.name);
  }
  return parts.reverse().join("/");
}

/** Elements that repeat by nature: an index on them reads naturally even when there is one. */
const ALWAYS_INDEXED = new Set(["Stmt", "Rpt", "Ntfctn", "Ntry", "TxDtls", "Bal"]);
