/**
 * Quick create (product spec, "Quick create grammar"): the text after `review` → what the user asked for, or the
 * first word not understood with the alternatives expected there. Only what was said is returned: ./quickCreateDraft
 * makes it the domain's settings draft, completeSettings adds the defaults, and validateSettings checks ranges
 * (inactive days, duration against the period, dates in the past).
 */
import type { DefaultDecision, Frequency, RecurrenceEnd } from '../../reviews/settings';
import {
  DATE_FORMAT, FREQUENCIES, FREQUENCY_KEYWORDS, orList, parseEmail, dateProblem, parseIsoDate, writtenAsDate, parsePositiveInteger, UNIT_WORDS,
} from '../../reviews/vocabulary';
import { quoted } from '../userText';
import { tokenize, type Token } from './quickCreateTokens';

export type QuickCreateTarget = { kind: 'group'; name: string } | { kind: 'thisTeam' } | { kind: 'allGroups' };

export type QuickCreateReviewers =
  | { kind: 'owners' } | { kind: 'managers' } | { kind: 'me' } | { kind: 'self' } | { kind: 'emails'; emails: string[] };

/** What one quick create line said; options not said are absent. */
export interface QuickCreateRequest {
  target: QuickCreateTarget;
  what?: { kind: 'members' } | { kind: 'guests' } | { kind: 'inactive'; days: number };
  frequency?: Frequency; reviewers?: QuickCreateReviewers; durationDays?: number; /** `YYYY-MM-DD`, a real date. */ startDate?: string;
  end?: RecurrenceEnd; autoApply?: boolean; defaultDecision?: DefaultDecision;
}

export type QuickCreateResult =
  | { ok: true; request: QuickCreateRequest }
  | { ok: false; /** the first word not understood ('' when something is missing at the end) */ word: string;
    /** what was expected there */ expected: string[]; /** a sentence for the user */ message: string };

/** One option of the grammar: each may be given once (`ending` and `after` are the same option). */
type Slot = 'what' | 'frequency' | 'reviewers' | 'duration' | 'start' | 'end' | 'autoApply' | 'defaultDecision';

const NUMBER = 'a whole number above 0';
const DATE = `a date as ${DATE_FORMAT}`;
const EMAIL = '<email>';
const CLOSING_QUOTE = 'a closing quote';
/** Alternatives that describe what is expected rather than show it: said as words, the others as code. */
const DESCRIPTIONS: ReadonlySet<string> = new Set([NUMBER, DATE, CLOSING_QUOTE]);
const TARGET_EXPECTED = ['"<group display name>"', '<one-word group name>', 'this team', 'all groups'];
const REVIEWER_EXPECTED = ['owners', 'managers', 'me', 'self', '<email>[,<email>...]'];
const DECISION_EXPECTED = ['no change', 'approve', 'deny', 'recommend'];

/** The alternatives of each option, in the order of the grammar. */
const SLOT_EXPECTED: Readonly<Record<Slot, readonly string[]>> = {
  what: ['members', 'guests', 'inactive <N> days'],
  frequency: FREQUENCIES.map((term) => term.keywords[0] ?? term.value),
  reviewers: ['by owners', 'by managers', 'by me', 'by self', 'by <email>[,<email>...]'],
  duration: ['for <N> days'],
  start: [`starting <${DATE_FORMAT}>`],
  end: [`ending <${DATE_FORMAT}>`, 'after <N> runs'],
  autoApply: ['auto-apply'],
  defaultDecision: ['if no response (no change|approve|deny|recommend)'],
};
const SLOTS = Object.keys(SLOT_EXPECTED) as Slot[];

/** The words that start an option (lower case) and the option they start. */
const OPTION_WORDS: ReadonlyMap<string, Slot> = new Map<string, Slot>([
  ['members', 'what'], ['guests', 'what'], ['inactive', 'what'], ...[...FREQUENCY_KEYWORDS.keys()].map((word): [string, Slot] => [word, 'frequency']),
  ['by', 'reviewers'], ['for', 'duration'], ['starting', 'start'], ['ending', 'end'], ['after', 'end'],
  ['auto-apply', 'autoApply'], ['autoapply', 'autoApply'], ['if', 'defaultDecision'],
]);

