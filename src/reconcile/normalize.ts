/**
 * Turns free-text descriptions into comparable tokens. Bank descriptions are upper case,
 * truncated and full of payment-rail noise (`ORIG CO NAME:`, `PPD ID:`, store numbers, card
 * masks); ledger descriptions are a bookkeeper's words. Both reduce to:
 * - words: letters only, minus rail noise and legal-form words, which say nothing about who;
 * - codes: anything with digits (invoice numbers, check numbers, store numbers), with a
 *   letter prefix split off by punctuation joined back (`INV-1043` and `INV1043` agree).
 */

/** Words that name the payment rail, the document type or a legal form, never a party. */
const NOISE_WORDS = new Set(
  (
    "A AN AND AT BY FOR FROM IN OF ON OR THE TO VIA WITH " +
    "INC LLC LTD LLP PLC CO CORP CORPORATION COMPANY GROUP GMBH AG SA SAS BV NV " +
    "ACH CCD PPD WEB TEL CTX IAT POS ATM EFT RTP SEPA SWIFT WIRE TRN OBI BNF ORG ORIG IMAD OMAD FED " +
    "NAME ENTRY DESCR DESC IND ID CO TYPE REF REFERENCE NO NUM NUMBER " +
    "PAYMENT PAYMENTS PMT PMTS PAY PAID PURCHASE DEBIT CREDIT CR DR DEPOSIT DEP DIRECT " +
    "TRANSFER XFER ONLINE MOBILE RECURRING AUTOPAY BILLPAY CARD VISA MASTERCARD AMEX " +
    "ACCT ACCOUNT CHECK CHK CHEQUE INVOICE INV BILL RECEIVED RECEIPT CUSTOMER " +
    "INCOMING OUTGOING IN OUT INTL DOMESTIC NA XX XXX XXXX"
  ).split(" "),
);

export interface TextTokens {
  /** Distinct words, upper case, in order of appearance. */
  readonly words: readonly string[];
  /** Distinct codes (tokens with digits), upper case; all-digit codes without leading zeros. */
  readonly codes: readonly string[];
}

const NON_ASCII = /[\u0080-\uffff]/;
const DIACRITICS = /\p{M}/gu;
const SPLIT_UNICODE = /[^\p{L}\p{N}]+/u;
const HAS_DIGIT = /\d/;
const ALL_DIGITS = /^\d+$/;
const ALL_LETTERS = /^\p{L}+$/u;

/**
 * @example tokenize("ORIG CO NAME:ACME SUPPLY CO ENTRY DESCR:PAYMENT IND ID:INV-1043")
 *   // { words: ["ACME", "SUPPLY"], codes: ["1043", "INV1043"] }
 */
export function tokenize(text: string): TextTokens {
  let upper = text.toUpperCase();
  if (NON_ASCII.test(upper)) {
    upper = upper.normalize("NFKD").replace(DIACRITICS, "");
    return collect(upper.split(SPLIT_UNICODE));
  }
  return collect(splitAscii(upper));
}

/** Splits upper-case ASCII text at every character that is not a letter or a digit. */
function splitAscii(upper: string): string[] {
  const tokens: string[] = [];
  let start = -1;
  for (let i = 0; i <= upper.length; i++) {
    const c = i < upper.length ? upper.charCodeAt(i) : 0;
    const alnum = (c >= 48 && c <= 57) || (c >= 65 && c <= 90);
    if (alnum && start === -1) start = i;
    else if (!alnum && start !== -1) {
      tokens.push(upper.slice(start, i));
      start = -1;
    }
  }
  return tokens;
}

function collect(raw: readonly string[]): TextTokens {
  const words: string[] = [];
  const codes: string[] = [];
  let previous = "";
  for (const token of raw) {
    if (token === "") continue;
    if (HAS_DIGIT.test(token)) {
      const digitsOnly = ALL_DIGITS.test(token);
      const code = digitsOnly ? stripZeros(token) : token;
      if (code.length >= 2 && !codes.includes(code)) codes.push(code);
      // "INV-1043" arrives as two tokens; the ledger may write it "INV1043".
      if (digitsOnly && previous !== "" && ALL_LETTERS.test(previous)) {
        const joined = previous + token;
        if (!codes.includes(joined)) codes.push(joined);
      }
    } else if (token.length >= 2 && !NOISE_WORDS.has(token) && !words.includes(token)) {
      words.push(token);
    }
    previous = token;
  }
  return { words, codes };
}

function stripZeros(digits: string): string {
  let i = 0;
  while (i < digits.length - 1 && digits.charCodeAt(i) === 48) i++;
  return i === 0 ? digits : digits.slice(i);
}

/**
 * A reference as the bank would echo it: letters and digits only, upper case; all-digit
 * references without leading zeros. Returns null when nothing distinctive is left.
 *
 * @example normalizeReference("INV-01043") // "INV01043"
 * @example normalizeReference("0001043") // "1043"
 */
export function normalizeReference(reference: string | null): string | null {
  if (reference === null) return null;
  const compact = reference.toUpperCase().replace(/[^A-Z0-9]/g, "");
  if (compact === "") return null;
  const value = ALL_DIGITS.test(compact) ? stripZeros(compact) : compact;
  // One- or two-character references ("1", "A") match by accident far too often.
  return value.length >= 3 ? value : null;
}

/**
 * A bank descriptor as a key that recurs from month to month: its words, without the numbers
 * that change each time (`GUSTO PAY 123456 SMITH` and `GUSTO PAY 654321 SMITH` share one). The
 * workflow keys learned aliases by it.
 *
 * @example descriptorKey("ORIG CO NAME:ACME SUPPLY CO ENTRY DESCR:PAYMENT IND ID:INV-1043") // "ACME SUPPLY"
 */
export function descriptorKey(name: string): string {
  return tokenize(name).words.join(" ");
}
