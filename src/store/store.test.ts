import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  unlinkSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { sql } from "kysely";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { POSTGRES_URL, storeCases } from "../../test/support/stores.js";
import { ConfigError } from "../errors/index.js";
import { Secret } from "../secrets/index.js";
import { parseStoreLocation } from "./connect.js";
import { accessTokenOf, getItem, listItems, saveItem } from "./items.js";
import { openStore } from "./store.js";

const cases = await storeCases();

describe("where the store lives", () => {
  it("reads file paths, sqlite: and file: URLs, and postgres URLs with a schema", () => {
    const env = { BANKREC_DATA_DIR: "/var/lib/bankrec" };
    expect(parseStoreLocation(undefined, env)).toEqual({
      dialect: "sqlite",
      path: "/var/lib/bankrec/bankrec.db",
    });
    expect(parseStoreLocation("/tmp/x.db", env)).toEqual({ dialect: "sqlite", path: "/tmp/x.db" });
    expect(parseStoreLocation("sqlite:///tmp/y.db", env)).toEqual({ dialect: "sqlite", path: "/tmp/y.db" });
    expect(parseStoreLocation("file:///tmp/z.db", env)).toEqual({ dialect: "sqlite", path: "/tmp/z.db" });
    expect(parseStoreLocation(":memory:", env)).toEqual({ dialect: "sqlite", path: ":memory:" });
    expect(parseStoreLocation("books.db", env, "/srv/acme")).toEqual({
      dialect: "sqlite",
      path: "/srv/acme/books.db",
    });
    expect(parseStoreLocation("sqlite:data/books.db", env, "/srv/acme")).toEqual({
      dialect: "sqlite",
      path: "/srv/acme/data/books.db",
    });
    expect(parseStoreLocation("postgres://u:p@db:5432/books?schema=acme", env)).toEqual({
      dialect: "postgres",
      url: "postgres://u:p@db:5432/books",
      schema: "acme",
    });
  });

  it("refuses an unknown scheme and a schema that is not an identifier", () => {
    expect(() => parseStoreLocation("mysql://db/books")).toThrow(ConfigError);
    expect(() => parseStoreLocation("postgres://db/books?schema=a;drop")).toThrow(/identifier/);
  });
});

