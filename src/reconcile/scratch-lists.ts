/**
 * Lists of numbers in typed arrays that only grow, for scratch lists the engine empties and
 * refills thousands of times: a JS array truncated to length 0 gives its storage back, to be
 * allocated again by the next fill.
 *
 * @example const list = new IntList(); list.push(3); list.at(0) // 3; list.count = 0 // empty
 */
abstract class ScratchList<A extends Int32Array | Float64Array> {
  protected items: A;
  count = 0;

  constructor(
    private readonly make: (capacity: number) => A,
    capacity: number,
  ) {
    this.items = make(capacity);
  }

  push(value: number): void {
    if (this.count === this.items.length) {
      const grown = this.make(this.items.length * 2);
      grown.set(this.items);
      this.items = grown;
    }
    this.items[this.count++] = value;
  }

  at(i: number): number {
    return this.items[i]!;
  }
}

/** Integers (row or node positions). */
export class IntList extends ScratchList<Int32Array> {
  constructor(capacity = 64) {
    super((n) => new Int32Array(n), capacity);
  }
}

/** Any numbers, sortable in place. */
export class NumberList extends ScratchList<Float64Array> {
  constructor(capacity = 64) {
    super((n) => new Float64Array(n), capacity);
  }

  /** The numbers, sorted ascending (a view: valid until the next push). */
  sorted(): Float64Array {
    return this.items.subarray(0, this.count).sort();
  }
}
