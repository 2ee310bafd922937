import { describe, expect, it } from "vitest";
import { BadRowsError, escapeControls, excerpt, ImportError, type InputProblem } from "./index.js";

describe("escapeControls", () => {
  it("writes out what a terminal would act on and keeps printable text as it is", () => {
    expect(escapeControls("red \u001b[31mALERT\u001b[0m\r\u0007")).toBe(
      "red \\x1b[31mALERT\\x1b[0m\\x0d\\x07",
    );
    expect(escapeControls("a\u0000b\u007fc\u009bd")).toBe("a\\x00b\\x7fc\\x9bd");
    expect(escapeControls("safe\u202etxt.exe \u2028")).toBe("safe\\u202etxt.exe \\u2028");
    expect(escapeControls("lone \ud800 half")).toBe("lone \\ud800 half");
    expect(escapeControls("Café ☕ 😀 Müller, tab\there")).toBe("Café ☕ 😀 Müller, tab\\x09here");
  });
});

describe("excerpt", () => {
  it("quotes short values whole and cuts long ones to the bound with an ellipsis", () => {
    expect(excerpt("12,3x")).toBe("12,3x");
    expect(excerpt("x".repeat(40))).toBe("x".repeat(40));
    expect(excerpt("x".repeat(41))).toBe(`${"x".repeat(39)}…`);
    expect(excerpt("abcdef", 4)).toBe("abc…");
  });

  it("is short however large the value, and escaped", () => {
    const quoted = excerpt("\u0000".repeat(200_000_000 / 1000));
    expect(quoted).toBe(`${"\\x00".repeat(39)}…`);
    expect(quoted.length).toBeLessThan(200);
  });

  it("never cuts a character in half", () => {
    expect(excerpt(`abc😀def`, 5)).toBe("abc…");
  });
});

describe("BadRowsError", () => {
  const problem = (line: number, text: string): InputProblem => ({
    file: "expected.csv",
    line,
    field: "amount",
    message: `expected.csv:${line}: ${text}`,
  });

  it("reads as its one problem when there is one, with that problem's location", () => {
    const error = new BadRowsError("expected.csv", [problem(17, 'amount "12,3x" is not a number')]);
    expect(error).toBeInstanceOf(ImportError);
    expect(error.message).toBe('expected.csv:17: amount "12,3x" is not a number');
    expect([error.file, error.line, error.field, error.badRowCount]).toEqual([
      "expected.csv",
      17,
      "amount",
      1,
    ]);
  });

  it("counts several and quotes the first", () => {
    const problems = [problem(3, 'amount "x" is not a number'), problem(5, 'amount "y" is not a number')];
    const error = new BadRowsError("expected.csv", [...problems, problem(9, "id: expected a value")]);
    expect(error.message).toBe(
      'expected.csv: 3 rows are bad; first: expected.csv:3: amount "x" is not a number',
    );
    expect(error.line).toBeUndefined();
    expect(error.problems.map((p) => p.line)).toEqual([3, 5, 9]);
  });

  it("says when it lists only the first of many", () => {
    const problems = Array.from({ length: 50 }, (_, i) => problem(i + 2, "id: expected a value"));
    const error = new BadRowsError("expected.csv", problems, 1234);
    expect(error.message).toBe(
      "expected.csv: 1,234 rows are bad (the first 50 are listed); first: expected.csv:2: id: expected a value",
    );
  });
});
