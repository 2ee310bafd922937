import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type DecimalSeparator,
  formatAmount,
  fromPlaidAmount,
  MoneyParseError,
  numberToMinor,
  parseAmount,
} from "./index.js";

const currencies = fc.constantFrom("USD", "JPY", "BHD", "EUR");
const separators = fc.constantFrom<DecimalSeparator>(".", ",");
const exponentOf: Record<string, number> = { USD: 2, JPY: 0, BHD: 3, EUR: 2 };

describe("formatAmount and parseAmount", () => {
  it("round-trips every safe integer in every currency, separator and grouping", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }),
        currencies,
        separators,
        fc.boolean(),
        (minor, currency, decimalSeparator, grouping) => {
          const text = formatAmount(minor, currency, { decimalSeparator, grouping });
          expect(parseAmount(text, { currency, decimalSeparator })).toBe(minor);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("round-trips small amounts, where padding and grouping edges live", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -100_000, max: 100_000 }),
        currencies,
        separators,
        fc.boolean(),
        (m, c, d, g) => {
          expect(
            parseAmount(formatAmount(m, c, { decimalSeparator: d, grouping: g }), {
              currency: c,
              decimalSeparator: d,
            }),
          ).toBe(m);
        },
      ),
    );
  });

  it("formats the JSDoc examples", () => {
    expect(formatAmount(-123456, "USD")).toBe("-1,234.56");
    expect(formatAmount(1200, "JPY")).toBe("1,200");
    expect(formatAmount(123456, "EUR", { decimalSeparator: "," })).toBe("1.234,56");
  });
});

describe("parseAmount", () => {
  const usd = { currency: "USD" } as const;

  it.each([
    ["(1,234.56)", usd, -123456],
    ["$1,234.56", usd, 123456],
    ["1.234,56", { currency: "EUR", decimalSeparator: "," } as const, 123456],
    ["-1234.56", usd, -123456],
    ["1234.56-", usd, -123456],
    ["USD 12.00", usd, 1200],
    ["¥1,200", { currency: "JPY" } as const, 1200],
    ["-$5", usd, -500],
    ["12.340", usd, 1234],
  ])("reads %s", (text, options, minor) => {
    expect(parseAmount(text, options)).toBe(minor);
  });

  it.each([
    ["12,3x", usd, "is not a number"],
    ["1,23", usd, "is not a number"],
    ["12.345", usd, "has more than 2 decimal places"],
    ["1.5", { currency: "JPY" } as const, "has more than 0 decimal places"],
    ["--12", usd, "has two minus signs"],
    ["(-12.00)", usd, "has two minus signs"],
    ["-12-", usd, "has two minus signs"],
    ["", usd, "is empty"],
    ["   ", usd, "is empty"],
  ])("rejects %j", (text, options, reason) => {
    const error = catchError(() => parseAmount(text, options));
    expect(error).toBeInstanceOf(MoneyParseError);
    expect((error as MoneyParseError).reason).toBe(reason);
    expect((error as MoneyParseError).message).toBe(`amount "${text}" ${reason}`);
  });
});

describe("numberToMinor", () => {
  it("is exact for any decimal literal with no more decimals than the currency allows", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -999_999_999_999_999, max: 999_999_999_999_999 }),
        currencies,
        fc.nat(3),
        (digits, currency, decimalsWanted) => {
          const exponent = exponentOf[currency] ?? 2;
          const decimals = Math.min(decimalsWanted, exponent);
          const expected = digits * 10 ** (exponent - decimals);
          fc.pre(Number.isSafeInteger(expected));
          const literal = decimalLiteral(digits, decimals);
          const value = JSON.parse(literal) as number;
          expect(numberToMinor(value, currency), literal).toBe(expected === 0 ? 0 : expected);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it("rejects float noise and too many decimals", () => {
    expect(() => numberToMinor(0.1 + 0.2, "USD")).toThrow("has more than 2 decimal places");
    expect(() => numberToMinor(1.5, "JPY")).toThrow("has more than 0 decimal places");
    expect(() => numberToMinor(1e-7, "USD")).toThrow(MoneyParseError);
    expect(() => numberToMinor(Number.NaN, "USD")).toThrow("is not a finite number");
  });

  it("reads the JSDoc example and exponent notation", () => {
    expect(numberToMinor(12.3, "USD")).toBe(1230);
    expect(numberToMinor(1e21 / 1e10, "USD")).toBe(1e13);
    expect(numberToMinor(1.5e-2, "BHD")).toBe(15);
  });
});

describe("fromPlaidAmount", () => {
  it("flips Plaid's sign once and never returns negative zero", () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), (cents) => {
        const amount = JSON.parse(decimalLiteral(cents, 2)) as number;
        const minor = fromPlaidAmount(amount, "USD");
        expect(minor).toBe(cents === 0 ? 0 : -cents);
        expect(Object.is(minor, -0)).toBe(false);
      }),
    );
  });

  it("turns money out into a negative amount", () => {
    expect(fromPlaidAmount(25.5, "USD")).toBe(-2550);
    expect(fromPlaidAmount(-100, "JPY")).toBe(100);
  });
});

/** `digits` scaled down by 10^decimals, written as a plain literal: (12345, 2) → "123.45". */
function decimalLiteral(digits: number, decimals: number): string {
  const sign = digits < 0 ? "-" : "";
  const text = Math.abs(digits)
    .toString()
    .padStart(decimals + 1, "0");
  if (decimals === 0) return sign + text;
  return `${sign}${text.slice(0, -decimals)}.${text.slice(-decimals)}`;
}

function catchError(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error("expected a throw");
}
