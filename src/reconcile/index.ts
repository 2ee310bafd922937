export type * from "./types.js";
export { DEFAULTS as RECONCILE_DEFAULTS, reconcile } from "./engine.js";
