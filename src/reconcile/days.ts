/**
 * Calendar days as integers (days since 1970-01-01), so that the engine's date arithmetic is
 * one subtraction. Dates are calendar dates without a time zone, as banks and ledgers use them.
 */

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

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

function parseDay(iso: string): number {
  const m = ISO_DATE.exec(iso);
  if (m === null) throw new RangeError(`"${iso}" is not a YYYY-MM-DD date`);
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const ms = Date.UTC(year, month - 1, day);
  const check = new Date(ms);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) {
    throw new RangeError(`"${iso}" is not a calendar date`);
  }
  return Math.round(ms / 86_400_000);
}

/** @example dayToIso(1) // "1970-01-02" */
export function dayToIso(day: number): string {
  return new Date(day * 86_400_000).toISOString().slice(0, 10);
}
