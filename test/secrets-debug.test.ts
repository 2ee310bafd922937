import { execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { packageInfo } from "../src/cli/package-root.js";
import { type Emulator, startEmulator } from "../src/emulator/index.js";
import { accessTokenOf, listItems, openStore } from "../src/store/index.js";

/**
 * No environment makes a secret appear: the built CLI, run as people run it, with the HTTP
 * debug channels people switch on in CI and paste into bug reports (`DEBUG=*` for the `debug`
 * package under axios, `NODE_DEBUG` for Node's own tracing), against the emulator and against
 * a server that echoes everything it receives back in a Plaid-shaped error. Every byte of
 * stdout and stderr is searched for the Plaid secret and the items' access tokens.
 */

const root = packageInfo().root;
const bin = join(root, "dist", "src", "cli", "main.js");
/** Anything shaped like a Plaid access or public token, whichever item it belongs to. */
const TOKEN_SHAPE = /\b(access|public)-(sandbox|production)-[A-Za-z0-9-]{8,}/;
const CLIENT_ID = "bankrec-debug-client";
/** A secret no other text contains, so that finding it anywhere is a leak. */
const SECRET = `debug-secret-${randomBytes(12).toString("hex")}`;
/** Each scenario runs the CLI seven times, and each run loads the Plaid SDK: seconds apiece on a busy machine. */
const SCENARIO = { timeout: 240_000 } as const;

interface Run {
  readonly label: string;
  readonly code: number | null;
  readonly output: string;
}

let emu: Emulator;
let echo: { readonly url: string; received: number; close(): Promise<void> };
let scratch: string;

beforeAll(async () => {
  try {
    execFileSync(
      process.execPath,
      [join(root, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.build.json"],
      { cwd: root, stdio: "pipe" },
    );
  } catch {
    // Emitted anyway; the existence check below is what matters to these tests.
  }
  if (!existsSync(bin)) throw new Error(`the build did not write ${bin}`);
  emu = await startEmulator({ seed: 17, clientId: CLIENT_ID, secret: SECRET });
  echo = await startEchoServer();
  scratch = mkdtempSync(join(tmpdir(), "bankrec-secrets-debug-"));
});

afterAll(async () => {
  await emu?.close();
  await echo?.close();
  if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
});

/**
 * A misbehaving endpoint (or proxy): every call gets a 400 in Plaid's error shape whose every
 * text field repeats the headers and body it was sent (the secret, the access token).
 */
async function startEchoServer(): Promise<typeof echo> {
  const state = { received: 0 };
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      state.received += 1;
      const sent = `${JSON.stringify(request.headers)} ${Buffer.concat(chunks).toString("utf8")}`;
      response.writeHead(400, { "content-type": "application/json" }).end(
        JSON.stringify({
          error_type: `INVALID_REQUEST ${sent}`,
          error_code: `ECHO ${sent}`,
          error_message: `you sent ${sent}`,
          display_message: `you sent ${sent}`,
          request_id: sent,
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get received() {
      return state.received;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The environment a user would set, built from nothing so the shell's own DEBUG cannot leak in. */
function baseEnv(folder: string, plaidUrl: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? "",
    NO_COLOR: "1",
    PLAID_CLIENT_ID: CLIENT_ID,
    PLAID_SECRET: SECRET,
    PLAID_BASE_URL: plaidUrl,
    BANKREC_DATA_DIR: join(folder, "data"),
    DATABASE_URL: `sqlite:${join(folder, "books.db")}`,
  };
}

/** The built CLI in a child process; async, because the servers it talks to live in this one. */
function bankrec(env: NodeJS.ProcessEnv, args: readonly string[], label: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: scratch, env });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString("utf8");
    });
    child.stderr.on("data", (chunk: Buffer) => {
      output += chunk.toString("utf8");
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ label, code, output }));
  });
}

/** The access tokens the store holds, unsealed the way the CLI unseals them. */
async function storedAccessTokens(env: NodeJS.ProcessEnv): Promise<string[]> {
  const store = await openStore({ url: env.DATABASE_URL ?? "", env });
  try {
    const items = await listItems(store);
    const tokens: string[] = [];
    for (const item of items) tokens.push((await accessTokenOf(store, item.id)).reveal());
    return tokens;
  } finally {
    await store.close();
  }
}

