import { describe, expect, it } from "vitest";
import { importErrorOf } from "../../test/support/import-error.js";
import { checkBalances } from "./balance-check.js";
import { parseCamt } from "./camt.js";

const bal = (code: string, amount: string, ind: string, date: string) =>
  `<c:Bal><c:Tp><c:CdOrPrtry><c:Cd>${code}</c:Cd></c:CdOrPrtry></c:Tp><c:Amt Ccy="EUR">${amount}</c:Amt><c:CdtDbtInd>${ind}</c:CdtDbtInd><c:Dt><c:Dt>${date}</c:Dt></c:Dt></c:Bal>`;

/** camt.053.001.08 with a namespace prefix: two statements, a batch, a pending row, DtTm dates. */
const V08 = `<?xml version="1.0" encoding="UTF-8"?>
<!-- exported by a bank -->
<c:Document xmlns:c="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08">
<c:BkToCstmrStmt>
<c:GrpHdr><c:MsgId>M1</c:MsgId></c:GrpHdr>
<c:Stmt>
<c:Id>S1</c:Id><c:ElctrncSeqNb>7</c:ElctrncSeqNb>
<c:Acct><c:Id><c:IBAN>DE89370400440532013000</c:IBAN></c:Id><c:Ccy>EUR</c:Ccy></c:Acct>
${bal("PRCD", "1000.00", "CRDT", "2025-01-31")}
${bal("CLBD", "205.00", "CRDT", "2025-02-01")}
<c:Ntry>
<c:NtryRef>1</c:NtryRef><c:Amt Ccy="EUR">1500.00</c:Amt><c:CdtDbtInd>DBIT</c:CdtDbtInd>
<c:Sts><c:Cd>BOOK</c:Cd></c:Sts><c:BookgDt><c:DtTm>2025-02-01T09:30:00+01:00</c:DtTm></c:BookgDt><c:ValDt><c:Dt>2025-02-02</c:Dt></c:ValDt>
<c:AcctSvcrRef>REF-BATCH-1</c:AcctSvcrRef>
<c:BkTxCd><c:Domn><c:Cd>PMNT</c:Cd><c:Fmly><c:Cd>ICDT</c:Cd><c:SubFmlyCd>ESCT</c:SubFmlyCd></c:Fmly></c:Domn></c:BkTxCd>
<c:NtryDtls><c:Btch><c:NbOfTxs>2</c:NbOfTxs></c:Btch>
<c:TxDtls><c:Refs><c:EndToEndId>E2E-1</c:EndToEndId></c:Refs><c:Amt Ccy="EUR">1000.00</c:Amt><c:CdtDbtInd>DBIT</c:CdtDbtInd>
<c:RltdPties><c:Cdtr><c:Pty><c:Nm>Alice &amp; Co</c:Nm></c:Pty></c:Cdtr><c:CdtrAcct><c:Id><c:IBAN>FR7630006000011234567890189</c:IBAN></c:Id></c:CdtrAcct></c:RltdPties>
<c:RmtInf><c:Strd><c:CdtrRefInf><c:Ref>RF18539007547034</c:Ref></c:CdtrRefInf></c:Strd></c:RmtInf></c:TxDtls>
<c:TxDtls><c:Refs><c:EndToEndId>E2E-2</c:EndToEndId></c:Refs><c:Amt Ccy="EUR">500.00</c:Amt><c:CdtDbtInd>DBIT</c:CdtDbtInd>
<c:RltdPties><c:Cdtr><c:Pty><c:Nm>Bob</c:Nm></c:Pty></c:Cdtr></c:RltdPties>
<c:RmtInf><c:Ustrd><![CDATA[Invoice <42>]]></c:Ustrd></c:RmtInf></c:TxDtls>
</c:NtryDtls>
<c:AddtlNtryInf>SEPA batch payroll</c:AddtlNtryInf>
</c:Ntry>
<c:Ntry><c:Amt Ccy="EUR">705.00</c:Amt><c:CdtDbtInd>CRDT</c:CdtDbtInd><c:Sts><c:Cd>BOOK</c:Cd></c:Sts>
<c:BookgDt><c:Dt>2025-02-01</c:Dt></c:BookgDt><c:AcctSvcrRef>NOTPROVIDED</c:AcctSvcrRef>
<c:NtryDtls><c:TxDtls><c:Refs><c:EndToEndId>NOTPROVIDED</c:EndToEndId></c:Refs>
<c:RltdPties><c:Dbtr><c:Pty><c:Nm>Customer GmbH</c:Nm></c:Pty></c:Dbtr><c:Cdtr><c:Pty><c:Nm>Us</c:Nm></c:Pty></c:Cdtr></c:RltdPties>
<c:RmtInf><c:Ustrd>INV-1001</c:Ustrd><c:Ustrd>INV-1002</c:Ustrd></c:RmtInf></c:TxDtls></c:NtryDtls>
</c:Ntry>
<c:Ntry><c:Amt Ccy="EUR">99.00</c:Amt><c:CdtDbtInd>DBIT</c:CdtDbtInd><c:Sts><c:Cd>PDNG</c:Cd></c:Sts><c:ValDt><c:Dt>2025-02-03</c:Dt></c:ValDt></c:Ntry>
</c:Stmt>
<c:Stmt>
<c:Id>S2</c:Id><c:Acct><c:Id><c:Othr><c:Id>12345678</c:Id></c:Othr></c:Id><c:Ccy>EUR</c:Ccy></c:Acct>
${bal("OPBD", "10.00", "DBIT", "2025-02-01")}
${bal("CLBD", "5.00", "CRDT", "2025-02-01")}
<c:Ntry><c:Amt Ccy="EUR">15.00</c:Amt><c:CdtDbtInd>CRDT</c:CdtDbtInd><c:Sts><c:Cd>BOOK</c:Cd></c:Sts><c:BookgDt><c:Dt>2025-02-01</c:Dt></c:BookgDt></c:Ntry>
</c:Stmt>
</c:BkToCstmrStmt>
</c:Document>
`;

