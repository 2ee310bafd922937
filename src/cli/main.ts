#!/usr/bin/env node
import { runCli } from "./program.js";

// A closed pipe (`bankrec demo | head`) is the reader's choice, not a failure.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(0);
  throw error;
});
process.exitCode = await runCli(process.argv.slice(2));
