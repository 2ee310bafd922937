import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importErrorOf } from "../../test/support/import-error.js";
import { checkBalances } from "./balance-check.js";
import { readBankFile } from "./read-file.js";
import type { StatementFile } from "./statement.js";
import { parseStatementBytes, toBankTransactions } from "./statement-file.js";

/**
 * Files from the wild (issue #17): statement files that deviate from their standard in the ways
 * users of other parsers reported (the issue named in each test). Every fixture is written here,
 * by hand, to show the deviation and nothing else. The unambiguous ones are read; the ambiguous
 * ones are refused with a message saying what was found and what was expected.
 */

const read = (text: string, name: string): StatementFile =>
  parseStatementBytes(Buffer.from(text, "utf8"), name);
const refusal = (text: string, name: string): string => importErrorOf(() => read(text, name)).message;
const amounts = (file: StatementFile, statement = 0) =>
  file.statements[statement]?.entries.map((e) => e.amountMinor);

let folder = "";
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), "bankrec-wild-"));
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});
/** Through readBankFile, as `bankrec import` and `reconcile --bank` read a file. */
async function readAsFile(name: string, text: string) {
  const path = join(folder, name);
  await writeFile(path, text);
  return readBankFile(path);
}

// ---------------------------------------------------------------------------------------------
// OFX

const SGML_HEADER = [
  "OFXHEADER:100",
  "DATA:OFXSGML",
  "VERSION:102",
  "SECURITY:NONE",
  "ENCODING:USASCII",
  "CHARSET:1252",
  "COMPRESSION:NONE",
  "OLDFILEUID:NONE",
  "NEWFILEUID:NONE",
];

/** One checking account, January 2025; `transactions` and `after` (balances) as given. */
function ofxBody(
  transactions: string,
  after = "<LEDGERBAL><BALAMT>420.00<DTASOF>20250131</LEDGERBAL>",
): string {
  return [
    "<OFX>",
    "<SIGNONMSGSRSV1><SONRS><STATUS><CODE>0<SEVERITY>INFO</STATUS><DTSERVER>20250201<LANGUAGE>ENG</SONRS></SIGNONMSGSRSV1>",
    "<BANKMSGSRSV1><STMTTRNRS><TRNUID>7<STATUS><CODE>0<SEVERITY>INFO</STATUS>",
    "<STMTRS><CURDEF>USD<BANKACCTFROM><BANKID>026009593<ACCTID>7788<ACCTTYPE>CHECKING</BANKACCTFROM>",
    "<BANKTRANLIST><DTSTART>20250101<DTEND>20250131",
    transactions,
    "</BANKTRANLIST>",
    after,
    "</STMTRS></STMTTRNRS></BANKMSGSRSV1>",
    "</OFX>",
    "",
  ].join("\r\n");
}

function trn(fitid: string, amount: string, name: string, more = ""): string {
  return `<STMTTRN><TRNTYPE>OTHER<DTPOSTED>20250110<TRNAMT>${amount}<FITID>${fitid}<NAME>${name}${more}</STMTTRN>`;
}

const TWO = `${trn("T1", "-12.00", "LUNCH")}\r\n${trn("T2", "30.00", "REFUND")}`;
const sgml = (transactions = TWO) => `${SGML_HEADER.join("\r\n")}\r\n\r\n${ofxBody(transactions)}`;

