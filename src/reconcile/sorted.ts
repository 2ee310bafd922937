/**
 * The engine's one binary search. Every sorted look-up (rows by day, amounts, ascending days)
 * asks where the first key at least, or above, some value sits. `keyAt` reads the i-th key, so
 * a list of rows, a typed array of days and a list of positions into another array are all
 * searched alike, without copying their keys out.
 *
 * @example firstAtLeast(days.length, (i) => days[i]!, 12) // the first position dated the 12th or later
 * @example firstAbove(rows.length, (i) => rows[i]!.day, day) // the first row dated after `day`
 */
export function firstAtLeast(length: number, keyAt: (i: number) => number, target: number): number {
  let lo = 0;
  let hi = length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keyAt(mid) < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The position of the first key above `target`, for whole-number keys (days since 1970,
 * minor units: every key the engine sorts by). A whole key is above `target` exactly when it
 * is at least `floor(target) + 1`, whatever `target` is (a window of 2.5 days is allowed).
 *
 * @example firstAbove(4, (i) => [1, 3, 3, 5][i]!, 3) // 3
 */
export function firstAbove(length: number, keyAt: (i: number) => number, target: number): number {
  return firstAtLeast(length, keyAt, Math.floor(target) + 1);
}
