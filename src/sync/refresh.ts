import type { Secret } from "../secrets/index.js";
import { accessTokenOf, type Store } from "../store/index.js";
import { recordItemProblem } from "./item-problem.js";

/**
 * What every refresh shares: one Plaid call for an item of this store's tenant, with the
 * item's problems recorded where `bankrec items` shows them.
 *
 * The access token is looked up through the tenant (an item of another tenant is an
 * InputError). When Plaid answers with an item error (ITEM_LOGIN_REQUIRED and the like) the
 * item is marked with what its user must do and the PlaidApiError is rethrown, so that the
 * caller reports it; other failures propagate untouched.
 */
export async function callForItem<T>(
  store: Store,
  itemId: string,
  call: (accessToken: Secret) => Promise<T>,
): Promise<T> {
  const accessToken = await accessTokenOf(store, itemId);
  try {
    return await call(accessToken);
  } catch (error) {
    await recordItemProblem(store, itemId, error);
    throw error;
  }
}
