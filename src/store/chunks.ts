/**
 * Rows per multi-row statement. 24 bound values a row keeps a statement under SQLite's
 * 32,766-variable limit and Postgres's 65,535 with room to spare.
 */
export const UPSERT_ROWS_MAX = 500;

/**
 * Consecutive slices of at most `size` items: every batch write and `in (…)` look-up goes
 * through here, so no statement binds more values than the databases allow.
 *
 * @example [...chunksOf([1, 2, 3], 2)] // [[1, 2], [3]]
 */
export function* chunksOf<T>(items: readonly T[], size: number = UPSERT_ROWS_MAX): Generator<T[]> {
  for (let start = 0; start < items.length; start += size) yield items.slice(start, start + size);
}
