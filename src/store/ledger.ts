import type { ExpectedEntry } from "../domain/index.js";
import { InputError } from "../errors/index.js";
import { chunksOf } from "./chunks.js";
import type { ExpectedEntriesTable, ExpectedEntryRow } from "./schema.js";
import type { Store } from "./store.js";
import { acceptedMatchOf, type Executor, OPEN_STATUSES } from "./workflow-matches.js";

/**
 * Stores the business's expected entries (its ledger), replacing entries with the same id.
 * All or nothing: one database transaction. (The demo's writer; `importExpectedEntries` is the
 * workflow's, which never overwrites a changed entry unasked.)
 *
 * @example await saveExpectedEntries(store, await readExpectedFile("ledger.csv"));
 */
export async function saveExpectedEntries(store: Store, entries: readonly ExpectedEntry[]): Promise<void> {
  const now = store.now();
  const rows = entries.map((entry) => rowOf(entry, store.tenantId, now));
  await store.db.transaction().execute(async (trx) => {
    for (const chunk of chunksOf(rows)) {
      await trx
        .insertInto("expected_entries")
        .values(chunk)
        .onConflict((conflict) =>
          conflict.columns(["tenant_id", "id"]).doUpdateSet((eb) => ({
            date: eb.ref("excluded.date"),
            amount_minor: eb.ref("excluded.amount_minor"),
            currency: eb.ref("excluded.currency"),
            description: eb.ref("excluded.description"),
            counterparty: eb.ref("excluded.counterparty"),
            reference: eb.ref("excluded.reference"),
            account_id: eb.ref("excluded.account_id"),
            amount_min_minor: eb.ref("excluded.amount_min_minor"),
            amount_max_minor: eb.ref("excluded.amount_max_minor"),
            date_from: eb.ref("excluded.date_from"),
            date_to: eb.ref("excluded.date_to"),
          })),
        )
        .execute();
    }
  });
}

function rowOf(entry: ExpectedEntry, tenantId: string, now: string): ExpectedEntriesTable {
  return {
    id: entry.id,
    tenant_id: tenantId,
    date: entry.date,
    amount_minor: entry.amountMinor,
    currency: entry.currency,
    description: entry.description,
    counterparty: entry.counterparty,
    reference: entry.reference,
    account_id: entry.accountId,
    amount_min_minor: entry.amountMinMinor ?? null,
    amount_max_minor: entry.amountMaxMinor ?? null,
    date_from: entry.dateFrom ?? null,
    date_to: entry.dateTo ?? null,
    created_at: now,
  };
}

/** A stored row as the domain's entry. */
export function expectedEntryOf(row: ExpectedEntryRow): ExpectedEntry {
  return {
    id: row.id,
    date: row.date,
    amountMinor: Number(row.amount_minor),
    currency: row.currency,
    description: row.description,
    counterparty: row.counterparty,
    reference: row.reference,
    accountId: row.account_id,
    ...(row.amount_min_minor === null ? {} : { amountMinMinor: Number(row.amount_min_minor) }),
    ...(row.amount_max_minor === null ? {} : { amountMaxMinor: Number(row.amount_max_minor) }),
    ...(row.date_from === null ? {} : { dateFrom: row.date_from }),
    ...(row.date_to === null ? {} : { dateTo: row.date_to }),
  };
}

/** The tenant's expected entries, by date then id; optionally within inclusive dates. */
export async function listExpectedEntries(
  store: Store,
  range: { readonly from?: string; readonly to?: string } = {},
): Promise<ExpectedEntry[]> {
  let query = store.db.selectFrom("expected_entries").selectAll().where("tenant_id", "=", store.tenantId);
  if (range.from !== undefined) query = query.where("date", ">=", range.from);
  if (range.to !== undefined) query = query.where("date", "<=", range.to);
  const rows = await query.orderBy("date").orderBy("id").execute();
  return rows.map(expectedEntryOf);
}

/** The columns an import compares, by the name the ledger file gives them. */
const COMPARED: readonly (readonly [string, keyof ExpectedEntriesTable])[] = [
  ["date", "date"],
  ["amount", "amount_minor"],
  ["currency", "currency"],
  ["description", "description"],
  ["counterparty", "counterparty"],
  ["reference", "reference"],
  ["account_id", "account_id"],
  ["amount_min", "amount_min_minor"],
  ["amount_max", "amount_max_minor"],
  ["date_from", "date_from"],
  ["date_to", "date_to"],
];

/** Fields whose change would unbalance or move an accepted match. */
const RECONCILED_FIELDS = new Set(["date", "amount", "currency", "account_id"]);

/** An entry of the file whose stored content differs: its id and the fields that differ. */
export interface LedgerChange {
  readonly id: string;
  /** In the ledger file's words: date, amount, currency, description, counterparty, … */
  readonly fields: readonly string[];
}

