import { execFileSync, spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sampleLedger } from "../src/emulator/index.js";
import { formatAmountPlain } from "../src/money/index.js";
import { listTransactions } from "../src/store/index.js";
import { listDecisions, listReviewQueue, type MatchDetail } from "../src/workflow/index.js";
import { builtCli } from "./support/built-cli.js";
import { type CliStoreHarness, cliStoreHarness } from "./support/cli-store.js";

/**
 * `bankrec review` in a real terminal: the built CLI runs in a detached tmux session (a real
 * pseudo-terminal, 160 × 50), keys are typed with `send-keys` and the screen read back with
 * `capture-pane`. The store is an emulator item synced by `bankrec link`, a ledger made from
 * it and one `reconcile --stored` run; the decisions the keys take are read back through the
 * library. A shell script around the CLI compares `stty -g` before and after, so a terminal left
 * in raw mode fails the test. Without tmux the tests are skipped, except in CI, where they fail.
 */

const TMUX = ((): string | null => {
  const found = spawnSync("sh", ["-c", "command -v tmux"], { encoding: "utf8" });
  return found.status === 0 ? found.stdout.trim() : null;
})();
const SKIP = TMUX === null && process.env.CI === undefined;
if (SKIP)
  console.warn(
    "review-terminal: tmux is not installed; the real-terminal tests are skipped (they run in CI)",
  );

const WIDTH = 160;
const HEIGHT = 50;
const WAIT_MS_MAX = 30_000;

