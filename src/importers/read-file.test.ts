import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { badRowsOfAsync } from "../../test/support/import-error.js";
import { BadRowsError, ImportError } from "../errors/index.js";
import { readBankFile, readExpectedFile, readExpectedFileChecked } from "./index.js";
import { parsePlaidNdjson, readPlaidNdjson } from "./plaid-ndjson.js";
import { parseBankBytes, parseExpectedBytes } from "./read-file.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "bankrec-importers-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Writes a file in a fresh subfolder (so an `accounts.json` from another test cannot leak in). */
async function file(name: string, content: string | Buffer): Promise<string> {
  const folder = await mkdtemp(join(dir, "case-"));
  const path = join(folder, name);
  await writeFile(path, content);
  return path;
}

function tx(id: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    transaction_id: id,
    account_id: "acc",
    amount: 12.5,
    iso_currency_code: "USD",
    date: "2025-01-02",
    name: "X",
    pending: false,
    ...extra,
  };
}

async function rejection(promise: Promise<unknown>): Promise<ImportError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (error instanceof ImportError) return error;
  throw new Error(`expected an ImportError, got ${String(error)}`);
}

describe("readBankFile", () => {
  it("reads a Plaid JSON file", async () => {
    const path = await file(
      "bank.json",
      JSON.stringify({ accounts: [{ account_id: "acc", name: "Checking" }], transactions: [tx("t1")] }),
    );
    const feed = await readBankFile(path);
    expect(feed.accounts.map((a) => a.id)).toEqual(["acc"]);
    expect(feed.transactions).toEqual([expect.objectContaining({ id: "t1", amountMinor: -1250 })]);
  });

  it("streams NDJSON with CRLF, blank lines and a BOM, taking accounts from accounts.json beside it", async () => {
    const path = await file(
      "bank.ndjson",
      `\ufeff${JSON.stringify(tx("a"))}\r\n\r\n${JSON.stringify(tx("b"))}\n   \n${JSON.stringify(tx("c"))}`,
    );
    await writeFile(
      join(path, "..", "accounts.json"),
      JSON.stringify({ accounts: [{ account_id: "acc", name: "Checking" }] }),
    );
    const feed = await readBankFile(path);
    expect(feed.transactions.map((t) => t.id)).toEqual(["a", "b", "c"]);
    expect(feed.accounts).toEqual([{ id: "acc", name: "Checking", mask: null, type: null, subtype: null }]);
  });

  it("streams a large NDJSON file whose lines and characters straddle read chunks", async () => {
    const lines = Array.from({ length: 30_000 }, (_, i) =>
      JSON.stringify(tx(`t${i}`, { name: `Café ☕ ${"é".repeat(i % 300)}`, amount: i / 100 })),
    );
    const path = await file("big.jsonl", `${lines.join("\n")}\n`);
    const progress: number[] = [];
    const feed = await readBankFile(path, { onProgress: (n) => progress.push(n) });
    expect(feed.transactions).toHaveLength(30_000);
    expect(feed.transactions[29_999]).toMatchObject({
      id: "t29999",
      amountMinor: -29999,
      name: `Café ☕ ${"é".repeat(29_999 % 300)}`,
    });
    expect(feed.transactions.every((t, i) => t.name === `Café ☕ ${"é".repeat(i % 300)}`)).toBe(true);
    expect(progress).toEqual([10_000, 20_000, 30_000, 30_000]);
  });

  it("sniffs NDJSON and JSON when the extension says nothing", async () => {
    const ndjson = await file("feed.txt", `${JSON.stringify(tx("a"))}\n${JSON.stringify(tx("b"))}\n`);
    const json = await file("feed.dat", `\n  {"transactions": [${JSON.stringify(tx("c"))}]}`);
    const array = await file("feed", `[${JSON.stringify(tx("d"))}]`);
    expect((await readBankFile(ndjson)).transactions.map((t) => t.id)).toEqual(["a", "b"]);
    expect((await readBankFile(json)).transactions.map((t) => t.id)).toEqual(["c"]);
    expect((await readBankFile(array)).transactions.map((t) => t.id)).toEqual(["d"]);
  });

  it("names the line of invalid JSON in NDJSON", async () => {
    const good = JSON.stringify(tx("a"));
    const path = await file("bank.ndjson", [good, good, good, good, "{oops", good].join("\n"));
    const error = await rejection(readBankFile(path));
    expect(error.message).toBe(`${path}:5: invalid JSON`);
    expect(error.line).toBe(5);
  });

  it("names the line and field of a bad NDJSON row", async () => {
    const path = await file(
      "bank.ndjson",
      `${JSON.stringify(tx("a"))}\n${JSON.stringify(tx("b", { amount: null }))}\n`,
    );
    expect((await rejection(readBankFile(path))).message).toBe(`${path}:2: amount: expected a number`);
  });

  it("names the path of a bad row in a JSON file", async () => {
    const rows = [tx("a"), tx("b"), tx("c"), tx("d", { amount: "1" })];
    const path = await file("bank.json", JSON.stringify({ transactions: rows }));
    expect((await rejection(readBankFile(path))).message).toBe(
      `${path}: transactions[3].amount: expected a number`,
    );
  });

  it("reports a JSON file that does not parse, with its line when the engine gives a position", async () => {
    const path = await file("bank.json", '{\n"transactions": [\n}');
    expect((await rejection(readBankFile(path))).message).toMatch(new RegExp(`^${path}(:3)?: invalid JSON$`));
  });

  it("reports a missing file with the path as given", async () => {
    for (const name of ["bank.json", "bank.ndjson"]) {
      const error = await rejection(readBankFile(join(dir, "nowhere", name)));
      expect(error.message).toBe(`${join(dir, "nowhere", name)}: file not found`);
    }
  });

  it("reports a directory and a file that is not a feed", async () => {
    const folder = join(dir, "folder.json");
    await mkdir(folder);
    expect((await rejection(readBankFile(folder))).message).toBe(`${folder}: is a directory, not a file`);
    const csv = await file("bank.csv", "id,amount\n");
    expect((await rejection(readBankFile(csv))).message).toBe(
      `${csv}:1: header "id,amount" does not match any preset; give --map date=<column>,amount=<column>,description=<column>`,
    );
    const text = await file("notes.txt", "just some words\n");
    expect((await rejection(readBankFile(text))).message).toBe(
      `${text}: is not a statement file bankrec reads (OFX/QFX, CAMT, MT940/MT942 or bank CSV)`,
    );
  });
});

