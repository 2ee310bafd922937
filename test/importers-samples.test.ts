import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { checkBalances } from "../src/importers/balance-check.js";
import { readBankFile } from "../src/importers/index.js";
import { readStatementFile } from "../src/importers/statement-file.js";

/**
 * The real sample files in the shared folder (`../shared/samples` from the repository root):
 * counts, amounts, dates and balances as the files state them. In CI their absence is a
 * failure; elsewhere the tests are skipped with a message.
 */
const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const samples = resolve(root, "../shared/samples");
const present = existsSync(samples);
if (!present) {
  if (process.env.CI) throw new Error(`sample files not found at ${samples}`);
  console.warn(`importers-samples: skipped, no sample files at ${samples}`);
}

describe.skipIf(!present)("real sample statement files", () => {
  it("reads ofxparse's OFX 1.02 checking statement (SGML, CHARSET 1252)", async () => {
    const file = await readStatementFile(join(samples, "ofx/ofxparse__checking.ofx"));
    expect(file.format).toBe("ofx");
    const [s] = file.statements;
    expect(s).toMatchObject({
      accountId: "1452687~7",
      bankCode: "5472369148",
      accountType: "CHECKING",
      currency: "USD",
      periodFrom: "2000-01-01",
      periodTo: "2013-05-25",
      closing: { amountMinor: 10099, date: "2013-05-25" },
      closingAvailable: { amountMinor: 7599, date: "2013-05-25" },
    });
    expect(s?.entries.map((e) => [e.bankId, e.date, e.amountMinor, e.type, e.checkNumber])).toEqual([
      ["0000486", "2011-03-31", 1, "CREDIT", null],
      ["0000487", "2011-04-05", -3451, "DEBIT", null],
      ["0000488", "2011-04-07", -2500, "CHECK", "319"],
    ]);
    expect(s?.entries[2]?.description).toBe("RETURNED CHECK FEE, CHECK # 319 FOR $45.33 ON 04/07/11");
    expect(checkBalances(file)[0]?.status).toBe("unchecked"); // OFX states no opening balance
  });

  it("reads ofxparse's OFX 2.03 credit card statement (XML header, unclosed leaves)", async () => {
    const file = await readStatementFile(join(samples, "ofx/ofxparse__anzcc.ofx"));
    const [s] = file.statements;
    expect(s).toMatchObject({
      accountId: "1234123412341234",
      accountType: "CREDITCARD",
      currency: "AUD",
      periodFrom: "2017-03-11",
      periodTo: "2017-05-09",
      closing: { amountMinor: -12345, currency: "AUD", date: "2017-05-10" },
      closingAvailable: { amountMinor: 12345 },
    });
    expect(s?.entries).toEqual([
      expect.objectContaining({
        bankId: "201705080001",
        date: "2017-05-08",
        authorizedDate: "2017-05-08",
        amountMinor: -550,
        description: "SOME MEMO",
      }),
    ]);
  });

  it("reads genkgo's camt.053.001.02 with its four balances in four currencies", async () => {
    const file = await readStatementFile(join(samples, "camt/genkgo-camt__camt053.v2.minimal.xml"));
    const [s] = file.statements;
    expect(s).toMatchObject({
      id: "253EURNL26VAYB8060476890",
      sequence: "12312",
      accountId: "NL26VAYB8060476890",
      currency: "EUR",
      opening: { amountMinor: 1815, currency: "EUR", date: "2014-12-30" },
      closing: { amountMinor: -2700, currency: "SEK", date: "2014-12-31" },
      closingAvailable: { amountMinor: -2700, currency: "JPY", date: "2014-12-31" },
    });
    expect(s?.entries).toEqual([
      expect.objectContaining({
        amountMinor: 885,
        currency: "EUR",
        status: "booked",
        date: "2014-12-31",
        valueDate: "2015-01-02",
        counterparty: "NAME NAME",
        counterpartyAccount: "NL56AGDH9619008421",
        reference: "4654654654654654",
        type: "544",
      }),
    ]);
    // EUR 18.15 + 8.85 = 27.00; the file's closing balance is in SEK, so the sum cannot be checked.
    expect(checkBalances(file)[0]).toMatchObject({ status: "unchecked", entriesMinor: 885 });
  });

  it("reads mt940-js's ING MT940 as its own expected parse states it, and the balances add up", async () => {
    const file = await readStatementFile(join(samples, "mt940/mt940-js__ing-1.mta"));
    const expected = JSON.parse(
      await readFile(join(samples, "mt940/mt940-js__ing-1.expected.json"), "utf8"),
    ) as ExpectedMt940[];
    expect(file.statements).toHaveLength(expected.length);
    const toMinor = (b: { isCredit: boolean; value: number }) =>
      Math.round(b.value * 100) * (b.isCredit ? 1 : -1);
    file.statements.forEach((s, i) => {
      const want = expected[i] as ExpectedMt940;
      expect([s.id, s.accountId, s.sequence, s.currency]).toEqual([
        want.referenceNumber,
        want.accountId,
        want.number,
        "EUR",
      ]);
      expect(s.opening).toEqual({
        amountMinor: toMinor(want.openingBalance),
        currency: "EUR",
        date: want.openingBalance.date,
      });
      expect(s.closing).toEqual({
        amountMinor: toMinor(want.closingBalance),
        currency: "EUR",
        date: want.closingBalance.date,
      });
      expect(s.closingAvailable?.amountMinor).toBe(toMinor(want.closingAvailableBalance));
      expect(s.entries.map((e) => [e.amountMinor, e.valueDate, e.type, e.currency])).toEqual(
        want.transactions.map((t) => [
          toMinor({ isCredit: t.isCredit, value: t.amount }),
          t.valueDate,
          t.code,
          t.currency,
        ]),
      );
      // mt940-js joins wrapped :86: lines with nothing, bankrec with a space ("1234 BW ENSCHEDE").
      const squeeze = (text: string) => text.replace(/\s+/g, "");
      expect(s.entries.map((e) => squeeze(e.description))).toEqual(
        want.transactions.map((t) => squeeze(t.description)),
      );
    });
    expect(checkBalances(file)[0]).toMatchObject({
      status: "ok",
      openingMinor: 4489,
      entriesMinor: -998998,
      closingMinor: -994509,
    });
  });

  it("feeds every sample straight to readBankFile, as reconcile --bank does", async () => {
    const counts: Record<string, number> = {};
    for (const name of [
      "ofx/ofxparse__checking.ofx",
      "ofx/ofxparse__anzcc.ofx",
      "camt/genkgo-camt__camt053.v2.minimal.xml",
      "mt940/mt940-js__ing-1.mta",
    ]) {
      const feed = await readBankFile(join(samples, name));
      counts[name] = feed.transactions.length;
      expect(new Set(feed.transactions.map((t) => t.id)).size).toBe(feed.transactions.length);
    }
    expect(Object.values(counts)).toEqual([3, 1, 1, 3]);
  });
});

interface ExpectedBalance {
  readonly isCredit: boolean;
  readonly date: string;
  readonly currency: string;
  readonly value: number;
}

interface ExpectedMt940 {
  readonly referenceNumber: string;
  readonly accountId: string;
  readonly number: string;
  readonly openingBalance: ExpectedBalance;
  readonly closingBalance: ExpectedBalance;
  readonly closingAvailableBalance: ExpectedBalance;
  readonly transactions: {
    readonly code: string;
    readonly isCredit: boolean;
    readonly currency: string;
    readonly description: string;
    readonly amount: number;
    readonly valueDate: string;
  }[];
}
