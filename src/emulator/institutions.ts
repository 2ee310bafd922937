/** Institutions as Plaid's sandbox names them. */

export interface InstitutionInfo {
  readonly institutionId: string;
  readonly name: string;
  readonly url: string;
  readonly primaryColor: string;
  readonly routingNumbers: readonly string[];
}

export const INSTITUTIONS: readonly InstitutionInfo[] = [
  {
    institutionId: "ins_109508",
    name: "First Platypus Bank",
    url: "https://www.platypus.com",
    primaryColor: "#1f1f1f",
    routingNumbers: ["011000138"],
  },
  {
    institutionId: "ins_109509",
    name: "First Gingham Credit Union",
    url: "https://www.gingham.com",
    primaryColor: "#b03060",
    routingNumbers: ["011000390"],
  },
  {
    institutionId: "ins_109510",
    name: "Tattersall Federal Credit Union",
    url: "https://www.tattersall.com",
    primaryColor: "#2e5e4e",
    routingNumbers: ["011000536"],
  },
  {
    institutionId: "ins_109511",
    name: "Tartan Bank",
    url: "https://www.tartan.com",
    primaryColor: "#8b0000",
    routingNumbers: ["011001234"],
  },
  {
    institutionId: "ins_109512",
    name: "Houndstooth Bank",
    url: "https://www.houndstooth.com",
    primaryColor: "#333366",
    routingNumbers: ["011075150"],
  },
];

export function findInstitution(institutionId: string): InstitutionInfo | undefined {
  return INSTITUTIONS.find((institution) => institution.institutionId === institutionId);
}

/** Plaid's Institution object (the fields /institutions/get_by_id returns). */
export function institutionJson(
  institution: InstitutionInfo,
  products: readonly string[],
): Record<string, unknown> {
  return {
    institution_id: institution.institutionId,
    name: institution.name,
    products: [...products],
    country_codes: ["US"],
    url: institution.url,
    primary_color: institution.primaryColor,
    logo: null,
    routing_numbers: [...institution.routingNumbers],
    dtc_numbers: [],
    oauth: false,
  };
}

/** Products every sandbox institution here supports. */
export const SUPPORTED_PRODUCTS: readonly string[] = [
  "assets",
  "auth",
  "balance",
  "identity",
  "investments",
  "liabilities",
  "transactions",
];
