/**
 * What the categorizer reads from a Plaid feed file beyond the BankTransaction: the personal
 * finance category, the legacy category list, the merchant entity and the counterparty. The
 * fast readers (`plaid-json.ts`, `plaid-ndjson.ts`) keep only what reconciliation needs, so a
 * spending report from a file takes these in a second, lenient pass: the file was already
 * checked by those readers, and a field missing or odd here only means "no hint".
 */
import { firstSignificant, readText } from "./file-text.js";

export interface PlaidCategoryFacts {
  readonly pfcPrimary: string | null;
  readonly pfcDetailed: string | null;
  readonly pfcConfidence: string | null;
  readonly legacyCategory: readonly string[] | null;
  readonly merchantEntityId: string | null;
  readonly counterparty: string | null;
  /** A statement's type code, when bankrec wrote the feed from one (`bankrec_type_code`). */
  readonly statementType: string | null;
}

type Row = Record<string, unknown>;

function text(value: unknown): string | null {
  return typeof value === "string" && value !== "" ? value : null;
}

function factsOf(row: Row): PlaidCategoryFacts {
  const pfc = (typeof row.personal_finance_category === "object" && row.personal_finance_category) as
    | Row
    | false;
  const legacy =
    Array.isArray(row.category) && row.category.every((c) => typeof c === "string") ? row.category : null;
  const first = Array.isArray(row.counterparties) ? (row.counterparties[0] as Row | undefined) : undefined;
  return {
    pfcPrimary: pfc ? text(pfc.primary) : null,
    pfcDetailed: pfc ? text(pfc.detailed) : null,
    pfcConfidence: pfc ? text(pfc.confidence_level) : null,
    legacyCategory: legacy as string[] | null,
    merchantEntityId: text(row.merchant_entity_id),
    counterparty: typeof first === "object" && first !== null ? text(first.name) : null,
    statementType: text(row.bankrec_type_code),
  };
}

function rowsOf(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (typeof value !== "object" || value === null) return [];
  const v = value as Row;
  if (Array.isArray(v.transactions)) return v.transactions;
  return [...(Array.isArray(v.added) ? v.added : []), ...(Array.isArray(v.modified) ? v.modified : [])];
}

/**
 * The category facts of every transaction in a Plaid JSON or NDJSON file, by transaction id.
 *
 * @example const facts = await readPlaidFacts("bank.json"); facts.get("t1")?.pfcDetailed // "FOOD_AND_DRINK_COFFEE"
 */
export async function readPlaidFacts(path: string): Promise<Map<string, PlaidCategoryFacts>> {
  const content = await readText(path);
  const out = new Map<string, PlaidCategoryFacts>();
  const add = (value: unknown) => {
    if (typeof value !== "object" || value === null) return;
    const id = text((value as Row).transaction_id);
    if (id !== null) out.set(id, factsOf(value as Row));
  };
  let whole: unknown;
  try {
    whole =
      firstSignificant(content) === "[" || firstSignificant(content) === "{"
        ? JSON.parse(content)
        : undefined;
  } catch {
    whole = undefined; // NDJSON: one object a line
  }
  if (whole !== undefined) {
    for (const row of rowsOf(whole)) add(row);
    return out;
  }
  for (const line of content.split("\n")) {
    if (line.trim() === "") continue;
    try {
      add(JSON.parse(line));
    } catch {
      // The strict reader already refused bad lines; nothing to learn from one here.
    }
  }
  return out;
}
