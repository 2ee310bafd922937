import { emitKeypressEvents, type Key } from "node:readline";
import { escapeControls } from "../errors/index.js";
import type { Store } from "../store/index.js";
import type { AdjustmentReason, QueueFilter } from "../workflow/index.js";
import { actorOf } from "./commands/workflow-options.js";
import { type CliContext, type CliStream, colorEnabled } from "./context.js";
import { unitInterval, wholeNumber } from "./options.js";
import { actionOfKey, type ReviewAction } from "./review-keys.js";
import { renderReview } from "./review-render.js";
import {
  type Notice,
  plural,
  type ReviewQueue,
  ReviewSession,
  type SessionCounts,
} from "./review-session.js";
import { type StoreFlags, withStore } from "./store-options.js";

/**
 * `bankrec review` in a terminal: one proposal at a time, decided with one key. The loop takes
 * its streams, its queue and its signals from the caller, so tests drive it with fake streams
 * and an array, and the command hands it the process's and the workflow library's.
 *
 * The terminal is put back as it was on every way out (q, Ctrl-C, end of input, SIGINT,
 * SIGTERM, an error, the process exiting): raw mode off, the cursor shown, line wrapping on and
 * the alternate screen left, so the shell's own screen comes back untouched. Control sequences
 * are written only to a terminal; to anything else each screen is plain text.
 */

/** Where keys come from: a terminal in raw mode, or any readable stream (tests). */
export interface TerminalInput extends NodeJS.ReadableStream {
  readonly isTTY?: boolean;
  setRawMode?(mode: boolean): unknown;
}

/** Where screens go; a terminal says its size (and emits `resize`). */
export interface TerminalOutput extends CliStream {
  readonly rows?: number | undefined;
}

type SignalName = "SIGINT" | "SIGTERM" | "exit";

/** The process's signals, or a test's emitter. */
export interface Signals {
  on(event: SignalName, listener: () => void): unknown;
  off(event: SignalName, listener: () => void): unknown;
}

export interface ReviewTerminalOptions {
  readonly input: TerminalInput;
  readonly output: TerminalOutput;
  readonly queue: ReviewQueue;
  /** Who decides: shown on screen (the queue records it with each decision). */
  readonly actor: string;
  /** ANSI colour; control sequences follow `output.isTTY` whatever this says. */
  readonly color: boolean;
  /** Proposals loaded at the start (default 1,000). */
  readonly limit?: number;
  /** Default: the process's. */
  readonly signals?: Signals;
}

/** What a terminal review did. */
export interface ReviewSummary extends SessionCounts {
  readonly loaded: number;
  /** The queue held more than were loaded. */
  readonly more: boolean;
  /** Proposals of those loaded still waiting in the store. */
  readonly stillWaiting: number;
  /** Left by Ctrl-C or a signal rather than q. */
  readonly interrupted: boolean;
}

/** Proposals loaded at the start unless told: a long morning's work. */
export const REVIEW_LOADED_DEFAULT = 1_000;
/** At most this many proposals are loaded at once (the list's own bound). */
export const REVIEW_LOADED_MAX = 100_000;
/** Keys typed ahead of a slow decision that are kept; more are dropped. */
const KEYS_PENDING_MAX = 32;

const ESC = "\u001b[";
/** Alternate screen, cursor hidden, no line wrapping (a too-long line is cut, never wraps). */
const ENTER = `${ESC}?1049h${ESC}?25l${ESC}?7l`;
const LEAVE = `${ESC}?7h${ESC}?25h${ESC}?1049l`;
const HOME = `${ESC}H`;
const CLEAR_LINE_END = `${ESC}K`;
const CLEAR_SCREEN_END = `${ESC}J`;

/**
 * Runs the terminal review until the person quits; every decision is taken through `queue`
 * as its key is pressed. With nothing waiting it returns at once without touching the terminal.
 *
 * @example
 * const summary = await runReviewTerminal({ input: process.stdin, output: process.stdout, queue, actor: "ana", color: true });
 * console.log(summary.accepted, summary.rejected);
 */
export async function runReviewTerminal(options: ReviewTerminalOptions): Promise<ReviewSummary> {
  const limit = options.limit ?? REVIEW_LOADED_DEFAULT;
  const loaded = await options.queue.waiting(limit + 1);
  const session = new ReviewSession(options.queue, loaded.slice(0, limit), loaded.length > limit);
  const interrupted = session.entries.length === 0 ? false : await new TerminalLoop(options, session).run();
  return {
    ...session.counts(),
    loaded: session.entries.length,
    more: session.more,
    stillWaiting: session.stillWaiting(),
    interrupted,
  };
}

type Pending = ReviewAction | "unknown";

