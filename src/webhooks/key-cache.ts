import { PlaidApiError } from "../plaid/errors.js";
import type { PlaidGateway } from "../plaid/gateway.js";
import type { WebhookVerificationKey } from "../plaid/items.js";

/** Where verification gets a signing key by its id. */
export interface WebhookKeyProvider {
  /**
   * The key with this `kid`: `unknown` when Plaid does not know it, `unavailable` when Plaid
   * could not be asked (the webhook should be answered 5xx so that Plaid retries it).
   */
  getKey(kid: string): Promise<KeyLookup>;
}

export type KeyLookup =
  | { readonly status: "found"; readonly key: WebhookVerificationKey }
  | { readonly status: "unknown" }
  | { readonly status: "unavailable"; readonly error: PlaidApiError };

export interface WebhookKeyCacheOptions {
  /** Default Date.now. */
  readonly now?: () => number;
  /** A current key (no `expired_at`) is asked for again after this long, to learn of its expiry. Default 1 h. */
  readonly refreshMs?: number;
  /** An unknown kid is not asked for again for this long (a flood of forged kids costs one call each). Default 5 min. */
  readonly unknownTtlMs?: number;
  /** Bound on kids held. Default 100. */
  readonly entriesMax?: number;
}

interface Entry {
  readonly key: WebhookVerificationKey | null;
  readonly fetchedAtMs: number;
}

/**
 * Signing keys by `kid`, many at once (Plaid rotates keys, and webhooks signed by the old key
 * keep arriving for a while). A key that has expired stays cached as expired; a current key is
 * rechecked after `refreshMs`, and whenever a new kid appears every cached current key is
 * rechecked too, since a new kid usually means the old one was just rotated out.
 *
 * @example
 * const keys = new WebhookKeyCache((kid) => gateway.getWebhookVerificationKey(kid));
 * const result = await verifyPlaidWebhook({ rawBody, headers }, keys);
 */
export class WebhookKeyCache implements WebhookKeyProvider {
  readonly #fetchKey: (kid: string) => Promise<WebhookVerificationKey>;
  readonly #entries = new Map<string, Entry>();
  readonly #pending = new Map<string, Promise<KeyLookup>>();
  readonly #now: () => number;
  readonly #refreshMs: number;
  readonly #unknownTtlMs: number;
  readonly #entriesMax: number;

  constructor(
    fetchKey: (kid: string) => Promise<WebhookVerificationKey>,
    options: WebhookKeyCacheOptions = {},
  ) {
    this.#fetchKey = fetchKey;
    this.#now = options.now ?? Date.now;
    this.#refreshMs = options.refreshMs ?? 3_600_000;
    this.#unknownTtlMs = options.unknownTtlMs ?? 300_000;
    this.#entriesMax = options.entriesMax ?? 100;
  }

  /** A cache over the gateway's `/webhook_verification_key/get`. */
  static forGateway(gateway: PlaidGateway, options?: WebhookKeyCacheOptions): WebhookKeyCache {
    return new WebhookKeyCache((kid) => gateway.getWebhookVerificationKey(kid), options);
  }

  async getKey(kid: string): Promise<KeyLookup> {
    const entry = this.#entries.get(kid);
    if (entry !== undefined && this.#fresh(entry)) {
      return entry.key === null ? { status: "unknown" } : { status: "found", key: entry.key };
    }
    if (entry === undefined) await this.#recheckCurrentKeys();
    return this.#fetch(kid);
  }

  get size(): number {
    return this.#entries.size;
  }

  #fresh(entry: Entry): boolean {
    const ageMs = this.#now() - entry.fetchedAtMs;
    if (entry.key === null) return ageMs <= this.#unknownTtlMs;
    return entry.key.expiredAt !== null || ageMs <= this.#refreshMs;
  }

  async #recheckCurrentKeys(): Promise<void> {
    const current = [...this.#entries].filter(([, e]) => e.key !== null && e.key.expiredAt === null);
    await Promise.all(current.map(([kid]) => this.#fetch(kid)));
  }

  /** One request per kid at a time, however many webhooks arrive at once. */
  #fetch(kid: string): Promise<KeyLookup> {
    const pending = this.#pending.get(kid);
    if (pending !== undefined) return pending;
    const lookup = this.#load(kid).finally(() => this.#pending.delete(kid));
    this.#pending.set(kid, lookup);
    return lookup;
  }

  async #load(kid: string): Promise<KeyLookup> {
    try {
      const key = await this.#fetchKey(kid);
      if (key.kid !== kid) throw new Error("kid mismatch");
      this.#store(kid, key);
      return { status: "found", key };
    } catch (error) {
      if (error instanceof PlaidApiError && isUnknownKey(error)) {
        this.#store(kid, null);
        return { status: "unknown" };
      }
      const cached = this.#entries.get(kid);
      // A key known before is still usable when Plaid is briefly unreachable.
      if (cached?.key != null) return { status: "found", key: cached.key };
      return { status: "unavailable", error: asPlaidError(error) };
    }
  }

  #store(kid: string, key: WebhookVerificationKey | null): void {
    this.#entries.delete(kid);
    this.#entries.set(kid, { key, fetchedAtMs: this.#now() });
    while (this.#entries.size > this.#entriesMax) {
      const oldest = this.#entries.keys().next();
      if (oldest.done === true) break;
      this.#entries.delete(oldest.value);
    }
  }
}

/** Plaid answers an unknown key id with a 4xx (INVALID_FIELD, or similar), not a transient error. */
function isUnknownKey(error: PlaidApiError): boolean {
  return error.httpStatus !== null && error.httpStatus >= 400 && error.httpStatus < 500 && !error.retryable;
}

function asPlaidError(error: unknown): PlaidApiError {
  if (error instanceof PlaidApiError) return error;
  return new PlaidApiError({
    operation: "webhookVerificationKeyGet",
    errorType: "INVALID_RESPONSE",
    errorCode: "BAD_KEY",
    errorMessage: "the verification key Plaid returned does not match the requested kid",
    displayMessage: null,
    requestId: null,
    httpStatus: null,
    retryable: false,
    outcomeUnknown: false,
  });
}
