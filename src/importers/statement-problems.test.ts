import { describe, expect, it } from "vitest";
import { BadRowsError } from "../errors/index.js";
import { parseStatementBytes } from "./statement-file.js";
import { type WritableStatement, writeCamt, writeMt940, writeOfx } from "./statement-writer.js";

/** Five entries; the ones at `bad` get amounts no reader takes, written as each format writes amounts. */
function statement(): WritableStatement {
  return {
    accountId: "NL91ABNA0417164300",
    currency: "EUR",
    openingMinor: 10_000,
    fromDate: "2026-03-01",
    toDate: "2026-03-31",
    entries: [1, 2, 3, 4, 5].map((n) => ({
      amountMinor: -(1_000 + n),
      date: `2026-03-0${n}`,
      description: `ROW ${n}`,
      bankId: `B${n}`,
    })),
  };
}

function badRowsOf(text: string, name: string): BadRowsError {
  try {
    parseStatementBytes(Buffer.from(text), name);
  } catch (error) {
    if (error instanceof BadRowsError) return error;
    throw error;
  }
  throw new Error(`${name} was read`);
}

describe("statement files list every bad row at once", () => {
  it("OFX: each bad TRNAMT with its line, nothing read", () => {
    const text = writeOfx([statement()]).replace("-10.02", "-10.0x").replace("-10.04", "-1O.04");
    const error = badRowsOf(text, "march.ofx");
    expect(error.badRowCount).toBe(2);
    expect(error.problems.map((p) => p.message)).toEqual([
      expect.stringMatching(/^march\.ofx:\d+: TRNAMT "-10\.0x" is not a number/),
      expect.stringMatching(/^march\.ofx:\d+: TRNAMT "-1O\.04" is not a number/),
    ]);
    const lines = error.problems.map((p) => p.line ?? 0);
    expect(lines[0]).toBeLessThan(lines[1] ?? 0);
    expect(error.message).toMatch(/^march\.ofx: 2 rows are bad; first: march\.ofx:\d+: TRNAMT/);
  });

  it("MT940: each bad :61: line, and a good file around them still refused whole", () => {
    const text = writeMt940([statement()])
      .replace(/(:61:2603020302D)10,02/, "$1XX,02")
      .replace(/(:61:2603050305D)10,05/, "$1YY,05");
    const error = badRowsOf(text, "march.sta");
    expect(error.badRowCount).toBe(2);
    for (const p of error.problems) expect(p.message).toMatch(/^march\.sta:\d+: :61:/);
  });

  it("CAMT: each bad entry amount with its own element path", () => {
    const text = writeCamt([statement()]).replace(">10.01<", ">10.O1<").replace(">10.03<", ">x<");
    const error = badRowsOf(text, "camt.xml");
    expect(error.badRowCount).toBe(2);
    expect(error.problems.map((p) => p.path)).toEqual([
      expect.stringMatching(/Ntry\[1\]\/Amt$/),
      expect.stringMatching(/Ntry\[3\]\/Amt$/),
    ]);
  });

  it("one bad row reads exactly as before: a single ImportError message", () => {
    const text = writeOfx([statement()]).replace("-10.03", "-10.0z");
    expect(() => parseStatementBytes(Buffer.from(text), "one.ofx")).toThrow(
      /^one\.ofx:\d+: TRNAMT "-10\.0z" is not a number/,
    );
  });
});