describe("the key that seals access tokens", () => {
  it("is looked for only when a token is sealed or opened: reading needs no key and creates no key file", async () => {
    const folder = mkdtempSync(join(tmpdir(), "bankrec-lazy-key-"));
    try {
      const url = `sqlite:${join(folder, "books.db")}`;
      const reader = await openStore({ url, env: { BANKREC_DATA_DIR: folder } });
      expect(await listItems(reader)).toEqual([]);
      await reader.close();
      expect(existsSync(join(folder, "bankrec.key"))).toBe(false);
      const strict = await openStore({ url, env: { BANKREC_DATA_DIR: folder }, allowCreateKey: false });
      await expect(
        saveItem(strict, { id: "item-1", accessToken: new Secret("access-sandbox-1"), institutionId: null }),
      ).rejects.toThrow(/BANKREC_SECRET_KEY/);
      expect(await listItems(strict)).toEqual([]);
      await strict.close();
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

const posix = process.platform !== "win32";

function modeOf(path: string): number {
  return statSync(path).mode & 0o777;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Runs `work` in a fresh folder with the umask set, then restores both. */
async function inFolderWithUmask(umask: number, work: (folder: string) => Promise<void>): Promise<void> {
  const folder = mkdtempSync(join(tmpdir(), "bankrec-modes-"));
  const saved = process.umask(umask);
  try {
    await work(folder);
  } finally {
    process.umask(saved);
    rmSync(folder, { recursive: true, force: true });
  }
}

describe.runIf(posix)("who can read the SQLite store", () => {
  it("creates the file, its WAL and shared memory 0600 and new folders 0700, whatever the umask", async () => {
    await inFolderWithUmask(0, async (folder) => {
      chmodSync(folder, 0o755);
      const path = join(folder, "acme", "books", "books.db");
      const store = await openStore({ url: path, env: {} });
      try {
        await saveItem(store, { id: "item-1", accessToken: new Secret("access-1"), institutionId: null });
        expect(store.warnings).toEqual([]);
        expect(modeOf(join(folder, "acme"))).toBe(0o700);
        expect(modeOf(join(folder, "acme", "books"))).toBe(0o700);
        for (const file of ["books.db", "books.db-wal", "books.db-shm", "bankrec.key"])
          expect([file, modeOf(join(folder, "acme", "books", file))]).toEqual([file, 0o600]);
      } finally {
        await store.close();
      }
      // A folder that was already there is the user's: left as it was.
      expect(modeOf(folder)).toBe(0o755);
    });
  });

  it("makes the default data directory 0700", async () => {
    await inFolderWithUmask(0o002, async (folder) => {
      const dataDir = join(folder, "xdg", "bankrec");
      const store = await openStore({ env: { XDG_DATA_HOME: join(folder, "xdg") } });
      try {
        expect(store.location).toEqual({ dialect: "sqlite", path: join(dataDir, "bankrec.db") });
        expect(modeOf(join(folder, "xdg"))).toBe(0o700);
        expect(modeOf(dataDir)).toBe(0o700);
        expect(modeOf(join(dataDir, "bankrec.db"))).toBe(0o600);
      } finally {
        await store.close();
      }
    });
  });

  it("warns in one line naming the fix, and still opens, when group or others can read an existing store", async () => {
    await inFolderWithUmask(0o022, async (folder) => {
      const path = join(folder, "books.db");
      await (await openStore({ url: path, env: {} })).close();
      chmodSync(path, 0o644);
      const open = await openStore({ url: path, env: {} });
      try {
        expect(open.warnings).toHaveLength(1);
        const [warning] = open.warnings;
        expect(warning).not.toContain("\n");
        expect(warning).toContain("0644");
        const file = escapeRegExp(path);
        expect(warning).toMatch(new RegExp(`run: chmod 600 ${file}( ${file}-(wal|shm))*$`));
        expect(await listItems(open)).toEqual([]);
        // The side files SQLite made meanwhile took the file's mode: the fix names them alone.
        chmodSync(path, 0o600);
        const again = await openStore({ url: path, env: {} });
        expect(again.warnings).toHaveLength(1);
        expect(again.warnings[0]).toMatch(
          new RegExp(`run: chmod 600 ${file}-(wal|shm)( ${file}-(wal|shm))?$`),
        );
        await again.close();
      } finally {
        await open.close();
      }
      // Everything closed, the WAL is gone: the file alone decides.
      const fixed = await openStore({ url: path, env: {} });
      expect(fixed.warnings).toEqual([]);
      expect(modeOf(path)).toBe(0o600);
      await fixed.close();
    });
  });
});

describe("a missing key file while tokens are sealed", () => {
  it("is a ConfigError saying how to restore the key, never a new key", async () => {
    const folder = mkdtempSync(join(tmpdir(), "bankrec-lost-key-"));
    try {
      const url = `sqlite:${join(folder, "books.db")}`;
      const keyPath = join(folder, "bankrec.key");
      const first = await openStore({ url, env: {} });
      await saveItem(first, { id: "item-1", accessToken: new Secret("access-1"), institutionId: null });
      await saveItem(first, { id: "item-2", accessToken: new Secret("access-2"), institutionId: null });
      const keyId = first.keyring.current.keyId;
      await first.close();
      const keyText = readFileSync(keyPath, "utf8");
      unlinkSync(keyPath);

      const lost = await openStore({ url, env: {} });
      expect((await listItems(lost)).map((item) => item.id)).toEqual(["item-1", "item-2"]);
      const failures = [
        () => accessTokenOf(lost, "item-1"),
        () => saveItem(lost, { id: "item-3", accessToken: new Secret("access-3"), institutionId: null }),
      ];
      for (const failure of failures) {
        const error = await failure().then(
          () => null,
          (thrown: unknown) => thrown,
        );
        expect(error).toBeInstanceOf(ConfigError);
        const message = (error as Error).message;
        expect(message).toContain(`the key file ${keyPath} is missing`);
        expect(message).toContain(`2 access tokens sealed under key ${keyId}`);
        expect(message).toContain(`Restore ${keyPath} from a backup`);
        expect(message).toContain("BANKREC_SECRET_KEY");
        expect(message).not.toContain(keyText.trim());
      }
      expect(existsSync(keyPath)).toBe(false);
      await lost.close();

      const fromEnv = await openStore({ url, env: { BANKREC_SECRET_KEY: keyText } });
      expect((await accessTokenOf(fromEnv, "item-2")).reveal()).toBe("access-2");
      await fromEnv.close();
      expect(existsSync(keyPath)).toBe(false);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

describe.each(cases)("the store on $dialect", (storeCase) => {
  afterAll(() => storeCase.cleanup());

  it.skipIf(!storeCase.available)("migrates once and opens again without migrating twice", async () => {
    const url = storeCase.freshUrl();
    const first = await storeCase.open({ url });
    await first.close();
    const again = await storeCase.open({ url });
    const rows = await sql<{ name: string }>`select name from kysely_migration`.execute(again.db);
    expect(rows.rows.map((row) => row.name)).toEqual(["0001-initial", "0002-categories", "0003-workflow"]);
    await again.close();
  });

  it.skipIf(!storeCase.available)(
    "refuses a database migrated by a newer bankrec, naming the migration",
    async () => {
      const url = storeCase.freshUrl();
      const store = await storeCase.open({ url });
      await sql`insert into kysely_migration (name, timestamp) values ('0099-from-the-future', '2030-01-01')`.execute(
        store.db,
      );
      await store.close();
      await expect(storeCase.open({ url })).rejects.toThrow(/newer bankrec.*0099-from-the-future/);
    },
  );

  it.skipIf(!storeCase.available)("keeps tenants apart", async () => {
    const url = storeCase.freshUrl();
    const acme = await storeCase.open({ url });
    await saveItem(acme, {
      id: "item-acme",
      accessToken: new Secret("access-sandbox-acme"),
      institutionId: null,
    });
    const other = await openStore({ url, keyring: acme.keyring, tenantId: "globex" });
    expect(await listItems(other)).toEqual([]);
    await expect(getItem(other, "item-acme")).rejects.toThrow(/no item "item-acme"/);
    await expect(accessTokenOf(other, "item-acme")).rejects.toThrow(/no item/);
    expect((await listItems(acme)).map((item) => item.id)).toEqual(["item-acme"]);
    await other.close();
    await acme.close();
  });

  it.skipIf(!storeCase.available)("never stores or lists an access token in the clear", async () => {
    const token = "access-sandbox-7f3c9a1e-5b2d-4c8e-9f10-abcdef123456";
    const url = storeCase.freshUrl();
    const store = await storeCase.open({ url });
    await saveItem(store, { id: "item-1", accessToken: new Secret(token), institutionId: "ins_109508" });
    const listed = JSON.stringify(await listItems(store));
    expect(listed).not.toContain(token);
    expect(listed).not.toContain("access_token");
    expect((await accessTokenOf(store, "item-1")).reveal()).toBe(token);
    const sealed = await store.db.selectFrom("items").select("access_token_sealed").executeTakeFirstOrThrow();
    expect(sealed.access_token_sealed).toMatch(/^v1\./);
    expect(sealed.access_token_sealed).not.toContain(token.slice(15, 30));
    const location = store.location;
    await store.close();
    if (location.dialect === "sqlite") {
      // Every byte on disk: the database and its WAL, where a recent write sits before checkpoint.
      const folder = dirname(location.path);
      for (const name of readdirSync(folder).filter((file) =>
        file.startsWith(location.path.split("/").at(-1) ?? ""),
      ))
        expect(readFileSync(`${folder}/${name}`).includes(Buffer.from(token.slice(15, 30)))).toBe(false);
    } else {
      const client = new pg.Client({ connectionString: POSTGRES_URL });
      await client.connect();
      try {
        const dump = await client.query(`select row_to_json(i)::text as row from ${location.schema}.items i`);
        expect(dump.rows.length).toBe(1);
        for (const row of dump.rows) expect(String(row.row)).not.toContain(token.slice(15, 30));
      } finally {
        await client.end();
      }
    }
  });

  it.skipIf(!storeCase.available)("round-trips money beyond 32 bits as exact integers", async () => {
    const store = await storeCase.open();
    const big = 9_007_199_254_740_991; // 2^53 - 1 minor units
    await store.db
      .insertInto("expected_entries")
      .values({
        id: "e1",
        tenant_id: store.tenantId,
        date: "2026-06-01",
        amount_minor: -big,
        currency: "USD",
        description: "x",
        counterparty: null,
        reference: null,
        account_id: null,
        amount_min_minor: null,
        amount_max_minor: null,
        date_from: null,
        date_to: null,
        created_at: store.now(),
      })
      .execute();
    const row = await store.db
      .selectFrom("expected_entries")
      .select("amount_minor")
      .executeTakeFirstOrThrow();
    expect(row.amount_minor).toBe(-big);
    const sum = await store.db
      .selectFrom("expected_entries")
      .select((eb) => eb.fn.sum<number>("amount_minor").as("total"))
      .executeTakeFirstOrThrow();
    expect(Number(sum.total)).toBe(-big);
    await store.close();
  });
});