/** What an import did. */
export interface LedgerImportOutcome {
  readonly added: number;
  readonly unchanged: number;
  /** Changed entries overwritten (only with `update`). */
  readonly updated: number;
  /** Entries whose stored content differs; overwritten only with `update`. */
  readonly changed: readonly LedgerChange[];
}

/** Entries an import reports at most (the counts cover all). */
export const LEDGER_CHANGES_LISTED_MAX = 1_000;

/**
 * Imports ledger entries, idempotent by the ledger's own id: a new id is added, the same
 * content again changes nothing, and an entry whose stored content differs is reported with
 * the fields that differ and left as it was, unless `update`. With `update`, a change to an
 * entry of a closed period, or to the date, amount, currency or account of an entry in an
 * accepted match, is refused (InputError, nothing written): unmatch or reopen first. Two
 * entries with one id in the input are refused too. One database transaction.
 *
 * @example
 * const outcome = await importExpectedEntries(store, await readExpectedFile("ledger.csv"));
 * for (const c of outcome.changed) console.log(c.id, c.fields.join(", ")); // INV-7 amount, date
 */
export async function importExpectedEntries(
  store: Store,
  entries: readonly ExpectedEntry[],
  options: { readonly update?: boolean } = {},
): Promise<LedgerImportOutcome> {
  const seen = new Set<string>();
  for (const entry of entries) {
    if (seen.has(entry.id)) throw new InputError(`ledger entry id "${entry.id}" appears twice in the input`);
    seen.add(entry.id);
  }
  const now = store.now();
  const rows = entries.map((entry) => rowOf(entry, store.tenantId, now));
  return store.db.transaction().execute(async (trx) => {
    const stored = await storedEntries(trx, store.tenantId, [...seen]);
    const added: ExpectedEntriesTable[] = [];
    const changed: { row: ExpectedEntriesTable; fields: string[] }[] = [];
    let unchanged = 0;
    for (const row of rows) {
      const before = stored.get(row.id);
      if (before === undefined) added.push(row);
      else {
        const fields = differingFields(before, row);
        if (fields.length === 0) unchanged++;
        else changed.push({ row, fields });
      }
    }
    if (options.update === true && changed.length > 0) await refuseReconciledChanges(trx, store, changed);
    for (const chunk of chunksOf(added)) await trx.insertInto("expected_entries").values(chunk).execute();
    if (options.update === true)
      for (const { row } of changed) {
        const { id, tenant_id, created_at, ...content } = row;
        await trx
          .updateTable("expected_entries")
          .set(content)
          .where("tenant_id", "=", tenant_id)
          .where("id", "=", id)
          .execute();
      }
    return {
      added: added.length,
      unchanged,
      updated: options.update === true ? changed.length : 0,
      changed: changed.slice(0, LEDGER_CHANGES_LISTED_MAX).map(({ row, fields }) => ({ id: row.id, fields })),
    };
  });
}

async function storedEntries(
  db: Executor,
  tenantId: string,
  ids: readonly string[],
): Promise<Map<string, ExpectedEntryRow>> {
  const out = new Map<string, ExpectedEntryRow>();
  for (const chunk of chunksOf(ids)) {
    const rows = await db
      .selectFrom("expected_entries")
      .selectAll()
      .where("tenant_id", "=", tenantId)
      .where("id", "in", chunk)
      .execute();
    for (const row of rows) out.set(row.id, row);
  }
  return out;
}

function differingFields(before: ExpectedEntryRow, after: ExpectedEntriesTable): string[] {
  const fields: string[] = [];
  for (const [name, column] of COMPARED) {
    if (comparable(before[column]) !== comparable(after[column])) fields.push(name);
  }
  return fields;
}

/** A stored or new value in one form: integers as numbers (a driver may hand back bigint). */
function comparable(value: unknown): unknown {
  if (value === undefined || value === null) return null;
  return typeof value === "bigint" ? Number(value) : value;
}

async function refuseReconciledChanges(
  db: Executor,
  store: Store,
  changed: readonly { readonly row: ExpectedEntriesTable; readonly fields: readonly string[] }[],
): Promise<void> {
  const ids = changed.map(({ row }) => row.id);
  const locked = await lockedIds(db, store.tenantId, "expected", ids);
  const accepted = await acceptedMatchOf(db, store.tenantId, "expected", ids);
  const problems: string[] = [];
  for (const { row, fields } of changed) {
    if (locked.has(row.id)) problems.push(`${row.id} is in a closed period (bankrec reopen first)`);
    else if (accepted.has(row.id) && fields.some((f) => RECONCILED_FIELDS.has(f)))
      problems.push(
        `${row.id} is in accepted match ${accepted.get(row.id)} and its ${fields.filter((f) => RECONCILED_FIELDS.has(f)).join(", ")} changed (bankrec review --unmatch ${accepted.get(row.id)} first)`,
      );
  }
  if (problems.length > 0)
    throw new InputError(
      `${problems.length} changed ledger entr${problems.length === 1 ? "y is" : "ies are"} reconciled; nothing imported: ${problems.slice(0, 5).join("; ")}${problems.length > 5 ? "; …" : ""}`,
    );
}

