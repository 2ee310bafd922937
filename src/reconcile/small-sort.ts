/**
 * Sorts in place, stably, like `Array.prototype.sort`, without its scratch copy for short
 * arrays. The settlement search sorts a few short lists per bank row, and V8's sort allocates
 * a copy of each: at a million rows that was a tenth of the search's garbage.
 *
 * @example sortSmall([3, 1, 2], (a, b) => a - b) // [1, 2, 3]
 */
export function sortSmall<T>(items: T[], compare: (a: T, b: T) => number): T[] {
  if (items.length > INSERTION_MAX) return items.sort(compare);
  for (let i = 1; i < items.length; i++) {
    const item = items[i]!;
    let at = i;
    while (at > 0 && compare(items[at - 1]!, item) > 0) {
      items[at] = items[at - 1]!;
      at--;
    }
    items[at] = item;
  }
  return items;
}

/** Past this length an insertion sort's quadratic moves cost more than the copy saves. */
const INSERTION_MAX = 48;

/**
 * Sorts in place by a small whole-number rank, then by id (ids distinct): a counting sort.
 * The settlement search orders each bank row's pools nearest day first, and the rows arrive
 * in day order, the opposite way: an insertion sort of them is quadratic, V8's sort copies.
 * Ranks that are not whole numbers in [0, RANK_MAX] fall back to a comparison sort.
 *
 * @example sortByRank([{ r: 2, i: 0 }, { r: 0, i: 3 }, { r: 0, i: 1 }], (x) => x.r, (x) => x.i)
 *   // [{ r: 0, i: 1 }, { r: 0, i: 3 }, { r: 2, i: 0 }]
 */
export function sortByRank<T>(items: T[], rank: (item: T) => number, id: (item: T) => number): T[] {
  const n = items.length;
  if (n < 2) return items;
  if (RANKS.length < n) RANKS = new Int32Array(Math.max(n, RANKS.length * 2));
  let highest = 0;
  for (let i = 0; i < n; i++) {
    const r = rank(items[i]!);
    if (!(Number.isInteger(r) && r >= 0 && r <= RANK_MAX)) {
      return sortSmall(items, (x, y) => rank(x) - rank(y) || id(x) - id(y));
    }
    RANKS[i] = r;
    if (r > highest) highest = r;
  }
  if (STARTS.length < highest + 2) STARTS = new Int32Array(Math.max(highest + 2, STARTS.length * 2));
  STARTS.fill(0, 0, highest + 2);
  for (let i = 0; i < n; i++) STARTS[RANKS[i]! + 1]!++;
  for (let r = 1; r <= highest + 1; r++) STARTS[r]! += STARTS[r - 1]!;
  // STARTS[r] is where rank r begins; placing advances it, so afterwards it is where r ends.
  for (let i = 0; i < n; i++) PLACED[STARTS[RANKS[i]!]!++] = items[i];
  let from = 0;
  for (let r = 0; r <= highest; r++) {
    const to = STARTS[r]!;
    // One rank holds a few same-day runs, each already in id order: an insertion sort is cheap.
    for (let i = from; i < to; i++) {
      const item = PLACED[i] as T;
      const key = id(item);
      let at = i;
      while (at > from && id(items[at - 1]!) > key) {
        items[at] = items[at - 1]!;
        at--;
      }
      items[at] = item;
    }
    from = to;
  }
  PLACED.fill(undefined, 0, n);
  return items;
}

/** Ranks above this are not counted (a scratch array per rank). */
const RANK_MAX = 4096;
let RANKS = new Int32Array(64);
let STARTS = new Int32Array(64);
const PLACED: unknown[] = [];
