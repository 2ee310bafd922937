import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inspect } from "node:util";
import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ConfigError, InputError } from "../errors/index.js";
import { Secret } from "../secrets/index.js";
import {
  deletePreviousKeyFile,
  installNewKeyFile,
  makePrivateDirectory,
  resolveKeySource,
} from "./key-source.js";
import { createKeyring, EncryptionKey, type Keyring } from "./keyring.js";

const TOKEN = "access-sandbox-4f1c9d2e-7b3a-4c5d-9e8f-0a1b2c3d4e5f";
const ITEM = "item-42";
const HEX_TEXT = "0123456789abcdef".repeat(4);
const posix = process.platform !== "win32";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "bankrec-keyring-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Runs `action`, expects a ConfigError, and returns its message with its cause chain. */
function configErrorOf(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    const cause = (error as Error).cause;
    return `${(error as Error).message} ${cause instanceof Error ? cause.message : ""}`;
  }
  throw new Error("expected a ConfigError, nothing was thrown");
}

function expectNoKeyMaterial(text: string, keys: readonly EncryptionKey[]): void {
  for (const key of keys) {
    expect(text).not.toContain(key.toText());
    expect(text).not.toContain(Buffer.from(key.toText(), "base64url").toString("hex"));
    expect(text).not.toContain(Buffer.from(key.toText(), "base64url").toString("base64"));
  }
}

function modeOf(path: string): number {
  return statSync(path).mode & 0o777;
}

describe("EncryptionKey", () => {
  it("reads hex, base64 and base64url of the same bytes to the same key id", () => {
    const bytes = Buffer.from(HEX_TEXT, "hex");
    const texts = [HEX_TEXT, HEX_TEXT.toUpperCase(), bytes.toString("base64"), bytes.toString("base64url")];
    const ids = texts.map((text) => EncryptionKey.fromText(` ${text}\n`, "test").keyId);
    expect(new Set(ids).size).toBe(1);
    expect(ids[0]).toMatch(/^[0-9a-f]{12}$/);
    expect(EncryptionKey.fromText(HEX_TEXT, "test").toText()).toBe(bytes.toString("base64url"));
  });

  it("names the key by the first 12 hex characters of sha256 over the prefix and the key bytes", async () => {
    const { createHash } = await import("node:crypto");
    const bytes = Buffer.from(HEX_TEXT, "hex");
    const expected = createHash("sha256").update("bankrec-key-id:").update(bytes).digest("hex").slice(0, 12);
    expect(EncryptionKey.fromText(HEX_TEXT, "test").keyId).toBe(expected);
  });

  it("rejects text that is not 32 bytes, naming where it came from and never the value", () => {
    const bad = [
      "",
      "not-a-key",
      HEX_TEXT.slice(2),
      `${HEX_TEXT}00`,
      Buffer.alloc(31, 7).toString("base64"),
      Buffer.alloc(33, 7).toString("base64url"),
      // Spare bits set in the last character: decodes to 32 bytes, but is not what was generated.
      `${Buffer.alloc(32, 7).toString("base64url").slice(0, 42)}B`,
    ];
    for (const text of bad) {
      const message = configErrorOf(() => EncryptionKey.fromText(text, "BANKREC_SECRET_KEY"));
      expect(message).toContain("BANKREC_SECRET_KEY");
      if (text.length > 0) expect(message).not.toContain(text);
    }
  });

  it("prints only its key id through every conversion to text", () => {
    const key = EncryptionKey.generate();
    const shown = `[EncryptionKey ${key.keyId}]`;
    expect(String(key)).toBe(shown);
    expect(`${key}`).toBe(shown);
    expect(JSON.stringify({ key })).toBe(JSON.stringify({ key: shown }));
    expect(inspect(key)).toBe(shown);
    const texts = [
      inspect({ deep: [key] }, { depth: 10, showHidden: true }),
      Object.prototype.toString.call(key),
    ];
    for (const text of texts) expectNoKeyMaterial(text, [key]);
  });

  it("generates distinct keys", () => {
    const a = EncryptionKey.generate();
    const b = EncryptionKey.generate();
    expect(a.keyId).not.toBe(b.keyId);
    expect(a.equals(b)).toBe(false);
    expect(a.equals(EncryptionKey.fromText(a.toText(), "test"))).toBe(true);
  });
});

