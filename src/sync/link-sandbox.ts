import type { PlaidGateway } from "../plaid/index.js";
import { PlaidApiError } from "../plaid/index.js";
import type { Secret } from "../secrets/index.js";
import { type Store, saveItem } from "../store/index.js";
import { assertCanSeal } from "../store/items.js";
import { refreshAccounts } from "./refresh-accounts.js";

export interface SandboxLinkOptions {
  /** e.g. "ins_109508" (First Platypus Bank). */
  readonly institutionId: string;
  /** Default ["transactions"]. */
  readonly products?: readonly string[];
  /** A sandbox user such as "user_transactions_dynamic"; Plaid's default is "user_good". */
  readonly user?: string;
}

export interface LinkedItem {
  readonly itemId: string;
  readonly institutionId: string;
  readonly institutionName: string | null;
  readonly products: readonly string[];
}

/**
 * Links a sandbox item without Link (Plaid's sandbox or the emulator): a public token from
 * /sandbox/public_token/create, exchanged, stored with its access token sealed, and every
 * account of the item stored (not only those /transactions/sync happens to name). It does not
 * sync: call `syncItem` next. The sealing key is resolved first: a store that cannot seal (no
 * BANKREC_SECRET_KEY for PostgreSQL, a lost key file) refuses before Plaid creates an item that
 * nothing would store.
 *
 * @example const item = await linkSandboxItem(store, plaid, { institutionId: "ins_109508" });
 */
export async function linkSandboxItem(
  store: Store,
  gateway: PlaidGateway,
  options: SandboxLinkOptions,
): Promise<LinkedItem> {
  assertCanSeal(store);
  const products = options.products ?? ["transactions"];
  const { publicToken } = await gateway.createSandboxPublicToken({
    institutionId: options.institutionId,
    products,
    ...(options.user === undefined ? {} : { overrideUsername: options.user }),
  });
  const { accessToken, itemId } = await gateway.exchangePublicToken(publicToken);
  const institution = await institutionOf(gateway, accessToken);
  const institutionId = institution.id ?? options.institutionId;
  await saveItem(store, {
    id: itemId,
    accessToken,
    institutionId,
    institutionName: institution.name,
    products,
  });
  await refreshAccounts(store, gateway, itemId);
  return { itemId, institutionId, institutionName: institution.name, products };
}

/** The institution's name from /item/get; a link that worked is not undone for a missing label. */
async function institutionOf(
  gateway: PlaidGateway,
  accessToken: Secret,
): Promise<{ id: string | null; name: string | null }> {
  try {
    const item = await gateway.getItem(accessToken);
    return { id: item.institutionId, name: item.institutionName };
  } catch (error) {
    if (error instanceof PlaidApiError) return { id: null, name: null };
    throw error;
  }
}