describe("parseCamt", () => {
  it("reads several statements of a prefixed camt.053.001.08 with balances by type", () => {
    const statements = parseCamt(V08, "s.xml", { currency: "USD" });
    expect(
      statements.map((s) => [s.id, s.sequence, s.accountId, s.iban, s.currency, s.entries.length]),
    ).toEqual([
      ["S1", "7", "DE89370400440532013000", "DE89370400440532013000", "EUR", 3],
      ["S2", null, "12345678", null, "EUR", 1],
    ]);
    expect(statements[0]?.opening).toEqual({ amountMinor: 100000, currency: "EUR", date: "2025-01-31" });
    expect(statements[1]?.opening).toEqual({ amountMinor: -1000, currency: "EUR", date: "2025-02-01" });
    expect(
      checkBalances({ file: "s.xml", format: "camt", encoding: "utf-8", statements }).map((c) => c.status),
    ).toEqual(["ok", "ok"]);
  });

  it("keeps a batch as one entry with its details: amounts, end-to-end ids, parties, references", () => {
    const batch = parseCamt(V08, "s.xml", { currency: "USD" })[0]?.entries[0];
    expect(batch).toMatchObject({
      amountMinor: -150000,
      date: "2025-02-01",
      valueDate: "2025-02-02",
      status: "booked",
      bankId: "REF-BATCH-1",
      description: "SEPA batch payroll",
      endToEndId: null,
      type: "PMNT/ICDT/ESCT",
      path: "Document/BkToCstmrStmt/Stmt[1]/Ntry[1]",
    });
    expect(batch?.details).toEqual([
      {
        amountMinor: -100000,
        currency: "EUR",
        bankId: null,
        endToEndId: "E2E-1",
        reference: "RF18539007547034",
        remittance: "RF18539007547034",
        counterparty: "Alice & Co",
        counterpartyAccount: "FR7630006000011234567890189",
      },
      expect.objectContaining({
        amountMinor: -50000,
        endToEndId: "E2E-2",
        reference: "Invoice <42>",
        counterparty: "Bob",
      }),
    ]);
  });

  it("takes a single detail's party and remittance for the entry, and reads pending rows", () => {
    const [, credit, pending] = parseCamt(V08, "s.xml", { currency: "USD" })[0]?.entries ?? [];
    expect(credit).toMatchObject({
      amountMinor: 70500,
      bankId: null,
      endToEndId: null,
      counterparty: "Customer GmbH",
      description: "Customer GmbH INV-1001 INV-1002",
      reference: "INV-1001 INV-1002",
    });
    expect(pending).toMatchObject({ amountMinor: -9900, status: "pending", date: "2025-02-03" });
  });

  it("reads camt.054 notifications and camt.052 reports with interim balances, version .02 status text", () => {
    const ntfctn = `<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.02"><BkToCstmrDbtCdtNtfctn><Ntfctn><Id>N1</Id>
<Acct><Id><IBAN>NL91ABNA0417164300</IBAN></Id></Acct>
<Ntry><Amt Ccy="EUR">1.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>2025-03-01</Dt></BookgDt></Ntry></Ntfctn></BkToCstmrDbtCdtNtfctn></Document>`;
    const [n] = parseCamt(ntfctn, "n.xml", { currency: "USD" });
    expect(n).toMatchObject({
      currency: "EUR",
      opening: null,
      closing: null,
      entries: [{ amountMinor: 100, status: "booked" }],
    });
    const rpt = `<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.052.001.04"><BkToCstmrAcctRpt><Rpt><Id>R1</Id>
<Acct><Id><IBAN>NL91ABNA0417164300</IBAN></Id><Ccy>EUR</Ccy></Acct>
${bal("ITBD", "5.00", "CRDT", "2025-03-01").replaceAll("c:", "")}${bal("ITBD", "6.00", "CRDT", "2025-03-01").replaceAll("c:", "")}
<Ntry><Amt Ccy="EUR">1.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>2025-03-01</Dt></BookgDt></Ntry></Rpt></BkToCstmrAcctRpt></Document>`;
    const [r] = parseCamt(rpt, "r.xml", { currency: "USD" });
    expect([r?.opening?.amountMinor, r?.closing?.amountMinor]).toEqual([500, 600]);
  });

  it("names file, line and element path of a bad amount", () => {
    const error = importErrorOf(() =>
      parseCamt(V08.replace(">705.00<", ">7O5.00<"), "statement.xml", { currency: "USD" }),
    );
    expect(error.message).toBe(
      'statement.xml:26 (Document/BkToCstmrStmt/Stmt[1]/Ntry[2]/Amt): amount "7O5.00" is not a number',
    );
    expect(error.path).toBe("Document/BkToCstmrStmt/Stmt[1]/Ntry[2]/Amt");
  });

  it("rejects a wrong indicator, a missing date, broken XML and a document with no statement", () => {
    expect(
      importErrorOf(() =>
        parseCamt(
          V08.replace("<c:CdtDbtInd>CRDT</c:CdtDbtInd><c:Sts>", "<c:CdtDbtInd>CR</c:CdtDbtInd><c:Sts>"),
          "s.xml",
          { currency: "USD" },
        ),
      ).message,
    ).toBe(
      's.xml:26 (Document/BkToCstmrStmt/Stmt[1]/Ntry[2]/CdtDbtInd): credit/debit indicator "CR" is not CRDT or DBIT',
    );
    expect(
      importErrorOf(() =>
        parseCamt(V08.replace("<c:ValDt><c:Dt>2025-02-03</c:Dt></c:ValDt>", ""), "s.xml", {
          currency: "USD",
        }),
      ).message,
    ).toMatch(/^s\.xml:32 \(Document\/BkToCstmrStmt\/Stmt\[1\]\/Ntry\[3\]\): expected a <BookgDt> element$/);
    expect(
      importErrorOf(() =>
        parseCamt(V08.replace("</c:AcctSvcrRef>\n<c:BkTxCd>", "</c:AcctSvcrRe>\n<c:BkTxCd>"), "s.xml", {
          currency: "USD",
        }),
      ).message,
    ).toBe("s.xml:14: expected </c:AcctSvcrRef> but found </c:AcctSvcrRe>");
    expect(
      importErrorOf(() => parseCamt("<Document><Other/></Document>", "s.xml", { currency: "USD" })).message,
    ).toBe("s.xml:1 (Document): holds no CAMT statement, report or notification (Stmt, Rpt or Ntfctn)");
  });
});
