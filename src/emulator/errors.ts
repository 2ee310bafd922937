/**
 * Plaid's error shape. Handlers throw `PlaidFailure`; the HTTP layer turns it into the JSON
 * body and status Plaid would send. It never leaves the emulator.
 */

export type PlaidErrorType =
  | "INVALID_REQUEST"
  | "INVALID_INPUT"
  | "INSTITUTION_ERROR"
  | "RATE_LIMIT_EXCEEDED"
  | "API_ERROR"
  | "ITEM_ERROR"
  | "TRANSACTIONS_ERROR"
  | "SANDBOX_ERROR";

export interface PlaidErrorBody {
  readonly error_type: PlaidErrorType;
  readonly error_code: string;
  readonly error_code_reason: null;
  readonly error_message: string;
  readonly display_message: string | null;
  readonly request_id: string;
  readonly causes: readonly unknown[];
  readonly status: number;
  readonly documentation_url: string;
  readonly suggested_action: string | null;
}

const DOCS = "https://plaid.com/docs/errors/";

const DOC_PAGE: Record<PlaidErrorType, string> = {
  INVALID_REQUEST: "invalid-request/",
  INVALID_INPUT: "invalid-input/",
  INSTITUTION_ERROR: "institution/",
  RATE_LIMIT_EXCEEDED: "rate-limit-exceeded/",
  API_ERROR: "api/",
  ITEM_ERROR: "item/",
  TRANSACTIONS_ERROR: "transactions/",
  SANDBOX_ERROR: "sandbox/",
};

export class PlaidFailure extends Error {
  readonly errorType: PlaidErrorType;
  readonly errorCode: string;
  readonly status: number;
  readonly displayMessage: string | null;
  constructor(errorType: PlaidErrorType, errorCode: string, message: string, status = 400, display?: string) {
    super(message);
    this.name = "PlaidFailure";
    this.errorType = errorType;
    this.errorCode = errorCode;
    this.status = status;
    this.displayMessage = display ?? null;
  }

  body(requestId: string): PlaidErrorBody {
    return {
      error_type: this.errorType,
      error_code: this.errorCode,
      error_code_reason: null,
      error_message: this.message,
      display_message: this.displayMessage,
      request_id: requestId,
      causes: [],
      status: this.status,
      documentation_url: `${DOCS}${DOC_PAGE[this.errorType]}#${this.errorCode.toLowerCase()}`,
      suggested_action: null,
    };
  }
}

export const failures = {
  invalidApiKeys: (): PlaidFailure =>
    new PlaidFailure("INVALID_INPUT", "INVALID_API_KEYS", "invalid client_id or secret provided", 400),
  invalidAccessToken: (): PlaidFailure =>
    new PlaidFailure(
      "INVALID_INPUT",
      "INVALID_ACCESS_TOKEN",
      "provided access token is in an invalid format",
    ),
  invalidPublicToken: (): PlaidFailure =>
    new PlaidFailure("INVALID_INPUT", "INVALID_PUBLIC_TOKEN", "provided public token is expired or invalid"),
  invalidLinkToken: (): PlaidFailure =>
    new PlaidFailure("INVALID_INPUT", "INVALID_LINK_TOKEN", "provided link token is expired or invalid"),
  invalidField: (message: string): PlaidFailure =>
    new PlaidFailure("INVALID_REQUEST", "INVALID_FIELD", message),
  missingFields: (message: string): PlaidFailure =>
    new PlaidFailure("INVALID_REQUEST", "MISSING_FIELDS", message),
  invalidBody: (message: string): PlaidFailure =>
    new PlaidFailure("INVALID_REQUEST", "INVALID_BODY", message),
  notFound: (path: string): PlaidFailure =>
    new PlaidFailure("INVALID_REQUEST", "NOT_FOUND", `unknown endpoint: ${path}`, 404),
  itemLoginRequired: (): PlaidFailure =>
    new PlaidFailure(
      "ITEM_ERROR",
      "ITEM_LOGIN_REQUIRED",
      "the login details of this item have changed (credentials, MFA, or required user action) and a user login is required to update this information. use Link's update mode to restore the item to a good state",
      400,
      "The login details of this account have changed. Please log in again.",
    ),
  productNotReady: (): PlaidFailure =>
    new PlaidFailure(
      "ITEM_ERROR",
      "PRODUCT_NOT_READY",
      "the requested product is not yet ready. please provide a webhook or try the request again later",
    ),
  productsNotSupported: (product: string): PlaidFailure =>
    new PlaidFailure(
      "ITEM_ERROR",
      "PRODUCTS_NOT_SUPPORTED",
      `this item does not have the ${product} product or the institution does not support it`,
    ),
  rateLimit: (code: string): PlaidFailure =>
    new PlaidFailure("RATE_LIMIT_EXCEEDED", code, "rate limit exceeded for this endpoint; retry later", 429),
  internal: (): PlaidFailure =>
    new PlaidFailure(
      "API_ERROR",
      "INTERNAL_SERVER_ERROR",
      "an unexpected error occurred",
      500,
      "Something went wrong. Please try again later.",
    ),
  institutionDown: (): PlaidFailure =>
    new PlaidFailure(
      "INSTITUTION_ERROR",
      "INSTITUTION_DOWN",
      "this financial institution is not currently responding to requests. we apologize for the inconvenience",
      400,
      "This financial institution is not currently responding. Please try again later.",
    ),
  mutationDuringPagination: (): PlaidFailure =>
    new PlaidFailure(
      "TRANSACTIONS_ERROR",
      "TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION",
      "underlying transaction data changed since the last page was fetched. please restart pagination from the last update",
    ),
  institutionNotFound: (): PlaidFailure =>
    new PlaidFailure("INVALID_INPUT", "INVALID_INSTITUTION", "invalid institution_id provided"),
};
