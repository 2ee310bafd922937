import type {
  PreparedBank,
  PreparedExpected,
  SettlementBank,
  SettlementEntry,
  Vocabulary,
} from "../prepare.js";
import {
  decodeProposals,
  encodeProposals,
  type ManyToOneSettings,
  type Proposal,
  SettlementProposer,
} from "./proposals.js";

/**
 * Where the first round of the many-to-one search runs: the one part of the engine worth
 * sharing among threads. That round reads no taken entry, so each bank row's proposals depend
 * on the open entries alone, and any split of the rows between any number of proposers gives
 * the same proposals: an executor decides how long a run takes, never what it finds.
 *
 * The engine is pure, so it has no threads of its own: it runs `inProcessExecutor` unless the
 * caller passes another (the package's `threadedExecutor`, which the CLI uses).
 *
 * @example
 * const inOrder: ProposalExecutor = {
 *   proposeAll: (task) => new Map(task.bank.map((b) => [b.index, task.proposeHere(b)])),
 * };
 * reconcile(bank, expected, { executor: inOrder });
 */
export interface ProposalExecutor {
  /**
   * Proposals for the rows of `task.bank`, by bank index. A row left out costs time, not
   * correctness: the engine proposes for it itself when it gets to it.
   */
  proposeAll(task: ProposalTask): Map<number, Proposal[]>;
}

/** One first round: the open bank rows, and the ways to propose for them here or elsewhere. */
export interface ProposalTask {
  /** The open bank rows in date order, the order this thread proposes fastest in. */
  readonly bank: readonly SettlementBank[];
  /** The proposals for one of `bank`, made in this thread by the engine's own proposer. */
  proposeHere(b: SettlementBank): Proposal[];
  /**
   * What a proposer elsewhere needs (`SnapshotProposer`), as plain data that a structured
   * clone or `v8.serialize` keeps. Built on each call: a copy of every open row.
   */
  snapshot(): ProposalSnapshot;
  /**
   * Proposals a `SnapshotProposer` encoded, scored again here against the engine's own rows:
   * the same as `proposeHere` gives for those rows.
   */
  decode(encoded: Float64Array): Map<number, Proposal[]>;
}

/** The rows and settings of one first round, slim: only what proposing reads. */
export interface ProposalSnapshot {
  readonly expected: readonly SettlementEntry[];
  readonly expectedTotal: number;
  readonly weights: Float64Array;
  /** Learned aliases as [key, weight] pairs (a Map does not cross to a worker as is). */
  readonly aliases: readonly (readonly [string, number])[];
  readonly settings: ManyToOneSettings;
  /** The task's bank rows, in its order. */
  readonly bank: readonly SettlementBank[];
}

/** Every row proposed in this thread, in date order. The engine's default. */
export const inProcessExecutor: ProposalExecutor = Object.freeze({
  proposeAll(task: ProposalTask): Map<number, Proposal[]> {
    const out = new Map<number, Proposal[]>();
    for (const b of task.bank) out.set(b.index, task.proposeHere(b));
    return out;
  },
});

/**
 * Proposes from a snapshot, away from the engine (in a worker thread): rows by their position
 * in `snapshot.bank`, answered as numbers for `ProposalTask.decode`.
 *
 * @example
 * const proposer = new SnapshotProposer(snapshot);
 * for (let i = from; i < to; i++) proposer.proposeAt(i);
 * port.postMessage(proposer.encoded());
 */
export class SnapshotProposer {
  private readonly proposer: SettlementProposer;
  private readonly rows: { bank: number; list: Proposal[] }[] = [];

  constructor(private readonly snapshot: ProposalSnapshot) {
    this.proposer = new SettlementProposer(
      snapshot.expected,
      snapshot.expectedTotal,
      {
        weights: snapshot.weights,
        aliases: snapshot.aliases.length === 0 ? null : new Map(snapshot.aliases),
      },
      snapshot.settings,
    );
  }

  /** Proposes for the bank row at `position` of the snapshot. */
  proposeAt(position: number): void {
    const b = this.snapshot.bank[position]!;
    this.rows.push({ bank: b.index, list: this.proposer.propose(b) });
  }

  /** Everything proposed so far, encoded. */
  encoded(): Float64Array {
    return encodeProposals(this.rows);
  }
}

/** The first round's task over the engine's rows; `proposer` has taken nothing yet. */
export function firstRoundTask(
  bank: readonly PreparedBank[],
  expected: readonly PreparedExpected[],
  expectedTotal: number,
  vocabulary: Vocabulary,
  settings: ManyToOneSettings,
  proposer: SettlementProposer,
): ProposalTask {
  let byIndex: { bank: Map<number, PreparedBank>; expected: Map<number, PreparedExpected> } | null = null;
  return {
    bank,
    proposeHere: (b) => proposer.propose(b),
    snapshot: () => ({
      expected: expected.map(slimEntry),
      expectedTotal,
      weights: vocabulary.weights,
      aliases: vocabulary.aliases === null ? [] : [...vocabulary.aliases],
      settings,
      bank: bank.map(slimBank),
    }),
    decode(encoded) {
      byIndex ??= {
        bank: new Map(bank.map((b) => [b.index, b])),
        expected: new Map(expected.map((e) => [e.index, e])),
      };
      const rows = byIndex;
      return decodeProposals(
        encoded,
        (i) => rows.bank.get(i)!,
        (i) => rows.expected.get(i)!,
        vocabulary,
      );
    },
  };
}

function slimEntry(e: PreparedExpected): SettlementEntry {
  return {
    index: e.index,
    currency: e.currency,
    amount: e.amount,
    day: e.day,
    account: e.account,
    words: e.words,
    wordText: e.wordText,
    counterpartyWords: e.counterpartyWords,
    counterpartyKey: e.counterpartyKey,
  };
}

function slimBank(b: PreparedBank): SettlementBank {
  return {
    index: b.index,
    currency: b.currency,
    amount: b.amount,
    day: b.day,
    account: b.account,
    words: b.words,
    wordText: b.wordText,
    merchant: b.merchant,
    descriptor: b.descriptor,
  };
}
