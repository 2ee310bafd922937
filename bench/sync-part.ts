// The sync part of `npm run bench`: one emulator item of `size` transactions, pulled whole from
// `/transactions/sync` in pages of 500 three ways in the same run:
//   raw      plain fetch and JSON.parse: the floor (the emulator's own cost, HTTP, JSON)
//   sdk      the official plaid SDK (axios) and nothing else
//   gateway  bankrec's PlaidGateway: the SDK plus retries, error wrapping and the mapping of
//            every transaction to minor units in the natural sign (what a real sync pays)
// and reports each one's time, pages a second, and its ratio to the raw floor.
import { startEmulator } from "../src/emulator/index.js";
import { plaidClientFor, plaidGatewayFor } from "../src/emulator/testing.js";
import { toSecret } from "../src/secrets/index.js";

export interface SyncFigure {
  readonly way: "raw" | "sdk" | "gateway";
  readonly transactions: number;
  readonly pages: number;
  readonly seconds: number;
}

const PAGE_SIZE = 500;

export async function benchSync(size: number): Promise<SyncFigure[]> {
  const emu = await startEmulator({ seed: 1 });
  try {
    // A user_good item: its history stays still while it is pulled three times.
    const { accessToken } = await emu.admin.createItem({ user: "user_good", transactionCount: size });
    const pageLimit = Math.ceil(size / PAGE_SIZE) + 2;
    const raw = await timed("raw", async () => {
      let cursor = "";
      let added = 0;
      let pages = 0;
      for (let more = true; more; pages++) {
        if (pages >= pageLimit) throw new Error(`raw sync did not finish in ${pageLimit} pages`);
        const response = await fetch(`${emu.url}/transactions/sync`, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            "PLAID-CLIENT-ID": emu.credentials.clientId,
            "PLAID-SECRET": emu.credentials.secret,
          },
          body: JSON.stringify({ access_token: accessToken, cursor, count: PAGE_SIZE }),
        });
        if (!response.ok) throw new Error(`raw sync: HTTP ${response.status}`);
        const page = (await response.json()) as { added: unknown[]; next_cursor: string; has_more: boolean };
        added += page.added.length;
        cursor = page.next_cursor;
        more = page.has_more;
      }
      return { transactions: added, pages };
    });
    const sdk = await timed("sdk", async () => {
      const plaid = plaidClientFor(emu);
      let cursor = "";
      let added = 0;
      let pages = 0;
      for (let more = true; more; pages++) {
        if (pages >= pageLimit) throw new Error(`sdk sync did not finish in ${pageLimit} pages`);
        const { data } = await plaid.transactionsSync({
          access_token: accessToken,
          cursor,
          count: PAGE_SIZE,
        });
        added += data.added.length;
        cursor = data.next_cursor;
        more = data.has_more;
      }
      return { transactions: added, pages };
    });
    const gateway = await timed("gateway", async () => {
      const plaid = plaidGatewayFor(emu);
      let added = 0;
      let pages = 0;
      for await (const step of plaid.syncTransactions(toSecret(accessToken), { count: PAGE_SIZE })) {
        if (step.kind === "page") added += step.added.length;
        else if (step.kind === "end") pages = step.pages;
        else throw new Error("gateway sync restarted on an item that does not change");
      }
      return { transactions: added, pages };
    });
    return [raw, sdk, gateway];
  } finally {
    await emu.close();
  }
}

async function timed(
  way: SyncFigure["way"],
  run: () => Promise<{ transactions: number; pages: number }>,
): Promise<SyncFigure> {
  const started = performance.now();
  const { transactions, pages } = await run();
  return { way, transactions, pages, seconds: (performance.now() - started) / 1000 };
}

export function formatSync(figures: readonly SyncFigure[]): string {
  const floor = figures.find((f) => f.way === "raw")?.seconds ?? Number.NaN;
  const lines = figures.map(
    (f) =>
      `  ${f.way.padEnd(8)} ${String(f.transactions).padStart(8)} tx  ${String(f.pages).padStart(5)} pages  ` +
      `${f.seconds.toFixed(2).padStart(7)} s  ${(f.pages / f.seconds).toFixed(1).padStart(7)} pages/s  ` +
      `${Math.round(f.transactions / f.seconds)
        .toString()
        .padStart(8)} tx/s  ${(f.seconds / floor).toFixed(2)}× raw`,
  );
  return ["sync from the emulator, pages of 500 (raw = plain fetch, the floor)", ...lines].join("\n");
}
