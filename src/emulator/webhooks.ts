import { createHash, generateKeyPairSync, type KeyObject, randomUUID, sign } from "node:crypto";
import type { WebhookDelivery } from "./types.js";

/**
 * Signs and sends webhooks as Plaid does: the `Plaid-Verification` header is a compact JWT
 * (ES256, `kid` of the signing key) whose payload holds `iat` and the hex SHA-256 of the
 * exact body. Rotated-out keys stay served, with `expired_at` set.
 */

interface SigningKey {
  readonly kid: string;
  readonly privateKey: KeyObject;
  readonly x: string;
  readonly y: string;
  readonly createdAt: number;
  expiredAt: number | null;
}

function base64url(data: string | Buffer): string {
  return Buffer.from(data).toString("base64url");
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

function newKey(): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const jwk = publicKey.export({ format: "jwk" });
  if (typeof jwk.x !== "string" || typeof jwk.y !== "string") throw new Error("EC key export lacks x or y");
  return { kid: randomUUID(), privateKey, x: jwk.x, y: jwk.y, createdAt: nowSeconds(), expiredAt: null };
}

/** Plaid's JWKPublicKey. */
export interface JwkPublicKey {
  readonly alg: "ES256";
  readonly crv: "P-256";
  readonly kid: string;
  readonly kty: "EC";
  readonly use: "sig";
  readonly x: string;
  readonly y: string;
  readonly created_at: number;
  readonly expired_at: number | null;
}

type Waiter = { predicate: (delivery: WebhookDelivery) => boolean; resolve: (d: WebhookDelivery) => void };

export class WebhookSender {
  private readonly keys: SigningKey[] = [newKey()];
  private readonly sent: WebhookDelivery[] = [];
  private readonly inFlight = new Set<Promise<unknown>>();
  private waiters: Waiter[] = [];

  constructor(private readonly timeoutMs: number) {}

  rotateKey(): void {
    const current = this.currentKey();
    current.expiredAt = nowSeconds();
    this.keys.push(newKey());
  }

  publicKey(kid: string): JwkPublicKey | undefined {
    const key = this.keys.find((candidate) => candidate.kid === kid);
    if (key === undefined) return undefined;
    return {
      alg: "ES256",
      crv: "P-256",
      kid: key.kid,
      kty: "EC",
      use: "sig",
      x: key.x,
      y: key.y,
      created_at: key.createdAt,
      expired_at: key.expiredAt,
    };
  }

  /** The compact JWT Plaid puts in `Plaid-Verification` for `body`. */
  sign(body: string): string {
    const key = this.currentKey();
    const header = base64url(JSON.stringify({ alg: "ES256", kid: key.kid, typ: "JWT" }));
    const sha = createHash("sha256").update(body, "utf8").digest("hex");
    const payload = base64url(JSON.stringify({ iat: nowSeconds(), request_body_sha256: sha }));
    const signature = sign("sha256", Buffer.from(`${header}.${payload}`), {
      key: key.privateKey,
      dsaEncoding: "ieee-p1363",
    });
    return `${header}.${payload}.${base64url(signature)}`;
  }

  /** POSTs `payload` to `url`, records the delivery, and resolves when it is answered or failed. */
  deliver(url: string, payload: Record<string, unknown>): Promise<WebhookDelivery> {
    const task = this.post(url, payload);
    this.inFlight.add(task);
    void task.finally(() => this.inFlight.delete(task));
    return task;
  }

  deliveries(): readonly WebhookDelivery[] {
    return [...this.sent];
  }

  waitFor(predicate: (delivery: WebhookDelivery) => boolean, timeoutMs: number): Promise<WebhookDelivery> {
    const found = this.sent.find(predicate);
    if (found !== undefined) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        predicate,
        resolve: (delivery) => {
          clearTimeout(timer);
          resolve(delivery);
        },
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`no matching webhook delivery within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  /** Waits for every POST under way. */
  async settle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private currentKey(): SigningKey {
    return this.keys[this.keys.length - 1] as SigningKey;
  }

  private async post(url: string, payload: Record<string, unknown>): Promise<WebhookDelivery> {
    const body = JSON.stringify(payload, null, 2);
    const headers = { "content-type": "application/json", "plaid-verification": this.sign(body) };
    let status: number | null = null;
    let error: string | null = null;
    const sentAt = new Date().toISOString();
    try {
      const response = await fetch(url, {
        method: "POST",
        headers,
        body,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      status = response.status;
      await response.arrayBuffer();
    } catch (cause) {
      error = cause instanceof Error ? cause.message : String(cause);
    }
    const delivery: WebhookDelivery = { url, body, payload, headers, status, error, sentAt };
    this.sent.push(delivery);
    const ready = this.waiters.filter((waiter) => waiter.predicate(delivery));
    this.waiters = this.waiters.filter((waiter) => !ready.includes(waiter));
    for (const waiter of ready) waiter.resolve(delivery);
    return delivery;
  }
}