describe("OFX files from the wild", () => {
  it.each([
    ["blank lines before the header (jseutter/ofxparse#161, #160)", `\r\n\r\n${sgml()}`, "a.qfx"],
    ["a byte-order mark and spaces before OFXHEADER", `\ufeff  \r\n${sgml()}`, "a.ofx"],
    [
      "the header on one line, without line breaks (jseutter/ofxparse#172, csingley/ofxtools#89)",
      `${SGML_HEADER.join("")}${ofxBody(TWO)}`,
      "a.qfx",
    ],
    [
      "a space after each header colon (csingley/ofxtools#61, stoicflame/ofx4j#26)",
      `${SGML_HEADER.map((l) => l.replace(":", ": ")).join("\r\n")}\r\n\r\n${ofxBody(TWO)}`,
      "a.ofx",
    ],
    [
      "no blank line between header and <OFX> (aclindsa/ofxgo#14)",
      `${SGML_HEADER.join("\r\n")}\r\n${ofxBody(TWO)}`,
      "a.qfx",
    ],
    [
      "header lines missing: CHARSET, COMPRESSION (csingley/ofxtools#129, #192)",
      `${SGML_HEADER.filter((l) => !/^(CHARSET|COMPRESSION)/.test(l)).join("\r\n")}\r\n\r\n${ofxBody(TWO)}`,
      "a.ofx",
    ],
    [
      "no OFXHEADER line at all, in a .txt (NickvisionApps/Denaro#794)",
      `DATA:OFXSGML\nENCODING:UTF-8\n${ofxBody(TWO)}`,
      "export.txt",
    ],
    [
      "an XML declaration, then the SGML header inside a comment (kedder/ofxstatement#327)",
      `<?xml version="1.0"?>\n<!--\n${SGML_HEADER.join("\n")}\n-->\n${ofxBody(TWO)}`,
      "a.ofx",
    ],
    [
      'an OFX 2 header that lost its ">" (csingley/ofxtools#47)',
      `<?xml version="1.0" encoding="UTF-8" standalone="no"?><?OFX OFXHEADER="200" VERSION="203" SECURITY="NONE"?${ofxBody(TWO)}`,
      "a.ofx",
    ],
    ["the whole file on one line (monetr/monetr#2429)", sgml().replace(/\r\n/g, ""), "a.ofx"],
    [
      "lowercase tags (csingley/ofxtools#178)",
      sgml().replace(
        /<(\/?)([A-Z.]+)>/g,
        (_, slash: string, name: string) => `<${slash}${name.toLowerCase()}>`,
      ),
      "a.ofx",
    ],
  ])("reads %s", async (_, text, name) => {
    const file = read(text, name);
    expect(file.format).toBe("ofx");
    expect(file.statements[0]).toMatchObject({
      accountId: "7788",
      currency: "USD",
      closing: { amountMinor: 42000 },
    });
    expect(file.statements[0]?.entries.map((e) => [e.bankId, e.amountMinor, e.description])).toEqual([
      ["T1", -1200, "LUNCH"],
      ["T2", 3000, "REFUND"],
    ]);
  });

  it("reads leaves closed or not, mixed in one file, <MEMO/>, empty elements and closing tags on the next line (bradenmacdonald/ofx-js#2, jseutter/ofxparse#167, stoicflame/ofx4j#4, aclindsa/ofxgo#54)", () => {
    const mixed = [
      "<STMTTRN><TRNTYPE>DEBIT</TRNTYPE><DTPOSTED>20250110</DTPOSTED><TRNAMT>-12.00<FITID>T1</FITID><NAME>LUNCH<MEMO/></STMTTRN>",
      "<STMTTRN>",
      "  <TRNTYPE>CREDIT",
      "  </TRNTYPE>",
      "  <DTPOSTED>20250111",
      "  <DTUSER></DTUSER>",
      "  <TRNAMT>30.00</TRNAMT>",
      "  <FITID>T2",
      "  <NAME>REFUND   </NAME>",
      "  <MEMO></MEMO>",
      "</STMTTRN>",
    ].join("\r\n");
    const [s] = read(sgml(mixed), "a.ofx").statements;
    expect(
      s?.entries.map((e) => [e.bankId, e.amountMinor, e.date, e.authorizedDate, e.type, e.description]),
    ).toEqual([
      ["T1", -1200, "2025-01-10", null, "DEBIT", "LUNCH"],
      ["T2", 3000, "2025-01-11", null, "CREDIT", "REFUND"],
    ]);
  });

  it("reads transactions whose </STMTTRN> the bank left out (libofx on nblock/ofxstatement-austrian#3)", () => {
    const open = `${trn("T1", "-12.00", "LUNCH").replace("</STMTTRN>", "")}\r\n${trn("T2", "30.00", "REFUND").replace("</STMTTRN>", "<MEMO>")}`;
    const [s] = read(sgml(open), "a.ofx").statements;
    expect(s?.entries.map((e) => [e.bankId, e.amountMinor, e.description])).toEqual([
      ["T1", -1200, "LUNCH"],
      ["T2", 3000, "REFUND"],
    ]);
  });

  it("reads a <CCSTMTRS> that its bank closes with </STMTRS> (buckets/application#378)", () => {
    const card = ofxBody(TWO)
      .replace("<BANKMSGSRSV1><STMTTRNRS>", "<CREDITCARDMSGSRSV1><CCSTMTTRNRS>")
      .replace("<STMTRS>", "<CCSTMTRS>")
      .replace(
        "<BANKACCTFROM><BANKID>026009593<ACCTID>7788<ACCTTYPE>CHECKING</BANKACCTFROM>",
        "<CCACCTFROM><ACCTID>4111</CCACCTFROM>",
      )
      .replace("</STMTRS></STMTTRNRS></BANKMSGSRSV1>", "</STMTRS></CCSTMTTRNRS></CREDITCARDMSGSRSV1>");
    const [s] = read(`${SGML_HEADER.join("\r\n")}\r\n\r\n${card}`, "card.qfx").statements;
    expect([s?.accountId, s?.accountType, s?.entries.map((e) => e.amountMinor)]).toEqual([
      "4111",
      "CREDITCARD",
      [-1200, 3000],
    ]);
  });

  it("keeps text with a bare &, quotes, unknown entities and a literal < (asgrim/ofxparser#53, #49, stoicflame/ofx4j#63, libofx/libofx#72)", () => {
    const values = [
      trn("T1", "-1.00", "AT&T WIRELESS"),
      trn("T2", "-2.00", "ABM CHANNEL & CARD MANAGEMT", '<MEMO>ref "000/123"'),
      trn("T3", "-3.00", "SHOP &copy; 2025"),
      trn("T4", "-4.00", "A < B &amp; C"),
      trn("T5", "-5.00", "DOUBLE &amp;lt;ENCODED&amp;gt;"),
    ].join("\r\n");
    const [s] = read(sgml(values), "a.ofx").statements;
    expect(s?.entries.map((e) => e.description)).toEqual([
      "AT&T WIRELESS",
      'ABM CHANNEL & CARD MANAGEMT ref "000/123"',
      "SHOP &copy; 2025",
      "A < B & C",
      // One round of decoding, as the standard says; the bank encoded twice (actualbudget/actual#1872).
      "DOUBLE &lt;ENCODED&gt;",
    ]);
  });

  it("reads CDATA sections and HTML markup inside values (csingley/ofxtools#141, libofx/libofx#32)", () => {
    const values = [
      trn("T1", "-1.00", "<![CDATA[AT&T <Mobility>]]>"),
      trn("T2", "-2.00", "AT&T <B>bill</B> paid", "<MEMO>PAYMENT<![CDATA[ & <ref> ]]>7"),
      trn("T3", "-3.00", "WALMART", "<MEMO>Cash out $10.00<BR/>Date 23 Feb<br>Card 99"),
      trn("T4", "-4.00", "<b>BOLD</b> SHOP<I>!</I>"),
    ].join("\r\n");
    const [s] = read(sgml(values), "a.ofx").statements;
    expect(s?.entries.map((e) => e.description)).toEqual([
      "AT&T <Mobility>",
      "AT&T bill paid PAYMENT & <ref> 7",
      "WALMART Cash out $10.00 Date 23 Feb Card 99",
      "BOLD SHOP!",
    ]);
    expect(refusal(sgml(trn("T1", "-1.00", "<![IGNORE[X]]>")), "a.ofx")).toBe(
      'a.ofx:16: marked section "<![IGNORE[" is not read (expected <![CDATA[)',
    );
  });

  it("reads decimal commas, a + sign, leading spaces and grouping with a decimal (jseutter/ofxparse#83, asgrim/ofxparser#44, shuckster/OBIS#6, buckets/application#583)", () => {
    const values = [
      trn("T1", "            -12.80", "A"),
      trn("T2", "           -200,00", "B"),
      trn("T3", "+0,91", "C"),
      trn("T4", "1,650.00", "D"),
      trn("T5", "-1.400,82", "E"),
      trn("T6", "1,650,000", "F"),
      trn("T7", "-0,500", "G"),
    ].join("\r\n");
    expect(amounts(read(sgml(values), "a.ofx"))).toEqual([
      -1280, -20000, 91, 165000, -140082, 165000000, -50,
    ]);
  });

  it("refuses one separator before three digits, which reads as decimals or as thousands", () => {
    expect(refusal(sgml(trn("T1", "1,650", "A")), "a.ofx")).toBe(
      'a.ofx:16: TRNAMT "1,650" is ambiguous: "," before three digits is a decimal separator (1.650) or a thousands separator (1650); expected at most 2 decimals and no grouping',
    );
    expect(refusal(sgml(trn("T1", "-2.500", "A")), "a.ofx")).toMatch(
      /^a\.ofx:16: TRNAMT "-2\.500" is ambiguous: "\." before three digits/,
    );
  });

  it("reads the day as written whatever the time zone (buckets/application#815, stoicflame/ofx4j#30, csingley/ofxtools#114)", () => {
    const dates = [
      "20250110120000.000[-5:EST]",
      "20250110[0:GMT]",
      "20250110120000[-3:BRT]",
      "20250110120000.000[+5.50:IST]",
      "20250110120000.000 GMT",
      "20250110233000[-8]",
      "20250110",
    ];
    const values = dates.map((d, i) => trn(`T${i}`, "-1.00", "X").replace("20250110", d)).join("\r\n");
    const [s] = read(sgml(values), "a.ofx").statements;
    expect(new Set(s?.entries.map((e) => e.date))).toEqual(new Set(["2025-01-10"]));
  });

  it("reads all-zero dates as no date, but refuses one as a posting date (annacruz/ofx#15)", () => {
    const zeros = sgml(trn("T1", "-1.00", "X", "<DTUSER>00000000"))
      .replace("<DTSTART>20250101<DTEND>20250131", "<DTSTART>00000000<DTEND>00000000000000")
      .replace("<DTASOF>20250131", "<DTASOF>00000000");
    const [s] = read(zeros, "a.ofx").statements;
    expect([s?.periodFrom, s?.periodTo, s?.closing, s?.entries[0]?.authorizedDate]).toEqual([
      null,
      null,
      { amountMinor: 42000, currency: "USD", date: null },
      null,
    ]);
    expect(refusal(sgml(trn("T1", "-1.00", "X").replace("20250110", "00000000")), "a.ofx")).toBe(
      'a.ofx:16: DTPOSTED "00000000" is all zeros, not a date (a transaction needs the day it was posted)',
    );
  });

  it("refuses a date with a year and month but no day", () => {
    expect(refusal(sgml(trn("T1", "-1.00", "X").replace("20250110", "202501")), "a.ofx")).toBe(
      'a.ofx:16: DTPOSTED "202501" is not a date: a year and month without a day (expected YYYYMMDD)',
    );
  });

  it("reads an empty BALAMT as no balance (asgrim/ofxparser#58)", () => {
    const empty = `${SGML_HEADER.join("\r\n")}\r\n\r\n${ofxBody(TWO, "<LEDGERBAL><BALAMT><DTASOF>20250131</LEDGERBAL><AVAILBAL><BALAMT></BALAMT><DTASOF>20250131</AVAILBAL>")}`;
    const [s] = read(empty, "a.ofx").statements;
    expect([s?.closing, s?.closingAvailable, s?.entries.length]).toEqual([null, null, 2]);
  });

  it("reads rows with an empty FITID and a file without a sign-on (buckets/application#336, pelaxa/ff3-ofx#5)", async () => {
    const text = sgml(`${trn("", "-5.00", "COFFEE")}\r\n${trn("", "-5.00", "COFFEE")}`).replace(
      /<SIGNONMSGSRSV1>.*<\/SIGNONMSGSRSV1>\r\n/,
      "",
    );
    const feed = await readAsFile("cba.ofx", text);
    expect(feed.transactions.map((t) => t.amountMinor)).toEqual([-500, -500]);
    // Two identical coffees stay two: their keys count them (import-keys.ts).
    expect(new Set(feed.transactions.map((t) => t.id)).size).toBe(2);
  });

  it("says what the bank reported when a file holds no statement, whatever the severity's spelling", () => {
    const refusedByBank = `${SGML_HEADER.join("\r\n")}\r\n\r\n<OFX><SIGNONMSGSRSV1><SONRS><STATUS><CODE>0<SEVERITY>Info</STATUS></SONRS></SIGNONMSGSRSV1><BANKMSGSRSV1><STMTTRNRS><TRNUID>1<STATUS><CODE>2000<SEVERITY>ERROR<MESSAGE>Account unavailable</STATUS></STMTTRNRS></BANKMSGSRSV1></OFX>`;
    expect(refusal(refusedByBank, "a.ofx")).toBe(
      'a.ofx: holds no bank or credit card statement (STMTRS or CCSTMTRS); the bank reports status 2000 ERROR "Account unavailable"',
    );
  });
});

