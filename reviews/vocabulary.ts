import type { Frequency } from './settings';

/**
 * The product's words for what users type and read: frequencies, calendar dates, email addresses and whole
 * numbers. Spelled and parsed once, here, so quick create's parser, the wizard's steps and validation accept the
 * same things and say them the same way. Pure; every `parse…` takes a whole answer (surrounding whitespace
 * ignored) and returns undefined for anything it does not accept.
 */

// ── Frequencies ──────────────────────────────────────────────────────────────

export interface FrequencyTerm {
  value: Frequency;
  /** As a choice: "One time", "Semi-annually". */
  label: string;
  /** Before "review": "one-time", "semi-annual" (generated names, validation's sentences). */
  adjective: string;
  article: 'a' | 'an';
  /**
   * Words of the quick-create grammar, lower case, the spec's word first. Each is reserved there (it can no
   * longer be a one-word group name), so only the spec's word and its spellings are keywords.
   */
  keywords: readonly string[];
  /** More answers the wizard takes: a whole answer, so phrases and looser words cannot be mistaken there. */
  synonyms: readonly string[];
  /** Calendar months from one run to the next (monthly and longer). */
  months?: number;
}

/** Every frequency, in the order the product lists them (spec, wizard step 4). */
export const FREQUENCY: Readonly<Record<Frequency, FrequencyTerm>> = {
  once: { value: 'once', label: 'One time', adjective: 'one-time', article: 'a', keywords: ['once'], synonyms: ['one time', 'onetime'] },
  weekly: { value: 'weekly', label: 'Weekly', adjective: 'weekly', article: 'a', keywords: ['weekly'], synonyms: ['week'] },
  monthly: { value: 'monthly', label: 'Monthly', adjective: 'monthly', article: 'a', keywords: ['monthly'], synonyms: ['month'], months: 1 },
  quarterly: {
    value: 'quarterly', label: 'Quarterly', adjective: 'quarterly', article: 'a', keywords: ['quarterly'], synonyms: ['quarter'], months: 3,
  },
  semiannually: {
    value: 'semiannually', label: 'Semi-annually', adjective: 'semi-annual', article: 'a', keywords: ['semiannually', 'semi-annually'],
    synonyms: ['half-yearly'], months: 6,
  },
  annually: { value: 'annually', label: 'Annually', adjective: 'annual', article: 'an', keywords: ['annually'], synonyms: ['yearly', 'year'], months: 12 },
};

export const FREQUENCIES: readonly FrequencyTerm[] = Object.values(FREQUENCY);

/** "a weekly review", "an annual review". */
export const aReview = (frequency: Frequency): string => `${FREQUENCY[frequency].article} ${FREQUENCY[frequency].adjective} review`;

/** Quick create's frequency words (lower case) → the frequency. */
export const FREQUENCY_KEYWORDS: ReadonlyMap<string, Frequency> = new Map(
  FREQUENCIES.flatMap((term) => term.keywords.map((word): [string, Frequency] => [word, term.value])),
);

const FREQUENCY_ANSWERS: ReadonlyMap<string, Frequency> = new Map([
  ...FREQUENCY_KEYWORDS,
  ...FREQUENCIES.flatMap((term) => term.synonyms.map((word): [string, Frequency] => [word, term.value])),
]);

/** A frequency named in a whole answer, any case: a keyword ("semi-annually") or a synonym ("one time", "yearly"). */
export const parseFrequency = (text: string): Frequency | undefined => FREQUENCY_ANSWERS.get(text.trim().toLowerCase());

// ── Dates ────────────────────────────────────────────────────────────────────

/** How dates are written, in prompts and error messages. */
export const DATE_FORMAT = 'YYYY-MM-DD';
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

const isLeapYear = (year: number): boolean => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

/** Days in `month` (1..12) of `year`, proleptic Gregorian. */
export function daysInMonth(year: number, month: number): number {
  return [31, isLeapYear(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
}

/** A `YYYY-MM-DD` that names a real calendar day (2026-02-30 and 2026-4-3 do not), as written. */
export function parseIsoDate(text: string): string | undefined {
  const date = text.trim();
  const match = ISO_DATE.exec(date);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month) ? date : undefined;
}

const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November',
  'December'];

