import { randomBytes, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { failures, PlaidFailure } from "./errors.js";

/** Small node:http helpers: bounded body reading, JSON replies, request ids, credentials. */

const BODY_LIMIT_BYTES = 2 * 1024 * 1024;

export function newRequestId(): string {
  return randomBytes(8).toString("base64url").slice(0, 11);
}

export async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > BODY_LIMIT_BYTES) throw failures.invalidBody("request body is larger than 2 MiB");
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** The parsed JSON object; Plaid answers INVALID_BODY for anything else. */
export function parseJsonObject(text: string): Record<string, unknown> {
  if (text.trim() === "") return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw failures.invalidBody("the request body is not valid JSON");
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw failures.invalidBody("the request body must be a JSON object");
  }
  return parsed as Record<string, unknown>;
}

export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
  });
  response.end(text);
}

export function sendText(response: ServerResponse, status: number, contentType: string, text: string): void {
  response.writeHead(status, { "content-type": contentType, "content-length": Buffer.byteLength(text) });
  response.end(text);
}

export function sendFailure(response: ServerResponse, failure: PlaidFailure, requestId: string): void {
  sendJson(response, failure.status, failure.body(requestId));
}

function equalSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Credentials from the PLAID-CLIENT-ID / PLAID-SECRET headers, or the body's client_id / secret. */
export function checkCredentials(
  request: IncomingMessage,
  body: Record<string, unknown>,
  expected: { clientId: string; secret: string },
): void {
  const header = (name: string): string | undefined => {
    const value = request.headers[name];
    return typeof value === "string" ? value : undefined;
  };
  const clientId = header("plaid-client-id") ?? body.client_id;
  const secret = header("plaid-secret") ?? body.secret;
  const missing = [
    clientId === undefined ? "client_id" : null,
    secret === undefined ? "secret" : null,
  ].filter((field): field is string => field !== null);
  if (missing.length > 0) {
    throw failures.missingFields(`the following required fields are missing: ${missing.join(", ")}`);
  }
  if (typeof clientId !== "string" || typeof secret !== "string") throw failures.invalidApiKeys();
  if (!equalSecret(clientId, expected.clientId) || !equalSecret(secret, expected.secret)) {
    throw failures.invalidApiKeys();
  }
}

export function asFailure(error: unknown): PlaidFailure {
  return error instanceof PlaidFailure ? error : failures.internal();
}
