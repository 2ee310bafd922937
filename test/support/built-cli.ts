import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { packageInfo } from "../../src/cli/package-root.js";

/**
 * The built CLI (`dist/src/cli/main.js`), built first when any source file is newer than what
 * dist holds of it: `npm test` builds before running, a bare `npx vitest run` may not have.
 * A type error elsewhere does not stop tsc from emitting; what matters is the file is there.
 */
export function builtCli(): string {
  const root = packageInfo().root;
  const bin = join(root, "dist", "src", "cli", "main.js");
  if (stale(root)) {
    try {
      execFileSync(
        process.execPath,
        [join(root, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.build.json"],
        {
          cwd: root,
          stdio: "pipe",
        },
      );
    } catch {
      // Emitted anyway; the existence check below is what matters.
    }
  }
  if (!existsSync(bin)) throw new Error(`the build did not write ${bin}`);
  return bin;
}

function stale(root: string): boolean {
  const sources = join(root, "src");
  for (const file of walk(sources)) {
    if (!file.endsWith(".ts") || file.endsWith(".test.ts")) continue;
    const built = join(root, "dist", "src", relative(sources, file).replace(/\.ts$/, ".js"));
    if (!existsSync(built) || statSync(built).mtimeMs < statSync(file).mtimeMs) return true;
  }
  return false;
}

function* walk(folder: string): Generator<string> {
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else yield path;
  }
}
