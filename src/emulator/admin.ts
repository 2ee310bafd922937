import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import { InputError } from "../errors/index.js";
import { failures, PlaidFailure } from "./errors.js";
import { FAULT_KINDS } from "./faults.js";
import {
  asFailure,
  checkCredentials,
  newRequestId,
  parseJsonObject,
  readBody,
  sendFailure,
  sendJson,
} from "./http.js";
import type { CreateItemOptions, Emulator, FaultRule } from "./types.js";
import { parseBody } from "./validation.js";

/**
 * The admin API over HTTP, for an emulator started by `bankrec emulator`: the same operations
 * as the in-process `Emulator`, under `/__emulator/`, with the same credentials as Plaid calls.
 */

const faultSchema = z.object({
  kind: z.enum(FAULT_KINDS as [string, ...string[]], { message: `must be one of ${FAULT_KINDS.join(", ")}` }),
  item: z.string().optional(),
  endpoint: z.string().optional(),
  times: z.number().int().min(1).optional(),
  probability: z.number().min(0).max(1).optional(),
  errorCode: z.string().optional(),
  latencyMs: z.number().int().min(0).max(60_000).optional(),
});

const itemSchema = z.object({
  institutionId: z.string().optional(),
  user: z.enum(["user_good", "user_transactions_dynamic"]).optional(),
  products: z.array(z.string()).optional(),
  webhook: z.string().url().optional(),
  transactionCount: z.number().int().min(0).max(2_000_000).optional(),
  historyDays: z.number().int().min(1).max(3650).optional(),
  ready: z.boolean().optional(),
});

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

type Route = (emu: Emulator, body: Record<string, unknown>, param: string) => Promise<unknown> | unknown;

const ROUTES: Readonly<Record<string, Route>> = {
  "GET /__emulator/clock": (emu) => ({ today: emu.clock.today() }),
  "POST /__emulator/clock/advance": async (emu, body) => {
    const { days } = parseBody(z.object({ days: z.number().int().min(1).max(3650) }), body);
    await emu.clock.advance(days);
    return { today: emu.clock.today() };
  },
  "POST /__emulator/faults": (emu, body) => {
    emu.faults.set(dropUndefined(parseBody(faultSchema, body)) as FaultRule);
    return { ok: true };
  },
  "DELETE /__emulator/faults": (emu) => {
    emu.faults.clear();
    return { ok: true };
  },
  "POST /__emulator/webhooks/rotate": (emu) => {
    emu.webhooks.rotateKey();
    return { ok: true };
  },
  "GET /__emulator/webhooks": (emu) => ({ deliveries: emu.webhooks.deliveries() }),
  "GET /__emulator/items": (emu) => ({ item_ids: emu.admin.itemIds() }),
  "POST /__emulator/items": async (emu, body) => {
    const handle = await emu.admin.createItem(
      dropUndefined(parseBody(itemSchema, body)) as CreateItemOptions,
    );
    return { item_id: handle.itemId, access_token: handle.accessToken };
  },
  "GET /__emulator/items/:item": (emu, _body, item) => emu.admin.itemTruth(item),
  "POST /__emulator/items/:item/login-required": (emu, body, item) => {
    const { required } = parseBody(z.object({ required: z.boolean().optional() }), body);
    emu.admin.setLoginRequired(item, required ?? true);
    return { ok: true };
  },
  "POST /__emulator/items/:item/complete-initial-update": async (emu, _body, item) => {
    await emu.admin.completeInitialUpdate(item);
    return { ok: true };
  },
};

function route(method: string, path: string): { route: Route; param: string } | undefined {
  const exact = ROUTES[`${method} ${path}`];
  if (exact !== undefined) return { route: exact, param: "" };
  const match = /^\/__emulator\/items\/([^/]+)(\/[a-z-]+)?$/.exec(path);
  if (match === null) return undefined;
  const found = ROUTES[`${method} /__emulator/items/:item${match[2] ?? ""}`];
  if (found === undefined) return undefined;
  try {
    return { route: found, param: decodeURIComponent(match[1] as string) };
  } catch {
    return undefined; // a malformed %-escape names no item
  }
}

export async function handleAdminRequest(
  request: IncomingMessage,
  response: ServerResponse,
  path: string,
  emu: Emulator,
): Promise<void> {
  const requestId = newRequestId();
  try {
    const found = route(request.method ?? "GET", path);
    if (found === undefined) throw failures.notFound(path);
    const body = parseJsonObject(await readBody(request));
    checkCredentials(request, {}, emu.credentials);
    const reply = await found.route(emu, body, found.param);
    sendJson(response, 200, reply);
  } catch (error) {
    // The admin operations throw plain errors for unknown items or bad rules: they are the caller's input.
    const failure =
      error instanceof PlaidFailure
        ? error
        : error instanceof InputError
          ? failures.invalidField(error.message)
          : asFailure(error);
    sendFailure(response, failure, requestId);
  }
}
