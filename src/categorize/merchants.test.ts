import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { merchantKey, merchantName, resolveMerchant } from "./merchants.js";

/** Descriptors one merchant printed across months, stores, cities and banks: each group one key. */
const SAME_MERCHANT: readonly (readonly [key: string, descriptors: readonly string[]])[] = [
  [
    "starbucks",
    [
      "STARBUCKS STORE 01234 SEATTLE WA",
      "STARBUCKS STORE 05678 PORTLAND OR",
      "STARBUCKS STORE 05921 SAN FRANCISCO CA",
      "Starbucks Store #1234 Seattle, WA",
      "POS DEBIT STARBUCKS 04/12 #000123 NEW YORK NY 10001",
      "STARBUCKS STORE 05921 SAN FRANCISCO CA REFUND",
      "2026-04-12 STARBUCKS 12:34",
    ],
  ],
  [
    "blue bottle coffee",
    [
      "SQ *BLUE BOTTLE COFFEE 0412",
      "SQ *BLUE BOTTLE COFFEE 0519",
      "SQ *BLUE BOTTLE COFFEE OAKLAND CA",
      "SQ*BLUE BOTTLE COFFEE",
      "PURCHASE AUTHORIZED ON 04/12 SQ *BLUE BOTTLE COFFEE OAKLAND CA CARD 1234",
      "DEBIT CARD PURCHASE XXXX1234 SQ * BLUE BOTTLE COFFEE LOS ANGELES CA",
    ],
  ],
  [
    "amazon",
    [
      "AMZN Mktp US*2K3L45ZX1",
      "AMZN Mktp US*9P1QQ2AB0",
      "AMZN Mktp US*2K4LM0TX3 AMZN.COM/BILL WA",
      "AMAZON.COM*1J97C3CS3 AMZN.COM/BILL WA",
      "AMAZON.COM",
      "PURCHASE AUTHORIZED ON 01/26 AMZN Mktp US*VV40Q1",
    ],
  ],
  [
    "uber",
    ["UBER *TRIP HELP.UBER.COM CA", "UBER   *TRIP 8NJKQ HELP.UBER.COM", "UBER* TRIP", "UBER *EATS PENDING"],
  ],
  [
    "netflix",
    [
      "NETFLIX.COM 866-579-7172 CA",
      "NETFLIX.COM LOS GATOS CA",
      "RECURRING PAYMENT NETFLIX.COM",
      "NETFLIX.COM",
    ],
  ],
  [
    "shell oil",
    [
      "CHECKCARD 0412 SHELL OIL 57444 HOUSTON TX",
      "CHECKCARD 0517 SHELL OIL 12345 DALLAS TX",
      "SHELL OIL 57444250300 DENVER CO",
      "SHELL OIL 0203741 CA",
      "SHELL OIL 0203741234 CA",
      "SHELL OIL 12345 LONG BEACH CA",
    ],
  ],
  [
    "gusto",
    [
      "GUSTO DES:PAYROLL ID:8841 INDN:JANE CO ID:1234 PPD",
      "GUSTO DES:PAYROLL ID:9921 INDN:JANE DOE CO ID:XXXXX1234 PPD",
      "ORIG CO NAME:GUSTO ORIG ID:9138864001 DESC DATE:260412 CO ENTRY DESCR:PAYROLL SEC:PPD TRACE#:0210000 EED:260412",
      "ACH CREDIT GUSTO PPD ID: 12345",
    ],
  ],
  ["spotify", ["PAYPAL *SPOTIFY", "SPOTIFY USA 877-7781161 NY", "PP*SPOTIFY 4029357733 CA"]],
  [
    "joes pizza",
    ["TST* JOES PIZZA 123", "TST* JOE'S PIZZA 123 NEW YORK NY 10001", "TST*JOE’S PIZZA #77 BROOKLYN NY"],
  ],
  [
    "trader joes",
    ["TRADER JOE S #236 OAKLAND CA", "TRADER JOE'S #552 SAN FRANCISCO CA", "TRADER JOES 0011 AUSTIN TX"],
  ],
  [
    "7eleven",
    ["POS DEBIT 7-ELEVEN 12345 SUNNYVALE CA", "7 ELEVEN 23456 DALLAS TX", "7ELEVEN 33812 PHOENIX AZ"],
  ],
  ["walmart", ["WAL-MART #1234 DALLAS TX", "WALMART 5678 AUSTIN TX", "WM SUPERCENTER #123 PLANO TX"]],
  ["home depot", ["THE HOME DEPOT #0628 SAN FRANCISCO CA", "HOME DEPOT 4711 DENVER CO"]],
  [
    "target",
    ["TARGET 00027219 SAN FRANCISCO CA", "TARGET T1416 SPRINGFIELD VA", "TARGET T-0877 KANSAS CITY MO"],
  ],
  ["uniqlo", ["UNIQLO USA LLC SAN FRANCISCO CA", "UNIQLO USA INC 0042 NEW YORK NY"]],
  ["barnes and noble", ["BARNES & NOBLE #2231", "BARNES AND NOBLE 2231 NEW YORK NY", "BARNES&NOBLE 0112"]],
  ["youtube music", ["GOOGLE *YOUTUBE MUSIC", "GOOGLE *YouTube Music g.co/helppay#"]],
  ["etsy shop", ["SP * ETSY SHOP", "SP*ETSY SHOP 04/12"]],
  ["airbnb", ["AIRBNB * HMQ4KT2AB 415-800-5959 CA", "AIRBNB * HMZZ9Q2XB 415-800-5959 CA"]],
  ["cafe du monde", ["CAFÉ DU MONDE NEW ORLEANS LA", "CAFE DU MONDE 0003 NEW ORLEANS LA"]],
  ["apple", ["APPLE.COM/BILL 866-712-7753 CA", "APPLE.COM/BILL CUPERTINO CA"]],
  [
    "chevron",
    ["CHEVRON 0203741 OAKLAND CA", "CHEVRON 0098812 SAN JOSE CA", "VISA CHEVRON 0203741 OAKLAND CA"],
  ],
];

