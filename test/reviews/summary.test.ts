import fc from 'fast-check';
import { addToTally, newTally, type TalliedItem } from '../../reviews/decisionTally';
import { digestOrder, progressLine, progressWeights, reviewedOf, summaryCounts, timeLeft } from '../../reviews/summary';

/** The summary card's numbers and words (issue 12, item 1): pure. */

const NOW = Date.parse('2025-06-02T09:00:00Z');
const ZERO = '00000000-0000-0000-0000-000000000000';

test('counts per decision, against the recommendation, per apply result and by the service, from a tally filled page by page', () => {
  const items: TalliedItem[] = [
    { decision: 'Approve', recommendation: 'Approve', applyResult: 'AppliedSuccessfully', reviewedBy: { id: 'megan' } },
    { decision: 'Approve', recommendation: 'Deny', applyResult: 'New', reviewedBy: { id: 'megan' } },
    { decision: 'Deny', recommendation: 'Deny', applyResult: 'AppliedWithUnknownFailure', reviewedBy: { id: ZERO, displayName: 'AAD Access Reviews' } },
    { decision: 'deny', recommendation: 'NoInfoAvailable', applyResult: 'ApplyNotSupported', reviewedBy: { id: 'alex' } },
    { decision: 'DontKnow', recommendation: 'Approve', applyResult: 'AppliedSuccessfullyButObjectNotFound', appliedBy: { id: ZERO, displayName: 'AAD Access Reviews' } },
    { decision: 'NotReviewed', recommendation: 'Approve' },
    { decision: null },
    { decision: 'Maybe', reviewedBy: { id: 'x' } },
  ];
  const tally = newTally();
  // Two pages, as the scan delivers them.
  addToTally(tally, items.slice(0, 3));
  addToTally(tally, items.slice(3));
  const counts = summaryCounts(tally);
  expect(counts).toEqual({
    total: 8, approved: 2, denied: 2, dontKnow: 1, notReviewed: 2, other: 1, withRecommendation: 3, agreeing: 2,
    applied: 2, failed: 1, notSupported: 1, decidedAutomatically: 1, appliedAutomatically: 1,
  });
  expect(reviewedOf(counts)).toBe(6);
});

test('progress in words: percent floored, thousands grouped, "at least" when the count stopped early', () => {
  expect(progressLine(4, 250, true)).toBe('4 of 250 reviewed (1%)');
  expect(progressLine(99_999, 100_000, true)).toBe('99,999 of 100,000 reviewed (99%)');
  expect(progressLine(10, 200_000, false)).toBe('At least 10 of 200,000 reviewed (0%)');
  expect(progressLine(0, 0, true)).toBe('No items to review');
});

describe('the progress bar\'s weights', () => {
  test('whole numbers summing to 100; a part shows exactly when it is not empty', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 10_000_000 }), fc.double({ min: 0, max: 1, noNaN: true }), (total, share) => {
      const reviewed = Math.floor(total * share);
      const { done, left } = progressWeights(reviewed, total);
      expect(Number.isInteger(done) && Number.isInteger(left)).toBe(true);
      expect(done + left).toBe(100);
      expect(done > 0).toBe(reviewed > 0);
      expect(left > 0).toBe(reviewed < total);
    }));
  });

  test('examples, and nonsense input gives an empty bar', () => {
    expect(progressWeights(1, 100_000)).toEqual({ done: 1, left: 99 });
    expect(progressWeights(99_999, 100_000)).toEqual({ done: 99, left: 1 });
    expect(progressWeights(30, 100)).toEqual({ done: 30, left: 70 });
    expect(progressWeights(0, 0)).toEqual({ done: 0, left: 100 });
    expect(progressWeights(-5, 10)).toEqual({ done: 0, left: 100 });
    expect(progressWeights(50, 10)).toEqual({ done: 100, left: 0 });
  });
});

test.each([
  [{ status: 'InProgress', startDateTime: '2025-06-01T08:00:00Z', endDateTime: '2025-06-15T08:00:00Z' }, '12 days left'],
  [{ status: 'InProgress', startDateTime: '2025-06-01T08:00:00Z', endDateTime: '2025-06-03T10:00:00Z' }, '1 day left'],
  [{ status: 'InProgress', startDateTime: '2025-06-01T08:00:00Z', endDateTime: '2025-06-02T14:30:00Z' }, '5 hours left'],
  [{ status: 'InProgress', startDateTime: '2025-06-01T08:00:00Z', endDateTime: '2025-06-02T10:30:00Z' }, '1 hour left'],
  [{ status: 'InProgress', startDateTime: '2025-06-01T08:00:00Z', endDateTime: '2025-06-02T09:20:00Z' }, 'Less than an hour left'],
  [{ status: 'InProgress', startDateTime: '2025-06-01T08:00:00Z', endDateTime: '2025-06-02T09:00:00Z' }, 'Past its end date: closing'],
  [{ status: 'NotStarted', startDateTime: '2025-06-09T09:00:00Z', endDateTime: '2025-06-23T09:00:00Z' }, 'Starts in 7 days'],
  [{ status: 'Completed', startDateTime: '2025-05-01T08:00:00Z', endDateTime: '2025-05-15T08:00:00Z' }, 'Finished'],
  [{ status: 'Applied', startDateTime: '2025-05-01T08:00:00Z', endDateTime: '2025-07-15T08:00:00Z' }, 'Finished'],
  [{ status: 'InProgress', startDateTime: null, endDateTime: 'soon' }, 'No end date'],
  [{ status: 'SomethingNew', startDateTime: '2025-06-01T08:00:00Z', endDateTime: '2025-06-15T08:00:00Z' }, '12 days left'],
])('time left of %j at 2 June 2025 09:00: %s', (run, words) => {
  expect(timeLeft(run, NOW)).toBe(words);
});

describe('the digest order', () => {
  test('running runs first, ending soonest first; then the others; ties by name', () => {
    const rows = [
      { name: 'finished', running: false, endDateTime: '2025-05-01T00:00:00Z' },
      { name: 'late', running: true, endDateTime: '2025-07-01T00:00:00Z' },
      { name: 'no end', running: true, endDateTime: null },
      { name: 'b soon', running: true, endDateTime: '2025-06-03T00:00:00Z' },
      { name: 'a soon', running: true, endDateTime: '2025-06-03T00:00:00Z' },
      { name: 'no run', running: false, endDateTime: null },
    ];
    expect(digestOrder(rows).map((row) => row.name)).toEqual(['a soon', 'b soon', 'late', 'no end', 'finished', 'no run']);
    expect(rows[0]?.name).toBe('finished');
  });

  test('any rows: the same rows, running ones first and in order of their end', () => {
    const row = fc.record({ name: fc.string({ maxLength: 5 }), running: fc.boolean(),
      endDateTime: fc.option(fc.integer({ min: 0, max: 4_000_000_000_000 }).map((ms) => new Date(ms).toISOString()), { nil: null }) });
    fc.assert(fc.property(fc.array(row, { maxLength: 30 }), (rows) => {
      const ordered = digestOrder(rows);
      expect([...ordered].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))))
        .toEqual([...rows].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))));
      const firstStopped = ordered.findIndex((r) => !r.running);
      if (firstStopped >= 0) expect(ordered.slice(firstStopped).every((r) => !r.running)).toBe(true);
      const ends = ordered.filter((r) => r.running).map((r) => (r.endDateTime === null ? Infinity : Date.parse(r.endDateTime)));
      expect(ends).toEqual([...ends].sort((a, b) => a - b));
    }));
  });
});
