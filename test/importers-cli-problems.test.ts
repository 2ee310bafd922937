import { existsSync } from "node:fs";
import { mkdtemp, open, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { captureContext } from "../src/cli/capture.js";
import { runCli } from "../src/cli/program.js";
import { writeOfx } from "../src/importers/statement-writer.js";
import { listTransactions, openStore } from "../src/store/index.js";

/**
 * `bankrec import` and `bankrec reconcile` facing files that are wrong: every bad row listed at
 * once (one line each after an intro line; `--json` as a `problems` array), exit 3 and nothing
 * stored; what a file brings to the terminal escaped; names that are not UTF-8 named rightly.
 */
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "bankrec-cli-problems-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

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

const STATEMENT = writeOfx([
  {
    accountId: "NL91ABNA0417164300",
    currency: "EUR",
    openingMinor: 0,
    fromDate: "2025-03-01",
    toDate: "2025-03-31",
    entries: [{ amountMinor: -12_050, date: "2025-03-03", description: "ACME", bankId: "B1" }],
  },
]);

const BAD_BANK_CSV = [
  "Date,Description,Amount",
  "2025-03-02,Coffee,-3.50",
  "2025-03-03,Lunch,12.3x",
  "2025-02-30,Rent,-100.00",
  "2025-03-05,Books,-2O.00",
].join("\n");

describe("every bad row at once", () => {
  it("import lists each bad row after an intro line, exits 3 and stores nothing", async () => {
    const database = `sqlite:${join(dir, "problems.db")}`;
    const path = await file("bank.csv", BAD_BANK_CSV);
    const { code, out, err } = await run("import", path, "--database", database);
    expect(code).toBe(3);
    expect(out).toBe("");
    expect(err).toBe(
      [
        `bankrec: ${path}: 3 rows are bad:`,
        `  ${path}:3: Amount "12.3x" is not a number`,
        `  ${path}:4: Date "2025-02-30" is not a date`,
        `  ${path}:5: Amount "-2O.00" is not a number`,
        "",
      ].join("\n"),
    );
    if (existsSync(join(dir, "problems.db"))) {
      const store = await openStore({ url: database, env: { BANKREC_DATA_DIR: dir } });
      try {
        expect(await listTransactions(store, { includeRemoved: true })).toEqual([]);
      } finally {
        await store.close();
      }
    }
  });

  it("import --json gives them as a problems array on stdout", async () => {
    const path = await file("bank-json.csv", BAD_BANK_CSV);
    const { code, out, err } = await run("import", path, "--json", "--dry-run");
    expect(code).toBe(3);
    expect(err).toContain("3 rows are bad:");
    const report = JSON.parse(out) as { error: { code: string }; badRowCount: number; problems: unknown[] };
    expect(report.error.code).toBe("IMPORT");
    expect(report.badRowCount).toBe(3);
    expect(report.problems).toEqual([
      { file: path, line: 3, field: "Amount", message: `${path}:3: Amount "12.3x" is not a number` },
      { file: path, line: 4, field: "Date", message: `${path}:4: Date "2025-02-30" is not a date` },
      { file: path, line: 5, field: "Amount", message: `${path}:5: Amount "-2O.00" is not a number` },
    ]);
  });

  it("import --json gives a file-level failure as one problem and no bad row", async () => {
    const { code, out } = await run("import", join(dir, "missing.ofx"), "--json", "--dry-run");
    expect(code).toBe(3);
    expect(JSON.parse(out)).toMatchObject({
      badRowCount: 0,
      problems: [{ file: join(dir, "missing.ofx"), message: `${join(dir, "missing.ofx")}: file not found` }],
    });
  });

  it("reconcile lists a ledger's bad rows, and --json gives them on stdout", async () => {
    const bank = await file("recon.ofx", STATEMENT);
    const ledger = await file(
      "ledger.csv",
      "id,date,amount\nL1,2025-03-03,-120.50\nL2,2025-03-04,x\nL3,,1\nL1,2025-03-05,2\n",
    );
    const people = await run("reconcile", "--bank", bank, "--expected", "ledger.csv");
    expect(people.code).toBe(3);
    expect(people.out).toBe("");
    expect(people.err).toBe(
      [
        `bankrec: ${ledger}: 3 rows are bad:`,
        `  ${ledger}:3: amount "x" is not a number`,
        `  ${ledger}:4: date: expected a value`,
        `  ${ledger}:5: id "L1" already used on line 2`,
        "",
      ].join("\n"),
    );
    const programs = await run("reconcile", "--bank", bank, "--expected", ledger, "--json");
    expect(programs.code).toBe(3);
    expect(
      (JSON.parse(programs.out) as { problems: { line: number }[] }).problems.map((p) => p.line),
    ).toEqual([3, 4, 5]);
  });

  it("lists the first 50 of many and says how many there are", async () => {
    const rows = Array.from({ length: 1234 }, (_, i) => `L${i},2025-03-03,bad${i}`);
    const ledger = await file("many.csv", ["id,date,amount", ...rows].join("\n"));
    const bank = await file("many.ofx", STATEMENT);
    const { code, err } = await run("reconcile", "--bank", bank, "--expected", ledger);
    expect(code).toBe(3);
    const lines = err.trimEnd().split("\n");
    expect(lines[0]).toBe(`bankrec: ${ledger}: 1,234 rows are bad, the first 50:`);
    expect(lines).toHaveLength(51);
    expect(lines[50]).toBe(`  ${ledger}:51: amount "bad49" is not a number`);
  });

  it("keeps the one-line message for one bad row", async () => {
    const ledger = await file("one.csv", "id,date,amount\nL1,2025-03-03,x\n");
    const { code, err } = await run(
      "reconcile",
      "--bank",
      await file("one.ofx", STATEMENT),
      "--expected",
      ledger,
    );
    expect(code).toBe(3);
    expect(err).toBe(`bankrec: ${ledger}:2: amount "x" is not a number\n`);
  });
});

describe("what a file brings to the terminal", () => {
  it("reaches stderr escaped: a value, a file name", async () => {
    const ledger = await file("esc\u001b[2J.csv", "id,date,amount\nL1,2025-03-03,\u001b]0;owned\u0007\n");
    const { code, err } = await run(
      "reconcile",
      "--bank",
      await file("esc.ofx", STATEMENT),
      "--expected",
      ledger,
    );
    expect(code).toBe(3);
    expect(err).toBe(`bankrec: ${dir}/esc\\x1b[2J.csv:2: amount "\\x1b]0;owned\\x07" is not a number\n`);
  });

  it("reaches the import summary escaped", async () => {
    const csv = await file(
      "acct.csv",
      "Date,Description,Amount,Account\n2025-03-02,Coffee,-3.50,\u001b[31mX\n",
    );
    const { code, out } = await run("import", csv, "--dry-run");
    expect(code).toBe(0);
    expect(out).toContain("account \\x1b[31mX");
    expect(out).not.toContain("\u001b");
  });

  it("reaches the transactions table escaped, after a trip through the store", async () => {
    const database = `sqlite:${join(dir, "escapes.db")}`;
    const csv = await file(
      "payee.csv",
      "Date,Description,Amount\n2025-03-02,\u001b[2J\u001b]0;owned\u0007Coffee,-3.50\n",
    );
    expect((await run("import", csv, "--database", database)).code).toBe(0);
    const { code, out } = await run("transactions", "--database", database);
    expect(code).toBe(0);
    expect(out).toContain("Coffee");
    // The merchant cleaner keeps words only; whatever column shows the name, no control is left.
    expect(out.split("\n").filter((line) => /\p{Cc}/u.test(line))).toEqual([]);
  });

  it("cuts any message to a short line, whatever a reader quotes", async () => {
    const sta = await file(
      "long.sta",
      `:20:X\n:25:Y\n:60F:C250101EUR${"9".repeat(50_000)},00\n:62F:C250101EUR0,00\n`,
    );
    const { code, err } = await run("import", sta, "--dry-run");
    expect(code).toBe(3);
    expect(err.length).toBeLessThan(2_200);
    expect(err.split("\n")).toHaveLength(2);
  });

  it("refuses a device at once and a header of NULs in a short line", async () => {
    const zero = await run("import", "/dev/zero", "--dry-run");
    expect([zero.code, zero.err]).toEqual([
      3,
      "bankrec: /dev/zero: is a character device, not a file (bankrec reads regular files and pipes, which end)\n",
    ]);
    const nuls = await file("nuls.csv", Buffer.alloc(5_000_000));
    const ledger = await run("reconcile", "--bank", await file("n.ofx", STATEMENT), "--expected", nuls);
    expect([ledger.code, ledger.err]).toEqual([
      3,
      `bankrec: ${nuls}:1: line is longer than 1,048,576 characters\n`,
    ]);
  });
});

describe("a file name that is not valid UTF-8", () => {
  it("is named as it is on disk, not reported missing", async () => {
    const folder = await mkdtemp(join(dir, "latin1-"));
    const handle = await open(
      Buffer.concat([Buffer.from(`${folder}/`), Buffer.from("caf\xe9.csv", "latin1")]),
      "w",
    );
    await handle.writeFile("id,date,amount\nL1,2025-03-03,-120.50\n");
    await handle.close();
    // Node.js hands the CLI `caf\xe9.csv` as "caf\ufffd.csv".
    const { code, err } = await run("import", join(folder, "caf\ufffd.csv"), "--dry-run");
    expect(code).toBe(3);
    expect(err).toBe(
      `bankrec: ${folder}/caf\\xe9.csv: cannot be opened by name: the name is not valid UTF-8, which Node.js cannot pass on; rename the file, or give it on standard input (/dev/stdin < FILE)\n`,
    );
  });
});
