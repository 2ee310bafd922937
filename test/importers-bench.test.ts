import { describe, expect, it } from "vitest";
import { benchImportThroughput } from "../bench/import-throughput.js";

describe("benchImportThroughput", () => {
  it("times a generated file of each format and reads every entry back", async () => {
    const results = await benchImportThroughput(2_000);
    expect(results.map((r) => r.format)).toEqual(["ofx", "camt", "mt940", "csv"]);
    for (const r of results) {
      expect(r.entries).toBe(2_000);
      expect(r.bytes).toBeGreaterThan(2_000 * 20);
      expect(r.seconds).toBeGreaterThan(0);
      expect(r.entriesPerSecond).toBe(Math.round(2_000 / r.seconds));
    }
  });
});