describe("readExpectedFile", () => {
  it("reads CSV and JSON by extension", async () => {
    const csv = await file("expected.csv", "id,date,amount\nE1,2025-01-01,-5\n");
    const json = await file(
      "expected.json",
      JSON.stringify({ entries: [{ id: "E2", date: "2025-01-01", amount: 5 }] }),
    );
    expect((await readExpectedFile(csv)).map((e) => [e.id, e.amountMinor])).toEqual([["E1", -500]]);
    expect((await readExpectedFile(json)).map((e) => [e.id, e.amountMinor])).toEqual([["E2", 500]]);
  });

  it("sniffs the format when the extension says nothing, and decodes UTF-8 with a BOM", async () => {
    const csv = await file(
      "ledger",
      Buffer.from("\ufeffid,date,amount,description\nE1,2025-01-01,1,Crème brûlée\n", "utf8"),
    );
    const json = await file("ledger.export", ' [{"id": "E2", "date": "2025-01-01", "amount": "1"}]');
    expect((await readExpectedFile(csv))[0]?.description).toBe("Crème brûlée");
    expect((await readExpectedFile(json))[0]?.id).toBe("E2");
  });

  it("passes options through and names the file in errors", async () => {
    const csv = await file("expected.csv", "id;date;amount\nE1;01.02.2025;1.234,5\nE2;2025-01-01;12,3x\n");
    const error = await rejection(readExpectedFile(csv, { decimalSeparator: ",", currency: "EUR" }));
    expect(error.message).toBe(`${csv}:3: amount "12,3x" is not a number`);
    expect((await rejection(readExpectedFile(join(dir, "missing.csv")))).message).toBe(
      `${join(dir, "missing.csv")}: file not found`,
    );
  });
});

