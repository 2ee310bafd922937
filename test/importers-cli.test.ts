import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { captureContext } from "../src/cli/capture.js";
import { runCli } from "../src/cli/program.js";
import { readBankFile } from "../src/importers/index.js";
import { readPlaidFacts } from "../src/importers/plaid-facts.js";
import { writeMt940, writeOfx } from "../src/importers/statement-writer.js";
import { listTransactions, openStore } from "../src/store/index.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "bankrec-import-cli-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const STATEMENT = {
  accountId: "NL91ABNA0417164300",
  currency: "EUR",
  openingMinor: 100_000,
  fromDate: "2025-03-01",
  toDate: "2025-03-31",
  entries: [
    { amountMinor: -12_050, date: "2025-03-03", description: "ACME SUPPLIES INV-1043", bankId: "B1" },
    { amountMinor: 250_000, date: "2025-03-05", description: "CUSTOMER BV INVOICE 77", bankId: "B2" },
    { amountMinor: -350, date: "2025-03-07", description: "COFFEE", bankId: null },
    { amountMinor: -350, date: "2025-03-07", description: "COFFEE", bankId: null },
  ],
};

async function run(...argv: string[]) {
  const ctx = captureContext({ cwd: dir, env: { BANKREC_DATA_DIR: dir } });
  const code = await runCli(argv, ctx);
  return { code, out: ctx.stdout.text(), err: ctx.stderr.text() };
}

async function file(name: string, content: string | Buffer): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, content);
  return path;
}

describe("bankrec import into the store", () => {
  async function storedCount(database: string): Promise<number> {
    const store = await openStore({ url: database, env: { BANKREC_DATA_DIR: dir } });
    try {
      return (await listTransactions(store, { includeRemoved: true })).length;
    } finally {
      await store.close();
    }
  }

  it("stores a file's rows once: importing it again adds nothing, and a bad file changes nothing", async () => {
    const database = `sqlite:${join(dir, "imports.db")}`;
    const path = await file("store-march.ofx", writeOfx([STATEMENT]));
    const first = await run("import", path, "--database", database);
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/stored in SQLite .*imports\.db: 4 added, 0 already held/);
    const again = await run("import", path, "--database", database, "--json");
    expect(JSON.parse(again.out).stored).toMatchObject({ added: 0, unchanged: 4, changed: [] });
    expect(await storedCount(database)).toBe(4);

    const broken = await file(
      "broken.ofx",
      writeOfx([STATEMENT]).replace("<TRNAMT>-120.50", "<TRNAMT>-12o.50"),
    );
    const bad = await run("import", broken, "--database", database);
    expect(bad.code).toBe(3);
    expect(await storedCount(database)).toBe(4);

    const dry = await run(
      "import",
      await file("dry.sta", writeMt940([{ ...STATEMENT, accountId: "DE89370400440532013000" }])),
      "--database",
      database,
      "--dry-run",
    );
    expect(dry.out).toContain("not stored (--dry-run)");
    expect(await storedCount(database)).toBe(4);
  });
});

