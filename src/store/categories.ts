/**
 * Categories resolved at write time. Sync, a statement import, a person's edit and a rule
 * change call `refreshCategories` (or `recategorizeAll`) inside their own database
 * transaction, so the stored category, merchant, tags and report role are always what the
 * categorizer says for the row as it is, and reports are plain SQL aggregates.
 */
import { type Kysely, type RawBuilder, sql, type Transaction } from "kysely";
import {
  type Categorization,
  type CategorizeInput,
  type CategoryRule,
  type CompiledRule,
  categorize,
  compileRules,
  pairTransfers,
  reportRole,
  TRANSFER_WINDOW_DAYS,
  type TransferCandidate,
} from "../categorize/index.js";
import { dayToIso, isoToDay } from "../reconcile/days.js";
import { chunksOf } from "./chunks.js";
import type { StoreDialect } from "./connect.js";
import type { Database, NewTransactionRow, TransactionRow } from "./schema.js";

type Executor = Kysely<Database> | Transaction<Database>;

/** Rows read or written per statement while re-categorizing. */
const PAGE_ROWS = 5_000;
/** Rows per bulk update: 11 values a row keeps a statement well under every bind limit. */
const UPDATE_ROWS_MAX = 1_000;
/** Changed rows kept as examples for `rules test`. */
export const EXAMPLES_MAX = 10;

/** The columns a row is categorized from: its source facts and a person's edits. */
const SOURCE_COLUMNS = [
  "name",
  "account_id",
  "amount_minor",
  "currency",
  "merchant_name",
  "merchant_entity_id",
  "counterparty_name",
  "pfc_primary",
  "pfc_detailed",
  "pfc_confidence",
  "legacy_category_json",
  "bank_type_code",
  "user_category",
  "user_merchant_name",
] as const;

/** The stored columns the categorizer writes (sync's upsert overwrites them too). */
export const CATEGORIZED_COLUMNS = [
  "category",
  "category_primary",
  "category_source",
  "category_rule_id",
  "merchant_key",
  "merchant_display",
  "rule_tags_json",
  "marked_transfer",
  "report_role",
] as const;

const INPUT_COLUMNS = [
  "id",
  "date",
  ...SOURCE_COLUMNS,
  ...CATEGORIZED_COLUMNS,
  "transfer_partner_id",
  "removed_at",
] as const;

type SourceRow = Pick<TransactionRow, (typeof SOURCE_COLUMNS)[number]>;
type InputRow = Pick<TransactionRow, (typeof INPUT_COLUMNS)[number]>;
type Written = { readonly [K in (typeof CATEGORIZED_COLUMNS)[number]]: TransactionRow[K] };

/** A row whose stored categorization changed (or would change, in a dry run). */
export interface CategoryChange {
  readonly id: string;
  readonly date: string;
  readonly amountMinor: number;
  readonly currency: string;
  readonly description: string;
  readonly before: { readonly category: string; readonly merchant: string | null };
  readonly after: { readonly category: string; readonly merchant: string | null };
}

export interface RecategorizeOutcome {
  readonly examined: number;
  readonly changed: number;
  readonly examples: readonly CategoryChange[];
  /** The first and last day of the rows that changed; null when none did. */
  readonly changedDates: { readonly first: string; readonly last: string } | null;
}

function inputOf(row: SourceRow): CategorizeInput {
  return {
    description: row.name,
    accountId: row.account_id,
    amountMinor: Number(row.amount_minor),
    currency: row.currency,
    merchantName: row.merchant_name,
    merchantEntityId: row.merchant_entity_id,
    counterparty: row.counterparty_name,
    pfcPrimary: row.pfc_primary,
    pfcDetailed: row.pfc_detailed,
    pfcConfidence: row.pfc_confidence,
    legacyCategory:
      row.legacy_category_json === null ? null : (JSON.parse(row.legacy_category_json) as string[]),
    statementType: row.bank_type_code,
    userCategory: row.user_category,
    userMerchantName: row.user_merchant_name,
  };
}

function writtenOf(c: Categorization, paired: boolean): Written {
  return {
    category: c.category,
    category_primary: c.categoryPrimary,
    category_source: c.source,
    category_rule_id: c.ruleId,
    merchant_key: c.merchantKey,
    merchant_display: c.merchantName,
    rule_tags_json: c.ruleTags.length === 0 ? null : JSON.stringify(c.ruleTags),
    marked_transfer: c.markTransfer ? 1 : 0,
    report_role: reportRole(c, paired),
  };
}

