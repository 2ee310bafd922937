import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { daysInMonth, isCalendarDate, isIsoDate } from "./iso-date.js";

/** What `Date` says, as the emulator used to ask it: the oracle for the char-code check. */
function dateSays(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const parsed = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === text;
}

describe("isIsoDate", () => {
  it("accepts only real dates written YYYY-MM-DD", () => {
    expect(isIsoDate("2025-12-31")).toBe(true);
    expect(isIsoDate("2024-02-29")).toBe(true);
    expect(isIsoDate("2000-02-29")).toBe(true);
    expect(isIsoDate("0000-01-01")).toBe(true);
    for (const text of [
      "2025-02-29",
      "1900-02-29",
      "2025-04-31",
      "2025-00-10",
      "2025-13-01",
      "2025-01-00",
      "2025-1a-10",
      "2025-3-1",
      "2025/03/01",
      "03/31/2025",
      "20250301",
      " 2025-03-01",
      "2025-03-01T00:00:00Z",
      "",
    ]) {
      expect(isIsoDate(text), JSON.stringify(text)).toBe(false);
    }
  });

  it("agrees with Date on every date of the years 0000 to 9999", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 9999 }),
        fc.integer({ min: 0, max: 13 }),
        fc.integer({ min: 0, max: 32 }),
        (year, month, day) => {
          const text = `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
          expect(isIsoDate(text)).toBe(dateSays(text));
        },
      ),
      { numRuns: 5000, seed: 3 },
    );
  });

  it("agrees with Date on text of the right length that is not a date", () => {
    const chars = fc.constantFrom(..."0123456789-/ aT".split(""));
    fc.assert(
      fc.property(fc.array(chars, { minLength: 10, maxLength: 10 }), (list) => {
        const text = list.join("");
        expect(isIsoDate(text)).toBe(dateSays(text));
      }),
      { numRuns: 2000, seed: 4 },
    );
  });
});

describe("isCalendarDate and daysInMonth", () => {
  it("know the leap years and the months' lengths", () => {
    expect(daysInMonth(2024, 2)).toBe(29);
    expect(daysInMonth(2025, 2)).toBe(28);
    expect(daysInMonth(1900, 2)).toBe(28);
    expect(daysInMonth(2000, 2)).toBe(29);
    expect([1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map((m) => daysInMonth(2025, m))).toEqual([
      31, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31,
    ]);
    expect(isCalendarDate(2025, 4, 30)).toBe(true);
    expect(isCalendarDate(2025, 4, 31)).toBe(false);
    expect(isCalendarDate(2025, 2.5, 1)).toBe(false);
    expect(isCalendarDate(Number.NaN, 1, 1)).toBe(false);
  });
});
