import { PlaidApiError } from "../plaid/index.js";
import { type Store, setItemStatus } from "../store/index.js";

/** An item state only its owner can fix, with what they must do. */
export interface ItemProblem {
  /** The item status stored: `login_required` or `error`. */
  readonly status: "login_required" | "error";
  readonly errorCode: string;
  /** One sentence for a person: what happened and what to run. */
  readonly action: string;
}

const RELINK = "sign in again with Link in update mode: run `bankrec link --update <item>`";

/** Plaid item errors a user resolves, by code. Anything else is a failure to report as such. */
const ITEM_PROBLEMS: Readonly<Record<string, { status: ItemProblem["status"]; action: string }>> = {
  ITEM_LOGIN_REQUIRED: { status: "login_required", action: `the bank needs the user to ${RELINK}` },
  PENDING_EXPIRATION: { status: "login_required", action: `the item's consent is expiring: ${RELINK}` },
  PENDING_DISCONNECT: { status: "login_required", action: `the item is about to disconnect: ${RELINK}` },
  ITEM_LOCKED: {
    status: "login_required",
    action: `the bank locked the account after failed sign-ins: unlock it at the bank, then ${RELINK}`,
  },
  INSUFFICIENT_CREDENTIALS: { status: "login_required", action: `Link was not completed: ${RELINK}` },
  INVALID_CREDENTIALS: {
    status: "login_required",
    action: `the saved credentials are no longer valid: ${RELINK}`,
  },
  INVALID_MFA: { status: "login_required", action: `the bank needs a new multi-factor sign-in: ${RELINK}` },
  USER_SETUP_REQUIRED: {
    status: "login_required",
    action:
      "the bank needs the user to finish a step on its own website, then sign in again with Link update mode",
  },
  ACCESS_NOT_GRANTED: {
    status: "login_required",
    action: `the user did not share the data this needs: ${RELINK} and grant access`,
  },
  NO_ACCOUNTS: {
    status: "error",
    action: "the item has no accounts left: link the bank again with `bankrec link`",
  },
  ITEM_NOT_FOUND: {
    status: "error",
    action: "Plaid no longer knows this item (it was removed): link the bank again with `bankrec link`",
  },
  INVALID_ACCESS_TOKEN: {
    status: "error",
    action:
      "the stored access token is not valid for this Plaid environment: link the bank again with `bankrec link`",
  },
};

/**
 * The problem a Plaid error means for the item, or null when it is not the item's (a rate
 * limit, an outage, a bug): those propagate as errors. The action names the item, ready to
 * print or store.
 *
 * @example itemProblemOf(error, "item-1")?.action
 * // "the bank needs the user to sign in again with Link in update mode: run `bankrec link --update item-1`"
 */
export function itemProblemOf(error: PlaidApiError, itemId: string): ItemProblem | null {
  const known = ITEM_PROBLEMS[error.errorCode];
  if (known === undefined) return null;
  return {
    status: known.status,
    errorCode: error.errorCode,
    action: known.action.replaceAll("<item>", itemId),
  };
}

/**
 * Marks the item with the problem `error` means for it (where `bankrec items` shows it) and
 * returns the problem; null, and nothing stored, when the error is not the item's.
 */
export async function recordItemProblem(
  store: Store,
  itemId: string,
  error: unknown,
): Promise<ItemProblem | null> {
  const problem = error instanceof PlaidApiError ? itemProblemOf(error, itemId) : null;
  if (problem !== null)
    await setItemStatus(store, itemId, {
      status: problem.status,
      errorCode: problem.errorCode,
      errorMessage: problem.action,
    });
  return problem;
}