function differs(row: InputRow, next: Written): boolean {
  for (const column of CATEGORIZED_COLUMNS) if ((row[column] ?? null) !== next[column]) return true;
  return false;
}

/** The tenant's rules, in order. */
export async function loadRules(db: Executor, tenantId: string): Promise<CategoryRule[]> {
  const rows = await db
    .selectFrom("category_rules")
    .selectAll()
    .where("tenant_id", "=", tenantId)
    .orderBy("priority")
    .orderBy("id")
    .execute();
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    position: Number(row.priority),
    conditions: JSON.parse(row.conditions_json),
    actions: JSON.parse(row.actions_json),
  }));
}

/**
 * The rows to categorize: these ids, or all of the tenant's, optionally narrowed by a
 * condition every row that could change satisfies (see `store/rule-scope.ts`).
 */
export type Scope =
  | { readonly ids: readonly string[] }
  | { readonly all: true; readonly where?: RawBuilder<unknown> };

/**
 * Categorizes the rows in scope with `rules` (default: the tenant's stored rules) and writes
 * what changed; with `dryRun`, counts and shows what would change and writes nothing. The
 * count of a dry run with a candidate rule set equals what applying that set changes.
 */
export async function recategorize(
  db: Executor,
  tenantId: string,
  scope: Scope,
  options: { readonly rules?: readonly CategoryRule[]; readonly dryRun?: boolean } = {},
): Promise<RecategorizeOutcome> {
  const compiled = compileRules(options.rules ?? (await loadRules(db, tenantId)));
  let examined = 0;
  let changed = 0;
  let first: string | null = null;
  let last: string | null = null;
  const examples: CategoryChange[] = [];
  for await (const page of pagesOf(db, tenantId, scope)) {
    examined += page.length;
    const updates = changesIn(page, compiled);
    changed += updates.length;
    for (const { row } of updates) {
      if (first === null || row.date < first) first = row.date;
      if (last === null || row.date > last) last = row.date;
    }
    for (const { row, next } of updates.slice(0, EXAMPLES_MAX - examples.length))
      examples.push(changeOf(row, next));
    if (options.dryRun !== true) await writeCategorized(db, tenantId, updates);
  }
  return {
    examined,
    changed,
    examples,
    changedDates: first === null || last === null ? null : { first, last },
  };
}

function changesIn(
  page: readonly InputRow[],
  rules: readonly CompiledRule[],
): { row: InputRow; next: Written }[] {
  const out: { row: InputRow; next: Written }[] = [];
  for (const row of page) {
    const next = writtenOf(categorize(inputOf(row), rules), row.transfer_partner_id !== null);
    if (differs(row, next)) out.push({ row, next });
  }
  return out;
}

function changeOf(row: InputRow, next: Written): CategoryChange {
  return {
    id: row.id,
    date: row.date,
    amountMinor: Number(row.amount_minor),
    currency: row.currency,
    description: row.name,
    before: { category: row.category, merchant: row.merchant_display },
    after: { category: next.category, merchant: next.merchant_display },
  };
}

async function* pagesOf(db: Executor, tenantId: string, scope: Scope): AsyncGenerator<InputRow[]> {
  const base = () => db.selectFrom("transactions").select(INPUT_COLUMNS).where("tenant_id", "=", tenantId);
  // Removed rows are dropped here rather than in SQL, and the order is the primary key's own:
  // both keep every page one range of the primary key, whatever the planner knows of the table.
  const live = (rows: readonly (InputRow & { readonly removed_at: string | null })[]) =>
    rows.filter((row) => row.removed_at === null);
  if ("ids" in scope) {
    for (const chunk of chunksOf(scope.ids, PAGE_ROWS))
      yield live(await base().where("id", "in", chunk).execute());
    return;
  }
  let after: string | null = null;
  const where = scope.where;
  for (;;) {
    let query = base().orderBy("tenant_id").orderBy("id").limit(PAGE_ROWS);
    if (where !== undefined) query = query.where(where as RawBuilder<boolean>);
    if (after !== null) query = query.where("id", ">", after);
    const page = await query.execute();
    if (page.length === 0) return;
    yield live(page);
    after = page[page.length - 1]?.id ?? null;
    if (page.length < PAGE_ROWS) return;
  }
}