/** Where a secret shows, described without printing it: the run and what leaked. */
function leaks(runs: readonly Run[], tokens: readonly string[]): string[] {
  const found: string[] = [];
  for (const run of runs) {
    if (run.output.includes(SECRET)) found.push(`${run.label}: the Plaid secret`);
    tokens.forEach((token, i) => {
      if (run.output.includes(token)) found.push(`${run.label}: access token #${i + 1}`);
    });
    const shaped = TOKEN_SHAPE.exec(run.output);
    if (shaped !== null) found.push(`${run.label}: a token-shaped string (${shaped[1]}-${shaped[2]}-…)`);
  }
  return found;
}

/**
 * One debug environment: an item linked first with no debug variable (so the store holds an
 * access token to send), then the Plaid commands against the emulator and against the echo
 * server with the variable set.
 */
async function scenario(name: string, debugEnv: NodeJS.ProcessEnv) {
  const folder = mkdtempSync(join(scratch, `${name}-`));
  const emulatorEnv = baseEnv(folder, emu.url);
  const runs: Run[] = [await bankrec(emulatorEnv, ["link"], "link (no debug variable)")];
  expect(runs[0]?.code, runs[0]?.output).toBe(0);
  const withDebug = (env: NodeJS.ProcessEnv) => ({ ...env, ...debugEnv });
  for (const args of [["link"], ["sync"], ["balances"]]) {
    runs.push(await bankrec(withDebug(emulatorEnv), args, `${name} ${args.join(" ")} (emulator)`));
  }
  const echoEnv = baseEnv(folder, echo.url);
  for (const args of [["sync"], ["balances"], ["link"]]) {
    runs.push(await bankrec(withDebug(echoEnv), args, `${name} ${args.join(" ")} (echo server)`));
  }
  const tokens = await storedAccessTokens(emulatorEnv);
  expect(tokens.length).toBeGreaterThan(0);
  return { runs, tokens, debugged: runs.slice(1) };
}

describe("no debug environment makes the Plaid secret or an access token appear", () => {
  for (const [name, debugEnv] of [
    ["DEBUG=*", { DEBUG: "*" }],
    ["DEBUG=follow-redirects", { DEBUG: "follow-redirects" }],
  ] as const) {
    it(`with ${name} the commands work and print neither`, SCENARIO, async () => {
      const { runs, tokens, debugged } = await scenario(name, debugEnv);
      expect(leaks(runs, tokens)).toEqual([]);
      const [emulatorRuns, echoRuns] = [debugged.slice(0, 3), debugged.slice(3)];
      for (const run of emulatorRuns) expect(run.code, `${run.label}\n${run.output}`).toBe(0);
      // The echo server's errors reach the user, scrubbed: exit 4 with Plaid's request id line.
      for (const run of echoRuns) {
        expect(run.code, run.label).toBe(4);
        expect(run.output).toContain("[redacted]");
      }
    });
  }

  it(
    "with NODE_DEBUG=http,net,tls the Plaid commands refuse to run, naming NODE_DEBUG",
    SCENARIO,
    async () => {
      const before = echo.received;
      const { runs, tokens, debugged } = await scenario("NODE_DEBUG", { NODE_DEBUG: "http,net,tls" });
      expect(leaks(runs, tokens)).toEqual([]);
      for (const run of debugged) {
        expect(run.code, `${run.label}\n${run.output}`).toBe(2);
        const lines = run.output.split("\n").filter((line) => line.startsWith("bankrec:"));
        expect(lines).toHaveLength(1);
        expect(lines[0]).toMatch(/NODE_DEBUG/);
      }
      // Refused before anything was sent.
      expect(echo.received).toBe(before);
    },
  );

  it(
    "with NODE_DEBUG=tls (handshake events, no headers) Plaid commands run, and commands without Plaid run with any NODE_DEBUG",
    SCENARIO,
    async () => {
      const folder = mkdtempSync(join(scratch, "tls-"));
      const env = { ...baseEnv(folder, emu.url), NODE_DEBUG: "tls" };
      const run = await bankrec(env, ["link"], "NODE_DEBUG=tls link");
      expect(run.code, run.output).toBe(0);
      expect(leaks([run], await storedAccessTokens(env))).toEqual([]);
      const items = await bankrec({ ...env, NODE_DEBUG: "http,net,tls" }, ["items"], "NODE_DEBUG items");
      expect(items.code, items.output).toBe(0);
      expect(leaks([items], await storedAccessTokens(env))).toEqual([]);
    },
  );
});
