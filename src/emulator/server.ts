import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { InputError } from "../errors/index.js";
import { handleAdminRequest } from "./admin.js";
import { isIsoDate } from "./dates.js";
import type { EndpointContext } from "./endpoint.js";
import { syncUpdatesPayload } from "./endpoints-item.js";
import {
  asFailure,
  newRequestId,
  parseJsonObject,
  readBody,
  sendFailure,
  sendJson,
  sendText,
} from "./http.js";
import type { Item } from "./item.js";
import { authenticateLink, linkInitializeScript } from "./link.js";
import { handlePlaidRequest } from "./router.js";
import { EmulatorState } from "./state.js";
import { transactionView } from "./transaction.js";
import type { CreateItemOptions, Emulator, EmulatorOptions, ItemTruth } from "./types.js";

/** The client id accepted when neither options nor PLAID_CLIENT_ID give one. */
export const DEFAULT_CLIENT_ID = "bankrec-emulator-client";
/** The secret accepted when neither options nor PLAID_SECRET give one. */
export const DEFAULT_SECRET = "bankrec-emulator-secret";

const DEFAULT_TODAY = "2026-06-30";

function credentialsFrom(options: EmulatorOptions): { clientId: string; secret: string } {
  const env = (name: string): string | undefined => {
    const value = process.env[name];
    return value === undefined || value === "" ? undefined : value;
  };
  return {
    clientId: options.clientId ?? env("PLAID_CLIENT_ID") ?? DEFAULT_CLIENT_ID,
    secret: options.secret ?? env("PLAID_SECRET") ?? DEFAULT_SECRET,
  };
}

function checkOptions(options: EmulatorOptions): void {
  if (options.now !== undefined && !isIsoDate(options.now))
    throw new InputError(`now must be a YYYY-MM-DD date, got "${options.now}"`);
  if (options.seed !== undefined && !Number.isSafeInteger(options.seed))
    throw new InputError("seed must be an integer");
  if (
    options.port !== undefined &&
    !(Number.isInteger(options.port) && options.port >= 0 && options.port <= 65535)
  ) {
    throw new InputError("port must be an integer from 0 to 65535");
  }
}

/**
 * Starts an emulator (see index.ts for the whole API).
 *
 * @example
 * const emu = await startEmulator({ seed: 3 });
 * const { accessToken } = await emu.admin.createItem();
 * await emu.close();
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  checkOptions(options);
  const credentials = credentialsFrom(options);
  const state = new EmulatorState(
    options.seed ?? 1,
    options.now ?? DEFAULT_TODAY,
    options.webhookTimeoutMs ?? 2_000,
  );

  const notify = async (item: Item, payload: Record<string, unknown>): Promise<void> => {
    if (item.webhook === null) return;
    const delivery = await state.webhooks.deliver(item.webhook, payload);
    item.lastWebhook = { sentAt: delivery.sentAt, code: String(payload.webhook_code) };
  };
  const context: EndpointContext = { state, notify };

  const findItem = (key: string): Item => {
    const item = state.findItem(key);
    if (item === undefined)
      throw new InputError(`no item with access token or item id "${key.slice(0, 18)}…"`);
    return item;
  };

  const createItem = async (itemOptions: CreateItemOptions = {}) => {
    const item = state.createItem(itemOptions, "user_transactions_dynamic");
    if (item.ready) await notify(item, syncUpdatesPayload(item.itemId));
    return { itemId: item.itemId, accessToken: item.accessToken };
  };

  const server = createServer((request, response) => {
    void route(request, response);
  });
  let emulator: Emulator;

  async function route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", "http://emulator.invalid");
    const path = url.pathname;
    try {
      if (request.method === "GET" && path === "/link/v2/stable/link-initialize.js") {
        const origin = `http://${request.headers.host ?? "127.0.0.1"}`;
        sendText(
          response,
          200,
          "application/javascript; charset=utf-8",
          linkInitializeScript(origin, state.institutions()),
        );
      } else if (request.method === "POST" && path === "/__emulator/link/authenticate") {
        const reply = await authenticateLink(
          state,
          parseJsonObject(await readBody(request)),
          async (itemId) => {
            const item = findItem(itemId);
            await notify(item, {
              webhook_type: "ITEM",
              webhook_code: "LOGIN_REPAIRED",
              item_id: itemId,
              environment: "sandbox",
            });
          },
        );
        response.setHeader("access-control-allow-origin", "*");
        sendJson(response, 200, { ...reply, request_id: newRequestId() });
      } else if (path.startsWith("/__emulator/")) {
        await handleAdminRequest(request, response, path, emulator);
      } else {
        await handlePlaidRequest(request, response, path, { context, credentials });
      }
    } catch (error) {
      if (!response.headersSent) sendFailure(response, asFailure(error), newRequestId());
      else response.destroy();
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;

  emulator = {
    url: `http://${host}:${address.port}`,
    credentials,
    clock: {
      today: () => state.today,
      advance: async (days) => {
        if (!Number.isInteger(days) || days < 0) throw new InputError("days must be a non-negative integer");
        const changed = state.advance(days);
        await Promise.all([...changed].map((item) => notify(item, syncUpdatesPayload(item.itemId))));
      },
    },
    faults: { set: (rule) => state.faults.set(rule), clear: () => state.faults.clear() },
    webhooks: {
      rotateKey: () => state.webhooks.rotateKey(),
      deliveries: () => state.webhooks.deliveries(),
      waitFor: (predicate = () => true, timeoutMs = 5_000) => state.webhooks.waitFor(predicate, timeoutMs),
    },
    admin: {
      createItem,
      createPublicToken: (itemOptions = {}) => state.issuePublicToken(itemOptions),
      itemTruth: (key) => itemTruth(findItem(key)),
      setLoginRequired: (key, required = true) => {
        findItem(key).loginRequired = required;
      },
      completeInitialUpdate: async (key) => {
        const item = findItem(key);
        if (item.ready) return;
        item.ready = true;
        await notify(item, syncUpdatesPayload(item.itemId));
      },
      itemIds: () => state.allItems().map((item) => item.itemId),
    },
    close: () => closeServer(server, state),
  };
  return emulator;
}

function itemTruth(item: Item): ItemTruth {
  const transactions = [...item.log.transactions()]
    .sort((a, b) => (a.transaction_id < b.transaction_id ? -1 : 1))
    .map((transaction) => transactionView(transaction, true));
  return {
    itemId: item.itemId,
    institutionId: item.institution.institutionId,
    accounts: item.accountsJson(),
    transactions,
    changeCount: item.log.length,
  };
}

async function closeServer(server: Server, state: EmulatorState): Promise<void> {
  await state.webhooks.settle();
  await new Promise<void>((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeAllConnections();
  });
}
