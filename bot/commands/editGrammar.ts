import { FIELD_WORDS, type EditChange, type EditField } from '../../reviews/editDefinition';
import { parseIsoDate } from '../../reviews/vocabulary';
import { quoted } from '../userText';
import { tokenize, type Token } from './quickCreateTokens';

/**
 * The changes of `edit <review> <changes>`, one line, options in any order (product spec: name, descriptions,
 * duration, end of recurrence, reminders/mail, justification, default decision, auto-apply):
 *
 *   name "<text>" · description "<text>" · admin description "<text>" · duration <N> days (or: for <N> days)
 *   ending <YYYY-MM-DD> | ending never | after <N> runs · reminders on|off · mail on|off · justification on|off
 *   recommendations on|off · auto-apply on|off · if no response no change|approve|deny|recommend
 *
 * Words that would change what Graph does not let an existing review change (what is reviewed, who reviews, how
 * often, the start) are refused with the reason. Untrusted text: never throws, every echo goes through `quoted`.
 */

/** First words of the changes `edit` makes (`for`, `after`, `if` and `admin` start one only with the right next word). */
export const EDIT_CHANGE_WORDS: readonly string[] = ['name', 'description', 'duration', 'ending', 'reminders', 'mail', 'justification', 'recommendations', 'auto-apply'];

/** First words of the options, changes and refused ones: where a quoted review name may end (findReview). */
export const EDIT_KEYWORDS: readonly string[] = [
  'name', 'description', 'admin', 'duration', 'for', 'ending', 'after', 'reminders', 'mail', 'justification',
  'recommendations', 'auto-apply', 'if', 'members', 'guests', 'inactive', 'by', 'reviewers', 'scope', 'group', 'starting', 'start',
  'once', 'weekly', 'monthly', 'quarterly', 'semiannually', 'annually',
];

export type EditParse = { kind: 'changes'; changes: EditChange[] } | { kind: 'error'; message: string };

/** Longest name and description accepted (reviewer mail cuts descriptions at 256 characters: reference trap 29). */
export const MAX_NAME = 256;
export const MAX_DESCRIPTION = 256;
/** A one-time run lasts at most a year (as the wizard); recurring runs are checked against their period later. */
export const MAX_DURATION = 365;

/** The changes, each as a code span: Teams strips what looks like an HTML tag (`<YYYY-MM-DD>`) from plain message text. */
const EXPECTED = ['name "…"', 'description "…"', 'admin description "…"', 'duration <N> days', 'ending <YYYY-MM-DD>', 'ending never', 'after <N> runs',
  'reminders on|off', 'mail on|off', 'justification on|off', 'recommendations on|off', 'auto-apply on|off', 'if no response …'].map((change) => `\`${change}\``).join(', ');

/**
 * Commas, semicolons and "and" between changes are separators, as people write them ("duration 21 days, reminders
 * off and mail on"); quoted values keep theirs.
 */
function withoutSeparators(tokens: readonly Token[]): Token[] {
  return tokens.flatMap((token): Token[] => {
    if (token.kind !== 'word') return [token];
    const text = token.text.replace(/^[,;]+|[,;]+$/g, '');
    return text === '' || text.toLowerCase() === 'and' ? [] : [{ ...token, text }];
  });
}

/** What Graph (or this command) does not change on an existing review, by the word that asks for it. */
const FORBIDDEN: ReadonlyArray<[readonly string[], string]> = [
  [['members', 'guests', 'inactive', 'scope', 'group'], 'what a review covers (its scope) cannot be changed once it exists: Microsoft Graph keeps the scope of a definition. Create a new review instead.'],
  [['by', 'reviewers'], 'who reviews is not changed by `edit`: Microsoft Graph lets an existing review change its reviewers only when they are named people, and never group owners or managers.'],
  [['once', 'weekly', 'monthly', 'quarterly', 'semiannually', 'annually'], 'how often a review runs is not changed by `edit`: its runs so far were scheduled by it. Change when it ends (`ending <YYYY-MM-DD>`, `after <N> runs`) or create a new review.'],
  [['starting', 'start'], 'the start of a review is not changed by `edit`: Microsoft Graph applies changes to future runs only.'],
];

const ON_OFF: ReadonlyMap<string, boolean> = new Map([['on', true], ['off', false], ['yes', true], ['no', false]]);
const SWITCHES: ReadonlyMap<string, EditField> = new Map<string, EditField>([
  ['reminders', 'reminders'], ['mail', 'mail'], ['justification', 'justification'], ['recommendations', 'recommendations'], ['auto-apply', 'autoApply'],
]);
const NO_RESPONSE: ReadonlyArray<[string[], EditChange]> = [
  [['no', 'change'], { field: 'defaultDecision', decision: 'none' }],
  [['approve'], { field: 'defaultDecision', decision: 'approve' }],
  [['deny'], { field: 'defaultDecision', decision: 'deny' }],
  [['recommend'], { field: 'defaultDecision', decision: 'recommendation' }],
  [['recommendation'], { field: 'defaultDecision', decision: 'recommendation' }],
  [['recommendations'], { field: 'defaultDecision', decision: 'recommendation' }],
];

