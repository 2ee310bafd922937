/**
 * Plaid's deprecated legacy categories (`category`, a hierarchy such as ["Food and Drink",
 * "Restaurants", "Coffee Shop"]) mapped to PFC v2 codes, for items and files that carry only
 * them. Plaid publishes no mapping between the two; this one is bankrec's, written from the
 * legacy names and the v2 descriptions.
 *
 * Legacy categories carry no direction, and a few are ambiguous without one ("Transfer",
 * "Interest", "Tax"). Those map to the reading most rows have: a bare transfer or wire is money
 * out (TRANSFER_OUT_*), bare interest is earned, a bare tax is a payment. A caller that knows
 * the row's sign and disagrees should prefer the statement's own type code or its sign.
 */

/** Plaid's hierarchies have at most three levels; anything deeper is ignored. */
const LEVELS_MAX = 3;

/** How levels are joined in a table path. */
const SEPARATOR = " > ";

/**
 * Legacy category paths (levels joined by " > ", as Plaid names them) to PFC v2 codes. Every
 * one of Plaid's 13 top levels has an entry, the fallback for its children not listed.
 *
 * @example LEGACY_CATEGORY_TABLE.find(([path]) => path === "Travel > Taxi")?.[1] // "TRANSPORTATION_TAXIS_AND_RIDE_SHARES"
 */
