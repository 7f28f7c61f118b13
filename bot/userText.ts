/**
 * Echoing what a user typed. Teams renders bot text as markdown, so a word echoed as typed could post
 * `**bold**` or a `[link](…)` in the bot's name, a 400 KB word would make a 400 KB reply (which Teams rejects),
 * and bidi controls could make the echo read differently from what it is. Every echo goes through {@link quoted}.
 */

/** Characters that reorder or hide text: the bidi marks, embeddings, overrides and isolates. */
const BIDI_CONTROLS = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;
/** Other control characters (C0, DEL, C1) and the line/paragraph separators: read as spaces. */
const CONTROLS = /[\p{Cc}\u2028\u2029]/gu;
/** Lone UTF-16 surrogates are no characters at all (and cannot be percent-encoded: encodeURIComponent throws). */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** The text with each lone surrogate replaced by U+FFFD. */
export const wellFormed = (text: string): string => text.replace(LONE_SURROGATE, '\uFFFD');
/** A backtick would close the code span: MODIFIER LETTER GRAVE ACCENT looks the same and does not. */
const BACKTICK = /`/g;
const LOOKALIKE_BACKTICK = '\u02CB';

/** How many characters of user text an echo shows by default. */
export const ECHO_MAX = 60;

/** The text on one line, without controls, cut to `max` characters (code points) with an ellipsis. */
export function cleanText(text: string, max = ECHO_MAX): string {
  const clean = wellFormed(text).replace(BIDI_CONTROLS, '').replace(CONTROLS, ' ')
    .replace(/\s+/g, ' ').trim().replace(BACKTICK, LOOKALIKE_BACKTICK);
  const limit = Math.max(1, Math.floor(max));
  let clipped = '';
  let count = 0;
  for (const char of clean) {
    if (count === limit) return `${[...clipped].slice(0, limit - 1).join('')}…`;
    clipped += char;
    count += 1;
  }
  return clipped;
}

/**
 * User text as one inline code span: markdown and links inside show as typed and do nothing, it cannot be
 * broken out of (no backtick or line break inside), and it is at most `max` characters long (plus the span).
 */
export function quoted(text: string, max = ECHO_MAX): string {
  const clean = cleanText(text, max);
  return `\`${clean === '' ? ' ' : clean}\``;
}

/**
 * Markdown this bot writes (code spans from `quoted`, `**bold**`) as plain text, for the places Teams shows text as
 * typed: a card's TextBlock and the message an Action.Execute answers with. A code span becomes "…" (quoted() keeps
 * backticks and line breaks out of it), bold loses its stars.
 */
export function plainText(markdown: string): string {
  // One pass: what is inside a code span stays as it is, stars included.
  return markdown.replace(/`([^`\n]*)`|\*\*([^*\n]+)\*\*/g, (_match, span: string | undefined, bold: string | undefined) =>
    (span !== undefined ? `"${span}"` : bold ?? ''));
}
