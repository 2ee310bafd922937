import type { CliStream } from "./context.js";

/** Below this many rows a run is quick enough that progress would only flicker. */
export const PROGRESS_ROWS_MIN = 20_000;
/** At most this often a progress line is redrawn. */
const REDRAW_MS_MIN = 100;

const CLEAR_LINE = "\r\u001b[2K";

function count(n: number): string {
  return n.toLocaleString("en-US");
}

/**
 * Progress on stderr, for people: drawn only when stderr is a terminal, only once a run is
 * large, redrawn in place at most every 100 ms. Elsewhere (pipes, CI, tests) it writes nothing.
 */
export class Progress {
  private readonly enabled: boolean;
  private drawnAtMs = Number.NEGATIVE_INFINITY;
  private showing = false;

  constructor(private readonly stderr: CliStream) {
    this.enabled = stderr.isTTY === true;
  }

  /** A reader's `onProgress`: "reading bank.ndjson… 500,000 rows". */
  reading(label: string): (rows: number) => void {
    return (rows) => {
      if (rows >= PROGRESS_ROWS_MIN) this.draw(`reading ${label}… ${count(rows)} rows`);
    };
  }

  /** Closes a reader's line with its final count, when it was large enough to be shown. */
  read(label: string, rows: number): void {
    if (this.enabled && rows >= PROGRESS_ROWS_MIN) {
      this.stderr.write(`${CLEAR_LINE}read ${label}: ${count(rows)} rows\n`);
      this.showing = false;
    }
  }

  /** The engine's `onProgress`, shown only when the inputs hold `rows` ≥ the threshold. */
  stages(rows: number): ((stage: string, done: number, total: number) => void) | undefined {
    if (!this.enabled || rows < PROGRESS_ROWS_MIN) return undefined;
    return (stage, done, total) => {
      const share = total > 0 ? ` ${Math.floor((100 * done) / total)}%` : "";
      this.draw(`matching: ${stage}${share} (${count(done)}/${count(total)})`);
    };
  }

  /** A free-form line, e.g. a sync's "syncing item_1… 3 pages, 1,500 changes": redrawn in place. */
  status(text: string): void {
    this.draw(text);
  }

  /** Removes whatever line is showing, before the report is written. */
  clear(): void {
    if (this.showing) this.stderr.write(CLEAR_LINE);
    this.showing = false;
  }

  private draw(text: string): void {
    if (!this.enabled) return;
    const now = performance.now();
    if (now - this.drawnAtMs < REDRAW_MS_MIN) return;
    this.drawnAtMs = now;
    this.showing = true;
    this.stderr.write(`${CLEAR_LINE}${text}`);
  }
}
