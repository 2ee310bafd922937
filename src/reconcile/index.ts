export { DEFAULTS as RECONCILE_DEFAULTS, reconcile } from "./engine.js";
export type * from "./types.js";
