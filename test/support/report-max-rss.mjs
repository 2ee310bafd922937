// Preloaded into a bankrec process (NODE_OPTIONS="--import <this file>"): on exit, every such
// process, a relaunched child included, appends "<pid> <peak RSS in KiB>" to the file that
// BANKREC_MAX_RSS_FILE names. The kernel's own high-water mark (getrusage), not a sample.
import { appendFileSync } from "node:fs";

const out = process.env.BANKREC_MAX_RSS_FILE;
if (out) process.on("exit", () => appendFileSync(out, `${process.pid} ${process.resourceUsage().maxRSS}\n`));
