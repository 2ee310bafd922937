import { describe, expect, it } from "vitest";
import { normalizeReference, tokenize } from "./normalize.js";

describe("tokenize", () => {
  it("strips ACH rail noise and keeps the party's words and the invoice code", () => {
    const t = tokenize("ORIG CO NAME:ACME SUPPLY CO ENTRY DESCR:PAYMENT IND ID:INV-1043");
    expect(t.words).toEqual(["ACME", "SUPPLY"]);
    expect(t.codes).toContain("INV1043");
    expect(t.codes).toContain("1043");
  });

  it("drops PPD ID and the words of the rail but keeps the id's digits as a code", () => {
    const t = tokenize("GUSTO PAYROLL PPD ID: 9876543210");
    expect(t.words).toEqual(["GUSTO", "PAYROLL"]);
    expect(t.codes).toContain("9876543210");
    expect(t.words).not.toContain("PPD");
    expect(t.words).not.toContain("ID");
  });

  it("drops card masks made of X and keeps the merchant and its store number", () => {
    const t = tokenize("POS DEBIT VISA XXXX1234 STAPLES 00123 XXXX");
    expect(t.words).toEqual(["STAPLES"]);
    expect(t.words).not.toContain("XXXX");
    expect(t.words).not.toContain("POS");
    expect(t.codes).toContain("123");
  });

  it("gives INV-1043 and INV1043 a shared code", () => {
    const dashed = tokenize("Invoice INV-1043").codes;
    const joined = tokenize("INV1043").codes;
    expect(dashed.filter((c) => joined.includes(c))).toContain("INV1043");
  });

  it("strips leading zeros from all-digit codes and drops one-digit codes", () => {
    expect(tokenize("CHECK 0001043").codes).toContain("1043");
    expect(tokenize("CHECK 0001043").codes).not.toContain("0001043");
    expect(tokenize("ROOM 7").codes).not.toContain("7");
  });

  it("drops legal-form words and one-letter words", () => {
    expect(tokenize("Globex Corporation LLC & Sons of A").words).toEqual(["GLOBEX", "SONS"]);
  });

  it("upper-cases words and lists each once, in order of appearance", () => {
    expect(tokenize("acme Supply acme SUPPLY widgets").words).toEqual(["ACME", "SUPPLY", "WIDGETS"]);
  });

  it("folds diacritics so that a ledger's Müller matches a bank's MULLER", () => {
    expect(tokenize("Müller GmbH").words).toEqual(["MULLER"]);
    expect(tokenize("Société Générale").words).toEqual(["SOCIETE", "GENERALE"]);
    expect(tokenize("Müller GmbH").words).toEqual(tokenize("MULLER GMBH").words);
  });

  it("returns no words and no codes for empty or punctuation-only text", () => {
    expect(tokenize("")).toEqual({ words: [], codes: [] });
    expect(tokenize(" -- / : ")).toEqual({ words: [], codes: [] });
  });
});

describe("normalizeReference", () => {
  it("keeps letters and digits only, upper case", () => {
    expect(normalizeReference("inv-01043")).toBe("INV01043");
    expect(normalizeReference("RE 7781/B")).toBe("RE7781B");
  });

  it("strips leading zeros from all-digit references", () => {
    expect(normalizeReference("0001043")).toBe("1043");
  });

  it("returns null for null, empty and too short references", () => {
    expect(normalizeReference(null)).toBeNull();
    expect(normalizeReference("")).toBeNull();
    expect(normalizeReference("--")).toBeNull();
    expect(normalizeReference("A1")).toBeNull();
    expect(normalizeReference("0007")).toBeNull();
  });

  it("agrees for the dashed and the joined form of an invoice number", () => {
    expect(normalizeReference("INV-1043")).toBe(normalizeReference("inv1043"));
  });
});
