import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { dayToIso, isoToDay } from "./days.js";

describe("isoToDay and dayToIso", () => {
  it("count days from 1970-01-01", () => {
    expect(isoToDay("1970-01-01")).toBe(0);
    expect(isoToDay("1970-01-02")).toBe(1);
    expect(isoToDay("1969-12-31")).toBe(-1);
    expect(isoToDay("2000-03-01") - isoToDay("2000-02-28")).toBe(2);
    expect(isoToDay("2025-03-01") - isoToDay("2025-02-28")).toBe(1);
    expect(dayToIso(0)).toBe("1970-01-01");
  });

  it("round-trip every day between the years 1900 and 2200", () => {
    const from = isoToDay("1900-01-01");
    const to = isoToDay("2199-12-31");
    fc.assert(
      fc.property(fc.integer({ min: from, max: to }), (day) => {
        const iso = dayToIso(day);
        expect(iso).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        expect(isoToDay(iso)).toBe(day);
      }),
      { numRuns: 1000, seed: 1 },
    );
  });

  it("round-trip every valid calendar date", () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date("1900-01-01T00:00:00Z"),
          max: new Date("2199-12-31T00:00:00Z"),
          noInvalidDate: true,
        }),
        (d) => {
          const iso = d.toISOString().slice(0, 10);
          expect(dayToIso(isoToDay(iso))).toBe(iso);
        },
      ),
      { numRuns: 1000, seed: 2 },
    );
  });

  it("reject dates that do not exist on the calendar", () => {
    for (const iso of [
      "2025-02-29",
      "2024-02-30",
      "2025-13-01",
      "2025-00-10",
      "2025-04-31",
      "2025-01-00",
      "1900-02-29",
    ]) {
      expect(() => isoToDay(iso), iso).toThrow(RangeError);
    }
    expect(isoToDay("2024-02-29") - isoToDay("2024-02-28")).toBe(1);
    expect(isoToDay("2000-02-29") - isoToDay("2000-02-28")).toBe(1);
  });

  it("agree with Date on every day of the years 0100 to 9999", () => {
    const from = isoToDay("0100-01-01");
    const to = isoToDay("9999-12-31");
    fc.assert(
      fc.property(fc.integer({ min: from, max: to }), (day) => {
        const iso = new Date(day * 86_400_000).toISOString().slice(0, 10);
        expect(dayToIso(day)).toBe(iso);
        expect(isoToDay(iso)).toBe(day);
      }),
      { numRuns: 2000, seed: 3 },
    );
  });

  it("count the years 0000 to 0099 as years, not as 1900 to 1999", () => {
    expect(isoToDay("0000-03-01") - isoToDay("0000-02-28")).toBe(2);
    expect(dayToIso(isoToDay("0050-06-15"))).toBe("0050-06-15");
    expect(isoToDay("0100-01-01") - isoToDay("0099-12-31")).toBe(1);
    expect(isoToDay("1970-01-01") - isoToDay("0000-01-01")).toBe(719_528);
  });

  it("read a fraction of a day as within that day", () => {
    expect(dayToIso(1.5)).toBe("1970-01-02");
    expect(dayToIso(-0.5)).toBe("1969-12-31");
    expect(() => dayToIso(Number.NaN)).toThrow(RangeError);
  });

  it("reject text that is not a YYYY-MM-DD date", () => {
    for (const iso of [
      "",
      "2025-3-4",
      "2025/03/04",
      "20250304",
      "2025-03-04T00:00:00Z",
      " 2025-03-04",
      "04-03-2025",
    ]) {
      expect(() => isoToDay(iso), JSON.stringify(iso)).toThrow(RangeError);
    }
  });
});