/** Single-quoted for sh. */
function quoted(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

describe.skipIf(SKIP)("bankrec review in a real terminal (tmux)", () => {
  let h: CliStoreHarness;
  let bin: string;
  let socket: string;
  let queue: MatchDetail[];

  const tmux = (...args: string[]): string =>
    execFileSync(TMUX ?? "tmux", ["-S", socket, "-f", "/dev/null", ...args], { encoding: "utf8" });
  // -J joins lines the terminal wrapped (the summary line after a narrow screen).
  const screen = (session: string) => tmux("capture-pane", "-p", "-J", "-t", session);
  const alternateScreen = (session: string) =>
    tmux("display-message", "-p", "-t", session, "#{alternate_on}").trim() === "1";

  /** Waits until the screen shows `text` (or matches it), and returns the screen. */
  async function waitFor(session: string, text: string | RegExp): Promise<string> {
    const deadline = Date.now() + WAIT_MS_MAX;
    let shown = "";
    for (;;) {
      shown = screen(session);
      if (typeof text === "string" ? shown.includes(text) : text.test(shown)) return shown;
      if (/proposals? waiting: bankrec review --accept/.test(shown))
        throw new Error(
          `bankrec review printed the queue as a list in a terminal: the terminal review is not wired into src/cli/commands/review.ts yet\n${shown}`,
        );
      if (Date.now() > deadline) throw new Error(`the terminal never showed ${String(text)}:\n${shown}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /**
   * Starts `bankrec review ARGS` in a new tmux session: the store's environment exported, the
   * terminal's settings compared before and after, the exit code printed, then the pane kept.
   */
  function startReview(session: string, args: readonly string[]): void {
    const script = join(h.folder, `${session}.sh`);
    const exports = Object.entries(h.env).map(([key, value]) => `export ${key}=${quoted(value)}`);
    writeFileSync(
      script,
      [
        ...exports,
        `cd ${quoted(h.folder)}`,
        "before=$(stty -g)",
        `${quoted(process.execPath)} ${quoted(bin)} review ${args.map(quoted).join(" ")}`,
        "code=$?",
        'if [ "$(stty -g)" = "$before" ]; then echo "tty: restored"; else echo "tty: CHANGED"; fi',
        'echo "exit: $code"',
        "sleep 600",
        "",
      ].join("\n"),
    );
    tmux(
      "new-session",
      "-d",
      "-s",
      session,
      "-x",
      String(WIDTH),
      "-y",
      String(HEIGHT),
      `sh ${quoted(script)}`,
    );
  }

  beforeAll(async () => {
    if (TMUX === null) return;
    bin = builtCli();
    h = await cliStoreHarness({ seed: 31 });
    socket = join(h.folder, "tmux.sock");
    const linked = await h.run(["link", "--json"]);
    expect(linked.code, linked.stderr).toBe(0);
    const store = await h.openSame();
    try {
      const ledger = sampleLedger(await listTransactions(store, { limit: 100_000 }), { seed: 31 });
      if (ledger.period === null) throw new Error("the emulator item has no posted rows");
      const path = join(h.folder, "ledger.json");
      writeFileSync(path, ledgerJson(ledger.entries));
      expect((await h.run(["ledger", "import", path])).code).toBe(0);
      const { from, to } = ledger.period;
      const run = await h.run(["reconcile", "--stored", "--from", from, "--to", to, "--actor", "ana"]);
      expect(run.code, run.stderr).toBe(0);
      queue = await listReviewQueue(store);
    } finally {
      await store.close();
    }
    expect(queue.length).toBeGreaterThanOrEqual(3);
  });

  afterAll(async () => {
    if (TMUX === null) return;
    try {
      tmux("kill-server");
    } catch {
      // No server left to kill.
    }
    await h?.close();
  });

  it("needs tmux in CI", () => {
    expect(TMUX, "install tmux (apt-get install -y tmux) for the real-terminal test").not.toBeNull();
  });

  it("accepts with a and rejects with r, and the store shows both decisions by the actor", async () => {
    startReview("decide", ["--actor", "tess"]);
    const first = queue[0]!;
    const shown = await waitFor(
      "decide",
      `bankrec review · 1 of ${queue.length} · ${first.match.id} · by tess`,
    );
    expect(alternateScreen("decide")).toBe(true);
    expect(shown).toMatch(/^Bank · \d+ rows? · total .+ │ Ledger · \d+ entr(y|ies) · total /m);
    expect(shown).toMatch(new RegExp(`^${first.bank[0]!.date}  .* │ \\d{4}-\\d\\d-\\d\\d  `, "m"));
    expect(shown).toContain(`confidence ${first.match.confidence.toFixed(3)}`);
    expect(shown).toContain("Why (the engine's reasons, strongest first):");
    expect(shown).toContain("[a] accept  [r] reject  [s] skip  [u] undo  [q] quit  [?] help");

    tmux("send-keys", "-t", "decide", "a");
    const afterAccept = await waitFor("decide", `accepted ${first.match.id}`);
    const second = /^bankrec review · \d+ of \d+ · (m_[0-9a-f]+) · by tess$/m.exec(afterAccept)?.[1];
    expect(second).toBeDefined();
    expect(second).not.toBe(first.match.id);
    tmux("send-keys", "-t", "decide", "r");
    await waitFor("decide", `rejected ${second}: this pairing will not be proposed again`);
    tmux("send-keys", "-t", "decide", "q");
    const after = await waitFor("decide", /^exit: \d+$/m);
    expect(after).toContain("review by tess: 1 accepted, 1 rejected, 0 skipped;");
    expect(after).toContain("tty: restored");
    expect(after).toMatch(/^exit: 0$/m);
    expect(alternateScreen("decide")).toBe(false);

    const store = await h.openSame();
    try {
      const decisions = (await listDecisions(store)).filter((d) => d.actor === "tess");
      expect(decisions.map((d) => [d.kind, d.matchId]).sort()).toEqual(
        [
          ["accept", first.match.id],
          ["reject", second],
        ].sort(),
      );
      const waiting = (await listReviewQueue(store)).map((d) => d.match.id);
      expect(waiting).not.toContain(first.match.id);
      expect(waiting).not.toContain(second);
    } finally {
      await store.close();
    }
  });

  it("redraws for a narrower terminal and gives the terminal back on Ctrl-C, deciding nothing", async () => {
    const store = await h.openSame();
    const before = (await listDecisions(store)).length;
    try {
      startReview("interrupt", ["--actor", "tess"]);
      await waitFor("interrupt", /^bankrec review · 1 of \d+ · m_/m);
      tmux("resize-window", "-t", "interrupt", "-x", "60", "-y", String(HEIGHT));
      // Too narrow for the sides next to each other: the ledger comes under the bank.
      const narrow = await waitFor("interrupt", /^Ledger · \d+ entr/m);
      for (const line of narrow.split("\n")) expect(line.length).toBeLessThanOrEqual(60);
      tmux("send-keys", "-t", "interrupt", "C-c");
      const after = await waitFor("interrupt", /^exit: \d+$/m);
      expect(after).toMatch(/^interrupted; review by tess: 0 accepted, 0 rejected, 0 skipped;/m);
      expect(after).toContain("tty: restored");
      expect(alternateScreen("interrupt")).toBe(false);
      expect((await listDecisions(store)).length).toBe(before);
    } finally {
      await store.close();
    }
  });
});

/** The ledger as a JSON file of `bankrec ledger import`: amounts as decimal text. */
function ledgerJson(entries: ReturnType<typeof sampleLedger>["entries"]): string {
  return JSON.stringify(
    entries.map((e) => ({
      id: e.id,
      date: e.date,
      amount: formatAmountPlain(e.amountMinor, e.currency),
      currency: e.currency,
      description: e.description,
      counterparty: e.counterparty,
      reference: e.reference,
      account_id: e.accountId,
    })),
  );
}
