// Crash safety of the transactions sync: a child process syncs an emulator item whose history
// keeps changing and is killed with SIGKILL at random instants (while fetching pages, inside
// the apply transaction, after the commit); it is run again; in the end the store must equal
// the emulator's truth exactly and the cursor must be the one the last run committed.
// Reproduce a failure with BANKREC_CRASH_SEED=<the seed it prints>.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../src/emulator/index.js";
import { createRng, hashSeed, type Rng } from "../src/emulator/prng.js";
import { plaidGatewayFor } from "../src/emulator/testing.js";
import { toSecret } from "../src/secrets/index.js";
import { type Store, saveItem } from "../src/store/index.js";
import { syncItem } from "../src/sync/index.js";
import { expectStoreEqualsTruth } from "./support/store-truth.js";
import { type StoreCase, storeCases, TEST_KEY } from "./support/stores.js";

const CHILD = fileURLToPath(new URL("./support/sync-child.mjs", import.meta.url));
const BUILT = fileURLToPath(new URL("../dist/src/index.js", import.meta.url));
const SEED = Number(process.env.BANKREC_CRASH_SEED ?? Math.floor(Math.random() * 2 ** 31));
const KILLS_PER_DIALECT = 12;
const ROUNDS_MAX = 30;
/** Big enough that a first sync takes seconds (100 pages, then a large apply). */
const TRANSACTIONS = 10_000;
const PAGE_SIZE = 100;
const ITEMS_MAX = 4;
const CHILD_TIMEOUT_MS = 30_000;

type Phase = "startup" | "fetching" | "apply" | "committed";
type KillPlan =
  | { readonly afterMs: number }
  | { readonly afterPage: number }
  | { readonly afterApplyMs: number }
  | { readonly afterCommitMs: number };
type ChildRun =
  | { readonly kind: "killed"; readonly phase: Phase; readonly pid: number; readonly ms: number }
  | { readonly kind: "finished"; readonly cursor: string; readonly ms: number; readonly startupMs: number };

interface TrackedItem {
  readonly itemId: string;
  readonly accessToken: string;
  cursor: string | null;
}

interface Tally {
  kills: number;
  finished: number;
  takeovers: number;
  phases: Record<Phase, number>;
}

const cases = await storeCases();

describe.each(cases)("sync killed at random instants on $dialect", (storeCase) => {
  let emu: Emulator;

  beforeAll(async () => {
    if (!existsSync(BUILT))
      throw new Error(`${BUILT} is missing: the crash test runs the built library; run \`npm run build\``);
    emu = await startEmulator({ seed: hashSeed(`${SEED}:emulator`) });
  });
  afterAll(async () => {
    await emu?.close();
    await storeCase.cleanup();
  });

  it.skipIf(!storeCase.available)(
    "ends equal to the emulator's truth with a consistent cursor after repeated SIGKILLs",
    async () => {
      const url = storeCase.freshUrl();
      const store = await storeCase.open({ url });
      try {
        const rng = createRng(hashSeed(`${SEED}:${storeCase.dialect}`));
        const scenario = new Scenario(storeCase, emu, store, url, rng);
        const tally = await scenario.killRepeatedly();
        console.log(
          `sync-crash ${storeCase.dialect} (seed ${SEED}): ${tally.kills} kills ` +
            `(startup ${tally.phases.startup}, fetching ${tally.phases.fetching}, ` +
            `apply ${tally.phases.apply}, after commit ${tally.phases.committed}), ` +
            `${tally.finished} runs finished, ${storeCase.dialect === "sqlite" ? `${tally.takeovers} leases of killed children taken over, ` : ""}${scenario.items.length} items`,
        );
        expect(tally.kills).toBeGreaterThanOrEqual(KILLS_PER_DIALECT);
        expect(tally.phases.apply).toBeGreaterThanOrEqual(2);
        expect(tally.phases.fetching).toBeGreaterThanOrEqual(1);
        expect(tally.phases.committed).toBeGreaterThanOrEqual(1);
        if (storeCase.dialect === "sqlite") expect(tally.takeovers).toBeGreaterThanOrEqual(1);
        await scenario.finishAndVerify();
        const printed = childOutput.join("");
        expect(printed).toContain("synced ");
        for (const item of scenario.items) expect(printed.includes(item.accessToken)).toBe(false);
      } catch (error) {
        console.error(`sync-crash failed on ${storeCase.dialect}; rerun with BANKREC_CRASH_SEED=${SEED}`);
        throw error;
      } finally {
        emu.faults.clear();
        await store.close();
      }
    },
    80_000,
  );
});