describe("every bad row at once", () => {
  it("lists every bad line of an NDJSON feed, invalid JSON among them, and returns nothing", async () => {
    const lines = [
      JSON.stringify(tx("a")),
      "{oops",
      JSON.stringify(tx("b", { amount: null })),
      JSON.stringify(tx("c")),
      JSON.stringify(tx("a", { amount: 99 })),
      "",
      "[1,",
    ];
    const path = await file("bank.ndjson", lines.join("\n"));
    const error = await badRowsOfAsync(readBankFile(path));
    expect(error.problems.map((p) => p.message)).toEqual([
      `${path}:2: invalid JSON`,
      `${path}:3: amount: expected a number`,
      `${path}:5: transaction_id "a" already used at line 1 with different values`,
      `${path}:7: invalid JSON`,
    ]);
    expect(error.problems.map((p) => p.line)).toEqual([2, 3, 5, 7]);
  });

  it("stops an NDJSON feed at a line past the bound, with the bad lines before it", async () => {
    const path = await file("long.ndjson", `{oops\n${"x".repeat(3_200_000)}\n`);
    const error = await badRowsOfAsync(readBankFile(path));
    expect(error.problems.map((p) => p.message)).toEqual([
      `${path}:1: invalid JSON`,
      `${path}:2: line is longer than 1,048,576 characters`,
    ]);
  });

  it("gives a ledger's good rows and its problems as values, when asked to check", async () => {
    const csv = await file("expected.csv", "id,date,amount\nE1,2025-01-01,x\nE2,2025-01-02,2\nE3,,1\n");
    const checked = await readExpectedFileChecked(csv);
    expect(checked.rows.map((r) => r.id)).toEqual(["E2"]);
    expect(checked.problems.map((p) => p.message)).toEqual([
      `${csv}:2: amount "x" is not a number`,
      `${csv}:4: date: expected a value`,
    ]);
    const error = await badRowsOfAsync(readExpectedFile(csv));
    expect(error.badRowCount).toBe(2);
    const json = await file("expected.json", JSON.stringify([{ id: "E1", date: "2025-01-01", amount: "y" }]));
    expect((await readExpectedFileChecked(json)).problems[0]?.message).toBe(
      `${json}: [0].amount: "y" is not a number`,
    );
  });
});

describe("reading bytes in memory", () => {
  it("reads as the file readers do", async () => {
    const ndjson = `${JSON.stringify(tx("a"))}\n${JSON.stringify(tx("b"))}\n`;
    const path = await file("feed.txt", ndjson);
    expect(parseBankBytes(Buffer.from(ndjson), "feed.txt").transactions).toEqual(
      (await readBankFile(path)).transactions,
    );
    const csv = "id,date,amount\nE1,2025-01-01,-5\n";
    expect(parseExpectedBytes(Buffer.from(csv), "ledger")).toEqual(
      await readExpectedFile(await file("ledger", csv)),
    );
  });

  it("reads NDJSON the same however the bytes are cut into chunks", async () => {
    const lines = Array.from({ length: 40 }, (_, i) =>
      i % 9 === 4 ? "{bad" : JSON.stringify(tx(`t${i}`, { name: `Café ☕ ${i}` })),
    );
    const bytes = Buffer.from(`\ufeff${lines.join("\r\n")}`);
    const outcome = (run: () => unknown) => {
      try {
        return run();
      } catch (error) {
        return error instanceof BadRowsError ? error.problems : error;
      }
    };
    const whole = outcome(() => parsePlaidNdjson(bytes, "f.ndjson"));
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: bytes.length }), { maxLength: 12 }),
        async (cuts) => {
          const points = [...new Set(cuts)].sort((a, b) => a - b);
          async function* chunks() {
            let from = 0;
            for (const to of [...points, bytes.length]) {
              yield bytes.subarray(from, to);
              from = to;
            }
          }
          const read = await readPlaidNdjson(chunks(), "f.ndjson").then(
            (rows) => rows,
            (error: unknown) => (error instanceof BadRowsError ? error.problems : error),
          );
          expect(read).toEqual(whole);
        },
      ),
      { numRuns: 200 },
    );
  });
});
