import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { inspect } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Secret } from "../secrets/index.js";
import { PlaidCaller } from "./caller.js";
import { resolvePlaidConfig } from "./config.js";
import {
  PlaidApiError,
  SERVER_CODE_LENGTH_MAX,
  SERVER_TEXT_LENGTH_MAX,
  scrubber,
  toPlaidApiError,
} from "./errors.js";

const SECRET = "sk-test-5ecr3t-d0-not-leak-4f9a";
const TOKEN = new Secret("access-sandbox-0a1b2c3d-4e5f-6789-abcd-ef0123456789");

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;
let handler: Handler = (_req, res) => res.end("{}");
let url = "";
const server = createServer((req, res) => {
  let body = "";
  req.on("data", (chunk: Buffer) => (body += chunk.toString()));
  req.on("end", () => handler(req, res, body));
});

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function caller(basePath = url, timeoutMs = 2_000): PlaidCaller {
  const config = resolvePlaidConfig({ clientId: "client-id", secret: SECRET, baseUrl: basePath, timeoutMs });
  return new PlaidCaller({ config, retry: { attemptsMax: 1 } });
}

async function failure(call: Promise<unknown>): Promise<PlaidApiError> {
  try {
    await call;
  } catch (error) {
    expect(error).toBeInstanceOf(PlaidApiError);
    return error as PlaidApiError;
  }
  throw new Error("expected the call to fail");
}

function itemGet(c: PlaidCaller) {
  return c.call("itemGet", [TOKEN], (api) => api.itemGet({ access_token: TOKEN.reveal() }));
}

/** Every way an error turns into text, including what a logger would do with it. */
function renderings(error: PlaidApiError): string[] {
  return [
    JSON.stringify(error),
    inspect(error, { depth: 10, showHidden: true }),
    String(error),
    error.stack ?? "",
    JSON.stringify(Object.getOwnPropertyNames(error).map((k) => [k, String((error as never)[k])])),
  ];
}

function expectNoLeak(error: PlaidApiError): void {
  for (const text of renderings(error)) {
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(TOKEN.reveal());
  }
  expect(error.cause).toBeUndefined();
  for (const value of Object.values(error)) expect(typeof value === "object" && value !== null).toBe(false);
}

describe("PlaidApiError from the SDK", () => {
  it("carries Plaid's error fields and sends the credentials as headers", async () => {
    let headers: IncomingMessage["headers"] = {};
    handler = (req, res) => {
      headers = req.headers;
      res.writeHead(400, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          error_type: "ITEM_ERROR",
          error_code: "ITEM_LOGIN_REQUIRED",
          error_message: "the login details of this item have changed",
          display_message: "Please log in again",
          request_id: "req-42",
        }),
      );
    };
    const error = await failure(itemGet(caller()));
    expect(error).toMatchObject({
      code: "PLAID",
      operation: "itemGet",
      errorType: "ITEM_ERROR",
      errorCode: "ITEM_LOGIN_REQUIRED",
      displayMessage: "Please log in again",
      requestId: "req-42",
      httpStatus: 400,
      retryable: false,
    });
    expect(headers["plaid-client-id"]).toBe("client-id");
    expect(headers["plaid-secret"]).toBe(SECRET);
    expect(headers["plaid-version"]).toBe("2020-09-14");
    expectNoLeak(error);
  });

  it("scrubs the secret and access tokens that a server echoes back", async () => {
    handler = (_req, res, body) => {
      res.writeHead(400, { "content-type": "application/json" });
      const token = (JSON.parse(body) as { access_token: string }).access_token;
      res.end(
        JSON.stringify({
          error_type: "INVALID_INPUT",
          error_code: "INVALID_ACCESS_TOKEN",
          error_message: `token ${token} with secret ${SECRET} is invalid`,
          display_message: `token ${token}`,
          request_id: "req-1",
        }),
      );
    };
    const error = await failure(itemGet(caller()));
    expect(error.errorMessage).toContain("[redacted]");
    expectNoLeak(error);
  });

  it("scrubs every text of the body, the request id and the codes included", async () => {
    handler = (req, res, body) => {
      const sent = `${String(req.headers["plaid-secret"])} ${body} ${JSON.stringify(req.headers)}`;
      res.writeHead(400, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          error_type: `INVALID_INPUT ${sent}`,
          error_code: `INVALID_ACCESS_TOKEN ${sent}`,
          error_message: sent,
          display_message: sent,
          request_id: sent,
        }),
      );
    };
    const error = await failure(itemGet(caller()));
    expect(error.requestId).toContain("[redacted]");
    expect(error.errorCode).toContain("[redacted]");
    expectNoLeak(error);
    expect(error.requestId?.length).toBeLessThanOrEqual(SERVER_CODE_LENGTH_MAX + 1);
    expect(error.errorType.length).toBeLessThanOrEqual(SERVER_CODE_LENGTH_MAX + 1);
    expect(error.errorCode.length).toBeLessThanOrEqual(SERVER_CODE_LENGTH_MAX + 1);
  });

  it("bounds a 10 MB error body to a short message, scrubbed", async () => {
    const huge = `${SECRET} ${"x".repeat(10 * 2 ** 20)} ${SECRET}`;
    handler = (_req, res) => {
      res.writeHead(400, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          error_type: "INVALID_REQUEST",
          error_code: "X",
          error_message: huge,
          request_id: huge,
        }),
      );
    };
    const error = await failure(itemGet(caller()));
    expect(error.errorMessage.length).toBeLessThanOrEqual(SERVER_TEXT_LENGTH_MAX + 1);
    expect(error.errorMessage.startsWith("[redacted] xxx")).toBe(true);
    expect(error.message.length).toBeLessThan(2 * SERVER_TEXT_LENGTH_MAX);
    expect(error.requestId?.length).toBeLessThanOrEqual(SERVER_CODE_LENGTH_MAX + 1);
    expectNoLeak(error);
  });

  it("does not follow a redirect, which would carry the secret and the token elsewhere", async () => {
    let elsewhere = 0;
    const other = createServer((_req, res) => {
      elsewhere += 1;
      res.end("{}");
    });
    await new Promise<void>((resolve) => other.listen(0, "127.0.0.1", resolve));
    const otherUrl = `http://127.0.0.1:${(other.address() as AddressInfo).port}/item/get`;
    handler = (_req, res) => res.writeHead(307, { location: otherUrl }).end();
    try {
      const error = await failure(itemGet(caller()));
      expect(error).toMatchObject({ httpStatus: 307, errorCode: "HTTP_307", retryable: false });
      expect(elsewhere).toBe(0);
      expectNoLeak(error);
    } finally {
      await new Promise<void>((resolve) => other.close(() => resolve()));
    }
  });

  it("treats 5xx without a Plaid body as a retryable API error whose outcome is unknown", async () => {
    handler = (_req, res) => {
      res.writeHead(502, { "content-type": "text/html" });
      res.end("<html>bad gateway</html>");
    };
    const error = await failure(itemGet(caller()));
    expect(error).toMatchObject({
      errorType: "API_ERROR",
      errorCode: "HTTP_502",
      httpStatus: 502,
      retryable: true,
      outcomeUnknown: true,
    });
    expectNoLeak(error);
  });

  it("treats a 429 as retryable and safe to repeat", async () => {
    handler = (_req, res) => {
      res.writeHead(429, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          error_type: "RATE_LIMIT_EXCEEDED",
          error_code: "RATE_LIMIT",
          error_message: "slow down",
          display_message: null,
          request_id: "r",
        }),
      );
    };
    const error = await failure(itemGet(caller()));
    expect(error).toMatchObject({ httpStatus: 429, retryable: true, outcomeUnknown: false });
  });

  it("reports a timeout as a network error with no status", async () => {
    handler = () => {};
    const error = await failure(itemGet(caller(url, 100)));
    expect(error).toMatchObject({
      errorType: "NETWORK_ERROR",
      errorCode: "TIMEOUT",
      httpStatus: null,
      retryable: true,
    });
    expectNoLeak(error);
  });

  it("reports a refused connection as retryable and never sent", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const error = await failure(itemGet(caller(`http://127.0.0.1:${port}`)));
    expect(error).toMatchObject({ errorCode: "CONNECTION_REFUSED", retryable: true, outcomeUnknown: false });
    expectNoLeak(error);
  });
});

