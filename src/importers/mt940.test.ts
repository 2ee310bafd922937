import { describe, expect, it } from "vitest";
import { importErrorOf } from "../../test/support/import-error.js";
import { checkBalances } from "./balance-check.js";
import { parseMt940, readNarrative } from "./mt940.js";

/** Two statements in SWIFT blocks, CRLF, German structured narratives, a year boundary. */
const GERMAN = [
  "{1:F01DEUTDEFFAXXX0000000000}{2:O9400000000000DEUTDEFFAXXX00000000000000000000N}{4:",
  ":20:STARTUMSE",
  ":25:37040044/0532013000",
  ":28C:00001/001",
  ":60F:C251230EUR1000,00",
  ":61:2512310102DR150,00NMSCNONREF//BANKREF-1",
  "SUPPLEMENTARY TEXT",
  ":86:177?00SEPA-UEBERWEISUNG?109310?20EREF+INV-2025-77?21SVWZ+Rechnung 77 Dezember",
  "?22 Beratung?30COBADEFFXXX?31DE89370400440532013000?32ACME GMBH?33 BERLIN",
  ":61:251231C49,50NTRFKREF-9//BANKREF-2",
  ":86:166?00GUTSCHRIFT?20Miete?21Januar",
  ":61:251231RC10,00NCHGNONREF",
  ":86:Storno Gebuehr",
  ":62F:C251231EUR889,50",
  ":64:C251231EUR889,50",
  "-}",
  "{1:F01DEUTDEFFAXXX0000000000}{2:O9400000000000DEUTDEFFAXXX00000000000000000000N}{4:",
  ":20:STARTUMSE",
  ":25:DE89370400440532013000",
  ":28C:00002/001",
  ":60F:C251231EUR889,50",
  ":61:260102D889,50NTRFNONREF",
  ":86:/TRTP/SEPA OVERBOEKING/IBAN/NL91ABNA0417164300/BIC/ABNANL2A/NAME/J. JANSEN/REMI/USTD//INVOICE 12",
  "/EREF/E2E-55",
  ":62F:C260102EUR0,00",
  "-}",
].join("\r\n");

