import { actionCard, currentRun, refusalFor, runsStartedWith, severalRunsText, type ActionSettings, type Run } from '../../reviews/adminActions';

/** The pure part of stop / remind / apply / reset / delete: which run, the preconditions in words, the card's numbers. */

const MANUAL: ActionSettings = { autoApply: false, disablesGuests: false };
const run = (status: string, start = '2025-06-01T00:00:00Z'): Run => ({ id: `run-${start}`, status, startDateTime: start, endDateTime: '2025-06-15T08:00:00Z' });

test('the current run is the latest started one', () => {
  const runs = [run('Completed', '2025-03-01T00:00:00Z'), run('InProgress', '2025-06-01T00:00:00Z'), run('Applied', '2024-12-01T00:00:00Z')];
  expect(currentRun(runs)?.status).toBe('InProgress');
  expect(currentRun([])).toBeUndefined();
});

test('a review with one run per group (all Microsoft 365 groups) is answered plainly, not acted on for one group', () => {
  const runs = [run('InProgress', '2025-06-01T00:00:00Z'), { ...run('InProgress', '2025-06-01T00:00:00Z'), id: 'other' }, run('Completed', '2025-03-01T00:00:00Z')];
  expect(runsStartedWith(runs, currentRun(runs))).toBe(2);
  expect(severalRunsText('stop', '`All guests`', 2)).toContain('`All guests` has 2 runs at the moment (one per group). `stop` acts on reviews with one run');
});

test.each([
  ['stop', 'InProgress', undefined],
  ['remind', 'InProgress', undefined],
  ['reset', 'InProgress', undefined],
  ['stop', 'Completed', 'works only while a run is in progress'],
  ['remind', 'NotStarted', 'has not started yet'],
  ['reset', 'Applied', 'works only while a run is in progress'],
  ['apply', 'Completed', undefined],
  ['apply', 'InProgress', 'Stop it first'],
  ['apply', 'Applied', 'already been applied'],
  ['apply', 'AutoReviewing', 'works only on a completed run'],
  ['delete', 'InProgress', undefined],
] as const)('%s on a run %s', (kind, status, refusal) => {
  const said = refusalFor(kind, '`Sales`', run(status), MANUAL);
  if (refusal === undefined) expect(said).toBeUndefined();
  else expect(said).toEqual(expect.stringContaining(refusal) as string);
  if (said !== undefined) expect(said).toMatch(/Nothing was changed\.$/);
});

test('apply is refused when the review applies its results itself, and without any run', () => {
  expect(refusalFor('apply', '`Sales`', run('Completed'), { ...MANUAL, autoApply: true })).toContain('auto-apply is on');
  expect(refusalFor('stop', '`Sales`', undefined, MANUAL)).toContain('has no run yet');
  expect(refusalFor('delete', '`Sales`', undefined, MANUAL)).toBeUndefined();
});

test('the cards say what will happen in numbers', () => {
  const counts = { total: 40, notReviewed: 10, denied: 12, complete: true };
  const input = { name: '`Finance Apps review`', run: run('Completed'), counts, settings: MANUAL, groupName: '`Finance Apps`', runCount: 3 };
  expect(actionCard('apply', input).title).toBe('apply: 12 denied members will be removed from `Finance Apps`');
  expect(actionCard('apply', input).lines).toContainEqual({ label: 'Approved, don\'t know or not reviewed (no change)', value: '28' });
  expect(actionCard('reset', input).title).toContain('30 recorded decisions');
  expect(actionCard('delete', input).title).toContain('with its 3 runs');
  expect(actionCard('delete', { ...input, run: undefined, counts: undefined, runCount: 0 }).title).toBe('delete: `Finance Apps review` will be deleted (it has no runs yet)');
  const stop = actionCard('stop', { ...input, settings: { ...MANUAL, defaultDecision: 'Deny' } });
  expect(stop.warnings).toEqual(['The 10 items nobody reviewed will be denied automatically.', 'Nothing is removed from the group until someone applies the results (with apply).']);
  // Days in the words the other cards use (a card has no code spans or bold inside a warning).
  expect(stop.lines).toContainEqual({ label: 'Current run', value: 'Sunday 1 June 2025 to Sunday 15 June 2025 · Completed' });
  expect(refusalFor('apply', 'Sales', run('InProgress'), MANUAL)).toContain('still in progress (until Sunday 15 June 2025)');
  expect(actionCard('apply', { ...input, counts: { ...counts, complete: false } }).title).toContain('at least 12 denied members');
});
