/**
 * Words of a quick create command: whitespace-separated words and quoted names. Straight and smart quotes
 * (" “ ” ' ‘ ’) both quote; a name opened by a double quote ends at the next double quote of any kind (so it may
 * hold single quotes: "Bob's Team"), and the other way round. Inside, a doubled quote ("") is a literal quote, so
 * a quoted name may contain any character. Single quotes double as apostrophes: one not followed by whitespace
 * or the end does not close (‘Bob’s team’). Quotes only open a name at the start of a word (Bob's is one word).
 * What the words mean (frequencies, numbers, dates, emails) is reviews/vocabulary.ts.
 */

export type Token =
  /** A plain word, as typed. */
  | { kind: 'word'; text: string; raw: string }
  /** A quoted name: `text` without the quotes and outer whitespace; `raw` as typed, quotes included. */
  | { kind: 'quoted'; text: string; raw: string }
  /** A quote never closed: `quote` is the opening quote, `raw` the rest of the input. Always the last token. */
  | { kind: 'unterminated'; quote: string; raw: string };

/** Quote characters, by kind: any quote of a kind closes a name opened by a quote of the same kind. */
const APOSTROPHES = "'‘’";
const QUOTE_KINDS: readonly string[] = ['"“”', APOSTROPHES];

const isSpace = (char: string): boolean => /\s/.test(char);

/** Splits the text after `review` into words and quoted names; never fails (an open quote is a token too). */
export function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let start = 0;
  while (start < input.length) {
    const char = input.charAt(start);
    if (isSpace(char)) {
      start += 1;
      continue;
    }
    const quotes = QUOTE_KINDS.find((kind) => kind.includes(char));
    let end = start + 1;
    if (quotes === undefined) {
      while (end < input.length && !isSpace(input.charAt(end))) end += 1;
      const word = input.slice(start, end);
      tokens.push({ kind: 'word', text: word, raw: word });
      start = end;
      continue;
    }
    let text = '';
    let closed = false;
    while (end < input.length && !closed) {
      const inner = input.charAt(end);
      const next = input.charAt(end + 1);
      if (!quotes.includes(inner)) text += inner;
      else if (next !== '' && quotes.includes(next)) {
        text += inner;
        end += 1;
      } else if (quotes === APOSTROPHES && next !== '' && !isSpace(next)) text += inner;
      else closed = true;
      end += 1;
    }
    if (!closed) {
      tokens.push({ kind: 'unterminated', quote: char, raw: input.slice(start) });
      break;
    }
    tokens.push({ kind: 'quoted', text: text.trim(), raw: input.slice(start, end) });
    start = end;
  }
  return tokens;
}
