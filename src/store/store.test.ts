import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
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

describe.each(cases)("the store on $dialect", (storeCase) => {
  afterAll(() => storeCase.cleanup());

  it.skipIf(!storeCase.available)("migrates once and opens again without migrating twice", async () => {
    const url = storeCase.freshUrl();
    const first = await storeCase.open({ url });
    await first.close();
    const again = await storeCase.open({ url });
    const rows = await sql<{ name: string }>`select name from kysely_migration`.execute(again.db);
    expect(rows.rows.map((row) => row.name)).toEqual(["0001-initial", "0002-categories"]);
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