/** One dialect's run: a store, the items synced into it, and the kills. */
class Scenario {
  readonly items: TrackedItem[] = [];
  /**
   * How long a child took to sync a fresh item whole, and to sync an item already synced (a
   * few days of changes): the ranges random kills are drawn from.
   */
  #fullRunMs = 3000;
  #incrementalRunMs = 1000;
  /** Node's start, the store's opening and the first page: kills there are drawn less often. */
  #startupMs = 500;
  readonly #killedPids = new Set<number>();

  constructor(
    readonly storeCase: StoreCase,
    readonly emu: Emulator,
    readonly store: Store,
    readonly url: string,
    readonly rng: Rng,
  ) {}

  async killRepeatedly(): Promise<Tally> {
    const tally: Tally = {
      kills: 0,
      finished: 0,
      takeovers: 0,
      phases: { startup: 0, fetching: 0, apply: 0, committed: 0 },
    };
    // A first item synced whole, unharmed: how long a full sync takes here, and an item whose
    // later runs are small incremental ones.
    const warm = await this.newItem();
    const first = await runChild(this.childEnv(warm.itemId), null);
    if (first.kind !== "finished") throw new Error("the warm-up run was killed without a kill plan");
    warm.cursor = first.cursor;
    this.#fullRunMs = first.ms;
    this.#startupMs = first.startupMs;
    let current = await this.newItem();
    for (let round = 0; tally.kills < KILLS_PER_DIALECT; round++) {
      if (round >= ROUNDS_MAX) throw new Error(`only ${tally.kills} kills in ${ROUNDS_MAX} rounds`);
      if (round > 0) await this.emu.clock.advance(1);
      if (this.rng.chance(0.3)) {
        this.emu.faults.set({
          kind: "mutation_during_pagination",
          item: current.accessToken,
          endpoint: "/transactions/sync",
          probability: 0.05,
          times: 1,
        });
      }
      const staleLeasePid = await this.leasePid(current.itemId);
      const run = await this.runRound(current, round);
      if (staleLeasePid !== null && (run.kind === "finished" || run.phase !== "startup")) tally.takeovers++;
      if (run.kind === "killed") {
        tally.kills++;
        tally.phases[run.phase]++;
        this.#killedPids.add(run.pid);
        await this.expectNoLeaseOfLiveChild(current.itemId);
        continue;
      }
      tally.finished++;
      if (current.cursor === null) this.#fullRunMs = run.ms;
      else this.#incrementalRunMs = run.ms;
      current.cursor = run.cursor;
      if (this.items.length < ITEMS_MAX && this.rng.chance(0.7)) current = await this.newItem();
    }
    return tally;
  }

  /** One child run, killed as {@link killPlan} draws it. */
  async runRound(item: TrackedItem, round: number): Promise<ChildRun> {
    const runMs = item.cursor === null ? this.#fullRunMs : this.#incrementalRunMs;
    const plan = this.killPlan(round, item.cursor === null, runMs);
    // History that changes while the child pages through it: Plaid's mutation during pagination.
    const advanceAtMs = this.rng.chance(0.25) ? this.rng.between(0, runMs) : null;
    let advanced: Promise<void> = Promise.resolve();
    const timer =
      advanceAtMs === null
        ? null
        : setTimeout(() => {
            advanced = this.emu.clock.advance(1);
          }, advanceAtMs);
    try {
      return await runChild(this.childEnv(item.itemId, "afterCommitMs" in plan), plan);
    } finally {
      if (timer !== null) clearTimeout(timer);
      await advanced;
    }
  }

