import { distance } from 'fastest-levenshtein';
import { statusRank } from './status';

/**
 * `<review>` in a command (product spec: a display name, quoted if it has spaces, fuzzy-matched, or an id) →
 * one review, several to choose from, or the closest names. Pure: the caller fetches the candidate definitions
 * (narrowed with {@link candidateQuery}) and passes them in. A typo never resolves to a review on its own (stop,
 * apply and delete act on what this returns); it only earns a place among the closest names.
 */

/** One review as typed: an id, or a name (the text as typed, whitespace collapsed, quotes removed). */
export type ReviewReference = { kind: 'id'; id: string } | { kind: 'name'; name: string; quoted: boolean };
export type ReviewArgument = ReviewReference | { kind: 'all' } | { kind: 'empty' };
/** `export <review>[, <review>...] | all`. */
export type ReviewListArgument = { kind: 'list'; references: ReviewReference[] } | { kind: 'all' } | { kind: 'empty' };

export interface ParsedReviewArgument {
  argument: ReviewArgument;
  /** What follows the argument (a trailing keyword and the words after it), for the command's own grammar. */
  rest: string;
}

export interface ReviewArgumentOptions {
  /**
   * Words (or phrases) the command understands after an unquoted name, e.g. `['pending', 'approved']`: the name
   * ends before the last one that is not the first word, so `Sales Team guests pending` is the name `Sales Team
   * guests` and the rest `pending`. Without them an unquoted name is the whole text. Quoting always disambiguates.
   */
  trailingKeywords?: readonly string[];
  /** A bare (unquoted) `all` means every review: export, summary, subscribe. Otherwise it is a name. */
  acceptAll?: boolean;
}

/** Tolerant of Graph's typings (optional, nullable), so definitions can be passed as they are. */
export interface ReviewCandidate {
  readonly id?: string | null;
  readonly displayName?: string | null;
  readonly status?: string | null;
}

export type MatchRule = 'id' | 'exact' | 'prefix' | 'words';
export type Resolution<T> =
  | { kind: 'one'; review: T; rule: MatchRule }
  /** At most `maxMatches` (active first, then by name), `total` of them in all. */
  | { kind: 'several'; matches: T[]; total: number; rule: MatchRule }
  /** Up to `maxClosest` display names near what was typed; empty when none is close (and for ids). */
  | { kind: 'none'; closest: string[] };

export interface ResolveOptions {
  maxMatches?: number;
  maxClosest?: number;
}

/**
 * What to ask Graph for, as data (no URLs here). `startsWith` is a first try only: word matches and closest names
 * need every definition, so a `none` from a narrowed list must be resolved again against all of them. The Graph
 * reference documents no `$filter` on a definition's displayName, so the seam may answer it with every definition.
 */
export type CandidateQuery = { kind: 'id'; id: string } | { kind: 'startsWith'; text: string } | { kind: 'all' };

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Zero-width characters, soft hyphens and bidi controls: invisible in Teams, so never part of what was meant. */
const INVISIBLE = /[\u00AD\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]/g;
const OPENERS: Readonly<Record<string, string>> = { '"': '"“”‟', '“': '"“”‟', '”': '"“”‟', '„': '"“”‟', "'": "'‘’‛", '‘': "'‘’‛", '’': "'‘’‛", '‚': "'‘’‛" };
/** Beyond these sizes a closest-name search costs more than it could help (free text can be very long). */
const CLOSEST_MAX_CHARS = 120;
const CLOSEST_MAX_WORDS = 12;

const clean = (text: string): string => text.replace(INVISIBLE, '').replace(/\s+/g, ' ').trim();

