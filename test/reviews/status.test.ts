import fc from 'fast-check';
import { inReviewsList, KNOWN_STATUSES, statusRank, statusWords } from '../../reviews/status';

/**
 * Graph's status vocabulary (resources/accessreviewscheduledefinition and accessreviewinstance list eight values;
 * accessreviewscheduledefinition-get shows Applying, accessreviewinstance-filterbycurrentuser Applied): in words, and
 * in the list it belongs to. An unknown status is shown as it came and hidden from no list.
 */
const ACTIVE = ['NotStarted', 'Initializing', 'Starting', 'InProgress', 'Completing', 'AutoReviewing'];
const FINISHED = ['Completed', 'AutoReviewed', 'Applying', 'Applied'];

describe('statusWords', () => {
  test.each<[string, string]>([
    ['NotStarted', 'Not started'], ['Initializing', 'Initializing'], ['Starting', 'Starting'], ['InProgress', 'In progress'],
    ['Completing', 'Completing'], ['Completed', 'Completed'], ['AutoReviewing', 'Auto-reviewing'], ['AutoReviewed', 'Auto-reviewed'],
    ['Applying', 'Applying'], ['Applied', 'Applied'],
  ])('%s → %s', (status, words) => {
    expect(statusWords(status)).toBe(words);
    expect(statusWords(status.toLowerCase())).toBe(words);
    expect(statusWords(` ${status.toUpperCase()} `)).toBe(words);
  });

  test('an unknown status shows as it came (trimmed); none at all is "Unknown"', () => {
    expect(statusWords('Scheduled')).toBe('Scheduled');
    expect(statusWords('constructor')).toBe('constructor');
    expect(statusWords('__proto__')).toBe('__proto__');
    expect(statusWords('  Archived ')).toBe('Archived');
    expect(statusWords('')).toBe('Unknown');
    expect(statusWords(null)).toBe('Unknown');
    expect(statusWords(undefined)).toBe('Unknown');
  });

  test('property: any text gives non-empty words; a status the bot does not know keeps its own text', () => {
    const known = new Set(KNOWN_STATUSES.map((s) => s.toLowerCase()));
    const text = fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom('constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf'));
    fc.assert(fc.property(text, (text) => {
      const words = statusWords(text);
      expect(words.length).toBeGreaterThan(0);
      if (!known.has(text.trim().toLowerCase()) && text.trim() !== '') expect(words).toBe(text.trim());
    }), { numRuns: 500 });
  });
});

describe('inReviewsList: which list a review lands in', () => {
  test('the vocabulary is exactly the active and the finished statuses', () => {
    expect([...KNOWN_STATUSES].sort()).toEqual([...ACTIVE, ...FINISHED].sort());
  });

  test.each(ACTIVE)('%s: active, not completed', (status) => {
    expect(inReviewsList('active', status)).toBe(true);
    expect(inReviewsList('completed', status)).toBe(false);
    expect(inReviewsList('all', status)).toBe(true);
  });

  test.each(FINISHED)('%s: completed, not active', (status) => {
    expect(inReviewsList('active', status)).toBe(false);
    expect(inReviewsList('completed', status)).toBe(true);
    expect(inReviewsList('all', status)).toBe(true);
  });

  test('property: every status (known or not, any casing) is in at least one of active and completed, and in all', () => {
    const status = fc.oneof(fc.constantFrom(...KNOWN_STATUSES, ...KNOWN_STATUSES.map((s) => s.toUpperCase())), fc.string({ maxLength: 20 }), fc.constant(null));
    fc.assert(fc.property(status, (s) => {
      expect(inReviewsList('active', s) || inReviewsList('completed', s)).toBe(true);
      expect(inReviewsList('all', s)).toBe(true);
    }), { numRuns: 500 });
  });

  test('an unknown status is in both lists: no list hides it', () => {
    expect(inReviewsList('active', 'Scheduled')).toBe(true);
    expect(inReviewsList('completed', 'Scheduled')).toBe(true);
  });
});

describe('statusRank', () => {
  test('running first, then not started or unknown, then finished', () => {
    expect(['InProgress', 'Starting', 'Completing', 'AutoReviewing'].map(statusRank)).toEqual([0, 0, 0, 0]);
    expect(['NotStarted', 'Initializing', 'Scheduled', null].map(statusRank)).toEqual([1, 1, 1, 1]);
    expect(FINISHED.map(statusRank)).toEqual([2, 2, 2, 2]);
  });
});
