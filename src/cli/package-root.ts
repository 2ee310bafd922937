import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** How many folders up to look for package.json: src/cli/ is 2 deep, dist/src/cli/ is 3. */
const LEVELS_UP_MAX = 6;

export interface PackageInfo {
  /** The folder holding bankrec's package.json (in a checkout, or in node_modules/bankrec). */
  readonly root: string;
  readonly version: string;
}

let cached: PackageInfo | undefined;

/**
 * Finds bankrec's own package.json from this module's location, so paths to shipped files
 * (examples/demo) work from src/ under vitest, from dist/, and from an installed package.
 */
export function packageInfo(): PackageInfo {
  if (cached !== undefined) return cached;
  let folder = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < LEVELS_UP_MAX; i++) {
    const file = join(folder, "package.json");
    if (existsSync(file)) {
      const json = JSON.parse(readFileSync(file, "utf8")) as { name?: unknown; version?: unknown };
      if (json.name === "bankrec" && typeof json.version === "string") {
        cached = { root: folder, version: json.version };
        return cached;
      }
    }
    folder = dirname(folder);
  }
  throw new Error("cannot find bankrec's package.json above the CLI's module");
}
