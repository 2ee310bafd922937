import { BankrecError } from "../errors/index.js";
import type { Secret } from "../secrets/index.js";

/** Plaid's error codes that say "the bank is having a moment": worth a retry. */
const INSTITUTION_TRANSIENT = new Set(["INSTITUTION_DOWN", "INSTITUTION_NOT_RESPONDING"]);

/** Transport failures have no Plaid body; these stand in for `error_type` and `error_code`. */
export const NETWORK_ERROR_TYPE = "NETWORK_ERROR";
const TRANSPORT_CODES: Readonly<Record<string, string>> = {
  ECONNREFUSED: "CONNECTION_REFUSED",
  ECONNRESET: "CONNECTION_RESET",
  EPIPE: "CONNECTION_RESET",
  ECONNABORTED: "TIMEOUT",
  ETIMEDOUT: "TIMEOUT",
  ENOTFOUND: "HOST_NOT_FOUND",
  EAI_AGAIN: "HOST_NOT_FOUND",
  ERR_NETWORK: "NETWORK_ERROR",
};
/** Failures where the request cannot have reached Plaid, so repeating it is always safe. */
const NEVER_SENT = new Set(["CONNECTION_REFUSED", "HOST_NOT_FOUND"]);

/** Plaid access tokens (`access-sandbox-…`) and public tokens, wherever they turn up in text. */
const TOKEN_PATTERN = /\b(access|public|link)-(sandbox|production|development)-[A-Za-z0-9-]+/g;
/** Control characters (C0, DEL, C1): a server's text must not move a terminal's cursor. */
const CONTROL_PATTERN = /\p{Cc}+/gu;
const REDACTED = "[redacted]";

/**
 * The longest server text kept (`error_message`, `display_message`, a transport message): Plaid's
 * are a sentence or two, and a 10 MB error body must not become a 10 MB message.
 */
export const SERVER_TEXT_LENGTH_MAX = 2000;
/** Plaid's codes and request ids are short (`ITEM_LOGIN_REQUIRED`, `m8MDnv9okwxFNBV`). */
export const SERVER_CODE_LENGTH_MAX = 100;

export interface PlaidApiErrorFields {
  /** The gateway operation, e.g. `transactionsSync`. */
  readonly operation: string;
  /** Plaid's `error_type` (`ITEM_ERROR`, `RATE_LIMIT_EXCEEDED`, …) or `NETWORK_ERROR`. */
  readonly errorType: string;
  /** Plaid's `error_code` (`ITEM_LOGIN_REQUIRED`, …) or a transport code (`TIMEOUT`, …). */
  readonly errorCode: string;
  /** Plaid's `error_message`, for developers. */
  readonly errorMessage: string;
  /** Plaid's `display_message`, safe to show an end user, when Plaid gives one. */
  readonly displayMessage: string | null;
  readonly requestId: string | null;
  /** null when no HTTP response arrived. */
  readonly httpStatus: number | null;
  /** Whether the same request may succeed later (rate limit, 5xx, bank down, network). */
  readonly retryable: boolean;
  /** Whether the request may have taken effect although it failed (5xx, timeout, reset). */
  readonly outcomeUnknown: boolean;
}

/**
 * Every failure of a Plaid call, whatever broke: Plaid's own error body, an HTTP status with no
 * body, a timeout, a refused connection. It copies the few fields it needs and keeps no
 * reference to the SDK's error, whose `config.headers` carries the Plaid secret; messages are
 * scrubbed of the secret and of access tokens before the stack is written.
 *
 * @example
 * try { await gateway.getItem(token) } catch (error) {
 *   if (error instanceof PlaidApiError && error.errorCode === "ITEM_LOGIN_REQUIRED") askUserToRelink();
 * }
 */
export class PlaidApiError extends BankrecError implements PlaidApiErrorFields {
  readonly code = "PLAID" as const;
  readonly operation: string;
  readonly errorType: string;
  readonly errorCode: string;
  readonly errorMessage: string;
  readonly displayMessage: string | null;
  readonly requestId: string | null;
  readonly httpStatus: number | null;
  readonly retryable: boolean;
  readonly outcomeUnknown: boolean;

  constructor(fields: PlaidApiErrorFields) {
    const status = fields.httpStatus === null ? "" : `, HTTP ${fields.httpStatus}`;
    super(
      `Plaid ${fields.operation} failed: ${fields.errorCode} (${fields.errorType}${status}): ${fields.errorMessage}`,
    );
    this.name = "PlaidApiError";
    this.operation = fields.operation;
    this.errorType = fields.errorType;
    this.errorCode = fields.errorCode;
    this.errorMessage = fields.errorMessage;
    this.displayMessage = fields.displayMessage;
    this.requestId = fields.requestId;
    this.httpStatus = fields.httpStatus;
    this.retryable = fields.retryable;
    this.outcomeUnknown = fields.outcomeUnknown;
  }

  /** The fields as plain data, for logs and API responses. */
  toJSON(): PlaidApiErrorFields & { readonly name: string; readonly message: string } {
    return {
      name: this.name,
      message: this.message,
      operation: this.operation,
      errorType: this.errorType,
      errorCode: this.errorCode,
      errorMessage: this.errorMessage,
      displayMessage: this.displayMessage,
      requestId: this.requestId,
      httpStatus: this.httpStatus,
      retryable: this.retryable,
      outcomeUnknown: this.outcomeUnknown,
    };
  }
}

/** Whether a Plaid failure is worth repeating, from its status and codes alone. */
export function isRetryable(httpStatus: number | null, errorType: string, errorCode: string): boolean {
  if (errorType === NETWORK_ERROR_TYPE) return true;
  if (httpStatus === 429 || errorType === "RATE_LIMIT_EXCEEDED") return true;
  if (httpStatus !== null && httpStatus >= 500) return true;
  return INSTITUTION_TRANSIENT.has(errorCode);
}

