// Runs a Node script in this process and, when the process exits, writes its resource usage.
//
//   BANKREC_BENCH_USAGE_FILE=usage.json node dist/bench/measured.js TARGET.js [args...]
//
// Why a wrapper: Node cannot read a child's peak RSS from the parent, and /usr/bin/time is not
// installed everywhere. getrusage(RUSAGE_SELF) at exit, taken inside the child, covers the whole
// run including the target's own process.exit(). The wrapper's own cost is a few kilobytes.
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

/** What the wrapper writes; the parent reads it back (see run-child.ts). */
export interface ChildUsage {
  /** getrusage ru_maxrss: kibibytes on Linux. */
  readonly maxRssKiB: number;
  readonly userCpuMicros: number;
  readonly systemCpuMicros: number;
}

const usageFile = process.env.BANKREC_BENCH_USAGE_FILE;
const target = process.argv[2];
if (!usageFile || !target) {
  console.error("usage: BANKREC_BENCH_USAGE_FILE=FILE node measured.js TARGET.js [args...]");
  process.exit(2);
}

process.on("exit", () => {
  const usage = process.resourceUsage();
  const record: ChildUsage = {
    maxRssKiB: usage.maxRSS,
    userCpuMicros: usage.userCPUTime,
    systemCpuMicros: usage.systemCPUTime,
  };
  writeFileSync(usageFile, JSON.stringify(record));
});

// The target sees the argv it would see under `node TARGET.js args...`: scripts that run
// their main only when process.argv[1] is their own path (a common ESM idiom) still run.
const targetPath = resolve(target);
process.argv.splice(1, 2, targetPath);
await import(pathToFileURL(targetPath).href);