/** Written as `YYYY-MM-DD`, whether or not the calendar has that day (2026-02-30 is; 2026-4-3 is not). */
export const writtenAsDate = (text: string): boolean => ISO_DATE.test(text.trim());

/**
 * Why `text` is not a day, as the end of a sentence about it: "is not a date written YYYY-MM-DD", or, for text written
 * that way that names no day, "is not a real calendar date: February 2026 has 28 days" (telling someone who wrote
 * 2026-02-30 to mind the format would send them looking for the wrong mistake). undefined for a real day.
 */
export function dateProblem(text: string): string | undefined {
  if (parseIsoDate(text) !== undefined) return undefined;
  const match = ISO_DATE.exec(text.trim());
  if (!match) return `is not a date written ${DATE_FORMAT}`;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const why = month < 1 || month > 12 ? `there is no month ${month}`
    : day < 1 ? `there is no day ${day}`
      : `${MONTH_NAMES[month - 1] ?? ''} ${year} has ${daysInMonth(year, month)} days`;
  return `is not a real calendar date: ${why}`;
}

/** True when `text` is exactly a real `YYYY-MM-DD` day (a stored value: no whitespace either). */
export const isIsoDate = (text: string): boolean => parseIsoDate(text) === text;

/** A day answered in the wizard: `today` (any case) or a real `YYYY-MM-DD`. */
export function parseDay(text: string, today: string): string | undefined {
  return text.trim().toLowerCase() === 'today' ? today : parseIsoDate(text);
}

// ── Email addresses ──────────────────────────────────────────────────────────

/**
 * Looks like an address: something@domain.tld. No whitespace, `@`, comma or semicolon before the `@` (they separate
 * addresses in a list); the domain is two or more dot-separated labels of letters, digits and hyphens.
 */
const EMAIL = /^[^\s@,;]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+$/;

/** One email address, as typed (case kept: the directory lookup ignores it). */
export function parseEmail(text: string): string | undefined {
  const email = text.trim();
  return EMAIL.test(email) ? email : undefined;
}

/** Addresses typed in one answer, separated by commas, semicolons or spaces, and the words that are not addresses. */
export function parseEmails(text: string): { emails: string[]; invalid: string[] } {
  const words = text.split(/[\s,;]+/).filter((word) => word !== '');
  return { emails: words.filter((word) => EMAIL.test(word)), invalid: words.filter((word) => !EMAIL.test(word)) };
}

/** The most people one list of addresses may name (the directory looks up at most 15 addresses at once). */
export const MAX_EMAILS = 15;

// ── Whole numbers ────────────────────────────────────────────────────────────

/** Inclusive bounds; a missing bound is 1 (min) or the largest safe integer (max). */
export interface IntegerRange {
  min?: number;
  max?: number;
}

/** True for a whole number within `range`. */
export function isIntegerIn(value: number, { min = 1, max = Number.MAX_SAFE_INTEGER }: IntegerRange = {}): boolean {
  return Number.isSafeInteger(value) && value >= min && value <= max;
}

/** A whole number written with digits only (`014` is 14; `-3`, `+3`, `1.5`, `1e3`, `x` are not), within `range`. */
export function parsePositiveInteger(text: string, range: IntegerRange = {}): number | undefined {
  const digits = text.trim();
  const value = /^\d+$/.test(digits) ? Number(digits) : NaN;
  return isIntegerIn(value, range) ? value : undefined;
}

/** Words of a counted unit, plural first: `14 days`, `1 run`. */
export const UNIT_WORDS = { days: ['days', 'day'], runs: ['runs', 'run'] } as const;

const DAYS_UNIT = new RegExp(`\\s*(?:${UNIT_WORDS.days.join('|')})$`, 'i');

/** A number of days, the unit optional: `14`, `14 days`, `1 day`. */
export function parseDays(text: string, range: IntegerRange = {}): number | undefined {
  return parsePositiveInteger(text.trim().replace(DAYS_UNIT, ''), range);
}

/** "1 day", "14 days". */
export const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** `a`, `a or b`, `a, b or c`. */
export function orList(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1] ?? ''}`;
}
