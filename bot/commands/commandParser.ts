import { closest, distance } from 'fastest-levenshtein';
import { COMMANDS, type CommandName } from './commands';

export type ParseResult =
  | { kind: 'command'; name: CommandName; /** The rest of the text after the command words, as typed. */ args: string }
  | { kind: 'empty' }
  | { kind: 'unknown'; /** The first word not understood. */ word: string; /** The closest command, when one is close. */ suggestion: string | undefined };

const PHRASES = COMMANDS.flatMap((command) => command.phrases.map((phrase) => ({ phrase, name: command.name })))
  .sort((a, b) => b.phrase.length - a.phrase.length);
const FIRST_WORDS = [...new Set(PHRASES.map(({ phrase }) => phrase.split(' ')[0] ?? phrase))];

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
  const guess = closest(word.toLowerCase(), FIRST_WORDS);
  const close = distance(word.toLowerCase(), guess) <= Math.max(1, Math.floor(guess.length / 3));
  const suggestion = close ? PHRASES.find(({ phrase }) => phrase.startsWith(guess))?.phrase : undefined;
  return { kind: 'unknown', word, suggestion };
}
