// A worker thread's part of the first many-to-one round (see parallel-proposals.ts): it takes
// chunks of bank rows from the shared counter until none is left and answers with their
// proposals, encoded.
import { workerData } from "node:worker_threads";
import { takeChunk, type WorkerAnswer, type WorkerJob } from "./parallel-proposals.js";
import { encodeProposals, type Proposal, SettlementProposer } from "./settlement-proposals.js";

const job = workerData as WorkerJob;
let answer: WorkerAnswer;
let transfer: ArrayBuffer[] = [];
try {
  const proposer = new SettlementProposer(
    job.expected,
    job.expectedTotal,
    { weights: job.weights },
    job.settings,
  );
  const rows: { bank: number; list: Proposal[] }[] = [];
  const total = job.bank.length;
  for (let chunk = takeChunk(job.next, total); chunk !== null; chunk = takeChunk(job.next, total)) {
    for (let i = chunk.from; i < chunk.to; i++) {
      const b = job.bank[i]!;
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
