import { InputError } from "../errors/index.js";
import type { Store } from "../store/index.js";
import { deleteExpectedEntries, loadExpectedEntries } from "../store/ledger.js";
import {
  acceptedMatchOf,
  insertDecisions,
  openProposalsHolding,
  setMatchStatus,
} from "../store/workflow-matches.js";
import { checkActor, lockInfo } from "./decisions.js";

/** Entries one removal takes at most. */
export const REMOVE_ENTRIES_MAX = 10_000;

/**
 * Removes ledger entries, recorded with who and when (and what each entry was). Refused
 * (InputError, nothing removed) for an id the store does not hold, an entry in an accepted
 * match (undo the match first) or in a closed period. Open proposals holding an entry are
 * replaced: the next run works without it.
 *
 * @example await removeLedgerEntries(store, ["INV-1043"], { actor: "ana" });
 */
export async function removeLedgerEntries(
  store: Store,
  ids: readonly string[],
  options: { readonly actor: string },
): Promise<{ readonly removed: number; readonly replacedProposals: number }> {
  checkActor(options.actor);
  const wanted = [...new Set(ids.map((id) => id.trim()).filter((id) => id !== ""))];
  if (wanted.length === 0) throw new InputError("name at least one ledger entry");
  if (wanted.length > REMOVE_ENTRIES_MAX)
    throw new InputError(`remove at most ${REMOVE_ENTRIES_MAX.toLocaleString("en-US")} entries at once`);
  return store.db.transaction().execute(async (trx) => {
    const entries = await loadExpectedEntries(trx, store.tenantId, wanted);
    const missing = wanted.filter((id) => !entries.has(id));
    if (missing.length > 0)
      throw new InputError(
        `no ledger entry ${missing.slice(0, 5).join(", ")}${missing.length > 5 ? ", …" : ""} in this store`,
      );
    const locked = await lockInfo(trx, store.tenantId, [], wanted);
    for (const [id, lock] of locked.expected)
      throw new InputError(`ledger entry ${id} is in a closed period (${lock}); nothing removed`);
    for (const [id, matchId] of await acceptedMatchOf(trx, store.tenantId, "expected", wanted))
      throw new InputError(
        `ledger entry ${id} is in accepted match ${matchId}: undo it first (bankrec review --unmatch ${matchId}); nothing removed`,
      );
    const at = store.now();
    const proposals = await openProposalsHolding(trx, store.tenantId, "expected", wanted);
    await setMatchStatus(trx, store.tenantId, proposals, "superseded", at, null);
    await deleteExpectedEntries(trx, store.tenantId, wanted);
    await insertDecisions(
      trx,
      store.tenantId,
      wanted.map((id) => ({
        kind: "remove_entry",
        actor: options.actor,
        at,
        detail: { entry: entries.get(id) },
      })),
    );
    return { removed: wanted.length, replacedProposals: proposals.length };
  });
}