async function writeCategorized(
  db: Executor,
  tenantId: string,
  updates: readonly { readonly row: InputRow; readonly next: Written }[],
): Promise<void> {
  const rows = updates.map(({ row, next }) => [row.id, ...CATEGORIZED_COLUMNS.map((column) => next[column])]);
  await bulkUpdate(db, tenantId, ["id", ...CATEGORIZED_COLUMNS], rows, new Set(["marked_transfer"]));
}

/**
 * `UPDATE … FROM (VALUES …)` in chunks: one statement per thousand rows instead of one per row.
 * Both SQLite (3.33+) and PostgreSQL take this form; integer columns are cast because
 * Postgres reads untyped VALUES as text.
 */
async function bulkUpdate(
  db: Executor,
  tenantId: string,
  columns: readonly string[],
  rows: readonly (readonly (string | number | null)[])[],
  integerColumns: ReadonlySet<string>,
): Promise<void> {
  const set = sql.join(
    columns
      .slice(1)
      .map((column) =>
        integerColumns.has(column)
          ? sql`${sql.ref(column)} = cast(v.${sql.ref(column)} as integer)`
          : sql`${sql.ref(column)} = v.${sql.ref(column)}`,
      ),
  );
  const names = sql.join(columns.map((column) => sql.ref(column)));
  for (const chunk of chunksOf(rows, UPDATE_ROWS_MAX)) {
    const values = sql.join(
      chunk.map((row) => sql`(${sql.join(row.map((value) => (value === null ? sql`null` : value)))})`),
    );
    await sql`with v(${names}) as (values ${values})
      update transactions set ${set} from v
      where transactions.tenant_id = ${tenantId} and transactions.id = v.id`.execute(db);
  }
}

/**
 * After rows changed: re-categorize them and re-pair transfers over their dates (and a
 * transfer window either side). Ids may include removed rows: their partners are set free.
 *
 * @example await store.db.transaction().execute((trx) => refreshCategories(trx, store.tenantId, ids));
 */
export async function refreshCategories(
  db: Executor,
  tenantId: string,
  ids: readonly string[],
  options: { readonly alsoDates?: readonly string[] } = {},
): Promise<void> {
  if (ids.length === 0 && (options.alsoDates ?? []).length === 0) return;
  if (ids.length > 0) await recategorize(db, tenantId, { ids });
  let first: string | null = null;
  let last: string | null = null;
  for (const date of options.alsoDates ?? []) {
    if (first === null || date < first) first = date;
    if (last === null || date > last) last = date;
  }
  for (const chunk of chunksOf(ids, PAGE_ROWS)) {
    const span = await db
      .selectFrom("transactions")
      .select((eb) => [eb.fn.min("date").as("first"), eb.fn.max("date").as("last")])
      .where("tenant_id", "=", tenantId)
      .where("id", "in", chunk)
      .executeTakeFirst();
    if (span?.first != null && (first === null || span.first < first)) first = span.first;
    if (span?.last != null && (last === null || span.last > last)) last = span.last;
  }
  if (first !== null && last !== null) await pairTransfersBetween(db, tenantId, first, last);
}

/**
 * Rows about to be written (by sync, a backfill or an import) with their categorization
 * filled in, so the write stores it at once instead of rewriting every row after. A person's
 * edits on rows already stored are read first: sync never overwrites them, and they win.
 * Transfer pairs are left to `refreshCategories` over the rows' dates afterwards.
 *
 * The rows are filled in place and returned: they are built for this write, and a copy of a
 * million rows of thirty columns cost more than categorizing them (measured 15 µs a row).
 *
 * @example await upsertTransactionRows(trx, await withCategories(trx, tenantId, rows));
 */
