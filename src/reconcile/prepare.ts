import type { BankTransaction, ExpectedEntry } from "../domain/index.js";
import { InputError } from "../errors/index.js";
import { isoToDay } from "./days.js";
import { normalizeReference, tokenize } from "./normalize.js";
import type { LearnedAlias } from "./types.js";

/**
 * Rows as the engine works on them (token ids in plain arrays, not typed arrays: millions of
 * tiny typed arrays cost V8 far more to allocate and collect): days as integers, text as interned token ids, and the
 * original row kept for the result. Built once; everything after reads these.
 */
export interface PreparedBank {
  readonly index: number;
  readonly row: BankTransaction;
  readonly currency: string;
  readonly amount: number;
  readonly day: number;
  /**
   * Authorization day, or null when the bank did not say. (Null, not NaN: a NaN in a number
   * field is a heap object of its own per row.)
   */
  readonly authorizedDay: number | null;
  readonly account: string | null;
  /** Word ids (name and merchant), distinct. */
  readonly words: readonly number[];
  /** Code ids (numbers, references), distinct. */
  readonly codes: readonly number[];
  /** The words as text, for prefix matching of truncated names. */
  readonly wordText: readonly string[];
  readonly merchant: string | null;
  readonly checkNumber: string | null;
  /**
   * The name's words as one key (normalize.ts descriptorKey), shared; null unless the run was
   * given learned aliases (nothing else reads it).
   */
  readonly descriptor: string | null;
}

export interface PreparedExpected {
  readonly index: number;
  readonly row: ExpectedEntry;
  readonly currency: string;
  readonly amount: number;
  readonly amountMin: number;
  readonly amountMax: number;
  readonly day: number;
  /** Inclusive bank-day bounds stated by the entry itself, or null. */
  readonly dayFrom: number | null;
  readonly dayTo: number | null;
  readonly account: string | null;
  /** Word ids of description and counterparty, distinct. */
  readonly words: readonly number[];
  readonly wordText: readonly string[];
  /** Word ids of the counterparty alone. */
  readonly counterpartyWords: readonly number[];
  readonly codes: readonly number[];
  /** Normalized reference id, or -1. */
  readonly reference: number;
  readonly referenceText: string | null;
  readonly counterpartyKey: string | null;
}

/** What the settlement search reads of a bank row: a worker thread gets only this. */
export type SettlementBank = Pick<
  PreparedBank,
  "index" | "currency" | "amount" | "day" | "account" | "words" | "wordText" | "merchant" | "descriptor"
>;

/** What the settlement search reads of a ledger entry: a worker thread gets only this. */
export type SettlementEntry = Pick<
  PreparedExpected,
  | "index"
  | "currency"
  | "amount"
  | "day"
  | "account"
  | "words"
  | "wordText"
  | "counterpartyWords"
  | "counterpartyKey"
>;

/** A counterparty's words as ids and texts, and its words joined (null when it has none). */
interface Party {
  readonly ids: readonly number[];
  readonly texts: readonly string[];
  readonly key: string | null;
}

const NO_PARTY: Party = { ids: [], texts: [], key: null };

/** The rarity weights of a finished vocabulary: all that text similarity needs. */
export type WordWeights = Pick<Vocabulary, "weights" | "aliases">;

/** Interns tokens to small integers and weighs them by rarity (inverse document frequency). */
export class Vocabulary {
  private readonly ids = new Map<string, number>();
  /** Each token's text by id: rows keep these rather than their own copies. */
  private readonly texts: string[] = [];
  /** Longer texts many rows share (counterparties, merchants), one copy each. */
  private readonly shared = new Map<string, string>();
  private readonly parties = new Map<string, Party>();
  private documentCounts: number[] = [];
  private documents = 0;
  weights: Float64Array = new Float64Array(0);
  /**
   * Learned aliases (types.ts LearnedAlias) by `descriptor + "\u0000" + counterparty key`, or
   * null when the run has none.
   */
  aliases: ReadonlyMap<string, number> | null = null;

  /** Keys the run's learned aliases the way rows are keyed (call before preparing rows). */
  learnAliases(aliases: readonly LearnedAlias[]): void {
    if (aliases.length === 0) return;
    const map = new Map<string, number>();
    for (const a of aliases) {
      const party = tokenize(a.counterparty).words.join(" ");
      const descriptor = tokenize(a.descriptor).words.join(" ");
      if (party === "" || descriptor === "") continue;
      const key = `${descriptor}\u0000${party}`;
      map.set(key, Math.max(map.get(key) ?? 0, Math.min(1, Math.max(0, a.weight))));
    }
    this.aliases = map;
  }

  idsOf(tokens: readonly string[]): number[] {
    const out = new Array<number>(tokens.length);
    for (let i = 0; i < tokens.length; i++) out[i] = this.idOf(tokens[i]!);
    return out;
  }

  /** The token's id, given the next one when it is new. */
  idOf(token: string): number {
    let id = this.ids.get(token);
    if (id === undefined) {
      id = this.documentCounts.length;
      this.ids.set(token, id);
      this.texts.push(token);
      this.documentCounts.push(0);
    }
    return id;
  }

  /**
   * A counterparty's words and key, worked out once per distinct name: a ledger names the same
   * customers and vendors on thousands of rows, and those rows share the result.
   */
  party(name: string | null): Party {
    if (name === null) return NO_PARTY;
    let party = this.parties.get(name);
    if (party === undefined) {
      const words = tokenize(name).words;
      const ids = this.idsOf(words);
      party = {
        ids,
        texts: ids.map((id) => this.textOf(id)),
        key: words.length > 0 ? this.share(words.join(" ")) : null,
      };
      this.parties.set(name, party);
    }
    return party;
  }

