import { isAscii, isUtf8 } from "node:buffer";
import { ImportError } from "../errors/index.js";

/** The encodings a person may state with `--encoding`; names as the WHATWG Encoding Standard gives them. */
export const ENCODINGS = ["utf-8", "utf-16le", "utf-16be", "windows-1252", "iso-8859-15"] as const;
export type TextEncodingName = (typeof ENCODINGS)[number];

const ALIASES: Readonly<Record<string, TextEncodingName>> = {
  utf8: "utf-8",
  "utf-8": "utf-8",
  usascii: "utf-8",
  "us-ascii": "utf-8",
  ascii: "utf-8",
  utf16le: "utf-16le",
  "utf-16le": "utf-16le",
  "utf-16": "utf-16le",
  utf16: "utf-16le",
  csunicode: "utf-16le",
  utf16be: "utf-16be",
  "utf-16be": "utf-16be",
  "1252": "windows-1252",
  cp1252: "windows-1252",
  "windows-1252": "windows-1252",
  win1252: "windows-1252",
  latin1: "windows-1252",
  "latin-1": "windows-1252",
  "iso-8859-1": "windows-1252",
  "8859-1": "windows-1252",
  iso88591: "windows-1252",
  none: "windows-1252",
  "iso-8859-15": "iso-8859-15",
  latin9: "iso-8859-15",
};

/**
 * An encoding name as people and file headers write it (`1252`, `CP1252`, `UTF8`, `ISO-8859-1`),
 * or undefined when unknown. ISO-8859-1 reads as windows-1252, as browsers do: the two agree on
 * every printable character and files labelled Latin-1 routinely hold 1252's € and quotes.
 *
 * @example encodingNamed("CP1252") // "windows-1252"
 */
export function encodingNamed(name: string): TextEncodingName | undefined {
  return ALIASES[name.trim().toLowerCase()];
}

/** Bytes turned into text, and how. */
export interface DecodedText {
  readonly text: string;
  readonly encoding: TextEncodingName;
}

/**
 * Decodes a file's bytes. In order: the encoding stated by the caller; a byte-order mark;
 * UTF-16 without a mark (every other byte zero); valid UTF-8; the charset the file declares
 * (OFX `CHARSET:`, XML `encoding=`); else Windows-1252. Valid UTF-8 wins over a declared
 * single-byte charset because banks mislabel UTF-8 exports far more often than a 1252 text
 * happens to be valid UTF-8 (that needs accented capitals followed by exactly the right symbols).
 *
 * @example decodeBytes(Buffer.from([0x43, 0x61, 0x66, 0xe9]), "x.csv").text // "Café" (1252)
 * @throws ImportError when the stated encoding does not fit the bytes (only UTF-8 can fail).
 */
export function decodeBytes(bytes: Uint8Array, source: string, stated?: TextEncodingName): DecodedText {
  if (stated !== undefined) return decodeAs(bytes, stated, source, true);
  const bom = bomOf(bytes);
  if (bom !== undefined) return decodeAs(bytes, bom, source, false);
  const wide = utf16WithoutBom(bytes);
  if (wide !== undefined) return decodeAs(bytes, wide, source, false);
  if (isAscii(bytes)) return { text: latin1Of(bytes), encoding: "utf-8" };
  if (isUtf8(bytes))
    return {
      text: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString("utf8"),
      encoding: "utf-8",
    };
  const declared = declaredCharset(bytes);
  return decodeAs(bytes, declared ?? "windows-1252", source, false);
}

/** ASCII reads the same in every encoding here; latin1 is the fastest decoder for it. */
function latin1Of(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString("latin1");
}

function bomOf(bytes: Uint8Array): TextEncodingName | undefined {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return "utf-8";
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return "utf-16le";
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return "utf-16be";
  return undefined;
}

/** Text of mostly Latin letters in UTF-16 has a zero in every other byte; 64 bytes are enough to tell. */
function utf16WithoutBom(bytes: Uint8Array): TextEncodingName | undefined {
  const n = Math.min(bytes.length, 64) & ~1;
  if (n < 4) return undefined;
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) evenZeros++;
    if (bytes[i + 1] === 0) oddZeros++;
  }
  const pairs = n / 2;
  // Mostly-Latin text: nearly every high byte is zero and almost no low byte is.
  if (oddZeros >= pairs * 0.7 && evenZeros <= pairs * 0.1) return "utf-16le";
  if (evenZeros >= pairs * 0.7 && oddZeros <= pairs * 0.1) return "utf-16be";
  return undefined;
}

const CHARSET = /^CHARSET:\s*([\w.-]+)/m;
const XML_ENCODING = /^<\?xml[^>]*encoding=["']([\w.-]+)["']/;

/** What the file's own header says, read from its ASCII-compatible first bytes. */
function declaredCharset(bytes: Uint8Array): TextEncodingName | undefined {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, 1024)).toString("latin1");
  const name = CHARSET.exec(head)?.[1] ?? XML_ENCODING.exec(head.trimStart())?.[1];
  if (name === undefined) return undefined;
  const known = encodingNamed(name);
  // A header naming UTF-8 over bytes that are not UTF-8 is wrong; 1252 is the likely truth.
  return known === "utf-8" ? undefined : known;
}

/**
 * Windows-1252's 0x80–0x9F (€, curly quotes, dashes, Š, Ž, ...); the other bytes are Latin-1.
 * Decoded by hand because Node 20's TextDecoder("windows-1252") reads these as C1 controls.
 */
const CP1252_HIGH =
  "\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f" +
  "\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178";

function decodeWindows1252(bytes: Uint8Array): string {
  const latin1 = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString("latin1");
  return latin1.replace(/[\u0080-\u009f]/g, (c) => CP1252_HIGH.charAt(c.charCodeAt(0) - 0x80));
}

function decodeAs(
  bytes: Uint8Array,
  encoding: TextEncodingName,
  source: string,
  stated: boolean,
): DecodedText {
  if (encoding === "windows-1252") return { text: decodeWindows1252(bytes), encoding };
  try {
    const text = new TextDecoder(encoding, { fatal: encoding === "utf-8" }).decode(bytes);
    return { text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, encoding };
  } catch (error) {
    const hint = stated ? " (try --encoding windows-1252)" : "";
    throw new ImportError({ file: source }, `is not valid ${encoding}${hint}`, { cause: error });
  }
}
