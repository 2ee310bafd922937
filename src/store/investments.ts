import type { Kysely, Transaction } from "kysely";
import type {
  PlaidHoldingRecord,
  PlaidInvestmentTransactionRecord,
  PlaidSecurityRecord,
} from "../plaid/index.js";
import { chunksOf } from "./chunks.js";
import type { Database } from "./schema.js";
import type { Store } from "./store.js";

type Executor = Kysely<Database> | Transaction<Database>;

/** A position as the store shows it, with the security it is in when Plaid described it. */
export interface StoredHolding {
  readonly accountId: string;
  readonly securityId: string;
  readonly itemId: string;
  /** Units held; a number, since share counts can be fractional. */
  readonly quantity: number;
  readonly institutionValueMinor: number | null;
  readonly costBasisMinor: number | null;
  readonly currency: string | null;
  readonly security: StoredSecurity | null;
}

export interface StoredSecurity {
  readonly name: string | null;
  readonly tickerSymbol: string | null;
  readonly type: string | null;
  /** Price per unit in the security's currency, as Plaid states it (a number, not money). */
  readonly closePrice: number | null;
}

/**
 * Replaces an item's holdings with `holdings`: rows Plaid no longer lists go, the rest are
 * written anew. Run it inside a database transaction so readers never see the item half
 * replaced. Two positions Plaid lists for the same account and security are one row of
 * their summed quantity and values (the table holds one row per account and security).
 */
export async function replaceHoldings(
  db: Executor,
  itemId: string,
  holdings: readonly PlaidHoldingRecord[],
  now: string,
): Promise<number> {
  const rows = mergeHoldings(holdings).map((holding) => ({
    account_id: holding.accountId,
    security_id: holding.securityId,
    item_id: itemId,
    quantity: holding.quantity,
    institution_value_minor: holding.institutionValueMinor,
    cost_basis_minor: holding.costBasisMinor,
    currency: holding.currency,
    raw_json: JSON.stringify(holding.raw),
    updated_at: now,
  }));
  await db.deleteFrom("holdings").where("item_id", "=", itemId).execute();
  for (const chunk of chunksOf(rows)) {
    // On conflict, so that two refreshes of one item racing on Postgres both end in a full set.
    await db
      .insertInto("holdings")
      .values(chunk)
      .onConflict((conflict) =>
        conflict.columns(["account_id", "security_id"]).doUpdateSet((eb) => ({
          item_id: eb.ref("excluded.item_id"),
          quantity: eb.ref("excluded.quantity"),
          institution_value_minor: eb.ref("excluded.institution_value_minor"),
          cost_basis_minor: eb.ref("excluded.cost_basis_minor"),
          currency: eb.ref("excluded.currency"),
          raw_json: eb.ref("excluded.raw_json"),
          updated_at: eb.ref("excluded.updated_at"),
        })),
      )
      .execute();
  }
  return rows.length;
}

function mergeHoldings(holdings: readonly PlaidHoldingRecord[]): PlaidHoldingRecord[] {
  const byKey = new Map<string, PlaidHoldingRecord>();
  for (const holding of holdings) {
    const key = `${holding.accountId}\u0000${holding.securityId}`;
    const seen = byKey.get(key);
    if (seen === undefined) {
      byKey.set(key, holding);
      continue;
    }
    byKey.set(key, {
      ...seen,
      quantity: seen.quantity + holding.quantity,
      institutionValueMinor: seen.institutionValueMinor + holding.institutionValueMinor,
      costBasisMinor:
        seen.costBasisMinor === null || holding.costBasisMinor === null
          ? null
          : seen.costBasisMinor + holding.costBasisMinor,
    });
  }
  return [...byKey.values()];
}

/**
 * Inserts or refreshes securities by Plaid's `security_id`. Securities are Plaid's shared
 * reference data (a ticker, a name, a price), so the table is not scoped by tenant or item.
 */