describe("merchantKey", () => {
  it.each(SAME_MERCHANT)("gives every descriptor of %s that one key", (key, descriptors) => {
    for (const descriptor of descriptors) expect(merchantKey(descriptor), descriptor).toBe(key);
  });

  it.each([
    ["STARBUCKS", "STAPLES"],
    ["SHELL OIL 57444 HOUSTON TX", "SHELL BEACH CAFE"],
    ["UBER *TRIP HELP.UBER.COM CA", "LYFT *RIDE TUE 7PM 855-865-9553 CA"],
    ["AMAZON.COM*1J97C3CS3 AMZN.COM/BILL WA", "AMAZON WEB SERVICES AWS.AMAZON.CO WA"],
    ["SQ *BLUE BOTTLE COFFEE", "SQ *PHILZ COFFEE"],
    ["TRADER JOE S #236 OAKLAND CA", "JOES PIZZA NEW YORK NY"],
    ["COSTCO WHSE #0144 SAN FRANCISCO CA", "COSTCO GAS #0144 SAN FRANCISCO CA"],
  ])("keeps %s and %s apart", (a, b) => {
    expect(merchantKey(a)).not.toBe(merchantKey(b));
    expect(merchantKey(a)).not.toBe("");
    expect(merchantKey(b)).not.toBe("");
  });

  it.each([
    ["strips a card rail prefix", "DEBIT CARD PURCHASE ZUNI CAFE", "zuni cafe"],
    ["strips a wallet prefix", "APLPAY KROGER #339 000000339 INDIANAPOLIS IN", "kroger"],
    ["keeps the company before DES:", "ROCKET MORTGAGE DES:MTG PYMT ID:1234567890 PPD", "rocket mortgage"],
    ["drops a WEB ID field", "VENMO PAYMENT 1023456789 WEB ID: 3264681992", "venmo payment"],
    ["keeps the brand before a merchant's star", "DOORDASH*THAI BASIL 855-973-1040 CA", "doordash"],
    ["reads the brand from a help URL", "INTUIT *QBOOKS ONLINE CL.INTUIT.COM CA", "intuit"],
    ["reads the brand from a .US domain", "ZOOM.US 888-799-9666 CA", "zoom"],
    ["drops a phone in (area) form", "LULULEMON ATHLETICA (877)263-9300 CA", "lululemon athletica"],
    ["drops a masked card", "ADOBE ****1234", "adobe"],
    ["drops an amount", "VENMO *JOHN SMITH $12.34", "venmo"],
    ["drops a store number word", "SAFEWAY STORE 1490 SAN FRANCISCO CA", "safeway"],
    ["drops a long reference id", "FEDEX 784512369 MEMPHIS TN", "fedex"],
    ["keeps a name ending in a city-like word without a state", "SHELL BEACH CAFE", "shell beach cafe"],
    ["keeps the name when a phone stands for the city", "WEWORK 646-389-3922 NY", "wework"],
    ["takes both words of a two-word city", "JOES CRAB SHACK LONG BEACH CA", "joes crab shack"],
    [
      "takes one word of a one-word city",
      "MARRIOTT CHICAGO DOWNTOWN CHICAGO IL",
      "marriott chicago downtown",
    ],
    ["never takes the last word of the name", "KROGER TX", "kroger"],
    ["joins glued punctuation", "HERTZ RENT-A-CAR DENVER CO", "hertz rentacar"],
    ["drops a glued ampersand", "AT&T *BILL PAYMENT 800-331-0500 TX", "att"],
    ["keeps a short brand number", "24 HOUR FITNESS USA 123 SAN JOSE CA", "24hour fitness"],
    ["keeps words of other scripts", "スターバックス 0412", "スターバックス"],
  ])("%s", (_rule, descriptor, key) => {
    expect(merchantKey(descriptor)).toBe(key);
  });

  it.each([
    "",
    "   ",
    "DEPOSIT",
    "POS PURCHASE 1234",
    "CHECK 1042",
    "CHECK #1042",
    "ATM WITHDRAWAL 001234 1450 MARKET ST SAN FRANCISCO CA",
    "ONLINE TRANSFER TO SAVINGS XXXX1234",
    "MONTHLY SERVICE FEE",
    "PPD ID: 12345",
    "SQ *",
    "*** 04/12 ***",
  ])("leaves nothing of the noise-only %j", (descriptor) => {
    expect(merchantKey(descriptor)).toBe("");
    expect(
      resolveMerchant({ merchantEntityId: null, merchantName: null, description: descriptor }),
    ).toBeNull();
  });
});