describe("Keyring seal and open", () => {
  it("opens what it sealed, in the documented format", () => {
    const key = EncryptionKey.generate();
    const ring = createKeyring(key);
    const sealed = ring.seal(new Secret(TOKEN), ITEM);
    const fields = sealed.split(".");
    expect(fields).toHaveLength(5);
    expect(fields[0]).toBe("v1");
    expect(fields[1]).toBe(key.keyId);
    expect(Buffer.from(fields[2]!, "base64url")).toHaveLength(12);
    expect(Buffer.from(fields[4]!, "base64url")).toHaveLength(16);
    expect(sealed).not.toContain(TOKEN);
    expect(ring.open(sealed, ITEM).reveal()).toBe(TOKEN);
    expect(ring.needsReseal(sealed)).toBe(false);
  });

  it("uses a fresh IV for every seal of the same token", () => {
    const ring = createKeyring(EncryptionKey.generate());
    const sealed = Array.from({ length: 50 }, () => ring.seal(new Secret(TOKEN), ITEM));
    expect(new Set(sealed.map((text) => text.split(".")[2])).size).toBe(50);
    expect(new Set(sealed).size).toBe(50);
  });

  it("fails with a ConfigError, leaking nothing, when any single character is changed", () => {
    const key = EncryptionKey.generate();
    const ring = createKeyring(key);
    const sealed = ring.seal(new Secret(TOKEN), ITEM);
    for (let index = 0; index < sealed.length; index += 1) {
      for (const replacement of ["A", "f", "-", "."]) {
        if (sealed[index] === replacement) continue;
        const tampered = sealed.slice(0, index) + replacement + sealed.slice(index + 1);
        const message = configErrorOf(() => ring.open(tampered, ITEM));
        expect(message).not.toContain(TOKEN);
        expectNoKeyMaterial(message, [key]);
      }
    }
  });

  it("rejects a token moved to another item, naming the failure and not the token", () => {
    const ring = createKeyring(EncryptionKey.generate());
    const sealed = ring.seal(new Secret(TOKEN), ITEM);
    const message = configErrorOf(() => ring.open(sealed, "item-43"));
    expect(message).toMatch(/access token .* could not be decrypted \(wrong key or tampered\)/);
    expect(message).not.toContain(TOKEN);
  });

  it("rejects a tag or IV swapped in from another sealing of the same token", () => {
    const ring = createKeyring(EncryptionKey.generate());
    const a = ring.seal(new Secret(TOKEN), ITEM).split(".");
    const b = ring.seal(new Secret(TOKEN), ITEM).split(".");
    const swapTag = [...a.slice(0, 4), b[4]].join(".");
    const swapIv = [a[0], a[1], b[2], a[3], a[4]].join(".");
    expect(configErrorOf(() => ring.open(swapTag, ITEM))).toContain("could not be decrypted");
    expect(configErrorOf(() => ring.open(swapIv, ITEM))).toContain("could not be decrypted");
  });

  it("names the unknown key id when the token was sealed under a key the ring lacks", () => {
    const stranger = EncryptionKey.generate();
    const sealed = createKeyring(stranger).seal(new Secret(TOKEN), ITEM);
    const mine = EncryptionKey.generate();
    const message = configErrorOf(() => createKeyring(mine).open(sealed, ITEM));
    expect(message).toContain(stranger.keyId);
    expect(message).not.toContain(TOKEN);
    expectNoKeyMaterial(message, [stranger, mine]);
  });

  it("fails authentication when the key id is relabelled to another key of the ring", () => {
    const current = EncryptionKey.generate();
    const previous = EncryptionKey.generate();
    const ring = createKeyring(current, [previous]);
    const sealed = ring.seal(new Secret(TOKEN), ITEM);
    const relabelled = sealed.replace(current.keyId, previous.keyId);
    expect(configErrorOf(() => ring.open(relabelled, ITEM))).toContain("wrong key or tampered");
  });

  it("opens old tokens with previous keys and reports that they need resealing", () => {
    const old = EncryptionKey.generate();
    const sealedOld = createKeyring(old).seal(new Secret(TOKEN), ITEM);
    const ring = createKeyring(EncryptionKey.generate(), [old]);
    expect(ring.open(sealedOld, ITEM).reveal()).toBe(TOKEN);
    expect(ring.needsReseal(sealedOld)).toBe(true);
    const resealed = ring.seal(ring.open(sealedOld, ITEM), ITEM);
    expect(ring.needsReseal(resealed)).toBe(false);
    expect(ring.open(resealed, ITEM).reveal()).toBe(TOKEN);
  });

  it("rejects malformed text in needsReseal as in open", () => {
    const ring = createKeyring(EncryptionKey.generate());
    for (const text of ["", "v1", `v2.${ring.current.keyId}.a.b.c`, "v1.xyz.a.b.c", "x".repeat(200_000)]) {
      configErrorOf(() => ring.needsReseal(text));
      configErrorOf(() => ring.open(text, ITEM));
    }
  });

  it("keeps one copy of a key given twice", () => {
    const key = EncryptionKey.generate();
    const ring = createKeyring(key, [key, EncryptionKey.fromText(key.toText(), "test")]);
    expect(ring.previous).toHaveLength(0);
  });

  it("rejects a context or secret that is not well-formed Unicode", () => {
    const ring = createKeyring(EncryptionKey.generate());
    expect(() => ring.seal(new Secret(TOKEN), "item-\uD800")).toThrow(InputError);
    expect(() => ring.seal(new Secret("tok\uDC00"), ITEM)).toThrow(InputError);
  });

  it("prints no key through any conversion of the keyring or a source", () => {
    const current = EncryptionKey.generate();
    const previous = EncryptionKey.generate();
    const ring = createKeyring(current, [previous]);
    const texts = [
      String(ring),
      `${ring}`,
      JSON.stringify({ ring }),
      inspect(ring, { depth: 10, showHidden: true }),
      inspect({ nested: { ring, current } }, { depth: 10, showHidden: true }),
      JSON.stringify(
        resolveKeySource({
          env: { BANKREC_SECRET_KEY: current.toText() },
          keyFilePath: null,
          allowCreate: false,
        }),
      ),
    ];
    for (const text of texts) expectNoKeyMaterial(text, [current, previous]);
    expect(String(ring)).toContain(current.keyId);
    expect(String(ring)).toContain(previous.keyId);
  });

  it("round-trips arbitrary strings under arbitrary contexts, and not under another context", () => {
    const ring = createKeyring(EncryptionKey.generate(), [EncryptionKey.generate()]);
    fc.assert(
      fc.property(
        fc.string({ unit: "binary", maxLength: 300 }),
        fc.string({ unit: "binary", maxLength: 60 }),
        fc.string({ unit: "binary", maxLength: 60 }),
        (plain, context, other) => {
          const sealed = ring.seal(new Secret(plain), context);
          expect(ring.open(sealed, context).reveal()).toBe(plain);
          if (other !== context) expect(() => ring.open(sealed, other)).toThrow(ConfigError);
        },
      ),
      { numRuns: 300 },
    );
  });
});

