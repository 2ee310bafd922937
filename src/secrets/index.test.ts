import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { Secret, toSecret } from "./index.js";

const value = "s3cr3t-value-0123456789";

describe("Secret", () => {
  it("prints [Secret] through every conversion to text", () => {
    const secret = new Secret(value);
    const texts = [
      String(secret),
      `${secret}`,
      JSON.stringify({ nested: { secret } }),
      inspect(secret),
      inspect({ deep: [{ secret }] }, { depth: 10, showHidden: true }),
      Object.prototype.toString.call(secret),
    ];
    for (const text of texts) expect(text).not.toContain(value);
    expect(JSON.stringify({ secret })).toBe('{"secret":"[Secret]"}');
  });

  it("hands the value out only through reveal", () => {
    expect(new Secret(value).reveal()).toBe(value);
  });

  it("compares by value and wraps strings once", () => {
    const secret = toSecret(value);
    expect(toSecret(secret)).toBe(secret);
    expect(secret.equals(new Secret(value))).toBe(true);
    expect(secret.equals(new Secret("other"))).toBe(false);
  });
});
