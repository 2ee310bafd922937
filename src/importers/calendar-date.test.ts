import { describe, expect, it } from "vitest";
import { toIsoDate } from "./calendar-date.js";

describe("toIsoDate", () => {
  it.each([
    ["2025-03-31", "2025-03-31"],
    ["03/31/2025", "2025-03-31"],
    ["3/5/2025", "2025-03-05"],
    ["31.03.2025", "2025-03-31"],
    ["2024-02-29", "2024-02-29"],
    ["29.02.2000", "2000-02-29"],
  ])("reads %s as %s", (text, iso) => {
    expect(toIsoDate(text)).toBe(iso);
  });

  it.each([
    "2025-02-29",
    "2025-02-30",
    "1900-02-29",
    "2025-13-01",
    "2025-04-31",
    "13/01/2025",
    "2025-3-1",
    "2025/03/01",
    "",
    "yesterday",
  ])("rejects %j", (text) => {
    expect(toIsoDate(text)).toBeNull();
  });
});
