import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ImportError } from "../src/errors/index.js";
import { checkBalances } from "../src/importers/balance-check.js";
import type { StatementFile } from "../src/importers/statement.js";
import { parseStatementBytes, toBankTransactions } from "../src/importers/statement-file.js";
import {
  type WritableStatement,
  writeBankCsv,
  writeCamt,
  writeMt940,
  writeOfx,
} from "../src/importers/statement-writer.js";

/**
 * Properties of the statement readers: whatever statement is written out in a format reads back
 * to the same entries; and no byte mutation of a valid file crashes a reader (it reads, or it
 * throws the ImportError a person sees). 500 mutations a format normally, 10,000 with
 * BANKREC_TEST_EXTENDED set (`npm run test:extended`).
 */
const EXTENDED = Boolean(process.env.BANKREC_TEST_EXTENDED);
const MUTATIONS = EXTENDED ? 10_000 : 500;
const ROUND_TRIPS = EXTENDED ? 1_000 : 100;

const DAY_MS = 86_400_000;
const day = fc
  .integer({ min: 0, max: 3650 })
  .map((n) => new Date(Date.UTC(2020, 0, 1) + n * DAY_MS).toISOString().slice(0, 10));
/** Words start with a letter or digit: a narrative line starting `:20:`, `-` or `/KEY/` would be a different thing in MT940. */
const word = fc.stringMatching(/^[A-Za-z0-9ÀÉÖßéèüñ][A-Za-z0-9ÀÉÖßéèüñ.,'&/()-]{0,11}$/);
const description = fc.array(word, { minLength: 1, maxLength: 8 }).map((w) => w.join(" "));
const bankId = fc
  .option(fc.stringMatching(/^[A-Z][A-Z0-9]{0,14}$/), { nil: null })
  .map((id) => (id === "NONREF" ? null : id));
const currency = fc.constantFrom("EUR", "USD", "JPY", "BHD");

function statementArb(): fc.Arbitrary<WritableStatement> {
  return fc
    .record({
      accountId: fc.stringMatching(/^[A-Z]{2}\d{2}[A-Z0-9]{10,20}$/),
      currency,
      openingMinor: fc.integer({ min: -1e9, max: 1e9 }),
      entries: fc.array(
        fc.record({ amountMinor: fc.integer({ min: -1e9, max: 1e9 }), date: day, description, bankId }),
        {
          maxLength: 12,
        },
      ),
    })
    .map((s) => {
      const entries = [...s.entries].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
      return {
        ...s,
        entries,
        fromDate: entries[0]?.date ?? "2020-01-01",
        toDate: entries.at(-1)?.date ?? "2020-01-01",
      };
    });
}

const closing = (s: WritableStatement) => s.entries.reduce((sum, e) => sum + e.amountMinor, s.openingMinor);
const rows = (file: StatementFile) =>
  file.statements.map((s) => s.entries.map((e) => [e.amountMinor, e.date, e.description, e.bankId]));
const want = (statements: readonly WritableStatement[], ids = true) =>
  statements.map((s) => s.entries.map((e) => [e.amountMinor, e.date, e.description, ids ? e.bankId : null]));

describe("statement files written out read back to the same entries", () => {
  it("OFX in SGML, XML and one-line form", () => {
    fc.assert(
      fc.property(
        fc.array(statementArb(), { minLength: 1, maxLength: 3 }),
        fc.constantFrom("sgml", "xml", "inline" as const),
        (statements, style) => {
          const file = parseStatementBytes(Buffer.from(writeOfx(statements, style)), "p.ofx");
          expect(file.format).toBe("ofx");
          expect(rows(file)).toEqual(want(statements));
          expect(file.statements.map((s) => [s.accountId, s.currency, s.closing?.amountMinor])).toEqual(
            statements.map((s) => [s.accountId, s.currency, closing(s)]),
          );
        },
      ),
      { numRuns: ROUND_TRIPS },
    );
  });

  it("CAMT.053 versions .02, .04 and .08, with balances that add up", () => {
    fc.assert(
      fc.property(
        fc.array(statementArb(), { minLength: 1, maxLength: 3 }),
        fc.constantFrom("02", "04", "08" as const),
        (statements, version) => {
          const file = parseStatementBytes(Buffer.from(writeCamt(statements, version)), "p.xml");
          expect(file.format).toBe("camt");
          expect(rows(file)).toEqual(want(statements));
          expect(checkBalances(file).every((c) => c.status === "ok")).toBe(true);
        },
      ),
      { numRuns: ROUND_TRIPS },
    );
  });

  it("MT940, bare and in SWIFT blocks, with balances that add up", () => {
    fc.assert(
      fc.property(
        fc.array(statementArb(), { minLength: 1, maxLength: 3 }),
        fc.boolean(),
        (statements, blocks) => {
          const file = parseStatementBytes(Buffer.from(writeMt940(statements, blocks)), "p.sta");
          expect(file.format).toBe("mt940");
          expect(rows(file)).toEqual(want(statements));
          expect(
            file.statements.map((s) => [s.accountId, s.opening?.amountMinor, s.closing?.amountMinor]),
          ).toEqual(statements.map((s) => [s.accountId, s.openingMinor, closing(s)]));
          expect(checkBalances(file).every((c) => c.status === "ok")).toBe(true);
        },
      ),
      { numRuns: ROUND_TRIPS },
    );
  });

  it("bank CSV in each preset layout, in UTF-8, UTF-16 with a BOM or Windows-1252, with running balances", () => {
    fc.assert(
      fc.property(
        statementArb(),
        fc.constantFrom("generic", "eu-semicolon", "debit-credit" as const),
        fc.constantFrom("utf8", "utf16", "1252"),
        (statement, layout, encoding) => {
          const text = writeBankCsv(statement, layout);
          const bytes =
            encoding === "utf16"
              ? Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")])
              : Buffer.from(text, encoding === "1252" ? "latin1" : "utf8");
          const file = parseStatementBytes(bytes, "p.csv", {
            currency: statement.currency,
            accountId: statement.accountId,
          });
          if (statement.entries.length === 0) return;
          expect(rows(file)).toEqual(want([statement], layout === "generic"));
          expect(file.statements[0]?.opening?.amountMinor).toBe(statement.openingMinor);
          expect(checkBalances(file)[0]?.status).toBe("ok");
        },
      ),
      { numRuns: ROUND_TRIPS },
    );
  });

  it("gives every row of a file its own id, the same on every read", () => {
    fc.assert(
      fc.property(fc.array(statementArb(), { minLength: 1, maxLength: 3 }), (statements) => {
        const bytes = Buffer.from(writeMt940(statements));
        const ids = toBankTransactions(parseStatementBytes(bytes, "p.sta")).map((t) => t.id);
        expect(new Set(ids).size).toBe(ids.length);
        expect(toBankTransactions(parseStatementBytes(bytes, "p.sta")).map((t) => t.id)).toEqual(ids);
      }),
      { numRuns: ROUND_TRIPS },
    );
  });
});

const SAMPLE: WritableStatement = {
  accountId: "DE89370400440532013000",
  currency: "EUR",
  openingMinor: 100_000,
  fromDate: "2025-01-01",
  toDate: "2025-01-31",
  entries: [
    { amountMinor: -1250, date: "2025-01-02", description: "Coffee & Co", bankId: "F1" },
    { amountMinor: 250_000, date: "2025-01-15", description: "Salary January", bankId: "F2" },
    { amountMinor: -9_999, date: "2025-01-31", description: "Rent", bankId: null },
  ],
};

const VALID: readonly [string, string][] = [
  ["ofx", writeOfx([SAMPLE], "sgml")],
  ["ofx-xml", writeOfx([SAMPLE], "xml")],
  ["camt", writeCamt([SAMPLE, SAMPLE], "08")],
  ["mt940", writeMt940([SAMPLE, SAMPLE], true)],
  ["csv", writeBankCsv(SAMPLE, "eu-semicolon")],
];

const mutation = fc.record({
  at: fc.nat(),
  kind: fc.constantFrom("replace", "insert", "delete", "duplicate"),
  byte: fc.constantFrom(
    0x3c,
    0x3e,
    0x2f,
    0x3a,
    0x0a,
    0x0d,
    0x22,
    0x26,
    0x2c,
    0x3b,
    0x2d,
    0x7b,
    0x7d,
    0x00,
    0xff,
    0xc3,
    0x30,
    0x39,
    0x41,
  ),
  length: fc.integer({ min: 1, max: 40 }),
});

function mutate(
  bytes: Buffer,
  mutations: readonly { at: number; kind: string; byte: number; length: number }[],
): Buffer {
  let out = Buffer.from(bytes);
  for (const m of mutations) {
    const at = out.length === 0 ? 0 : m.at % out.length;
    if (m.kind === "replace") out[at] = m.byte;
    else if (m.kind === "insert")
      out = Buffer.concat([out.subarray(0, at), Buffer.from([m.byte]), out.subarray(at)]);
    else if (m.kind === "delete") out = Buffer.concat([out.subarray(0, at), out.subarray(at + m.length)]);
    else out = Buffer.concat([out.subarray(0, at + m.length), out.subarray(at)]);
  }
  return out;
}

describe("mutated statement files never crash a reader", () => {
  for (const [format, text] of VALID) {
    it(`${format}: ${MUTATIONS} random byte mutations read or fail with an ImportError`, () => {
      const bytes = Buffer.from(text);
      fc.assert(
        fc.property(fc.array(mutation, { minLength: 1, maxLength: 6 }), (mutations) => {
          const broken = mutate(bytes, mutations);
          try {
            const file = parseStatementBytes(broken, `mutated.${format}`);
            toBankTransactions(file);
            checkBalances(file);
          } catch (error) {
            if (!(error instanceof ImportError)) throw error;
            expect(error.message.startsWith(`mutated.${format}`)).toBe(true);
          }
        }),
        { numRuns: MUTATIONS },
      );
    });
  }
});