// ---------------------------------------------------------------------------------------------
// MT940 / MT942

/** ABN AMRO's day statement: bank header lines, no :20:, each statement from :25: to "-". */
const NO_20 = [
  "ABNANL2A",
  "940",
  "ABNANL2A",
  ":25:NL02ABNA0123456789",
  ":28:19001/1",
  ":60F:C250303EUR1000,00",
  ":61:2503040304D25,50N426NONREF",
  ":86:/TRTP/SEPA OVERBOEKING/IBAN/NL44RABO0123456789/BIC/RABONL2U/NAME/",
  "P JANSEN/REMI/NOTA 12/EREF/20250304-77",
  "12AB",
  ":62F:C250304EUR974,50",
  ":64:C250304EUR974,50",
  ":65:C250305EUR974,50",
  ":65:C250306EUR974,50",
  ":86:/SUM/1/0/25,50/0,00/",
  "-",
  "ABNANL2A",
  "940",
  "ABNANL2A",
  ":25:NL02ABNA0123456789",
  ":28:19002/1",
  ":60F:C250304EUR974,50",
  ":61:2503050305C100,00N541NONREF",
  ":86:RETOUR SHOP BV 20:44:45",
  "12:30 KASSA 3",
  ":62F:C250305EUR1074,50",
  "-",
].join("\r\n");

