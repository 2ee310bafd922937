import { describe, expect, it } from "vitest";
import { detectStatementFormat } from "./detect-format.js";

describe("detectStatementFormat", () => {
  it("tells formats by content whatever the file is called", () => {
    expect(detectStatementFormat("OFXHEADER:100\nDATA:OFXSGML\n", "x.txt")).toBe("ofx");
    expect(detectStatementFormat('<?xml version="1.0"?>\n<?OFX OFXHEADER="200"?><OFX>', "x.xml")).toBe("ofx");
    expect(detectStatementFormat("<OFX><SIGNONMSGSRSV1>", "x.dat")).toBe("ofx");
    expect(
      detectStatementFormat(
        '<?xml version="1.0"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">',
        "x.ofx",
      ),
    ).toBe("camt");
    expect(detectStatementFormat("{1:F01BANK}{2:O940}{4:\n:20:X\n", "x.csv")).toBe("mt940");
    expect(detectStatementFormat("0000 01INGBNL2AXXXX00001\n940 00\n:20:INGEB\n:25:0111\n", "x.csv")).toBe(
      "mt940",
    );
    expect(detectStatementFormat("Date,Description,Amount\n", "export.txt")).toBe("csv");
    expect(detectStatementFormat("just words", "export.txt")).toBeUndefined();
  });

  it("tells files from the wild: an OFX header without OFXHEADER, MT940 without :20: or with CR line ends", () => {
    expect(detectStatementFormat("DATA:OFXSGML\r\nENCODING:UTF-8\r\n<OFX>\r\n", "x.txt")).toBe("ofx");
    expect(detectStatementFormat("\ufeff\n\n  OFXHEADER: 100\nDATA: OFXSGML\n", "x.txt")).toBe("ofx");
    expect(detectStatementFormat("ABNANL2A\n940\nABNANL2A\n:25:NL02ABNA0123456789\n:28:1/1\n", "x.txt")).toBe(
      "mt940",
    );
    expect(detectStatementFormat(":20:X\r:25:NL02ABNA0123456789\r:60F:C250101EUR1,00\r", "x.txt")).toBe(
      "mt940",
    );
    expect(detectStatementFormat("Name: Value\nOther: thing\n", "notes.txt")).toBeUndefined();
    expect(detectStatementFormat("<html></html>", "page.xml")).toBeUndefined();
  });
});