export async function withCategories(
  db: Executor,
  tenantId: string,
  rows: NewTransactionRow[],
): Promise<NewTransactionRow[]> {
  const rules = compileRules(await loadRules(db, tenantId));
  const edits = await editsOf(db, tenantId, rows);
  return rows.map((row) => {
    const edit = edits.get(row.id);
    const source: SourceRow = {
      name: row.name,
      account_id: row.account_id,
      amount_minor: row.amount_minor,
      currency: row.currency,
      merchant_name: row.merchant_name ?? null,
      merchant_entity_id: row.merchant_entity_id ?? null,
      counterparty_name: row.counterparty_name ?? null,
      pfc_primary: row.pfc_primary ?? null,
      pfc_detailed: row.pfc_detailed ?? null,
      pfc_confidence: row.pfc_confidence ?? null,
      legacy_category_json: row.legacy_category_json ?? null,
      bank_type_code: row.bank_type_code ?? null,
      user_category: edit?.user_category ?? null,
      user_merchant_name: edit?.user_merchant_name ?? null,
    };
    return Object.assign(row, writtenOf(categorize(inputOf(source), rules), false));
  });
}

/**
 * A person's category and merchant edits on the rows about to be written. People edit few
 * rows: when they are fewer than the rows written, all of them are read at once (index
 * `transactions_edited`) instead of looking up every written id.
 */
async function editsOf(
  db: Executor,
  tenantId: string,
  rows: readonly NewTransactionRow[],
): Promise<Map<string, Pick<TransactionRow, "user_category" | "user_merchant_name">>> {
  const edits = new Map<string, Pick<TransactionRow, "user_category" | "user_merchant_name">>();
  const edited = () =>
    db
      .selectFrom("transactions")
      .select(["id", "user_category", "user_merchant_name"])
      .where("tenant_id", "=", tenantId)
      .where("user_edited_at", "is not", null);
  const all = await edited()
    .limit(rows.length + 1)
    .execute();
  if (all.length <= rows.length) {
    for (const row of all) edits.set(row.id, row);
    return edits;
  }
  for (const chunk of chunksOf(rows.map((row) => row.id)))
    for (const row of await edited().where("id", "in", chunk).execute()) edits.set(row.id, row);
  return edits;
}

/** Rows a write must reach before PostgreSQL's statistics are refreshed in the same transaction. */
export const ANALYZE_ROWS_MIN = 10_000;

/**
 * After a large write, PostgreSQL's planner still believes the table is as it was until
 * autovacuum comes by: measured on a million freshly synced rows, it then sorted the whole
 * tenant for every page of a re-categorization (hours instead of seconds). ANALYZE samples the
 * table (about a second at a million rows) and is allowed inside a transaction. SQLite's
 * planner needs no statistics for these queries.
 */
export async function refreshPlannerStatistics(
  db: Executor,
  dialect: StoreDialect,
  rowsWritten: number,
): Promise<void> {
  if (dialect === "postgres" && rowsWritten >= ANALYZE_ROWS_MIN) await sql`analyze transactions`.execute(db);
}

/** Re-categorizes every row of the tenant and re-pairs all transfers (a rule change). */
export async function recategorizeAll(
  db: Executor,
  tenantId: string,
  rules?: readonly CategoryRule[],
  where?: RawBuilder<unknown>,
): Promise<RecategorizeOutcome> {
  const scope: Scope = where === undefined ? { all: true } : { all: true, where };
  const outcome = await recategorize(db, tenantId, scope, rules === undefined ? {} : { rules });
  // Pairs change only around rows whose category or transfer mark changed.
  if (outcome.changedDates !== null)
    await pairTransfersBetween(db, tenantId, outcome.changedDates.first, outcome.changedDates.last);
  return outcome;
}

const UNNAMED_ACCOUNT = "(unnamed account)";

/**
 * Re-pairs transfers among the live rows dated within [first − window, last + window]. A row
 * paired with a live row outside that span keeps its pair; every other pair is decided again.
 */