function keyFile(name = "bankrec.key"): string {
  return join(dir, name);
}

describe("resolveKeySource", () => {
  it("creates a 0600 key file in a missing directory and reads the same key back", () => {
    const path = join(dir, "nested", "data", "bankrec.key");
    const created = resolveKeySource({ env: {}, keyFilePath: path, allowCreate: true });
    expect(created.source).toBe("created");
    expect(created.keyFilePath).toBe(path);
    if (posix) expect(modeOf(path)).toBe(0o600);
    const sealed = created.keyring.seal(new Secret(TOKEN), ITEM);
    const again = resolveKeySource({ env: {}, keyFilePath: path, allowCreate: true });
    expect(again.source).toBe("file");
    expect(again.keyring.current.keyId).toBe(created.keyring.current.keyId);
    expect(again.keyring.open(sealed, ITEM).reveal()).toBe(TOKEN);
    expect(readFileSync(path, "utf8").trim()).toBe(created.keyring.current.toText());
  });

  it.runIf(posix)("refuses a key file that group or others can read, telling the user to chmod 600", () => {
    const path = keyFile();
    const key = EncryptionKey.generate();
    writeFileSync(path, key.toText());
    chmodSync(path, 0o644);
    const message = configErrorOf(() => resolveKeySource({ env: {}, keyFilePath: path, allowCreate: true }));
    expect(message).toContain(`chmod 600 ${path}`);
    expectNoKeyMaterial(message, [key]);
    chmodSync(path, 0o600);
    expect(resolveKeySource({ env: {}, keyFilePath: path, allowCreate: false }).keyring.current.keyId).toBe(
      key.keyId,
    );
  });

  it("prefers BANKREC_SECRET_KEY over an existing key file and adds previous keys from the env", () => {
    const path = keyFile();
    const fileKey = EncryptionKey.generate();
    writeFileSync(path, fileKey.toText(), { mode: 0o600 });
    const envKey = EncryptionKey.generate();
    const old1 = EncryptionKey.generate();
    const old2 = EncryptionKey.generate();
    const env = {
      BANKREC_SECRET_KEY: Buffer.from(envKey.toText(), "base64url").toString("hex"),
      BANKREC_SECRET_KEY_PREVIOUS: ` ${old1.toText()} ,,${old2.toText()}`,
    };
    const source = resolveKeySource({ env, keyFilePath: path, allowCreate: true });
    expect(source.source).toBe("env");
    expect(source.keyFilePath).toBeNull();
    expect(source.keyring.current.keyId).toBe(envKey.keyId);
    expect(source.keyring.previous.map((key) => key.keyId)).toEqual([old1.keyId, old2.keyId]);
    const sealedOld = createKeyring(old2).seal(new Secret(TOKEN), ITEM);
    expect(source.keyring.open(sealedOld, ITEM).reveal()).toBe(TOKEN);
  });

  it("names BANKREC_SECRET_KEY and not its value when the env text is not a key", () => {
    const value = "hunter2-is-not-a-key-0123456789";
    const message = configErrorOf(() =>
      resolveKeySource({ env: { BANKREC_SECRET_KEY: value }, keyFilePath: keyFile(), allowCreate: true }),
    );
    expect(message).toContain("BANKREC_SECRET_KEY");
    expect(message).not.toContain(value);
    expect(existsSync(keyFile())).toBe(false);
  });

  it("names the entry of BANKREC_SECRET_KEY_PREVIOUS that is not a key", () => {
    const env = {
      BANKREC_SECRET_KEY: EncryptionKey.generate().toText(),
      BANKREC_SECRET_KEY_PREVIOUS: `${EncryptionKey.generate().toText()},oops-secret`,
    };
    const message = configErrorOf(() => resolveKeySource({ env, keyFilePath: null, allowCreate: false }));
    expect(message).toContain("BANKREC_SECRET_KEY_PREVIOUS (entry 2)");
    expect(message).not.toContain("oops-secret");
  });

  it("asks for BANKREC_SECRET_KEY when there is no key and creating one is not allowed", () => {
    for (const keyFilePath of [keyFile(), null]) {
      const message = configErrorOf(() => resolveKeySource({ env: {}, keyFilePath, allowCreate: false }));
      expect(message).toContain("set BANKREC_SECRET_KEY");
    }
    expect(existsSync(keyFile())).toBe(false);
    expect(
      configErrorOf(() => resolveKeySource({ env: {}, keyFilePath: null, allowCreate: true })),
    ).toContain("BANKREC_SECRET_KEY");
  });

  it("adds the keys of the .previous file, one a line", () => {
    const path = keyFile();
    const old = EncryptionKey.generate();
    const older = EncryptionKey.generate();
    writeFileSync(path, EncryptionKey.generate().toText(), { mode: 0o600 });
    writeFileSync(`${path}.previous`, `${older.toText()}\n\n${old.toText()}\n`, { mode: 0o600 });
    const { keyring } = resolveKeySource({ env: {}, keyFilePath: path, allowCreate: false });
    expect(keyring.previous.map((key) => key.keyId)).toEqual([older.keyId, old.keyId]);
  });

  it("names the key file, not its text, when the file holds no key", () => {
    const path = keyFile();
    writeFileSync(path, "secret-looking-garbage", { mode: 0o600 });
    const message = configErrorOf(() => resolveKeySource({ env: {}, keyFilePath: path, allowCreate: true }));
    expect(message).toContain(path);
    expect(message).not.toContain("secret-looking-garbage");
  });
});