/** A German bank's published sample shape: :28:, :NS: fields, balances without currency, no "-". */
const NS_FIELDS = [
  ":20:STARTUMS",
  ":25:10020030/1234567",
  ":28:1/1",
  ":NS:22Musterfirma",
  "23Girokonto",
  ":60F:C250301EUR0,00",
  ":61:2503030303CR500,00N051NONREF",
  ":NS:01Miete Maerz",
  "15Vermieter",
  ":86:166?00GUTSCHRIFT?20Miete Maerz?32VERMIETER GMBH",
  ":61:250303DR20,00N020NONREF",
  ":62M:C250303480,00",
  ":20:STARTUMS",
  ":25:10020030/1234567",
  ":28:1/2",
  ":60M:C250303EUR480,00",
  ":61:250304CR20,00N051NONREF",
  ":62F:C250304500,00",
].join("\n");

describe("MT940 and MT942 files from the wild", () => {
  it("reads statements without :20:, started by :25: after bank header lines, with statement-level :86: after :65: (fruitl00p/php-mt940#46, webschik/mt940-js#12)", async () => {
    const feed = await readAsFile("day.txt", NO_20);
    const file = feed.statementFile as StatementFile;
    expect(file.format).toBe("mt940");
    expect(file.statements.map((s) => [s.id, s.accountId, s.sequence, s.entries.length])).toEqual([
      [null, "NL02ABNA0123456789", "19001/1", 1],
      [null, "NL02ABNA0123456789", "19002/1", 1],
    ]);
    expect(file.statements[0]?.entries[0]).toMatchObject({
      amountMinor: -2550,
      counterparty: "P JANSEN",
      reference: "NOTA 12",
      // The wrap inside the end-to-end id is undone (sandermarechal/jejik-mt940#54).
      endToEndId: "20250304-7712AB",
    });
    // A time in the text, and a continuation line starting with one, stay text (svenstaro/mt940-rs#51).
    expect(file.statements[1]?.entries[0]?.description).toBe("RETOUR SHOP BV 20:44:45 12:30 KASSA 3");
    expect(checkBalances(file).map((c) => c.status)).toEqual(["ok", "ok"]);
  });

  it("reads :NS: fields anywhere, :28: without C, a closing balance without currency and no '-' between messages (wolph/mt940#23, a-fas/mt940js#19)", () => {
    const file = read(NS_FIELDS, "ns.sta");
    expect(
      file.statements.map((s) => [
        s.sequence,
        s.currency,
        s.closing?.amountMinor,
        amounts(file, file.statements.indexOf(s)),
      ]),
    ).toEqual([
      ["1/1", "EUR", 48000, [50000, -2000]],
      ["1/2", "EUR", 50000, [2000]],
    ]);
    // The :NS: between the :61: and its :86: does not cut them apart.
    expect(file.statements[0]?.entries[0]).toMatchObject({
      counterparty: "VERMIETER GMBH",
      reference: "Miete Maerz",
    });
    expect(checkBalances(file).map((c) => c.status)).toEqual(["ok", "ok"]);
  });

  it("refuses a balance without currency when nothing before it names one", () => {
    expect(refusal(NS_FIELDS.replace(":60F:C250301EUR0,00", ":60F:C2503010,00"), "ns.sta")).toBe(
      'ns.sta:6: :60F: "C2503010,00" has no currency and no earlier balance names one (expected D|C, YYMMDD, currency, amount such as C250131EUR1234,56)',
    );
  });

  it("reads a statement that a stray '-' cuts in two (willuhn/hbci4java#43), and refuses one whose balances then repeat", () => {
    const stray = [
      ":20:STARTUMSE",
      ":25:10020030/0001234567",
      ":28C:00001/001",
      ":60M:C250106EUR1,00",
      "-",
      ":61:2501060106CR1,00N062NONREF",
      ":86:166?00GUTSCHRIFT",
      ":62F:C250106EUR2,00",
      "-",
    ].join("\r\n");
    const file = read(stray, "s.sta");
    expect(
      file.statements.map((s) => [s.opening?.amountMinor, s.closing?.amountMinor, s.entries.length]),
    ).toEqual([[100, 200, 1]]);
    expect(refusal(stray.replace(":61:", ":60F:C250106EUR1,00\r\n:61:"), "s.sta")).toBe(
      's.sta:6: :60F: "C250106EUR1,00" is a second opening balance in one statement (expected :20: or :25: before the next statement)',
    );
  });

  it("refuses a statement line before any statement starts", () => {
    expect(
      refusal(":61:250106C1,00NTRFNONREF\n:20:X\n:25:NL02ABNA0123456789\n:60F:C250106EUR0,00\n", "s.sta"),
    ).toBe(
      's.sta:1: :61: "250106C1,00NTRFNONREF" comes before any statement (expected :20: or :25: to start one)',
    );
  });

  it("reads :61: lines as banks write them (wolph/mt940#108, #53, #111, #99, #117, fruitl00p/php-mt940#14)", () => {
    const lines = [
      ":61:250106    D65,00NOVBNL47INGB0001234567", // spaces for the entry date (ASN, Citi)
      ":61:2501060106D 10,00NTRFNONREF", // a space before the amount
      ":61:2501060106DR", // the amount on the next line (Sparkassen)
      "5,00NMSCNONREF//B-3",
      ":61:2501060106DF20,00S   X", // a type padded with spaces (Sberbank)
      ":61:2501060106DR1,NTRFBIPI-dvT1FzfMqvzF5HaU4oetlH7SGRkonU//2025010616391534000", // long reference (GLS)
      ":61:2501060106C2,NMSC341241773/1XXXXX//O/341241774", // a slash in the customer reference
      "Paiement carte", //   and supplementary details
      ":61:250106C0,92FMSCNONREF", // supplementary details past 34 characters (Wise)
      "BALANCE_CASHBACK-510151a4-4ead-46c5-05ab-99b88521063c",
    ];
    const text = [
      ":20:X",
      ":25:NL02ABNA0123456789",
      ":60F:C250105EUR100,00",
      ...lines,
      ":62F:C250106EUR1,92",
      "-",
    ].join("\n");
    const file = read(text, "l.sta");
    const [s] = file.statements;
    expect(s?.entries.map((e) => [e.amountMinor, e.date, e.type, e.reference, e.bankId])).toEqual([
      [-6500, "2025-01-06", "NOVB", "NL47INGB0001234567", null],
      [-1000, "2025-01-06", "NTRF", null, null],
      [-500, "2025-01-06", "NMSC", null, "B-3"],
      [-2000, "2025-01-06", "S", "X", null],
      [-100, "2025-01-06", "NTRF", "BIPI-dvT1FzfMqvzF5HaU4oetlH7SGRkonU", "2025010616391534000"],
      [200, "2025-01-06", "NMSC", "341241773/1XXXXX", "O/341241774"],
      [92, "2025-01-06", "FMSC", null, null],
    ]);
    expect(s?.entries.slice(5).map((e) => e.description)).toEqual([
      "Paiement carte",
      "BALANCE_CASHBACK-510151a4-4ead-46c5-05ab-99b88521063c",
    ]);
    expect(checkBalances(file)[0]?.status).toBe("ok");
  });

  it("reads the same file with CRLF, LF or CR line ends, trailing spaces, blank lines between messages and '-}' or '- ' trailers", () => {
    const message = (n: number, end: string) => [
      `:20:M${n}`,
      ":25:NL02ABNA0123456789   ",
      ":28C:1",
      ":60F:C250106EUR0,00  ",
      ":61:250106C1,00NTRFNONREF  ",
      ":86:X  ",
      ":62F:C250106EUR1,00",
      end,
    ];
    const lines = [...message(1, "-}"), "", "", ...message(2, "-  "), "", ...message(3, "-")];
    const expected = read(lines.join("\r\n"), "a.sta").statements.map((s) => [
      s.id,
      s.closing?.amountMinor,
      s.entries.map((e) => e.amountMinor),
    ]);
    expect(expected).toEqual([
      ["M1", 100, [100]],
      ["M2", 100, [100]],
      ["M3", 100, [100]],
    ]);
    for (const end of ["\n", "\r"])
      expect(
        read(lines.join(end), "a.sta").statements.map((s) => [
          s.id,
          s.closing?.amountMinor,
          s.entries.map((e) => e.amountMinor),
        ]),
      ).toEqual(expected);
  });

  it("reads MT942 summary lines with the message end glued on, floor limits with and without a mark, and a zero sum without count (nemiah/phpFinTS#593, wolph/mt940#31, #63, qoomon/banking-swift-messages-java#78)", () => {
    const mt942 = (floor: string, debits: string, credits: string) =>
      [
        ":20:INTRADAY",
        ":25:PL61109010140000071219812874",
        ":28C:1",
        floor,
        ":13D:2503041200+0100",
        ":61:250304D12,00NTRFNONREF",
        ":86:KAWA",
        ":61:250304ED3,00NTRFNONREF",
        debits,
        credits,
      ].join("\r\n");
    for (const floor of [":34F:PLN0", ":34F:PLND0,\r\n:34F:PLNC0,", ":34F:PLN 999999999999,99"]) {
      const file = read(mt942(floor, ":90D:1PLN12,00   ", ":90C:PLN,00-"), "i.942");
      expect(file.statements[0]).toMatchObject({
        currency: "PLN",
        declaredDebits: { count: 1, totalMinor: 1200, currency: "PLN" },
        declaredCredits: { count: 0, totalMinor: 0 },
      });
      expect(file.statements[0]?.entries.map((e) => [e.amountMinor, e.status])).toEqual([
        [-1200, "booked"],
        [-300, "pending"],
      ]);
      expect(
        checkBalances(file)
          .filter((c) => c.status !== "unchecked")
          .map((c) => c.status),
      ).toEqual(["ok", "ok"]);
    }
    expect(
      read(mt942(":34F:PLN0", ":90D:1PLN12,00-}", ":90C:0PLN0,"), "i.942").statements[0]?.declaredDebits,
    ).toEqual({
      count: 1,
      totalMinor: 1200,
      currency: "PLN",
    });
  });

  it("refuses an MT942 sum of money without its count of entries", () => {
    const text = [
      ":20:INTRADAY",
      ":25:NL02ABNA0123456789",
      ":34F:EUR0,",
      ":61:250304C15,00NTRFNONREF",
      ":90C:EUR15,00",
      "-",
    ].join("\n");
    expect(refusal(text, "i.942")).toBe(
      'i.942:5: :90C: "EUR15,00" has a sum but no count of entries (expected count, currency, sum such as 3EUR120,00)',
    );
  });
});

