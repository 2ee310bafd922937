/**
 * The 1-based line of an offset in a text, for offsets asked in increasing order: each line
 * break is found once, so numbering a whole file costs one pass however it is asked.
 */
export class LineCounter {
  #line = 1;
  #nextBreak: number;

  constructor(readonly text: string) {
    this.#nextBreak = text.indexOf("\n");
  }

  /** An offset before one already asked gives the later line. */
  lineAt(offset: number): number {
    while (this.#nextBreak !== -1 && this.#nextBreak < offset) {
      this.#line++;
      this.#nextBreak = this.text.indexOf("\n", this.#nextBreak + 1);
    }
    return this.#line;
  }
}