  /** Counts one document's distinct words towards the rarity weights. */
  count(ids: readonly number[]): void {
    this.documents++;
    for (const id of ids) this.documentCounts[id]!++;
  }

  lookup(token: string): number {
    return this.ids.get(token) ?? -1;
  }

  textOf(id: number): string {
    return this.texts[id]!;
  }

  /**
   * One copy of a text many rows repeat (a party's or a merchant's words, joined). Copies per
   * row, with the rows' own copies of their words (see textOf), were a fifth of the engine's
   * heap at a million rows: all of it copied and marked by the collector, and serialized again
   * for each worker thread.
   */
  share(text: string): string {
    const found = this.shared.get(text);
    if (found !== undefined) return found;
    this.shared.set(text, text);
    return text;
  }

  /** Ids of the tokens already known, in order; unknown ones are left out. */
  knownIdsOf(tokens: readonly string[]): number[] {
    const out: number[] = [];
    for (const token of tokens) {
      const id = this.ids.get(token);
      if (id !== undefined) out.push(id);
    }
    return out;
  }

  /** Fixes the weights once every document has been counted. */
  finish(): void {
    const n = this.documents + 1;
    this.weights = Float64Array.from(this.documentCounts, (df) => Math.log(n / (df + 1)) + 0.5);
  }
}

/** A row's date as a day number; a bad one is the caller's input error, named by row. */
function dayOf(iso: string, row: { readonly id: string }, field: string): number {
  try {
    return isoToDay(iso);
  } catch (cause) {
    throw new InputError(`row "${row.id}": ${field} "${iso}" is not a YYYY-MM-DD date`, { cause });
  }
}

function dayOrNull(
  iso: string | null | undefined,
  row: { readonly id: string },
  field: string,
): number | null {
  return iso === null || iso === undefined || iso === "" ? null : dayOf(iso, row, field);
}

/**
 * Call after every expected entry is prepared: a bank row's words and codes matter only where
 * some entry has them too, so only those get ids. (A bank feed is full of one-off numbers;
 * interning them all costs millions of map entries at a million rows.)
 */
export function prepareBank(row: BankTransaction, index: number, vocabulary: Vocabulary): PreparedBank {
  const text = tokenize(row.merchantName === null ? row.name : `${row.name} ${row.merchantName}`);
  // The words the ledger knows by id (and by the vocabulary's copy of their text); the others
  // are kept as text only, for prefix matching of truncated names.
  const wordText = [...text.words];
  const words: number[] = [];
  for (let i = 0; i < wordText.length; i++) {
    const id = vocabulary.lookup(wordText[i]!);
    if (id < 0) continue;
    words.push(id);
    wordText[i] = vocabulary.textOf(id);
  }
  vocabulary.count(words);
  return {
    index,
    row,
    currency: row.currency,
    amount: row.amountMinor,
    day: dayOf(row.date, row, "date"),
    authorizedDay: dayOrNull(row.authorizedDate, row, "authorizedDate"),
    account: row.accountId,
    words,
    codes: vocabulary.knownIdsOf(text.codes),
    wordText,
    merchant: row.merchantName === null ? null : vocabulary.share(tokenize(row.merchantName).words.join(" ")),
    checkNumber: normalizeReference(row.checkNumber),
    descriptor: vocabulary.aliases === null ? null : vocabulary.share(tokenize(row.name).words.join(" ")),
  };
}

export function prepareExpected(row: ExpectedEntry, index: number, vocabulary: Vocabulary): PreparedExpected {
  const party = vocabulary.party(row.counterparty);
  const description = tokenize(row.description);
  // The party's words, then the description's others (ids are given in this order).
  const wordText = [...party.texts];
  const words = [...party.ids];
  for (const w of description.words) {
    if (wordText.includes(w)) continue;
    const id = vocabulary.idOf(w);
    words.push(id);
    wordText.push(vocabulary.textOf(id));
  }
  vocabulary.count(words);
  const referenceText = normalizeReference(row.reference);
  // Short numbers in free text ("Net 30", "2 of 3") echo by accident; references are longer.
  const codeText = description.codes.filter((c) => c.length >= 4);
  if (referenceText !== null && !codeText.includes(referenceText)) codeText.push(referenceText);
  const amountMin = row.amountMinMinor ?? row.amountMinor;
  const amountMax = row.amountMaxMinor ?? row.amountMinor;
  return {
    index,
    row,
    currency: row.currency,
    amount: row.amountMinor,
    amountMin: Math.min(amountMin, amountMax),
    amountMax: Math.max(amountMin, amountMax),
    day: dayOf(row.date, row, "date"),
    dayFrom: dayOrNull(row.dateFrom, row, "dateFrom"),
    dayTo: dayOrNull(row.dateTo, row, "dateTo"),
    account: row.accountId,
    words,
    wordText,
    counterpartyWords: party.ids,
    codes: vocabulary.idsOf(codeText),
    reference: referenceText === null ? -1 : vocabulary.idsOf([referenceText])[0]!,
    referenceText,
    counterpartyKey: party.key,
  };
}

/** Whether a token id list holds `id` (lists are a handful of ids: a scan beats a set). */
export function containsId(ids: readonly number[], id: number): boolean {
  for (let i = 0; i < ids.length; i++) if (ids[i] === id) return true;
  return false;
}

/** Whether two token id lists share an id. */
export function sharesId(a: readonly number[], b: readonly number[]): boolean {
  for (let i = 0; i < a.length; i++) if (containsId(b, a[i]!)) return true;
  return false;
}
