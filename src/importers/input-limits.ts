/**
 * The bounds every reader keeps, so that no file, however wrong (`/dev/zero`, a 200 MB line of
 * NULs, a log file given as a ledger), can take the machine's memory or flood a terminal. Each
 * is far above what any bank or ledger file needs and says why it is where it is.
 */

const MIB = 2 ** 20;

/**
 * Files read whole (Plaid JSON, ledger CSV and JSON, statement files). V8's longest string is
 * 2^29 − 24 characters (just under 512 MiB), and every one of these becomes one string before
 * it is parsed: past that a read fails deep inside Node instead of with a message. 500 MiB keeps
 * clear of it and still holds a million-row Plaid feed (436 MB).
 */
export const FILE_BYTES_MAX = 500 * MIB;

/**
 * Plaid NDJSON is streamed a chunk at a time, so the text is never held; what grows is the rows
 * kept, about a million per 440 MB. 4 GiB is some ten million transactions.
 */
export const STREAM_BYTES_MAX = 4 * 1024 * MIB;

/**
 * Lines of line-oriented files (CSV, NDJSON, MT940), and rows of a CSV whose quoted fields run
 * over several lines. A ledger or bank row is a few hundred characters; a line of a megabyte
 * is not a row but a file that is not what it was said to be.
 */
export const LINE_CHARS_MAX = MIB;

/** One text field of a row (a description, a name, an id); no bank or ledger field comes near. */
export const FIELD_CHARS_MAX = 65_536;

/** Bad rows listed in full; the rest are counted. Enough to see a pattern, few enough to read. */
export const PROBLEMS_MAX = 50;

/** How much of a file is read first to tell its format. */
export const HEAD_BYTES = 64 * 1024;

/** A size for messages: `500 MiB`, `4,096 MiB`; a bound under a mebibyte in bytes. */
export function mebibytes(bytes: number): string {
  return bytes < MIB ? `${count(bytes)} bytes` : `${(bytes / MIB).toLocaleString("en-US")} MiB`;
}

/** A count for messages: `1,048,576`. */
export function count(n: number): string {
  return n.toLocaleString("en-US");
}

/**
 * The bounds above, for programs that check a file before handing it over.
 *
 * @example if (stats.size > INPUT_LIMITS.fileBytesMax) skip(file);
 */
export const INPUT_LIMITS = {
  fileBytesMax: FILE_BYTES_MAX,
  streamBytesMax: STREAM_BYTES_MAX,
  lineCharsMax: LINE_CHARS_MAX,
  fieldCharsMax: FIELD_CHARS_MAX,
  problemsMax: PROBLEMS_MAX,
} as const;
