/**
 * Merchants for spending reports: one stable key per merchant, so that a year of coffee at
 * one chain is one line however the bank printed each purchase. Plaid's merchant wins when it
 * sent one; otherwise the bank's descriptor is cleaned of what changes between purchases
 * (dates, store numbers, card masks, phone numbers, reference ids, the city and state) and of
 * what the card and ACH rails add (POS DEBIT, SQ *, DES: fields).
 *
 * A card descriptor is laid out as name (≤25 chars), city or phone (13), state (2), and the
 * cleaning follows that layout: a phone number, URL or number right before the state stands
 * for the city field, so the name in front of it is kept whole.
 *
 * The cleaning is a heuristic without a gazetteer: it cannot tell a city from the last word
 * of a name when no state follows ("ZUNI CAFE SAN FRANCISCO" keeps "san francisco"), and a
 * state code with no city before it takes the name's last word with it. A person's renames
 * and rules (see rules.ts) are where such cases are fixed.
 */

export interface Merchant {
  /** `entity:<id>`, `name:<normalized name>` or `desc:<cleaned words>`: what reports group by. */
  readonly key: string;
  /** What a person reads: Plaid's name, or the cleaned words in Title Case. */
  readonly name: string;
  readonly source: "plaid_entity" | "plaid_name" | "description";
}

/** Bank descriptors are short; past this the text is free-form memo and only costs time. */
const DESCRIPTION_CHARS_MAX = 512;

/** Stands where noise was: a city field when it sits right before a state, nothing otherwise. */
const MARKER = "~";
const STAR = "*";
const MARKER_CODE = 0x7e;
const STAR_CODE = 0x2a;
const SPACE_CODE = 0x20;
const ZERO_CODE = 0x30;
const NINE_CODE = 0x39;

const NON_ASCII = /[\u0080-\uffff]/;
/** Latin accents only: other scripts' marks (the dakuten in バ) are part of the letter. */
const LATIN_ACCENTS = /[\u0300-\u036f]+/g;