const DECISIONS = new Map<string, DefaultDecision>([['approve', 'approve'], ['deny', 'deny'], ['recommend', 'recommendation']]);
/** Two-word targets: first word → second word. */
const TARGET_PHRASES = new Map([['this', 'team'], ['all', 'groups']]);
const REVIEWER_WORDS = ['owners', 'managers', 'me', 'self'] as const;

/** Thrown inside the parser only: the word not understood and what was expected there. */
class NotUnderstood extends Error {
  /** `why`: what is wrong with the word when that is known (an impossible calendar date). */
  constructor(readonly word: string, readonly expected: readonly string[], readonly why?: string) {
    super(word);
  }
}

/** A plain word: as typed, and lower-cased for keyword matching. */
interface Word { raw: string; text: string; lower: string }

/** A cursor over the tokens; each method reads one piece of the grammar or throws NotUnderstood. */
class Parser {
  private index = 0;
  private readonly given = new Set<Slot>();
  private allGroups = false;

  constructor(private readonly tokens: readonly Token[]) {}

  /** The whole command. */
  parse(): QuickCreateRequest {
    const request: QuickCreateRequest = { target: this.target() };
    this.allGroups = request.target.kind === 'allGroups';
    while (this.index < this.tokens.length) {
      const expected = this.optionsLeft();
      const word = this.word(expected);
      const slot = OPTION_WORDS.get(word.lower);
      const notOfGuests = this.allGroups && (word.lower === 'members' || word.lower === 'inactive');
      if (slot === undefined || this.given.has(slot) || notOfGuests) throw new NotUnderstood(word.raw, expected);
      this.given.add(slot);
      this.option(word.lower, request);
    }
    return request;
  }

  /** The alternatives of the options not given yet (all-groups reviews are of guests only). */
  private optionsLeft(): string[] {
    return SLOTS.filter((slot) => !this.given.has(slot))
      .flatMap((slot) => (slot === 'what' && this.allGroups ? ['guests'] : SLOT_EXPECTED[slot]));
  }

  /** The next token as a plain word; keywords and values are never quoted. */
  private word(expected: readonly string[]): Word {
    const token = this.tokens[this.index];
    if (token === undefined) throw new NotUnderstood('', expected);
    if (token.kind === 'unterminated') throw new NotUnderstood(token.quote, expected);
    if (token.kind === 'quoted') throw new NotUnderstood(token.raw, expected);
    this.index += 1;
    return { raw: token.raw, text: token.text, lower: token.text.toLowerCase() };
  }

  /** One of `words` (lower case), or a failure naming what is there. */
  private keyword(words: readonly string[], expected: readonly string[] = words): void {
    const word = this.word(expected);
    if (!words.includes(word.lower)) throw new NotUnderstood(word.raw, expected);
  }

  /** A positive whole number (`014` is 14; `0`, `-3`, `1.5`, `x` are not). */
  private number(): number {
    const word = this.word([NUMBER]);
    const value = parsePositiveInteger(word.text);
    if (value === undefined) throw new NotUnderstood(word.raw, [NUMBER]);
    return value;
  }

  /** A number followed by its unit, plural or singular: `14 days`, `1 run`. */
  private numberOf(unit: keyof typeof UNIT_WORDS): number {
    const value = this.number();
    this.keyword(UNIT_WORDS[unit], [unit]);
    return value;
  }

  /** A real `YYYY-MM-DD` date. */
  private date(): string {
    const word = this.word([DATE]);
    const date = parseIsoDate(word.text);
    if (date === undefined) throw new NotUnderstood(word.raw, [DATE], writtenAsDate(word.text) ? dateProblem(word.text) : undefined);
    return date;
  }

