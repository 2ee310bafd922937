/**
 * Plaid webhooks: verification of the `Plaid-Verification` JWT (ES256 only, keys by kid,
 * iat age, raw-body hash) and typed events.
 *
 * @example
 * const keys = WebhookKeyCache.forGateway(gateway);
 * const result = await verifyPlaidWebhook({ rawBody, headers: req.headers }, keys);
 * if (result.ok && result.event.kind === "TRANSACTIONS/SYNC_UPDATES_AVAILABLE") queueSync(result.event.itemId);
 */
export {
  type KnownWebhookEvent,
  type KnownWebhookKind,
  type ParsedEvent,
  type PlaidWebhookEvent,
  parseWebhookEvent,
  type UnknownWebhookEvent,
} from "./events.js";
export { type DecodedJwt, decodeJwt } from "./jwt.js";
export {
  type KeyLookup,
  WebhookKeyCache,
  type WebhookKeyCacheOptions,
  type WebhookKeyProvider,
} from "./key-cache.js";
export {
  type HeaderValue,
  IAT_AGE_MAX_S,
  IAT_FUTURE_MAX_S,
  verifyPlaidWebhook,
  type WebhookRejection,
  type WebhookRequest,
  type WebhookVerification,
} from "./verify.js";
