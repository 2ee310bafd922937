import { InputError } from "../errors/index.js";
import { failures, type PlaidFailure } from "./errors.js";
import type { Rng } from "./prng.js";
import type { FaultKind, FaultRule } from "./types.js";

/** The rate-limit code Plaid uses for each endpoint; RATE_LIMIT for the rest. */
const RATE_LIMIT_CODES: Readonly<Record<string, string>> = {
  "/transactions/sync": "TRANSACTIONS_SYNC_LIMIT",
  "/transactions/get": "TRANSACTIONS_LIMIT",
  "/accounts/get": "ACCOUNTS_LIMIT",
  "/accounts/balance/get": "BALANCE_LIMIT",
  "/item/get": "ITEM_GET_LIMIT",
  "/investments/holdings/get": "INVESTMENT_HOLDINGS_GET_LIMIT",
  "/investments/transactions/get": "INVESTMENT_TRANSACTIONS_LIMIT",
  "/institutions/get_by_id": "INSTITUTIONS_GET_BY_ID_LIMIT",
};

export const FAULT_KINDS: readonly FaultKind[] = [
  "rate_limit",
  "server_error",
  "institution_down",
  "latency",
  "mutation_during_pagination",
  "item_login_required",
];

/** Kinds that only make sense for a call that names an item. */
const ITEM_FAULT_KINDS = new Set<FaultKind>(["item_login_required", "mutation_during_pagination"]);

interface LiveRule {
  readonly rule: FaultRule;
  remaining: number;
}

/** What the request should suffer: a delay, then maybe a failure. */
export interface FaultOutcome {
  readonly delayMs: number;
  readonly failure: PlaidFailure | null;
}

export class FaultBook {
  private rules: LiveRule[] = [];
  constructor(private readonly rng: Rng) {}

  set(rule: FaultRule): void {
    if (!FAULT_KINDS.includes(rule.kind)) throw new InputError(`unknown fault kind "${String(rule.kind)}"`);
    if (rule.times !== undefined && (!Number.isInteger(rule.times) || rule.times < 1))
      throw new InputError("fault times must be a positive integer");
    if (rule.probability !== undefined && !(rule.probability >= 0 && rule.probability <= 1))
      throw new InputError("fault probability must be between 0 and 1");
    if (rule.kind === "latency" && !(Number.isInteger(rule.latencyMs) && (rule.latencyMs ?? 0) >= 0))
      throw new InputError("a latency fault needs latencyMs, a non-negative integer");
    this.rules.push({ rule, remaining: rule.times ?? Number.POSITIVE_INFINITY });
  }

  clear(): void {
    this.rules = [];
  }

  /**
   * Consumes the rules that fire for this call. `itemKeys` are the item's access token and
   * item id (empty for calls without an item).
   */
  evaluate(endpoint: string, itemKeys: readonly string[]): FaultOutcome {
    let delayMs = 0;
    let failure: PlaidFailure | null = null;
    for (const live of this.rules) {
      const { rule } = live;
      if (failure !== null && rule.kind !== "latency") continue;
      if (rule.endpoint !== undefined && rule.endpoint !== endpoint) continue;
      if (rule.item !== undefined && !itemKeys.includes(rule.item)) continue;
      if (ITEM_FAULT_KINDS.has(rule.kind) && itemKeys.length === 0) continue;
      if (rule.kind === "mutation_during_pagination" && endpoint !== "/transactions/sync") continue;
      if (rule.probability !== undefined && !this.rng.chance(rule.probability)) continue;
      live.remaining--;
      if (rule.kind === "latency") delayMs += rule.latencyMs ?? 0;
      else failure = toFailure(rule, endpoint);
    }
    this.rules = this.rules.filter((live) => live.remaining > 0);
    return { delayMs, failure };
  }
}

function toFailure(rule: FaultRule, endpoint: string): PlaidFailure {
  switch (rule.kind) {
    case "rate_limit":
      return failures.rateLimit(rule.errorCode ?? RATE_LIMIT_CODES[endpoint] ?? "RATE_LIMIT");
    case "server_error":
      return failures.internal();
    case "institution_down":
      return failures.institutionDown();
    case "mutation_during_pagination":
      return failures.mutationDuringPagination();
    case "item_login_required":
      return failures.itemLoginRequired();
    case "latency":
      throw new Error("latency is not a failure");
  }
}
