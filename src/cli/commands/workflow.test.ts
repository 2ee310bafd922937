import { readFileSync, writeFileSync } from "node:fs";
import { userInfo } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CliStoreHarness, cliStoreHarness } from "../../../test/support/cli-store.js";
import { workflowSnapshot } from "../../../test/support/workflow-books.js";
import type { ExpectedEntry } from "../../domain/index.js";
import { sampleLedger } from "../../emulator/index.js";
import { formatAmountPlain } from "../../money/index.js";
import { csvField } from "../../reconcile/result-json.js";
import { listTransactions, type StoredTransaction } from "../../store/index.js";

/**
 * The workflow's commands in-process against the emulator and a SQLite store: each command's
 * happy path, and its bad input refused with one line, exit 3 and the store unchanged.
 */

function ledgerCsv(entries: readonly ExpectedEntry[]): string {
  const lines = ["id,date,amount,currency,description,counterparty,reference,account_id"];
  for (const e of entries)
    lines.push(
      [
        e.id,
        e.date,
        formatAmountPlain(e.amountMinor, e.currency),
        e.currency,
        e.description,
        e.counterparty ?? "",
        e.reference ?? "",
        e.accountId ?? "",
      ]
        .map(csvField)
        .join(","),
    );
  return `${lines.join("\n")}\n`;
}

