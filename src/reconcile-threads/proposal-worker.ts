// A worker thread's part of the first many-to-one round (see parallel-proposals.ts): it reads
// its copy of the rows from the shared serialized form, takes chunks of bank rows from the
// shared counter until none is left, and answers with their proposals, encoded.
import { deserialize } from "node:v8";
import { workerData } from "node:worker_threads";
import { takeChunk, type WorkerAnswer, type WorkerJob, type WorkerRows } from "./parallel-proposals.js";
import { encodeProposals, type Proposal, SettlementProposer } from "./settlement-proposals.js";

const job = workerData as WorkerJob;
let answer: WorkerAnswer;
let transfer: ArrayBuffer[] = [];
try {
  const data = deserialize(new Uint8Array(job.rows)) as WorkerRows;
  const proposer = new SettlementProposer(
    data.expected,
    data.expectedTotal,
    { weights: data.weights },
    data.settings,
  );
  const rows: { bank: number; list: Proposal[] }[] = [];
  const total = data.bank.length;
  for (let chunk = takeChunk(job.next, total); chunk !== null; chunk = takeChunk(job.next, total)) {
    for (let i = chunk.from; i < chunk.to; i++) {
      const b = data.bank[i]!;
      rows.push({ bank: b.index, list: proposer.propose(b) });
    }
  }
  const encoded = encodeProposals(rows);
  answer = { encoded };
  transfer = [encoded.buffer as ArrayBuffer];
} catch (error) {
  answer = { error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
}
job.port.postMessage(answer, transfer);
Atomics.store(job.done, 0, 1);
Atomics.notify(job.done, 0);
