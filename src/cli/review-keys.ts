import type { Key } from "node:readline";

/**
 * The keys of the terminal review, one place: what a keypress asks for. Letters are read case
 * blind (caps lock on should not make `A` a no-op); anything else is ignored rather than
 * guessed at, so a stray arrow key never decides a match.
 */

/** What a person can ask of the review with one key. */
export type ReviewAction = "accept" | "reject" | "skip" | "undo" | "quit" | "help" | "interrupt" | "redraw";

/** The keys and what they do, in the order the help screen lists them. */
export const REVIEW_KEYS: readonly {
  readonly keys: string;
  readonly action: ReviewAction;
  readonly words: string;
}[] = [
  {
    keys: "a",
    action: "accept",
    words: "accept: the rows are reconciled (an amount difference is kept as an adjustment)",
  },
  {
    keys: "r",
    action: "reject",
    words: "reject: this exact pairing is never proposed again; the rows stay open",
  },
  { keys: "s", action: "skip", words: "skip: leave it in the queue for later" },
  { keys: "u", action: "undo", words: "undo the last step (an acceptance is unmatched; a skip goes back)" },
  { keys: "q", action: "quit", words: "quit (every decision taken is already saved)" },
  { keys: "?", action: "help", words: "this help; any key closes it" },
];

const BY_LETTER: ReadonlyMap<string, ReviewAction> = new Map([
  ["a", "accept"],
  ["r", "reject"],
  ["s", "skip"],
  ["u", "undo"],
  ["q", "quit"],
  ["h", "help"],
]);

/**
 * The action a keypress asks for (readline's `keypress` event: the text typed and the key),
 * or null for a key the review does not use.
 *
 * @example actionOfKey("a", { name: "a" }) // "accept"
 * @example actionOfKey("\u0003", { name: "c", ctrl: true }) // "interrupt"
 */
export function actionOfKey(text: string | undefined, key: Key | undefined): ReviewAction | null {
  if (key?.ctrl === true) {
    // Raw mode turns Ctrl-C into a key instead of SIGINT: it must still leave at once.
    if (key.name === "c") return "interrupt";
    if (key.name === "d") return "quit";
    if (key.name === "l") return "redraw";
    return null;
  }
  if (key?.meta === true) return null;
  if (text === "?") return "help";
  const letter = (key?.name ?? text ?? "").toLowerCase();
  return letter.length === 1 ? (BY_LETTER.get(letter) ?? null) : null;
}
