import { describe, expect, it } from "vitest";
import { UsageError } from "./errors.js";
import { defaultThreads, toOutputChoice, toReadOptions, toReconcileOptions } from "./options.js";

describe("toReconcileOptions", () => {
  it("reads amounts with a decimal comma when --decimal-comma is given", () => {
    expect(toReconcileOptions({ decimalComma: true, tolerance: "0,05", nearMax: "1.000,00" })).toEqual({
      amountToleranceMinor: 5,
      nearAmountMaxMinor: 100000,
      threads: defaultThreads(),
    });
  });

  it("reads amounts in the --currency's minor units", () => {
    expect(toReconcileOptions({ currency: "jpy", tolerance: "100" })).toMatchObject({
      amountToleranceMinor: 100,
    });
    expect(toReconcileOptions({ currency: "BHD", nearMax: "1.5" })).toMatchObject({
      nearAmountMaxMinor: 1500,
    });
  });

  it("accepts the bounds of every range", () => {
    expect(
      toReconcileOptions({
        windowBefore: "0",
        windowAfter: "366",
        groupMax: "12",
        reviewBelow: "1",
        nearMaxRatio: "0",
        threads: "64",
      }),
    ).toEqual({
      dateWindowBeforeDays: 0,
      dateWindowAfterDays: 366,
      groupSizeMax: 12,
      reviewBelowConfidence: 1,
      nearAmountMaxRatio: 0,
      threads: 64,
    });
  });

  it("lets the engine use this machine's threads unless --threads says otherwise", () => {
    expect(toReconcileOptions({}).threads).toBe(defaultThreads());
    expect(defaultThreads()).toBeGreaterThanOrEqual(1);
    expect(toReconcileOptions({ threads: "1" }).threads).toBe(1);
    expect(() => toReconcileOptions({ threads: "0" })).toThrow("--threads must be between 1 and 64 threads");
    expect(() => toReconcileOptions({ threads: "two" })).toThrow(
      "--threads must be a whole number of threads",
    );
  });

  it("throws a UsageError naming the flag", () => {
    expect(() => toReconcileOptions({ windowAfter: "x" })).toThrow(UsageError);
    expect(() => toReconcileOptions({ windowAfter: "x" })).toThrow(
      '--window-after must be a whole number of days, got "x"',
    );
  });
});

describe("toReadOptions", () => {
  it("passes only what the user gave, so the readers keep their defaults", () => {
    expect(toReadOptions({})).toEqual({});
    expect(toReadOptions({ currency: "eur", decimalComma: true })).toEqual({
      currency: "EUR",
      decimalSeparator: ",",
    });
  });
});

describe("toOutputChoice", () => {
  it("defaults to a table on stdout", () => {
    expect(toOutputChoice({})).toEqual({ format: "table" });
  });

  it("infers the format from the --out extension, in any case", () => {
    expect(toOutputChoice({ out: "r.JSON" }).format).toBe("json");
    expect(toOutputChoice({ out: "r.csv" }).format).toBe("csv");
    expect(toOutputChoice({ out: "report.txt" }).format).toBe("table");
  });

  it("prefers --format, then --json, to the extension", () => {
    expect(toOutputChoice({ out: "r.json", format: "csv" }).format).toBe("csv");
    expect(toOutputChoice({ out: "r.csv", json: true }).format).toBe("json");
    expect(toOutputChoice({ format: "JSON", json: true }).format).toBe("json");
  });

  it("rejects an empty --out", () => {
    expect(() => toOutputChoice({ out: " " })).toThrow('--out needs a file name, got ""');
  });
});