const lower = (token: Token | undefined): string => (token?.kind === 'word' ? token.text.toLowerCase() : '');
const wholeNumber = (token: Token | undefined): number | undefined =>
  token?.kind === 'word' && /^\d{1,4}$/.test(token.text) ? Number(token.text) : undefined;

/** The changes written in `text` (what follows the review's name). */
export function parseEdit(text: string): EditParse {
  const tokens = withoutSeparators(tokenize(text));
  const changes: EditChange[] = [];
  const fail = (message: string): EditParse => ({ kind: 'error', message });
  let i = 0;
  const add = (change: EditChange): string | undefined => {
    if (changes.some((c) => c.field === change.field)) return `${FIELD_WORDS[change.field]} is given twice: say it once.`;
    changes.push(change);
    return undefined;
  };
  const textValue = (what: string, max: number): { value: string } | { error: string } => {
    const token = tokens[i];
    if (token === undefined) return { error: `${what} needs a value: put it in quotes, for example ${what.toLowerCase()} "…".` };
    if (token.kind === 'unterminated') return { error: `The quote opened at ${quoted(token.raw, 30)} is never closed.` };
    const value = token.text.trim();
    if (value === '') return { error: `${what} cannot be empty.` };
    if ([...value].length > max) return { error: `${what} can be at most ${max} characters long (it has ${[...value].length}).` };
    i += 1;
    return { value };
  };
  while (i < tokens.length) {
    const token = tokens[i];
    if (token.kind === 'unterminated') return fail(`The quote opened at ${quoted(token.raw, 30)} is never closed.`);
    const word = lower(token);
    const forbidden = FORBIDDEN.find(([words]) => words.includes(word));
    if (forbidden !== undefined) return fail(`I can't change that with \`edit\`: ${forbidden[1]}`);
    i += 1;
    let problem: string | undefined;
    if (word === 'name' || word === 'description' || (word === 'admin' && lower(tokens[i]) === 'description')) {
      if (word === 'admin') i += 1;
      const field: EditField = word === 'name' ? 'name' : word === 'description' ? 'description' : 'adminDescription';
      const value = textValue(FIELD_WORDS[field], field === 'name' ? MAX_NAME : MAX_DESCRIPTION);
      if ('error' in value) return fail(value.error);
      problem = add({ field, text: value.value });
    } else if (word === 'duration' || word === 'for') {
      const days = wholeNumber(tokens[i]);
      if (days === undefined || days < 1 || days > MAX_DURATION) {
        return fail(`The duration must be a whole number of days from 1 to ${MAX_DURATION}, as in \`duration 21 days\`${tokens[i] ? ` (not ${quoted(tokens[i]?.raw ?? '', 20)})` : ''}.`);
      }
      i += 1;
      if (lower(tokens[i]) === 'days' || lower(tokens[i]) === 'day') i += 1;
      problem = add({ field: 'duration', days });
    } else if (word === 'ending') {
      const next = tokens[i];
      if (lower(next) === 'never') {
        i += 1;
        problem = add({ field: 'end', end: { kind: 'never' } });
      } else {
        const date = next?.kind === 'word' ? parseIsoDate(next.text) : undefined;
        if (date === undefined) return fail(`\`ending\` takes a date written YYYY-MM-DD, or \`never\`${next ? ` (not ${quoted(next.raw, 20)})` : ''}.`);
        i += 1;
        problem = add({ field: 'end', end: { kind: 'date', date } });
      }
    } else if (word === 'after') {
      const count = wholeNumber(tokens[i]);
      if (count === undefined || count < 1 || !['runs', 'run'].includes(lower(tokens[i + 1]))) {
        return fail('`after` takes a number of runs, as in `after 4 runs`.');
      }
      i += 2;
      problem = add({ field: 'end', end: { kind: 'runs', count } });
    } else if (SWITCHES.has(word)) {
      const on = ON_OFF.get(lower(tokens[i]));
      if (on === undefined) return fail(`\`${word}\` takes \`on\` or \`off\`${tokens[i] ? ` (not ${quoted(tokens[i]?.raw ?? '', 20)})` : ''}.`);
      i += 1;
      problem = add({ field: SWITCHES.get(word) as EditField, on } as EditChange);
    } else if (word === 'if' && lower(tokens[i]) === 'no' && lower(tokens[i + 1]) === 'response') {
      i += 2;
      const match = NO_RESPONSE.find(([words]) => words.every((w, k) => lower(tokens[i + k]) === w));
      if (match === undefined) return fail('`if no response` takes `no change`, `approve`, `deny` or `recommend`.');
      i += match[0].length;
      problem = add(match[1]);
    } else {
      return fail(`I did not understand ${quoted(token.raw, 30)}. I can change: ${EXPECTED}.`);
    }
    if (problem !== undefined) return fail(problem);
  }
  if (changes.length === 0) return fail(`What should change? For example \`edit "Sales Team guests" duration 21 days\`. I can change: ${EXPECTED}.`);
  return { kind: 'changes', changes };
}

