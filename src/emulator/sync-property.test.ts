import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { startEmulator } from "./index.js";
import { plaidClientFor, plaidErrorOf } from "./testing.js";

type Step = { kind: "page"; count: number } | { kind: "advance"; days: number };

const steps = fc.array(
  fc.oneof(
    fc.record({ kind: fc.constant("page" as const), count: fc.integer({ min: 1, max: 60 }) }),
    fc.record({ kind: fc.constant("advance" as const), days: fc.integer({ min: 1, max: 2 }) }),
  ),
  { minLength: 1, maxLength: 25 },
);

describe("transactions sync", () => {
  test("a client that applies every page, restarting a pagination that hit a mutation, ends equal to the item", async () => {
    await fc.assert(
      fc.asyncProperty(steps, fc.integer({ min: 1, max: 1000 }), async (plan: Step[], seed) => {
        const emu = await startEmulator({ seed });
        try {
          const plaid = plaidClientFor(emu);
          const { accessToken } = await emu.admin.createItem({ historyDays: 6 });
          const mirror = new Map<string, { amount: number; pending: boolean }>();
          let cursor = "";
          let staged: typeof mirror | null = null;
          let startCursor = "";
          const page = async (count: number): Promise<boolean> => {
            try {
              const reply = await plaid.transactionsSync({ access_token: accessToken, cursor, count });
              if (staged === null) {
                staged = new Map(mirror);
                startCursor = cursor;
              }
              for (const t of [...reply.data.added, ...reply.data.modified]) {
                staged.set(t.transaction_id, { amount: t.amount, pending: t.pending });
              }
              for (const r of reply.data.removed) staged.delete(r.transaction_id!);
              cursor = reply.data.next_cursor;
              if (!reply.data.has_more) {
                mirror.clear();
                for (const [k, v] of staged) mirror.set(k, v);
                staged = null;
                return false;
              }
              return true;
            } catch (error) {
              expect(plaidErrorOf(error)?.error_code).toBe("TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION");
              cursor = startCursor;
              staged = null;
              return true;
            }
          };
          for (const step of plan) {
            if (step.kind === "page") await page(step.count);
            else await emu.clock.advance(step.days);
          }
          let guard = 0;
          while (await page(500)) if (++guard > 50) throw new Error("sync did not settle");
          const truth = emu.admin.itemTruth(accessToken).transactions;
          expect(
            new Map(truth.map((t) => [t.transaction_id, { amount: t.amount, pending: t.pending }])),
          ).toEqual(mirror);
        } finally {
          await emu.close();
        }
      }),
      { numRuns: process.env.BANKREC_TEST_EXTENDED ? 200 : 30 },
    );
  });
});
