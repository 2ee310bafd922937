import { spawnSync } from "node:child_process";
import { statSync } from "node:fs";
import { totalmem } from "node:os";
import { getHeapStatistics } from "node:v8";

/**
 * Node's default heap (about 4 GiB) is too small for a million-row reconciliation, and the
 * default young generation makes such a run spend much of its time collecting. When the input
 * files are large, run the same command again in a child with a heap sized to the machine.
 * Returns the child's exit code, or null when this process should just go on.
 * (BANKREC_RELAUNCH_BYTES overrides the size that counts as large; tests use it.)
 */
export function relaunchForLargeInputs(argv: readonly string[], script: string): number | null {
  if (process.env.BANKREC_NO_RELAUNCH === "1") return null;
  const flags = largeInputNodeFlags(argv);
  if (flags === null) return null;
  const child = spawnSync(process.execPath, [...flags, script, ...argv], {
    stdio: "inherit",
    env: { ...process.env, BANKREC_NO_RELAUNCH: "1" },
  });
  return child.status ?? 1;
}

/**
 * The Node flags a run over these arguments needs (a heap sized to the machine, a larger young
 * generation), or null when the inputs are small or this heap is already big enough. The
 * benchmark starts bankrec with them directly, so that the process it measures is the one
 * that does the work.
 */
export function largeInputNodeFlags(argv: readonly string[]): string[] | null {
  const bytes = inputBytes(argv);
  const threshold = Number(process.env.BANKREC_RELAUNCH_BYTES ?? LARGE_INPUT_BYTES);
  if (bytes < threshold) return null;
  const wantedMiB = Math.floor(Math.min((totalmem() * 0.7) / 2 ** 20, HEAP_MAX_MIB));
  const haveMiB = getHeapStatistics().heap_size_limit / 2 ** 20;
  if (haveMiB >= wantedMiB * 0.9) return null;
  return [`--max-old-space-size=${wantedMiB}`, "--max-semi-space-size=64"];
}

const LARGE_INPUT_BYTES = 150 * 2 ** 20;
const HEAP_MAX_MIB = 16_384;

/** Sizes of the files named by --bank and --expected (missing ones count as 0: the command reports them). */
function inputBytes(argv: readonly string[]): number {
  let total = 0;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    let path: string | undefined;
    if (arg === "--bank" || arg === "--expected") path = argv[i + 1];
    else if (arg.startsWith("--bank=") || arg.startsWith("--expected="))
      path = arg.slice(arg.indexOf("=") + 1);
    if (path === undefined) continue;
    try {
      total += statSync(path).size;
    } catch {
      // Reported by the command itself, with its usual message and exit code.
    }
  }
  return total;
}
