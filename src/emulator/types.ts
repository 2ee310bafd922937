import type { PlaidTransaction } from "./transaction.js";

/**
 * The emulator's public, in-process types. Tests of the Plaid gateway drive the emulator
 * through these; keep them stable.
 */

/** Options for {@link startEmulator}. Every field is optional. */
export interface EmulatorOptions {
  /** TCP port; 0 (the default) picks a free one. */
  readonly port?: number;
  /** Interface to listen on; default "127.0.0.1". */
  readonly host?: string;
  /** Seed of the data generator and of probabilistic faults; default 1. */
  readonly seed?: number;
  /** Accepted client id; default env PLAID_CLIENT_ID, else {@link DEFAULT_CLIENT_ID}. */
  readonly clientId?: string;
  /** Accepted secret; default env PLAID_SECRET, else {@link DEFAULT_SECRET}. */
  readonly secret?: string;
  /** ISO date (YYYY-MM-DD) the emulator's clock starts at; default "2026-06-30". */
  readonly now?: string;
  /** How long a webhook POST may take before it is recorded as failed; default 2000 ms. */
  readonly webhookTimeoutMs?: number;
}

/** Sandbox users the emulator knows, as Plaid's sandbox names them. */
export type SandboxUser = "user_good" | "user_transactions_dynamic";

/** What a fault does to a matching request. */
export type FaultKind =
  /** 429 RATE_LIMIT_EXCEEDED; `errorCode` picks the code (default: the endpoint's own *_LIMIT). */
  | "rate_limit"
  /** 500 API_ERROR INTERNAL_SERVER_ERROR. */
  | "server_error"
  /** 400 INSTITUTION_ERROR INSTITUTION_DOWN (Plaid's code for a bank that is offline). */
  | "institution_down"
  /** Delays the response by `latencyMs`, then answers normally. */
  | "latency"
  /** 400 TRANSACTIONS_ERROR TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION on /transactions/sync. */
  | "mutation_during_pagination"
  /** 400 ITEM_ERROR ITEM_LOGIN_REQUIRED for the matching calls only (see `admin.setLoginRequired`). */
  | "item_login_required";

/**
 * One fault rule. A rule matches a request when its `item` (an access token or an item id)
 * and `endpoint` match (absent = any). It fires on the next `times` matching calls (default:
 * every call until cleared), each with `probability` (default 1), drawn from the seeded PRNG.
 *
 * @example
 * emu.faults.set({ kind: "rate_limit", endpoint: "/transactions/sync", times: 2 });
 * emu.faults.set({ kind: "server_error", item: accessToken, probability: 0.3 });
 */
export interface FaultRule {
  readonly kind: FaultKind;
  readonly item?: string;
  readonly endpoint?: string;
  readonly times?: number;
  readonly probability?: number;
  /** For "rate_limit": e.g. "TRANSACTIONS_SYNC_LIMIT", "RATE_LIMIT", "ACCOUNTS_LIMIT". */
  readonly errorCode?: string;
  /** For "latency". */
  readonly latencyMs?: number;
}

/** A webhook the emulator POSTed (or tried to), exactly as sent. */
export interface WebhookDelivery {
  readonly url: string;
  /** The exact raw body; its SHA-256 is the JWT's `request_body_sha256`. */
  readonly body: string;
  /** The parsed body, for convenience. */
  readonly payload: Readonly<Record<string, unknown>>;
  /** Headers as sent, lower-case names; includes "plaid-verification". */
  readonly headers: Readonly<Record<string, string>>;
  /** The receiver's HTTP status, or null when the POST failed (refused, timed out). */
  readonly status: number | null;
  readonly error: string | null;
  /** Wall-clock time of the POST (ISO). */
  readonly sentAt: string;
}

/** Options for creating an item directly (no Link). */
export interface CreateItemOptions {
  /** Default "ins_109508" (First Platypus Bank). */
  readonly institutionId?: string;
  /**
   * Default "user_transactions_dynamic" here (its history changes as the clock advances);
   * items made through Link or /sandbox/public_token/create default to "user_good", whose
   * history stays as generated.
   */
  readonly user?: SandboxUser;
  /** Products; default ["transactions"]. */
  readonly products?: readonly string[];
  readonly webhook?: string;
  /**
   * Number of posted transactions to generate instead of the default months of history
   * (e.g. 100_000 for benchmarks); they are spread over the depository and credit accounts.
   */
  readonly transactionCount?: number;
  /** History length in days; default 120, or with `transactionCount` up to 730 (about 50 a day). */
  readonly historyDays?: number;
  /**
   * When false, the item's initial pull is not complete: /transactions/sync answers with an
   * empty `next_cursor` and /transactions/get with PRODUCT_NOT_READY until
   * `admin.completeInitialUpdate` or the next clock advance. Default true.
   */
  readonly ready?: boolean;
}

/** A created item's handles. */
export interface ItemHandle {
  readonly itemId: string;
  readonly accessToken: string;
}

/** The current truth of an item, to compare a synced copy against. */
export interface ItemTruth {
  readonly itemId: string;
  readonly institutionId: string;
  readonly accounts: readonly Readonly<Record<string, unknown>>[];
  /** Every current transaction (pending and posted) in Plaid's JSON shape, sorted by id. */
  readonly transactions: readonly PlaidTransaction[];
  /** Length of the item's change log: each entry is one add, modify or remove. */
  readonly changeCount: number;
}

/** Extra operations for tests. */
export interface EmulatorAdmin {
  /** Creates an item as if Link and /item/public_token/exchange had run. */
  createItem(options?: CreateItemOptions): Promise<ItemHandle>;
  /** A public token for a new item (as /sandbox/public_token/create would make). */
  createPublicToken(options?: CreateItemOptions): string;
  /** The item's current accounts and transactions; by access token or item id. */
  itemTruth(item: string): ItemTruth;
  /** Puts the item in ITEM_LOGIN_REQUIRED until Link update mode runs (or `false` clears it). */
  setLoginRequired(item: string, required?: boolean): void;
  /** Completes a not-ready item's initial pull and fires SYNC_UPDATES_AVAILABLE. */
  completeInitialUpdate(item: string): Promise<void>;
  /** Every item id the emulator holds. */
  itemIds(): readonly string[];
}

/**
 * A running emulator.
 *
 * - `url`: pass it as the SDK's `basePath`.
 * - `clock`: advancing it creates transactions, posts pending ones (pending id removed, posted
 *   id with `pending_transaction_id` added, amount possibly changed), modifies some, and
 *   POSTs SYNC_UPDATES_AVAILABLE to each changed item's webhook; it resolves once those POSTs
 *   have been answered or timed out.
 * - `faults`: see {@link FaultRule}.
 * - `webhooks`: signing-key rotation and the record of deliveries.
 */
export interface Emulator {
  readonly url: string;
  readonly credentials: { readonly clientId: string; readonly secret: string };
  readonly clock: {
    /** The emulator's date, YYYY-MM-DD. */
    today(): string;
    advance(days: number): Promise<void>;
  };
  readonly faults: {
    set(rule: FaultRule): void;
    clear(): void;
  };
  readonly webhooks: {
    /** New signing key; the old one stays served with `expired_at` set. */
    rotateKey(): void;
    deliveries(): readonly WebhookDelivery[];
    /** Resolves with the first delivery (already recorded or next) matching `predicate`. */
    waitFor(predicate?: (delivery: WebhookDelivery) => boolean, timeoutMs?: number): Promise<WebhookDelivery>;
  };
  readonly admin: EmulatorAdmin;
  close(): Promise<void>;
}
