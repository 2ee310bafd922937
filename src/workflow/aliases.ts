import { descriptorKey, type LearnedAlias } from "../reconcile/index.js";

/**
 * What accepted matches teach, pure: a bank descriptor seen with a ledger counterparty. The
 * store counts each pairing's acceptances (`learned_aliases`); a run hands the engine each
 * pairing with a weight from its count.
 */

/** A descriptor and counterparty taught by one accepted match. */
export interface AliasPairing {
  readonly descriptor: string;
  readonly counterparty: string;
}

/**
 * The pairing an accepted match teaches: only a match of one bank row whose entries all name
 * one counterparty (then the bank's descriptor surely names that payer or payee). A payout
 * settling many customers' sales names many counterparties and teaches nothing: its descriptor
 * is the processor's, not theirs. A descriptor with no words (all numbers) teaches nothing.
 *
 * @example aliasPairingsOf([{ name: "ORIG CO NAME:ACME SUPPLY CO ENTRY DESCR:PAYMENT" }], [{ counterparty: "Acme Supply Co." }])
 * // [{ descriptor: "ACME SUPPLY …", counterparty: "Acme Supply Co." }]
 */
export function aliasPairingsOf(
  bankRows: readonly { readonly name: string }[],
  entries: readonly { readonly counterparty: string | null }[],
): AliasPairing[] {
  const [only, ...others] = bankRows;
  if (only === undefined || others.length > 0) return [];
  const descriptor = descriptorKey(only.name);
  if (descriptor === "") return [];
  const named = new Map<string, string>();
  for (const entry of entries) {
    const counterparty = entry.counterparty?.trim() ?? "";
    const key = counterparty.replace(/\s+/g, " ").toLowerCase();
    // The first spelling is kept; the store compares by the key.
    if (counterparty !== "" && !named.has(key)) named.set(key, counterparty);
  }
  const [counterparty, ...otherNames] = [...named.values()];
  return counterparty === undefined || otherNames.length > 0 ? [] : [{ descriptor, counterparty }];
}

/**
 * How much a pairing accepted `count` times teaches (0..1), when its descriptor was accepted
 * `descriptorCount` times in all (with any counterparty). One acceptance is good evidence (0.6)
 * and each further one adds 0.1, up to certainty at five; times the pairing's share of its
 * descriptor's acceptances, so that a generic descriptor ("MOBILE DEPOSIT", seen with twenty
 * payers) teaches little about any one of them.
 *
 * @example aliasWeight(1) // 0.6
 * @example aliasWeight(9) // 1
 * @example aliasWeight(2, 4) // 0.35 (0.7 × 2/4)
 */
export function aliasWeight(count: number, descriptorCount: number = count): number {
  if (count <= 0) return 0;
  const evidence = Math.min(1, 0.5 + 0.1 * count);
  const share = descriptorCount > count ? count / descriptorCount : 1;
  return Math.round(evidence * share * 1000) / 1000;
}

/**
 * The engine's `learnedAliases` from stored counts (see `aliasWeight`).
 *
 * @example reconcile(bank, ledger, { learnedAliases: learnedAliasesOf(await listLearnedAliases(store)) })
 */
export function learnedAliasesOf(
  stored: readonly {
    readonly descriptor: string;
    readonly counterparty: string;
    readonly acceptedCount: number;
  }[],
): LearnedAlias[] {
  const byDescriptor = new Map<string, number>();
  for (const a of stored)
    byDescriptor.set(a.descriptor, (byDescriptor.get(a.descriptor) ?? 0) + Math.max(0, a.acceptedCount));
  return stored
    .filter((a) => a.acceptedCount > 0)
    .map((a) => ({
      descriptor: a.descriptor,
      counterparty: a.counterparty,
      weight: aliasWeight(a.acceptedCount, byDescriptor.get(a.descriptor) ?? a.acceptedCount),
    }));
}