export async function upsertSecurities(
  db: Executor,
  securities: readonly PlaidSecurityRecord[],
  now: string,
): Promise<number> {
  const unique = [...new Map(securities.map((s) => [s.securityId, s])).values()];
  for (const chunk of chunksOf(unique)) {
    await db
      .insertInto("securities")
      .values(
        chunk.map((security) => ({
          id: security.securityId,
          name: security.name,
          ticker_symbol: security.tickerSymbol,
          type: security.type,
          currency: security.currency,
          close_price: security.closePrice,
          raw_json: JSON.stringify(security.raw),
          updated_at: now,
        })),
      )
      .onConflict((conflict) =>
        conflict.column("id").doUpdateSet((eb) => ({
          name: eb.ref("excluded.name"),
          ticker_symbol: eb.ref("excluded.ticker_symbol"),
          type: eb.ref("excluded.type"),
          currency: eb.ref("excluded.currency"),
          close_price: eb.ref("excluded.close_price"),
          raw_json: eb.ref("excluded.raw_json"),
          updated_at: eb.ref("excluded.updated_at"),
        })),
      )
      .execute();
  }
  return unique.length;
}

/** Inserts or overwrites an item's investment transactions by id (a replay changes nothing). */
export async function upsertInvestmentTransactions(
  db: Executor,
  itemId: string,
  transactions: readonly PlaidInvestmentTransactionRecord[],
  now: string,
): Promise<number> {
  const unique = [...new Map(transactions.map((t) => [t.id, t])).values()];
  for (const chunk of chunksOf(unique)) {
    await db
      .insertInto("investment_transactions")
      .values(
        chunk.map((t) => ({
          id: t.id,
          item_id: itemId,
          account_id: t.accountId,
          security_id: t.securityId,
          date: t.date,
          name: t.name,
          type: t.type,
          subtype: t.subtype,
          amount_minor: t.amountMinor,
          currency: t.currency,
          quantity: t.quantity,
          raw_json: JSON.stringify(t.raw),
          updated_at: now,
        })),
      )
      .onConflict((conflict) =>
        conflict.column("id").doUpdateSet((eb) => ({
          item_id: eb.ref("excluded.item_id"),
          account_id: eb.ref("excluded.account_id"),
          security_id: eb.ref("excluded.security_id"),
          date: eb.ref("excluded.date"),
          name: eb.ref("excluded.name"),
          type: eb.ref("excluded.type"),
          subtype: eb.ref("excluded.subtype"),
          amount_minor: eb.ref("excluded.amount_minor"),
          currency: eb.ref("excluded.currency"),
          quantity: eb.ref("excluded.quantity"),
          raw_json: eb.ref("excluded.raw_json"),
          updated_at: eb.ref("excluded.updated_at"),
        })),
      )
      .execute();
  }
  return unique.length;
}

/**
 * The tenant's holdings (one item's with `itemId`), by account then security.
 *
 * @example
 * for (const h of await listHoldings(store)) console.log(h.security?.tickerSymbol, h.quantity, h.institutionValueMinor);
 */
export async function listHoldings(
  store: Store,
  options: { readonly itemId?: string } = {},
): Promise<StoredHolding[]> {
  let query = store.db
    .selectFrom("holdings as h")
    .innerJoin("items as i", "i.id", "h.item_id")
    .leftJoin("securities as s", "s.id", "h.security_id")
    .where("i.tenant_id", "=", store.tenantId)
    .select([
      "h.account_id",
      "h.security_id",
      "h.item_id",
      "h.quantity",
      "h.institution_value_minor",
      "h.cost_basis_minor",
      "h.currency",
      "s.id as security_row",
      "s.name",
      "s.ticker_symbol",
      "s.type",
      "s.close_price",
    ])
    .orderBy("h.item_id")
    .orderBy("h.account_id")
    .orderBy("h.security_id");
  if (options.itemId !== undefined) query = query.where("h.item_id", "=", options.itemId);
  const rows = await query.execute();
  return rows.map((row) => ({
    accountId: row.account_id,
    securityId: row.security_id,
    itemId: row.item_id,
    quantity: row.quantity,
    institutionValueMinor: row.institution_value_minor,
    costBasisMinor: row.cost_basis_minor,
    currency: row.currency,
    security:
      row.security_row === null
        ? null
        : {
            name: row.name,
            tickerSymbol: row.ticker_symbol,
            type: row.type,
            closePrice: row.close_price,
          },
  }));
}
