import { BankrecError } from "../errors/index.js";
import type { MatchDetail } from "../workflow/index.js";

/**
 * What the terminal review remembers between keys: the proposals loaded when it started, where
 * the person is, and the steps they took, so that `u` can take the last one back. The store
 * is reached only through a `ReviewQueue`, which the command builds over the library and tests
 * build over an array.
 */

/**
 * The review queue as the terminal review needs it: the proposals waiting and the three
 * decisions it takes. The command's queue calls the workflow library with the person's name.
 */
export interface ReviewQueue {
  /** Proposals waiting for a person, most confident first, at most `limit`. */
  waiting(limit: number): Promise<readonly MatchDetail[]>;
  accept(matchId: string): Promise<void>;
  /** That exact pairing is never proposed again; the library has no way to take it back. */
  reject(matchId: string): Promise<void>;
  /** Undoes an acceptance: the rows are open again, and the proposal may be decided anew. */
  unmatch(matchId: string): Promise<void>;
}

/** Where a proposal stands in this session. */
export type EntryState = "open" | "accepted" | "rejected" | "skipped" | "withdrawn";

/** A line under the proposal saying what the last key did. */
export interface Notice {
  readonly tone: "ok" | "warn" | "error";
  readonly text: string;
}

export interface SessionCounts {
  readonly accepted: number;
  readonly rejected: number;
  readonly skipped: number;
  /** Proposals an acceptance replaced, because they held one of its rows. */
  readonly withdrawn: number;
  /** Acceptances taken back with `u`. */
  readonly undone: number;
}

interface Step {
  readonly kind: "accept" | "reject" | "skip";
  readonly index: number;
  /** Proposals this acceptance withdrew (the library replaced them; an undo does not bring them back). */
  readonly withdrew: readonly number[];
}

/** Steps `u` can reach back: far more than a session takes, and a bound all the same. */
const HISTORY_MAX = 10_000;

/**
 * The proposals of one terminal review and the person's steps through them. Each decision goes
 * to the queue first and changes the session only when the queue took it: a decision refused
 * by the library (a closed period, a row taken meanwhile) leaves the proposal on screen with
 * the library's one line.
 */
export class ReviewSession {
  private readonly states: EntryState[];
  private readonly history: Step[] = [];
  private cursor = 0;
  private undone = 0;

  /**
   * @param entries the proposals loaded, in the queue's order
   * @param more whether the queue held more than were loaded
   */
  constructor(
    private readonly queue: ReviewQueue,
    readonly entries: readonly MatchDetail[],
    readonly more: boolean,
  ) {
    this.states = entries.map(() => "open");
    this.cursor = this.nextOpen(0);
  }

  /** The proposal on screen, or null when every one has been seen. */
  current(): MatchDetail | null {
    return this.entries[this.cursor] ?? null;
  }

  /** The 1-based place of the proposal on screen among those loaded. */
  position(): number {
    return Math.min(this.cursor, this.entries.length) + 1;
  }

  counts(): SessionCounts {
    const count = (state: EntryState) => this.states.filter((s) => s === state).length;
    return {
      accepted: count("accepted"),
      rejected: count("rejected"),
      skipped: count("skipped"),
      withdrawn: count("withdrawn"),
      undone: this.undone,
    };
  }

  /** Proposals still waiting in the store when the session ends: not decided, not withdrawn. */
  stillWaiting(): number {
    return this.states.filter((s) => s === "open" || s === "skipped").length;
  }

  async accept(): Promise<Notice | null> {
    const entry = this.current();
    if (entry === null) return null;
    const refused = await attempt(() => this.queue.accept(entry.match.id));
    if (refused !== null) return refused;
    const withdrew = this.rivalsOf(this.cursor);
    for (const i of withdrew) this.states[i] = "withdrawn";
    this.record("accept", withdrew);
    const also =
      withdrew.length === 0 ? "" : `; ${plural(withdrew.length, "other proposal")} for these rows withdrawn`;
    return { tone: "ok", text: `accepted ${entry.match.id}${also}` };
  }

