import { distance } from 'fastest-levenshtein';
import { COMMANDS } from '.';

export type ParseResult =
  | { kind: 'command'; name: string; /** The rest of the text after the command words, as typed. */ args: string }
  | { kind: 'empty' }
  | {
    kind: 'unknown'; /** The first word not understood. */ word: string; /** The closest command, when one is close. */ suggestion: string | undefined;
    /** A command (its name) a later word of the sentence names, e.g. `review` in "please make me a review of finance". */
    mentioned?: string;
  };

const PHRASES = COMMANDS.flatMap((command) => command.phrases.map((phrase) => ({ phrase, name: command.name })))
  .sort((a, b) => b.phrase.length - a.phrase.length);
/** First words of the phrases worth suggesting (not the one-character '?'). */
const FIRST_WORDS = [...new Set(PHRASES.map(({ phrase }) => phrase.split(' ')[0] ?? phrase))].filter((word) => word.length > 1);

/** Two words that differ by swapping two neighbouring letters ('hlep' / 'help'), one typo for a human. */
function isTransposition(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  const diff = [...a].flatMap((char, i) => (char === b[i] ? [] : [i]));
  const [i, j] = diff;
  return diff.length === 2 && i !== undefined && j === i + 1 && a[i] === b[j] && a[j] === b[i];
}

/** The command word closest to `word`, when it is close enough to be a typo. */
function suggestFor(word: string): string | undefined {
  let best: { candidate: string; cost: number } | undefined;
  for (const candidate of FIRST_WORDS) {
    const cost = isTransposition(word, candidate) ? 1 : distance(word, candidate);
    if (best === undefined || cost < best.cost) best = { candidate, cost };
  }
  if (!best || best.cost > Math.max(1, Math.floor(best.candidate.length / 3))) return undefined;
  const first = best.candidate;
  return PHRASES.filter(({ phrase }) => phrase.split(' ')[0] === first).at(-1)?.phrase;
}

/** Collapses whitespace and removes the `<at>…</at>` mention markup Teams puts around the bot's name. */
export function normalise(text: string): string {
  return text.replace(/<at>[^<]*<\/at>/gi, ' ').replace(/&nbsp;/g, ' ').replace(/\s+/g, ' ').trim();
}

/**
 * Text → command: case-insensitive, the longest matching phrase wins (`reviews` before `review`), the rest is
 * kept as typed for the command's own grammar. Unknown input names its first word and the closest command.
 */
export function parseCommand(text: string): ParseResult {
  const clean = normalise(text);
  if (clean === '') return { kind: 'empty' };
  const lower = clean.toLowerCase();
  for (const { phrase, name } of PHRASES) {
    if (lower === phrase || lower.startsWith(`${phrase} `)) return { kind: 'command', name, args: clean.slice(phrase.length).trim() };
  }
  const word = clean.split(' ')[0] ?? clean;
  const suggestion = suggestFor(word.toLowerCase());
  const mentioned = suggestion === undefined ? mentionedCommand(lower.split(' ').slice(1)) : undefined;
  return { kind: 'unknown', word, suggestion, ...(mentioned === undefined ? {} : { mentioned }) };
}

/** The first later word that is a command's own first word (letters only compared: "review," counts). */
function mentionedCommand(words: string[]): string | undefined {
  for (const raw of words) {
    const word = raw.replace(/[^\p{L}]/gu, '');
    if (word.length < 2) continue;
    const found = PHRASES.filter(({ phrase }) => phrase.split(' ')[0] === word).at(-1);
    if (found) return found.name;
  }
  return undefined;
}