describe("toPlaidApiError", () => {
  it("passes a PlaidApiError through and wraps anything else as a non-retryable client error", () => {
    const error = toPlaidApiError(new TypeError(`bad ${SECRET}`), "itemGet", [new Secret(SECRET)]);
    expect(error).toMatchObject({ errorType: "CLIENT_ERROR", errorCode: "UNEXPECTED", retryable: false });
    expect(error.message).not.toContain(SECRET);
    expect(toPlaidApiError(error, "other", [])).toBe(error);
  });
});

describe("scrubber", () => {
  const secret = new Secret(SECRET);

  it("keeps no prefix of a secret that the length bound cuts in two", () => {
    const scrub = scrubber([secret, TOKEN]);
    for (const text of [
      SECRET.repeat(1_000),
      `${TOKEN.reveal()} `.repeat(1_000),
      `ab${SECRET}`.repeat(500),
    ]) {
      const out = scrub(text);
      expect(out.endsWith("…")).toBe(true);
      // Whatever is left once the redactions go is text the server sent beside the secrets.
      const left = out.split("[redacted]").join("").replace(/…$/, "");
      expect(left).toMatch(/^(ab| )*$/);
    }
  });

  it("cuts only a secret that is there, not text that merely starts like one", () => {
    const scrub = scrubber([new Secret("aaaa-not-here")]);
    expect(scrub("a".repeat(10 * 2 ** 20))).toBe(`${"a".repeat(SERVER_TEXT_LENGTH_MAX)}…`);
  });

  it("scrubs a secret as JSON or a URL would escape it", () => {
    const odd = new Secret('se"cr\\et/+&=1');
    const scrub = scrubber([odd]);
    const echoed = `${JSON.stringify({ secret: odd.reveal() })} ${encodeURIComponent(odd.reveal())}`;
    const out = scrub(echoed);
    expect(out).toBe('{"secret":"[redacted]"} [redacted]');
  });

  it("turns control characters into spaces, so a server cannot drive the terminal", () => {
    expect(scrubber([])("\u001b[2J\u001b[31mred\r\nline\u0007")).toBe(" [2J [31mred line ");
  });

  it("leaves short ordinary text as it is", () => {
    expect(scrubber([secret])("the login details of this item have changed")).toBe(
      "the login details of this item have changed",
    );
  });
});
