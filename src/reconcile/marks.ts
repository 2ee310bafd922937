/**
 * A set of integers in [0, size), emptied in constant time: each slot holds the generation
 * that marked it. For the per-bank-row sets of the settlement search (which entries are in
 * this answer already, which parties were met), where a fresh Set each time was garbage.
 *
 * @example const seen = new Marks(10); seen.mark(3); seen.has(3) // true; seen.clear(); seen.has(3) // false
 */
export class Marks {
  private readonly stamps: Uint32Array;
  private generation = 1;

  constructor(size: number) {
    this.stamps = new Uint32Array(size);
  }

  clear(): void {
    if (this.generation === 0xffffffff) {
      this.stamps.fill(0);
      this.generation = 0;
    }
    this.generation++;
  }

  mark(i: number): void {
    this.stamps[i] = this.generation;
  }

  has(i: number): boolean {
    return this.stamps[i] === this.generation;
  }
}