  /** `<target>`: a quoted name, `this team`, `all groups` or any one word that does not start an option. */
  private target(): QuickCreateTarget {
    const token = this.tokens[this.index];
    if (token?.kind === 'unterminated') throw new NotUnderstood(token.quote, [CLOSING_QUOTE]);
    if (token?.kind === 'quoted') {
      if (token.text === '') throw new NotUnderstood(token.raw, TARGET_EXPECTED);
      this.index += 1;
      return { kind: 'group', name: token.text };
    }
    const word = this.word(TARGET_EXPECTED);
    const second = TARGET_PHRASES.get(word.lower);
    if (second !== undefined) {
      this.keyword([second]);
      return { kind: second === 'team' ? 'thisTeam' : 'allGroups' };
    }
    if (OPTION_WORDS.has(word.lower)) throw new NotUnderstood(word.raw, TARGET_EXPECTED);
    return { kind: 'group', name: word.text };
  }

  /** The rest of the option started by `keyword`, into `request`. */
  private option(keyword: string, request: QuickCreateRequest): void {
    switch (keyword) {
      case 'members': case 'guests':
        request.what = { kind: keyword };
        return;
      case 'inactive':
        request.what = { kind: 'inactive', days: this.numberOf('days') };
        return;
      case 'by':
        request.reviewers = this.reviewers();
        return;
      case 'for':
        request.durationDays = this.numberOf('days');
        return;
      case 'starting':
        request.startDate = this.date();
        return;
      case 'ending':
        request.end = { kind: 'date', date: this.date() };
        return;
      case 'after':
        request.end = { kind: 'count', count: this.numberOf('runs') };
        return;
      case 'auto-apply': case 'autoapply':
        request.autoApply = true;
        return;
      case 'if':
        this.keyword(['no'], ['no response']);
        this.keyword(['response']);
        request.defaultDecision = this.decision();
        return;
      default:
        request.frequency = FREQUENCY_KEYWORDS.get(keyword);
    }
  }

  /** After `if no response`: `no change`, `approve`, `deny` or `recommend`. */
  private decision(): DefaultDecision {
    const word = this.word(DECISION_EXPECTED);
    if (word.lower === 'no') {
      this.keyword(['change']);
      return 'none';
    }
    const decision = DECISIONS.get(word.lower);
    if (decision === undefined) throw new NotUnderstood(word.raw, DECISION_EXPECTED);
    return decision;
  }

  /** After `by`: owners, managers, me, self, or emails separated by commas (spaces around commas allowed). */
  private reviewers(): QuickCreateReviewers {
    const first = this.word(REVIEWER_EXPECTED);
    const named = REVIEWER_WORDS.find((word) => word === first.lower);
    if (named !== undefined) return { kind: named };
    let list = first.text;
    for (let next = this.tokens[this.index]; next !== undefined; next = this.tokens[this.index]) {
      if (!list.endsWith(',') && !(next.kind === 'word' && next.text.startsWith(','))) break;
      list += this.word([EMAIL]).text;
    }
    const emails = list.split(',');
    emails.forEach((email, i) => {
      const expected = i === 0 ? REVIEWER_EXPECTED : [EMAIL];
      if (email === '') throw new NotUnderstood(i === emails.length - 1 ? '' : ',', expected);
      if (parseEmail(email) === undefined) throw new NotUnderstood(email, expected);
    });
    return { kind: 'emails', emails };
  }
}

/**
 * The error sentence of the product spec ("Errors users see"). Each alternative is a code span: a placeholder such
 * as `<YYYY-MM-DD>` outside one is taken for markup by Teams and disappears ("starting , ending ,").
 */
function failure(word: string, expected: readonly string[], why?: string): QuickCreateResult {
  const alternatives = expected.length === 0 ? 'nothing more'
    : orList(expected.map((alternative) => (DESCRIPTIONS.has(alternative) ? alternative : `\`${alternative}\``)));
  const message = word === ''
    ? `Your review command ended too early: expected ${alternatives}.`
    : why !== undefined
      ? `${quoted(word)} ${why}. Expected: ${alternatives}.`
      : `I didn't understand ${quoted(word)} in your review command. Expected: ${alternatives}.`;
  return { ok: false, word, expected: [...expected], message };
}

/** Parses the text after `review` (as typed, mentions stripped); never throws. */
export function parseQuickCreate(args: string): QuickCreateResult {
  try {
    return { ok: true, request: new Parser(tokenize(args)).parse() };
  } catch (error) {
    if (error instanceof NotUnderstood) return failure(error.word, error.expected, error.why);
    throw error;
  }
}
