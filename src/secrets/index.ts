import { inspect } from "node:util";

const SHOWN = "[Secret]";

/**
 * A value that must never reach a log line, an error message or a response body: a Plaid
 * secret, an access token. Every way JavaScript turns an object into text (template literal,
 * `String`, `JSON.stringify`, `util.inspect`, pino) prints `[Secret]`; only `reveal()` hands the
 * value out, so the few places that need it are easy to find.
 *
 * Path-based log redaction misses a token nested one level deeper than expected; a wrapper
 * type cannot be missed that way.
 *
 * @example
 * const secret = new Secret(process.env.PLAID_SECRET ?? "");
 * `${secret}`              // "[Secret]"
 * JSON.stringify({ secret }) // '{"secret":"[Secret]"}'
 * secret.reveal()          // the value itself
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  /** The value itself. Call it only where the value leaves for its one legitimate use. */
  reveal(): string {
    return this.#value;
  }

  /** Whether two secrets hold the same value (not constant-time: not for authentication). */
  equals(other: Secret): boolean {
    return this.#value === other.#value;
  }

  toString(): string {
    return SHOWN;
  }

  toJSON(): string {
    return SHOWN;
  }

  [inspect.custom](): string {
    return SHOWN;
  }

  get [Symbol.toStringTag](): string {
    return "Secret";
  }
}

/** Wraps a string; passes a Secret through unchanged. */
export function toSecret(value: string | Secret): Secret {
  return value instanceof Secret ? value : new Secret(value);
}
