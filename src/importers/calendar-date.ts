const US = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;
const DOTTED = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/;
const DASH = 0x2d;
const ZERO = 0x30;

/**
 * Reads a calendar date written `YYYY-MM-DD`, `MM/DD/YYYY` or `DD.MM.YYYY` and returns it as
 * ISO `YYYY-MM-DD`, or null when it is not a real date (2025-02-30, 13/01/2025). Slashes are
 * read month first because that is what US bank and ledger exports write; dots are the
 * European day-first form.
 *
 * @example toIsoDate("03/31/2025") // "2025-03-31"
 * @example toIsoDate("31.03.2025") // "2025-03-31"
 * @example toIsoDate("2025-02-30") // null
 */
export function toIsoDate(text: string): string | null {
  if (isIsoDate(text)) return text;
  let m = US.exec(text);
  if (m !== null) return fromParts(m[3], m[1], m[2]);
  m = DOTTED.exec(text);
  if (m !== null) return fromParts(m[3], m[2], m[1]);
  return null;
}

/**
 * Only `YYYY-MM-DD`, and a real date: what Plaid promises. Read with char codes, not a regex,
 * because every row of a million-row import goes through here.
 *
 * @example isIsoDate("2024-02-29") // true
 * @example isIsoDate("2025-02-29") // false
 */
export function isIsoDate(text: string): boolean {
  return (
    text.length === 10 &&
    text.charCodeAt(4) === DASH &&
    text.charCodeAt(7) === DASH &&
    isRealDate(digitsAt(text, 0, 4), digitsAt(text, 5, 7), digitsAt(text, 8, 10))
  );
}

function fromParts(year = "", month = "", day = ""): string | null {
  if (!isRealDate(Number(year), Number(month), Number(day))) return null;
  return `${year}-${month.padStart(2, "0")}-${day.padStart(2, "0")}`;
}

/** NaN (a non-digit) fails every comparison, so the checks are written to pass only on numbers. */
function isRealDate(year: number, month: number, day: number): boolean {
  return year >= 0 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

function digitsAt(text: string, from: number, to: number): number {
  let value = 0;
  for (let i = from; i < to; i++) {
    const digit = text.charCodeAt(i) - ZERO;
    if (!(digit >= 0 && digit <= 9)) return Number.NaN;
    value = value * 10 + digit;
  }
  return value;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}