/** One run of the key loop: listeners on, keys handled one at a time, everything off at the end. */
class TerminalLoop {
  private readonly ansi: boolean;
  private readonly signals: Signals;
  private readonly pending: Pending[] = [];
  private notice: Notice | null = null;
  private help = false;
  private busy = false;
  private finished = false;
  private interrupted = false;
  private failure: unknown = null;
  private settle: ((interrupted: boolean) => void) | null = null;
  private fail: ((error: unknown) => void) | null = null;
  private entered = false;

  constructor(
    private readonly options: ReviewTerminalOptions,
    private readonly session: ReviewSession,
  ) {
    this.ansi = options.output.isTTY === true;
    this.signals = options.signals ?? processSignals;
  }

  run(): Promise<boolean> {
    return new Promise<boolean>((resolve, reject) => {
      this.settle = resolve;
      this.fail = reject;
      try {
        this.start();
      } catch (error) {
        this.finish(false, error);
      }
    });
  }

  private start(): void {
    const { input, output } = this.options;
    emitKeypressEvents(input);
    input.on("keypress", this.onKey);
    input.on("end", this.onEnd);
    output.on("resize", this.onResize);
    this.signals.on("SIGINT", this.onSignal);
    this.signals.on("SIGTERM", this.onSignal);
    // Last resort: a crash elsewhere still leaves the terminal usable (all of it is synchronous).
    this.signals.on("exit", this.restore);
    if (input.isTTY === true) input.setRawMode?.(true);
    input.resume();
    if (this.ansi) output.write(ENTER);
    this.entered = true;
    this.draw();
  }

  private readonly onKey = (text: string | undefined, key: Key | undefined): void => {
    if (this.finished) return;
    const action = actionOfKey(text, key);
    if (action === "interrupt") {
      // Not queued behind a slow decision: Ctrl-C gives the terminal back at once.
      this.finish(true);
      return;
    }
    if (this.pending.length >= KEYS_PENDING_MAX) return;
    this.pending.push(action ?? "unknown");
    void this.pump();
  };

  private readonly onEnd = (): void => this.finish(false);
  private readonly onSignal = (): void => this.finish(true);
  private readonly onResize = (): void => {
    if (!this.finished) this.draw();
  };

  /** Handles the keys in order, one decision at a time; a failure ends the loop. */
  private async pump(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      for (
        let action = this.pending.shift();
        action !== undefined && !this.finished;
        action = this.pending.shift()
      )
        await this.handle(action);
    } catch (error) {
      this.finish(false, error);
    } finally {
      this.busy = false;
      this.settleWhenIdle();
    }
  }

  private async handle(action: Pending): Promise<void> {
    if (action === "quit") return this.finish(false);
    if (this.help && action !== "redraw") {
      // Any key closes the help; it decides nothing.
      this.help = false;
      return this.draw();
    }
    this.notice = await this.act(action);
    this.draw();
  }

  private async act(action: Pending): Promise<Notice | null> {
    switch (action) {
      case "accept":
        return this.session.accept();
      case "reject":
        return this.session.reject();
      case "skip":
        return this.session.skip();
      case "undo":
        return this.session.undo();
      case "help":
        this.help = true;
        return null;
      case "redraw":
        return this.notice;
      default:
        return { tone: "warn", text: "that key does nothing here: ? lists the keys" };
    }
  }

  private draw(): void {
    const { output } = this.options;
    const lines = renderReview(
      {
        detail: this.session.current(),
        position: this.session.position(),
        loaded: this.session.entries.length,
        more: this.session.more,
        counts: this.session.counts(),
        stillWaiting: this.session.stillWaiting(),
        actor: this.options.actor,
        notice: this.notice,
        help: this.help,
      },
      { width: output.columns ?? 80, height: output.rows ?? 24, color: this.options.color && this.ansi },
    );
    if (this.ansi)
      output.write(`${HOME}${lines.map((l) => `${l}${CLEAR_LINE_END}`).join("\r\n")}${CLEAR_SCREEN_END}`);
    else output.write(`${lines.join("\n")}\n\n`);
  }

  /** Ends the loop: the terminal is given back now; the promise settles once no decision is in flight. */
  private finish(interrupted: boolean, error: unknown = null): void {
    if (this.finished) return;
    this.finished = true;
    this.interrupted = interrupted;
    this.failure = error;
    const { input, output } = this.options;
    input.off("keypress", this.onKey);
    input.off("end", this.onEnd);
    output.off("resize", this.onResize);
    this.signals.off("SIGINT", this.onSignal);
    this.signals.off("SIGTERM", this.onSignal);
    this.signals.off("exit", this.restore);
    this.restore();
    input.pause();
    this.settleWhenIdle();
  }

  private readonly restore = (): void => {
    const { input, output } = this.options;
    if (input.isTTY === true) input.setRawMode?.(false);
    if (this.entered && this.ansi) output.write(LEAVE);
    this.entered = false;
  };

  private settleWhenIdle(): void {
    if (!this.finished || this.busy) return;
    if (this.failure !== null) this.fail?.(this.failure);
    else this.settle?.(this.interrupted);
    this.settle = null;
    this.fail = null;
  }
}

