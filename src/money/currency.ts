/**
 * ISO 4217 minor-unit exponents. Only the currencies whose exponent is not 2 are listed:
 * every other well-formed code uses 2, which is what ISO assigns to the vast majority.
 */
const EXPONENT_NOT_TWO: Readonly<Record<string, number>> = {
  BIF: 0,
  CLP: 0,
  DJF: 0,
  GNF: 0,
  ISK: 0,
  JPY: 0,
  KMF: 0,
  KRW: 0,
  PYG: 0,
  RWF: 0,
  UGX: 0,
  UYI: 0,
  VND: 0,
  VUV: 0,
  XAF: 0,
  XOF: 0,
  XPF: 0,
  BHD: 3,
  IQD: 3,
  JOD: 3,
  KWD: 3,
  LYD: 3,
  OMR: 3,
  TND: 3,
  CLF: 4,
  UYW: 4,
};

const CODE = /^[A-Z]{3}$/;

/** Whether `code` looks like an ISO 4217 alphabetic code (three upper-case letters). */
export function isCurrencyCode(code: string): boolean {
  return CODE.test(code);
}

/**
 * Number of decimal places of a currency's minor unit.
 *
 * @example currencyExponent("USD") // 2
 * @example currencyExponent("JPY") // 0
 * @example currencyExponent("BHD") // 3
 */
export function currencyExponent(code: string): number {
  if (!CODE.test(code)) throw new RangeError(`"${code}" is not an ISO 4217 currency code`);
  return EXPONENT_NOT_TWO[code] ?? 2;
}

/** 10 ** exponent, as an exact integer. */
export function minorPerMajor(code: string): number {
  return 10 ** currencyExponent(code);
}
