#!/usr/bin/env node
import { fileURLToPath } from "node:url";
import { withoutHttpDebug } from "../plaid/http-debug.js";
import { relaunchForLargeInputs } from "./heap.js";

// No environment makes a secret appear. DEBUG=* (or DEBUG=follow-redirects) would make the
// Plaid SDK's HTTP layer print each request's headers, PLAID-SECRET among them: drop those
// namespaces from DEBUG before anything that reads it loads (the program is imported below, on
// purpose after this line), keeping the user's others. The gateway switches them off too when
// it builds its client, for library users; a relaunched child inherits the edited DEBUG.
// NODE_DEBUG=http/https/net cannot be undone from inside the process (Node parses it at
// start-up), so the gateway refuses instead: the Plaid commands exit 2 with a line naming
// NODE_DEBUG, and commands that never call Plaid run as usual.
const debugNamespaces = withoutHttpDebug(process.env.DEBUG);
if (debugNamespaces !== undefined) process.env.DEBUG = debugNamespaces;

// A closed pipe (`bankrec demo | head`) is the reader's choice, not a failure.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(0);
  throw error;
});
const argv = process.argv.slice(2);
const relaunched = relaunchForLargeInputs(argv, fileURLToPath(import.meta.url));
process.exitCode = relaunched ?? (await (await import("./program.js")).runCli(argv));
