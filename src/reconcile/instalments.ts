import { ascendingDays, COINCIDENCE_MAX, coincidenceExpectation, type GroupLimits } from "./group-choice.js";
import type { PreparedBank, PreparedExpected } from "./prepare.js";
import { firstDayFor, lastDayFor } from "./score.js";
import { firstAtLeast } from "./sorted.js";

/**
 * Instalments found from the bank side: small sets of open bank rows of one account, close in
 * time, whose sum is exactly an open ledger entry's amount.
 *
 * The ledger-side search (one-to-many.ts) starts from an entry and needs to know which account
 * to look in: its own, or one whose rows name its party. An invoice that names no account, paid
 * by deposits that name nobody (`MOBILE DEPOSIT`, `DEP 0412`), is invisible to it. Here the
 * structure alone proposes: each account's open rows of one sign are combined in twos, threes
 * and fours within a span, every sum looked up among the open entries' amounts. The work grows
 * with the rows and the combinations near each, never with rows times entries. Words only
 * score what this finds (one-to-many.ts), and every sum is weighed by how likely it is to be a
 * coincidence among the combinations of its account and of every account it could have been.
 */
export interface InstalmentCandidate {
  readonly entry: PreparedExpected;
  readonly parts: readonly PreparedBank[];
  /** Expected number of combinations like this one adding up to the amount by chance. */
  readonly chance: number;
}

export interface InstalmentLimits extends GroupLimits {
  /** Most bank rows combined into one entry (hard cap 4). */
  readonly partsMax: number;
}

const PARTS_HARD_MAX = 4;
/**
 * A start row pairs with at most this many later rows of its account, and makes threes and
 * fours with at most the nearer number: a busy account has several deposits a day, and a plan's
 * two halves can be weeks apart, whereas every row added to a set multiplies the sets.
 */
const PAIR_NEIGHBOURS_MAX = 96;
const NEIGHBOURS_MAX = 16;
/** Combinations looked at per account, whatever its size: keeps a busy account bounded. */
const COMBINATIONS_PER_ACCOUNT_MAX = 400_000;

export function instalmentCandidates(
  bank: readonly PreparedBank[],
  expected: readonly PreparedExpected[],
  limits: InstalmentLimits,
): InstalmentCandidate[] {
  const partsMax = Math.min(PARTS_HARD_MAX, Math.max(2, Math.floor(limits.partsMax)));
  // Open entries by currency and amount: the only thing a sum is looked up by.
  const byAmount = new Map<string, Map<number, PreparedExpected[]>>();
  for (const e of expected) {
    if (e.amount === 0 || e.amountMin !== e.amountMax) continue;
    let amounts = byAmount.get(e.currency);
    if (amounts === undefined) byAmount.set(e.currency, (amounts = new Map()));
    const list = amounts.get(e.amount);
    if (list === undefined) amounts.set(e.amount, [e]);
    else list.push(e);
  }
  // Open bank rows by account, currency and sign, in day order.
  const groups = new Map<string, PreparedBank[]>();
  for (const b of bank) {
    if (b.account === null || b.amount === 0 || !byAmount.has(b.currency)) continue;
    const key = `${b.currency}\u0000${b.account}\u0000${b.amount > 0 ? "+" : "-"}`;
    const list = groups.get(key);
    if (list === undefined) groups.set(key, [b]);
    else list.push(b);
  }
  // An entry naming no account could have been paid into any account of its currency: the
  // chance of a coincidence grows with how many there are.
  const accountsByCurrency = new Map<string, number>();
  for (const key of groups.keys()) {
    const currency = key.slice(0, key.indexOf("\u0000"));
    accountsByCurrency.set(currency, (accountsByCurrency.get(currency) ?? 0) + 1);
  }
  // The span of one instalment plan: the entry's whole window, as the engine's date limits say.
  const spanMax = limits.dateWindowBeforeDays + limits.dateWindowAfterDays;
  const out: InstalmentCandidate[] = [];
  const chosen: PreparedBank[] = [];
  for (const rows of groups.values()) {
    rows.sort((x, y) => x.day - y.day || x.index - y.index);
    const days = ascendingDays(rows.map((b) => b.day));
    const amounts = byAmount.get(rows[0]!.currency)!;
    const accounts = accountsByCurrency.get(rows[0]!.currency)!;
    let budget = COMBINATIONS_PER_ACCOUNT_MAX;
    const visit = (from: number, last: number, sum: number) => {
      if (chosen.length >= 2) {
        const entries = amounts.get(sum);
        if (entries !== undefined) {
          for (const e of entries) {
            const candidate = fits(e, chosen, limits, days, accounts);
            if (candidate !== null) out.push(candidate);
          }
        }
      }
      if (chosen.length === partsMax) return;
      const first = chosen[0]!;
      const end = chosen.length === 1 ? last : Math.min(last, start + 1 + NEIGHBOURS_MAX);
      for (let j = from; j < end && budget > 0; j++) {
        const b = rows[j]!;
        if (b.day - first.day > spanMax) break;
        budget--;
        chosen.push(b);
        visit(j + 1, last, sum + b.amount);
        chosen.pop();
      }
    };
    let start = 0;
    for (let i = 0; i < rows.length && budget > 0; i++) {
      start = i;
      chosen.push(rows[i]!);
      visit(i + 1, Math.min(rows.length, i + 1 + PAIR_NEIGHBOURS_MAX), rows[i]!.amount);
      chosen.pop();
    }
  }
  // Sums actually found are the best measure of chance: an entry that several sets add up to
  // has at least that many coincidences among them, however unlikely each one looked. A set
  // counts only the rivals no larger than itself: bigger sets are many more, so one of them
  // adding up by chance says little against a pair.
  const found = new Map<number, number[]>();
  for (const c of out) {
    let sizes = found.get(c.entry.index);
    if (sizes === undefined)
      found.set(c.entry.index, (sizes = new Array<number>(PARTS_HARD_MAX + 1).fill(0)));
    sizes[c.parts.length]!++;
  }
  return out.flatMap((c) => {
    const sizes = found.get(c.entry.index)!;
    let rivals = -1;
    for (let k = 2; k <= c.parts.length; k++) rivals += sizes[k]!;
    const chance = Math.max(c.chance, rivals);
    return chance > COINCIDENCE_MAX ? [] : [{ ...c, chance }];
  });
}

function fits(
  e: PreparedExpected,
  parts: readonly PreparedBank[],
  limits: GroupLimits,
  accountDays: Float64Array,
  accounts: number,
): InstalmentCandidate | null {
  const first = parts[0]!;
  const last = parts[parts.length - 1]!;
  if (e.account !== null && e.account !== first.account) return null;
  if (Math.sign(e.amount) !== Math.sign(first.amount)) return null;
  if (first.day < firstDayFor(e, limits) || last.day > lastDayFor(e, limits)) return null;
  // The rows of the account that could have been part of this plan: the entry's window.
  const dayAt = (k: number) => accountDays[k]!;
  const from = firstAtLeast(accountDays.length, dayAt, firstDayFor(e, limits));
  const to = firstAtLeast(accountDays.length, dayAt, lastDayFor(e, limits) + 1);
  const own = coincidenceExpectation(
    accountDays.subarray(from, to),
    parts.length,
    [],
    0,
    first.day,
    last.day,
    e.amount,
  );
  const chance = own * (e.account === null ? accounts : 1);
  if (chance > COINCIDENCE_MAX) return null;
  return { entry: e, parts: [...parts], chance };
}
