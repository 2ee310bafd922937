// A worker thread's part of the first many-to-one round (see threaded-executor.ts): it reads
// its copy of the rows from the shared serialized snapshot, takes chunks of bank rows from the
// shared counter until none is left, and answers with their proposals, encoded.
import { deserialize } from "node:v8";
import { workerData } from "node:worker_threads";
import { type ProposalSnapshot, SnapshotProposer } from "../reconcile/index.js";
import { takeChunk, type WorkerAnswer, type WorkerJob } from "./threaded-executor.js";

const job = workerData as WorkerJob;
let answer: WorkerAnswer;
let transfer: ArrayBuffer[] = [];
try {
  const snapshot = deserialize(new Uint8Array(job.rows)) as ProposalSnapshot;
  const proposer = new SnapshotProposer(snapshot);
  const total = snapshot.bank.length;
  for (let chunk = takeChunk(job.next, total); chunk !== null; chunk = takeChunk(job.next, total)) {
    for (let i = chunk.from; i < chunk.to; i++) proposer.proposeAt(i);
  }
  const encoded = proposer.encoded();
  answer = { encoded };
  transfer = [encoded.buffer as ArrayBuffer];
} catch (error) {
  answer = { error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
}
job.port.postMessage(answer, transfer);
Atomics.store(job.done, 0, 1);
Atomics.notify(job.done, 0);
