import { describe, expect, it } from "vitest";
import { parseWebhookEvent } from "./events.js";

function parse(body: Record<string, unknown>) {
  const result = parseWebhookEvent(JSON.stringify({ item_id: "item_1", environment: "sandbox", ...body }));
  if (!result.ok) throw new Error(result.detail);
  return result.event;
}

describe("parseWebhookEvent", () => {
  it("types every webhook bankrec acts on", () => {
    const cases: [Record<string, unknown>, string][] = [
      [
        {
          webhook_type: "TRANSACTIONS",
          webhook_code: "SYNC_UPDATES_AVAILABLE",
          initial_update_complete: true,
          historical_update_complete: false,
        },
        "TRANSACTIONS/SYNC_UPDATES_AVAILABLE",
      ],
      [
        { webhook_type: "TRANSACTIONS", webhook_code: "DEFAULT_UPDATE", new_transactions: 3 },
        "TRANSACTIONS/DEFAULT_UPDATE",
      ],
      [
        { webhook_type: "TRANSACTIONS", webhook_code: "INITIAL_UPDATE", new_transactions: 3, error: null },
        "TRANSACTIONS/INITIAL_UPDATE",
      ],
      [
        { webhook_type: "TRANSACTIONS", webhook_code: "HISTORICAL_UPDATE", new_transactions: 300 },
        "TRANSACTIONS/HISTORICAL_UPDATE",
      ],
      [
        { webhook_type: "TRANSACTIONS", webhook_code: "TRANSACTIONS_REMOVED", removed_transactions: ["t1"] },
        "TRANSACTIONS/TRANSACTIONS_REMOVED",
      ],
      [
        {
          webhook_type: "ITEM",
          webhook_code: "ERROR",
          error: {
            error_type: "ITEM_ERROR",
            error_code: "ITEM_LOGIN_REQUIRED",
            error_message: "m",
            display_message: null,
          },
        },
        "ITEM/ERROR",
      ],
      [
        {
          webhook_type: "ITEM",
          webhook_code: "PENDING_EXPIRATION",
          consent_expiration_time: "2026-07-01T00:00:00Z",
        },
        "ITEM/PENDING_EXPIRATION",
      ],
      [
        { webhook_type: "ITEM", webhook_code: "PENDING_DISCONNECT", reason: "INSTITUTION_MIGRATION" },
        "ITEM/PENDING_DISCONNECT",
      ],
      [{ webhook_type: "ITEM", webhook_code: "USER_PERMISSION_REVOKED" }, "ITEM/USER_PERMISSION_REVOKED"],
      [
        { webhook_type: "ITEM", webhook_code: "WEBHOOK_UPDATE_ACKNOWLEDGED", new_webhook_url: "https://new" },
        "ITEM/WEBHOOK_UPDATE_ACKNOWLEDGED",
      ],
      [
        { webhook_type: "HOLDINGS", webhook_code: "DEFAULT_UPDATE", new_holdings: 1, updated_holdings: 2 },
        "HOLDINGS/DEFAULT_UPDATE",
      ],
      [
        {
          webhook_type: "INVESTMENTS_TRANSACTIONS",
          webhook_code: "DEFAULT_UPDATE",
          new_investments_transactions: 1,
          canceled_investments_transactions: 0,
        },
        "INVESTMENTS_TRANSACTIONS/DEFAULT_UPDATE",
      ],
      [
        {
          webhook_type: "LIABILITIES",
          webhook_code: "DEFAULT_UPDATE",
          account_ids_with_new_liabilities: [],
          account_ids_with_updated_liabilities: { acc: ["minimum_payment_amount"] },
        },
        "LIABILITIES/DEFAULT_UPDATE",
      ],
    ];
    for (const [body, kind] of cases) expect(parse(body).kind).toBe(kind);
  });

  it("lifts the Plaid error of an ITEM ERROR webhook", () => {
    const event = parse({
      webhook_type: "ITEM",
      webhook_code: "ERROR",
      error: {
        error_type: "ITEM_ERROR",
        error_code: "ITEM_LOGIN_REQUIRED",
        error_message: "m",
        display_message: null,
      },
    });
    expect(event.error).toMatchObject({ errorCode: "ITEM_LOGIN_REQUIRED" });
  });

  it("passes a webhook it does not know as an unknown event, not an error", () => {
    const event = parse({ webhook_type: "TELEPORT", webhook_code: "ARRIVED", destination: "moon" });
    expect(event).toMatchObject({
      kind: "unknown",
      webhookType: "TELEPORT",
      webhookCode: "ARRIVED",
      itemId: "item_1",
    });
    expect(event.body.destination).toBe("moon");
    expect(parse({ webhook_type: "ITEM", webhook_code: "NEW_CODE" }).kind).toBe("unknown");
  });

  it("keeps fields Plaid adds later", () => {
    const event = parse({
      webhook_type: "TRANSACTIONS",
      webhook_code: "DEFAULT_UPDATE",
      new_transactions: 1,
      brand_new: "x",
    });
    expect((event.body as Record<string, unknown>).brand_new).toBe("x");
  });

  it("reports a known webhook with a wrong field as malformed, naming the field", () => {
    const result = parseWebhookEvent(
      JSON.stringify({
        webhook_type: "TRANSACTIONS",
        webhook_code: "DEFAULT_UPDATE",
        item_id: "i",
        new_transactions: "three",
      }),
    );
    expect(result).toMatchObject({ ok: false });
    expect(result.ok ? "" : result.detail).toMatch(/new_transactions/);
  });
});
