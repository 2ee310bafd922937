/**
 * A list of integers (row or node positions) in a typed array that only grows, for scratch
 * lists the engine empties and refills thousands of times: a JS array truncated to length 0
 * gives its storage back, to be allocated again by the next fill.
 *
 * @example const list = new IntList(); list.push(3); list.at(0) // 3; list.count = 0 // empty
 */
export class IntList {
  private items: Int32Array;
  count = 0;

  constructor(capacity = 64) {
    this.items = new Int32Array(capacity);
  }

  push(value: number): void {
    if (this.count === this.items.length) {
      const grown = new Int32Array(this.items.length * 2);
      grown.set(this.items);
      this.items = grown;
    }
    this.items[this.count++] = value;
  }

  at(i: number): number {
    return this.items[i]!;
  }
}