/**
 * Turns whatever the SDK threw into a PlaidApiError, reading only plain fields. `secrets` are
 * values to scrub from any text that came back (the Plaid secret, the access token sent).
 */
export function toPlaidApiError(
  thrown: unknown,
  operation: string,
  secrets: readonly Secret[],
): PlaidApiError {
  if (thrown instanceof PlaidApiError) return thrown;
  const scrub = scrubber(secrets);
  const response = field(thrown, "response");
  const httpStatus = numberField(response, "status");
  if (httpStatus !== null) return fromResponse(operation, httpStatus, field(response, "data"), scrub);
  const transport = TRANSPORT_CODES[stringField(thrown, "code") ?? ""];
  if (transport !== undefined || field(thrown, "isAxiosError") === true) {
    const errorCode = transport ?? "NETWORK_ERROR";
    return new PlaidApiError({
      operation,
      errorType: NETWORK_ERROR_TYPE,
      errorCode,
      errorMessage: scrub(stringField(thrown, "message") ?? "the request failed before Plaid answered"),
      displayMessage: null,
      requestId: null,
      httpStatus: null,
      retryable: true,
      outcomeUnknown: !NEVER_SENT.has(errorCode),
    });
  }
  return new PlaidApiError({
    operation,
    errorType: "CLIENT_ERROR",
    errorCode: "UNEXPECTED",
    errorMessage: scrub(stringField(thrown, "message") ?? String(thrown)),
    displayMessage: null,
    requestId: null,
    httpStatus: null,
    retryable: false,
    outcomeUnknown: true,
  });
}

/**
 * Every text of the body is the server's, and a misbehaving endpoint or proxy may echo what it
 * was sent (the secret header, the access token in the body) in any of them: codes and the
 * request id pass the same scrubber as the messages, under a shorter bound.
 */
function fromResponse(operation: string, httpStatus: number, body: unknown, scrub: Scrub): PlaidApiError {
  const text = (key: string, lengthMax: number): string | null => {
    const found = stringField(body, key);
    return found === null ? null : scrub(found, lengthMax);
  };
  const errorType =
    text("error_type", SERVER_CODE_LENGTH_MAX) ?? (httpStatus >= 500 ? "API_ERROR" : "HTTP_ERROR");
  const errorCode = text("error_code", SERVER_CODE_LENGTH_MAX) ?? `HTTP_${httpStatus}`;
  return new PlaidApiError({
    operation,
    errorType,
    errorCode,
    errorMessage:
      text("error_message", SERVER_TEXT_LENGTH_MAX) ?? `HTTP ${httpStatus} without a Plaid error body`,
    displayMessage: text("display_message", SERVER_TEXT_LENGTH_MAX),
    requestId: text("request_id", SERVER_CODE_LENGTH_MAX),
    httpStatus,
    retryable: isRetryable(httpStatus, errorType, errorCode),
    outcomeUnknown: httpStatus >= 500,
  });
}

/** Makes a server's text safe to print, at most `lengthMax` characters (default SERVER_TEXT_LENGTH_MAX). */
export type Scrub = (text: string, lengthMax?: number) => string;

/**
 * Scrubs the given secrets (as sent, and as JSON or a URL would escape them) and anything shaped
 * like a Plaid token from server-sent text, turns control characters into spaces, and bounds
 * the length. Only the head of a long text is read, cut before any secret that straddles its
 * end, so that no part of a secret survives the cut (and a 10 MB text costs no 10 MB scan).
 *
 * @example scrubber([secret])(`bad secret ${secret.reveal()}`) // "bad secret [redacted]"
 */
export function scrubber(secrets: readonly Secret[]): Scrub {
  const values = [
    ...new Set(
      secrets
        .map((s) => s.reveal())
        .filter((v) => v.length >= 4)
        .flatMap((v) => [v, JSON.stringify(v).slice(1, -1), encodeURIComponent(v)]),
    ),
  ].sort((a, b) => b.length - a.length);
  const longest = values[0]?.length ?? 0;
  return (text, lengthMax = SERVER_TEXT_LENGTH_MAX) => {
    const cut = text.length > lengthMax + longest;
    let out = cut ? text.slice(0, cutOutsideSecrets(text, lengthMax + longest, values)) : text;
    for (const value of values) out = out.split(value).join(REDACTED);
    out = out.replace(TOKEN_PATTERN, REDACTED).replace(CONTROL_PATTERN, " ");
    return cut || out.length > lengthMax ? `${out.slice(0, lengthMax)}…` : out;
  };
}

/**
 * A position at or before `at` that cuts no occurrence of `values` in `text` in two: the start
 * of an occurrence that straddles `at`, and so on while another straddles the new position.
 */
function cutOutsideSecrets(text: string, at: number, values: readonly string[]): number {
  let position = at;
  for (let moved = true; moved; ) {
    moved = false;
    for (const value of values) {
      const from = Math.max(0, position - value.length + 1);
      const found = text.slice(from, position + value.length - 1).indexOf(value);
      if (found !== -1 && from + found < position) {
        position = from + found;
        moved = true;
      }
    }
  }
  return position;
}

function field(value: unknown, key: string): unknown {
  if (typeof value !== "object" || value === null) return undefined;
  return (value as Record<string, unknown>)[key];
}

function stringField(value: unknown, key: string): string | null {
  const found = field(value, key);
  return typeof found === "string" && found !== "" ? found : null;
}

function numberField(value: unknown, key: string): number | null {
  const found = field(value, key);
  return typeof found === "number" && Number.isInteger(found) ? found : null;
}
