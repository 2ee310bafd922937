#!/usr/bin/env node
import { fileURLToPath } from "node:url";
import { relaunchForLargeInputs } from "./heap.js";
import { runCli } from "./program.js";

// A closed pipe (`bankrec demo | head`) is the reader's choice, not a failure.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(0);
  throw error;
});
const argv = process.argv.slice(2);
const relaunched = relaunchForLargeInputs(argv, fileURLToPath(import.meta.url));
process.exitCode = relaunched ?? (await runCli(argv));
