import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { captureContext } from "../../src/cli/capture.js";
import { runCli } from "../../src/cli/program.js";
import { type Emulator, startEmulator } from "../../src/emulator/index.js";
import { openStore, type Store } from "../../src/store/index.js";

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * bankrec's store commands run in-process against an in-process emulator: the environment a
 * user would set (Plaid credentials, PLAID_BASE_URL, DATABASE_URL), a data directory of its own
 * for key files, and every byte written kept for leak checks.
 */
export interface CliStoreHarness {
  readonly emu: Emulator;
  readonly env: Readonly<Record<string, string>>;
  readonly folder: string;
  run(argv: readonly string[], env?: Readonly<Record<string, string>>): Promise<CliRun>;
  /** Everything every run wrote, stdout and stderr. */
  allOutput(): string;
  /** The store the commands use, opened as they open it (same URL, same key source). */
  openSame(env?: Readonly<Record<string, string>>): Promise<Store>;
  close(): Promise<void>;
}

export async function cliStoreHarness(options: {
  readonly seed: number;
  /** A DATABASE_URL; default a fresh SQLite file in the harness's folder. */
  readonly databaseUrl?: string;
  /** More environment, e.g. BANKREC_SECRET_KEY (PostgreSQL stores take their key only from it). */
  readonly env?: Readonly<Record<string, string>>;
}): Promise<CliStoreHarness> {
  const emu = await startEmulator({ seed: options.seed });
  const folder = mkdtempSync(join(tmpdir(), "bankrec-cli-store-"));
  const env = {
    PLAID_CLIENT_ID: emu.credentials.clientId,
    PLAID_SECRET: emu.credentials.secret,
    PLAID_BASE_URL: emu.url,
    BANKREC_DATA_DIR: join(folder, "data"),
    DATABASE_URL: options.databaseUrl ?? `sqlite:${join(folder, "books.db")}`,
    ...options.env,
  };
  const outputs: string[] = [];
  return {
    emu,
    env,
    folder,
    async run(argv, extra = {}) {
      const ctx = captureContext({ env: { ...env, ...extra }, cwd: folder });
      const code = await runCli(argv, ctx);
      const run = { code, stdout: ctx.stdout.text(), stderr: ctx.stderr.text() };
      outputs.push(run.stdout, run.stderr);
      return run;
    },
    allOutput: () => outputs.join("\n"),
    openSame: (extra = {}) => openStore({ url: env.DATABASE_URL, env: { ...env, ...extra } }),
    async close() {
      await emu.close();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}
