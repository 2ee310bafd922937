import type { CountryCode, Products } from "plaid";
import { InputError } from "../errors/index.js";
import { Secret } from "../secrets/index.js";
import type { PlaidCaller } from "./caller.js";
import { type PlaidItem, toPlaidItem } from "./map-account.js";

/** What Link should ask for. Products and country codes are open strings, passed as given. */
export interface LinkTokenOptions {
  /** Your stable id for the end user (never an email or a name). */
  readonly clientUserId: string;
  /** Shown to the user in Link. */
  readonly clientName: string;
  /** Products to initialize (e.g. ["transactions"]); omitted in update mode. */
  readonly products?: readonly string[];
  readonly webhookUrl?: string;
  /** How much transaction history to ask for, in days (Plaid allows 1..730; default 90). */
  readonly daysRequested?: number;
  /** Default ["US"]. */
  readonly countryCodes?: readonly string[];
  /** Default "en". */
  readonly language?: string;
  readonly redirectUri?: string;
  /** Update mode: relink an existing Item (after ITEM_LOGIN_REQUIRED) instead of adding one. */
  readonly accessToken?: Secret;
}

export interface LinkToken {
  readonly linkToken: string;
  readonly expiration: string;
  readonly requestId: string;
}

const DAYS_REQUESTED_MAX = 730;

/** `/link/token/create`. */
export async function createLinkToken(caller: PlaidCaller, options: LinkTokenOptions): Promise<LinkToken> {
  const days = options.daysRequested;
  if (days !== undefined && (!Number.isInteger(days) || days < 1 || days > DAYS_REQUESTED_MAX)) {
    throw new InputError(`daysRequested must be an integer from 1 to ${DAYS_REQUESTED_MAX}, got ${days}`);
  }
  const update = options.accessToken;
  const tokens = update === undefined ? [] : [update];
  const data = await caller.call("linkTokenCreate", tokens, (api) =>
    api.linkTokenCreate({
      client_name: options.clientName,
      language: options.language ?? "en",
      country_codes: [...(options.countryCodes ?? ["US"])] as CountryCode[],
      user: { client_user_id: options.clientUserId },
      ...(update === undefined
        ? { products: [...(options.products ?? ["transactions"])] as Products[] }
        : { access_token: update.reveal() }),
      ...(options.webhookUrl === undefined ? {} : { webhook: options.webhookUrl }),
      ...(days === undefined ? {} : { transactions: { days_requested: days } }),
      ...(options.redirectUri === undefined ? {} : { redirect_uri: options.redirectUri }),
    }),
  );
  return { linkToken: data.link_token, expiration: data.expiration, requestId: data.request_id };
}

export interface ExchangedItem {
  /** The Item's access token: store it encrypted; it is wrapped so it cannot be logged. */
  readonly accessToken: Secret;
  readonly itemId: string;
  readonly requestId: string;
}

/**
 * `/item/public_token/exchange`. A public token is single-use, so a failed attempt whose
 * outcome is unknown (a 5xx, a timeout) is not repeated: the caller relinks instead.
 */
export async function exchangePublicToken(
  caller: PlaidCaller,
  publicToken: string | Secret,
): Promise<ExchangedItem> {
  const token = publicToken instanceof Secret ? publicToken : new Secret(publicToken);
  const data = await caller.call(
    "itemPublicTokenExchange",
    [token],
    (api) => api.itemPublicTokenExchange({ public_token: token.reveal() }),
    false,
  );
  return { accessToken: new Secret(data.access_token), itemId: data.item_id, requestId: data.request_id };
}

/** `/item/get`: the Item and its error (ITEM_LOGIN_REQUIRED shows here as a value). */
export async function getItem(caller: PlaidCaller, accessToken: Secret): Promise<PlaidItem> {
  const data = await caller.call("itemGet", [accessToken], (api) =>
    api.itemGet({ access_token: accessToken.reveal() }),
  );
  return toPlaidItem(data.item);
}

/** `/item/remove`: the access token stops working. */
export async function removeItem(caller: PlaidCaller, accessToken: Secret): Promise<{ requestId: string }> {
  const data = await caller.call("itemRemove", [accessToken], (api) =>
    api.itemRemove({ access_token: accessToken.reveal() }),
  );
  return { requestId: data.request_id };
}

/** `/item/webhook/update`: Plaid answers with WEBHOOK_UPDATE_ACKNOWLEDGED at the new URL. */
export async function updateItemWebhook(
  caller: PlaidCaller,
  accessToken: Secret,
  webhookUrl: string,
): Promise<PlaidItem> {
  const data = await caller.call("itemWebhookUpdate", [accessToken], (api) =>
    api.itemWebhookUpdate({ access_token: accessToken.reveal(), webhook: webhookUrl }),
  );
  return toPlaidItem(data.item);
}

/** A webhook signing key as Plaid serves it (a P-256 JWK). */
export interface WebhookVerificationKey {
  readonly kid: string;
  readonly alg: string;
  readonly kty: string;
  readonly crv: string;
  readonly use: string;
  readonly x: string;
  readonly y: string;
  /** Seconds since the epoch. */
  readonly createdAt: number;
  /** Seconds since the epoch; null while the key is current. */
  readonly expiredAt: number | null;
}

/** `/webhook_verification_key/get`. */
export async function getWebhookVerificationKey(
  caller: PlaidCaller,
  keyId: string,
): Promise<WebhookVerificationKey> {
  const data = await caller.call("webhookVerificationKeyGet", [], (api) =>
    api.webhookVerificationKeyGet({ key_id: keyId }),
  );
  const key = data.key;
  return {
    kid: key.kid,
    alg: key.alg,
    kty: key.kty,
    crv: key.crv,
    use: key.use,
    x: key.x,
    y: key.y,
    createdAt: key.created_at,
    expiredAt: key.expired_at ?? null,
  };
}
