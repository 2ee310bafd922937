export { currencyExponent, isCurrencyCode, minorPerMajor } from "./currency.js";
export { type FormatAmountOptions, formatAmount, formatAmountPlain } from "./format.js";
export {
  type DecimalSeparator,
  fromPlaidAmount,
  MoneyParseError,
  numberToMinor,
  type ParseAmountOptions,
  parseAmount,
} from "./parse.js";
