import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdir, mkdtemp, open, rm, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ImportError } from "../errors/index.js";
import { escapeBytes, InputFile, withInputFile } from "./input-file.js";
import { FILE_BYTES_MAX } from "./input-limits.js";
import { readBankFile, readExpectedFile } from "./read-file.js";
import { readStatementFile } from "./statement-file.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "bankrec-input-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function rejection(promise: Promise<unknown>): Promise<ImportError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (error instanceof ImportError) return error;
  throw new Error(`expected an ImportError, got ${String(error)}`);
}

const LEDGER = "id,date,amount\nE1,2025-01-01,1.00\n";

/** A FIFO in the scratch folder, written by `sh -c script` (which sees it as $1). */
function fifoWrittenBy(name: string, script: string): { path: string; writer: ChildProcess } {
  const path = join(dir, name);
  execFileSync("mkfifo", [path]);
  const writer = spawn("sh", ["-c", script, "sh", path], { stdio: "ignore" });
  writer.on("error", () => {});
  return { path, writer };
}

describe("what can be an input", () => {
  it("refuses a device at once, by its kind, instead of reading without end", async () => {
    const started = performance.now();
    const error = await rejection(readBankFile("/dev/zero"));
    expect(error.message).toBe(
      "/dev/zero: is a character device, not a file (bankrec reads regular files and pipes, which end)",
    );
    expect((await rejection(readExpectedFile("/dev/zero"))).file).toBe("/dev/zero");
    expect((await rejection(readStatementFile("/dev/null"))).message).toMatch(
      /^\/dev\/null: is a character device/,
    );
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it("refuses a directory and names a missing file", async () => {
    const folder = join(dir, "folder.csv");
    await mkdir(folder);
    expect((await rejection(readExpectedFile(folder))).message).toBe(`${folder}: is a directory, not a file`);
    expect((await rejection(readBankFile(join(dir, "nowhere.ofx")))).message).toBe(
      `${join(dir, "nowhere.ofx")}: file not found`,
    );
  });

  it("refuses a regular file over the cap by its size, before reading any of it", async () => {
    const path = join(dir, "huge.json");
    await writeFile(path, "");
    await truncate(path, FILE_BYTES_MAX + 1); // sparse: no disk, no reading
    const started = performance.now();
    expect((await rejection(readBankFile(path))).message).toBe(`${path}: is larger than 500 MiB`);
    expect((await rejection(readExpectedFile(path))).message).toBe(`${path}: is larger than 500 MiB`);
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it("reads a pipe once, as it comes: the head that told the format is not lost", async () => {
    const { path } = fifoWrittenBy("ledger.fifo", `printf '${LEDGER.replaceAll("\n", "\\n")}' > "$1"`);
    const rows = await readExpectedFile(path);
    expect(rows.map((r) => [r.id, r.amountMinor])).toEqual([["E1", 100]]);
    const bank = fifoWrittenBy(
      "bank.fifo",
      `printf 'Date,Description,Amount\\n2025-01-02,Coffee,-3.50\\n' > "$1"`,
    );
    expect((await readBankFile(bank.path)).transactions.map((t) => t.amountMinor)).toEqual([-350]);
  });

  it("stops an endless pipe at its first line past the bound, not at the end of memory", async () => {
    const { path, writer } = fifoWrittenBy("zeros.fifo", `cat /dev/zero > "$1"`);
    try {
      const error = await rejection(readExpectedFile(path));
      expect(error.message).toBe(`${path}:1: line is longer than 1,048,576 characters`);
      const other = fifoWrittenBy("zeros2.fifo", `cat /dev/zero > "$1"`);
      // A statement pipe whose first 128 KiB are no statement is refused from those alone.
      expect((await rejection(readStatementFile(other.path))).message).toMatch(/is not a statement file/);
      other.writer.kill();
    } finally {
      writer.kill();
    }
  });
});

describe("InputFile", () => {
  it("hands out the head again, then the rest, within the byte bound", async () => {
    const path = join(dir, "abc.txt");
    await writeFile(path, "a".repeat(100_000));
    await withInputFile(path, async (input) => {
      expect((await input.head(10)).toString()).toBe("a".repeat(10));
      expect((await input.readAll({ bytesMax: 100_000 })).length).toBe(100_000);
    });
    const error = await rejection(withInputFile(path, (input) => input.readAll({ bytesMax: 99_999 })));
    expect(error.message).toBe(`${path}: is larger than 99,999 bytes`);
  });

  it("counts lines as the bytes come and names the one too long, CR alone counting as a break", async () => {
    const path = join(dir, "lines.csv");
    await writeFile(path, `a\nb\r\n${"x".repeat(40)}\nd\n`);
    const error = await rejection(
      withInputFile(path, (input) => input.readAll({ bytesMax: 1000, lineCharsMax: 10 })),
    );
    expect(error.message).toBe(`${path}:3: line is longer than 10 characters`);
    const mac = join(dir, "mac.csv");
    await writeFile(mac, `${"a,b\r".repeat(100)}`);
    const input = await InputFile.open(mac);
    try {
      expect((await input.readAll({ bytesMax: 1000, lineCharsMax: 10 })).length).toBe(400);
    } finally {
      await input.close();
    }
  });
});

describe("file names that are not valid UTF-8", () => {
  /** Writes a file whose name is `bytes` (Latin-1 é as 0xE9), in a folder of its own. */
  async function latin1Named(...names: number[][]): Promise<string> {
    const folder = await mkdtemp(join(dir, "names-"));
    for (const bytes of names) {
      const handle = await open(Buffer.concat([Buffer.from(`${folder}/`), Buffer.from(bytes)]), "w");
      await handle.writeFile(LEDGER);
      await handle.close();
    }
    return folder;
  }
  const cafe = [0x63, 0x61, 0x66, 0xe9, 0x2e, 0x63, 0x73, 0x76]; // "caf\xe9.csv"

  it("names the file as it is on disk, with what stands in the way, not 'file not found'", async () => {
    const folder = await latin1Named(cafe);
    // What Node.js makes of the argument `caf\xe9.csv`.
    const given = join(folder, "caf\ufffd.csv");
    const error = await rejection(readExpectedFile(given));
    expect(error.message).toBe(
      `${folder}/caf\\xe9.csv: cannot be opened by name: the name is not valid UTF-8, which Node.js cannot pass on; ` +
        "rename the file, or give it on standard input (/dev/stdin < FILE)",
    );
    expect(error.file).toBe(`${folder}/caf\\xe9.csv`);
  });

  it("says 'file not found' when no such file is there, and why the name looks odd", async () => {
    const folder = await latin1Named();
    expect((await rejection(readBankFile(join(folder, "caf\ufffd.csv")))).message).toBe(
      `${join(folder, "caf\ufffd.csv")}: file not found (the name holds U+FFFD, which is how Node.js reads a name that is not valid UTF-8)`,
    );
  });

  it("lists every file the name could mean", async () => {
    const folder = await latin1Named(cafe, [0x63, 0x61, 0x66, 0xe8, 0x2e, 0x63, 0x73, 0x76]);
    const error = await rejection(readExpectedFile(join(folder, "caf\ufffd.csv")));
    expect(error.message).toMatch(
      /file name is not valid UTF-8, and 2 files here read as it \(.*caf\\xe[89]\.csv, .*caf\\xe[89]\.csv\); rename them$/,
    );
  });

  it("shows bytes as text where they are UTF-8 and as \\xNN where not", () => {
    expect(escapeBytes(Buffer.from([0x63, 0xc3, 0xa9, 0xe9, 0x1b, 0xf0, 0x9f, 0x98, 0x80, 0xc0, 0x80]))).toBe(
      "cé\\xe9\\x1b😀\\xc0\\x80",
    );
  });
});
