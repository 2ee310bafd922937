import type { Command } from "commander";
import type { CliContext } from "../context.js";
import { UsageError } from "../errors.js";
import { addStoreOptions, backends, openCliStore, printJson, type StoreFlags } from "../store-options.js";

const EXAMPLES = `
Access tokens are sealed with AES-256-GCM under one current key; older keys only open.

With a key file (SQLite, BANKREC_SECRET_KEY unset): rotate writes a new random key to the key
file (bankrec.key beside the SQLite file), moves the old one to
bankrec.key.previous, and re-seals every stored token under the new key in one transaction.

With BANKREC_SECRET_KEY set (always, for PostgreSQL), bankrec cannot change your environment: generate a key yourself,
put it in BANKREC_SECRET_KEY and the old one in BANKREC_SECRET_KEY_PREVIOUS (comma-separated
when there are several), run rotate to re-seal, then drop the old key from
BANKREC_SECRET_KEY_PREVIOUS.

Examples:
  $ bankrec keys rotate
  $ BANKREC_SECRET_KEY=$(openssl rand -hex 32) BANKREC_SECRET_KEY_PREVIOUS=$OLD_KEY bankrec keys rotate
Exit codes: 0 done, 2 a key is missing or not a key, 1 unexpected.`;

/** What a rotation did: never a key, only its id. */
export interface RotateResult {
  readonly source: "file" | "env";
  readonly keyId: string;
  readonly resealed: number;
}

function envKeySet(ctx: CliContext, name: string): boolean {
  const value = ctx.env[name];
  return value !== undefined && value.trim() !== "";
}

/** Re-seals under BANKREC_SECRET_KEY the tokens sealed under BANKREC_SECRET_KEY_PREVIOUS. */
async function resealFromEnv(flags: StoreFlags, ctx: CliContext): Promise<RotateResult> {
  const { store: repo } = await backends();
  if (!envKeySet(ctx, repo.ENV_SECRET_KEY_PREVIOUS))
    throw new UsageError(
      `${repo.ENV_SECRET_KEY} is set, so the key lives in your environment: put the new key in ` +
        `${repo.ENV_SECRET_KEY} and the old one in ${repo.ENV_SECRET_KEY_PREVIOUS}, then run this again ` +
        "(see bankrec keys rotate --help)",
    );
  const store = await openCliStore(flags, ctx);
  try {
    const resealed = await repo.resealAccessTokens(store);
    return { source: "env", keyId: store.keyring.current.keyId, resealed };
  } finally {
    await store.close();
  }
}

/** A new key file, then every token re-sealed under it. */
async function rotateKeyFile(flags: StoreFlags, ctx: CliContext): Promise<RotateResult> {
  const { store: repo } = await backends();
  const before = await openCliStore(flags, ctx);
  let keyring: ReturnType<typeof repo.installNewKeyFile>;
  try {
    const path = before.keyFilePath;
    if (path === null) throw new Error("assert: a store opened without a given keyring has a key file path");
    const next = repo.EncryptionKey.generate();
    keyring = repo.installNewKeyFile(path, next, [before.keyring.current, ...before.keyring.previous]);
  } finally {
    await before.close();
  }
  const after = await openCliStore(flags, ctx, { keyring });
  try {
    const resealed = await repo.resealAccessTokens(after);
    return { source: "file", keyId: keyring.current.keyId, resealed };
  } finally {
    await after.close();
  }
}

/**
 * `bankrec keys rotate`: a new key for the access tokens, and every token re-sealed under it.
 *
 * @example await runKeysRotate({}, ctx) // { source: "file", keyId: "3f9a0c1b2d4e", resealed: 2 }
 */
export async function runKeysRotate(flags: StoreFlags, ctx: CliContext): Promise<RotateResult> {
  const { store: repo } = await backends();
  const result = envKeySet(ctx, repo.ENV_SECRET_KEY)
    ? await resealFromEnv(flags, ctx)
    : await rotateKeyFile(flags, ctx);
  if (flags.json === true) {
    printJson(ctx, { source: result.source, key_id: result.keyId, resealed: result.resealed });
  } else {
    const where = result.source === "file" ? "a new key file" : repo.ENV_SECRET_KEY;
    const tokens = result.resealed === 1 ? "1 access token" : `${result.resealed} access tokens`;
    ctx.stdout.write(`current key ${result.keyId} (${where}); re-sealed ${tokens} under it\n`);
  }
  return result;
}

/** `bankrec keys rotate`. */
export function registerKeys(program: Command, ctx: CliContext): void {
  const keys = program.command("keys").description("manage the key that seals access tokens");
  const rotate = keys
    .command("rotate")
    .description("switch to a new key and re-seal every stored access token under it");
  addStoreOptions(rotate)
    .addHelpText("after", EXAMPLES)
    .action(async (flags: StoreFlags) => {
      await runKeysRotate(flags, ctx);
    });
}
