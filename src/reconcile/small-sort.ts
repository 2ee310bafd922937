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