const processSignals: Signals = {
  on: (event, listener) => process.on(event as "exit", listener),
  off: (event, listener) => process.off(event as "exit", listener),
};

/** The flags of `bankrec review` the terminal review reads (commander hands over all of them). */
export interface ReviewTerminalFlags extends StoreFlags {
  readonly actor?: string;
  readonly note?: string;
  readonly account?: string;
  readonly min?: string;
  readonly limit?: string;
}

/**
 * `bankrec review` in a terminal: opens the store, reviews the queue (narrowed by --account and
 * --min, at most --limit proposals) with the keys, and prints what was done once the terminal
 * is back. Decisions are recorded with --actor (default the user's name) and --note.
 *
 * @example await reviewInTerminal(flags, ctx, { input: process.stdin });
 */
export async function reviewInTerminal(
  flags: ReviewTerminalFlags,
  ctx: CliContext,
  options: {
    readonly input: TerminalInput;
    readonly adjustmentReason?: AdjustmentReason;
    readonly signals?: Signals;
  },
): Promise<ReviewSummary> {
  const actor = actorOf(flags, ctx);
  const limit =
    flags.limit === undefined
      ? REVIEW_LOADED_DEFAULT
      : wholeNumber("--limit", flags.limit, "proposals", 1, REVIEW_LOADED_MAX);
  const filter: QueueFilter = {
    ...(flags.min !== undefined && { confidenceMin: unitInterval("--min", flags.min) }),
    ...(flags.account !== undefined && { accountId: flags.account.trim() }),
  };
  const summary = await withStore(flags, ctx, async (store) => {
    const queue = await storeReviewQueue(store, {
      actor,
      filter,
      ...(flags.note !== undefined && { note: flags.note }),
      ...(options.adjustmentReason !== undefined && { adjustmentReason: options.adjustmentReason }),
    });
    return runReviewTerminal({
      input: options.input,
      output: ctx.stdout,
      queue,
      actor,
      color: colorEnabled(ctx.stdout, ctx.env),
      limit,
      ...(options.signals !== undefined && { signals: options.signals }),
    });
  });
  ctx.stdout.write(`${summaryLine(summary, actor)}\n`);
  return summary;
}

/**
 * The review queue over the store, through the workflow library: each decision one database
 * transaction, recorded with `actor` (and `note` as its reason).
 */
export async function storeReviewQueue(
  store: Store,
  options: {
    readonly actor: string;
    readonly filter?: QueueFilter;
    readonly note?: string;
    readonly adjustmentReason?: AdjustmentReason;
  },
): Promise<ReviewQueue> {
  const workflow = await import("../workflow/index.js");
  const { actor, note } = options;
  const reason = note === undefined ? {} : { reason: note };
  return {
    waiting: (limit) => workflow.listReviewQueue(store, { ...options.filter, limit }),
    accept: async (id) => {
      await workflow.acceptMatches(store, [id], {
        actor,
        ...reason,
        ...(options.adjustmentReason !== undefined && { adjustmentReason: options.adjustmentReason }),
      });
    },
    reject: async (id) => {
      await workflow.rejectMatches(store, [id], { actor, ...reason });
    },
    unmatch: async (id) => {
      await workflow.unmatchMatches(store, [id], { actor, reason: note ?? "undone in bankrec review" });
    },
  };
}

/** "review by ana: 2 accepted, 1 rejected, 3 skipped; 38 still waiting (bankrec review)". */
export function summaryLine(summary: ReviewSummary, actor: string): string {
  if (summary.loaded === 0) return "the review queue is empty";
  const parts = [
    `${summary.accepted} accepted`,
    `${summary.rejected} rejected`,
    `${summary.skipped} skipped`,
  ];
  if (summary.undone > 0) parts.push(`${summary.undone} undone`);
  if (summary.withdrawn > 0) parts.push(`${summary.withdrawn} withdrawn by an acceptance`);
  const waiting = `${plural(summary.stillWaiting, "proposal")}${summary.more ? " and more" : ""} still waiting (bankrec review)`;
  return `${summary.interrupted ? "interrupted; " : ""}review by ${escapeControls(actor)}: ${parts.join(", ")}; ${waiting}`;
}