/** Which of these rows are locked by a closed period. */
export async function lockedIds(
  db: Executor,
  tenantId: string,
  side: "bank" | "expected",
  ids: readonly string[],
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const chunk of chunksOf(ids)) {
    const rows = await db
      .selectFrom("locked_rows")
      .select(["row_id", "lock_id"])
      .where("tenant_id", "=", tenantId)
      .where("side", "=", side)
      .where("row_id", "in", chunk)
      .execute();
    for (const row of rows) out.set(row.row_id, row.lock_id);
  }
  return out;
}

/** Which entries `listLedgerEntries` returns. */
export interface LedgerFilter {
  /** Entries naming this bank account. */
  readonly accountId?: string;
  /** Inclusive ledger dates. */
  readonly from?: string;
  readonly to?: string;
  /** Only entries not in an accepted match (not yet reconciled). */
  readonly open?: boolean;
  /** At most this many (default 10,000). */
  readonly limit?: number;
}

/** A stored entry with where it stands in the workflow. */
export interface LedgerEntryStatus {
  readonly entry: ExpectedEntry;
  /** `open`, `proposed` (in the review queue), `accepted` (reconciled), `locked` (in a closed period). */
  readonly status: "open" | "proposed" | "accepted" | "locked";
  /** The accepted match, or the open proposal, holding it. */
  readonly matchId: string | null;
}

export const LEDGER_LIST_LIMIT_DEFAULT = 10_000;

/**
 * The tenant's ledger entries by date then id, each with its status.
 *
 * @example await listLedgerEntries(store, { from: "2026-05-01", to: "2026-05-31", open: true })
 */
export async function listLedgerEntries(
  store: Store,
  filter: LedgerFilter = {},
): Promise<LedgerEntryStatus[]> {
  const tenantId = store.tenantId;
  let query = store.db.selectFrom("expected_entries as e").selectAll("e").where("e.tenant_id", "=", tenantId);
  if (filter.accountId !== undefined) query = query.where("e.account_id", "=", filter.accountId);
  if (filter.from !== undefined) query = query.where("e.date", ">=", filter.from);
  if (filter.to !== undefined) query = query.where("e.date", "<=", filter.to);
  if (filter.open === true)
    query = query.where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom("match_members as mm")
            .innerJoin("reconciliation_matches as m", "m.id", "mm.match_id")
            .select("mm.match_id")
            .where("m.tenant_id", "=", tenantId)
            .where("m.review_status", "=", "accepted")
            .where("mm.side", "=", "expected")
            .whereRef("mm.member_id", "=", "e.id"),
        ),
      ),
    );
  const rows = await query
    .orderBy("e.date")
    .orderBy("e.id")
    .limit(filter.limit ?? LEDGER_LIST_LIMIT_DEFAULT)
    .execute();
  const ids = rows.map((row) => row.id);
  const accepted = await acceptedMatchOf(store.db, tenantId, "expected", ids);
  const locked = await lockedIds(store.db, tenantId, "expected", ids);
  const proposed = await proposalOf(store.db, tenantId, ids);
  return rows.map((row) => {
    const acceptedId = accepted.get(row.id);
    const status = locked.has(row.id)
      ? "locked"
      : acceptedId !== undefined
        ? "accepted"
        : proposed.has(row.id)
          ? "proposed"
          : "open";
    return { entry: expectedEntryOf(row), status, matchId: acceptedId ?? proposed.get(row.id) ?? null };
  });
}

async function proposalOf(
  db: Executor,
  tenantId: string,
  ids: readonly string[],
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const chunk of chunksOf(ids)) {
    const rows = await db
      .selectFrom("match_members as mm")
      .innerJoin("reconciliation_matches as m", "m.id", "mm.match_id")
      .select(["mm.member_id", "mm.match_id"])
      .where("m.tenant_id", "=", tenantId)
      .where("m.review_status", "in", [...OPEN_STATUSES])
      .where("mm.side", "=", "expected")
      .where("mm.member_id", "in", chunk)
      .execute();
    for (const row of rows) out.set(row.member_id, row.match_id);
  }
  return out;
}

/** The tenant's entries with these ids (unknown ids are left out). */
export async function loadExpectedEntries(
  db: Executor,
  tenantId: string,
  ids: readonly string[],
): Promise<Map<string, ExpectedEntry>> {
  const rows = await storedEntries(db, tenantId, ids);
  return new Map([...rows].map(([id, row]) => [id, expectedEntryOf(row)]));
}

/** Deletes entries (the caller checked they may go). */
export async function deleteExpectedEntries(
  db: Executor,
  tenantId: string,
  ids: readonly string[],
): Promise<void> {
  for (const chunk of chunksOf(ids))
    await db
      .deleteFrom("expected_entries")
      .where("tenant_id", "=", tenantId)
      .where("id", "in", chunk)
      .execute();
}