  /**
   * Most kills come at a random delay from the child's start. Every third round is killed
   * shortly after it starts applying (a fresh item's apply takes most of a second, so those
   * land inside it; an incremental apply takes milliseconds, so those are killed the moment it
   * begins), and a few at a random page or just after the commit, so that every phase is hit.
   */
  killPlan(round: number, fresh: boolean, runMs: number): KillPlan {
    if (round % 6 === 5) return { afterCommitMs: this.rng.between(0, 50) };
    if (round % 6 === 3) return { afterPage: this.rng.between(1, 80) };
    if (round % 3 === 1) return { afterApplyMs: fresh ? this.rng.between(0, 250) : 0 };
    return { afterMs: this.rng.between(Math.round(this.#startupMs * 0.7), Math.round(runMs * 1.2)) };
  }

  /** Every item synced to the end, then checked against the truth; a further sync finds nothing. */
  async finishAndVerify(): Promise<void> {
    this.emu.faults.clear();
    await this.emu.clock.advance(1);
    const gateway = plaidGatewayFor(this.emu);
    for (const item of this.items) {
      const last = await runChild(this.childEnv(item.itemId), null);
      if (last.kind !== "finished") throw new Error("the final run was killed without a kill plan");
      expect(await this.storedCursor(item.itemId)).toBe(last.cursor);
      const further = await syncItem(this.store, gateway, item.itemId);
      expect(further).toMatchObject({
        outcome: "synced",
        added: 0,
        modified: 0,
        removed: 0,
        cursor: last.cursor,
      });
      expect(await this.storedCursor(item.itemId)).toBe(last.cursor);
      await expectStoreEqualsTruth(this.store, this.emu, item.itemId);
      await this.expectNoStalePending(item.itemId);
    }
    const leases = await this.store.db.selectFrom("sync_locks").select("item_id").execute();
    expect(leases).toEqual([]);
  }

  async newItem(): Promise<TrackedItem> {
    const { itemId, accessToken } = await this.emu.admin.createItem({
      user: "user_transactions_dynamic",
      transactionCount: TRANSACTIONS,
    });
    await saveItem(this.store, {
      id: itemId,
      accessToken: toSecret(accessToken),
      institutionId: "ins_109508",
      institutionName: "First Platypus Bank",
    });
    const item = { itemId, accessToken, cursor: null };
    this.items.push(item);
    return item;
  }

  /** `linger`: the child stays up a while after its commit, as a CLI syncing several items would. */
  childEnv(itemId: string, linger = false): NodeJS.ProcessEnv {
    return {
      ...process.env,
      DATABASE_URL: this.url,
      BANKREC_SECRET_KEY: TEST_KEY.toText(),
      PLAID_BASE_URL: this.emu.url,
      PLAID_CLIENT_ID: this.emu.credentials.clientId,
      PLAID_SECRET: this.emu.credentials.secret,
      SYNC_ITEM_ID: itemId,
      SYNC_COUNT: String(PAGE_SIZE),
      SYNC_LINGER_MS: linger ? "500" : "0",
      // SQLite must take a dead pid's lease over at once; Postgres frees the advisory lock when
      // it notices the killed session, which can take a moment while a statement was running.
      SYNC_LOCK_WAIT_MS: this.storeCase.dialect === "sqlite" ? "0" : "15000",
    };
  }

  async storedCursor(itemId: string): Promise<string | null> {
    const row = await this.store.db
      .selectFrom("sync_state")
      .select("cursor")
      .where("item_id", "=", itemId)
      .executeTakeFirst();
    return row?.cursor ?? null;
  }

  async leasePid(itemId: string): Promise<number | null> {
    if (this.storeCase.dialect !== "sqlite") return null;
    const row = await this.store.db
      .selectFrom("sync_locks")
      .select("pid")
      .where("item_id", "=", itemId)
      .executeTakeFirst();
    return row?.pid ?? null;
  }

  /**
   * On SQLite a killed child leaves its lease behind, or an earlier killed child's when it died
   * before taking that over; a child that finished has released its own.
   */
  async expectNoLeaseOfLiveChild(itemId: string): Promise<void> {
    const holder = await this.leasePid(itemId);
    if (holder !== null) expect(this.#killedPids.has(holder)).toBe(true);
  }

  /** No live pending row the bank no longer has (a pending row that posted must be gone). */
  async expectNoStalePending(itemId: string): Promise<void> {
    const truth = new Set(this.emu.admin.itemTruth(itemId).transactions.map((t) => t.transaction_id));
    const pending = await this.store.db
      .selectFrom("transactions")
      .select("id")
      .where("item_id", "=", itemId)
      .where("pending", "=", 1)
      .where("removed_at", "is", null)
      .execute();
    expect(pending.filter((row) => !truth.has(row.id))).toEqual([]);
  }
}

/**
 * Runs the sync child and SIGKILLs it as `plan` says (null: never). The phase of a kill is
 * the last line the child printed before it died.
 */
/** Everything every child printed, to check that no access token ever reached a log line. */
const childOutput: string[] = [];

function runChild(env: NodeJS.ProcessEnv, plan: KillPlan | null): Promise<ChildRun> {
  const started = performance.now();
  const child = spawn(process.execPath, [CHILD], { env, stdio: ["ignore", "pipe", "pipe"] });
  let phase: Phase = "startup";
  let startupMs = 0;
  let synced: string | null = null;
  let stderr = "";
  let pending = "";
  let killed = false;
  const timers: NodeJS.Timeout[] = [];
  const kill = (afterMs: number) => {
    timers.push(
      setTimeout(() => {
        killed = child.kill("SIGKILL");
      }, afterMs),
    );
  };
  if (plan !== null && "afterMs" in plan) kill(plan.afterMs);
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    childOutput.push(chunk);
    pending += chunk;
    for (let end = pending.indexOf("\n"); end >= 0; end = pending.indexOf("\n")) {
      const line = pending.slice(0, end);
      pending = pending.slice(end + 1);
      if (line.startsWith("page ") || line === "restart") {
        if (phase === "startup") startupMs = performance.now() - started;
        phase = "fetching";
        if (plan !== null && "afterPage" in plan && Number(line.slice("page ".length)) === plan.afterPage)
          kill(0);
      } else if (line === "apply") {
        phase = "apply";
        if (plan !== null && "afterApplyMs" in plan) kill(plan.afterApplyMs);
      } else if (line.startsWith("synced ")) {
        phase = "committed";
        synced = line.slice("synced ".length);
        if (plan !== null && "afterCommitMs" in plan) kill(plan.afterCommitMs);
      }
    }
  });
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
    childOutput.push(chunk);
    stderr = (stderr + chunk).slice(-4000);
  });
  timers.push(setTimeout(() => child.kill("SIGKILL"), CHILD_TIMEOUT_MS));
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      for (const timer of timers) clearTimeout(timer);
      const ms = performance.now() - started;
      if (killed && signal === "SIGKILL") resolve({ kind: "killed", phase, pid: pid(child), ms });
      else if (code === 0 && synced !== null) {
        try {
          resolve({ kind: "finished", cursor: syncedCursor(synced), ms, startupMs });
        } catch (error) {
          reject(error);
        }
      } else
        reject(new Error(`sync child exited with ${signal ?? code} after ${Math.round(ms)} ms:\n${stderr}`));
    });
  });
}

function syncedCursor(json: string): string {
  const report = JSON.parse(json) as { outcome: string; cursor?: string };
  if (report.outcome !== "synced" || typeof report.cursor !== "string")
    throw new Error(`the sync child reported ${json}`);
  return report.cursor;
}

function pid(child: ChildProcess): number {
  if (child.pid === undefined) throw new Error("the sync child has no pid");
  return child.pid;
}
