import type { Command } from "commander";
import type { OldCiphertextErasure, ResealOutcome } from "../../store/items.js";
import type { CliContext } from "../context.js";
import { UsageError } from "../errors.js";
import { addStoreOptions, backends, openCliStore, printJson, type StoreFlags } from "../store-options.js";

const EXAMPLES = `
Access tokens are sealed with AES-256-GCM under one current key; older keys only open.

With a key file (SQLite, BANKREC_SECRET_KEY unset): rotate writes a new random key to the key
file (bankrec.key beside the SQLite file), keeps the old one in bankrec.key.previous while it
re-seals every stored token under the new key in one transaction, then deletes
bankrec.key.previous (--keep-previous keeps it). The SQLite file is then rewritten (VACUUM) and
its WAL emptied, so no copy of a token sealed under the old key is left in free pages: a copy of
the database and an old key together open nothing. Stop other bankrec processes (server,
workers) first: one still holding the old key would seal new tokens that no key file opens.

With BANKREC_SECRET_KEY set (always, for PostgreSQL), bankrec cannot change your environment: generate a key yourself,
put it in BANKREC_SECRET_KEY and the old one in BANKREC_SECRET_KEY_PREVIOUS (comma-separated
when there are several), run rotate to re-seal, then drop the old key from
BANKREC_SECRET_KEY_PREVIOUS and destroy it. PostgreSQL keeps old row versions until autovacuum
reuses their space, and in WAL archives and backups: there, destroying the old key is what
protects them.

Examples:
  $ bankrec keys rotate
  $ bankrec keys rotate --keep-previous
  $ BANKREC_SECRET_KEY=$(openssl rand -hex 32) BANKREC_SECRET_KEY_PREVIOUS=$OLD_KEY bankrec keys rotate
Exit codes: 0 done, 2 a key is missing or not a key, 1 unexpected.`;

export interface KeysRotateFlags extends StoreFlags {
  readonly keepPrevious?: boolean;
}

/** What a rotation did: never a key, only its id. */
export interface RotateResult {
  readonly source: "file" | "env";
  readonly keyId: string;
  /** The key file rotated (null with BANKREC_SECRET_KEY). */
  readonly keyFilePath: string | null;
  readonly resealed: number;
  /** Tokens another process sealed under an old key during the rotation (the old key is kept). */
  readonly stale: number;
  /** The key file's old keys: deleted, kept (asked, or tokens still need them), or none (env). */
  readonly previousKeyFile: "deleted" | "kept" | null;
  readonly erasure: OldCiphertextErasure;
}

function envKeySet(ctx: CliContext, name: string): boolean {
  const value = ctx.env[name];
  return value !== undefined && value.trim() !== "";
}

/** Re-seals under BANKREC_SECRET_KEY the tokens sealed under BANKREC_SECRET_KEY_PREVIOUS. */
async function resealFromEnv(flags: KeysRotateFlags, ctx: CliContext): Promise<RotateResult> {
  const { store: repo } = await backends();
  if (!envKeySet(ctx, repo.ENV_SECRET_KEY_PREVIOUS))
    throw new UsageError(
      `${repo.ENV_SECRET_KEY} is set, so the key lives in your environment: put the new key in ` +
        `${repo.ENV_SECRET_KEY} and the old one in ${repo.ENV_SECRET_KEY_PREVIOUS}, then run this again ` +
        "(see bankrec keys rotate --help)",
    );
  if (flags.keepPrevious === true)
    throw new UsageError(
      `--keep-previous is for a key file; with ${repo.ENV_SECRET_KEY} the old key stays in ` +
        `${repo.ENV_SECRET_KEY_PREVIOUS} until you remove it`,
    );
  const store = await openCliStore(flags, ctx);
  try {
    const outcome: ResealOutcome = await repo.resealAccessTokens(store);
    return {
      source: "env",
      keyId: store.keyring.current.keyId,
      keyFilePath: null,
      ...outcome,
      previousKeyFile: null,
    };
  } finally {
    await store.close();
  }
}

/**
 * A new key file, every token re-sealed under it, then the old keys deleted: only once no
 * stored token needs them, and not with --keep-previous.
 */