describe("parseMt940", () => {
  it("reads statements in SWIFT blocks with balances, and their balances add up", () => {
    const statements = parseMt940(GERMAN, "a.sta", { currency: "USD" });
    expect(
      statements.map((s) => [s.id, s.sequence, s.accountId, s.iban, s.currency, s.entries.length]),
    ).toEqual([
      ["STARTUMSE", "00001/001", "37040044/0532013000", null, "EUR", 3],
      ["STARTUMSE", "00002/001", "DE89370400440532013000", "DE89370400440532013000", "EUR", 1],
    ]);
    expect(statements[0]).toMatchObject({
      opening: { amountMinor: 100000, currency: "EUR", date: "2025-12-30" },
      closing: { amountMinor: 88950, date: "2025-12-31" },
      closingAvailable: { amountMinor: 88950 },
    });
    const file = { file: "a.sta", format: "mt940" as const, encoding: "utf-8" as const, statements };
    expect(checkBalances(file).map((c) => c.status)).toEqual(["ok", "ok"]);
  });

  it("reads :61: lines: entry date across the new year, a funds code, an RC mark, references and type codes", () => {
    const [s] = parseMt940(GERMAN, "a.sta", { currency: "USD" });
    expect(s?.entries.map((e) => [e.amountMinor, e.date, e.valueDate, e.type, e.bankId, e.line])).toEqual([
      [-15000, "2026-01-02", "2025-12-31", "NMSC", "BANKREF-1", 6],
      [4950, "2025-12-31", "2025-12-31", "NTRF", "BANKREF-2", 10],
      [-1000, "2025-12-31", "2025-12-31", "NCHG", null, 12],
    ]);
    expect(s?.entries[1]?.reference).toBe("Miete Januar");
    expect(s?.entries[2]?.description).toBe("Storno Gebuehr");
  });

  it("reads German ?-structured narratives: booking text, SEPA keys, name, account", () => {
    const [s] = parseMt940(GERMAN, "a.sta", { currency: "USD" });
    expect(s?.entries[0]).toMatchObject({
      description: "SEPA-UEBERWEISUNG ACME GMBH BERLIN Rechnung 77 Dezember Beratung",
      endToEndId: "INV-2025-77",
      reference: "Rechnung 77 Dezember Beratung",
      counterparty: "ACME GMBH BERLIN",
      counterpartyAccount: "DE89370400440532013000",
    });
  });

  it("reads slash-keyed narratives across lines", () => {
    const entry = parseMt940(GERMAN, "a.sta", { currency: "USD" })[1]?.entries[0];
    expect(entry).toMatchObject({
      amountMinor: -88950,
      counterparty: "J. JANSEN",
      counterpartyAccount: "NL91ABNA0417164300",
      reference: "INVOICE 12",
      endToEndId: "E2E-55",
      description: "J. JANSEN INVOICE 12",
    });
    expect(readNarrative("/EREF/NOTPROVIDED/ORDP//NAME/Shop BV/REMI/STRD/CUR/1234").endToEndId).toBeNull();
  });

  it("reads MT942 with declared debit and credit totals and LF line ends", () => {
    const mt942 = [
      ":20:INTRADAY",
      ":25:NL91ABNA0417164300",
      ":28C:1",
      ":34F:EURD0,",
      ":13D:2502031200+0100",
      ":61:250203D12,00NTRFNONREF",
      ":86:COFFEE",
      ":61:250203D12,00NTRFNONREF",
      ":86:COFFEE",
      ":61:250203C100,NTRFNONREF",
      ":90D:2EUR24,00",
      ":90C:1EUR90,00",
      "-",
    ].join("\n");
    const statements = parseMt940(mt942, "i.sta", { currency: "USD" });
    expect(statements[0]).toMatchObject({
      currency: "EUR",
      opening: null,
      declaredDebits: { count: 2, totalMinor: 2400 },
    });
    expect(statements[0]?.entries.map((e) => e.amountMinor)).toEqual([-1200, -1200, 10000]);
    const checks = checkBalances({ file: "i.sta", format: "mt940", encoding: "utf-8", statements });
    expect(checks.map((c) => c.status)).toEqual(["unchecked", "ok", "break"]);
    expect(checks[2]?.message).toBe(
      "i.sta: statement 1 (account NL91ABNA0417164300): 1 credits of 100.00 but the file declares 1 of 90.00",
    );
  });

  it("names the line and the text of a malformed :61: or balance, and rejects a file with no statement", () => {
    expect(
      importErrorOf(() =>
        parseMt940(GERMAN.replace("251231C49,50", "251231X49,50"), "a.sta", { currency: "USD" }),
      ).message,
    ).toBe(
      'a.sta:10: :61: "251231X49,50NTRFKREF-9//BANKREF-2" is not a statement line (expected YYMMDD[MMDD], D|C|RD|RC, amount, type such as NTRF)',
    );
    expect(
      importErrorOf(() =>
        parseMt940(GERMAN.replace(":62F:C251231EUR889,50", ":62F:C251231EUR88x"), "a.sta", {
          currency: "USD",
        }),
      ).message,
    ).toMatch(/^a\.sta:14: :62F: "C251231EUR88x" is not a balance/);
    expect(
      importErrorOf(() =>
        parseMt940(GERMAN.replace("2512310102", "2513310102"), "a.sta", { currency: "USD" }),
      ).message,
    ).toMatch(/^a\.sta:6: :61: ".*" has no valid value date$/);
    expect(importErrorOf(() => parseMt940("hello\nworld\n", "a.sta", { currency: "USD" })).message).toBe(
      "a.sta: holds no MT940 statement (no :20: field)",
    );
  });
});
