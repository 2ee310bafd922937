import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Configuration, PlaidApi } from "plaid";
import { PlaidGateway, type PlaidGatewayOptions } from "../plaid/gateway.js";
import type { Emulator } from "./types.js";

/** Helpers for tests that drive the emulator (not part of the emulator's API). */

/** The official SDK pointed at `emu`, authenticated by headers as Plaid's docs show. */
export function plaidClientFor(emu: Emulator): PlaidApi {
  return new PlaidApi(
    new Configuration({
      basePath: emu.url,
      baseOptions: {
        headers: { "PLAID-CLIENT-ID": emu.credentials.clientId, "PLAID-SECRET": emu.credentials.secret },
      },
    }),
  );
}

/**
 * bankrec's PlaidGateway pointed at `emu`, with its credentials (other gateway options, such
 * as a faster retry policy for fault tests, pass through).
 *
 * @example const plaid = plaidGatewayFor(emu); await plaid.syncTransactions(token).next();
 */
export function plaidGatewayFor(
  emu: Emulator,
  options: Omit<PlaidGatewayOptions, "config"> = {},
): PlaidGateway {
  return new PlaidGateway({
    ...options,
    config: { clientId: emu.credentials.clientId, secret: emu.credentials.secret, baseUrl: emu.url },
  });
}

export interface ReceivedWebhook {
  readonly body: string;
  readonly verification: string | undefined;
}

/** A local HTTP server that records the webhooks POSTed to it. */
export async function startWebhookReceiver(): Promise<{
  url: string;
  received: ReceivedWebhook[];
  close(): Promise<void>;
}> {
  const received: ReceivedWebhook[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const header = request.headers["plaid-verification"];
      received.push({
        body: Buffer.concat(chunks).toString("utf8"),
        verification: typeof header === "string" ? header : undefined,
      });
      response.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/plaid/webhook`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Plaid's error body from an SDK (axios) failure, or undefined. */
export function plaidErrorOf(
  error: unknown,
): { error_code: string; error_type: string; status: number } | undefined {
  const data = (error as { response?: { data?: unknown } }).response?.data;
  if (data !== null && typeof data === "object" && "error_code" in data) {
    return data as { error_code: string; error_type: string; status: number };
  }
  return undefined;
}
