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
    expect(detectStatementFormat("<html></html>", "page.xml")).toBeUndefined();
  });
});