  async reject(): Promise<Notice | null> {
    const entry = this.current();
    if (entry === null) return null;
    const refused = await attempt(() => this.queue.reject(entry.match.id));
    if (refused !== null) return refused;
    this.record("reject", []);
    return { tone: "ok", text: `rejected ${entry.match.id}: this pairing will not be proposed again` };
  }

  skip(): Notice | null {
    const entry = this.current();
    if (entry === null) return null;
    this.record("skip", []);
    return { tone: "ok", text: `skipped ${entry.match.id}: it stays in the queue` };
  }

  /**
   * Takes the last step back: a skip by going back to it, an acceptance by unmatching it (its
   * rows are open again and it is shown to be decided anew). A rejection cannot be taken back:
   * the library records it for good, so the notice says how to pair the rows anyway.
   */
  async undo(): Promise<Notice> {
    const step = this.history.at(-1);
    if (step === undefined) return { tone: "warn", text: "nothing to undo in this session" };
    const entry = this.entries[step.index] as MatchDetail;
    if (step.kind === "reject")
      return {
        tone: "warn",
        text: `a rejection cannot be undone (the library keeps it for good); to pair these rows anyway: bankrec match ${idsWords(entry.bank.map((b) => b.id))} ${idsWords(entry.expected.map((e) => e.id))}`,
      };
    if (step.kind === "accept") {
      const refused = await attempt(() => this.queue.unmatch(entry.match.id));
      if (refused !== null) return refused;
      this.undone++;
    }
    this.history.pop();
    this.states[step.index] = "open";
    this.cursor = step.index;
    if (step.kind === "skip") return { tone: "ok", text: `back to ${entry.match.id}` };
    const still =
      step.withdrew.length === 0
        ? ""
        : `; the ${plural(step.withdrew.length, "proposal")} it withdrew wait for the next run`;
    return { tone: "ok", text: `undone: ${entry.match.id} is unmatched, its rows open again${still}` };
  }

  private record(kind: Step["kind"], withdrew: readonly number[]): void {
    this.states[this.cursor] = kind === "accept" ? "accepted" : kind === "reject" ? "rejected" : "skipped";
    this.history.push({ kind, index: this.cursor, withdrew });
    if (this.history.length > HISTORY_MAX) this.history.shift();
    this.cursor = this.nextOpen(this.cursor + 1);
  }

  private nextOpen(from: number): number {
    let i = from;
    while (i < this.entries.length && this.states[i] !== "open") i++;
    return i;
  }

  /** Open or skipped proposals sharing a bank row or a ledger entry with the one at `index`. */
  private rivalsOf(index: number): number[] {
    const chosen = this.entries[index] as MatchDetail;
    const bank = new Set(chosen.match.bankTransactionIds);
    const expected = new Set(chosen.match.expectedIds);
    const out: number[] = [];
    this.entries.forEach((other, i) => {
      if (i === index || (this.states[i] !== "open" && this.states[i] !== "skipped")) return;
      const shares =
        other.match.bankTransactionIds.some((id) => bank.has(id)) ||
        other.match.expectedIds.some((id) => expected.has(id));
      if (shares) out.push(i);
    });
    return out;
  }
}

/** Runs a decision; the library's refusal (bad input, one line) becomes a notice, anything else is thrown. */
async function attempt(decide: () => Promise<void>): Promise<Notice | null> {
  try {
    await decide();
    return null;
  } catch (error) {
    if (error instanceof BankrecError) return { tone: "error", text: error.message };
    throw error;
  }
}

function idsWords(ids: readonly string[]): string {
  return ids.join(",");
}

/**
 * A count with its noun, for people.
 *
 * @example plural(2, "entry", "entries") // "2 entries"
 */
export function plural(n: number, word: string, words = `${word}s`): string {
  return `${n.toLocaleString("en-US")} ${n === 1 ? word : words}`;
}
