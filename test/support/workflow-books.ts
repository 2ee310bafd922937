import type { BankTransaction, ExpectedEntry } from "../../src/domain/index.js";
import type { Match } from "../../src/reconcile/index.js";
import { reconcile } from "../../src/reconcile/index.js";
import type { Store } from "../../src/store/index.js";
import { upsertTransactionRows } from "../../src/store/index.js";
import type { NewTransactionRow } from "../../src/store/schema.js";
import { type Engine, resultOf } from "../../src/workflow/proposals.js";

/**
 * Small books for the workflow's tests: bank rows written straight into the store (as a
 * statement import would), ledger entries, an engine that proposes what a test scripts, and a
 * snapshot of every table the workflow writes, to assert a refused decision changed nothing.
 */

export interface BankRowInput {
  readonly id: string;
  readonly amountMinor: number;
  readonly date: string;
  readonly name: string;
  readonly accountId?: string;
  readonly currency?: string;
  readonly pending?: boolean;
}

export const ACCOUNT = "acc-checking";

/** Writes bank rows (and their account, USD unless said) into the store. */
export async function addBankRows(store: Store, rows: readonly BankRowInput[]): Promise<void> {
  const now = store.now();
  const accounts = new Map(rows.map((r) => [r.accountId ?? ACCOUNT, r.currency ?? "USD"]));
  for (const [id, currency] of accounts)
    await store.db
      .insertInto("accounts")
      .values({
        id,
        tenant_id: store.tenantId,
        item_id: null,
        source: "file",
        name: id,
        official_name: null,
        mask: null,
        type: "depository",
        subtype: "checking",
        currency,
        raw_json: null,
        updated_at: now,
      })
      .onConflict((c) => c.columns(["tenant_id", "id"]).doNothing())
      .execute();
  await upsertTransactionRows(
    store.db,
    rows.map((r) => bankRow(store, r)),
  );
}

/** The row `addBankRows` writes (a statement file's row: no item, no Plaid payload). */
export function bankRow(store: Store, r: BankRowInput): NewTransactionRow {
  const now = store.now();
  return {
    id: r.id,
    tenant_id: store.tenantId,
    item_id: null,
    account_id: r.accountId ?? ACCOUNT,
    source: "file",
    amount_minor: r.amountMinor,
    currency: r.currency ?? "USD",
    date: r.date,
    authorized_date: null,
    name: r.name,
    merchant_name: null,
    check_number: null,
    pending: r.pending === true ? 1 : 0,
    pending_transaction_id: null,
    payment_channel: null,
    pfc_primary: null,
    pfc_detailed: null,
    pfc_confidence: null,
    pfc_version: null,
    legacy_category_json: null,
    raw_json: "{}",
    first_seen_at: now,
    updated_at: now,
    removed_at: null,
    merchant_entity_id: null,
    counterparty_name: null,
    bank_type_code: null,
  };
}

/** A ledger entry with the fields tests care about. */
export function entry(
  id: string,
  amountMinor: number,
  date: string,
  description: string,
  more: Partial<ExpectedEntry> = {},
): ExpectedEntry {
  return {
    id,
    date,
    amountMinor,
    currency: "USD",
    description,
    counterparty: null,
    reference: null,
    accountId: null,
    ...more,
  };
}

/** A proposal a scripted engine makes when all its rows are in its input. */
export interface Scripted {
  readonly bank: readonly string[];
  readonly expected: readonly string[];
  readonly confidence: number;
  readonly needsReview?: boolean;
}

/** What a scripted engine was given on each call. */
export interface EngineCall {
  readonly bank: readonly string[];
  readonly expected: readonly string[];
  readonly learnedAliases: readonly { descriptor: string; counterparty: string; weight: number }[];
}

/**
 * An engine that proposes the scripted pairings whose rows it is given (each row once, in
 * script order), and records what it was given.
 */
export function scriptedEngine(script: readonly Scripted[], calls: EngineCall[] = []): Engine {
  return (bank: readonly BankTransaction[], expected: readonly ExpectedEntry[], options) => {
    calls.push({
      bank: bank.map((b) => b.id),
      expected: expected.map((e) => e.id),
      learnedAliases: options.learnedAliases ?? [],
    });
    const bankById = new Map(bank.map((b) => [b.id, b]));
    const expectedById = new Map(expected.map((e) => [e.id, e]));
    const used = new Set<string>();
    const matches: Match[] = [];
    for (const s of script) {
      const rows = s.bank.map((id) => bankById.get(id));
      const entries = s.expected.map((id) => expectedById.get(id));
      if (rows.some((r) => r === undefined) || entries.some((e) => e === undefined)) continue;
      if (s.bank.some((id) => used.has(`b:${id}`)) || s.expected.some((id) => used.has(`e:${id}`))) continue;
      for (const id of s.bank) used.add(`b:${id}`);
      for (const id of s.expected) used.add(`e:${id}`);
      const difference =
        rows.reduce((sum, r) => sum + (r?.amountMinor ?? 0), 0) -
        entries.reduce((sum, e) => sum + (e?.amountMinor ?? 0), 0);
      const pending = rows.some((r) => r?.pending === true);
      matches.push({
        kind: s.bank.length === 1 ? (s.expected.length === 1 ? "one_to_one" : "many_to_one") : "one_to_many",
        bankTransactionIds: [...s.bank],
        expectedIds: [...s.expected],
        confidence: s.confidence,
        reasons: [
          {
            feature: "amount",
            contribution: 50,
            detail: difference === 0 ? "same amount" : "amount differs",
          },
        ],
        amountDifferenceMinor: difference,
        currency: "USD",
        pending,
        needsReview: s.needsReview ?? (pending || difference !== 0 || s.confidence < 0.6),
      });
    }
    return resultOf(matches, bank, expected, reconcile([], [], {}));
  };
}

/** The tables the workflow writes (and the bank rows' reconciled fields), as sorted JSON lines. */
export async function workflowSnapshot(store: Store): Promise<Record<string, string[]>> {
  const tables = [
    "expected_entries",
    "reconciliation_runs",
    "reconciliation_matches",
    "match_members",
    "reconciliation_decisions",
    "match_adjustments",
    "learned_aliases",
    "period_locks",
    "locked_rows",
    "locked_changes",
  ] as const;
  const out: Record<string, string[]> = {};
  for (const table of tables) {
    const rows = await store.db.selectFrom(table).selectAll().execute();
    out[table] = rows.map((row) => JSON.stringify(row)).sort();
  }
  const bank = await store.db
    .selectFrom("transactions")
    .select(["id", "amount_minor", "currency", "date", "pending", "removed_at", "name"])
    .execute();
  out.transactions = bank.map((row) => JSON.stringify(row)).sort();
  return out;
}