export async function pairTransfersBetween(
  db: Executor,
  tenantId: string,
  first: string,
  last: string,
): Promise<void> {
  const from = dayToIso(isoToDay(first) - TRANSFER_WINDOW_DAYS);
  const to = dayToIso(isoToDay(last) + TRANSFER_WINDOW_DAYS);
  const rows = await db
    .selectFrom("transactions")
    .select([
      "id",
      "account_id",
      "amount_minor",
      "currency",
      "date",
      "category",
      "name",
      "marked_transfer",
      "transfer_partner_id",
      "report_role",
    ])
    .where("tenant_id", "=", tenantId)
    .where("removed_at", "is", null)
    .where("date", ">=", from)
    .where("date", "<=", to)
    .execute();
  const inSpan = new Set(rows.map((row) => row.id));
  const outside = rows
    .map((row) => row.transfer_partner_id)
    .filter((id): id is string => id !== null && !inSpan.has(id));
  const keep = new Set<string>();
  for (const chunk of chunksOf(outside)) {
    const live = await db
      .selectFrom("transactions")
      .select("transfer_partner_id")
      .where("tenant_id", "=", tenantId)
      .where("id", "in", chunk)
      .where("removed_at", "is", null)
      .execute();
    for (const row of live) if (row.transfer_partner_id !== null) keep.add(row.transfer_partner_id);
  }
  const accounts = await db.selectFrom("accounts").select("id").where("tenant_id", "=", tenantId).execute();
  const own = new Set(accounts.map((a) => a.id).filter((id) => id !== UNNAMED_ACCOUNT));
  const free: TransferCandidate[] = rows
    .filter((row) => !keep.has(row.id))
    .map((row) => ({
      id: row.id,
      accountId: row.account_id,
      amountMinor: Number(row.amount_minor),
      currency: row.currency,
      date: row.date,
      category: row.category,
      description: row.name,
      markTransfer: Number(row.marked_transfer) === 1,
    }));
  const partner = new Map<string, string>();
  for (const pair of pairTransfers(free, own)) {
    partner.set(pair.outId, pair.inId);
    partner.set(pair.inId, pair.outId);
  }
  const updates: (string | null)[][] = [];
  for (const row of rows) {
    if (keep.has(row.id)) continue;
    const next = partner.get(row.id) ?? null;
    const role = roleWithPair(row, next !== null);
    if (next !== row.transfer_partner_id || role !== row.report_role) updates.push([row.id, next, role]);
  }
  await bulkUpdate(db, tenantId, ["id", "transfer_partner_id", "report_role"], updates, new Set());
}

function roleWithPair(
  row: { readonly category: string; readonly marked_transfer: number; readonly report_role: string },
  paired: boolean,
): string {
  if (row.report_role === "excluded") return "excluded";
  return reportRole(
    { category: row.category, markTransfer: Number(row.marked_transfer) === 1, excluded: false },
    paired,
  );
}

/**
 * Migration 0002: lifts the merchant entity and the counterparty out of stored Plaid payloads,
 * then categorizes every stored row of every tenant.
 */
export async function backfillCategories(unknownDb: Kysely<unknown>): Promise<void> {
  const db = unknownDb as unknown as Kysely<Database>;
  const tenants = await db.selectFrom("tenants").select("id").execute();
  for (const { id: tenantId } of tenants) {
    let after = "";
    for (;;) {
      const page = await db
        .selectFrom("transactions")
        .select(["id", "raw_json"])
        .where("tenant_id", "=", tenantId)
        .where("source", "=", "plaid")
        .where("id", ">", after)
        .orderBy("id")
        .limit(PAGE_ROWS)
        .execute();
      if (page.length === 0) break;
      const updates = page.map((row) => [row.id, ...plaidFacts(row.raw_json)]);
      await bulkUpdate(db, tenantId, ["id", "merchant_entity_id", "counterparty_name"], updates, new Set());
      after = page[page.length - 1]?.id ?? after;
    }
    await recategorizeAll(db, tenantId);
    // Rows whose category did not change may still be two sides of a transfer.
    const span = await db
      .selectFrom("transactions")
      .select((eb) => [eb.fn.min("date").as("first"), eb.fn.max("date").as("last")])
      .where("tenant_id", "=", tenantId)
      .executeTakeFirst();
    if (span?.first != null && span.last != null)
      await pairTransfersBetween(db, tenantId, span.first, span.last);
  }
}

function plaidFacts(rawJson: string): [string | null, string | null] {
  try {
    const raw = JSON.parse(rawJson) as {
      merchant_entity_id?: unknown;
      counterparties?: { name?: unknown }[];
    };
    const entity = typeof raw.merchant_entity_id === "string" ? raw.merchant_entity_id : null;
    const name = raw.counterparties?.[0]?.name;
    return [entity, typeof name === "string" ? name : null];
  } catch {
    return [null, null];
  }
}