/** The form names are compared in: compatibility forms, smart quotes straightened, lower case, spaces collapsed. */
export function reviewNameKey(text: string): string {
  return clean(clean(text).normalize('NFKC').replace(/[‘’‚‛′`´]/g, "'").replace(/[“”„‟″«»]/g, '"')).toLowerCase();
}

function reference(name: string, quoted: boolean, acceptAll: boolean): ReviewArgument {
  if (name === '') return { kind: 'empty' };
  if (!quoted && GUID.test(name)) return { kind: 'id', id: name.toLowerCase() };
  if (!quoted && acceptAll && name.toLowerCase() === 'all') return { kind: 'all' };
  return { kind: 'name', name, quoted };
}

/** Index of the closing quote of a name opened at 0 (-1 when unclosed): see parseReviewArgument. */
function closingQuote(text: string, closers: string, keywords: readonly string[][]): number {
  const ends: number[] = [];
  for (let i = 1; i < text.length; i += 1) {
    if (closers.includes(text[i] ?? '') && (i + 1 === text.length || text[i + 1] === ' ')) ends.push(i);
  }
  // After a closing quote comes the end or a space (the text is cleaned), so the next word starts at i + 2.
  const fitting = ends.find((i) => i === text.length - 1 || keywordAt(text.slice(i + 2, i + 400).split(' '), 0, keywords));
  if (fitting !== undefined) return fitting;
  if (ends.length > 0) return ends[ends.length - 1] ?? -1;
  for (let i = text.length - 1; i > 0; i -= 1) if (closers.includes(text[i] ?? '')) return i;
  return -1;
}

function keywordAt(words: readonly string[], index: number, keywords: readonly string[][]): boolean {
  return keywords.some((phrase) => phrase.length > 0 && phrase.every((word, k) => reviewNameKey(words[index + k] ?? '') === word));
}

/**
 * `<review>` at the start of `text`. A quoted name (straight or smart quotes) ends at its closing quote: the first
 * one followed by the end or by a trailing keyword, else the last one followed by a space or the end, so names
 * holding quotes or apostrophes survive. An unquoted GUID first word is an id. Otherwise the name runs to the
 * last trailing keyword (see {@link ReviewArgumentOptions}) or to the end.
 */
export function parseReviewArgument(text: string, options: ReviewArgumentOptions = {}): ParsedReviewArgument {
  const input = clean(text);
  const acceptAll = options.acceptAll ?? false;
  const keywords = (options.trailingKeywords ?? []).map((keyword) => reviewNameKey(keyword).split(' ').filter(Boolean));
  const closers = OPENERS[input[0] ?? ''];
  if (closers !== undefined) {
    const end = closingQuote(input, closers, keywords);
    if (end < 0) return { argument: reference(clean(input.slice(1)), true, acceptAll), rest: '' };
    return { argument: reference(clean(input.slice(1, end)), true, acceptAll), rest: input.slice(end + 1).trim() };
  }
  const words = input === '' ? [] : input.split(' ');
  if (GUID.test(words[0] ?? '')) return { argument: reference(words[0] ?? '', false, acceptAll), rest: words.slice(1).join(' ') };
  let split = words.length;
  for (let i = words.length - 1; i >= 1; i -= 1) {
    if (keywordAt(words, i, keywords)) {
      split = i;
      break;
    }
  }
  return { argument: reference(words.slice(0, split).join(' '), false, acceptAll), rest: words.slice(split).join(' ') };
}

/** `a, "b, c", <id>` → three references; commas inside quotes belong to the name; a bare `all` means all. */
export function parseReviewList(text: string, options: { acceptAll?: boolean } = {}): ReviewListArgument {
  const input = clean(text);
  if (input === '') return { kind: 'empty' };
  if ((options.acceptAll ?? false) && input.toLowerCase() === 'all') return { kind: 'all' };
  const references: ReviewReference[] = [];
  let position = 0;
  while (position < input.length) {
    if (input[position] === ' ') {
      position += 1;
      continue;
    }
    const next = input.slice(position);
    const closers = OPENERS[next[0] ?? ''];
    let end = -1;
    if (closers !== undefined) {
      for (let i = 1; i < next.length && end < 0; i += 1) if (closers.includes(next[i] ?? '') && /^\s*(,|$)/.test(next.slice(i + 1))) end = i;
    }
    const comma = next.indexOf(',');
    // Without a closing quote before a comma the item runs to the next comma, stray quote marks dropped.
    const item = end >= 0 ? next.slice(1, end) : (comma < 0 ? next : next.slice(0, comma)).replace(/^["“”„'‘’‚]+|["“”'‘’]+$/g, '');
    const argument = reference(clean(item), end >= 0, false);
    if (argument.kind === 'id' || argument.kind === 'name') references.push(argument);
    const after = end >= 0 ? position + end + 1 : comma < 0 ? input.length : position + comma;
    position = after + (/^\s*,/.exec(input.slice(after))?.[0].length ?? 1);
  }
  return references.length === 0 ? { kind: 'empty' } : { kind: 'list', references };
}

/** What to fetch for an argument: the definition by id, names starting with the text, or every definition. */
export function candidateQuery(argument: ReviewArgument): CandidateQuery {
  if (argument.kind === 'id') return { kind: 'id', id: argument.id };
  if (argument.kind === 'name') return { kind: 'startsWith', text: argument.name };
  return { kind: 'all' };
}

interface Entry<T> {
  item: T;
  id: string;
  rawId: string;
  name: string;
  key: string;
  rank: number;
}

const order = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const compare = <T>(a: Entry<T>, b: Entry<T>): number =>
  a.rank - b.rank || order(a.key, b.key) || order(a.name, b.name) || order(a.id, b.id) || order(a.rawId, b.rawId);

/** Candidates with an id, in the order results are given; one per id (paged lists can repeat an item). */
function entries<T extends ReviewCandidate>(candidates: readonly T[]): Entry<T>[] {
  const all = candidates.flatMap((item) => {
    const rawId = typeof item.id === 'string' ? item.id.trim() : '';
    const name = typeof item.displayName === 'string' ? item.displayName : '';
    return rawId === '' ? [] : [{ item, id: rawId.toLowerCase(), rawId, name, key: reviewNameKey(name), rank: statusRank(item.status) }];
  });
  const seen = new Set<string>();
  return all.sort(compare).filter((entry) => !seen.has(entry.id) && seen.add(entry.id));
}

/** Edits a typo may take: none for one or two letters, then one, two, at most three. */
const tolerance = (length: number): number => (length <= 2 ? 0 : length <= 4 ? 1 : length <= 8 ? 2 : 3);

/** Two strings that differ by swapping two neighbouring letters ('slaes' / 'sales'): one typo, not two. */
function isTransposition(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  const diff = [...a].flatMap((char, i) => (char === b[i] ? [] : [i]));
  const [i, j] = diff;
  return diff.length === 2 && i !== undefined && j === i + 1 && a[i] === b[j] && a[j] === b[i];
}

const edits = (a: string, b: string): number => (isTransposition(a, b) ? 1 : distance(a, b));

/**
 * How far a name is from what was typed, or undefined when too far: the whole text within its tolerance, or every
 * typed word within its own of some word of the name (or of its start, for a shortened word).
 */
function remoteness(typed: string, key: string): number | undefined {
  const whole = edits(typed, key);
  const nameWords = key.split(' ');
  let byWords: number | undefined = 0;
  for (const word of typed.split(' ')) {
    const cost = Math.min(...nameWords.map((name) => Math.min(edits(word, name), edits(word, name.slice(0, word.length)))));
    if (cost > tolerance(word.length)) {
      byWords = undefined;
      break;
    }
    byWords += cost;
  }
  const costs = [whole <= tolerance(typed.length) ? whole : undefined, byWords].filter((cost) => cost !== undefined);
  return costs.length === 0 ? undefined : Math.min(...costs);
}

function closest<T>(typed: string, all: readonly Entry<T>[], max: number): string[] {
  if (typed.length > CLOSEST_MAX_CHARS || typed.split(' ').length > CLOSEST_MAX_WORDS) return [];
  const scored = all.flatMap((entry, index) => {
    const cost = entry.key === '' ? undefined : remoteness(typed, entry.key);
    return cost === undefined ? [] : [{ entry, index, cost }];
  }).sort((a, b) => a.cost - b.cost || a.index - b.index);
  const names = new Map<string, string>();
  for (const { entry } of scored) if (names.size < max && !names.has(entry.key)) names.set(entry.key, entry.name);
  return [...names.values()];
}

/**
 * Rules, first that matches wins. An id matches by id (any case), else only a review named exactly that. A name
 * matches by exact name (case, spacing and quote style ignored), then as an id if GUID-shaped, then by prefix,
 * then by containing every typed word. One match → one; more → several (active first, then by name); none →
 * up to three closest names (not for ids).
 */
export function resolveReview<T extends ReviewCandidate>(
  reference: ReviewReference, candidates: readonly T[], options: ResolveOptions = {},
): Resolution<T> {
  const all = entries(candidates);
  const maxMatches = Math.max(1, options.maxMatches ?? 10);
  const pick = (found: Entry<T>[], rule: MatchRule): Resolution<T> | undefined => {
    const [first] = found;
    if (first === undefined) return undefined;
    if (found.length === 1) return { kind: 'one', review: first.item, rule };
    return { kind: 'several', matches: found.slice(0, maxMatches).map((entry) => entry.item), total: found.length, rule };
  };
  const typed = reviewNameKey(reference.kind === 'id' ? reference.id : reference.name);
  const exact = (): Resolution<T> | undefined => pick(all.filter((entry) => entry.key === typed), 'exact');
  const byId = (): Resolution<T> | undefined => (GUID.test(typed) ? pick(all.filter((entry) => entry.id === typed), 'id') : undefined);
  const none: Resolution<T> = { kind: 'none', closest: [] };
  if (reference.kind === 'id') return byId() ?? exact() ?? none;
  if (typed === '') return none;
  const words = typed.split(' ');
  return exact() ?? byId()
    ?? pick(all.filter((entry) => entry.key.startsWith(typed)), 'prefix')
    ?? pick(all.filter((entry) => words.every((word) => entry.key.includes(word))), 'words')
    ?? { kind: 'none', closest: GUID.test(typed) ? [] : closest(typed, all, Math.max(0, options.maxClosest ?? 3)) };
}
