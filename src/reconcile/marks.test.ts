import { describe, expect, it } from "vitest";
import { Marks } from "./marks.js";

describe("Marks", () => {
  it("holds what was marked since the last clear, and nothing else", () => {
    const marks = new Marks(8);
    expect(marks.has(0)).toBe(false);
    marks.mark(3);
    marks.mark(7);
    expect([0, 1, 2, 3, 4, 5, 6, 7].filter((i) => marks.has(i))).toEqual([3, 7]);
    marks.clear();
    expect(marks.has(3)).toBe(false);
    marks.mark(1);
    expect([0, 1, 2, 3, 4, 5, 6, 7].filter((i) => marks.has(i))).toEqual([1]);
  });

  it("stays empty after a clear when its generations wrap around", () => {
    const marks = new Marks(4);
    marks.mark(2);
    (marks as unknown as { generation: number }).generation = 0xffffffff;
    marks.mark(1);
    marks.clear();
    expect([0, 1, 2, 3].filter((i) => marks.has(i))).toEqual([]);
  });
});
