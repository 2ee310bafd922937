import type { Command } from "commander";
import { isIsoDate } from "../../domain/iso-date.js";
import { type Emulator, startEmulator } from "../../emulator/index.js";
import type { CliContext } from "../context.js";
import { UsageError } from "../errors.js";

const EXAMPLES = `
The emulator speaks Plaid's API (version 2020-09-14) on localhost with generated sandbox data.
Point the official SDK's basePath at it. Credentials: PLAID_CLIENT_ID / PLAID_SECRET from the
environment; when unset, the default pair bankrec-emulator-client / bankrec-emulator-secret.

Admin (same credentials, as PLAID-CLIENT-ID / PLAID-SECRET headers):
  POST   /__emulator/clock/advance   {"days": 1}     new, posted and modified transactions + webhooks
  POST   /__emulator/faults          {"kind": "rate_limit", "endpoint": "/transactions/sync", "times": 2}
  DELETE /__emulator/faults
  POST   /__emulator/webhooks/rotate
  POST   /__emulator/items           {"transactionCount": 100000}
Link stand-in: <script src="http://HOST:PORT/link/v2/stable/link-initialize.js">, sign in with
user_good / pass_good (or user_transactions_dynamic for changing history).

Examples:
  $ bankrec emulator --port 4010
  $ PLAID_BASE_URL=http://127.0.0.1:4010 bankrec ...   # point bankrec's Plaid gateway at it`;

export interface EmulatorFlags {
  readonly port?: string;
  readonly host?: string;
  readonly seed?: string;
  readonly now?: string;
}

function integerFlag(name: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new UsageError(`--${name} must be an integer from ${min} to ${max}, got "${text}"`);
  }
  return value;
}

/**
 * Starts the emulator and keeps it running until `until` settles (the CLI passes a promise
 * that resolves on SIGINT or SIGTERM). Never prints the secret.
 */
export async function runEmulator(
  flags: EmulatorFlags,
  ctx: CliContext,
  until: Promise<void>,
): Promise<Emulator> {
  const port = integerFlag("port", flags.port ?? "4010", 0, 65535);
  const seed = integerFlag("seed", flags.seed ?? "1", 0, 2 ** 31);
  if (flags.now !== undefined && !isIsoDate(flags.now))
    throw new UsageError(`--now must be a YYYY-MM-DD date, got "${flags.now}"`);
  const clientId = ctx.env.PLAID_CLIENT_ID;
  const secret = ctx.env.PLAID_SECRET;
  const emu = await startEmulator({
    port,
    seed,
    host: flags.host ?? "127.0.0.1",
    ...(flags.now === undefined ? {} : { now: flags.now }),
    ...(clientId ? { clientId } : {}),
    ...(secret ? { secret } : {}),
  });
  const secretSource = secret ? "PLAID_SECRET" : "the default pair (see `bankrec emulator --help`)";
  ctx.stdout.write(
    `bankrec emulator: Plaid API on ${emu.url} (seed ${seed}, today ${emu.clock.today()})\n` +
      `  client id ${emu.credentials.clientId}; secret from ${secretSource}\n` +
      `  Link: ${emu.url}/link/v2/stable/link-initialize.js · admin: ${emu.url}/__emulator/\n` +
      "  stop with Ctrl+C\n",
  );
  await until;
  await emu.close();
  return emu;
}

function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = (): void => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      resolve();
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
}

/** `bankrec emulator`: a local Plaid for development and tests. */
export function registerEmulator(program: Command, ctx: CliContext): void {
  program
    .command("emulator")
    .description("run a local Plaid emulator (sandbox data, clock, faults, signed webhooks, Link stand-in)")
    .option("--port <n>", "TCP port (0 picks a free one)", "4010")
    .option("--host <address>", "interface to listen on", "127.0.0.1")
    .option("--seed <n>", "seed of the generated data", "1")
    .option("--now <date>", "the emulator's starting date, YYYY-MM-DD (default 2026-06-30)")
    .addHelpText("after", EXAMPLES)
    .action(async (flags: EmulatorFlags) => {
      await runEmulator(flags, ctx, untilSignal());
    });
}
