import { createHash } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { storeCases } from "../../test/support/stores.js";
import { markWebhookProcessed, recordWebhookEvent } from "./webhook-events.js";

const cases = await storeCases();

describe.each(cases)("webhook events on $dialect", (storeCase) => {
  afterAll(async () => {
    await storeCase.cleanup();
  });

  const body = JSON.stringify({
    webhook_type: "TRANSACTIONS",
    webhook_code: "SYNC_UPDATES_AVAILABLE",
    item_id: "item-1",
  });
  const event = { itemId: "item-1", webhookType: "TRANSACTIONS", webhookCode: "SYNC_UPDATES_AVAILABLE" };

  it.skipIf(!storeCase.available)(
    "records a delivery once, keyed by the SHA-256 of its raw body, and knows a repeat",
    async () => {
      const store = await storeCase.open();
      try {
        const first = await recordWebhookEvent(store, body, event);
        expect(first).toEqual({
          duplicate: false,
          id: createHash("sha256").update(body).digest("hex"),
        });
        expect(await recordWebhookEvent(store, body, event)).toEqual({ duplicate: true, id: first.id });
        const concurrent = await Promise.all([
          recordWebhookEvent(store, `${body} `, event),
          recordWebhookEvent(store, `${body} `, event),
        ]);
        expect(concurrent.map((r) => r.duplicate).sort()).toEqual([false, true]);
        const rows = await store.db.selectFrom("webhook_events").selectAll().orderBy("id").execute();
        expect(rows).toHaveLength(2);
        expect(rows.find((row) => row.id === first.id)).toMatchObject({
          item_id: "item-1",
          webhook_type: "TRANSACTIONS",
          webhook_code: "SYNC_UPDATES_AVAILABLE",
          body,
          processed_at: null,
        });
      } finally {
        await store.close();
      }
    },
  );

  it.skipIf(!storeCase.available)("marks an event processed once, keeping the first instant", async () => {
    let clock = Date.parse("2025-03-01T10:00:00Z");
    const store = await storeCase.open();
    const timed = { ...store, now: () => new Date(clock).toISOString() };
    try {
      const { id } = await recordWebhookEvent(timed, body, { ...event, itemId: null });
      clock += 60_000;
      await markWebhookProcessed(timed, id);
      clock += 60_000;
      await markWebhookProcessed(timed, id);
      const row = await store.db.selectFrom("webhook_events").selectAll().executeTakeFirstOrThrow();
      expect(row).toMatchObject({ item_id: null, processed_at: "2025-03-01T10:01:00.000Z" });
    } finally {
      await store.close();
    }
  });
});
