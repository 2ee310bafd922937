import { describe, expect, it } from "vitest";
import { importErrorOf } from "../../test/support/import-error.js";
import { parseOfx } from "./ofx.js";
import { parseStatementBytes } from "./statement-file.js";

const SGML_HEADER =
  "OFXHEADER:100\r\nDATA:OFXSGML\r\nVERSION:102\r\nSECURITY:NONE\r\nENCODING:USASCII\r\nCHARSET:1252\r\nCOMPRESSION:NONE\r\nOLDFILEUID:NONE\r\nNEWFILEUID:NONE\r\n\r\n";

function sgml(body: string): string {
  return `${SGML_HEADER}<OFX>\r\n${body}\r\n</OFX>\r\n`;
}

const BANK = `<BANKMSGSRSV1><STMTTRNRS><TRNUID>1<STMTRS><CURDEF>USD
<BANKACCTFROM><BANKID>121000248<ACCTID>000123<ACCTTYPE>CHECKING</BANKACCTFROM>
<BANKTRANLIST><DTSTART>20250101<DTEND>20250131
<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20250103120000.000[-5:EST]<DTUSER>20250102<TRNAMT>-12.50<FITID>F1<NAME>COFFEE &amp; CO<MEMO></STMTTRN>
<STMTTRN><TRNTYPE>CHECK<DTPOSTED>20250110<TRNAMT>-250.00<FITID>F2<CHECKNUM>1042<REFNUM>INV-7<PAYEE><NAME>ACME LLC</PAYEE></STMTTRN>
<STMTTRN><TRNTYPE>CREDIT<DTPOSTED>20250115<TRNAMT>+1000<FITID>F3<NAME>PAYROLL AT&T<MEMO>JANUARY</STMTTRN>
</BANKTRANLIST><LEDGERBAL><BALAMT>737.50<DTASOF>20250131</LEDGERBAL><AVAILBAL><BALAMT>700.00<DTASOF>20250131</AVAILBAL>
</STMTRS></STMTTRNRS></BANKMSGSRSV1>`;

const CARD = `<CREDITCARDMSGSRSV1><CCSTMTTRNRS><TRNUID>2<CCSTMTRS><CURDEF>EUR<CCACCTFROM><ACCTID>4111</CCACCTFROM>
<BANKTRANLIST><DTSTART>20250101<DTEND>20250131<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20250105<TRNAMT>-9,99<FITID>C1<NAME>BOOKS</STMTTRN></BANKTRANLIST>
<LEDGERBAL><BALAMT>-9.99<DTASOF>20250131</LEDGERBAL></CCSTMTRS></CCSTMTTRNRS></CREDITCARDMSGSRSV1>`;

