/**
 * A small seeded PRNG (mulberry32) so that every item, amount and fault is reproducible from
 * the emulator's seed. Not for anything secret.
 */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Uniform integer in [min, max]. */
  between(min: number, max: number): number;
  chance(probability: number): boolean;
  pick<T>(items: readonly T[]): T;
}

/** FNV-1a over a string, to derive independent seeds ("seed:item:3"). */
export function hashSeed(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

export function createRng(seed: number): Rng {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number): number => Math.floor(next() * n);
  return {
    next,
    int,
    between: (min, max) => min + int(max - min + 1),
    chance: (probability) => next() < probability,
    pick: <T>(items: readonly T[]): T => {
      if (items.length === 0) throw new Error("pick from an empty list");
      return items[int(items.length)] as T;
    },
  };
}

const ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

const ID_CODES = Array.from(ID_ALPHABET, (char) => char.charCodeAt(0));
const idCodes: number[] = [];

/**
 * A Plaid-looking 37-character id (Plaid's ids are opaque base62-like strings). Built from
 * char codes in one go: appending 37 times would leave a rope of 37 string nodes per id.
 */
export function plaidId(rng: Rng, length = 37): string {
  idCodes.length = length;
  for (let i = 0; i < length; i++) idCodes[i] = ID_CODES[rng.int(ID_CODES.length)] as number;
  return String.fromCharCode(...idCodes);
}

/** A UUID-shaped string (v4 layout) drawn from the PRNG, for tokens. */
export function pseudoUuid(rng: Rng): string {
  const hex = (n: number): string => {
    let out = "";
    for (let i = 0; i < n; i++) out += rng.int(16).toString(16);
    return out;
  };
  return `${hex(8)}-${hex(4)}-4${hex(3)}-${(8 + rng.int(4)).toString(16)}${hex(3)}-${hex(12)}`;
}
