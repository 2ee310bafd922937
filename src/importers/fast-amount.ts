/**
 * Fast paths for the two amount shapes a large import is made of: plain decimal text
 * (`-8703.39`) and a Plaid float with few decimals (`49.99`). Each returns the same minor units
 * as money's `parseAmount` / `numberToMinor`, or undefined for anything else, and the caller
 * then asks money, which gives the exact answer or the error. Measured on a million rows,
 * money's general path (regexes, string splits) was a fifth of the import; these are not.
 * Property tests pin the agreement (fast-amount.test.ts).
 */

/** Below 2^50 minor units a double's spacing is far under one minor unit, so the checks below are exact. */
const FAST_LIMIT = 2 ** 50;
const ZERO = 0x30;
const MINUS = 0x2d;
const POWERS = [1, 10, 100, 1000, 10000];

/**
 * `-?\d+(<decimal>\d*)?` with no more decimals than `exponent`, at most 15 digits.
 *
 * @example plainTextToMinor("-8703.39", 2, ".") // -870339
 * @example plainTextToMinor("1,234.56", 2, ".") // undefined: grouping is money's job
 */
export function plainTextToMinor(text: string, exponent: number, decimal: string): number | undefined {
  const length = text.length;
  let i = text.charCodeAt(0) === MINUS ? 1 : 0;
  const negative = i === 1;
  const separator = decimal.charCodeAt(0);
  let value = 0;
  let digits = 0;
  let decimals = -1;
  for (; i < length; i++) {
    const c = text.charCodeAt(i);
    if (c === separator && decimals === -1) {
      decimals = 0;
      continue;
    }
    const digit = c - ZERO;
    if (digit < 0 || digit > 9) return undefined;
    value = value * 10 + digit;
    digits++;
    if (decimals !== -1) decimals++;
  }
  if (digits === 0 || digits > 15 || decimals > exponent) return undefined;
  const minor = value * (POWERS[exponent - Math.max(decimals, 0)] ?? Number.NaN);
  if (!(minor < FAST_LIMIT)) return undefined;
  return negative && minor !== 0 ? -minor : minor;
}

/**
 * A float whose nearest decimal has at most `exponent` decimals, as minor units (same sign).
 * `m / 10^exponent === value` holds exactly when `value` is the double of such a decimal.
 *
 * @example floatToMinor(49.99, 2) // 4999
 * @example floatToMinor(0.1 + 0.2, 2) // undefined
 */
export function floatToMinor(value: number, exponent: number): number | undefined {
  const scale = POWERS[exponent];
  if (scale === undefined) return undefined;
  const minor = Math.round(value * scale);
  if (!(Math.abs(minor) < FAST_LIMIT) || minor / scale !== value) return undefined;
  return minor === 0 ? 0 : minor;
}
