import type { z } from "zod";
import type { Item } from "./item.js";
import type { EmulatorState } from "./state.js";
import { parseBody } from "./validation.js";

/** What every endpoint handler can reach. */
export interface EndpointContext {
  readonly state: EmulatorState;
  /** POSTs a webhook to the item's URL (if it has one); resolves when answered. */
  notify(item: Item, payload: Record<string, unknown>): Promise<void>;
}

export type Reply = Record<string, unknown>;

export interface Endpoint {
  readonly path: string;
  /** Whether the body names an item by `access_token`. */
  readonly usesItem: boolean;
  /** Whether an item in ITEM_LOGIN_REQUIRED is refused (calls that need the bank). */
  readonly needsLogin: boolean;
  run(context: EndpointContext, body: Record<string, unknown>, item: Item | null): Promise<Reply>;
}

/** An endpoint whose body carries `access_token`; the router resolves the item first. */
export function itemEndpoint<T>(
  path: string,
  schema: z.ZodType<T>,
  needsLogin: boolean,
  handle: (context: EndpointContext, body: T, item: Item) => Reply | Promise<Reply>,
): Endpoint {
  return {
    path,
    usesItem: true,
    needsLogin,
    run: async (context, body, item) => {
      const parsed = parseBody(schema, body);
      if (item === null) throw new Error(`${path}: the router did not resolve the item`);
      return handle(context, parsed, item);
    },
  };
}

export function plainEndpoint<T>(
  path: string,
  schema: z.ZodType<T>,
  handle: (context: EndpointContext, body: T) => Reply | Promise<Reply>,
): Endpoint {
  return {
    path,
    usesItem: false,
    needsLogin: false,
    run: async (context, body) => handle(context, parseBody(schema, body)),
  };
}
