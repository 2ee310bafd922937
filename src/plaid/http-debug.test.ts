import { createRequire } from "node:module";
import { debuglog } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { httpTracingProblem, silenceHttpDebugLogs, withoutHttpDebug } from "./http-debug.js";

interface Debug {
  (namespace: string): { readonly enabled: boolean };
  enable(namespaces: string): void;
  disable(): string;
}

/** The `debug` module follow-redirects loads, found the way it finds it. */
function followRedirectsDebug(): Debug {
  let from = import.meta.url;
  for (const name of ["plaid", "axios", "follow-redirects", "debug"])
    from = createRequire(from).resolve(name);
  return createRequire(import.meta.url)(from) as Debug;
}

describe("withoutHttpDebug", () => {
  it("adds negations for the SDK's HTTP namespaces and keeps the user's others", () => {
    const value = withoutHttpDebug("*") ?? "";
    expect(value.startsWith("*,-follow-redirects,")).toBe(true);
    for (const name of ["-axios", "-https-proxy-agent:*", "-agent-base"])
      expect(value.split(",")).toContain(name);
    expect(withoutHttpDebug("express:* follow-redirects")).toMatch(
      /^express:\*,follow-redirects,-follow-redirects,/,
    );
  });

  it("leaves a value that enables nothing, or already has the negations, as it is", () => {
    expect(withoutHttpDebug(undefined)).toBeUndefined();
    expect(withoutHttpDebug("")).toBe("");
    expect(withoutHttpDebug("-foo")).toBe("-foo");
    const once = withoutHttpDebug("*");
    expect(withoutHttpDebug(once)).toBe(once);
  });
});

describe("silenceHttpDebugLogs", () => {
  const debug = followRedirectsDebug();
  const saved = { env: process.env.DEBUG, namespaces: debug.disable() };
  afterEach(() => {
    debug.enable(saved.namespaces);
    if (saved.env === undefined) delete process.env.DEBUG;
    else process.env.DEBUG = saved.env;
  });

  it("switches off the HTTP namespaces in the loaded debug module, loggers made before included", () => {
    debug.enable("*");
    const redirects = debug("follow-redirects");
    const proxy = debug("https-proxy-agent:agent");
    const mine = debug("my-app");
    expect(redirects.enabled && proxy.enabled && mine.enabled).toBe(true);
    silenceHttpDebugLogs();
    expect(redirects.enabled).toBe(false);
    expect(proxy.enabled).toBe(false);
    expect(debug("agent-base").enabled).toBe(false);
    expect(mine.enabled).toBe(true);
    expect(process.env.DEBUG).toMatch(/^\*,-follow-redirects,/);
  });

  it("changes nothing when DEBUG enables nothing", () => {
    debug.enable("");
    delete process.env.DEBUG;
    silenceHttpDebugLogs();
    expect(process.env.DEBUG).toBeUndefined();
  });
});

describe("httpTracingProblem", () => {
  // Node reads NODE_DEBUG at start-up, so these ask a stand-in; test/secrets-debug.test.ts runs
  // the built CLI with NODE_DEBUG set.
  it("names NODE_DEBUG and the sections that would print headers", () => {
    const problem = httpTracingProblem((section) => section === "http" || section === "net");
    expect(problem).toMatch(/^NODE_DEBUG traces http, net, which prints every request's headers/);
    expect(problem).toMatch(/unset NODE_DEBUG/);
    expect(httpTracingProblem((section) => section === "https")).toMatch(/^NODE_DEBUG traces https,/);
  });

  it("lets tls tracing and every other section through", () => {
    expect(httpTracingProblem((section) => !["http", "https", "net"].includes(section))).toBeNull();
  });

  it("asks Node itself by default, not process.env", () => {
    const saved = process.env.NODE_DEBUG;
    process.env.NODE_DEBUG = "http"; // too late to matter, as in any running process
    try {
      expect(httpTracingProblem()).toBe(httpTracingProblem((section) => debuglog(section).enabled));
    } finally {
      if (saved === undefined) delete process.env.NODE_DEBUG;
      else process.env.NODE_DEBUG = saved;
    }
  });
});