describe("resolveKeySource when the key file is missing and tokens are sealed", () => {
  it("refuses to make a new key, naming the lost key and how to restore it", () => {
    const path = keyFile();
    let asked = 0;
    const sealedTokens = () => {
      asked++;
      return [{ keyId: "3f9a0c1b2d4e", tokens: 2 }];
    };
    const message = configErrorOf(() =>
      resolveKeySource({ env: {}, keyFilePath: path, allowCreate: true, sealedTokens }),
    );
    expect(message).toContain(`the key file ${path} is missing`);
    expect(message).toContain("2 access tokens sealed under key 3f9a0c1b2d4e");
    expect(message).toContain(`Restore ${path} from a backup`);
    expect(message).toContain("BANKREC_SECRET_KEY");
    expect(existsSync(path)).toBe(false);
    expect(asked).toBe(1);
  });

  it("asks about sealed tokens only when it would create a key", () => {
    const path = keyFile();
    const refuse = () => {
      throw new Error("sealedTokens must not be asked");
    };
    const key = EncryptionKey.generate();
    writeFileSync(path, key.toText(), { mode: 0o600 });
    expect(
      resolveKeySource({ env: {}, keyFilePath: path, allowCreate: true, sealedTokens: refuse }).keyring
        .current.keyId,
    ).toBe(key.keyId);
    const env = { BANKREC_SECRET_KEY: EncryptionKey.generate().toText() };
    expect(resolveKeySource({ env, keyFilePath: null, allowCreate: true, sealedTokens: refuse }).source).toBe(
      "env",
    );
  });

  it("makes a key when no token is sealed, or every one opens with a previous key", () => {
    const old = EncryptionKey.generate();
    writeFileSync(`${keyFile()}.previous`, `${old.toText()}\n`, { mode: 0o600 });
    const created = resolveKeySource({
      env: {},
      keyFilePath: keyFile(),
      allowCreate: true,
      sealedTokens: () => [{ keyId: old.keyId, tokens: 3 }],
    });
    expect(created.source).toBe("created");
    expect(created.keyring.previous.map((key) => key.keyId)).toEqual([old.keyId]);
    const empty = resolveKeySource({
      env: {},
      keyFilePath: keyFile("other.key"),
      allowCreate: true,
      sealedTokens: () => [],
    });
    expect(empty.source).toBe("created");
  });
});

