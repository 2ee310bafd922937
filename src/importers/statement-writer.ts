import { currencyExponent, formatAmountPlain } from "../money/index.js";

/**
 * Writes simple statements out as OFX, CAMT.053, MT940 or bank CSV: test data for the readers
 * (property tests parse them back) and the throughput benchmark, and a way to hand a statement
 * to tools that only read these formats. Only what every reader needs is written: account,
 * currency, balances, and per entry amount, dates, description and bank id.
 */
export interface WritableEntry {
  /** Minor units, natural sign. */
  readonly amountMinor: number;
  readonly date: string;
  readonly description: string;
  readonly bankId: string | null;
  /** OFX only: the TRNTYPE (default DEBIT or CREDIT by the sign). */
  readonly type?: string;
}

export interface WritableStatement {
  readonly accountId: string;
  readonly currency: string;
  readonly openingMinor: number;
  readonly fromDate: string;
  readonly toDate: string;
  readonly entries: readonly WritableEntry[];
}

const closingOf = (s: WritableStatement) => s.entries.reduce((sum, e) => sum + e.amountMinor, s.openingMinor);
const compact = (date: string) => date.replaceAll("-", "");

function xmlEscape(text: string): string {
  return text.replace(/[&<>"]/g, (c) =>
    c === "&" ? "&amp;" : c === "<" ? "&lt;" : c === ">" ? "&gt;" : "&quot;",
  );
}

export type OfxStyle = "sgml" | "xml" | "inline";

/**
 * OFX 1.02 SGML (leaves unclosed, CRLF), OFX 2.x XML, or SGML on a single line as some banks send it.
 *
 * @example writeOfx([{ accountId: "1", currency: "USD", openingMinor: 0, fromDate: "2025-01-01", toDate: "2025-01-31", entries: [] }])
 */
export function writeOfx(statements: readonly WritableStatement[], style: OfxStyle = "sgml"): string {
  const leaf = (name: string, value: string) =>
    style === "xml" ? `<${name}>${xmlEscape(value)}</${name}>` : `<${name}>${xmlEscape(value)}`;
  const parts: string[] = [];
  parts.push(
    style === "xml"
      ? '<?xml version="1.0" encoding="UTF-8"?>\n<?OFX OFXHEADER="200" VERSION="211" SECURITY="NONE" OLDFILEUID="NONE" NEWFILEUID="NONE"?>\n'
      : "OFXHEADER:100\r\nDATA:OFXSGML\r\nVERSION:102\r\nSECURITY:NONE\r\nENCODING:UTF-8\r\nCHARSET:NONE\r\nCOMPRESSION:NONE\r\nOLDFILEUID:NONE\r\nNEWFILEUID:NONE\r\n\r\n",
  );
  const body: string[] = ["<OFX>", "<BANKMSGSRSV1>"];
  statements.forEach((s, i) => {
    body.push("<STMTTRNRS>", leaf("TRNUID", String(i + 1)), "<STMTRS>", leaf("CURDEF", s.currency));
    body.push(
      "<BANKACCTFROM>",
      leaf("BANKID", "000000000"),
      leaf("ACCTID", s.accountId),
      leaf("ACCTTYPE", "CHECKING"),
      "</BANKACCTFROM>",
    );
    body.push("<BANKTRANLIST>", leaf("DTSTART", compact(s.fromDate)), leaf("DTEND", compact(s.toDate)));
    for (const e of s.entries) {
      body.push(
        "<STMTTRN>",
        leaf("TRNTYPE", e.type ?? (e.amountMinor < 0 ? "DEBIT" : "CREDIT")),
        leaf("DTPOSTED", `${compact(e.date)}120000.000[-5:EST]`),
        leaf("TRNAMT", formatAmountPlain(e.amountMinor, s.currency)),
      );
      if (e.bankId !== null) body.push(leaf("FITID", e.bankId));
      body.push(leaf("NAME", e.description), "</STMTTRN>");
    }
    body.push("</BANKTRANLIST>");
    body.push(
      "<LEDGERBAL>",
      leaf("BALAMT", formatAmountPlain(closingOf(s), s.currency)),
      leaf("DTASOF", compact(s.toDate)),
      "</LEDGERBAL>",
    );
    body.push("</STMTRS>", "</STMTTRNRS>");
  });
  body.push("</BANKMSGSRSV1>", "</OFX>");
  parts.push(
    body.join(style === "inline" ? "" : style === "xml" ? "\n" : "\r\n"),
    style === "inline" ? "" : "\n",
  );
  return parts.join("");
}

/** camt.053 in version `001.02` (status as text) or `001.08` (status as `Sts/Cd`). */
export function writeCamt(
  statements: readonly WritableStatement[],
  version: "02" | "04" | "08" = "02",
): string {
  const out: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.${version}">`,
    "<BkToCstmrStmt><GrpHdr><MsgId>MSG1</MsgId><CreDtTm>2025-01-01T00:00:00</CreDtTm></GrpHdr>",
  ];
  const amount = (minor: number, currency: string) =>
    `<Amt Ccy="${currency}">${formatAmountPlain(Math.abs(minor), currency)}</Amt><CdtDbtInd>${minor < 0 ? "DBIT" : "CRDT"}</CdtDbtInd>`;
  const balance = (code: string, minor: number, currency: string, date: string) =>
    `<Bal><Tp><CdOrPrtry><Cd>${code}</Cd></CdOrPrtry></Tp>${amount(minor, currency)}<Dt><Dt>${date}</Dt></Dt></Bal>`;
  statements.forEach((s, i) => {
    out.push(`<Stmt><Id>STMT${i + 1}</Id><ElctrncSeqNb>${i + 1}</ElctrncSeqNb>`);
    out.push(`<Acct><Id><IBAN>${xmlEscape(s.accountId)}</IBAN></Id><Ccy>${s.currency}</Ccy></Acct>`);
    out.push(
      balance("OPBD", s.openingMinor, s.currency, s.fromDate),
      balance("CLBD", closingOf(s), s.currency, s.toDate),
    );
    for (const e of s.entries) {
      const status = version === "08" ? "<Sts><Cd>BOOK</Cd></Sts>" : "<Sts>BOOK</Sts>";
      const ref = e.bankId === null ? "" : `<AcctSvcrRef>${xmlEscape(e.bankId)}</AcctSvcrRef>`;
      out.push(
        `<Ntry>${amount(e.amountMinor, s.currency)}${status}<BookgDt><Dt>${e.date}</Dt></BookgDt><ValDt><Dt>${e.date}</Dt></ValDt>${ref}`,
        `<NtryDtls><TxDtls><RmtInf><Ustrd>${xmlEscape(e.description)}</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>`,
      );
    }
    out.push("</Stmt>");
  });
  out.push("</BkToCstmrStmt>", "</Document>", "");
  return out.join("\n");
}

