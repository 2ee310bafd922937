import { Writable } from "node:stream";
import { type CliContext, type CliEngine, defaultEngine } from "./context.js";

/** A stream that keeps what is written, and can pretend to be a terminal. */
export class CaptureStream extends Writable {
  private readonly chunks: string[] = [];
  constructor(
    readonly isTTY = false,
    readonly columns: number | undefined = undefined,
  ) {
    super({ decodeStrings: false });
  }
  override _write(chunk: unknown, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.chunks.push(String(chunk));
    callback();
  }
  /** Everything written so far. */
  text(): string {
    return this.chunks.join("");
  }
}

export interface CaptureOptions {
  readonly stdoutTTY?: boolean;
  readonly stderrTTY?: boolean;
  readonly columns?: number;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly cwd?: string;
  readonly engine?: Partial<CliEngine>;
}

/**
 * A context for running bankrec in-process with its output kept in memory: for tests, and for
 * programs that embed the CLI.
 *
 * @example
 * const ctx = captureContext();
 * const code = await runCli(["demo", "--json"], ctx);
 * JSON.parse(ctx.stdout.text());
 */
export function captureContext(options: CaptureOptions = {}): CliContext & {
  readonly stdout: CaptureStream;
  readonly stderr: CaptureStream;
} {
  return {
    stdout: new CaptureStream(options.stdoutTTY ?? false, options.columns),
    stderr: new CaptureStream(options.stderrTTY ?? false, options.columns),
    env: options.env ?? {},
    cwd: options.cwd ?? process.cwd(),
    engine: { ...defaultEngine, ...options.engine },
  };
}
