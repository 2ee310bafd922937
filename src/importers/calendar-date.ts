import { isCalendarDate, isIsoDate } from "../domain/iso-date.js";

/**
 * @deprecated The one ISO-date check lives in domain/iso-date.ts: import it from there. Kept
 * for code written against this module while the check moved (src/workflow/).
 */
export { isIsoDate };

const US = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;
const DOTTED = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/;

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

function fromParts(year = "", month = "", day = ""): string | null {
  if (!isCalendarDate(Number(year), Number(month), Number(day))) return null;
  return `${year}-${month.padStart(2, "0")}-${day.padStart(2, "0")}`;
}
