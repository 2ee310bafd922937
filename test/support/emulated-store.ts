import { afterAll, beforeAll } from "vitest";
import { type CreateItemOptions, type Emulator, startEmulator } from "../../src/emulator/index.js";
import { plaidGatewayFor } from "../../src/emulator/testing.js";
import type { PlaidGateway } from "../../src/plaid/index.js";
import { toSecret } from "../../src/secrets/index.js";
import { type Store, saveItem } from "../../src/store/index.js";
import type { StoreCase } from "./stores.js";

/** Retries without the production backoff, so fault tests take milliseconds. */
export const FAST_RETRY = { delayBaseMs: 1, delayMaxMs: 2 };

export interface EmulatedStore {
  readonly emu: Emulator;
  readonly gateway: PlaidGateway;
  /**
   * A fresh store holding one new emulator item (default: `user_transactions_dynamic`, whose
   * history changes as the clock advances), its token sealed as `bankrec link` would.
   */
  linkedStore(options?: CreateItemOptions): Promise<LinkedStore>;
}

export interface LinkedStore {
  readonly store: Store;
  readonly url: string;
  readonly itemId: string;
  /** The token in the clear, for fault rules and for asserting it never leaks. */
  readonly accessToken: string;
}

/**
 * Starts an emulator and a gateway on it before a describe block's tests and stops them (and
 * drops the store case's databases) after. Call it inside `describe`.
 */
export function useEmulatedStore(storeCase: StoreCase, seed: number): EmulatedStore {
  let emu: Emulator | undefined;
  let gateway: PlaidGateway | undefined;
  beforeAll(async () => {
    emu = await startEmulator({ seed });
    gateway = plaidGatewayFor(emu, { retry: FAST_RETRY });
  });
  afterAll(async () => {
    await emu?.close();
    await storeCase.cleanup();
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error("the emulator starts in beforeAll");
    return value;
  };
  return {
    get emu() {
      return started(emu);
    },
    get gateway() {
      return started(gateway);
    },
    async linkedStore(options = {}) {
      const url = storeCase.freshUrl();
      const store = await storeCase.open({ url });
      const created = await started(emu).admin.createItem({ user: "user_transactions_dynamic", ...options });
      await saveItem(store, {
        id: created.itemId,
        accessToken: toSecret(created.accessToken),
        institutionId: options.institutionId ?? "ins_109508",
        ...(options.products === undefined ? {} : { products: options.products }),
      });
      return { store, url, itemId: created.itemId, accessToken: created.accessToken };
    },
  };
}
