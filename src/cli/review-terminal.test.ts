import { EventEmitter } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough, Writable } from "node:stream";
import { stripVTControlCharacters } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { ACCOUNT, addBankRows, entry, scriptedEngine } from "../../test/support/workflow-books.js";
import type { ExpectedEntry } from "../domain/index.js";
import { InputError } from "../errors/index.js";
import { openStore } from "../store/index.js";
import {
  importExpectedEntries,
  listDecisions,
  listReviewQueue,
  type MatchDetail,
  runReconciliation,
  type WorkflowBankRow,
} from "../workflow/index.js";
import { captureContext } from "./capture.js";
import { renderReview } from "./review-render.js";
import type { ReviewQueue } from "./review-session.js";
import { type ReviewSummary, reviewInTerminal, runReviewTerminal } from "./review-terminal.js";

/**
 * The terminal review driven through fake streams: keys written into a stream that readline
 * turns into keypresses, screens read back from a stream that says it is a terminal of a given
 * size, and a queue over an array that records each decision. The last test runs it over a
 * real SQLite store through the workflow library.
 */

/** A keyboard: what is written comes out as keypresses; raw mode switches are recorded. */
class FakeKeyboard extends PassThrough {
  readonly rawModes: boolean[] = [];
  constructor(readonly isTTY = true) {
    super();
  }
  setRawMode(mode: boolean): this {
    this.rawModes.push(mode);
    return this;
  }
}

/** A screen of `columns` × `rows` that keeps everything written to it. */
class FakeScreen extends Writable {
  private readonly chunks: string[] = [];
  constructor(
    readonly isTTY: boolean,
    readonly columns: number,
    readonly rows: number,
  ) {
    super({ decodeStrings: false });
  }
  override _write(chunk: unknown, _encoding: BufferEncoding, done: () => void): void {
    this.chunks.push(String(chunk));
    done();
  }
  text(): string {
    return this.chunks.join("");
  }
  /** The last screen drawn, without control sequences, as lines. */
  lastFrame(): string[] {
    const frames = this.text().split("\u001b[H");
    return plain(frames.at(-1) ?? "").split(/\r?\n/);
  }
}

/** Text without ANSI control sequences. */
function plain(text: string): string {
  return stripVTControlCharacters(text);
}

function bankRow(id: string, amountMinor: number, date: string, name: string): WorkflowBankRow {
  return {
    id,
    accountId: ACCOUNT,
    amountMinor,
    currency: "USD",
    date,
    authorizedDate: null,
    name,
    merchantName: null,
    checkNumber: null,
    pending: false,
    removedAt: null,
  };
}

function proposal(
  id: string,
  bank: readonly WorkflowBankRow[],
  expected: readonly ExpectedEntry[],
  confidence: number,
): MatchDetail {
  const bankTotalMinor = bank.reduce((s, b) => s + b.amountMinor, 0);
  const ledgerTotalMinor = expected.reduce((s, e) => s + e.amountMinor, 0);
  return {
    match: {
      id,
      runId: "run_1",
      origin: "workflow",
      kind: bank.length === 1 && expected.length === 1 ? "one_to_one" : "many_to_one",
      confidence,
      status: "needs_review",
      amountDifferenceMinor: bankTotalMinor - ledgerTotalMinor,
      currency: "USD",
      pending: false,
      reasons: [
        { feature: "amount", contribution: 50, detail: "same amount" },
        { feature: "date", contribution: -4, detail: "bank 3 days after ledger" },
        { feature: "description", contribution: 12, detail: "names share ACME" },
      ],
      decidedAt: null,
      decidedBy: null,
      memo: null,
      bankTransactionIds: bank.map((b) => b.id),
      expectedIds: expected.map((e) => e.id),
      adjustments: [],
    },
    bank,
    expected,
    bankTotalMinor,
    ledgerTotalMinor,
    differenceMinor: bankTotalMinor - ledgerTotalMinor,
  };
}