describe("private files and folders", () => {
  it("deletes the .previous file and says whether there was one", () => {
    const path = keyFile();
    const first = resolveKeySource({ env: {}, keyFilePath: path, allowCreate: true }).keyring;
    installNewKeyFile(path, EncryptionKey.generate(), [first.current]);
    expect(existsSync(`${path}.previous`)).toBe(true);
    expect(deletePreviousKeyFile(path)).toBe(true);
    expect(existsSync(`${path}.previous`)).toBe(false);
    expect(existsSync(path)).toBe(true);
    expect(deletePreviousKeyFile(path)).toBe(false);
  });

  it.runIf(posix)("creates missing folders 0700 whatever the umask, and leaves existing ones alone", () => {
    chmodSync(dir, 0o755);
    const saved = process.umask(0);
    try {
      makePrivateDirectory(join(dir, "a", "b"));
      makePrivateDirectory(dir);
    } finally {
      process.umask(saved);
    }
    expect(modeOf(join(dir, "a"))).toBe(0o700);
    expect(modeOf(join(dir, "a", "b"))).toBe(0o700);
    expect(modeOf(dir)).toBe(0o755);
  });
});

describe("installNewKeyFile", () => {
  function rotate(path: string, ring: Keyring): Keyring {
    return installNewKeyFile(path, EncryptionKey.generate(), [ring.current, ...ring.previous]);
  }

  it("leaves both files 0600 and a keyring that opens old and new tokens", () => {
    const path = keyFile();
    const first = resolveKeySource({ env: {}, keyFilePath: path, allowCreate: true }).keyring;
    const sealedFirst = first.seal(new Secret("first-token"), ITEM);
    const second = rotate(path, first);
    if (posix) {
      expect(modeOf(path)).toBe(0o600);
      expect(modeOf(`${path}.previous`)).toBe(0o600);
    }
    const sealedSecond = second.seal(new Secret("second-token"), ITEM);
    expect(second.open(sealedFirst, ITEM).reveal()).toBe("first-token");
    expect(second.needsReseal(sealedFirst)).toBe(true);
    expect(second.needsReseal(sealedSecond)).toBe(false);

    const reread = resolveKeySource({ env: {}, keyFilePath: path, allowCreate: false });
    expect(reread.source).toBe("file");
    expect(reread.keyring.current.keyId).toBe(second.current.keyId);
    expect(reread.keyring.open(sealedFirst, ITEM).reveal()).toBe("first-token");
    expect(reread.keyring.open(sealedSecond, ITEM).reveal()).toBe("second-token");
  });

  it("appends to the .previous file across rotations without repeating a key", () => {
    const path = keyFile();
    const first = resolveKeySource({ env: {}, keyFilePath: path, allowCreate: true }).keyring;
    const sealedFirst = first.seal(new Secret(TOKEN), ITEM);
    const second = rotate(path, first);
    const third = rotate(path, second);
    const lines = readFileSync(`${path}.previous`, "utf8").trim().split("\n");
    expect(lines).toEqual([first.current.toText(), second.current.toText()]);
    expect(third.previous.map((key) => key.keyId)).toEqual([first.current.keyId, second.current.keyId]);
    const reread = resolveKeySource({ env: {}, keyFilePath: path, allowCreate: false }).keyring;
    expect(reread.open(sealedFirst, ITEM).reveal()).toBe(TOKEN);
    expect(readFileSync(path, "utf8")).not.toContain(first.current.toText());
  });

  it("leaves no temporary files behind", async () => {
    const { readdirSync } = await import("node:fs");
    const path = keyFile();
    rotate(path, resolveKeySource({ env: {}, keyFilePath: path, allowCreate: true }).keyring);
    expect(readdirSync(dir).sort()).toEqual(["bankrec.key", "bankrec.key.previous"]);
  });
});
