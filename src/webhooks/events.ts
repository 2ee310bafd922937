import { z } from "zod";
import { itemErrorOf, type PlaidItemError } from "../plaid/map-account.js";

/**
 * Plaid's webhook bodies as typed events. Each known (webhook_type, webhook_code) pair has a
 * schema; fields Plaid adds later pass through untouched, and a pair bankrec does not know
 * yet is an `unknown` event rather than an error, so a new Plaid webhook never breaks the
 * receiver.
 */

const base = {
  item_id: z.string().min(1),
  environment: z.string().optional(),
  user_id: z.string().optional(),
  /** A Plaid error object (or, in INITIAL_UPDATE, sometimes a string); mapped below. */
  error: z.unknown().optional(),
};

const count = z.number().int().min(0);

const schemas = {
  "TRANSACTIONS/SYNC_UPDATES_AVAILABLE": z.looseObject({
    ...base,
    initial_update_complete: z.boolean(),
    historical_update_complete: z.boolean(),
  }),
  "TRANSACTIONS/DEFAULT_UPDATE": z.looseObject({ ...base, new_transactions: count }),
  "TRANSACTIONS/INITIAL_UPDATE": z.looseObject({ ...base, new_transactions: count }),
  "TRANSACTIONS/HISTORICAL_UPDATE": z.looseObject({ ...base, new_transactions: count }),
  "TRANSACTIONS/TRANSACTIONS_REMOVED": z.looseObject({ ...base, removed_transactions: z.array(z.string()) }),
  "ITEM/ERROR": z.looseObject({ ...base }),
  "ITEM/PENDING_EXPIRATION": z.looseObject({ ...base, consent_expiration_time: z.string() }),
  "ITEM/PENDING_DISCONNECT": z.looseObject({
    ...base,
    reason: z.string().optional(),
    disconnect_time: z.string().optional(),
  }),
  "ITEM/USER_PERMISSION_REVOKED": z.looseObject({ ...base }),
  "ITEM/WEBHOOK_UPDATE_ACKNOWLEDGED": z.looseObject({ ...base, new_webhook_url: z.string() }),
  "HOLDINGS/DEFAULT_UPDATE": z.looseObject({ ...base, new_holdings: count, updated_holdings: count }),
  "INVESTMENTS_TRANSACTIONS/DEFAULT_UPDATE": z.looseObject({
    ...base,
    new_investments_transactions: count,
    // Plaid's docs spell it "canceled", its SDK "cancelled": accept either.
    canceled_investments_transactions: count.optional(),
    cancelled_investments_transactions: count.optional(),
  }),
  "LIABILITIES/DEFAULT_UPDATE": z.looseObject({
    ...base,
    account_ids_with_new_liabilities: z.array(z.string()),
    account_ids_with_updated_liabilities: z.record(z.string(), z.array(z.string())),
  }),
} as const;

type Schemas = typeof schemas;
export type KnownWebhookKind = keyof Schemas;

interface EventBase {
  readonly webhookType: string;
  readonly webhookCode: string;
  readonly itemId: string | null;
  /** The Plaid error object in the body, when there is one. */
  readonly error: PlaidItemError | null;
}

/** A webhook bankrec knows: `kind` is `WEBHOOK_TYPE/WEBHOOK_CODE`, `body` the checked payload. */
export type KnownWebhookEvent = {
  [K in KnownWebhookKind]: EventBase & {
    readonly kind: K;
    readonly itemId: string;
    readonly body: z.infer<Schemas[K]>;
  };
}[KnownWebhookKind];

/** Any other webhook: the type, code and raw payload, to log or ignore. */
export interface UnknownWebhookEvent extends EventBase {
  readonly kind: "unknown";
  readonly body: Readonly<Record<string, unknown>>;
}

export type PlaidWebhookEvent = KnownWebhookEvent | UnknownWebhookEvent;

export type ParsedEvent = { ok: true; event: PlaidWebhookEvent } | { ok: false; detail: string };

/**
 * Parses a webhook body (already verified) into a typed event.
 *
 * @example parseWebhookEvent('{"webhook_type":"TRANSACTIONS","webhook_code":"SYNC_UPDATES_AVAILABLE",...}')
 * // { ok: true, event: { kind: "TRANSACTIONS/SYNC_UPDATES_AVAILABLE", itemId: "…", body: {…} } }
 */
export function parseWebhookEvent(text: string): ParsedEvent {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, detail: "the body is not JSON" };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { ok: false, detail: "the body is not a JSON object" };
  }
  const body = value as Record<string, unknown>;
  const webhookType = body.webhook_type;
  const webhookCode = body.webhook_code;
  if (typeof webhookType !== "string" || typeof webhookCode !== "string") {
    return { ok: false, detail: "webhook_type and webhook_code must be strings" };
  }
  const kind = `${webhookType}/${webhookCode}`;
  const error = itemErrorOf(body.error);
  if (!(kind in schemas)) {
    const itemId = typeof body.item_id === "string" ? body.item_id : null;
    return { ok: true, event: { kind: "unknown", webhookType, webhookCode, itemId, error, body } };
  }
  const parsed = schemas[kind as KnownWebhookKind].safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      ok: false,
      detail: `${kind}: ${issue?.path.join(".") || "body"} ${issue?.message ?? "is invalid"}`,
    };
  }
  const event = { kind, webhookType, webhookCode, itemId: parsed.data.item_id, error, body: parsed.data };
  return { ok: true, event: event as KnownWebhookEvent };
}
