/**
 * One copy of each text a feed repeats on many rows: dates, account ids, currencies,
 * counterparties. A million rows each holding their own copy of these was a third of the rows'
 * memory, and every copy is one more object for the collector to move and mark. One pool per
 * read, so nothing outlives the rows that use it.
 *
 * @example const pool = new TextPool(); pool.share("2025-03-31") === pool.share("2025-03-31".slice(0)) // true
 */
export class TextPool {
  private readonly texts = new Map<string, string>();

  share(text: string): string {
    const found = this.texts.get(text);
    if (found !== undefined) return found;
    this.texts.set(text, text);
    return text;
  }

  shareOrNull(text: string | null): string | null {
    return text === null ? null : this.share(text);
  }
}