export const LEGACY_CATEGORY_TABLE: readonly (readonly [path: string, code: string])[] = [
  ["Bank Fees", "BANK_FEES_OTHER_BANK_FEES"],
  ["Bank Fees > ATM", "BANK_FEES_ATM_FEES"],
  ["Bank Fees > Cash Advance", "BANK_FEES_CASH_ADVANCE"],
  ["Bank Fees > Foreign Transaction", "BANK_FEES_FOREIGN_TRANSACTION_FEES"],
  ["Bank Fees > Insufficient Funds", "BANK_FEES_INSUFFICIENT_FUNDS"],
  ["Bank Fees > Late Payment", "BANK_FEES_LATE_FEES"],
  ["Bank Fees > Overdraft", "BANK_FEES_OVERDRAFT_FEES"],

  ["Cash Advance", "LOAN_DISBURSEMENTS_CASH_ADVANCES"],

  ["Community", "GOVERNMENT_AND_NON_PROFIT_OTHER_GOVERNMENT_AND_NON_PROFIT"],
  ["Community > Day Care and Preschools", "GENERAL_SERVICES_CHILDCARE"],
  ["Community > Education", "GENERAL_SERVICES_EDUCATION"],
  [
    "Community > Government Departments and Agencies",
    "GOVERNMENT_AND_NON_PROFIT_GOVERNMENT_DEPARTMENTS_AND_AGENCIES",
  ],
  [
    "Community > Organizations and Associations > Charities and Non-Profits",
    "GOVERNMENT_AND_NON_PROFIT_DONATIONS",
  ],
  ["Community > Post Offices", "GENERAL_SERVICES_POSTAGE_AND_SHIPPING"],
  ["Community > Religious", "GOVERNMENT_AND_NON_PROFIT_DONATIONS"],

  ["Food and Drink", "FOOD_AND_DRINK_OTHER_FOOD_AND_DRINK"],
  ["Food and Drink > Bar", "FOOD_AND_DRINK_RESTAURANT"],
  ["Food and Drink > Breweries", "FOOD_AND_DRINK_RESTAURANT"],
  ["Food and Drink > Nightlife", "ENTERTAINMENT_OTHER_ENTERTAINMENT"],
  ["Food and Drink > Restaurants", "FOOD_AND_DRINK_RESTAURANT"],
  ["Food and Drink > Restaurants > Cafe", "FOOD_AND_DRINK_COFFEE"],
  ["Food and Drink > Restaurants > Coffee Shop", "FOOD_AND_DRINK_COFFEE"],
  ["Food and Drink > Restaurants > Delis", "FOOD_AND_DRINK_OTHER_FOOD_AND_DRINK"],
  ["Food and Drink > Restaurants > Dessert", "FOOD_AND_DRINK_OTHER_FOOD_AND_DRINK"],
  ["Food and Drink > Restaurants > Fast Food", "FOOD_AND_DRINK_FAST_FOOD"],
  ["Food and Drink > Restaurants > Juice Bar", "FOOD_AND_DRINK_OTHER_FOOD_AND_DRINK"],

  ["Healthcare", "MEDICAL_OTHER_MEDICAL"],
  ["Healthcare > Healthcare Services > Dentists", "MEDICAL_DENTAL_CARE"],
  ["Healthcare > Healthcare Services > Hospitals, Clinics and Medical Centers", "MEDICAL_PRIMARY_CARE"],
  ["Healthcare > Healthcare Services > Nurses", "MEDICAL_NURSING_CARE"],
  ["Healthcare > Healthcare Services > Optometrists", "MEDICAL_EYE_CARE"],
  ["Healthcare > Pharmacies", "MEDICAL_PHARMACIES_AND_SUPPLEMENTS"],
  ["Healthcare > Physicians", "MEDICAL_PRIMARY_CARE"],

  ["Interest", "INCOME_INTEREST_EARNED"],
  ["Interest > Interest Charged", "BANK_FEES_INTEREST_CHARGE"],
  ["Interest > Interest Earned", "INCOME_INTEREST_EARNED"],

  ["Payment", "LOAN_PAYMENTS_OTHER_PAYMENT"],
  ["Payment > Credit Card", "LOAN_PAYMENTS_CREDIT_CARD_PAYMENT"],
  ["Payment > Loan", "LOAN_PAYMENTS_OTHER_PAYMENT"],
  ["Payment > Rent", "RENT_AND_UTILITIES_RENT"],

  ["Recreation", "ENTERTAINMENT_OTHER_ENTERTAINMENT"],
  [
    "Recreation > Arts and Entertainment > Arcades and Amusement Parks",
    "ENTERTAINMENT_SPORTING_EVENTS_AMUSEMENT_PARKS_AND_MUSEUMS",
  ],
  ["Recreation > Arts and Entertainment > Casinos and Gaming", "ENTERTAINMENT_CASINOS_AND_GAMBLING"],
  ["Recreation > Arts and Entertainment > Movie Theatres", "ENTERTAINMENT_TV_AND_MOVIES"],
  [
    "Recreation > Arts and Entertainment > Museums",
    "ENTERTAINMENT_SPORTING_EVENTS_AMUSEMENT_PARKS_AND_MUSEUMS",
  ],
  ["Recreation > Arts and Entertainment > Music and Show Venues", "ENTERTAINMENT_MUSIC_AND_AUDIO"],
  [
    "Recreation > Arts and Entertainment > Sports Venues",
    "ENTERTAINMENT_SPORTING_EVENTS_AMUSEMENT_PARKS_AND_MUSEUMS",
  ],
  ["Recreation > Campgrounds and RV Parks", "TRAVEL_LODGING"],
  ["Recreation > Gyms and Fitness Centers", "PERSONAL_CARE_GYMS_AND_FITNESS_CENTERS"],
  ["Recreation > Personal Trainers", "PERSONAL_CARE_GYMS_AND_FITNESS_CENTERS"],
  ["Recreation > Stadiums and Arenas", "ENTERTAINMENT_SPORTING_EVENTS_AMUSEMENT_PARKS_AND_MUSEUMS"],
  ["Recreation > Yoga and Pilates", "PERSONAL_CARE_GYMS_AND_FITNESS_CENTERS"],
  ["Recreation > Zoo", "ENTERTAINMENT_SPORTING_EVENTS_AMUSEMENT_PARKS_AND_MUSEUMS"],

  ["Service", "GENERAL_SERVICES_OTHER_GENERAL_SERVICES"],
  ["Service > Automotive", "GENERAL_SERVICES_AUTOMOTIVE"],
  ["Service > Business and Strategy Consulting", "GENERAL_SERVICES_CONSULTING_AND_LEGAL"],
  ["Service > Cable", "RENT_AND_UTILITIES_INTERNET_AND_CABLE"],
  ["Service > Financial", "GENERAL_SERVICES_ACCOUNTING_AND_FINANCIAL_PLANNING"],
  ["Service > Home Improvement", "HOME_IMPROVEMENT_REPAIR_AND_MAINTENANCE"],
  ["Service > Home Improvement > Hardware and Services", "HOME_IMPROVEMENT_HARDWARE"],
  ["Service > Insurance", "GENERAL_SERVICES_INSURANCE"],
  ["Service > Internet Services", "RENT_AND_UTILITIES_INTERNET_AND_CABLE"],
  ["Service > Legal", "GENERAL_SERVICES_CONSULTING_AND_LEGAL"],
  ["Service > Personal Care", "PERSONAL_CARE_OTHER_PERSONAL_CARE"],
  ["Service > Personal Care > Hair Salons and Barbers", "PERSONAL_CARE_HAIR_AND_BEAUTY"],
  ["Service > Personal Care > Laundry and Garment Services", "PERSONAL_CARE_LAUNDRY_AND_DRY_CLEANING"],
  ["Service > Personal Care > Manicures and Pedicures", "PERSONAL_CARE_HAIR_AND_BEAUTY"],
  ["Service > Real Estate > Rent", "RENT_AND_UTILITIES_RENT"],
  ["Service > Security and Safety", "HOME_IMPROVEMENT_SECURITY"],
  ["Service > Shipping and Freight", "GENERAL_SERVICES_POSTAGE_AND_SHIPPING"],
  ["Service > Storage", "GENERAL_SERVICES_STORAGE"],
  ["Service > Telecommunication Services", "RENT_AND_UTILITIES_TELEPHONE"],
  ["Service > Travel Agents and Tour Operators", "TRAVEL_OTHER_TRAVEL"],
  ["Service > Utilities", "RENT_AND_UTILITIES_OTHER_UTILITIES"],
  ["Service > Utilities > Electric", "RENT_AND_UTILITIES_GAS_AND_ELECTRICITY"],
  ["Service > Utilities > Gas", "RENT_AND_UTILITIES_GAS_AND_ELECTRICITY"],
  ["Service > Utilities > Sanitary and Waste Management", "RENT_AND_UTILITIES_SEWAGE_AND_WASTE_MANAGEMENT"],
  ["Service > Utilities > Water", "RENT_AND_UTILITIES_WATER"],
  ["Service > Veterinarians", "MEDICAL_VETERINARY_SERVICES"],

  ["Shops", "GENERAL_MERCHANDISE_OTHER_GENERAL_MERCHANDISE"],
  ["Shops > Beauty Products", "PERSONAL_CARE_HAIR_AND_BEAUTY"],
  ["Shops > Bookstores", "GENERAL_MERCHANDISE_BOOKSTORES_AND_NEWSSTANDS"],
  ["Shops > Clothing and Accessories", "GENERAL_MERCHANDISE_CLOTHING_AND_ACCESSORIES"],
  ["Shops > Computers and Electronics", "GENERAL_MERCHANDISE_ELECTRONICS"],
  ["Shops > Computers and Electronics > Video Games", "ENTERTAINMENT_VIDEO_GAMES"],
  ["Shops > Convenience Stores", "GENERAL_MERCHANDISE_CONVENIENCE_STORES"],
  ["Shops > Department Stores", "GENERAL_MERCHANDISE_DEPARTMENT_STORES"],
  ["Shops > Discount Stores", "GENERAL_MERCHANDISE_DISCOUNT_STORES"],
  ["Shops > Food and Beverage Store", "FOOD_AND_DRINK_GROCERIES"],
  ["Shops > Food and Beverage Store > Beer, Wine and Spirits", "FOOD_AND_DRINK_BEER_WINE_AND_LIQUOR"],
  ["Shops > Furniture and Home Decor", "HOME_IMPROVEMENT_FURNITURE"],
  ["Shops > Gift and Novelty", "GENERAL_MERCHANDISE_GIFTS_AND_NOVELTIES"],
  ["Shops > Glasses and Optometrist", "MEDICAL_EYE_CARE"],
  ["Shops > Hardware Store", "HOME_IMPROVEMENT_HARDWARE"],
  ["Shops > Jewelry and Watches", "GENERAL_MERCHANDISE_CLOTHING_AND_ACCESSORIES"],
  ["Shops > Newsstands", "GENERAL_MERCHANDISE_BOOKSTORES_AND_NEWSSTANDS"],
  ["Shops > Office Supplies", "GENERAL_MERCHANDISE_OFFICE_SUPPLIES"],
  ["Shops > Pets", "GENERAL_MERCHANDISE_PET_SUPPLIES"],
  ["Shops > Pharmacies", "MEDICAL_PHARMACIES_AND_SUPPLEMENTS"],
  ["Shops > Sporting Goods", "GENERAL_MERCHANDISE_SPORTING_GOODS"],
  ["Shops > Supermarkets and Groceries", "FOOD_AND_DRINK_GROCERIES"],
  ["Shops > Tobacco", "GENERAL_MERCHANDISE_TOBACCO_AND_VAPE"],
  ["Shops > Warehouses and Wholesale Stores", "GENERAL_MERCHANDISE_SUPERSTORES"],

  ["Tax", "GOVERNMENT_AND_NON_PROFIT_TAX_PAYMENT"],
  ["Tax > Payment", "GOVERNMENT_AND_NON_PROFIT_TAX_PAYMENT"],
  ["Tax > Refund", "INCOME_TAX_REFUND"],

  ["Transfer", "TRANSFER_OUT_OTHER_TRANSFER_OUT"],
  ["Transfer > Account Transfer", "TRANSFER_OUT_ACCOUNT_TRANSFER"],
  ["Transfer > Credit", "TRANSFER_IN_OTHER_TRANSFER_IN"],
  ["Transfer > Debit", "TRANSFER_OUT_OTHER_TRANSFER_OUT"],
  ["Transfer > Deposit", "TRANSFER_IN_DEPOSIT"],
  ["Transfer > Internal Account Transfer", "TRANSFER_OUT_ACCOUNT_TRANSFER"],
  ["Transfer > Keep the Change Savings Program", "TRANSFER_OUT_SAVINGS"],
  ["Transfer > Payroll", "INCOME_SALARY"],
  ["Transfer > Payroll > Benefits", "INCOME_OTHER"],
  ["Transfer > Save As You Go", "TRANSFER_OUT_SAVINGS"],
  ["Transfer > Wire", "TRANSFER_OUT_WIRE"],
  ["Transfer > Withdrawal", "TRANSFER_OUT_WITHDRAWAL"],

  ["Travel", "TRAVEL_OTHER_TRAVEL"],
  ["Travel > Airlines and Aviation Services", "TRAVEL_FLIGHTS"],
  ["Travel > Airports", "TRAVEL_FLIGHTS"],
  ["Travel > Bus Stations", "TRANSPORTATION_PUBLIC_TRANSIT"],
  ["Travel > Car and Truck Rentals", "TRAVEL_RENTAL_CARS"],
  ["Travel > Car Service", "TRANSPORTATION_TAXIS_AND_RIDE_SHARES"],
  ["Travel > Gas Stations", "TRANSPORTATION_GAS"],
  ["Travel > Limos and Chauffeurs", "TRANSPORTATION_TAXIS_AND_RIDE_SHARES"],
  ["Travel > Lodging", "TRAVEL_LODGING"],
  ["Travel > Parking", "TRANSPORTATION_PARKING"],
  ["Travel > Public Transportation Services", "TRANSPORTATION_PUBLIC_TRANSIT"],
  ["Travel > Taxi", "TRANSPORTATION_TAXIS_AND_RIDE_SHARES"],
  ["Travel > Tolls and Fees", "TRANSPORTATION_TOLLS"],
];

