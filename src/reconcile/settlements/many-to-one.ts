import { confidenceOf } from "../confidence.js";
import { type ChosenGroup, chooseGroups } from "../group-choice.js";
import type { PreparedBank, PreparedExpected, Vocabulary } from "../prepare.js";
import { firstRoundTask, inProcessExecutor, type ProposalExecutor } from "./executor.js";
import { type ManyToOneSettings, type Proposal, SettlementProposer } from "./proposals.js";
import { releaseFillCache } from "./search.js";

export type { ManyToOneSettings } from "./proposals.js";

/**
 * Many-to-one matches: one bank row settling several ledger entries (a processor payout of
 * several sales net of its fee row, a customer paying several invoices at once).
 *
 * One sweep over the bank rows in date order. A settlement settles the oldest open entries
 * first, so each bank row searches its pools oldest first and takes its best exact sum; what
 * it takes is closed to later rows. Two payouts therefore never claim the same sale, and an
 * earlier payout's entries do not linger to confuse a later one.
 *
 * Each bank row's proposals (proposals.ts) come from pools of open entries that plausibly
 * belong to it. The first round reads no taken entry, so its rows are independent: `executor`
 * proposes for them, in this thread or shared out among others (executor.ts).
 */
export function chooseManyToOne(
  bank: readonly PreparedBank[],
  expected: readonly PreparedExpected[],
  expectedTotal: number,
  vocabulary: Vocabulary,
  settings: ManyToOneSettings,
  executor: ProposalExecutor = inProcessExecutor,
): ChosenGroup[] {
  const proposer = new SettlementProposer(expected, expectedTotal, vocabulary, settings);
  // Proposals stay valid while none of their entries is taken. Taking another entry of the
  // pools could let a new one in, but searching again whenever any of them goes (a shared
  // processor's entries sit in hundreds of pools) costs far more than the rare settlement it
  // would find (measured: no change in F1, three times the time).
  const cache = new Map<number, Cached>();
  const proposalsFor = (b: PreparedBank): Proposal[] => {
    const cached = cache.get(b.index);
    if (cached?.watched.every((i) => !proposer.isTaken(i))) return cached.list;
    const fresh = cachedOf(proposer.propose(b));
    cache.set(b.index, fresh);
    return fresh.list;
  };
  const chosen: ChosenGroup[] = [];
  let remaining = [...bank].sort((x, y) => x.day - y.day || x.index - y.index);
  const first = executor.proposeAll(
    firstRoundTask(remaining, expected, expectedTotal, vocabulary, settings, proposer),
  );
  for (const [index, list] of first) cache.set(index, cachedOf(list));
  // Peel: accept the settlements nobody disputes, which frees or closes entries for the rest,
  // and repeat; what stays disputed is decided jointly at the end.
  for (let round = 0; round < PEEL_ROUNDS_MAX && remaining.length > 0; round++) {
    const proposals = new Map<number, Proposal[]>();
    for (const b of remaining) {
      const list = proposalsFor(b);
      if (list.length > 0) proposals.set(b.index, list);
    }
    remaining = remaining.filter((b) => proposals.has(b.index));
    const claimants = countClaimants(proposals);
    const accepted = remaining.filter((b) => {
      const list = proposals.get(b.index)!;
      const best = list[0]!;
      const decisive =
        list.length === 1 || best.candidate.score - list[1]!.candidate.score >= DECISIVE_MARGIN;
      return decisive && best.candidate.expected.every((i) => claimants.get(i) === 1);
    });
    if (accepted.length === 0) break;
    for (const b of accepted) {
      const list = proposals.get(b.index)!;
      const best = list[0]!.candidate;
      for (const i of best.expected) proposer.take(i);
      chosen.push({
        candidate: best,
        confidence: confidenceOf(best.score, list[1]?.candidate.score ?? null),
      });
    }
    const done = new Set(accepted.map((b) => b.index));
    remaining = remaining.filter((b) => !done.has(b.index));
  }
  // What stays disputed is decided jointly; each decision closes entries and may settle
  // other disputes, so propose again over what is left, a bounded number of times.
  for (let round = 0; round < JOINT_ROUNDS_MAX && remaining.length > 0; round++) {
    const disputed = remaining.flatMap((b) => proposalsFor(b).map((p) => p.candidate));
    const decided = chooseGroups(disputed);
    if (decided.length === 0) break;
    const done = new Set<number>();
    for (const c of decided) {
      for (const i of c.candidate.expected) proposer.take(i);
      for (const i of c.candidate.bank) done.add(i);
      chosen.push(c);
    }
    remaining = remaining.filter((b) => !done.has(b.index));
  }
  releaseFillCache();
  return chosen;
}

interface Cached {
  readonly list: Proposal[];
  /** Entries whose taking makes the proposals stale. */
  readonly watched: number[];
}

function cachedOf(list: Proposal[]): Cached {
  const watched = new Set<number>();
  for (const p of list) for (const i of p.candidate.expected) watched.add(i);
  return { list, watched: [...watched] };
}

const PEEL_ROUNDS_MAX = 8;
const JOINT_ROUNDS_MAX = 4;
/** A best proposal this many points ahead of the next is not in doubt. */
const DECISIVE_MARGIN = 5;

/** For each entry, how many bank rows propose to take it. */
function countClaimants(proposals: Map<number, Proposal[]>): Map<number, number> {
  const claimants = new Map<number, number>();
  for (const list of proposals.values()) {
    const mine = new Set<number>();
    for (const p of list) for (const i of p.candidate.expected) mine.add(i);
    for (const i of mine) claimants.set(i, (claimants.get(i) ?? 0) + 1);
  }
  return claimants;
}
