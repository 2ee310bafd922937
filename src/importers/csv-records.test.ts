import { describe, expect, it } from "vitest";
import { ImportError } from "../errors/index.js";
import { parseCsv } from "./csv-records.js";

function records(text: string, delimiter = ","): [string[], number][] {
  const out: [string[], number][] = [];
  parseCsv(text, "t.csv", (fields, line) => out.push([fields, line]), delimiter);
  return out;
}

describe("parseCsv", () => {
  it("splits plain records on LF and reports each record's line", () => {
    expect(records("a,b\nc,d\n")).toEqual([
      [["a", "b"], 1],
      [["c", "d"], 2],
    ]);
  });

  it("accepts CRLF and a missing final line break", () => {
    expect(records("a,b\r\nc,d")).toEqual([
      [["a", "b"], 1],
      [["c", "d"], 2],
    ]);
  });

  it("accepts old Mac CR line breaks when the text has no LF", () => {
    expect(records("a\rb\r")).toEqual([
      [["a"], 1],
      [["b"], 2],
    ]);
  });

  it("skips a UTF-8 byte order mark", () => {
    expect(records("\ufeffid,x\n1,2\n")[0]?.[0]).toEqual(["id", "x"]);
  });

  it("reads quoted delimiters, doubled quotes and empty quoted fields", () => {
    expect(records('"a,b","say ""hi""",""\n')).toEqual([[["a,b", 'say "hi"', ""], 1]]);
  });

  it("keeps line breaks inside quotes and counts them toward later line numbers", () => {
    expect(records('x,"one\ntwo\r\nthree"\r\ny,z\n')).toEqual([
      [["x", "one\ntwo\r\nthree"], 1],
      [["y", "z"], 4],
    ]);
  });

  it("keeps empty fields, including a trailing one", () => {
    expect(records(",a,,\n,")).toEqual([
      [["", "a", "", ""], 1],
      [["", ""], 2],
    ]);
  });

  it("skips blank lines but still counts them", () => {
    expect(records("a\n\n\r\nb\n")).toEqual([
      [["a"], 1],
      [["b"], 4],
    ]);
  });

  it("keeps a quote that sits inside an unquoted field", () => {
    expect(records('5" pipe,x\n')).toEqual([[['5" pipe', "x"], 1]]);
  });

  it("uses another delimiter when asked", () => {
    expect(records('a;"b;c";1,5\n', ";")).toEqual([[["a", "b;c", "1,5"], 1]]);
  });

  it("rejects a quoted field that is never closed, naming the line it opens on", () => {
    expect(() => records('a\nb,"open\n\n')).toThrow(
      new ImportError({ file: "t.csv", line: 2 }, "quoted field is never closed"),
    );
  });

  it("rejects text after a closing quote", () => {
    expect(() => records('a\n"b"c,d\n')).toThrow("t.csv:2: unexpected character after a closing quote");
  });

  it("stops at a record longer than the bound, naming its first line, before cutting it into fields", () => {
    const fields: string[][] = [];
    const visit = (f: string[]) => fields.push(f);
    expect(() => parseCsv(`a,b\n${"x,".repeat(20)}\nc,d\n`, "t.csv", visit, ",", 30)).toThrow(
      new ImportError({ file: "t.csv", line: 2 }, "line is longer than 30 characters"),
    );
    expect(fields).toEqual([["a", "b"]]);
    expect(() => parseCsv(`a,"${"q\n".repeat(20)}"\n`, "t.csv", visit, ",", 30)).toThrow(
      "t.csv:1: row is longer than 30 characters",
    );
    expect(() => parseCsv(`a,"never closed ${"q".repeat(40)}`, "t.csv", visit, ",", 30)).toThrow(
      "t.csv:1: row is longer than 30 characters",
    );
    expect(records(`${"y".repeat(29)}\n`)).toEqual([[["y".repeat(29)], 1]]);
  });
});
