import { isIsoDate } from "../domain/iso-date.js";

/**
 * Calendar days as integers (days since 1970-01-01), so that the engine's date arithmetic is
 * one subtraction. Dates are calendar dates without a time zone, as banks and ledgers use them.
 * Counted with integer arithmetic on the proleptic Gregorian calendar (H. Hinnant's
 * days_from_civil and civil_from_days), not with `Date`: the engine reads no clock and makes
 * no `Date`, and `Date.UTC` reads the years 0–99 as 1900–1999.
 */

/**
 * @example isoToDay("1970-01-02") // 1
 */
export function isoToDay(iso: string): number {
  // A feed has a few hundred distinct dates over a million rows: parse each once.
  const known = seen.get(iso);
  if (known !== undefined) return known;
  const day = parseDay(iso);
  if (seen.size >= SEEN_MAX) seen.clear();
  seen.set(iso, day);
  return day;
}

const seen = new Map<string, number>();
const SEEN_MAX = 100_000;

/** Days in 400 Gregorian years: the calendar repeats after them. */
const ERA_DAYS = 146_097;
/** Days from 0000-03-01, where the counting below starts its years, to 1970-01-01. */
const EPOCH_SHIFT = 719_468;

function parseDay(iso: string): number {
  if (!isIsoDate(iso)) throw new RangeError(`"${iso}" is not a YYYY-MM-DD date`);
  const month = Number(iso.slice(5, 7));
  // Years start on March 1st, so that February's leap day is the last day of its year.
  const year = Number(iso.slice(0, 4)) - (month <= 2 ? 1 : 0);
  const era = Math.floor(year / 400);
  const yearOfEra = year - era * 400;
  const dayOfYear =
    Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + Number(iso.slice(8)) - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * ERA_DAYS + dayOfEra - EPOCH_SHIFT;
}

/** @example dayToIso(1) // "1970-01-02" */
export function dayToIso(day: number): string {
  if (!Number.isFinite(day)) throw new RangeError(`${day} is not a day`);
  // A fraction of a day is within that day, as with a time of day.
  const shifted = Math.floor(day) + EPOCH_SHIFT;
  const era = Math.floor(shifted / ERA_DAYS);
  const dayOfEra = shifted - era * ERA_DAYS;
  const yearOfEra = Math.floor(
    (dayOfEra -
      Math.floor(dayOfEra / 1460) +
      Math.floor(dayOfEra / 36_524) -
      Math.floor(dayOfEra / 146_096)) /
      365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const shiftedMonth = Math.floor((5 * dayOfYear + 2) / 153);
  const dayOfMonth = dayOfYear - Math.floor((153 * shiftedMonth + 2) / 5) + 1;
  const month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(dayOfMonth, 2)}`;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, "0");
}