// ---------------------------------------------------------------------------------------------
// CAMT

function camt(
  namespace: string,
  statement: string,
  declaration = '<?xml version="1.0" encoding="UTF-8"?>',
): string {
  const xmlns = namespace === "" ? "" : ` xmlns="${namespace}"`;
  return `${declaration}\n<Document${xmlns}><BkToCstmrStmt><GrpHdr><MsgId>M1</MsgId><CreDtTm>2025-03-05T08:00:00</CreDtTm></GrpHdr>\n${statement}\n</BkToCstmrStmt></Document>\n`;
}

const bal = (code: string, amount: string, ccy = ' Ccy="CHF"') =>
  `<Bal><Tp><CdOrPrtry><Cd>${code}</Cd></CdOrPrtry></Tp><Amt${ccy}>${amount}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2025-03-04</Dt></Dt></Bal>`;

const ntry = (amount: string, indicator: string, inner = "") =>
  `<Ntry><Amt Ccy="CHF">${amount}</Amt>${indicator}<Sts>BOOK</Sts><BookgDt><Dt>2025-03-04</Dt></BookgDt>${inner}</Ntry>`;

const STMT = `<Stmt><Id>S1</Id><Acct><Id><IBAN>CH9300762011623852957</IBAN></Id><Ccy>CHF</Ccy></Acct>
${bal("OPBD", "100.00")}${bal("CLBD", "90.00")}
${ntry("10.00", "<CdtDbtInd>DBIT</CdtDbtInd>")}
</Stmt>`;

