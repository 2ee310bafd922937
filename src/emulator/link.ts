import { z } from "zod";
import { PlaidFailure } from "./errors.js";
import type { EmulatorState } from "./state.js";
import type { SandboxUser } from "./types.js";
import { parseBody } from "./validation.js";

/**
 * A stand-in for Plaid Link: `link-initialize.js` defines `window.Plaid.create(...)`; `open()`
 * shows an overlay to pick an institution and sign in, then POSTs to
 * `/__emulator/link/authenticate`, which checks the link token and the sandbox credentials
 * and answers with a real public token and Link's `onSuccess` metadata.
 */

const authenticateSchema = z.object({
  link_token: z.string(),
  institution_id: z.string(),
  username: z.string(),
  password: z.string(),
});

function userFor(username: string, password: string): SandboxUser | null {
  if (username === "user_good" && password === "pass_good") return "user_good";
  // Plaid's dynamic sandbox user takes any non-blank password.
  if (username === "user_transactions_dynamic" && password.trim() !== "") return "user_transactions_dynamic";
  return null;
}

export async function authenticateLink(
  state: EmulatorState,
  raw: unknown,
  onRepaired: (itemId: string) => Promise<void>,
): Promise<Record<string, unknown>> {
  const body = parseBody(authenticateSchema, raw);
  const session = state.linkSession(body.link_token);
  const institution = state.institution(body.institution_id);
  const user = userFor(body.username, body.password);
  if (user === null) {
    throw new PlaidFailure(
      "ITEM_ERROR",
      "INVALID_CREDENTIALS",
      "the provided credentials were not correct",
      400,
      "The provided credentials were not correct. Please try again.",
    );
  }
  let publicToken: string;
  let itemAccounts: Record<string, unknown>[];
  if (session.itemId !== null) {
    const item = state.findItem(session.itemId);
    if (item === undefined)
      throw new PlaidFailure(
        "INVALID_INPUT",
        "INVALID_LINK_TOKEN",
        "the item of this link token was removed",
      );
    const wasBroken = item.loginRequired;
    item.loginRequired = false;
    if (wasBroken) await onRepaired(item.itemId);
    publicToken = state.issuePublicToken({}, item.itemId);
    itemAccounts = item.accountsJson();
  } else {
    publicToken = state.issuePublicToken({
      institutionId: institution.institutionId,
      user,
      products: session.products,
      ...(session.webhook === null ? {} : { webhook: session.webhook }),
      ...(session.historyDays === null ? {} : { historyDays: session.historyDays }),
    });
    itemAccounts = [];
  }
  return {
    public_token: publicToken,
    metadata: {
      institution: { institution_id: institution.institutionId, name: institution.name },
      accounts: itemAccounts.map((account) => ({
        id: account.account_id,
        name: account.name,
        mask: account.mask,
        type: account.type,
        subtype: account.subtype,
        verification_status: null,
      })),
      link_session_id: `link-session-${publicToken.slice(-12)}`,
      transfer_status: null,
    },
  };
}

/** The script, bound to the origin it is served from. */
export function linkInitializeScript(
  origin: string,
  institutions: readonly { institutionId: string; name: string }[],
): string {
  const list = JSON.stringify(institutions.map((i) => ({ id: i.institutionId, name: i.name })));
  return `(function () {
  "use strict";
  var ORIGIN = ${JSON.stringify(origin)};
  var INSTITUTIONS = ${list};
  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function create(config) {
    if (!config || typeof config.token !== "string") throw new Error("Plaid.create needs { token }");
    var overlay = null;
    var sessionId = "link-session-" + Math.random().toString(36).slice(2);
    function event(name, meta) { if (config.onEvent) config.onEvent(name, Object.assign({ link_session_id: sessionId, timestamp: new Date().toISOString() }, meta || {})); }
    function close() { if (overlay && overlay.parentNode) overlay.parentNode.removeChild(overlay); overlay = null; }
    function exit(err) {
      close();
      event("EXIT");
      if (config.onExit) config.onExit(err || null, { institution: null, status: err ? "requires_credentials" : null, link_session_id: sessionId, request_id: null });
    }
    function showLogin(box, institution) {
      box.textContent = "";
      box.appendChild(el("h2", {}, institution.name));
      box.appendChild(el("p", {}, "Sandbox credentials: user_good / pass_good (or user_transactions_dynamic / any password)"));
      var user = el("input", { name: "username", placeholder: "Username", "data-testid": "plaid-username" });
      var pass = el("input", { name: "password", type: "password", placeholder: "Password", "data-testid": "plaid-password" });
      var message = el("p", { role: "alert", "data-testid": "plaid-error" });
      var submit = el("button", { type: "submit", "data-testid": "plaid-submit" }, "Submit");
      var form = el("form", {});
      form.appendChild(user); form.appendChild(pass); form.appendChild(submit); form.appendChild(message);
      form.addEventListener("submit", function (e) {
        e.preventDefault();
        submit.disabled = true;
        event("SUBMIT_CREDENTIALS", { institution_id: institution.id, institution_name: institution.name });
        fetch(ORIGIN + "/__emulator/link/authenticate", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ link_token: config.token, institution_id: institution.id, username: user.value, password: pass.value })
        }).then(function (r) { return r.json(); }).then(function (json) {
          submit.disabled = false;
          if (json.error_code) { message.textContent = json.display_message || json.error_message; event("ERROR", { error_code: json.error_code }); return; }
          close();
          event("HANDOFF");
          if (config.onSuccess) config.onSuccess(json.public_token, json.metadata);
        }, function (err) { submit.disabled = false; message.textContent = String(err); });
      });
      box.appendChild(form);
      user.focus();
    }
    function open() {
      if (overlay) return;
      overlay = el("div", { "data-testid": "plaid-link", style: "position:fixed;inset:0;background:rgba(0,0,0,.5);display:flex;align-items:center;justify-content:center;z-index:2147483647" });
      var box = el("div", { role: "dialog", "aria-label": "Plaid Link (emulator)", style: "background:#fff;color:#111;padding:24px;border-radius:8px;min-width:320px;font:14px sans-serif" });
      box.appendChild(el("h2", {}, "Select your institution"));
      INSTITUTIONS.forEach(function (institution) {
        var button = el("button", { type: "button", "data-institution-id": institution.id, style: "display:block;width:100%;margin:4px 0;padding:8px;text-align:left" }, institution.name);
        button.addEventListener("click", function () { event("SELECT_INSTITUTION", { institution_id: institution.id, institution_name: institution.name }); showLogin(box, institution); });
        box.appendChild(button);
      });
      var cancel = el("button", { type: "button", "data-testid": "plaid-exit" }, "Exit");
      cancel.addEventListener("click", function () { exit(null); });
      overlay.appendChild(box);
      box.appendChild(cancel);
      document.body.appendChild(overlay);
      event("OPEN");
    }
    if (config.onLoad) setTimeout(config.onLoad, 0);
    return { open: open, exit: function () { exit(null); }, destroy: close, submit: function () {} };
  }
  window.Plaid = { create: create, version: "emulator" };
})();
`;
}