async function rotateKeyFile(flags: KeysRotateFlags, ctx: CliContext): Promise<RotateResult> {
  const { store: repo } = await backends();
  const before = await openCliStore(flags, ctx);
  let keyring: ReturnType<typeof repo.installNewKeyFile>;
  let path: string;
  try {
    if (before.keyFilePath === null)
      throw new Error("assert: a store opened without a given keyring has a key file path");
    path = before.keyFilePath;
    const next = repo.EncryptionKey.generate();
    keyring = repo.installNewKeyFile(path, next, [before.keyring.current, ...before.keyring.previous]);
  } finally {
    await before.close();
  }
  const after = await openCliStore(flags, ctx, { keyring });
  let outcome: ResealOutcome;
  try {
    outcome = await repo.resealAccessTokens(after);
  } finally {
    await after.close();
  }
  let previousKeyFile: "deleted" | "kept" = "kept";
  if (flags.keepPrevious !== true && outcome.stale === 0) {
    // Loaded here, not through backends(): the store index does not export it.
    const { deletePreviousKeyFile } = await import("../../store/key-source.js");
    deletePreviousKeyFile(path);
    previousKeyFile = "deleted";
  }
  return { source: "file", keyId: keyring.current.keyId, keyFilePath: path, ...outcome, previousKeyFile };
}

/** What needs the user's eye, on stderr whether or not stdout is JSON. */
function warnAbout(result: RotateResult, ctx: CliContext): void {
  if (result.stale > 0)
    ctx.stderr.write(
      `bankrec: warning: ${result.stale} access token(s) were sealed under an old key while this ran ` +
        "(another bankrec process still holds it), so the old keys are still needed; stop that process and " +
        "run bankrec keys rotate again\n",
    );
  if (result.erasure.kind === "incomplete")
    ctx.stderr.write(
      "bankrec: warning: every token is re-sealed, but copies sealed under the old key may remain in " +
        `the store's free pages or WAL (${result.erasure.reason}); run bankrec keys rotate again when ` +
        "the store is idle\n",
    );
}

function previousKeyLine(result: RotateResult): string {
  const path = `${result.keyFilePath ?? "bankrec.key"}.previous`;
  if (result.previousKeyFile === "deleted") return `deleted the old keys (${path})\n`;
  if (result.previousKeyFile === "kept" && result.stale === 0)
    return `kept the old keys in ${path} (--keep-previous)\n`;
  return "";
}

/**
 * `bankrec keys rotate`: a new key for the access tokens, every token re-sealed under it, and
 * the old key and old ciphertext removed.
 *
 * @example await runKeysRotate({}, ctx) // { source: "file", keyId: "3f9a0c1b2d4e", resealed: 2, ... }
 */
export async function runKeysRotate(flags: KeysRotateFlags, ctx: CliContext): Promise<RotateResult> {
  const { store: repo } = await backends();
  const result = envKeySet(ctx, repo.ENV_SECRET_KEY)
    ? await resealFromEnv(flags, ctx)
    : await rotateKeyFile(flags, ctx);
  if (flags.json === true) {
    printJson(ctx, {
      source: result.source,
      key_id: result.keyId,
      resealed: result.resealed,
      stale: result.stale,
      previous_key_file: result.previousKeyFile,
      old_ciphertext: result.erasure.kind,
    });
  } else {
    const where = result.source === "file" ? "a new key file" : repo.ENV_SECRET_KEY;
    const tokens = result.resealed === 1 ? "1 access token" : `${result.resealed} access tokens`;
    ctx.stdout.write(`current key ${result.keyId} (${where}); re-sealed ${tokens} under it\n`);
    ctx.stdout.write(previousKeyLine(result));
  }
  warnAbout(result, ctx);
  return result;
}

/** `bankrec keys rotate`. */
export function registerKeys(program: Command, ctx: CliContext): void {
  const keys = program.command("keys").description("manage the key that seals access tokens");
  const rotate = keys
    .command("rotate")
    .description("switch to a new key and re-seal every stored access token under it")
    .option("--keep-previous", "keep the old keys in bankrec.key.previous (default: deleted once unused)");
  addStoreOptions(rotate)
    .addHelpText("after", EXAMPLES)
    .action(async (flags: KeysRotateFlags) => {
      await runKeysRotate(flags, ctx);
    });
}
