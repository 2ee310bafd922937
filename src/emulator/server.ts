import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { isIsoDate } from "../domain/iso-date.js";
import { InputError } from "../errors/index.js";
import { handleAdminRequest } from "./admin.js";
import { createApi, findItemOrThrow, notifier } from "./api.js";
import type { EndpointContext } from "./endpoint.js";
import {
  asFailure,
  newRequestId,
  parseJsonObject,
  readBody,
  sendFailure,
  sendJson,
  sendText,
} from "./http.js";
import { authenticateLink, linkInitializeScript } from "./link.js";
import { handlePlaidRequest } from "./router.js";
import { EmulatorState } from "./state.js";
import type { Emulator, EmulatorOptions } from "./types.js";

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

const LINK_AUTHENTICATE = "/__emulator/link/authenticate";

interface Routing {
  readonly state: EmulatorState;
  readonly context: EndpointContext;
  readonly credentials: Emulator["credentials"];
  readonly emulator: () => Emulator;
}

async function route(request: IncomingMessage, response: ServerResponse, routing: Routing): Promise<void> {
  const path = new URL(request.url ?? "/", "http://emulator.invalid").pathname;
  try {
    if (request.method === "GET" && path === "/link/v2/stable/link-initialize.js") {
      const origin = `http://${request.headers.host ?? "127.0.0.1"}`;
      const script = linkInitializeScript(origin, routing.state.institutions());
      sendText(response, 200, "application/javascript; charset=utf-8", script);
    } else if (request.method === "OPTIONS" && path === LINK_AUTHENTICATE) {
      // A browser asks first: the page calling Link usually has another origin than the emulator.
      response.writeHead(204, {
        "access-control-allow-origin": "*",
        "access-control-allow-methods": "POST",
        "access-control-allow-headers": "content-type",
        "access-control-max-age": "600",
      });
      response.end();
    } else if (request.method === "POST" && path === LINK_AUTHENTICATE) {
      const body = parseJsonObject(await readBody(request));
      const reply = await authenticateLink(routing.state, body, async (itemId) => {
        const item = findItemOrThrow(routing.state, itemId);
        const payload = {
          webhook_type: "ITEM",
          webhook_code: "LOGIN_REPAIRED",
          item_id: itemId,
          environment: "sandbox",
        };
        await routing.context.notify(item, payload);
      });
      // The Link page may be served from the app's origin, not the emulator's.
      response.setHeader("access-control-allow-origin", "*");
      sendJson(response, 200, { ...reply, request_id: newRequestId() });
    } else if (path.startsWith("/__emulator/")) {
      await handleAdminRequest(request, response, path, routing.emulator());
    } else {
      await handlePlaidRequest(request, response, path, routing);
    }
  } catch (error) {
    if (!response.headersSent) sendFailure(response, asFailure(error), newRequestId());
    else response.destroy();
  }
}

async function listen(server: Server, port: number, host: string): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const shown = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return `http://${shown}:${address.port}`;
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
  const notify = notifier(state);
  let emulator: Emulator | undefined;
  const routing: Routing = {
    state,
    context: { state, notify },
    credentials,
    emulator: () => {
      if (emulator === undefined) throw new Error("a request arrived before the emulator was ready");
      return emulator;
    },
  };
  const server = createServer((request, response) => {
    void route(request, response, routing);
  });
  const url = await listen(server, options.port ?? 0, options.host ?? "127.0.0.1");
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => (closing ??= closeServer(server, state));
  emulator = { ...createApi(state, credentials, notify), url, close };
  return emulator;
}

async function closeServer(server: Server, state: EmulatorState): Promise<void> {
  await state.webhooks.settle();
  await new Promise<void>((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeAllConnections();
  });
}