/** "  Food and  DRINK " → "food and drink": Plaid's names vary in case, never in words. */
function normalizeLevel(level: string): string {
  return level.trim().replace(/\s+/g, " ").toLowerCase();
}

const CODE_BY_PATH: ReadonlyMap<string, string> = new Map(
  LEGACY_CATEGORY_TABLE.map(([path, code]) => [
    path.split(SEPARATOR).map(normalizeLevel).join(SEPARATOR),
    code,
  ]),
);

/**
 * The PFC v2 code for a legacy category hierarchy: the deepest level the table knows, so an
 * unlisted restaurant kind still lands on restaurants, and an unlisted top level gives null.
 * Case and extra spaces are ignored; levels past the third are ignored.
 *
 * @example legacyCategory(["Food and Drink", "Restaurants", "Coffee Shop"]) // "FOOD_AND_DRINK_COFFEE"
 * @example legacyCategory(["Food and Drink", "Restaurants", "Sushi"]) // "FOOD_AND_DRINK_RESTAURANT"
 * @example legacyCategory(["travel", "airlines and aviation services"]) // "TRAVEL_FLIGHTS"
 * @example legacyCategory(["Unheard Of"]) // null
 */
export function legacyCategory(hierarchy: readonly string[]): string | null {
  const levels = hierarchy.slice(0, LEVELS_MAX).map(normalizeLevel);
  for (let depth = levels.length; depth > 0; depth--) {
    const code = CODE_BY_PATH.get(levels.slice(0, depth).join(SEPARATOR));
    if (code !== undefined) return code;
  }
  return null;
}
