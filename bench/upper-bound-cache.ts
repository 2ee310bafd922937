// The upper bound of a data set, computed once and kept beside the data (upper-bound.json): a
// data set's directory never changes (its name carries the generator's and the profile's hash),
// so only a change to the bound's definition or limits, which BOUND_VERSION and the limits in
// the file catch, computes it again.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import type { Dataset } from "./dataset.js";
import type { DatasetRows } from "./dataset-rows.js";
import { DEFAULT_LIMITS, type UpperBound, type UpperBoundLimits, upperBound } from "./upper-bound.js";

/** Raise when upper-bound.ts or subset-count.ts changes what they compute. */
const BOUND_VERSION = 1;
const BOUND_FILE = "upper-bound.json";

export interface DatasetBound extends UpperBound {
  /** Seconds the computation took (reading the files not included), when it was made. */
  readonly seconds: number;
  /** Read back from the data set's directory rather than computed in this run. */
  readonly cached: boolean;
}

interface BoundFile {
  readonly version: number;
  readonly limits: UpperBoundLimits;
  readonly bound: UpperBound;
  readonly seconds: number;
}

/** The data set's bound: from upper-bound.json when it is current, else computed (rows read lazily). */
export function ensureUpperBound(
  dataset: Dataset,
  rows: () => DatasetRows,
  limits: UpperBoundLimits = DEFAULT_LIMITS,
): DatasetBound {
  const path = join(dataset.dir, BOUND_FILE);
  if (existsSync(path)) {
    const file = JSON.parse(readFileSync(path, "utf8")) as BoundFile;
    if (file.version === BOUND_VERSION && JSON.stringify(file.limits) === JSON.stringify(limits)) {
      return { ...file.bound, seconds: file.seconds, cached: true };
    }
  }
  const { bank, expected, truth } = rows();
  const started = performance.now();
  const bound = upperBound(bank, expected, truth, limits);
  const seconds = (performance.now() - started) / 1000;
  const file: BoundFile = { version: BOUND_VERSION, limits, bound, seconds };
  writeFileSync(path, JSON.stringify(file, null, 2));
  return { ...bound, seconds, cached: false };
}
