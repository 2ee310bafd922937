import { InputError } from "../errors/index.js";
import { syncUpdatesPayload } from "./endpoints-item.js";
import type { Item } from "./item.js";
import type { EmulatorState } from "./state.js";
import { transactionView } from "./transaction.js";
import type { CreateItemOptions, Emulator, ItemTruth } from "./types.js";

/** The in-process API (everything of `Emulator` but the server's `url` and `close`). */

export type Notify = (item: Item, payload: Record<string, unknown>) => Promise<void>;

/** POSTs to the item's webhook URL, if it has one, and remembers the last code sent. */
export function notifier(state: EmulatorState): Notify {
  return async (item, payload) => {
    if (item.webhook === null) return;
    const delivery = await state.webhooks.deliver(item.webhook, payload);
    item.lastWebhook = { sentAt: delivery.sentAt, code: String(payload.webhook_code) };
  };
}

/** An item by access token or item id; an InputError names the key's start only (it may be a token). */
export function findItemOrThrow(state: EmulatorState, key: string): Item {
  const item = state.findItem(key);
  if (item === undefined) throw new InputError(`no item with access token or item id "${key.slice(0, 18)}…"`);
  return item;
}

export function createApi(
  state: EmulatorState,
  credentials: Emulator["credentials"],
  notify: Notify,
): Omit<Emulator, "url" | "close"> {
  const findItem = (key: string): Item => findItemOrThrow(state, key);
  return {
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
      createItem: async (options: CreateItemOptions = {}) => {
        const item = state.createItem(options, "user_transactions_dynamic");
        if (item.ready) await notify(item, syncUpdatesPayload(item.itemId));
        return { itemId: item.itemId, accessToken: item.accessToken };
      },
      createPublicToken: (options = {}) => state.issuePublicToken(options),
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
  };
}

function itemTruth(item: Item): ItemTruth {
  const transactions = [...item.log.transactions()]
    .sort((a, b) => (a.transaction_id < b.transaction_id ? -1 : 1))
    .map((transaction) => transactionView(transaction, { withOriginal: true, pfcVersion: "v1" }));
  return {
    itemId: item.itemId,
    institutionId: item.institution.institutionId,
    accounts: item.accountsJson(),
    transactions,
    changeCount: item.log.length,
  };
}
