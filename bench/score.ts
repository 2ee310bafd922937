// Scores a result with the shared score.mjs (called where it lives, never copied).
import { join } from "node:path";
import { runNode } from "./run-child.js";

/** score.mjs's one JSON line. */
export interface Score {
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  readonly exact_groups: number;
  readonly predicted_pairs: number;
  readonly true_pairs: number;
  readonly recall_by_kind: Readonly<Record<string, number>>;
}

/** Scoring a million-row result reads two large JSON files; this only catches a hang. */
const SCORE_TIMEOUT_MS = 5 * 60 * 1000;

export async function score(sharedDir: string, truthPath: string, resultPath: string): Promise<Score> {
  const run = await runNode({
    args: [join(sharedDir, "score.mjs"), truthPath, resultPath],
    timeoutMs: SCORE_TIMEOUT_MS,
  });
  if (run.status !== "ok") {
    throw new Error(`score.mjs ${run.status} (exit ${run.exitCode ?? run.signal}):\n${run.stderrTail}`);
  }
  const lastLine = run.stdout.trim().split("\n").at(-1) ?? "";
  const parsed = JSON.parse(lastLine) as Partial<Score>;
  if (typeof parsed.f1 !== "number" || typeof parsed.recall_by_kind !== "object") {
    throw new Error(`score.mjs printed an unexpected line: ${lastLine.slice(0, 200)}`);
  }
  return parsed as Score;
}