describe("the reconciliation workflow's commands", () => {
  let h: CliStoreHarness;
  let bank: StoredTransaction[];
  let entries: readonly ExpectedEntry[];
  let period: { from: string; to: string };
  let ledgerPath: string;

  /** Runs a command that must be refused: exit 3, one line on stderr, the store unchanged. */
  async function refused(argv: readonly string[], message: RegExp | string): Promise<void> {
    const store = await h.openSame();
    try {
      const before = await workflowSnapshot(store);
      const run = await h.run(argv);
      expect(run.code, run.stderr).toBe(3);
      expect(run.stderr.split("\n")).toHaveLength(2);
      if (typeof message === "string") expect(run.stderr).toContain(message);
      else expect(run.stderr).toMatch(message);
      expect(await workflowSnapshot(store)).toEqual(before);
    } finally {
      await store.close();
    }
  }

  async function json<T>(argv: readonly string[]): Promise<T> {
    const run = await h.run([...argv, "--json"]);
    expect(run.code, run.stderr).toBe(0);
    return JSON.parse(run.stdout) as T;
  }

  beforeAll(async () => {
    h = await cliStoreHarness({ seed: 31 });
    const linked = await h.run(["link", "--json"]);
    expect(linked.code, linked.stderr).toBe(0);
    const store = await h.openSame();
    try {
      bank = await listTransactions(store, { limit: 100_000 });
    } finally {
      await store.close();
    }
    const ledger = sampleLedger(bank, { seed: 31 });
    if (ledger.period === null) throw new Error("no posted rows");
    period = ledger.period;
    entries = ledger.entries;
    ledgerPath = join(h.folder, "ledger.csv");
    writeFileSync(ledgerPath, ledgerCsv(entries));
  });
  afterAll(() => h.close());

  it("imports a ledger once, reports changed entries by field, and overwrites only with --update", async () => {
    const first = await h.run(["ledger", "import", ledgerPath]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toBe(
      `${ledgerPath}: ${entries.length} ledger entries: ${entries.length} added, 0 unchanged\n`,
    );
    const again = await json<{ added: number; unchanged: number }>(["ledger", "import", ledgerPath]);
    expect(again).toMatchObject({ added: 0, unchanged: entries.length });
    const [changed, ...rest] = entries;
    const editedPath = join(h.folder, "ledger-edited.csv");
    writeFileSync(
      editedPath,
      ledgerCsv([{ ...changed!, amountMinor: changed!.amountMinor + 1, description: "edited" }, ...rest]),
    );
    const reported = await h.run(["ledger", "import", editedPath]);
    expect(reported.code).toBe(0);
    expect(reported.stdout).toContain("1 changed, not overwritten");
    expect(reported.stdout).toContain(`  ${changed!.id}: amount, description\n`);
    const listed = await json<{ id: string; amount_minor: number }[]>(["ledger", "list"]);
    expect(listed.find((e) => e.id === changed!.id)?.amount_minor).toBe(changed!.amountMinor);
    expect((await h.run(["ledger", "import", editedPath, "--update"])).stdout).toContain("1 updated");
    expect((await h.run(["ledger", "import", ledgerPath, "--update"])).stdout).toContain("1 updated");
  });

  it("refuses a ledger file with bad rows whole, naming each, and stores nothing", async () => {
    const bad = join(h.folder, "bad.csv");
    writeFileSync(
      bad,
      ledgerCsv(entries)
        .replace(/\n([^,\n]+),([^,]+),([^,]+),/, "\n$1,$2,12.3x,")
        .concat("X-1,2026-13-01,5,USD,x,,,\n"),
    );
    const store = await h.openSame();
    const before = await workflowSnapshot(store);
    const run = await h.run(["ledger", "import", bad]);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(
      /bad\.csv: 2 rows are bad:\n {2}.*bad\.csv:2: amount "12\.3x" is not a number/,
    );
    expect(await workflowSnapshot(store)).toEqual(before);
    await store.close();
    await refused(["ledger", "import", join(h.folder, "missing.csv")], "missing.csv: file not found");
  });

  it("lists the ledger with filters and statuses", async () => {
    const all = await json<{ id: string; status: string; date: string }[]>(["ledger", "list"]);
    expect(all).toHaveLength(entries.length);
    expect(new Set(all.map((e) => e.status))).toEqual(new Set(["open"]));
    const some = await json<{ date: string }[]>(["ledger", "list", "--from", period.to, "--to", period.to]);
    expect(some.every((e) => e.date === period.to)).toBe(true);
    const table = await h.run(["ledger", "list", "--open", "--limit", "3"]);
    expect(table.stdout).toMatch(/^ {2}Id +Date +Amount +Description/);
    expect(table.stdout).toContain("(the first 3 entries; narrow the dates or raise --limit)");
    expect((await h.run(["ledger", "list", "--from", "2026-02-30"])).code).toBe(2);
  });

  it("runs over the store: proposals stored, the sure ones accepted, the report as reconcile writes it", async () => {
    const run = await h.run([
      "reconcile",
      "--stored",
      "--from",
      period.from,
      "--to",
      period.to,
      "--actor",
      "ana",
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^Run run_[0-9a-f]{16}: every account/);
    expect(run.stdout).toMatch(
      /run run_[0-9a-f]{16}: \d+ proposed; \d+ accepted automatically; \d+ waiting for review/,
    );
    const listed = await json<{ status: string }[]>(["ledger", "list"]);
    expect(listed.some((e) => e.status === "accepted")).toBe(true);
    const out = join(h.folder, "may.json");
    const again = await h.run([
      "reconcile",
      "--stored",
      "--from",
      period.from,
      "--to",
      period.to,
      "--out",
      out,
    ]);
    expect(again.code, again.stderr).toBe(0);
    const result = JSON.parse(readFileSync(out, "utf8"));
    expect(result.summary.bank_count).toBeGreaterThan(0);
    // The second run saw only what the first left open: the accepted rows are not in it again.
    const accepted = listed.filter((e) => e.status === "accepted").length;
    expect(result.summary.expected_count).toBeLessThanOrEqual(entries.length - accepted);
    const csv = join(h.folder, "may.csv");
    expect(
      (await h.run(["reconcile", "--stored", "--from", period.from, "--to", period.to, "--out", csv])).code,
    ).toBe(0);
    expect(readFileSync(csv, "utf8").split("\n")[0]).toBe(
      "match_no,status,kind,side,id,date,amount,currency,description,confidence,reasons",
    );
  });

  it("refuses a run it cannot make: bad options exit 2, unknown accounts and wrong currencies exit 3", async () => {
    const stored = ["reconcile", "--stored", "--from", period.from, "--to", period.to];
    expect((await h.run(["reconcile", "--stored", "--to", period.to])).stderr).toBe(
      "bankrec: --stored needs --from and --to: the bank dates of the run\n",
    );
    expect((await h.run([...stored, "--bank", "x.json"])).code).toBe(2);
    expect((await h.run(["reconcile", "--bank", "x.json"])).stderr).toBe(
      "bankrec: required option '--expected <file>' not specified\n",
    );
    expect((await h.run(["reconcile", "--from", period.from, "--bank", "x", "--expected", "y"])).stderr).toBe(
      "bankrec: --from goes with --stored (a run over the store)\n",
    );
    expect((await h.run([...stored, "--auto-accept", "1.5"])).code).toBe(2);
    await refused([...stored, "--account", "nope"], 'bankrec: no account "nope" in this store');
    const account = bank[0]?.accountId as string;
    await refused(
      [...stored, "--account", account, "--statement-balance", "1234.56 EUR", "--statement-date", period.to],
      `bankrec: the statement balance 1,234.56 is in EUR, but account ${account} is in USD`,
    );
    const kept = await h.run([
      ...stored,
      "--account",
      account,
      "--statement-balance",
      "1234.56",
      "--statement-date",
      period.to,
    ]);
    expect(kept.stdout).toContain(`statement balance 1,234.56 USD on ${period.to} kept`);
  });

  it("lists the review queue and takes decisions with who and when", async () => {
    const queue = await json<
      { match_id: string; confidence: number; bank: unknown[]; expected: unknown[] }[]
    >(["review"]);
    expect(queue.length).toBeGreaterThan(1);
    const table = await h.run(["review"]);
    expect(table.stdout).toMatch(/^ {2}Match +Confidence +Kind +Bank +Ledger/);
    expect(table.stdout).toContain(`${queue.length} proposals waiting`);
    const [first, second] = queue;
    const accepted = await h.run([
      "review",
      "--accept",
      first!.match_id,
      "--actor",
      "ana",
      "--note",
      "checked",
    ]);
    expect(accepted.stdout).toBe("1 match accepted by ana\n");
    const rejected = await h.run(["review", "--reject", second!.match_id]);
    expect(rejected.stdout).toBe(`1 match rejected by ${userInfo().username}\n`);
    const again = await json<{ unchanged: string[] }>(["review", "--accept", first!.match_id]);
    expect(again.unchanged).toEqual([first!.match_id]);
    await refused(
      ["review", "--accept", "m_nope"],
      "bankrec: no match m_nope in this store (bankrec review lists the queue)",
    );
    await refused(["review", "--accept", second!.match_id], /was rejected by/);
    await refused(["review", "--unmatch", second!.match_id], /is not accepted \(it is rejected\)/);
    expect((await h.run(["review", "--accept", "a", "--reject", "b"])).code).toBe(2);
    expect((await h.run(["review", "--accept-above", "2"])).code).toBe(2);
    const bulk = await json<{ decided: string[] }>(["review", "--accept-above", "0", "--actor", "ana"]);
    expect(bulk.decided.length).toBe(queue.length - 2);
    expect(await json<unknown[]>(["review"])).toEqual([]);
    const undone = await h.run(["review", "--unmatch", first!.match_id, "--note", "wrong invoice"]);
    expect(undone.stdout).toMatch(/^1 match undone \(rows open again\) by /);
  });

  it("matches by hand: sums must agree or an adjustment balance them", async () => {
    const open = await json<{ id: string; amount_minor: number; date: string; account_id: string | null }[]>([
      "ledger",
      "list",
      "--open",
    ]);
    const acceptedBank = new Set(
      (await json<{ bank: { id: string }[]; status: string }[]>(["review"])).flatMap((d) =>
        d.bank.map((b) => b.id),
      ),
    );
    const store = await h.openSame();
    const taken = new Set(
      (
        await store.db
          .selectFrom("match_members as mm")
          .innerJoin("reconciliation_matches as m", "m.id", "mm.match_id")
          .select("mm.member_id")
          .where("m.review_status", "=", "accepted")
          .where("mm.side", "=", "bank")
          .execute()
      ).map((r) => r.member_id),
    );
    await store.close();
    const row = bank.find(
      (b) => !b.pending && !taken.has(b.id) && !acceptedBank.has(b.id) && b.amountMinor < -1_000,
    );
    if (row === undefined) throw new Error("no open bank row to match");
    // A ledger entry 0.50 larger than the bank row: the bank total is 0.50 short of it.
    const extra = {
      ...entries[0]!,
      id: "HAND-1",
      amountMinor: row.amountMinor - 50,
      date: row.date,
      accountId: row.accountId,
    };
    const path = join(h.folder, "hand.csv");
    writeFileSync(path, ledgerCsv([extra]));
    expect((await h.run(["ledger", "import", path])).code).toBe(0);
    await refused(["match", "nope", "HAND-1"], "bankrec: no bank transaction nope in this store");
    await refused(["match", row.id, "HAND-1,NOPE-2"], "bankrec: no ledger entry NOPE-2 in this store");
    await refused(
      ["match", row.id, "HAND-1"],
      /add up to -?[\d,]+\.\d\d USD and the ledger entries to .*, a difference of 0\.50: give --adjust 0\.50/,
    );
    await refused(
      ["match", row.id, "HAND-1", "--adjust", "0.40", "--reason", "rounding"],
      /must be 0\.50 \(it is off by 0\.10\)/,
    );
    expect((await h.run(["match", row.id, "HAND-1", "--adjust", "0.50"])).code).toBe(2);
    expect((await h.run(["match", row.id, "HAND-1", "--adjust", "0.50", "--reason", "tip"])).code).toBe(2);
    const matched = await h.run([
      "match",
      row.id,
      "HAND-1",
      "--adjust",
      "0.50",
      "--reason",
      "rounding",
      "--memo",
      "cents",
    ]);
    expect(matched.code, matched.stderr).toBe(0);
    expect(matched.stdout).toMatch(
      /^matched 1 bank row \(.*\) with 1 ledger entry \(.*\), adjustment 0\.50 \(rounding\): match m_\w+, accepted by /,
    );
    await refused(
      ["match", row.id, open[0]!.id],
      /is already in accepted match m_\w+ \(bankrec review --unmatch/,
    );
    // A negative adjustment is read as a value, not as an option.
    const other = bank.find(
      (b) =>
        !b.pending &&
        !taken.has(b.id) &&
        !acceptedBank.has(b.id) &&
        b.id !== row.id &&
        b.amountMinor < -1_000,
    );
    if (other === undefined) throw new Error("no second open bank row");
    const negative = {
      ...extra,
      id: "HAND-2",
      amountMinor: other.amountMinor + 50,
      accountId: other.accountId,
    };
    writeFileSync(path, ledgerCsv([negative]));
    await h.run(["ledger", "import", path]);
    const run = await h.run(["match", other.id, "HAND-2", "--adjust", "-0.50", "--reason", "fee", "--json"]);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      status: "accepted",
      kind: "one_to_one",
      difference: "0.00",
      adjustments: [{ amount: "-0.50", reason: "fee" }],
    });
  });

  it("closes a period only when it can, locks it, and reopens it by a recorded decision", async () => {
    const account = bank.find((b) => !b.pending)?.accountId as string;
    await refused(
      ["close", "--account", account, "--through", period.to],
      /cannot close through .*: .*(pending|not reconciled)/,
    );
    await refused(
      ["close", "--account", "nope", "--through", period.to],
      'bankrec: no account "nope" in this store',
    );
    expect((await h.run(["close", "--through", period.to])).code).toBe(2);
    const pendings = bank
      .filter((b) => b.accountId === account && b.pending)
      .map((b) => b.date)
      .sort();
    const through =
      pendings.length === 0
        ? period.to
        : new Date(Date.parse(`${pendings[0]}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    const closed = await h.run([
      "close",
      "--account",
      account,
      "--through",
      through,
      "--allow-unreconciled",
      "--actor",
      "ana",
    ]);
    expect(closed.code, closed.stderr).toBe(0);
    expect(closed.stdout).toMatch(
      new RegExp(
        `^closed account ${account} through ${through}: locked \\d+ bank rows? and \\d+ ledger entr`,
      ),
    );
    const locks = await json<{ account_id: string; held_changes: number }[]>(["close", "--list"]);
    expect(locks).toMatchObject([{ account_id: account, held_changes: 0 }]);
    const locked = (await json<{ id: string; status: string; match_id: string }[]>(["ledger", "list"])).find(
      (e) => e.status === "locked",
    );
    if (locked === undefined) throw new Error("nothing locked");
    await refused(
      ["review", "--unmatch", locked.match_id],
      /is in a closed period \(account .* closed through .* by ana; bankrec reopen/,
    );
    await refused(["ledger", "remove", locked.id], /is in a closed period/);
    await refused(["ledger", "remove", "NOPE-9"], "bankrec: no ledger entry NOPE-9 in this store");
    const open = (await json<{ id: string; status: string }[]>(["ledger", "list", "--open"])).find(
      (e) => e.status === "open",
    );
    expect((await h.run(["ledger", "remove", open!.id])).stdout).toBe("removed 1 ledger entry\n");
    expect((await h.run(["review", "--locked"])).stdout).toBe("no bank change to a locked row is held\n");
    expect((await h.run(["reopen", "--account", account, "--from", period.from])).code).toBe(2);
    await refused(
      ["reopen", "--account", account, "--from", "2099-01-01", "--reason", "x"],
      `bankrec: account ${account} has no closed period on or after 2099-01-01`,
    );
    const reopened = await h.run([
      "reopen",
      "--account",
      account,
      "--from",
      period.from,
      "--reason",
      "a late fee",
      "--actor",
      "bo",
    ]);
    expect(reopened.stdout).toMatch(
      new RegExp(`^reopened account ${account} from ${period.from}: unlocked \\d+ bank rows? and`),
    );
    const decisions = await json<unknown>(["review", "--apply-locked"]);
    expect(decisions).toEqual({ applied: 0, still_locked: 0, matches_reopened: 0 });
  });

  it("tells each command's usage in --help", async () => {
    for (const argv of [
      ["ledger", "import", "--help"],
      ["review", "--help"],
      ["match", "--help"],
      ["close", "--help"],
      ["reopen", "--help"],
      ["reconcile", "--help"],
    ]) {
      const run = await h.run(argv);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain("Examples:");
    }
    expect((await h.run(["reconcile", "--help"])).stdout).toContain("--stored");
  });
});

describe("reconcile --stored to a statement date", () => {
  const fixtures = resolve(
    dirname(fileURLToPath(import.meta.url)),
    "../../../test/fixtures/statement-balances",
  );
  const ofx = join(fixtures, "checking-march.ofx");
  /** The account `bankrec import` makes of checking-march.ofx: its ACCTID. */
  const account = "4417001234";
  const march = ["reconcile", "--stored", "--account", account, "--from", "2025-03-01", "--to", "2025-03-31"];
  const typed = ["--statement-balance", "10245.00", "--statement-date", "2025-03-31"];
  let h: CliStoreHarness;

  const ledgerEntry = (
    id: string,
    date: string,
    amountMinor: number,
    description: string,
  ): ExpectedEntry => ({
    id,
    date,
    amountMinor,
    currency: "USD",
    description,
    counterparty: null,
    reference: null,
    accountId: account,
  });

  async function importLedger(name: string, rows: readonly ExpectedEntry[]): Promise<void> {
    const path = join(h.folder, name);
    writeFileSync(path, ledgerCsv(rows));
    const run = await h.run(["ledger", "import", path]);
    expect(run.code, run.stderr).toBe(0);
  }

  interface CheckJson {
    kind: string;
    explained: boolean;
    statement_balance: string;
    books_balance: string;
    difference: string;
    opening_balance: string;
    ledger_entries: number;
    message: string;
    source: Record<string, unknown>;
    candidates: {
      total: string;
      items: { side: string; id: string; date: string; amount: string; description: string }[];
    }[];
  }

  async function checkJson(argv: readonly string[]): Promise<CheckJson> {
    const run = await h.run([...argv, "--json"]);
    expect(run.code, run.stderr).toBe(0);
    return (JSON.parse(run.stdout) as { statement_check: CheckJson }).statement_check;
  }

  async function lastRun(): Promise<Record<string, unknown>> {
    const store = await h.openSame();
    try {
      return (await store.db
        .selectFrom("reconciliation_runs")
        .select(["statement_date", "statement_balance_minor", "statement_currency"])
        .orderBy("created_at", "desc")
        .executeTakeFirstOrThrow()) as Record<string, unknown>;
    } finally {
      await store.close();
    }
  }

  /** A refused command: exit 3, one line on stderr, the store unchanged. */
  async function refused(argv: readonly string[], message: string): Promise<void> {
    const store = await h.openSame();
    try {
      const before = await workflowSnapshot(store);
      const run = await h.run(argv);
      expect(run.code, run.stderr).toBe(3);
      expect(run.stderr).toBe(`${message}\n`);
      expect(await workflowSnapshot(store)).toEqual(before);
    } finally {
      await store.close();
    }
  }

  beforeAll(async () => {
    h = await cliStoreHarness({ seed: 32 });
    const imported = await h.run(["import", ofx]);
    expect(imported.code, imported.stderr).toBe(0);
    // The March statement's three rows, booked: 8,170.15 before them makes 10,245.00.
    await importLedger("march.csv", [
      ledgerEntry("L1", "2025-03-03", 250_000, "Invoice 88 Acme Corp"),
      ledgerEntry("L2", "2025-03-10", -42_015, "Check 1039"),
      ledgerEntry("L3", "2025-03-31", -500, "Monthly service fee"),
    ]);
  });
  afterAll(() => h.close());

  it("says when the statement and the books agree, and keeps the statement with the run", async () => {
    const run = await h.run([...march, ...typed, "--opening-balance", "8170.15"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("statement balance 10,245.00 USD on 2025-03-31 kept\n");
    expect(run.stdout).toContain(
      "statement check: statement 10,245.00 USD on 2025-03-31, books 10,245.00 USD: balanced\n" +
        "  books: opening 8,170.15 + 3 ledger entries 2,074.85 = 10,245.00 USD on 2025-03-31\n",
    );
    expect(await lastRun()).toEqual({
      statement_date: "2025-03-31",
      statement_balance_minor: 1_024_500,
      statement_currency: "USD",
    });
    const check = await checkJson([...march, ...typed, "--opening-balance", "8170.15"]);
    expect(check).toMatchObject({
      kind: "balanced",
      explained: true,
      statement_balance: "10245.00",
      books_balance: "10245.00",
      difference: "0.00",
      opening_balance: "8170.15",
      ledger_entries: 3,
      source: { kind: "typed" },
      candidates: [],
    });
  });

  it("names the two uncleared items that explain a difference, and says when none can", async () => {
    await importLedger("in-transit.csv", [
      ledgerEntry("L4", "2025-03-30", 30_000, "Deposit Hooli"),
      ledgerEntry("L5", "2025-03-29", -55_000, "Check 1041"),
    ]);
    const run = await h.run([...march, ...typed, "--opening-balance", "8170.15"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(
      /statement check: statement 10,245\.00 USD on 2025-03-31, books 9,995\.00 USD: difference 250\.00 USD; explained by one set of 2 of the \d+ open items\n/,
    );
    expect(run.stdout).toMatch(
      / {4}ledger entry {2}L4 {2}2025-03-30 +300\.00 {2}not on the statement {2}Deposit Hooli\n/,
    );
    expect(run.stdout).toMatch(
      / {4}ledger entry {2}L5 {2}2025-03-29 +-550\.00 {2}not on the statement {2}Check 1041\n/,
    );
    const check = await checkJson([...march, ...typed, "--opening-balance", "8170.15"]);
    expect(check).toMatchObject({ kind: "explained", difference: "250.00", books_balance: "9995.00" });
    expect(check.candidates).toEqual([
      {
        total: "250.00",
        days_before_sum: 3,
        items: [
          {
            side: "ledger",
            id: "L4",
            date: "2025-03-30",
            amount: "300.00",
            currency: "USD",
            description: "Deposit Hooli",
          },
          {
            side: "ledger",
            id: "L5",
            date: "2025-03-29",
            amount: "-550.00",
            currency: "USD",
            description: "Check 1041",
          },
        ],
      },
    ]);
    // Without the opening balance the books are 8,170.15 short: no set of open items makes that.
    const unexplained = await checkJson([...march, ...typed]);
    expect(unexplained).toMatchObject({
      kind: "unexplained",
      explained: false,
      difference: "8420.15",
      candidates: [],
    });
    expect(unexplained.message).toMatch(/no set of up to 6 of the \d+ open items adds up to it$/);
    expect((await h.run([...march, ...typed])).stdout).toContain(
      "  something outside the open items makes the difference",
    );
  });

  it("refuses a statement balance in another currency than the account's before recording the run", async () => {
    const message = `bankrec: the statement balance 10,245.00 is in EUR, but account ${account} is in USD`;
    await refused(
      [...march, "--statement-balance", "10245.00 EUR", "--statement-date", "2025-03-31"],
      message,
    );
    const euro = join(h.folder, "checking-march-eur.ofx");
    writeFileSync(euro, readFileSync(ofx, "latin1").replace("<CURDEF>USD", "<CURDEF>EUR"), "latin1");
    await refused([...march, "--statement", euro], message);
    await refused(
      [...march, ...typed, "--opening-balance", "8170.15 EUR"],
      "bankrec: the opening balance 8,170.15 is in EUR, but the statement balance is in USD",
    );
  });

  it("reads the closing balance from a statement file for the account", async () => {
    const run = await h.run([...march, "--statement", ofx, "--opening-balance", "8170.15"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(
      "statement check: statement 10,245.00 USD on 2025-03-31, books 9,995.00 USD: difference 250.00 USD;",
    );
    expect(run.stdout).toMatch(
      /\n {2}statement: checking-march\.ofx \(ofx, statement 1 at line \d+, account 4417001234\)\n/,
    );
    expect(await lastRun()).toEqual({
      statement_date: "2025-03-31",
      statement_balance_minor: 1_024_500,
      statement_currency: "USD",
    });
    const check = await checkJson([...march, "--statement", ofx, "--opening-balance", "8170.15"]);
    expect(check).toMatchObject({
      kind: "explained",
      statement_balance: "10245.00",
      source: { kind: "file", file: ofx, format: "ofx", statement: 1, account_id: account },
    });
    expect(check.candidates[0]?.items.map((i) => i.id)).toEqual(["L4", "L5"]);
    await refused(
      [...march, "--statement", join(h.folder, "missing.ofx")],
      `bankrec: ${join(h.folder, "missing.ofx")}: file not found`,
    );
  });

  it("refuses statement options that do not go together (exit 2)", async () => {
    for (const [argv, message] of [
      [[...march, ...typed, "--statement", ofx], "give --statement-balance or --statement, not both"],
      [
        [...march, "--opening-balance", "1.00"],
        "--opening-balance goes with --statement-balance or --statement",
      ],
      [
        ["reconcile", "--stored", "--from", "2025-03-01", "--to", "2025-03-31", "--statement", ofx],
        "a statement balance belongs to one account: give --account",
      ],
      [["reconcile", "--bank", "x", "--expected", "y", "--statement", ofx], "--statement goes with --stored"],
    ] as const) {
      const run = await h.run(argv);
      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr).toContain(message);
    }
  });
});
