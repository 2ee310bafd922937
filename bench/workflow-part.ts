// The workflow part of `npm run bench`: a year of books in a store, reconciled as a workflow.
// gen.mjs's data set (--workflow-size rows, the public profile) is stored in a fresh SQLite file
// (temp directory, removed afterwards) the way `bankrec import` and `bankrec ledger import`
// store them, all but its last whole days (at least 1% of the bank rows, and the ledger
// entries of the same days), which arrive later. Then, in one process:
//   first        runReconciliation over the whole year: every row is open
//   review       a reviewer who knows the truth decides the queue the first run left: a
//                proposal whose rows all belong to one truth group is accepted, any other
//                rejected (as people do between runs; it is in neither run's time)
//   new rows     the held-back days arrive: their bank rows and ledger entries imported
//   new days     runReconciliation over the new days alone (a bookkeeper's next statement),
//                on a copy of the store (VACUUM INTO), so the next run starts from the same books
//   incremental  runReconciliation over the same year again: rows no accepted match holds are
//                read, so its work should be the new rows and what nothing can match (bank
//                fees, outstanding items), not the books
// The target is incremental ≤ a tenth of first. Both are timed in the same process minutes
// apart, so the ratio holds while this machine's speed drifts. One engine thread (the library's
// default), so that threads' start-up does not weigh on the small run.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import type { BankAccount, BankTransaction, ExpectedEntry } from "../src/domain/index.js";
import { readBankFile, readExpectedFile } from "../src/importers/index.js";
import { createKeyring, EncryptionKey, importStatement, openStore, type Store } from "../src/store/index.js";
import {
  acceptMatches,
  importExpectedEntries,
  listReviewQueue,
  type RunCounts,
  rejectMatches,
  runReconciliation,
} from "../src/workflow/index.js";
import { ensureDataset } from "./dataset.js";

export interface WorkflowRequest {
  readonly sharedDir: string;
  readonly outDir: string;
  /** gen.mjs's --size: expected rows of the year. */
  readonly size: number;
  readonly seed: number;
}

export interface WorkflowFigure {
  readonly size: number;
  readonly seed: number;
  readonly bankRows: number;
  readonly ledgerEntries: number;
  /** The first day held back, and how many rows of each side it and the later days hold. */
  readonly heldFrom: string;
  readonly heldBank: number;
  readonly heldLedger: number;
  readonly period: { readonly from: string; readonly to: string };
  readonly loadSeconds: number;
  readonly firstSeconds: number;
  readonly first: RunCounts;
  readonly reviewSeconds: number;
  readonly reviewAccepted: number;
  readonly reviewRejected: number;
  readonly addSeconds: number;
  /** The same year again, after the new rows arrived: the target's run. */
  readonly incrementalSeconds: number;
  readonly incremental: RunCounts;
  /** Only the new days, on a copy of the same store (what a bookkeeper runs for a new statement). */
  readonly newDaysSeconds: number;
  readonly newDays: RunCounts;
}

/** The share of bank rows that arrive after the first run: whole days, the year's last. */
const HELD_SHARE = 0.01;
/** The review queue read at once; far above what a run of 100,000 rows leaves. */
const QUEUE_READ_MAX = 100_000;
/** Ids per decision call: one database transaction each, of a bounded size. */
const DECISION_BATCH = 5_000;
const ACTOR = "bench";
/** Target: the incremental run costs at most this share of the first. */
export const WORKFLOW_RATIO_TARGET = 0.1;

/**
 * Builds the store, times the first run, the review between and the incremental run.
 *
 * @example console.log(formatWorkflow(await benchWorkflow({ sharedDir, outDir, size: 100_000, seed: 7 })));
 */