describe("merchantKey properties", () => {
  const bases = fc.constantFrom(
    ["STARBUCKS", "starbucks"],
    ["BLUE BOTTLE COFFEE", "blue bottle coffee"],
    ["SHELL OIL", "shell oil"],
    ["TRADER JOE'S", "trader joes"],
    ["THE HOME DEPOT", "home depot"],
    ["CAFE DU MONDE", "cafe du monde"],
    ["SQ *PHILZ COFFEE", "philz coffee"],
    ["TST* NOPA", "nopa"],
  );
  const digits = (min: number, max: number) =>
    fc.string({ unit: fc.constantFrom(..."0123456789"), minLength: min, maxLength: max });
  const two = fc.integer({ min: 1, max: 12 }).map((n) => String(n).padStart(2, "0"));
  const storeNumber = fc.oneof(
    digits(3, 11),
    digits(1, 6).map((d) => `#${d}`),
    digits(2, 5).map((d) => `STORE ${d}`),
    digits(2, 4).map((d) => `T-${d}`),
    // A reference id as processors print them: letters and digits mixed, digits after a letter.
    fc.stringMatching(/^[A-Z0-9]{6,10}$/).filter((id) => /\d.*\d/.test(id) && /[A-Z].*\d/.test(id)),
  );
  const date = fc.oneof(
    fc.tuple(two, two).map(([m, d]) => `${m}/${d}`),
    fc.tuple(two, two).map(([m, d]) => `${m}${d}`),
    fc.tuple(fc.integer({ min: 2000, max: 2099 }), two, two).map(([y, m, d]) => `${y}-${m}-${d}`),
  );
  const cardMask = digits(4, 4).chain((last4) =>
    fc.constantFrom(`XXXX${last4}`, `****${last4}`, `CARD ${last4}`, `XXXXXXXXXXXX${last4}`),
  );
  const cityState = fc.constantFrom(
    "SEATTLE WA",
    "PORTLAND OR",
    "SAN FRANCISCO CA",
    "NEW YORK NY 10001",
    "LOS ANGELES CA",
    "KANSAS CITY MO",
    "FORT WORTH TX",
    "CHICAGO IL",
    "866-579-7172 CA",
    "HELP.EXAMPLE.COM CA",
  );

  it("never changes the key when a store number, date, card mask or city and state is appended", () => {
    fc.assert(
      fc.property(
        bases,
        fc.option(storeNumber),
        fc.option(date),
        fc.option(cardMask),
        fc.option(cityState),
        ([base, key], store, day, mask, place) => {
          const descriptor = [base, store, day, mask, place].filter((part) => part !== null).join(" ");
          expect(merchantKey(descriptor), descriptor).toBe(key);
        },
      ),
      { numRuns: 3000 },
    );
  });

  const vocabulary = fc.constantFrom(
    ..."POS DEBIT CARD PURCHASE CHECKCARD SQ TST PAYPAL * *SPOTIFY AMZN MKTP US AMAZON.COM HELP.UBER.COM".split(
      " ",
    ),
    ..."STARBUCKS STORE #0123 0412 04/12 XXXX1234 SEATTLE WA SAN FRANCISCO CA NEW YORK NY USA LLC".split(" "),
    ..."DES:PAYROLL ID:8841 INDN:JANE PPD THE JOE'S S 7 ELEVEN 7-ELEVEN & AT&T 866-579-7172 REFUND".split(
      " ",
    ),
  );

  it("cleans a key to itself", () => {
    const descriptor = fc.oneof(
      fc.array(vocabulary, { maxLength: 12 }).map((words) => words.join(" ")),
      fc.string({ maxLength: 60 }),
    );
    fc.assert(
      fc.property(descriptor, (text) => {
        const key = merchantKey(text);
        expect(merchantKey(key)).toBe(key);
      }),
      { numRuns: 5000 },
    );
  });

  it("never throws, returns lower-case words joined by single spaces, and agrees with the name and resolver", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 200 }), (text) => {
        const key = merchantKey(text);
        expect(key).toBe(key.toLowerCase());
        expect(key).not.toMatch(/^\s|\s$|\s{2}/);
        expect(merchantName(text).toLowerCase()).toBe(key);
        const resolved = resolveMerchant({ merchantEntityId: null, merchantName: null, description: text });
        expect(resolved?.key ?? "desc:").toBe(`desc:${key}`);
      }),
      { numRuns: 1000 },
    );
  });

  it("cleans 100,000 descriptors in well under two seconds", () => {
    const descriptors = SAME_MERCHANT.flatMap(([, group]) => group);
    const start = performance.now();
    let characters = 0;
    for (let i = 0; i < 100_000; i++)
      characters += merchantKey(descriptors[i % descriptors.length] ?? "").length;
    const elapsedMs = performance.now() - start;
    expect(characters).toBeGreaterThan(0);
    expect(elapsedMs).toBeLessThan(2000);
  });
});

