#!/usr/bin/env node
// Writes the demo data set beside this script: bank.json (Plaid /transactions/get shape, Plaid's
// sign: amount > 0 is money out), expected.csv (the ledger, natural sign: amount > 0 is money in)
// and truth.json (the links a perfect reconciler finds, in the benchmark's format).
//
// The business: Tidewater Print & Sign Co., a sign and print shop in Portland, Maine, March 2025.
// Every row below is written by hand; only the Plaid-style ids come from a seeded generator, so
// running the script again writes the same files.
//
//   node examples/demo/make-demo.mjs

import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));

// Deterministic Plaid-looking ids (37 characters of [A-Za-z0-9]).
let seed = 20250331;
function random() {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
function plaidId() {
  let id = "";
  for (let i = 0; i < 37; i++) id += ALPHABET[Math.floor(random() * ALPHABET.length)];
  return id;
}

const CHECKING = plaidId();
const CARD = plaidId();

const accounts = [
  {
    account_id: CHECKING,
    balances: { available: 18342.17, current: 18342.17, iso_currency_code: "USD", limit: null, unofficial_currency_code: null },
    mask: "4417",
    name: "Business Checking",
    official_name: "Tidewater Business Advantage Checking",
    subtype: "checking",
    type: "depository",
  },
  {
    account_id: CARD,
    balances: { available: 12781.46, current: 2218.54, iso_currency_code: "USD", limit: 15000, unofficial_currency_code: null },
    mask: "9032",
    name: "Business Visa",
    official_name: "Business Visa Signature",
    subtype: "credit card",
    type: "credit",
  },
];

const transactions = [];
const ledger = [];
const truth = { groups: [], unmatched_bank: [], unmatched_expected: [] };

/**
 * A bank row. `amount` is in the natural sign (money in > 0) and flipped to Plaid's here, the
 * one place the demo's sign changes.
 */
function bank(account, date, amount, name, more = {}) {
  const id = plaidId();
  const [primary, detailed] = more.pfc ?? ["TRANSFER_OUT", "TRANSFER_OUT_OTHER_TRANSFER_OUT"];
  transactions.push({
    transaction_id: id,
    account_id: account,
    amount: amount === 0 ? 0 : -amount,
    iso_currency_code: "USD",
    unofficial_currency_code: null,
    date,
    authorized_date: more.authorized === undefined ? date : more.authorized,
    name,
    merchant_name: more.merchant ?? null,
    pending: more.pending ?? false,
    pending_transaction_id: null,
    check_number: more.check ?? null,
    payment_channel: more.channel ?? "other",
    personal_finance_category: { primary, detailed, confidence_level: more.confidence ?? "HIGH" },
    transaction_type: more.channel === "in store" ? "place" : more.channel === "online" ? "digital" : "special",
  });
  return id;
}

/** A ledger row; `account` is null where the bookkeeper does not know which account it hits. */
function expect(id, date, amount, description, counterparty, reference = null, account = null) {
  ledger.push({ id, date, amount, description, counterparty, reference, account_id: account });
  return id;
}

function link(kind, bankIds, expectedIds) {
  truth.groups.push({ bank: bankIds, expected: expectedIds, kind });
}

function oneToOne(bankId, expectedId) {
  link("one_to_one", [bankId], [expectedId]);
}

const ACH = ["INCOME", "INCOME_OTHER_INCOME"];
const WIRE_IN = ["TRANSFER_IN", "TRANSFER_IN_OTHER_TRANSFER_IN"];

// Customer invoices paid by ACH and wire. The bank echoes the rail's fields, cut where it likes.
oneToOne(
  bank(
    CHECKING,
    "2025-03-04",
    1860.0,
    "ORIG CO NAME:HARBORVIEW DENTA ORIG ID:1841220333 DESC DATE:250304 CO ENTRY DESCR:PAYMENTS SEC:CCD TRACE#:021000028812345 EED:250304 IND ID:INV2041 IND NAME:TIDEWATER PRINT AND",
    { pfc: ACH },
  ),
  expect("INV-2041", "2025-03-03", "1860.00", "Harborview Dental Group - window decals and lobby sign", "Harborview Dental Group", "INV-2041"),
);
oneToOne(
  bank(
    CHECKING,
    "2025-03-06",
    3425.5,
    "WIRE TYPE:FED IN DATE:250306 TIME:1012 ET TRN:2025030600187244 SEQ:250306004521 ORIG:CASCO BAY BREWING CO ID:000004471822 SND BK:BANK OF NEW ENGLAND ID:011075150 OBI:INV 2043",
    { pfc: WIRE_IN },
  ),
  expect("INV-2043", "2025-03-05", "3425.50", "Casco Bay Brewing - taproom menu boards", "Casco Bay Brewing Co.", "INV-2043"),
);
oneToOne(
  bank(
    CHECKING,
    "2025-03-10",
    980.0,
    "ORIG CO NAME:MILLBROOK VET CL ORIG ID:9000284415 DESC DATE:250310 CO ENTRY DESCR:VENDORPAY SEC:CCD TRACE#:011000139004417 EED:250310 IND ID:000000002044 IND NAME:TIDEWATER PRINT SIGN",
    { pfc: ACH },
  ),
  expect("INV-2044", "2025-03-07", "980.00", "Millbrook Veterinary Clinic - appointment cards, 5,000", "Millbrook Veterinary Clinic", "INV-2044"),
);
oneToOne(
  bank(
    CHECKING,
    "2025-03-13",
    2760.0,
    "ORIG CO NAME:SACO RIVER OUTF ORIG ID:1010338472 DESC DATE:250313 CO ENTRY DESCR:ACH PMT SEC:CCD TRACE#:211274450019982 EED:250313 IND ID:SRO-AP-7781 IND NAME:TIDEWATER PRINT",
    { pfc: ACH },
  ),
  expect("INV-2046", "2025-03-12", "2760.00", "Saco River Outfitters - trail map prints", "Saco River Outfitters", "INV-2046"),
);
// A wire that arrives $25.00 short: the sending bank kept its fee.
oneToOne(
  bank(
    CHECKING,
    "2025-03-18",
    7475.0,
    "WIRE TYPE:FED IN DATE:250318 TIME:1433 ET TRN:2025031800311908 SEQ:250318009910 ORIG:OLD PORT REALTY PARTNERS LL ID:8812004417 SND BK:CITIZENS BANK NA ID:211070175 OBI:INVOICE 2050",
    { pfc: WIRE_IN },
  ),
  expect("INV-2050", "2025-03-17", "7500.00", "Old Port Realty Partners - open house signage package", "Old Port Realty Partners", "INV-2050"),
);
oneToOne(
  bank(CHECKING, "2025-03-19", 500.0, "ZELLE PAYMENT FROM BAYSIDE YOGA LLC CONF# BAC0K9Z2XQ", {
    pfc: ["TRANSFER_IN", "TRANSFER_IN_ACCOUNT_TRANSFER"],
  }),
  expect("INV-2048", "2025-03-19", "500.00", "Bayside Yoga - studio window lettering", "Bayside Yoga LLC", "INV-2048"),
);

// One customer deposit settles three of its invoices.
link(
  "many_to_one",
  [
    bank(
      CHECKING,
      "2025-03-14",
      3945.0,
      "ORIG CO NAME:NORTHGATE PROP M ORIG ID:1462290017 DESC DATE:250314 CO ENTRY DESCR:VENDOR PMT SEC:CCD TRACE#:021000020558831 EED:250314 IND ID:NPM BATCH 0314 IND NAME:TIDEWATER PRINT",
      { pfc: ACH },
    ),
  ],
  [
    expect("INV-2038", "2025-03-10", "1240.00", "Northgate Property Management - lobby directory signs", "Northgate Property Management", "INV-2038"),
    expect("INV-2045", "2025-03-11", "615.00", "Northgate Property Management - parking permits", "Northgate Property Management", "INV-2045"),
    expect("INV-2047", "2025-03-12", "2090.00", "Northgate Property Management - vinyl banners (3)", "Northgate Property Management", "INV-2047"),
  ],
);

// One invoice paid in two instalments, three weeks apart.
link(
  "one_to_many",
  [
    bank(
      CHECKING,
      "2025-03-06",
      2500.0,
      "ORIG CO NAME:FERNHILL MONTES ORIG ID:3346001928 DESC DATE:250306 CO ENTRY DESCR:PAYMENT SEC:PPD TRACE#:011401530077120 EED:250306 IND ID:INV2039 PART 1",
      { pfc: ACH },
    ),
    bank(
      CHECKING,
      "2025-03-24",
      1700.0,
      "ORIG CO NAME:FERNHILL MONTES ORIG ID:3346001928 DESC DATE:250324 CO ENTRY DESCR:PAYMENT SEC:PPD TRACE#:011401530091844 EED:250324 IND ID:INV2039 PART 2",
      { pfc: ACH },
    ),
  ],
  [expect("INV-2039", "2025-03-05", "4200.00", "Fernhill Montessori School - classroom wall graphics", "Fernhill Montessori School", "INV-2039")],
);

// The online store's processor pays out four sales at once, its fee already taken.
link(
  "many_to_one",
  [
    bank(
      CHECKING,
      "2025-03-14",
      879.31,
      "ORIG CO NAME:PAYWELL INC ORIG ID:4270465600 DESC DATE:250314 CO ENTRY DESCR:PAYOUT SEC:CCD TRACE#:091000019921384 EED:250314 IND ID:PO_1R8KX2M4 IND NAME:TIDEWATER PRINT AND SIGN",
      { pfc: ACH },
    ),
  ],
  [
    expect("SALE-10311", "2025-03-11", "145.00", "Online order 10311 - business cards", "Paywell (online store)", "PO_1R8KX2M4"),
    expect("SALE-10312", "2025-03-11", "289.00", "Online order 10312 - yard signs", "Paywell (online store)", "PO_1R8KX2M4"),
    expect("SALE-10313", "2025-03-12", "62.50", "Online order 10313 - die-cut stickers", "Paywell (online store)", "PO_1R8KX2M4"),
    expect("SALE-10314", "2025-03-12", "410.00", "Online order 10314 - canvas prints", "Paywell (online store)", "PO_1R8KX2M4"),
    expect("FEE-PO-0314", "2025-03-12", "-27.19", "Paywell processing fees, orders 10311-10314", "Paywell (online store)", "PO_1R8KX2M4"),
  ],
);

// Payroll: three people paid on the same day, twice a month; two of them at the same amount both times.
const staff = [
  ["OKAFOR MARIA", "Maria Okafor", "2318.44", "2318.44"],
  ["BRENNAN DANIEL", "Daniel Brennan", "1976.10", "2041.85"],
  ["RAMAN PRIYA", "Priya Raman", "2902.67", "2902.67"],
];
for (const [runDate, column] of [
  ["2025-03-14", 2],
  ["2025-03-28", 3],
]) {
  for (const person of staff) {
    const [bankName, fullName] = person;
    const amount = person[column];
    const day = runDate.slice(8);
    oneToOne(
      bank(CHECKING, runDate, -Number(amount), `PAYROLL DIR DEP ${bankName} PPD ID:1457718001`),
      expect(
        `PAY-03${day}-${bankName.split(" ")[0]}`,
        runDate,
        `-${amount}`,
        `Net pay ${fullName}, period ending ${runDate}`,
        fullName,
      ),
    );
  }
}
oneToOne(
  bank(
    CHECKING,
    "2025-03-18",
    -1841.3,
    "ORIG CO NAME:IRS ORIG ID:3387702000 DESC DATE:250318 CO ENTRY DESCR:USATAXPYMT SEC:CCD TRACE#:061036010234567 EED:250318 IND ID:270457718240318 IND NAME:TIDEWATER PRINT AND",
    { pfc: ["GOVERNMENT_AND_NON_PROFIT", "GOVERNMENT_AND_NON_PROFIT_TAX_PAYMENT"], merchant: "IRS" },
  ),
  expect("TAX-941-0314", "2025-03-17", "-1841.30", "Federal payroll taxes (941), March 14 payroll", "Internal Revenue Service", "EFTPS"),
);

// Subscriptions on the card, two of them at the same price on the same day.
const SAAS = ["GENERAL_SERVICES", "GENERAL_SERVICES_OTHER_GENERAL_SERVICES"];
const card = (date, amount, name, merchant, pfc, channel = "in store", authorized = date) =>
  bank(CARD, date, amount, name, { merchant, pfc, channel, authorized });
oneToOne(
  card("2025-03-03", -29.0, "SQSP* WEBSITE #84KZT7 646-580-3456 NY", "Squarespace", SAAS, "online", "2025-03-02"),
  expect("SUB-SQSP-03", "2025-03-02", "-29.00", "Squarespace - website plan, March", "Squarespace", null, CARD),
);
oneToOne(
  card("2025-03-03", -29.0, "MAILCHIMP *MONTHLY MAILCHIMP.COM GA", "Mailchimp", SAAS, "online", "2025-03-02"),
  expect("SUB-MC-03", "2025-03-02", "-29.00", "Mailchimp - email campaigns, March", "Mailchimp", null, CARD),
);
oneToOne(
  card("2025-03-06", -59.99, "ADOBE *CREATIVE CLD 408-536-6000 CA", "Adobe", SAAS, "online", "2025-03-05"),
  expect("SUB-ADOBE-03", "2025-03-05", "-59.99", "Adobe Creative Cloud - Illustrator seat", "Adobe", null, CARD),
);
oneToOne(
  card("2025-03-03", -14.4, "GOOGLE *WORKSPACE_TIDEW CC@GOOGLE.COM CA", "Google Workspace", SAAS, "online", "2025-03-01"),
  expect("SUB-GWS-03", "2025-03-01", "-14.40", "Google Workspace - 2 mailboxes", "Google", null, CARD),
);

// Vendor card spend, a return of one purchase, and a charge still pending.
const OFFICE = ["GENERAL_MERCHANDISE", "GENERAL_MERCHANDISE_OFFICE_SUPPLIES"];
oneToOne(
  card("2025-03-06", -84.37, "STAPLES 00112 PORTLAND ME", "Staples", OFFICE, "in store", "2025-03-05"),
  expect("EXP-0305-STAPLES", "2025-03-05", "-84.37", "Toner and copy paper", "Staples", null, CARD),
);
oneToOne(
  card("2025-03-10", 84.37, "STAPLES 00112 PORTLAND ME", "Staples", OFFICE, "in store", "2025-03-08"),
  expect("RET-0308-STAPLES", "2025-03-08", "84.37", "Return - wrong toner model", "Staples", null, CARD),
);
oneToOne(
  card("2025-03-10", -212.64, "THE HOME DEPOT #2503 SOUTH PORTLAN ME", "The Home Depot", ["HOME_IMPROVEMENT", "HOME_IMPROVEMENT_HARDWARE"], "in store", "2025-03-08"),
  expect("EXP-0308-HD", "2025-03-08", "-212.64", "Sign brackets and masonry anchors, Harborview install", "Home Depot", null, CARD),
);
oneToOne(
  card("2025-03-12", -436.2, "ULINE *S4471920 800-295-5510 WI", "Uline", ["GENERAL_MERCHANDISE", "GENERAL_MERCHANDISE_OTHER_GENERAL_MERCHANDISE"], "online", "2025-03-11"),
  expect("EXP-0311-ULINE", "2025-03-11", "-436.20", "Shipping tubes and poster mailers", "Uline", null, CARD),
);
oneToOne(
  card("2025-03-17", -61.08, "SHELL OIL 57442135200 FALMOUTH ME", "Shell", ["TRANSPORTATION", "TRANSPORTATION_GAS"], "in store", "2025-03-15"),
  expect("EXP-0315-FUEL", "2025-03-15", "-61.08", "Fuel - install van", "Shell", null, CARD),
);
oneToOne(
  card("2025-03-21", -38.9, "FEDEX OFFIC33400003341 PORTLAND ME", "FedEx Office", ["GENERAL_SERVICES", "GENERAL_SERVICES_POSTAGE_AND_SHIPPING"], "in store", "2025-03-20"),
  expect("EXP-0320-FEDEX", "2025-03-20", "-38.90", "Rush lamination, overflow job", "FedEx Office", null, CARD),
);
oneToOne(
  bank(CARD, "2025-03-30", -147.82, "AMAZON MKTPL*2K4XY17Q3 AMZN.COM/BILL WA", {
    merchant: "Amazon",
    pfc: ["GENERAL_MERCHANDISE", "GENERAL_MERCHANDISE_ONLINE_MARKETPLACES"],
    channel: "online",
    authorized: "2025-03-29",
    pending: true,
  }),
  expect("EXP-0329-AMZN", "2025-03-29", "-147.82", "Laminator pouches and cutting mats, order 113-4471892", "Amazon", "113-4471892", CARD),
);

// Checks: rent clears in three days, the installer's check two weeks late, one not yet cashed.
oneToOne(
  bank(CHECKING, "2025-03-04", -2850.0, "CHECK 1186", { check: "1186", authorized: null, pfc: ["RENT_AND_UTILITIES", "RENT_AND_UTILITIES_RENT"] }),
  expect("CHK-1186", "2025-03-01", "-2850.00", "Rent, 48 Commercial St, March", "Wharfside Properties LLC", "1186", CHECKING),
);
oneToOne(
  bank(CHECKING, "2025-03-18", -1450.0, "CHECK 1187", { check: "1187", authorized: null }),
  expect("CHK-1187", "2025-03-03", "-1450.00", "Bayview Sign Installers - boom lift, Old Port job", "Bayview Sign Installers", "1187", CHECKING),
);

// Vendor bills paid by ACH from checking.
oneToOne(
  bank(CHECKING, "2025-03-07", -3180.0, "ACH PMT NORTHEAST PAPER & BO WEB ID:9000112233 REF 88123"),
  expect("BILL-NPB-88123", "2025-03-07", "-3180.00", "Coated stock and backlit film, invoice 88123", "Northeast Paper & Board", "88123", CHECKING),
);
oneToOne(
  bank(CHECKING, "2025-03-12", -318.72, "CENTRAL MAINE PO CMP BILL PPD ID: 1010000001", {
    merchant: "Central Maine Power",
    pfc: ["RENT_AND_UTILITIES", "RENT_AND_UTILITIES_GAS_AND_ELECTRICITY"],
  }),
  expect("BILL-CMP-0312", "2025-03-12", "-318.72", "Electricity, February", "Central Maine Power", null, CHECKING),
);
oneToOne(
  bank(CHECKING, "2025-03-17", -129.99, "SPECTRUM BUSINESS 855-707-7328 PPD ID:9000012345", {
    merchant: "Spectrum",
    pfc: ["RENT_AND_UTILITIES", "RENT_AND_UTILITIES_INTERNET_AND_CABLE"],
  }),
  expect("BILL-SPEC-0315", "2025-03-15", "-129.99", "Business internet, March", "Spectrum Business", null, CHECKING),
);
oneToOne(
  bank(CHECKING, "2025-03-20", -214.0, "THE HARTFORD NWTBPREM PPD ID:9060021311", {
    merchant: "The Hartford",
    pfc: ["GENERAL_SERVICES", "GENERAL_SERVICES_INSURANCE"],
  }),
  expect("BILL-HIG-0320", "2025-03-20", "-214.00", "Business owner's policy, monthly premium", "The Hartford", null, CHECKING),
);
oneToOne(
  bank(
    CHECKING,
    "2025-03-21",
    -1106.55,
    "ORIG CO NAME:MAINE REVENUE S ORIG ID:1016000005 DESC DATE:250321 CO ENTRY DESCR:SALES TAX SEC:CCD TRACE#:011000390044821 EED:250321 IND ID:2025-02 IND NAME:TIDEWATER PRINT",
    { pfc: ["GOVERNMENT_AND_NON_PROFIT", "GOVERNMENT_AND_NON_PROFIT_TAX_PAYMENT"] },
  ),
  expect("TAX-ST-2025-02", "2025-03-20", "-1106.55", "Maine sales and use tax, February return", "Maine Revenue Services", "ST-2025-02", CHECKING),
);
oneToOne(
  bank(
    CHECKING,
    "2025-03-24",
    -4615.0,
    "WIRE TYPE:FED OUT DATE:250324 TIME:0931 ET TRN:2025032400091122 SERVICE REF:004471 BNF:MIDWEST INK SUPPLY INC ID:7731902214 BNF BK:FIRST MIDWEST BANK ID:071901604 PMT DET:MWI-4471",
  ),
  expect("BILL-MWI-4471", "2025-03-24", "-4615.00", "UV-curable inks and cleaning kits", "Midwest Ink Supply", "MWI-4471", CHECKING),
);

// Paying the card from checking: one transfer, a row on each side of each account.
oneToOne(
  bank(CHECKING, "2025-03-25", -1912.4, "ONLINE TRANSFER TO VISA ...9032 TRANSACTION#: 24881903355", {
    pfc: ["LOAN_PAYMENTS", "LOAN_PAYMENTS_CREDIT_CARD_PAYMENT"],
  }),
  expect("XFER-0325-OUT", "2025-03-25", "-1912.40", "Card payment to Business Visa ...9032", "Tidewater (own account)", null, CHECKING),
);
oneToOne(
  bank(CARD, "2025-03-26", 1912.4, "AUTOMATIC PAYMENT - THANK YOU", {
    pfc: ["LOAN_PAYMENTS", "LOAN_PAYMENTS_CREDIT_CARD_PAYMENT"],
  }),
  expect("XFER-0325-IN", "2025-03-25", "1912.40", "Card payment from checking ...4417", "Tidewater (own account)", null, CARD),
);

// Bank rows the ledger has not recorded: fees, interest, a coffee run.
const FEES = ["BANK_FEES", "BANK_FEES_OTHER_BANK_FEES"];
truth.unmatched_bank.push(
  bank(CHECKING, "2025-03-24", -30.0, "DOMESTIC WIRE FEE", { pfc: FEES }),
  bank(CHECKING, "2025-03-31", -15.0, "MONTHLY SERVICE FEE", { pfc: FEES }),
  bank(CHECKING, "2025-03-31", 1.84, "INTEREST PAYMENT", { pfc: ["INCOME", "INCOME_INTEREST_EARNED"] }),
  card("2025-03-21", -23.5, "SQ *THE HOLE STORY DONUTS PORTLAND ME", "The Hole Story Donuts", ["FOOD_AND_DRINK", "FOOD_AND_DRINK_COFFEE"], "in store", "2025-03-20"),
);

// Ledger rows the bank has not seen yet: a deposit made after the cut-off and an uncashed check.
truth.unmatched_expected.push(
  expect("DEP-0331-PINECONE", "2025-03-31", "725.00", "Pinecone Bakery check for INV-2049, deposited after cut-off", "Pinecone Bakery", "INV-2049", CHECKING),
  expect("CHK-1190", "2025-03-27", "-380.00", "Gulf of Maine Woodworks - routed sign blanks", "Gulf of Maine Woodworks", "1190", CHECKING),
);

// Plaid lists the newest first.
transactions.sort((a, b) => b.date.localeCompare(a.date) || a.transaction_id.localeCompare(b.transaction_id));
ledger.sort((a, b) => a.date.localeCompare(b.date) || a.id.localeCompare(b.id));

const csvField = (value) => {
  const text = value ?? "";
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};
const columns = ["id", "date", "amount", "currency", "description", "counterparty", "reference", "account_id"];
const csv = [
  columns.join(","),
  ...ledger.map((row) => columns.map((c) => csvField(c === "currency" ? "USD" : row[c])).join(",")),
].join("\n");

const response = { accounts, transactions, total_transactions: transactions.length, request_id: "DemoTidewater0325" };
writeFileSync(join(here, "bank.json"), `${JSON.stringify(response, null, 2)}\n`);
writeFileSync(join(here, "expected.csv"), `${csv}\n`);
writeFileSync(join(here, "truth.json"), `${JSON.stringify(truth, null, 2)}\n`);
console.log(`wrote ${transactions.length} bank rows, ${ledger.length} ledger rows, ${truth.groups.length} links`);
