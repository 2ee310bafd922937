/**
 * A local Plaid: the endpoints bankrec uses, in Plaid's shapes, with deterministic data,
 * a clock that makes history change, fault injection, ES256-signed webhooks and a Link
 * stand-in. Tests start it in-process; `bankrec emulator` starts it on a port.
 *
 * @example
 * import { Configuration, PlaidApi } from "plaid";
 * const emu = await startEmulator({ seed: 7 });
 * const plaid = new PlaidApi(new Configuration({
 *   basePath: emu.url,
 *   baseOptions: { headers: { "PLAID-CLIENT-ID": emu.credentials.clientId, "PLAID-SECRET": emu.credentials.secret } },
 * }));
 * const { accessToken } = await emu.admin.createItem({ webhook: "http://127.0.0.1:9999/hook" });
 * const page = await plaid.transactionsSync({ access_token: accessToken, cursor: "", count: 500 });
 * await emu.clock.advance(1); // new, posted and modified transactions; SYNC_UPDATES_AVAILABLE POSTed
 * emu.faults.set({ kind: "rate_limit", endpoint: "/transactions/sync", times: 1 });
 * await emu.close();
 *
 * Over HTTP (for `bankrec emulator`), the same admin operations live under `/__emulator/`,
 * with the same credentials as Plaid calls (PLAID-CLIENT-ID / PLAID-SECRET headers) and the
 * in-process names (camelCase) in bodies:
 * GET /__emulator/clock, POST /__emulator/clock/advance {days}, POST /__emulator/faults
 * (a FaultRule), DELETE /__emulator/faults, POST /__emulator/webhooks/rotate,
 * GET /__emulator/webhooks, GET /__emulator/items, POST /__emulator/items (CreateItemOptions),
 * GET /__emulator/items/:item (ItemTruth), POST /__emulator/items/:item/login-required
 * {required?}, POST /__emulator/items/:item/complete-initial-update.
 *
 * Link stand-in: GET /link/v2/stable/link-initialize.js defines `window.Plaid.create(...)`;
 * its overlay signs in through POST /__emulator/link/authenticate (authorised by the link
 * token, not by credentials). Sandbox users: user_good / pass_good, and
 * user_transactions_dynamic (any password), whose history changes as the clock advances.
 *
 * Cursors are opaque positions in each item's change log: replaying a cursor gives the same
 * changes; a cursor from the middle of a pagination is refused with
 * TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION once the item has changed since that
 * pagination began. Webhook bodies are pretty-printed JSON, so a verifier must hash the raw
 * bytes it received, not a re-serialisation.
 */
export { type SampleLedger, type SampleLedgerOptions, sampleLedger } from "./ledger.js";
export { DEFAULT_CLIENT_ID, DEFAULT_SECRET, startEmulator } from "./server.js";
export type { PlaidTransaction } from "./transaction.js";
export type {
  CreateItemOptions,
  Emulator,
  EmulatorAdmin,
  EmulatorOptions,
  FaultKind,
  FaultRule,
  ItemHandle,
  ItemTruth,
  SandboxUser,
  WebhookDelivery,
} from "./types.js";