const FIRST = proposal(
  "m_first",
  [bankRow("t1", -12_345, "2026-05-04", "ACME CORP PPD ID: 99812 ORIG CO NAME:ACME")],
  [
    entry("INV-1", -12_345, "2026-05-01", "Acme invoice 1", {
      counterparty: "Acme Corp",
      reference: "INV-1",
    }),
  ],
  0.872,
);
const SECOND = proposal(
  "m_second",
  [bankRow("t2", 50_000, "2026-05-06", "DEPOSIT GLOBEX")],
  [entry("INV-2", 50_000, "2026-05-05", "Globex retainer")],
  0.81,
);
/** Holds t1, like FIRST: accepting FIRST withdraws it. */
const RIVAL = proposal(
  "m_rival",
  [bankRow("t1", -12_345, "2026-05-04", "ACME CORP PPD ID: 99812 ORIG CO NAME:ACME")],
  [entry("INV-9", -12_345, "2026-05-02", "Acme invoice 9")],
  0.7,
);
const THIRD = proposal(
  "m_third",
  [bankRow("t3", -999, "2026-05-07", "CARD 4411 STAPLES")],
  [entry("B-3", -999, "2026-05-07", "Office supplies")],
  0.65,
);

/** A queue over an array that records every call; `refuse` names matches the library would refuse. */
function arrayQueue(items: readonly MatchDetail[], refuse: ReadonlySet<string> = new Set()) {
  const calls: string[] = [];
  const queue: ReviewQueue = {
    waiting: async (limit) => items.slice(0, limit),
    accept: async (id) => {
      if (refuse.has(id)) throw new InputError(`match ${id}: ledger entry INV-1 is in a closed period`);
      calls.push(`accept ${id}`);
    },
    reject: async (id) => {
      calls.push(`reject ${id}`);
    },
    unmatch: async (id) => {
      calls.push(`unmatch ${id}`);
    },
  };
  return { queue, calls };
}

interface Driven {
  readonly keyboard: FakeKeyboard;
  readonly screen: FakeScreen;
  readonly signals: EventEmitter;
  readonly done: Promise<ReviewSummary>;
  /** Types `key`; with `then`, waits until the screen shows it. */
  press(key: string, then?: string): Promise<void>;
  waitFor(text: string): Promise<void>;
}

let running: Driven | null = null;

afterEach(async () => {
  // A failed test must not leave a loop listening.
  running?.keyboard.end();
  running = null;
});