function swiftAmount(minor: number, currency: string): string {
  const exponent = currencyExponent(currency);
  const digits = Math.abs(minor)
    .toString()
    .padStart(exponent + 1, "0");
  return `${digits.slice(0, digits.length - exponent)},${digits.slice(digits.length - exponent)}`;
}

const yymmdd = (date: string) => compact(date).slice(2);

/** Words wrapped at 65 characters, as `:86:` lines are. */
function wrap(text: string, width = 65): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line !== "" && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === "" ? word : `${line} ${word}`;
  }
  if (line !== "") lines.push(line);
  return lines;
}

/** MT940 with CRLF line ends, one message per statement, optionally in SWIFT blocks. */
export function writeMt940(statements: readonly WritableStatement[], blocks = false): string {
  const out: string[] = [];
  statements.forEach((s, i) => {
    const balance = (tag: string, minor: number, date: string) =>
      `:${tag}:${minor < 0 ? "D" : "C"}${yymmdd(date)}${s.currency}${swiftAmount(minor, s.currency)}`;
    if (blocks)
      out.push("{1:F01BANKDEFFAXXX0000000000}{2:O9400000000000BANKDEFFAXXX00000000000000000000N}{4:");
    out.push(
      `:20:STMT${i + 1}`,
      `:25:${s.accountId}`,
      `:28C:${i + 1}/1`,
      balance("60F", s.openingMinor, s.fromDate),
    );
    for (const e of s.entries) {
      const ref = e.bankId === null ? "NONREF" : `NONREF//${e.bankId}`;
      out.push(
        `:61:${yymmdd(e.date)}${compact(e.date).slice(4)}${e.amountMinor < 0 ? "D" : "C"}${swiftAmount(e.amountMinor, s.currency)}NTRF${ref}`,
      );
      const lines = wrap(e.description);
      if (lines.length > 0) out.push(`:86:${lines[0]}`, ...lines.slice(1));
    }
    out.push(balance("62F", closingOf(s), s.toDate));
    out.push(blocks ? "-}" : "-");
  });
  return `${out.join("\r\n")}\r\n`;
}

export type CsvLayout = "generic" | "eu-semicolon" | "debit-credit";

function csvField(value: string, delimiter: string): string {
  return /["\r\n]/.test(value) || value.includes(delimiter) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** A bank CSV export in one of the preset layouts; one file holds one account. */
export function writeBankCsv(statement: WritableStatement, layout: CsvLayout = "generic"): string {
  const s = statement;
  const rows: string[][] = [];
  let balance = s.openingMinor;
  if (layout === "generic") rows.push(["Date", "Description", "Amount", "Currency", "Id", "Balance"]);
  if (layout === "debit-credit") rows.push(["Date", "Description", "Debit", "Credit", "Balance"]);
  if (layout === "eu-semicolon")
    rows.push(["Buchungstag", "Valutadatum", "Verwendungszweck", "Betrag", "Währung", "Saldo"]);
  const euro = (minor: number) => formatAmountPlain(minor, s.currency).replace(".", ",");
  for (const e of s.entries) {
    balance += e.amountMinor;
    const plain = (minor: number) => formatAmountPlain(minor, s.currency);
    if (layout === "generic")
      rows.push([e.date, e.description, plain(e.amountMinor), s.currency, e.bankId ?? "", plain(balance)]);
    else if (layout === "debit-credit")
      rows.push([
        `${e.date.slice(5, 7)}/${e.date.slice(8)}/${e.date.slice(0, 4)}`,
        e.description,
        e.amountMinor < 0 ? plain(-e.amountMinor) : "",
        e.amountMinor >= 0 ? plain(e.amountMinor) : "",
        plain(balance),
      ]);
    else {
      const d = `${e.date.slice(8)}.${e.date.slice(5, 7)}.${e.date.slice(0, 4)}`;
      rows.push([d, d, e.description, euro(e.amountMinor), s.currency, euro(balance)]);
    }
  }
  const delimiter = layout === "eu-semicolon" ? ";" : ",";
  return `${rows.map((r) => r.map((f) => csvField(f, delimiter)).join(delimiter)).join("\r\n")}\r\n`;
}
