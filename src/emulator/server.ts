import type { Emulator, EmulatorOptions } from "./types.js";

/** The client id accepted when neither options nor PLAID_CLIENT_ID give one. */
export const DEFAULT_CLIENT_ID = "bankrec-emulator-client";
/** The secret accepted when neither options nor PLAID_SECRET give one. */
export const DEFAULT_SECRET = "bankrec-emulator-secret";

/** Starts an emulator; see index.ts. */
export async function startEmulator(_options: EmulatorOptions = {}): Promise<Emulator> {
  throw new Error("the emulator's endpoints are not written yet");
}
