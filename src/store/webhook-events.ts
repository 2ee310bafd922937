import { createHash } from "node:crypto";
import type { Store } from "./store.js";

/**
 * Records a received webhook, keyed by the SHA-256 of its raw body, so that a delivery Plaid
 * repeats (or a retry after our own timeout) is seen as the same event. Insert-or-ignore in
 * one statement: two receivers racing on the same body cannot both see it as new.
 *
 * @example
 * const { duplicate, id } = await recordWebhookEvent(store, rawBody, { itemId, webhookType: "TRANSACTIONS", webhookCode: "SYNC_UPDATES_AVAILABLE" });
 * if (!duplicate) { await syncItem(store, plaid, itemId); await markWebhookProcessed(store, id); }
 */
export async function recordWebhookEvent(
  store: Store,
  rawBody: string,
  event: { readonly itemId: string | null; readonly webhookType: string; readonly webhookCode: string },
): Promise<{ readonly duplicate: boolean; readonly id: string }> {
  const id = createHash("sha256").update(rawBody, "utf8").digest("hex");
  const inserted = await store.db
    .insertInto("webhook_events")
    .values({
      id,
      item_id: event.itemId,
      webhook_type: event.webhookType,
      webhook_code: event.webhookCode,
      received_at: store.now(),
      body: rawBody,
      processed_at: null,
    })
    .onConflict((conflict) => conflict.column("id").doNothing())
    .returning("id")
    .execute();
  return { duplicate: inserted.length === 0, id };
}

/**
 * Notes that a recorded webhook has been acted on. The first time counts: marking it again
 * keeps the original instant.
 *
 * @example await markWebhookProcessed(store, id);
 */
export async function markWebhookProcessed(store: Store, id: string): Promise<void> {
  await store.db
    .updateTable("webhook_events")
    .set({ processed_at: store.now() })
    .where("id", "=", id)
    .where("processed_at", "is", null)
    .execute();
}
