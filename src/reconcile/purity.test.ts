import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/**
 * The engine is pure: no I/O, no clock, no threads (ARCHITECTURE.md). Worker threads, memory
 * probes and timers belong to the caller's executor (reconcile-threads/), so no source file
 * here may import a `node:` module (or any package) or read the time.
 */

const here = fileURLToPath(new URL(".", import.meta.url));
const src = join(here, "..");

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts") ? [path] : [];
  });
}

/** The modules a file imports or re-exports, static or dynamic. */
function specifiers(text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(/\b(?:from|import)\s*\(?\s*["']([^"']+)["']/g)) found.push(m[1]!);
  for (const m of text.matchAll(/\brequire\s*\(\s*["']([^"']+)["']/g)) found.push(m[1]!);
  return found;
}

/** Layers the engine may import: the shared types, the errors and money, themselves pure. */
const ALLOWED_OUTSIDE = ["domain", "errors", "money"];

describe("the engine's purity", () => {
  const files = sources(here);

  it("finds the engine's sources", () => {
    expect(files.length).toBeGreaterThan(30);
    expect(files.some((f) => f.endsWith(join("settlements", "many-to-one.ts")))).toBe(true);
  });

  it("imports no node: module nor any package, only the engine and the pure layers", () => {
    const bad: string[] = [];
    for (const file of files) {
      for (const spec of specifiers(readFileSync(file, "utf8"))) {
        const name = relative(src, file);
        if (!spec.startsWith(".")) {
          bad.push(`${name}: ${spec}`);
          continue;
        }
        const layer = relative(src, join(file, "..", spec)).split(/[\\/]/)[0];
        if (layer !== "reconcile" && !ALLOWED_OUTSIDE.includes(layer ?? "")) bad.push(`${name}: ${spec}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it("reads no clock and makes no Date", () => {
    const clock =
      /\bDate\.now\b|\bperformance\.now\b|\bnew Date\b|\bprocess\.hrtime\b|\bsetTimeout\b|\bsetInterval\b/;
    const bad = files.flatMap((file) =>
      readFileSync(file, "utf8")
        .split("\n")
        .map((line, i) => ({ line, at: `${relative(src, file)}:${i + 1}` }))
        .filter(({ line }) => clock.test(line))
        .map(({ line, at }) => `${at}: ${line.trim()}`),
    );
    expect(bad).toEqual([]);
  });

  it("would notice a file that does", () => {
    expect(specifiers('import { freemem } from "node:os";\nexport * from "./x.js";')).toEqual([
      "node:os",
      "./x.js",
    ]);
    expect(specifiers('const w = await import("node:worker_threads");')).toEqual(["node:worker_threads"]);
  });
});
