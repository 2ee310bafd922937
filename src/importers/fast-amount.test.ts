import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { currencyExponent, numberToMinor, parseAmount } from "../money/index.js";
import { floatToMinor, plainTextToMinor } from "./fast-amount.js";

const currencies = fc.constantFrom("USD", "JPY", "BHD", "CLF");

/** The fast path may decline (undefined); when it answers, money must give the same answer. */
function agreesWithMoney(fast: number | undefined, slow: () => number): void {
  if (fast === undefined) return;
  expect(fast).toBe(slow());
  expect(Object.is(fast, -0)).toBe(false);
}

describe("plainTextToMinor", () => {
  it("agrees with parseAmount on decimal-looking text", () => {
    const text = fc
      .tuple(
        fc.constantFrom("", "-", "+"),
        fc.stringMatching(/^\d{0,17}$/),
        fc.constantFrom("", ".", ","),
        fc.stringMatching(/^\d{0,5}$/),
      )
      .map((parts) => parts.join(""));
    fc.assert(
      fc.property(text, currencies, fc.constantFrom<"." | ",">(".", ","), (t, currency, decimalSeparator) => {
        const fast = plainTextToMinor(t, currencyExponent(currency), decimalSeparator);
        agreesWithMoney(fast, () => parseAmount(t, { currency, decimalSeparator }));
      }),
      { numRuns: 5000 },
    );
  });

  it("answers the common shapes itself", () => {
    expect(plainTextToMinor("-8703.39", 2, ".")).toBe(-870339);
    expect(plainTextToMinor("12", 2, ".")).toBe(1200);
    expect(plainTextToMinor("0,5", 2, ",")).toBe(50);
    expect(plainTextToMinor("-0.00", 2, ".")).toBe(0);
    expect(plainTextToMinor("1,234.56", 2, ".")).toBeUndefined();
    expect(plainTextToMinor("12.345", 2, ".")).toBeUndefined();
  });
});

describe("floatToMinor", () => {
  it("agrees with numberToMinor on arbitrary doubles", () => {
    fc.assert(
      fc.property(fc.double({ noNaN: false }), currencies, (value, currency) => {
        agreesWithMoney(floatToMinor(value, currencyExponent(currency)), () =>
          numberToMinor(value, currency),
        );
      }),
      { numRuns: 5000 },
    );
  });

  it("agrees with numberToMinor on decimals, and answers them", () => {
    const cents = fc.integer({ min: -(2 ** 49), max: 2 ** 49 });
    fc.assert(
      fc.property(cents, fc.nat(4), (minor, decimals) => {
        const value = minor / 10 ** decimals;
        const fast = floatToMinor(value, 4);
        agreesWithMoney(fast, () => numberToMinor(value, "CLF"));
        if (
          Number.isSafeInteger(minor * 10 ** (4 - decimals)) &&
          Math.abs(minor * 10 ** (4 - decimals)) < 2 ** 50
        ) {
          expect(fast).toBe(numberToMinor(value, "CLF"));
        }
      }),
      { numRuns: 5000 },
    );
  });

  it("declines float noise so that money reports it", () => {
    expect(floatToMinor(0.1 + 0.2, 2)).toBeUndefined();
    expect(floatToMinor(49.99, 2)).toBe(4999);
    expect(floatToMinor(-0, 2)).toBe(0);
  });
});
