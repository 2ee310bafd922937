import { existsSync } from "node:fs";
import { freemem } from "node:os";
import { fileURLToPath } from "node:url";
import { serialize } from "node:v8";
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from "node:worker_threads";
import { ConfigError } from "../errors/index.js";
import type { Proposal, ProposalExecutor, ProposalTask } from "../reconcile/index.js";

/**
 * The first round of many-to-one proposals shared out among worker threads: the engine's
 * `ProposalExecutor` on Node. That round reads no taken entry, so each bank row's proposals
 * depend on the open entries alone and any thread computes the same ones: the result is
 * identical whatever the number of threads.
 *
 * The engine is synchronous, so this blocks. The workers share one serialized snapshot of the
 * slim rows and each reads its own copy from it. Every thread, this one included, takes the
 * next chunk of rows from a shared counter until none is left (threads go at unequal speeds:
 * a worker starts late, this thread's large heap costs it more collection, so fixed shares
 * would leave one idle); then this thread waits on a shared flag for each worker's answer and
 * takes it with `receiveMessageOnPort`. A worker that fails or never answers costs time, not
 * correctness: the rows it took are proposed here.
 *
 * Here, not in the engine, because threads, free memory and clocks are this process's and
 * the engine is pure (reconcile/ imports no node: module and reads no clock).
 */
export interface WorkerJob {
  /**
   * The task's ProposalSnapshot, serialized once (v8.serialize) into memory every worker
   * shares: cloning it into each worker's data would serialize it once per worker here.
   */
  readonly rows: SharedArrayBuffer;
  /** [0]: the next row position to take, shared by every thread. */
  readonly next: Int32Array;
  readonly port: MessagePort;
  /** Set to 1 by the worker once its answer (or error) is posted. */
  readonly done: Int32Array;
}

export type WorkerAnswer = { readonly encoded: Float64Array } | { readonly error: string };

/** Below this many bank rows, starting a worker and copying the entries costs more than it saves. */
export const PARALLEL_ROWS_MIN = 2_000;

/**
 * A worker holds its own copy of the rows, several times their serialized size once read back
 * and indexed (measured on the million-row benchmark: 95 MB serialized, about 270 MiB of
 * heap once indexed, more while it searches; 8 times is a margin). Workers are started
 * only while they fit in this share of the free memory; none is started when even one does
 * not, and this thread proposes alone.
 */
const FREE_MEMORY_SHARE = 0.25;
const WORKER_BYTES_PER_BYTE = 8;

/** Rows a thread takes at a time: small enough to end together, large enough to rarely meet. */
export const CHUNK_ROWS = 64;

/** Takes the next chunk of positions in [0, total) from the shared counter; null when none is left. */
export function takeChunk(next: Int32Array, total: number): { from: number; to: number } | null {
  const from = Atomics.add(next, 0, CHUNK_ROWS);
  return from >= total ? null : { from, to: Math.min(total, from + CHUNK_ROWS) };
}

const WORKER_URL = new URL("./proposal-worker.js", import.meta.url);

/**
 * An executor for the engine that uses up to `threads` threads, this one included: one when
 * there are few rows, when the free memory does not fit a worker, or when the worker script is
 * not there (the engine run from its TypeScript sources).
 *
 * @example
 * reconcile(bank, expected, { executor: threadedExecutor(4) });
 */
export function threadedExecutor(threads: number): ProposalExecutor {
  if (!Number.isInteger(threads) || threads < 1)
    throw new ConfigError(`threads must be a whole number of at least 1, got ${threads}`);
  return Object.freeze({ proposeAll: (task: ProposalTask) => proposeOnThreads(task, threads).proposals });
}

/** The task's proposals, as `threadedExecutor(threads)` makes them, and how many rows workers proposed. */
export function proposeOnThreads(
  task: ProposalTask,
  threads: number,
): { proposals: Map<number, Proposal[]>; rowsByWorkers: number } {
  const { bank } = task;
  const out = new Map<number, Proposal[]>();
  const workers = Math.min(threads, 1 + Math.floor(bank.length / PARALLEL_ROWS_MIN)) - 1;
  if (workers < 1 || !existsSync(fileURLToPath(WORKER_URL))) {
    for (const b of bank) out.set(b.index, task.proposeHere(b));
    return { proposals: out, rowsByWorkers: 0 };
  }
  const next = new Int32Array(new SharedArrayBuffer(4));
  const serialized = serialize(task.snapshot());
  const shared = new SharedArrayBuffer(serialized.length);
  new Uint8Array(shared).set(serialized);
  const affordable = Math.floor(
    (freemem() * FREE_MEMORY_SHARE) / (serialized.length * WORKER_BYTES_PER_BYTE),
  );
  const started = Array.from({ length: Math.min(workers, affordable) }, () =>
    startWorker({ rows: shared, next }),
  );
  const began = performance.now();
  for (let chunk = takeChunk(next, bank.length); chunk !== null; chunk = takeChunk(next, bank.length)) {
    for (let i = chunk.from; i < chunk.to; i++) out.set(bank[i]!.index, task.proposeHere(bank[i]!));
  }
  const ownMs = performance.now() - began;
  let rowsByWorkers = 0;
  for (const worker of started) {
    const encoded = worker.await(Math.max(WAIT_MIN_MS, ownMs));
    if (encoded === null) continue;
    const decoded = task.decode(encoded);
    for (const [index, list] of decoded) out.set(index, list);
    rowsByWorkers += decoded.size;
  }
  // Rows taken by a worker that failed or did not answer.
  for (const b of bank) if (!out.has(b.index)) out.set(b.index, task.proposeHere(b));
  return { proposals: out, rowsByWorkers };
}

/**
 * Once the counter is spent, a worker has at most one chunk left; waiting longer than this
 * thread's whole share means it is stuck or gone (a worker out of memory never answers).
 */
const WAIT_MIN_MS = 30_000;

interface StartedWorker {
  /** The worker's encoded proposals, or null when it failed or did not answer in time. */
  await(limitMs: number): Float64Array | null;
}

function startWorker(job: Omit<WorkerJob, "port" | "done">): StartedWorker {
  const { port1, port2 } = new MessageChannel();
  const done = new Int32Array(new SharedArrayBuffer(4));
  const workerData: WorkerJob = { ...job, port: port2, done };
  const worker = new Worker(WORKER_URL, { workerData, transferList: [port2] });
  return {
    await(limitMs) {
      const deadline = performance.now() + limitMs;
      while (Atomics.load(done, 0) === 0) {
        const left = deadline - performance.now();
        if (left <= 0) break;
        Atomics.wait(done, 0, 0, left);
      }
      const received = receiveMessageOnPort(port1)?.message as WorkerAnswer | undefined;
      port1.close();
      void worker.terminate();
      return received !== undefined && "encoded" in received ? received.encoded : null;
    },
  };
}
