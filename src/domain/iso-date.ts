/**
 * The one check that a text is a calendar date written `YYYY-MM-DD` (what Plaid promises,
 * what every importer produces and what the engine counts days from). Here, in the types
 * every layer shares, so that the importers, the engine, the emulator and the CLI agree on
 * which dates exist: the proleptic Gregorian calendar, years 0000 to 9999, no time, no zone.
 */

const DASH = 0x2d;
const ZERO = 0x30;

/**
 * Only `YYYY-MM-DD`, and a real date. Read with char codes, not a regex or a `Date`, because
 * every row of a million-row import goes through here.
 *
 * @example isIsoDate("2024-02-29") // true
 * @example isIsoDate("2025-02-29") // false
 * @example isIsoDate("2025-3-1") // false
 */
export function isIsoDate(text: string): boolean {
  return (
    text.length === 10 &&
    text.charCodeAt(4) === DASH &&
    text.charCodeAt(7) === DASH &&
    isCalendarDate(digitsAt(text, 0, 4), digitsAt(text, 5, 7), digitsAt(text, 8, 10))
  );
}

/**
 * Whether year, month (1–12) and day name a day of the calendar. NaN fails every comparison,
 * so the checks are written to pass only on numbers.
 *
 * @example isCalendarDate(2000, 2, 29) // true
 * @example isCalendarDate(1900, 2, 29) // false
 */
export function isCalendarDate(year: number, month: number, day: number): boolean {
  return (
    Number.isInteger(year) &&
    Number.isInteger(month) &&
    Number.isInteger(day) &&
    year >= 0 &&
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth(year, month)
  );
}

/** Days in a month (1–12) of a year. */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** The decimal number written in text[from, to), or NaN when a character is not a digit. */
function digitsAt(text: string, from: number, to: number): number {
  let value = 0;
  for (let i = from; i < to; i++) {
    const digit = text.charCodeAt(i) - ZERO;
    if (!(digit >= 0 && digit <= 9)) return Number.NaN;
    value = value * 10 + digit;
  }
  return value;
}
