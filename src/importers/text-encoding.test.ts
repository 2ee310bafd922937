import { describe, expect, it } from "vitest";
import { ImportError } from "../errors/index.js";
import { decodeBytes, encodingNamed } from "./text-encoding.js";

describe("decodeBytes", () => {
  it("detects UTF-8 with and without a BOM, UTF-16 with and without one, and falls back to Windows-1252", () => {
    const text = "Crème € “quoted” — Š";
    const cp1252 = Buffer.from([
      0x43, 0x72, 0xe8, 0x6d, 0x65, 0x20, 0x80, 0x20, 0x93, 0x71, 0x75, 0x6f, 0x74, 0x65, 0x64, 0x94, 0x20,
      0x97, 0x20, 0x8a,
    ]);
    const cases: [Buffer, string][] = [
      [Buffer.from(text), "utf-8"],
      [Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]), "utf-8"],
      [Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]), "utf-16le"],
      [Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, "utf16le").swap16()]), "utf-16be"],
      [Buffer.from(`Date,Amount ${text}`, "utf16le"), "utf-16le"],
      [cp1252, "windows-1252"],
    ];
    for (const [bytes, encoding] of cases) {
      const decoded = decodeBytes(bytes, "f");
      expect(decoded.encoding).toBe(encoding);
      expect(decoded.text.endsWith(text)).toBe(true);
    }
  });

  it("uses a declared single-byte charset for bytes that are not UTF-8, and the stated encoding over all", () => {
    const latin9 = Buffer.concat([
      Buffer.from("OFXHEADER:100\nCHARSET:ISO-8859-15\n\n"),
      Buffer.from([0xa4]),
    ]);
    expect(decodeBytes(latin9, "f")).toMatchObject({ encoding: "iso-8859-15" });
    expect(decodeBytes(latin9, "f").text.endsWith("€")).toBe(true);
    expect(decodeBytes(Buffer.from([0xa4]), "f", "iso-8859-15").text).toBe("€");
    expect(decodeBytes(Buffer.from("é"), "f", "windows-1252").text).toBe("Ã©");
  });

  it("rejects bytes that are not the UTF-8 a person stated", () => {
    expect(() => decodeBytes(Buffer.from([0xe9]), "f.csv", "utf-8")).toThrow(ImportError);
    expect(() => decodeBytes(Buffer.from([0xe9]), "f.csv", "utf-8")).toThrow(
      "f.csv: is not valid utf-8 (try --encoding windows-1252)",
    );
  });

  it("knows the names people and headers use", () => {
    expect([
      encodingNamed("1252"),
      encodingNamed("CP1252"),
      encodingNamed("UTF8"),
      encodingNamed("USASCII"),
      encodingNamed("klingon"),
    ]).toEqual(["windows-1252", "windows-1252", "utf-8", "utf-8", undefined]);
  });
});