describe("parseOfx", () => {
  it("reads SGML with unclosed leaves: amounts, dates, ids, names, check numbers and balances", () => {
    const [s] = parseOfx(sgml(BANK), "a.ofx", { currency: "GBP" });
    expect(s).toMatchObject({
      accountId: "000123",
      bankCode: "121000248",
      accountType: "CHECKING",
      currency: "USD",
      periodFrom: "2025-01-01",
      periodTo: "2025-01-31",
      opening: null,
      closing: { amountMinor: 73750, currency: "USD", date: "2025-01-31" },
      closingAvailable: { amountMinor: 70000 },
    });
    expect(s?.entries.map((e) => [e.amountMinor, e.date, e.bankId, e.description])).toEqual([
      [-1250, "2025-01-03", "F1", "COFFEE & CO"],
      [-25000, "2025-01-10", "F2", "ACME LLC"],
      [100000, "2025-01-15", "F3", "PAYROLL AT&T JANUARY"],
    ]);
    expect(s?.entries[0]).toMatchObject({ authorizedDate: "2025-01-02", type: "DEBIT", line: 15 });
    expect(s?.entries[1]).toMatchObject({
      checkNumber: "1042",
      reference: "INV-7",
      counterparty: "ACME LLC",
    });
  });

  it("reads several accounts in one file, bank and credit card, with a decimal comma", () => {
    const statements = parseOfx(sgml(`${BANK}\n${CARD}`), "a.ofx", { currency: "USD" });
    expect(statements.map((s) => [s.accountId, s.accountType, s.currency, s.entries.length])).toEqual([
      ["000123", "CHECKING", "USD", 3],
      ["4111", "CREDITCARD", "EUR", 1],
    ]);
    expect(statements[1]?.entries[0]?.amountMinor).toBe(-999);
  });

  it("reads the same statement on one line, and as OFX 2 XML with every element closed", () => {
    const inline = parseOfx(sgml(BANK).replace(/\r?\n/g, ""), "a.ofx", { currency: "USD" });
    const xmlBody = BANK.replace(/<(\w+)>([^<\n]+)/g, "<$1>$2</$1>").replace("<MEMO>", "<MEMO/>");
    const xml = parseOfx(
      `<?xml version="1.0" encoding="UTF-8"?>\n<?OFX OFXHEADER="200" VERSION="220"?>\n<OFX>${xmlBody}</OFX>`,
      "a.ofx",
      { currency: "USD" },
    );
    const sgmlEntries = parseOfx(sgml(BANK), "a.ofx", { currency: "USD" })[0]?.entries.map(
      (e) => e.amountMinor,
    );
    expect(inline[0]?.entries.map((e) => e.amountMinor)).toEqual(sgmlEntries);
    expect(xml[0]?.entries.map((e) => [e.amountMinor, e.description])).toEqual(
      parseOfx(sgml(BANK), "a.ofx", { currency: "USD" })[0]?.entries.map((e) => [
        e.amountMinor,
        e.description,
      ]),
    );
    expect(inline[0]?.entries.every((e) => e.line === 1)).toBe(true);
  });

  it("decodes a Windows-1252 file as its CHARSET header says", () => {
    const text = sgml(BANK.replace("COFFEE &amp; CO", "CAFÉ — €5"));
    const bytes = Buffer.from(
      new Uint8Array(
        [...text].map((c) => (c === "É" ? 0xc9 : c === "—" ? 0x97 : c === "€" ? 0x80 : c.charCodeAt(0))),
      ),
    );
    const file = parseStatementBytes(bytes, "a.qfx");
    expect(file).toMatchObject({ format: "ofx", encoding: "windows-1252" });
    expect(file.statements[0]?.entries[0]?.description).toBe("CAFÉ — €5");
  });

  it("names the line and the value of an amount that is not a number", () => {
    const error = importErrorOf(() =>
      parseOfx(sgml(BANK.replace("-250.00", "-25O.00")), "a.ofx", { currency: "USD" }),
    );
    expect(error.message).toBe('a.ofx:16: TRNAMT "-25O.00" is not a number');
  });

  it("rejects a truncated file, stray and missing closing tags, a missing amount and a file with no statement", () => {
    const truncated = sgml(BANK).slice(0, sgml(BANK).indexOf("</BANKTRANLIST>"));
    expect(importErrorOf(() => parseOfx(truncated, "a.ofx", { currency: "USD" })).message).toMatch(
      /^a\.ofx:\d+: <BANKTRANLIST> is never closed$/,
    );
    expect(
      importErrorOf(() => parseOfx(sgml(`${BANK}</STMTRS>`), "a.ofx", { currency: "USD" })).message,
    ).toMatch(/<\/STMTRS> closes nothing open/);
    // A transaction left open is closed by its list (wild-files.test.ts); an aggregate inside it is not.
    const unclosed = sgml(BANK.replace("<NAME>ACME LLC</PAYEE>", "<NAME>ACME LLC"));
    expect(importErrorOf(() => parseOfx(unclosed, "a.ofx", { currency: "USD" })).message).toBe(
      "a.ofx:16: <PAYEE> is never closed (found </STMTTRN> at line 16)",
    );
    expect(
      importErrorOf(() => parseOfx(sgml(BANK.replace("<TRNAMT>-12.50", "")), "a.ofx", { currency: "USD" }))
        .message,
    ).toBe("a.ofx:15: <STMTTRN> has no TRNAMT");
    expect(
      importErrorOf(() => parseOfx(sgml("<SIGNONMSGSRSV1></SIGNONMSGSRSV1>"), "a.ofx", { currency: "USD" }))
        .message,
    ).toBe("a.ofx: holds no bank or credit card statement (STMTRS or CCSTMTRS)");
    expect(
      importErrorOf(() => parseOfx(sgml(BANK.replace("20250110", "20251310")), "a.ofx", { currency: "USD" }))
        .message,
    ).toBe('a.ofx:16: DTPOSTED "20251310" is not a date');
  });
});