describe("merchantName", () => {
  it.each([
    ["SQ *BLUE BOTTLE COFFEE 0412", "Blue Bottle Coffee"],
    ["TST* JOE'S PIZZA 123 NEW YORK NY 10001", "Joes Pizza"],
    ["BARNES & NOBLE #2231", "Barnes and Noble"],
    ["JACK IN THE BOX 0412 SAN DIEGO CA", "Jack in the Box"],
    ["AMZN Mktp US*2K3L45ZX1", "Amazon"],
    ["WHOLEFDS MKT 10234 SAN FRANCISCO CA", "Whole Foods Market"],
    ["CHECK 1042", ""],
  ])("names %j as %j", (descriptor, name) => {
    expect(merchantName(descriptor)).toBe(name);
  });
});

describe("resolveMerchant", () => {
  const description = "SQ *BLUE BOTTLE COFFEE 0412 OAKLAND CA";

  it("takes Plaid's entity id first, with Plaid's name", () => {
    expect(resolveMerchant({ merchantEntityId: "O5W5j4", merchantName: "Blue Bottle", description })).toEqual(
      {
        key: "entity:O5W5j4",
        name: "Blue Bottle",
        source: "plaid_entity",
      },
    );
  });

  it("names an entity from the description when Plaid sent no name", () => {
    expect(resolveMerchant({ merchantEntityId: "O5W5j4", merchantName: null, description })).toEqual({
      key: "entity:O5W5j4",
      name: "Blue Bottle Coffee",
      source: "plaid_entity",
    });
  });

  it("still names an entity whose description is only noise", () => {
    const merchant = resolveMerchant({ merchantEntityId: "e1", merchantName: null, description: "POS 0412" });
    expect(merchant).toEqual({ key: "entity:e1", name: "POS 0412", source: "plaid_entity" });
  });

  it("takes Plaid's merchant name next, normalized for the key and trimmed for the name", () => {
    expect(resolveMerchant({ merchantEntityId: null, merchantName: "  Trader Joe's ", description })).toEqual(
      {
        key: "name:trader joes",
        name: "Trader Joe's",
        source: "plaid_name",
      },
    );
  });

  it("gives one key to Plaid names that differ only in case, accents and punctuation", () => {
    const key = (name: string) =>
      resolveMerchant({ merchantEntityId: null, merchantName: name, description })?.key;
    expect(key("McDonald's")).toBe(key("MCDONALDS"));
    expect(key("Café  Du Monde")).toBe(key("cafe du monde"));
    expect(key("AT&T")).toBe("name:att");
  });

  it("falls back to the description when Plaid's ids and names are blank", () => {
    expect(resolveMerchant({ merchantEntityId: " ", merchantName: "", description })).toEqual({
      key: "desc:blue bottle coffee",
      name: "Blue Bottle Coffee",
      source: "description",
    });
  });

  it("returns null when nothing names a merchant", () => {
    expect(
      resolveMerchant({ merchantEntityId: null, merchantName: null, description: "DEPOSIT" }),
    ).toBeNull();
  });
});