// ACH: the company is before the first field; "ORIG CO NAME:" is Chase's way of saying it.
// A field is a name and a colon, or an "X ID" and its number.
const ORIG_CO_NAME = /\bORIG CO NAME\s*:\s*/;
const ACH_FIELDS =
  /\b(?:(?:CO|ORIG|IND|PPD|WEB|CCD|TEL)\s?ID(?:\s*[:#]|\s+\d+\b)|(?:DES|INDN|ID|SEC|EED|TRN|TRACE|REF|CONF|CONFIRMATION|DESC DATE|CO ENTRY DESCR|IND NAME)\s*[:#]).*$/;

// A web address names the brand by its second-level label: HELP.UBER.COM is Uber.
const DOMAIN =
  /(?:HTTPS?:\/\/)?(?:WWW\.)?(?:[A-Z0-9-]+\.)*([A-Z0-9-]+)\.(?:COM|NET|ORG|CO|US|IO|TV|APP|ME|BIZ|INFO|CA|UK)(?:\.[A-Z]{2})?(?![A-Z0-9])(?:\/\S*)?/g;

// What changes from one purchase to the next becomes a marker. Runs after punctuation, so
// 866-579-7172 and 2026-04-12 are already one number, which the tokenizer marks like any long
// number or id; these are the shapes it would misread: card masks, dates and times with short
// numbers (04/12, 7PM), and amounts. Edges are lookarounds, not \b, to split where the
// tokenizer splits (_7PM).
const CARD_NOISE =
  /\bCARD\s*(?:ENDING\s*(?:IN\s*)?)?(?:NO\.?\s*)?#?\s*(?:[X*]+\d{2,4}|\d{4})(?![A-Z0-9])|(?<![A-Z0-9])#?(?:[X*]{3,}\d*|[X*]{2}\d{2,})(?![A-Z0-9])/g;
/** A date (04/12, 04/12/26), a time (12:34, 7PM) or an amount ($12.34 read as $1234). */
const NUMBER_NOISE =
  /(?<![\p{L}\p{N}])(?:\d{1,2}\/\d{1,2}(?:\/\d{2,4})?|\d{1,2}:\d{2}(?::\d{2})?(?:\s?[AP]M)?|\d{1,2}\s?[AP]M|\$\s?\d[\d,]*)(?![\p{L}\p{N}])/gu;

// Punctuation: JOE'S and JOES, WAL-MART and WALMART, AT&T and ATT must meet; BARNES & NOBLE
// and BARNES AND NOBLE too.
const APOSTROPHE_OR_GLUE = /['’‘`]|(?<=[\p{L}\p{N}])[-.](?=[\p{L}\p{N}])/gu;
const MAY_GLUE = /['’‘`.-]/;
const INITIALS_AMPERSAND = /\b(\p{L}{1,2})&(\p{L}{1,2})\b/gu;
const AMPERSAND = /&/g;
const UNICODE_WORD_CHAR = /[\p{L}\p{N}\p{M}]/u;
const NAME_SEPARATORS = /[^\p{L}\p{N}]+/gu;

const LETTERS = /^\p{L}+$/u;
/**
 * Digits that belong to a brand (7-ELEVEN, 24 HOUR, 3M, A1, H2O, 5TH); other digits are ids.
 * A leading zero is an id's padding, never a brand's.
 */
const BRAND_WITH_DIGITS = /^(?:[1-9]\d?\p{L}{3,}|\p{L}{1,2}\d|[1-9]\p{L}{1,2}|\p{L}\d\p{L})$/u;
/** What a spaced short number and the next word may join into (7 ELEVEN, not 1 PM). */
const NUMBER_THEN_NAME = /^[1-9]\d?\p{L}{3,}$/u;

/** What the rails put before the merchant; matched as whole words at the start, longest first. */
const LEADING_NOISE = phraseIndex([
  "PURCHASE AUTHORIZED ON",
  "PURCHASE AUTHORIZED",
  "AUTHORIZED ON",
  "POS DEBIT",
  "POS PURCHASE",
  "POS WITHDRAWAL",
  "POS",
  "DEBIT CARD PURCHASE",
  "DEBIT CARD",
  "DEBIT PURCHASE",
  "DEBIT",
  "CHECK CARD PURCHASE",
  "CHECK CARD",
  "CHECKCARD",
  "CARD PURCHASE",
  "VISA DEBIT",
  "VISA PURCHASE",
  "VISA",
  "RECURRING PAYMENT",
  "RECURRING",
  "PREAUTHORIZED DEBIT",
  "ACH DEBIT",
  "ACH CREDIT",
  "ACH PMT",
  "ACH PAYMENT",
  "ACH WITHDRAWAL",
  "ACH DEPOSIT",
  "ACH",
  "ELECTRONIC PAYMENT",
  "DDA PUR",
  "PURCHASE",
  "APLPAY",
  "APPLE PAY",
  "GOOGLE PAY",
]);

/** Payment processors whose `X *` prefix is followed by the real merchant. */
const PROCESSORS = new Set("SQ SQU TST PAYPAL PP SP GOOGLE PY EB FS BT CKO".split(" "));

const STATES = new Set(
  (
    "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ " +
    "NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY PR VI GU"
  ).split(" "),
);

/** Dropped from the end whatever comes before: countries, company forms, rail and status codes. */
const TRAILING_NOISE = new Set(
  (
    "USA US LLC INC CORP CORPORATION LTD LP LLP PLLC " +
    "PPD CCD WEB TEL ACH ARC BOC POS RECURRING REFUND RETURN REVERSAL PENDING"
  ).split(" "),
);

/** First words of two-word cities: after SAN FRANCISCO's FRANCISCO goes, SAN goes too. */
const CITY_FIRST_WORDS = new Set(
  (
    "SAN SANTA LOS LAS NEW FORT FT ST SAINT EL DEL LA PALO LONG WEST EAST NORTH SOUTH PORT MOUNT MT " +
    "BATON GRAND CEDAR DES CORPUS BOCA ANN SIOUX CHULA DALY MENLO REDWOOD FOSTER CASTRO WALNUT"
  ).split(" "),
);

/** Last words of two-word cities: KANSAS CITY, LONG BEACH, COLORADO SPRINGS. */
const CITY_LAST_WORDS = new Set(
  "CITY BEACH SPRINGS HEIGHTS FALLS PARK VALLEY HILLS ISLAND VILLAGE GROVE CREEK HARBOR RAPIDS".split(" "),
);

/** Words that name a kind of transaction, not a merchant: a descriptor of only these has none. */
const GENERIC_WORDS = new Set(
  (
    "DEPOSIT DEP CHECK CHK PAYMENT PMT PURCHASE DEBIT CREDIT TRANSFER XFER WITHDRAWAL WDL POS CARD " +
    "ACH ATM ONLINE MOBILE RECURRING AUTHORIZED ON CASH FEE SERVICE CHARGE MONTHLY INTEREST REFUND " +
    "TRANSACTION BANKING BANK SAVINGS CHECKING ACCOUNT ACCT TO FROM REF"
  ).split(" "),
);

/** Words that only introduce the number after them: STORE 0123, STE 4, TERMINAL 12. */
const NUMBER_WORDS = new Set(["STORE", "STR", "STE", "UNIT", "LOC", "TERMINAL", "TERM", "REG", "NO", "NUM"]);

/** A descriptor that starts with one of these is cash or a bank's own move, not a merchant. */
const NO_MERCHANT_FIRST_WORDS = new Set(["ATM"]);

/**
 * Abbreviations that would split one chain in two. Kept short on purpose: a person's renames
 * and rules are where local aliases belong. Each value must clean to itself.
 */
const ALIASES: ReadonlyMap<string, readonly string[]> = new Map(
  Object.entries({
    AMZN: "AMAZON",
    "AMZN MKTP": "AMAZON",
    "AMZN MKTPLACE": "AMAZON",
    "AMAZON MKTP": "AMAZON",
    "AMAZON MKTPLACE": "AMAZON",
    "AMAZON MARKETPLACE": "AMAZON",
    WHOLEFDS: "WHOLE FOODS MARKET",
    "WHOLEFDS MKT": "WHOLE FOODS MARKET",
    "WAL MART": "WALMART",
    "WM SUPERCENTER": "WALMART",
  }).map(([from, to]) => [from, to.split(" ")]),
);

/** Kept lower case inside a Title Case name. */
const SMALL_WORDS = new Set(["AND", "OF", "THE", "A", "AT", "BY", "FOR", "IN", "ON", "TO"]);

/**
 * The merchant a spending report files a transaction under. Plaid's entity id is the
 * steadiest key there is; then Plaid's merchant name; then the cleaned bank descriptor.
 * Returns null when none of them leaves anything (a check, a bare deposit).
 *
 * @example resolveMerchant({ merchantEntityId: "O5W5j4", merchantName: "Starbucks", description: "STARBUCKS 0412" })
 * // { key: "entity:O5W5j4", name: "Starbucks", source: "plaid_entity" }
 * @example resolveMerchant({ merchantEntityId: null, merchantName: null, description: "SQ *BLUE BOTTLE COFFEE 0412" })
 * // { key: "desc:blue bottle coffee", name: "Blue Bottle Coffee", source: "description" }
 * @example resolveMerchant({ merchantEntityId: null, merchantName: null, description: "CHECK 1042" }) // null
 */
export function resolveMerchant(row: {
  readonly merchantEntityId: string | null;
  readonly merchantName: string | null;
  readonly description: string;
}): Merchant | null {
  const entityId = row.merchantEntityId?.trim() ?? "";
  const plaidName = row.merchantName?.trim() ?? "";
  if (entityId !== "") {
    const name = plaidName !== "" ? plaidName : fallbackName(row.description, entityId);
    return { key: `entity:${entityId}`, name, source: "plaid_entity" };
  }
  const normalized = normalizeName(plaidName);
  if (normalized !== "") return { key: `name:${normalized}`, name: plaidName, source: "plaid_name" };
  const words = cleanWords(row.description);
  if (words.length === 0) return null;
  return { key: `desc:${words.join(" ").toLowerCase()}`, name: titleCase(words), source: "description" };
}

/**
 * The cleaned key of a bank descriptor: lower-case words joined by single spaces, the same
 * for every purchase at one merchant; "" when only noise is left.
 *
 * @example merchantKey("STARBUCKS STORE 01234 SEATTLE WA") // "starbucks"
 * @example merchantKey("CHECKCARD 0412 SHELL OIL 57444 HOUSTON TX") // "shell oil"
 * @example merchantKey("AMZN Mktp US*2K3L45ZX1") // "amazon"
 * @example merchantKey("POS PURCHASE 1234") // ""
 */
export function merchantKey(description: string): string {
  return cleanWords(description).join(" ").toLowerCase();
}

/**
 * The display name for the words `merchantKey` keeps, in Title Case; "" when none are left.
 *
 * @example merchantName("TST* JOE'S PIZZA 123 NEW YORK NY 10001") // "Joes Pizza"
 * @example merchantName("BARNES & NOBLE #2231") // "Barnes and Noble"
 */
export function merchantName(description: string): string {
  return titleCase(cleanWords(description));
}

/** Plaid's name for the `name:` key: case, accents and punctuation folded, nothing removed. */
function normalizeName(name: string): string {
  if (name === "") return "";
  return punctuate(foldCase(name)).replace(NAME_SEPARATORS, " ").trim().toLowerCase();
}

function fallbackName(description: string, entityId: string): string {
  const words = cleanWords(description);
  if (words.length > 0) return titleCase(words);
  const trimmed = description.trim();
  return trimmed !== "" ? trimmed : entityId;
}

/** The merchant's words, upper case, in order: the one cleaning behind the key and the name. */
function cleanWords(description: string): readonly string[] {
  const text = punctuate(brandDomains(cutAchFields(foldCase(description.slice(0, DESCRIPTION_CHARS_MAX)))));
  // Noise after punctuation, so that 5-PM is read as 5PM here and not on the key's second pass.
  // The prefix again after settling, as settling can turn a leading STORE 12 into a marker.
  const words = stripPrefix(settleWords(stripPrefix(tokenize(removeNoise(text)))));
  if (words.length === 0 || NO_MERCHANT_FIRST_WORDS.has(words[0] ?? "")) return [];
  const kept = stripTail(words).filter((word) => word !== MARKER);
  const aliased = ALIASES.get(kept.join(" "));
  if (aliased !== undefined) return aliased;
  return kept.every((word) => GENERIC_WORDS.has(word)) ? [] : kept;
}

function foldCase(text: string): string {
  // Accents only matter in the rare non-ASCII descriptor; skip the normalize cost otherwise.
  // Normalize before upper-casing: NFKD can make a cased letter out of a symbol (𝛓 → ς), and
  // lower-case first, as the key is lower case and ẞ → ß → SS must give what ß gives.
  if (!NON_ASCII.test(text)) return text.toUpperCase();
  return text.normalize("NFKD").replace(LATIN_ACCENTS, "").normalize("NFC").toLowerCase().toUpperCase();
}

function cutAchFields(text: string): string {
  const orig = ORIG_CO_NAME.exec(text);
  const company = orig === null ? text : text.slice(orig.index + orig[0].length);
  // Every field marker has a colon, a hash or the word ID; most descriptors have none.
  const mayHaveFields = company.includes(":") || company.includes("#") || company.includes("ID");
  return mayHaveFields ? company.replace(ACH_FIELDS, "") : company;
}

// The `includes` checks skip a regex pass for the many descriptors that cannot match it.
function brandDomains(text: string): string {
  return text.includes(".") ? text.replace(DOMAIN, brandOfDomain) : text;
}

function removeNoise(text: string): string {
  const cards = hasCardNoise(text) ? text.replace(CARD_NOISE, " ~ ") : text;
  return cards.replace(NUMBER_NOISE, " ~ ");
}

/** G.CO/HELPPAY# names no brand: a label of one or two letters is a short link, not a name. */
function brandOfDomain(_domain: string, label: string): string {
  return label.length <= 2 ? " ~ " : ` ${label} `;
}

function hasCardNoise(text: string): boolean {
  return text.includes("XX") || text.includes("**") || text.includes("CARD");
}

function punctuate(text: string): string {
  const glued = MAY_GLUE.test(text) ? text.replace(APOSTROPHE_OR_GLUE, "") : text;
  if (!glued.includes("&")) return glued;
  return glued.replace(INITIALS_AMPERSAND, "$1$2").replace(AMPERSAND, " AND ");
}

/**
 * Words (letters and digits), markers and stars; everything else separates them. A scan by
 * hand counts each word's digits on the way, which saves a regex test per word after it.
 */
function tokenize(text: string): string[] {
  const tokens: string[] = [];
  let start = -1;
  let digits = 0;
  for (let i = 0; i <= text.length; i++) {
    const code = i < text.length ? text.charCodeAt(i) : SPACE_CODE;
    if (isWordCode(code, text, i)) {
      if (start < 0) {
        start = i;
        digits = 0;
      }
      if (isDigitCode(code)) digits++;
      continue;
    }
    if (start >= 0) tokens.push(classify(text.slice(start, i), digits));
    start = -1;
    if (code === MARKER_CODE) tokens.push(MARKER);
    else if (code === STAR_CODE) tokens.push(STAR);
  }
  return tokens;
}

function isWordCode(code: number, text: string, i: number): boolean {
  if (code < 128) return isDigitCode(code) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
  // Rare: letters of other scripts; a surrogate pair is taken as a letter.
  return (code >= 0xd800 && code <= 0xdfff) || UNICODE_WORD_CHAR.test(text.charAt(i));
}

function isDigitCode(code: number): boolean {
  return code >= ZERO_CODE && code <= NINE_CODE;
}

/** Ids and long numbers become markers; short numbers wait, as they may start a brand (7 ELEVEN). */
function classify(token: string, digits: number): string {
  if (digits === 0) return token;
  if (digits === token.length) return token.length <= 2 ? token : MARKER;
  return BRAND_WITH_DIGITS.test(token) ? token : MARKER;
}

/** Rail words, markers, processor prefixes and what follows a merchant's `*`, until none is left. */
function stripPrefix(tokens: readonly string[]): readonly string[] {
  let words = tokens;
  // Every round that changes anything shortens the list, so this bound is never the one hit.
  for (let round = 0; round <= tokens.length; round++) {
    const next = stripOnce(words);
    if (next === words) return words;
    words = next;
  }
  return words;
}

function stripOnce(words: readonly string[]): readonly string[] {
  const first = words[0];
  if (first === undefined) return words;
  if (first === MARKER || first === STAR) return words.slice(1);
  if (isDigitCode(first.charCodeAt(0)) && first.length <= 2) return joinShortNumber(words, first);
  const noise = leadingNoiseLength(words);
  if (noise > 0) return words.slice(noise);
  if (first === "THE" && words.length > 1) return words.slice(1);
  if (PROCESSORS.has(first) && words[1] === STAR) return words.slice(2);
  // BRAND *DETAIL: the detail is an order id, a ride or a product; the brand is the merchant.
  const star = words.indexOf(STAR);
  return star > 0 ? words.slice(0, star) : words;
}

/** 7 ELEVEN is 7-ELEVEN: a short number joins the word after it when they make a brand. */
function joinShortNumber(words: readonly string[], first: string): readonly string[] {
  const joined = first + (words[1] ?? "");
  const joins = NUMBER_THEN_NAME.test(joined) && leadingNoiseLength(words.slice(1)) === 0;
  return joins ? [joined, ...words.slice(2)] : words.slice(1);
}

/** How many words a leading noise phrase takes; markers inside it (DEBIT ~ PURCHASE) go with it. */
function leadingNoiseLength(words: readonly string[]): number {
  const phrases = LEADING_NOISE.get(words[0] ?? "");
  if (phrases === undefined) return 0;
  for (const phrase of phrases) {
    const length = matchSkippingMarkers(words, phrase);
    if (length > 0) return length;
  }
  return 0;
}

function matchSkippingMarkers(words: readonly string[], phrase: readonly string[]): number {
  let at = 0;
  for (const expected of phrase) {
    while (words[at] === MARKER) at++;
    if (words[at] !== expected) return 0;
    at++;
  }
  return at;
}

/**
 * Numbers left past the start become markers (a store number mid-name) and take the word that
 * introduced them (STORE 0123) along. A lone S joins the word before it: TRADER JOE S is
 * TRADER JOE'S with the apostrophe printed as a space. After a marker the S is dropped, or the
 * key (where the marker is gone) would join it on a second pass.
 */
function settleWords(words: readonly string[]): string[] {
  const settled: string[] = [];
  for (const word of words) {
    const last = settled.length - 1;
    const previous = settled[last];
    const value = isDigitCode(word.charCodeAt(0)) && word.length <= 2 ? MARKER : word;
    if (value === "S" && previous === MARKER) continue;
    if (value === "S" && previous !== undefined && LETTERS.test(previous)) settled[last] = previous + "S";
    else if (value === MARKER && previous !== undefined && NUMBER_WORDS.has(previous)) settled[last] = MARKER;
    else settled.push(value);
  }
  return settled;
}

/**
 * Peels the end until it is a name: markers, countries, company forms, a repeated brand (the
 * help URL), and a state with the city before it. Runs to a fixed point, so a key cleans to
 * itself.
 */
function stripTail(words: readonly string[]): string[] {
  const rest = [...words];
  while (rest.length > 0) {
    const last = rest[rest.length - 1] ?? "";
    if (last === MARKER) rest.pop();
    else if (realWordCount(rest) <= 1) break;
    else if (TRAILING_NOISE.has(last) || rest.indexOf(last) < rest.length - 1) rest.pop();
    else if (STATES.has(last)) {
      rest.pop();
      stripCity(rest);
    } else break;
  }
  return rest;
}

/** The one or two city words before a state, leaving at least one word of the name. */
function stripCity(rest: string[]): void {
  if (rest[rest.length - 1] === MARKER || realWordCount(rest) <= 1) return;
  const city = rest.pop() ?? "";
  if (realWordCount(rest) <= 1) return;
  const before = rest[rest.length - 1] ?? "";
  if (CITY_LAST_WORDS.has(city) || CITY_FIRST_WORDS.has(before)) rest.pop();
}

function realWordCount(words: readonly string[]): number {
  let count = 0;
  for (const word of words) if (word !== MARKER) count++;
  return count;
}

function titleCase(words: readonly string[]): string {
  const title = (word: string) => word.charAt(0) + word.slice(1).toLowerCase();
  return words
    .map((word, i) => (i > 0 && SMALL_WORDS.has(word) ? word.toLowerCase() : title(word)))
    .join(" ");
}

function phraseIndex(phrases: readonly string[]): Map<string, readonly (readonly string[])[]> {
  const index = new Map<string, (readonly string[])[]>();
  for (const phrase of phrases) {
    const words = phrase.split(" ");
    const list = index.get(words[0] ?? "") ?? [];
    list.push(words);
    list.sort((a, b) => b.length - a.length);
    index.set(words[0] ?? "", list);
  }
  return index;
}
