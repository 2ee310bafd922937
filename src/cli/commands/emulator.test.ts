import { PassThrough } from "node:stream";
import { describe, expect, test } from "vitest";
import { type CliContext, defaultEngine } from "../context.js";
import { runCli } from "../program.js";
import { runEmulator } from "./emulator.js";

function context(env: Record<string, string> = {}): {
  ctx: CliContext;
  out: () => string;
  err: () => string;
} {
  let out = "";
  let err = "";
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
  stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
  return {
    ctx: { stdout, stderr, env, cwd: process.cwd(), engine: defaultEngine },
    out: () => out,
    err: () => err,
  };
}

describe("bankrec emulator", () => {
  test("serves Plaid's API on the port it prints, with credentials from the environment, and never prints the secret", async () => {
    const { ctx, out } = context({ PLAID_CLIENT_ID: "cli-client", PLAID_SECRET: "cli-secret-123" });
    let stop!: () => void;
    const until = new Promise<void>((resolve) => (stop = resolve));
    const running = runEmulator({ port: "0", seed: "9" }, ctx, until);
    while (!out().includes("Plaid API on")) await new Promise((r) => setTimeout(r, 10));
    const url = /Plaid API on (http:\/\/\S+)/.exec(out())![1]!;
    const reply = await fetch(`${url}/sandbox/public_token/create`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "PLAID-CLIENT-ID": "cli-client",
        "PLAID-SECRET": "cli-secret-123",
      },
      body: JSON.stringify({ institution_id: "ins_109508", initial_products: ["transactions"] }),
    });
    expect(reply.status).toBe(200);
    stop();
    await running;
    expect(out()).toContain("cli-client");
    expect(out()).not.toContain("cli-secret-123");
  });

  test("a bad port is a usage error (exit 2)", async () => {
    const { ctx, err } = context();
    expect(await runCli(["emulator", "--port", "99999"], ctx)).toBe(2);
    expect(err()).toMatch(/--port must be an integer/);
  });
});
