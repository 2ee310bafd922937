import { createHash } from "node:crypto";
import type { Secret } from "../secrets/index.js";

/** Balances are paid per call and slow; within this age a cached answer is served. */
export const BALANCE_MAX_AGE_MS_DEFAULT = 60_000;
/** Bounds memory: the oldest entries go first once this many are held. */
const ENTRIES_MAX = 1_000;

interface Entry<T> {
  readonly fetchedAtMs: number;
  readonly value: T;
}

/**
 * A max-age cache of balance answers, keyed by item (a hash of the access token, so the token
 * itself is never a map key that a heap dump or a debugger listing would show) and by the set
 * of accounts asked for. The clock is injected.
 */
export class BalanceCache<T> {
  readonly #entries = new Map<string, Entry<T>>();
  readonly #now: () => number;

  constructor(now: () => number) {
    this.#now = now;
  }

  /** The cached value when it is at most `maxAgeMs` old, with its age; else undefined. */
  get(key: string, maxAgeMs: number): { value: T; fetchedAtMs: number } | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    const ageMs = this.#now() - entry.fetchedAtMs;
    // maxAgeMs 0 asks for a fresh answer, even within the millisecond of the cached one.
    if (maxAgeMs <= 0 || ageMs < 0 || ageMs > maxAgeMs) return undefined;
    return entry;
  }

  set(key: string, value: T, fetchedAtMs: number): void {
    this.#entries.delete(key);
    this.#entries.set(key, { value, fetchedAtMs });
    while (this.#entries.size > ENTRIES_MAX) {
      const oldest = this.#entries.keys().next();
      if (oldest.done === true) break;
      this.#entries.delete(oldest.value);
    }
  }

  /** Forgets every entry of one item (after a removal or a relink). */
  forgetItem(accessToken: Secret): void {
    const prefix = `${itemKey(accessToken)}|`;
    for (const key of [...this.#entries.keys()]) if (key.startsWith(prefix)) this.#entries.delete(key);
  }

  get size(): number {
    return this.#entries.size;
  }
}

/** The cache key for an item and a set of accounts (order does not matter; none = all). */
export function balanceKey(
  accessToken: Secret,
  accountIds: readonly string[] | undefined,
  minLastUpdated: string | undefined,
): string {
  const accounts = accountIds === undefined ? "*" : [...new Set(accountIds)].sort().join(",");
  return `${itemKey(accessToken)}|${accounts}|${minLastUpdated ?? ""}`;
}

function itemKey(accessToken: Secret): string {
  return createHash("sha256").update(accessToken.reveal()).digest("base64url").slice(0, 22);
}