describe("CAMT files from the wild", () => {
  it.each([
    ["no namespace", camt("", STMT)],
    [
      "a mistyped namespace, iso:20023 (kivitendo/kivitendo-erp#645)",
      camt("urn:iso:std:iso:20023:tech:xsd:camt.053.001.08", STMT),
    ],
    ["version .13", camt("urn:iso:std:iso:20022:tech:xsd:camt.053.001.13", STMT)],
    [
      "a byte-order mark, blank lines and an odd declaration before the root",
      `\ufeff\n\n${camt("urn:iso:std:iso:20022:tech:xsd:camt.053.001.02", STMT, "<?xml version='1.0' encoding='UTF8' standalone='yes' ?>")}`,
    ],
    [
      "a second byte-order mark",
      `\ufeff\ufeff${camt("urn:iso:std:iso:20022:tech:xsd:camt.053.001.04", STMT)}`,
    ],
    [
      "a Document inside an envelope with a business application header (prowide/prowide-iso20022#123)",
      `<Envelope><AppHdr xmlns="urn:iso:std:iso:20022:tech:xsd:head.001.001.02"><MsgDefIdr>camt.053.001.08</MsgDefIdr></AppHdr>${camt("urn:iso:std:iso:20022:tech:xsd:camt.053.001.08", STMT, "")}</Envelope>`,
    ],
  ])("reads a camt.053 with %s", async (_, text) => {
    const feed = await readAsFile("stmt.xml", text);
    const file = feed.statementFile as StatementFile;
    expect(file.format).toBe("camt");
    expect(file.statements[0]).toMatchObject({ accountId: "CH9300762011623852957", currency: "CHF" });
    expect(amounts(file)).toEqual([-1000]);
    expect(checkBalances(file)[0]?.status).toBe("ok");
  });

  it("reads a camt.054 with no account currency and no balance, the currency from its entries (OCA/bank-statement-import#387)", () => {
    const text = `<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.04"><BkToCstmrDbtCdtNtfctn><GrpHdr><MsgId>N</MsgId><CreDtTm>2025-03-04T10:00:00</CreDtTm></GrpHdr><Ntfctn><Id>N1</Id>
<Acct><Id><IBAN>CH9300762011623852957</IBAN></Id></Acct>${ntry("25.00", "<CdtDbtInd>CRDT</CdtDbtInd>")}</Ntfctn></BkToCstmrDbtCdtNtfctn></Document>`;
    const file = read(text, "n.xml");
    expect(file.statements[0]).toMatchObject({ currency: "CHF", opening: null });
    expect(file.statements[0]?.entries[0]).toMatchObject({ amountMinor: 2500, currency: "CHF" });
  });

  it("reads a balance without Ccy in the account's currency, and refuses one when nothing names the currency", () => {
    const noCcy = STMT.replace(bal("OPBD", "100.00"), bal("OPBD", "100.00", ""));
    expect(read(camt("", noCcy), "s.xml").statements[0]?.opening).toEqual({
      amountMinor: 10000,
      currency: "CHF",
      date: "2025-03-04",
    });
    const nothing = `<Stmt><Id>S1</Id><Acct><Id><IBAN>CH9300762011623852957</IBAN></Id></Acct>${bal("OPBD", "100.00", "")}</Stmt>`;
    expect(refusal(camt("", nothing), "s.xml")).toBe(
      "s.xml:3 (Document/BkToCstmrStmt/Stmt[1]/Bal[1]/Amt): expected a Ccy attribute (neither the account nor any other amount names the currency)",
    );
  });

  it("reads details without their own indicator, and amount details in two currencies (viafintech/camt_parser#72, #25)", () => {
    const details = `<NtryDtls>
<TxDtls><Refs><EndToEndId>E-1</EndToEndId></Refs><AmtDtls><InstdAmt><Amt Ccy="DKK">37.30</Amt></InstdAmt><TxAmt><Amt Ccy="CHF">4.00</Amt></TxAmt><CntrValAmt><Amt Ccy="DKK">37.30</Amt></CntrValAmt></AmtDtls></TxDtls>
<TxDtls><Refs><EndToEndId>E-2</EndToEndId></Refs><Amt Ccy="CHF">6.00</Amt></TxDtls>
</NtryDtls>`;
    const stmt = STMT.replace(
      ntry("10.00", "<CdtDbtInd>DBIT</CdtDbtInd>"),
      ntry("10.00", "<CdtDbtInd>DBIT</CdtDbtInd>", details),
    );
    const entry = read(camt("", stmt), "s.xml").statements[0]?.entries[0];
    expect(entry?.details.map((d) => [d.endToEndId, d.amountMinor, d.currency])).toEqual([
      ["E-1", -400, "CHF"],
      ["E-2", -600, "CHF"],
    ]);
  });

  it("reads dates with an offset and date-times where a date belongs (robocode13/lib-fints#20)", () => {
    const stmt = STMT.replace(
      "<BookgDt><Dt>2025-03-04</Dt></BookgDt>",
      "<BookgDt><Dt>2025-03-04+01:00</Dt></BookgDt><ValDt><Dt>2025-03-05T00:00:00</Dt></ValDt>",
    );
    expect(read(camt("", stmt), "s.xml").statements[0]?.entries[0]).toMatchObject({
      date: "2025-03-04",
      valueDate: "2025-03-05",
    });
  });

  it("refuses an entry without CdtDbtInd: the direction of the money is unknown", () => {
    const stmt = STMT.replace("<CdtDbtInd>DBIT</CdtDbtInd><Sts>", "<Sts>");
    expect(refusal(camt("", stmt), "s.xml")).toBe(
      "s.xml:5 (Document/BkToCstmrStmt/Stmt[1]/Ntry[1]): expected a <CdtDbtInd> element (CRDT or DBIT): without it the direction of the money is unknown",
    );
  });

  it("refuses a bare & in XML text, saying how XML writes one", () => {
    const stmt = STMT.replace("<Id>S1</Id>", "<Id>S1</Id><AddtlStmtInf>Smith & Co</AddtlStmtInf>");
    expect(refusal(camt("", stmt), "s.xml")).toBe(
      's.xml:3: "&" is not an entity (a literal & is written &amp; in XML)',
    );
  });
});

describe("the same rows whichever way a file is written", () => {
  it("gives the same transactions for an OFX read with and without its quirks", () => {
    const plain = toBankTransactions(read(sgml(), "a.ofx"));
    const quirky = toBankTransactions(
      read(
        `\ufeff\r\n${SGML_HEADER.join("")}${ofxBody(
          TWO.replace(/<\/STMTTRN>/g, "").replace("LUNCH", "<![cdata[LUNCH]]>"),
        ).replace(
          /<(\/?)([A-Z.]+)>/g,
          (_, slash: string, name: string) => `<${slash}${name.toLowerCase()}>`,
        )}`,
        "a.ofx",
      ),
    );
    expect(quirky.map((t) => [t.id, t.amountMinor, t.date, t.name])).toEqual(
      plain.map((t) => [t.id, t.amountMinor, t.date, t.name]),
    );
  });
});