describe("bankrec import", () => {
  it("summarizes each statement with its balance check", async () => {
    const path = await file("march.sta", writeMt940([STATEMENT]));
    const { code, out, err } = await run("import", path);
    expect(code).toBe(0);
    expect(err).toBe("");
    expect(out).toContain("march.sta: mt940, utf-8, 1 statement(s), 4 transaction(s)");
    expect(out).toContain("account NL91ABNA0417164300  EUR  2025-03-01 to 2025-03-31");
    expect(out).toContain("4 entries  opening 1,000.00 EUR  closing 3,372.50 EUR  balance ok");
  });

  it("warns about a balance break, and --strict makes it an error that writes nothing", async () => {
    const text = writeMt940([STATEMENT]).replace(":62F:C250331EUR3372,50", ":62F:C250331EUR3327,50");
    const path = await file("break.sta", text);
    const warned = await run("import", path);
    expect(warned.code).toBe(0);
    expect(warned.err).toBe(
      `bankrec: warning: ${path}: statement 1 (account NL91ABNA0417164300): opening 1,000.00 + entries 2,372.50 = 3,372.50 but closing balance says 3,327.50 (break -45.00)\n`,
    );
    const out = join(dir, "never.ndjson");
    const strict = await run("import", path, "--strict", "--out", out);
    expect(strict.code).toBe(3);
    expect(strict.err).toMatch(
      /^bankrec: .*break\.sta: balance check failed \(--strict\): .*\(break -45\.00\)\n$/,
    );
    expect(existsSync(out)).toBe(false);
  });

  it("writes NDJSON that reconcile --bank reads back to the same transactions", async () => {
    const path = await file("march.ofx", writeOfx([STATEMENT]));
    const out = join(dir, "march.ndjson");
    const { code } = await run("import", path, "--out", out);
    expect(code).toBe(0);
    const direct = await readBankFile(path);
    const fromNdjson = await readBankFile(out);
    // The fast NDJSON reader keeps what reconciliation needs; the statement's type code rides
    // along as bankrec_type_code, which the spending report reads (importers/plaid-facts.ts).
    expect(fromNdjson.transactions).toEqual(direct.transactions.map(({ typeCode: _, ...row }) => row));
    const facts = await readPlaidFacts(out);
    expect(direct.transactions.map((t) => facts.get(t.id)?.statementType ?? null)).toEqual(
      direct.transactions.map((t) => t.typeCode ?? null),
    );
    expect((await readFile(out, "utf8")).split("\n")[0]).toContain('"amount":120.50');
  });

  it("reconciles straight from a statement file", async () => {
    const path = await file("recon.ofx", writeOfx([STATEMENT]));
    const ledger = await file(
      "ledger.csv",
      "id,date,amount,currency,description,counterparty,reference,account_id\nL1,2025-03-02,-120.50,EUR,Acme supplies,ACME,INV-1043,\nL2,2025-03-04,2500.00,EUR,Invoice 77,Customer BV,77,\n",
    );
    const { code, out } = await run("reconcile", "--bank", path, "--expected", ledger, "--json");
    expect(code).toBe(0);
    const result = JSON.parse(out) as { matches: { expected_ids: string[] }[] };
    expect(result.matches.flatMap((m) => m.expected_ids).sort()).toEqual(["L1", "L2"]);
    const forced = await run("reconcile", "--bank", path, "--bank-format", "mt940", "--expected", ledger);
    expect(forced.code).toBe(3);
    expect(forced.err).toBe(`bankrec: ${path}: holds no MT940 statement (no :20: field)\n`);
  });

  it("warns when a statement reconciled straight from the file does not add up, and still reconciles it", async () => {
    const text = writeMt940([STATEMENT]).replace(":62F:C250331EUR3372,50", ":62F:C250331EUR3327,50");
    const path = await file("recon-break.sta", text);
    const ledger = await file(
      "ledger-break.csv",
      "id,date,amount,currency,description,counterparty,reference,account_id\nL1,2025-03-02,-120.50,EUR,Acme supplies,ACME,INV-1043,\n",
    );
    const { code, out, err } = await run("reconcile", "--bank", path, "--expected", ledger, "--json");
    expect(code).toBe(0);
    expect(err).toBe(
      `bankrec: warning: ${path}: statement 1 (account NL91ABNA0417164300): opening 1,000.00 + entries 2,372.50 = 3,372.50 but closing balance says 3,327.50 (break -45.00)\n`,
    );
    const result = JSON.parse(out) as { matches: { expected_ids: string[] }[] };
    expect(result.matches.flatMap((m) => m.expected_ids)).toEqual(["L1"]);
  });

  it("reads a CSV by a person's mapping and account, and prints JSON", async () => {
    const path = await file("export.csv", "Posting Date;Text;Value\n31/03/2025;Rent;-1.200,00\n");
    const { code, out } = await run(
      "import",
      path,
      "--map",
      "date=Posting Date,amount=Value,description=Text",
      "--date-format",
      "DD/MM/YYYY",
      "--decimal-comma",
      "--currency",
      "eur",
      "--account",
      "acct-7",
      "--json",
    );
    expect(code).toBe(0);
    const summary = JSON.parse(out) as {
      format: string;
      transactions: number;
      statements: { accountId: string; currency: string }[];
    };
    expect(summary).toMatchObject({
      format: "csv",
      transactions: 1,
      statements: [{ accountId: "acct-7", currency: "EUR", entries: 1 }],
    });
  });

  it("reports a bad file in one line with file and line (exit 3), and bad options before reading (exit 2)", async () => {
    const path = await file("bad.ofx", writeOfx([STATEMENT]).replace("-120.50", "-12O.50"));
    const bad = await run("import", path);
    expect(bad.code).toBe(3);
    expect(bad.err).toMatch(/^bankrec: .*bad\.ofx:\d+: TRNAMT "-12O\.50" is not a number\n$/);
    expect((await run("import", path, "--format", "pdf")).code).toBe(2);
    expect((await run("import", path, "--map", "date")).err).toBe(
      'bankrec: --map: "date" is not field=Column\n',
    );
    expect((await run("import", path, "--encoding", "ebcdic")).code).toBe(2);
    expect((await run("import", join(dir, "missing.ofx"))).err).toMatch(/missing\.ofx: file not found\n$/);
  });
});