export async function benchWorkflow(request: WorkflowRequest): Promise<WorkflowFigure> {
  const dataset = await ensureDataset({ ...request, profilePath: null }, progress);
  const feed = await readBankFile(dataset.bankPath);
  const ledger = await readExpectedFile(dataset.expectedPath);
  const heldFrom = heldBackFrom(feed.transactions, HELD_SHARE);
  const now = {
    bank: feed.transactions.filter((t) => t.date < heldFrom),
    ledger: ledger.filter((e) => e.date < heldFrom),
  };
  const later = {
    bank: feed.transactions.filter((t) => t.date >= heldFrom),
    ledger: ledger.filter((e) => e.date >= heldFrom),
  };
  const period = periodOf(feed.transactions);
  const dir = mkdtempSync(join(tmpdir(), "bankrec-bench-workflow-"));
  const keyring = createKeyring(EncryptionKey.generate());
  const store = await openStore({ url: `sqlite:${join(dir, "bench.db")}`, keyring });
  try {
    progress(
      `storing ${now.bank.length} bank rows and ${now.ledger.length} ledger entries (before ${heldFrom})`,
    );
    const load = await timed(() => storeBooks(store, feed.accounts, now));
    progress(`first run over ${period.from} to ${period.to}`);
    const first = await timedRun(store, period);
    progress(
      `first run ${first.seconds.toFixed(1)} s; the review decides the ${first.counts.waiting} waiting`,
    );
    const truth = truthGroups(dataset.truthPath);
    const review = await timed(() => reviewByTruth(store, truth));
    progress(
      `${later.bank.length} bank rows and ${later.ledger.length} ledger entries arrive (from ${heldFrom})`,
    );
    const add = await timed(() => storeBooks(store, feed.accounts, later));
    // The same books twice: the new days alone (a bookkeeper's next statement) on a copy, then
    // the same year again on the original.
    const copy = join(dir, "copy.db");
    await sql`vacuum into ${copy}`.execute(store.db);
    progress(`run over the new days alone (${heldFrom} to ${period.to}), on a copy of the store`);
    const copied = await openStore({ url: `sqlite:${copy}`, keyring });
    const days = await timedRun(copied, { from: heldFrom, to: period.to }).finally(() => copied.close());
    progress("incremental run over the same year");
    const incremental = await timedRun(store, period);
    return {
      size: request.size,
      seed: request.seed,
      bankRows: feed.transactions.length,
      ledgerEntries: ledger.length,
      heldFrom,
      heldBank: later.bank.length,
      heldLedger: later.ledger.length,
      period,
      loadSeconds: load.seconds,
      firstSeconds: first.seconds,
      first: first.counts,
      reviewSeconds: review.seconds,
      reviewAccepted: review.value.accepted,
      reviewRejected: review.value.rejected,
      addSeconds: add.seconds,
      incrementalSeconds: incremental.seconds,
      incremental: incremental.counts,
      newDaysSeconds: days.seconds,
      newDays: days.counts,
    };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Rows in as `bankrec import` stores a feed (importStatement) and `bankrec ledger import` a ledger. */
async function storeBooks(
  store: Store,
  accounts: readonly BankAccount[],
  books: { readonly bank: readonly BankTransaction[]; readonly ledger: readonly ExpectedEntry[] },
): Promise<void> {
  await importStatement(store, {
    fileName: "bank.json",
    format: "plaid-json",
    accounts,
    transactions: books.bank,
  });
  await importExpectedEntries(store, books.ledger);
}

/** A run as `bankrec reconcile --stored --from --to` makes it (the default auto-accept 0.95). */
async function timedRun(
  store: Store,
  period: { readonly from: string; readonly to: string },
): Promise<{ readonly seconds: number; readonly counts: RunCounts }> {
  const run = await timed(() => runReconciliation(store, period, { actor: ACTOR }));
  return { seconds: run.seconds, counts: run.value.counts };
}

/**
 * The first of the last whole days that hold at least `share` of the rows: the days that
 * arrive after the first run.
 */
function heldBackFrom(rows: readonly { readonly date: string }[], share: number): string {
  const dates = rows.map((r) => r.date).sort();
  const held = Math.max(1, Math.ceil(dates.length * share));
  return dates[dates.length - held] ?? "9999-12-31";
}

function periodOf(rows: readonly { readonly date: string }[]): { from: string; to: string } {
  let from = "9999-12-31";
  let to = "0000-01-01";
  for (const { date } of rows) {
    if (date < from) from = date;
    if (date > to) to = date;
  }
  return { from, to };
}

interface TruthFile {
  readonly groups: readonly { readonly bank: readonly string[]; readonly expected: readonly string[] }[];
}

/** Each row's truth group: "b:" + bank id or "e:" + ledger id → the group's index. */
function truthGroups(path: string): ReadonlyMap<string, number> {
  const truth = JSON.parse(readFileSync(path, "utf8")) as TruthFile;
  const groupOf = new Map<string, number>();
  truth.groups.forEach((group, i) => {
    for (const id of group.bank) groupOf.set(`b:${id}`, i);
    for (const id of group.expected) groupOf.set(`e:${id}`, i);
  });
  return groupOf;
}

/**
 * Decides the whole queue as a person who knows the truth would: a proposal whose rows all
 * belong to one truth group is accepted, any other rejected. Most confident first, as the queue
 * lists them; a proposal an acceptance replaced (it shared a row) is no longer in the queue.
 */
async function reviewByTruth(
  store: Store,
  groupOf: ReadonlyMap<string, number>,
): Promise<{ accepted: number; rejected: number }> {
  const queue = await listReviewQueue(store, { limit: QUEUE_READ_MAX });
  const right: string[] = [];
  const wrong: string[] = [];
  for (const { match } of queue) {
    const groups = new Set([
      ...match.bankTransactionIds.map((id) => groupOf.get(`b:${id}`)),
      ...match.expectedIds.map((id) => groupOf.get(`e:${id}`)),
    ]);
    const one = groups.size === 1 && !groups.has(undefined);
    (one ? right : wrong).push(match.id);
  }
  let accepted = 0;
  let rejected = 0;
  for (let i = 0; i < right.length; i += DECISION_BATCH)
    accepted += (await acceptMatches(store, right.slice(i, i + DECISION_BATCH), { actor: ACTOR })).decided
      .length;
  // Acceptances replace the proposals sharing their rows: only those still waiting are rejected.
  const waiting = new Set((await listReviewQueue(store, { limit: QUEUE_READ_MAX })).map((d) => d.match.id));
  const stillWrong = wrong.filter((id) => waiting.has(id));
  for (let i = 0; i < stillWrong.length; i += DECISION_BATCH)
    rejected += (await rejectMatches(store, stillWrong.slice(i, i + DECISION_BATCH), { actor: ACTOR }))
      .decided.length;
  return { accepted, rejected };
}

/** What `work` returned and the seconds it took. */
async function timed<T>(work: () => Promise<T>): Promise<{ readonly seconds: number; readonly value: T }> {
  const started = performance.now();
  const value = await work();
  return { seconds: (performance.now() - started) / 1000, value };
}

function progress(line: string): void {
  process.stderr.write(`bench: workflow: ${line}\n`);
}

const seconds = (s: number) => `${s.toFixed(s < 10 ? 2 : 1)} s`;

/** The part's table: one line a step, the counts of each run, and the ratio against its target. */
export function formatWorkflow(f: WorkflowFigure): string {
  const ratio = f.incrementalSeconds / f.firstSeconds;
  const runLine = (c: RunCounts) =>
    `read ${c.bankRows} bank rows, ${c.ledgerEntries} ledger entries; ${c.proposed} proposed, ${c.autoAccepted} accepted automatically, ${c.waiting} waiting`;
  const rows: [string, string, string][] = [
    [
      "load",
      seconds(f.loadSeconds),
      `${f.bankRows - f.heldBank} bank rows (importStatement), ${f.ledgerEntries - f.heldLedger} ledger entries (importExpectedEntries)`,
    ],
    ["first run", seconds(f.firstSeconds), runLine(f.first)],
    [
      "review",
      seconds(f.reviewSeconds),
      `by the truth: ${f.reviewAccepted} accepted, ${f.reviewRejected} rejected (not in either run's time)`,
    ],
    [
      "new rows",
      seconds(f.addSeconds),
      `${f.heldBank} bank rows, ${f.heldLedger} ledger entries dated ${f.heldFrom} on`,
    ],
    ["incremental run", seconds(f.incrementalSeconds), `the same year: ${runLine(f.incremental)}`],
    ["new days only", seconds(f.newDaysSeconds), `${f.heldFrom} to ${f.period.to}: ${runLine(f.newDays)}`],
  ];
  const width = Math.max(...rows.map((r) => r[0].length));
  const timeWidth = Math.max(...rows.map((r) => r[1].length));
  return [
    `workflow: a year (${f.period.from} to ${f.period.to}) of gen.mjs --size ${f.size} --seed ${f.seed}: ${f.bankRows} bank rows, ${f.ledgerEntries} ledger entries, SQLite, one engine thread`,
    ...rows.map(([step, time, what]) => `  ${step.padEnd(width)}  ${time.padStart(timeWidth)}  ${what}`),
    `  incremental / first = ${ratio.toFixed(3)}; target ≤ ${WORKFLOW_RATIO_TARGET}: ${ratio <= WORKFLOW_RATIO_TARGET ? "met" : "NOT met"} · new days only / first = ${(f.newDaysSeconds / f.firstSeconds).toFixed(3)}`,
  ].join("\n");
}
