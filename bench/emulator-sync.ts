// The emulator's sync figure: an item with `size` transactions synced fully through the
// official SDK in pages of 500, timed from the first page to the last. Run standalone with
// `node dist/bench/emulator-sync.js [size]` after `npm run build`.
import { pathToFileURL } from "node:url";
import { startEmulator } from "../src/emulator/index.js";
import { plaidClientFor } from "../src/emulator/testing.js";

export interface EmulatorSyncFigure {
  readonly transactions: number;
  readonly pages: number;
  readonly seconds: number;
}

const PAGE_SIZE = 500;

export async function benchEmulatorSync(size: number): Promise<EmulatorSyncFigure> {
  if (!Number.isSafeInteger(size) || size < 1)
    throw new RangeError(`size must be a positive integer, got ${size}`);
  const emu = await startEmulator({ seed: 1 });
  try {
    const { accessToken } = await emu.admin.createItem({ user: "user_good", transactionCount: size });
    const plaid = plaidClientFor(emu);
    const pageLimit = Math.ceil(size / PAGE_SIZE) + 2;
    let transactions = 0;
    let pages = 0;
    let cursor = "";
    const started = performance.now();
    for (let hasMore = true; hasMore; ) {
      if (pages >= pageLimit) throw new Error(`sync did not finish within ${pageLimit} pages`);
      const page = await plaid.transactionsSync({ access_token: accessToken, cursor, count: PAGE_SIZE });
      transactions += page.data.added.length;
      pages++;
      cursor = page.data.next_cursor;
      hasMore = page.data.has_more;
    }
    const seconds = (performance.now() - started) / 1000;
    return { transactions, pages, seconds };
  } finally {
    await emu.close();
  }
}

async function main(): Promise<void> {
  const size = Number(process.argv[2] ?? 100_000);
  const figure = await benchEmulatorSync(size);
  const rate = figure.pages / figure.seconds;
  console.log(
    `emulator sync: ${figure.transactions} transactions in ${figure.pages} pages of ${PAGE_SIZE} through the plaid SDK: ` +
      `${figure.seconds.toFixed(2)} s, ${rate.toFixed(1)} pages/s, ${Math.round(figure.transactions / figure.seconds)} transactions/s`,
  );
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
