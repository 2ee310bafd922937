import type { IncomingMessage, ServerResponse } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import type { Endpoint, EndpointContext } from "./endpoint.js";
import { itemEndpoints } from "./endpoints-item.js";
import { productEndpoints } from "./endpoints-products.js";
import { sandboxEndpoints } from "./endpoints-sandbox.js";
import { transactionEndpoints } from "./endpoints-transactions.js";
import { failures } from "./errors.js";
import {
  asFailure,
  checkCredentials,
  newRequestId,
  parseJsonObject,
  readBody,
  sendFailure,
  sendJson,
} from "./http.js";
import type { Item } from "./item.js";

/** Plaid's endpoints: POST, JSON in and out, credentials, faults, then the handler. */

export const ENDPOINTS: ReadonlyMap<string, Endpoint> = new Map(
  [...itemEndpoints(), ...transactionEndpoints(), ...productEndpoints(), ...sandboxEndpoints()].map(
    (endpoint) => [endpoint.path, endpoint],
  ),
);

export interface PlaidRouterOptions {
  readonly context: EndpointContext;
  readonly credentials: { readonly clientId: string; readonly secret: string };
}

export async function handlePlaidRequest(
  request: IncomingMessage,
  response: ServerResponse,
  path: string,
  options: PlaidRouterOptions,
): Promise<void> {
  const requestId = newRequestId();
  try {
    const endpoint = ENDPOINTS.get(path);
    if (endpoint === undefined) throw failures.notFound(path);
    if (request.method !== "POST") throw failures.invalidBody(`${path} takes POST`);
    const body = parseJsonObject(await readBody(request));
    checkCredentials(request, body, options.credentials);
    const { state } = options.context;
    let item: Item | null = null;
    if (endpoint.usesItem && typeof body.access_token === "string")
      item = state.itemByToken(body.access_token);
    const fault = state.faults.evaluate(path, item === null ? [] : [item.accessToken, item.itemId]);
    if (fault.delayMs > 0) await sleep(fault.delayMs);
    if (fault.failure !== null) throw fault.failure;
    if (item !== null && endpoint.needsLogin && item.loginRequired) throw failures.itemLoginRequired();
    const reply = await endpoint.run(options.context, body, item);
    sendJson(response, 200, { ...reply, request_id: requestId });
  } catch (error) {
    sendFailure(response, asFailure(error), requestId);
  }
}
