// One transactions sync of one item, run as a child process by test/sync-crash.test.ts so the
// test can SIGKILL it at any instant. It runs the compiled library (`npm run build`), like a
// deployed bankrec would. Everything comes from the environment, as in production:
//   DATABASE_URL, BANKREC_SECRET_KEY           the store and its key (no keyring is passed)
//   PLAID_BASE_URL, PLAID_CLIENT_ID, PLAID_SECRET   the emulator
//   SYNC_ITEM_ID, SYNC_COUNT, SYNC_LOCK_WAIT_MS
//   SYNC_LINGER_MS   stay up this long after the commit (as a CLI syncing several items does),
//                    so the parent can kill it there too
// stdout, one line each, so the parent knows which phase a kill landed in:
//   "open" once the store is open, "page N" after each staged page, "restart",
//   "apply" right before the apply transaction, "synced <report JSON>" after the commit.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const entry = new URL("../../dist/src/index.js", import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write(`sync-child: ${fileURLToPath(entry)} is missing; run \`npm run build\` first\n`);
  process.exit(3);
}
const { openStore, PlaidGateway, syncItem } = await import(entry.href);

const itemId = required("SYNC_ITEM_ID");
const count = Number(process.env.SYNC_COUNT ?? "100");
const lockWaitMs = Number(process.env.SYNC_LOCK_WAIT_MS ?? "0");
const lingerMs = Number(process.env.SYNC_LINGER_MS ?? "0");
// Writes to a pipe are synchronous on Linux: a line the parent has read was really reached.
const say = (line) => process.stdout.write(`${line}\n`);

const store = await openStore();
try {
  say("open");
  const gateway = new PlaidGateway({ retry: { delayBaseMs: 1, delayMaxMs: 5 } });
  const report = await syncItem(store, gateway, itemId, {
    count,
    lockWaitMs,
    onProgress: (progress) => say(progress.pages === 0 ? "restart" : `page ${progress.pages}`),
    onApplyStart: () => say("apply"),
  });
  say(`synced ${JSON.stringify(report)}`);
  if (lingerMs > 0) await new Promise((resolve) => setTimeout(resolve, lingerMs));
} finally {
  await store.close();
}

function required(name) {
  const value = process.env[name];
  if (value === undefined || value === "") {
    process.stderr.write(`sync-child: ${name} is not set\n`);
    process.exit(2);
  }
  return value;
}