function drive(
  queue: ReviewQueue,
  screen = new FakeScreen(true, 100, 30),
  keyboard = new FakeKeyboard(),
): Driven {
  const signals = new EventEmitter();
  const done = runReviewTerminal({
    input: keyboard,
    output: screen,
    queue,
    actor: "tess",
    color: true,
    signals,
  });
  const waitFor = async (text: string) => {
    const deadline = Date.now() + 5_000;
    while (!plain(screen.text()).includes(text)) {
      if (Date.now() > deadline)
        throw new Error(`the screen never showed ${JSON.stringify(text)}:\n${screen.lastFrame().join("\n")}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  };
  const driven: Driven = {
    keyboard,
    screen,
    signals,
    done,
    waitFor,
    async press(key, then) {
      keyboard.write(key);
      if (then !== undefined) await waitFor(then);
    },
  };
  running = driven;
  return driven;
}

describe("the terminal review", () => {
  it("shows one proposal: its place in the queue, bank and ledger side by side, the confidence and the reasons", async () => {
    const { queue } = arrayQueue([FIRST, SECOND, THIRD]);
    const t = drive(queue);
    await t.waitFor("1 of 3");
    const frame = t.screen.lastFrame();
    expect(frame[0]).toBe("bankrec review · 1 of 3 · m_first · by tess");
    expect(frame[1]).toBe("1 bank row ↔ 1 ledger entry · confidence 0.872 · flagged for review");
    const titles = frame.find((l) => l.startsWith("Bank · 1 row")) ?? "";
    expect(titles).toMatch(/^Bank · 1 row · total -123\.45 USD +│ Ledger · 1 entry · total -123\.45 USD$/);
    expect(frame).toContain(
      `${"2026-05-04  -123.45  acc-checking".padEnd(48)} │ 2026-05-01  -123.45  (any account)`,
    );
    expect(
      frame.some((l) => /^ {2}ACME CORP PPD ID: 99812 .* │ {3}Acme invoice 1 · Acme Corp · INV-1$/.test(l)),
    ).toBe(true);
    expect(frame).toContain("Amounts agree.");
    // The reasons in words, strongest first, with their weight.
    const why = frame.indexOf("Why (the engine's reasons, strongest first):");
    expect(frame.slice(why + 1, why + 4)).toEqual([
      "    +50  same amount",
      "    +12  names share ACME",
      "     -4  bank 3 days after ledger",
    ]);
    expect(frame).toContain("[a] accept  [r] reject  [s] skip  [u] undo  [q] quit  [?] help");
    for (const line of frame) expect(line.length).toBeLessThanOrEqual(100);
    await t.press("q");
    const summary = await t.done;
    expect(summary).toMatchObject({ loaded: 3, accepted: 0, stillWaiting: 3, interrupted: false });
  });

  it("takes raw mode, the alternate screen and the cursor on start, and gives every one back on q", async () => {
    const { queue } = arrayQueue([FIRST]);
    const t = drive(queue);
    await t.waitFor("1 of 1");
    expect(t.keyboard.rawModes).toEqual([true]);
    expect(t.screen.text().startsWith("\u001b[?1049h\u001b[?25l\u001b[?7l")).toBe(true);
    await t.press("q");
    await t.done;
    expect(t.keyboard.rawModes).toEqual([true, false]);
    expect(t.screen.text().endsWith("\u001b[?7h\u001b[?25h\u001b[?1049l")).toBe(true);
    expect(t.keyboard.listenerCount("keypress")).toBe(0);
    expect(t.keyboard.isPaused()).toBe(true);
    for (const signal of ["SIGINT", "SIGTERM", "exit"]) expect(t.signals.listenerCount(signal)).toBe(0);
  });

  it("decides with a, r and s through the queue, and u unmatches the last acceptance and shows it again", async () => {
    const { queue, calls } = arrayQueue([FIRST, SECOND, THIRD]);
    const t = drive(queue);
    await t.waitFor("1 of 3");
    await t.press("a", "2 of 3");
    expect(t.screen.lastFrame()).toContain("accepted m_first");
    await t.press("r", "3 of 3");
    expect(t.screen.lastFrame().at(-1)).toBe("rejected m_second: this pairing will not be proposed again");
    await t.press("s", "every proposal loaded has been seen");
    expect(t.screen.lastFrame()).toContain("  1 accepted · 1 rejected · 1 skipped");
    await t.press("u", "back to m_third");
    expect(t.screen.lastFrame()[0]).toBe("bankrec review · 3 of 3 · m_third · by tess");
    await t.press("a", "accepted m_third");
    await t.press("u", "undone: m_third is unmatched");
    expect(t.screen.lastFrame()[0]).toBe("bankrec review · 3 of 3 · m_third · by tess");
    await t.press("q");
    const summary = await t.done;
    expect(calls).toEqual(["accept m_first", "reject m_second", "accept m_third", "unmatch m_third"]);
    expect(summary).toMatchObject({ accepted: 1, rejected: 1, skipped: 0, undone: 1, stillWaiting: 1 });
  });

  it("says a rejection cannot be undone, with the way to pair the rows anyway, and changes nothing", async () => {
    const { queue, calls } = arrayQueue([SECOND, THIRD]);
    const t = drive(queue);
    await t.waitFor("1 of 2");
    await t.press("r", "2 of 2");
    await t.press("u", "cannot be undone");
    // Wrapped to the width rather than cut: the way out is the part that matters.
    expect(t.screen.lastFrame().slice(-2)).toEqual([
      "a rejection cannot be undone (the library keeps it for good); to pair these rows anyway: bankrec",
      "match t2 INV-2",
    ]);
    expect(t.screen.lastFrame()[0]).toBe("bankrec review · 2 of 2 · m_third · by tess");
    await t.press("q");
    await t.done;
    expect(calls).toEqual(["reject m_second"]);
  });

  it("withdraws the proposals an acceptance replaced: they share one of its rows", async () => {
    const { queue, calls } = arrayQueue([FIRST, RIVAL, SECOND]);
    const t = drive(queue);
    await t.waitFor("1 of 3");
    await t.press("a", "3 of 3");
    expect(t.screen.lastFrame().at(-1)).toBe("accepted m_first; 1 other proposal for these rows withdrawn");
    await t.press("q");
    expect(await t.done).toMatchObject({ accepted: 1, withdrawn: 1, stillWaiting: 1 });
    expect(calls).toEqual(["accept m_first"]);
  });

  it("leaves a proposal the library refuses on screen with the library's line", async () => {
    const { queue, calls } = arrayQueue([FIRST, SECOND], new Set(["m_first"]));
    const t = drive(queue);
    await t.waitFor("1 of 2");
    await t.press("a", "closed period");
    const frame = t.screen.lastFrame();
    expect(frame[0]).toBe("bankrec review · 1 of 2 · m_first · by tess");
    expect(frame.at(-1)).toBe("match m_first: ledger entry INV-1 is in a closed period");
    await t.press("x", "that key does nothing here: ? lists the keys");
    await t.press("?", "bankrec review · keys");
    expect(t.screen.lastFrame()).toContain(
      "  r  reject: this exact pairing is never proposed again; the rows stay open",
    );
    await t.press("s", "1 of 2");
    expect(calls).toEqual([]);
    await t.press("q");
    await t.done;
  });

  it("gives the terminal back on Ctrl-C and on SIGINT, reporting it was interrupted", async () => {
    const first = drive(arrayQueue([FIRST]).queue);
    await first.waitFor("1 of 1");
    await first.press("\u0003");
    expect(await first.done).toMatchObject({ interrupted: true });
    expect(first.keyboard.rawModes).toEqual([true, false]);
    expect(first.screen.text().endsWith("\u001b[?1049l")).toBe(true);
    const second = drive(arrayQueue([FIRST]).queue);
    await second.waitFor("1 of 1");
    second.signals.emit("SIGINT");
    expect(await second.done).toMatchObject({ interrupted: true });
    expect(second.keyboard.rawModes).toEqual([true, false]);
    expect(second.signals.listenerCount("SIGINT")).toBe(0);
  });

  it("writes plain text, no control sequence, to a stream that is not a terminal, and ends with its input", async () => {
    const screen = new FakeScreen(false, 100, 30);
    const keyboard = new FakeKeyboard(false);
    const t = drive(arrayQueue([FIRST, SECOND]).queue, screen, keyboard);
    await t.waitFor("1 of 2");
    await t.press("s", "2 of 2");
    keyboard.end();
    expect(await t.done).toMatchObject({ skipped: 1, interrupted: false });
    expect(screen.text()).not.toContain("\u001b");
    expect(keyboard.rawModes).toEqual([]);
  });

  it("returns at once, the terminal untouched, when nothing waits", async () => {
    const t = drive(arrayQueue([]).queue);
    expect(await t.done).toMatchObject({ loaded: 0 });
    expect(t.screen.text()).toBe("");
    expect(t.keyboard.rawModes).toEqual([]);
  });
});

describe("the terminal review's screen", () => {
  const view = (detail: MatchDetail) => ({
    detail,
    position: 1,
    loaded: 1_000,
    more: true,
    counts: { accepted: 0, rejected: 0, skipped: 0, withdrawn: 0, undone: 0 },
    stillWaiting: 1_000,
    actor: "tess",
    notice: null,
    help: false,
  });

  it("stacks the sides on a narrow terminal and cuts every line to its width", () => {
    const lines = renderReview(view(FIRST), { width: 50, height: 30, color: false });
    expect(lines[0]).toBe("bankrec review · 1 of 1,000+ · m_first · by tess");
    const bank = lines.indexOf("Bank · 1 row · total -123.45 USD");
    const ledger = lines.indexOf("Ledger · 1 entry · total -123.45 USD");
    expect(bank).toBeGreaterThan(0);
    expect(ledger).toBeGreaterThan(bank);
    expect(lines[bank + 2]).toBe("  ACME CORP PPD ID: 99812 ORIG CO NAME:ACME");
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(50);
  });

  it("cuts long descriptions, writes control characters out, and keeps a many-row side within the height", () => {
    const payout = proposal(
      "m_payout",
      [bankRow("t9", 1_000_00, "2026-05-09", `STRIPE \u001b[31mTRANSFER ${"X".repeat(200)}`)],
      Array.from({ length: 30 }, (_, i) => entry(`S-${i}`, 3_333, "2026-05-08", `Sale ${i}`)),
      0.61,
    );
    const lines = renderReview(view(payout), { width: 80, height: 24, color: true });
    expect(lines.length).toBeLessThanOrEqual(24);
    for (const line of lines) expect(plain(line).length).toBeLessThanOrEqual(80);
    const text = lines.map(plain).join("\n");
    expect(text).toContain("STRIPE \\x1b[31mTRANSFER XXX");
    expect(text).not.toContain("STRIPE \u001b");
    expect(text).toContain("│ … and 26 more\n");
    expect(text).toContain("Difference 0.10 USD: accepting keeps it as an adjustment (other).");
  });
});

describe("bankrec review in a terminal, over a real store", () => {
  let folder = "";
  afterEach(() => {
    if (folder !== "") rmSync(folder, { recursive: true, force: true });
    folder = "";
  });

  it("records the keys' decisions through the workflow library, with the actor", async () => {
    folder = mkdtempSync(join(tmpdir(), "bankrec-review-terminal-"));
    const url = `sqlite:${join(folder, "books.db")}`;
    const store = await openStore({ url, env: {} });
    try {
      await addBankRows(store, [
        { id: "t1", amountMinor: -12_345, date: "2026-05-04", name: "ACME CORP" },
        { id: "t2", amountMinor: 50_000, date: "2026-05-06", name: "DEPOSIT GLOBEX" },
      ]);
      await importExpectedEntries(store, [
        entry("INV-1", -12_345, "2026-05-01", "Acme invoice 1"),
        entry("INV-2", 50_000, "2026-05-05", "Globex retainer"),
      ]);
      const engine = scriptedEngine([
        { bank: ["t1"], expected: ["INV-1"], confidence: 0.9, needsReview: true },
        { bank: ["t2"], expected: ["INV-2"], confidence: 0.8, needsReview: true },
      ]);
      await runReconciliation(store, { from: "2026-05-01", to: "2026-05-31" }, { actor: "ana", engine });
      const queue = await listReviewQueue(store);
      expect(queue.map((d) => d.bank[0]?.id)).toEqual(["t1", "t2"]);
      const ctx = captureContext({ env: { DATABASE_URL: url }, cwd: folder, stdoutTTY: true, columns: 120 });
      const keyboard = new FakeKeyboard();
      const done = reviewInTerminal({ actor: "tess", note: "checked" }, ctx, {
        input: keyboard,
        signals: new EventEmitter(),
      });
      const until = async (text: string) => {
        for (let i = 0; i < 1_000 && !plain(ctx.stdout.text()).includes(text); i++)
          await new Promise((resolve) => setTimeout(resolve, 5));
      };
      await until("1 of 2");
      keyboard.write("a");
      await until("2 of 2");
      keyboard.write("r");
      await until("every proposal loaded has been seen");
      keyboard.write("q");
      await done;
      // After the alternate screen is left, the shell's screen gets one line.
      expect(ctx.stdout.text().split("\u001b[?1049l").at(-1)).toBe(
        "review by tess: 1 accepted, 1 rejected, 0 skipped; 0 proposals still waiting (bankrec review)\n",
      );
      const decisions = await listDecisions(store);
      const byKind = (kind: string) => decisions.filter((d) => d.kind === kind && d.actor === "tess");
      expect(byKind("accept").map((d) => [d.matchId, d.reason])).toEqual([[queue[0]!.match.id, "checked"]]);
      expect(byKind("reject").map((d) => [d.matchId, d.reason])).toEqual([[queue[1]!.match.id, "checked"]]);
      expect(await listReviewQueue(store)).toEqual([]);
    } finally {
      await store.close();
    }
  });
});
