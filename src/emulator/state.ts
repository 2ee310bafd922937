import { addDays } from "./dates.js";
import { failures } from "./errors.js";
import { FaultBook } from "./faults.js";
import { findInstitution, INSTITUTIONS, type InstitutionInfo } from "./institutions.js";
import { Item } from "./item.js";
import { createRng, hashSeed, pseudoUuid, type Rng } from "./prng.js";
import type { CreateItemOptions, SandboxUser } from "./types.js";
import { WebhookSender } from "./webhooks.js";

/** 120 days, or up to two years so that a large item has a plausible number a day. */
function defaultHistoryDays(transactionCount: number | undefined): number {
  if (transactionCount === undefined) return 120;
  return Math.min(730, Math.max(120, Math.ceil(transactionCount / 50)));
}

/** A link token's settings; `itemId` set means update mode for that item. */
export interface LinkSession {
  readonly linkToken: string;
  readonly clientUserId: string;
  readonly products: readonly string[];
  readonly webhook: string | null;
  readonly historyDays: number | null;
  readonly itemId: string | null;
  readonly expiresAtMs: number;
}

interface PendingPublicToken {
  readonly options: CreateItemOptions;
  /** Set for a public token from update mode: it exchanges to the existing item. */
  readonly itemId: string | null;
}

/** Everything the emulator holds: the clock, items, tokens, faults and the webhook sender. */
export class EmulatorState {
  today: string;
  readonly faults: FaultBook;
  readonly webhooks: WebhookSender;
  private readonly items = new Map<string, Item>();
  private readonly byToken = new Map<string, Item>();
  private readonly publicTokens = new Map<string, PendingPublicToken>();
  private readonly linkSessions = new Map<string, LinkSession>();
  private readonly tokenRng: Rng;
  private itemsMade = 0;

  constructor(
    private readonly seed: number,
    today: string,
    webhookTimeoutMs: number,
  ) {
    this.today = today;
    this.faults = new FaultBook(createRng(hashSeed(`${seed}:faults`)));
    this.webhooks = new WebhookSender(webhookTimeoutMs);
    this.tokenRng = createRng(hashSeed(`${seed}:tokens`));
  }

  institution(institutionId: string): InstitutionInfo {
    const institution = findInstitution(institutionId);
    if (institution === undefined) throw failures.institutionNotFound();
    return institution;
  }

  institutions(): readonly InstitutionInfo[] {
    return INSTITUTIONS;
  }

  createItem(options: CreateItemOptions, defaultUser: SandboxUser): Item {
    const institution = this.institution(options.institutionId ?? "ins_109508");
    const item = new Item({
      seed: hashSeed(`${this.seed}:item:${this.itemsMade++}`),
      institution,
      user: options.user ?? defaultUser,
      products: options.products ?? ["transactions"],
      webhook: options.webhook ?? null,
      today: this.today,
      historyDays: options.historyDays ?? defaultHistoryDays(options.transactionCount),
      ...(options.transactionCount === undefined ? {} : { transactionCount: options.transactionCount }),
      ready: options.ready ?? true,
    });
    this.items.set(item.itemId, item);
    this.byToken.set(item.accessToken, item);
    return item;
  }

  /** The item an access token names; INVALID_ACCESS_TOKEN otherwise. */
  itemByToken(accessToken: string): Item {
    const item = this.byToken.get(accessToken);
    if (item === undefined) throw failures.invalidAccessToken();
    return item;
  }

  /** By access token or item id (admin use). */
  findItem(key: string): Item | undefined {
    return this.byToken.get(key) ?? this.items.get(key);
  }

  allItems(): Item[] {
    return [...this.items.values()];
  }

  removeItem(item: Item): void {
    this.items.delete(item.itemId);
    this.byToken.delete(item.accessToken);
  }

  issuePublicToken(options: CreateItemOptions, itemId: string | null = null): string {
    const token = `public-sandbox-${pseudoUuid(this.tokenRng)}`;
    this.publicTokens.set(token, { options, itemId });
    return token;
  }

  /** Single use, as Plaid's are. */
  exchangePublicToken(publicToken: string, defaultUser: SandboxUser): Item {
    const pending = this.publicTokens.get(publicToken);
    if (pending === undefined) throw failures.invalidPublicToken();
    this.publicTokens.delete(publicToken);
    if (pending.itemId !== null) {
      const existing = this.items.get(pending.itemId);
      if (existing === undefined) throw failures.invalidPublicToken();
      return existing;
    }
    return this.createItem(pending.options, defaultUser);
  }

  createLinkSession(session: Omit<LinkSession, "linkToken" | "expiresAtMs">): LinkSession {
    const full: LinkSession = {
      ...session,
      linkToken: `link-sandbox-${pseudoUuid(this.tokenRng)}`,
      expiresAtMs: Date.now() + 4 * 3600 * 1000,
    };
    this.linkSessions.set(full.linkToken, full);
    return full;
  }

  linkSession(linkToken: string): LinkSession {
    const session = this.linkSessions.get(linkToken);
    if (session === undefined || session.expiresAtMs < Date.now()) throw failures.invalidLinkToken();
    return session;
  }

  /** Moves the clock one day at a time; returns the items that changed. */
  advance(days: number): Set<Item> {
    const changed = new Set<Item>();
    for (let d = 0; d < days; d++) {
      this.today = addDays(this.today, 1);
      for (const item of this.items.values()) {
        if (!item.ready) {
          item.ready = true;
          changed.add(item);
        }
        if (item.dynamic && item.advanceDay(this.today) > 0) changed.add(item);
      }
    }
    return changed;
  }
}
