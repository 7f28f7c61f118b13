import fc from 'fast-check';
import type { ReviewDefinition } from '../../bot/graph/apis';
import { addToTally, newTally, tallyLines } from '../../reviews/decisionTally';
import { currentInstance, describeCurrentRun, describeReviewers, waitingLine } from '../../reviews/describeDefinition';
import { describeDefinitionSettings, namesNeeded, settingsFromDefinition } from '../../reviews/fromDefinition';
import { toDefinition } from '../../reviews/definition';
import { DEFAULT_OPTIONS, type ReviewSettings } from '../../reviews/settings';

/** Definitions read back into words (issue 11: list, show, decisions), pure. */

const GROUP = 'bbbbbbbb-0000-4000-8000-000000000001';
const OTHER = 'bbbbbbbb-0000-4000-8000-000000000009';
const USER = 'aaaaaaaa-0000-4000-8000-000000000002';
const groups = new Map([[GROUP, 'Sales Team'], [OTHER, 'Auditors']]);
const users = new Map([[USER, 'Megan Bowen']]);

const settings = (over: Partial<ReviewSettings> = {}): ReviewSettings => ({
  scope: { kind: 'guests', group: { id: GROUP, displayName: 'Sales Team' } }, reviewers: { kind: 'owners' },
  fallbackReviewers: [{ id: USER, displayName: 'Megan Bowen' }],
  schedule: { frequency: 'quarterly', startDate: '2025-06-02', durationDays: 14, end: { kind: 'count', count: 4 } },
  options: { ...DEFAULT_OPTIONS, defaultDecision: 'deny', deniedGuests: 'blockThenDelete' },
  name: 'Sales guests', descriptionForReviewers: 'Please', descriptionForAdmins: 'Admins', ...over,
});
/** What Graph echoes: `/v1.0` in front of every query, and the body's fields as stored. */
const echoed = (s: ReviewSettings): ReviewDefinition => {
  const body = JSON.parse(JSON.stringify(toDefinition(s)).replace(/"query":"\/(groups|users)/g, '"query":"/v1.0/$1')) as ReviewDefinition;
  return { ...body, id: 'x', status: 'InProgress' };
};

describe('settingsFromDefinition: what toDefinition wrote, read back (with Graph\'s /v1.0 echo)', () => {
  test.each([
    ['guests, owners, quarterly, 4 runs', settings()],
    ['members, managers, weekly, until a date', settings({ scope: { kind: 'members', group: { id: GROUP, displayName: 'Sales Team' } }, reviewers: { kind: 'managers' },
      schedule: { frequency: 'weekly', startDate: '2025-06-02', durationDays: 3, end: { kind: 'date', date: '2026-01-01' } } })],
    ['inactive users, named reviewers, annually, never ends', settings({ scope: { kind: 'inactive', group: { id: GROUP, displayName: 'Sales Team' }, inactiveDays: 90 },
      reviewers: { kind: 'users', users: [{ id: USER, displayName: 'Megan Bowen' }] }, fallbackReviewers: [],
      schedule: { frequency: 'annually', startDate: '2025-06-02', durationDays: 30, end: { kind: 'never' } }, options: { ...DEFAULT_OPTIONS } })],
    ['all groups guests, self review, once', settings({ scope: { kind: 'allGroupsGuests' }, reviewers: { kind: 'self' }, fallbackReviewers: [],
      schedule: { frequency: 'once', startDate: '2025-06-02', durationDays: 14, end: { kind: 'never' } } })],
  ])('%s', (_name, original) => {
    const back = settingsFromDefinition(echoed(original), groups, users);
    expect(back).toEqual({ ...original, ...(original.scope.kind === 'members' || original.scope.kind === 'inactive' ? { options: { ...original.options, deniedGuests: 'remove' } } : {}) });
  });

  test('"no end" as Graph lists it (numbered 0, 9999-12-31) reads as never; an unknown shape is still described', () => {
    const definition = echoed(settings());
    definition.settings = { ...definition.settings, recurrence: { pattern: { type: 'absoluteMonthly', interval: 3 }, range: { type: 'numbered', numberOfOccurrences: 0, endDate: '9999-12-31', startDate: '2025-06-02' } } };
    expect(settingsFromDefinition(definition, groups, users)?.schedule.end).toEqual({ kind: 'never' });
    const odd = { ...definition, reviewers: [{ query: '/v1.0/servicePrincipals/abc/owners' }] } as ReviewDefinition;
    expect(settingsFromDefinition(odd, groups, users)).toBeUndefined();
    expect(describeDefinitionSettings(odd, groups, users)).toEqual([
      { label: 'What', value: 'Guests of Sales Team' }, { label: 'Reviewers', value: 'Other reviewers' }, { label: 'How often', value: 'Quarterly' },
      { label: 'Name', value: 'Sales guests' },
    ]);
  });

  test('any recurrence Graph could echo (or none) is described in words, never thrown on', () => {
    const day = fc.oneof(fc.constant(''), fc.string({ maxLength: 12 }), fc.date({ noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
      fc.constant('9999-12-31'), fc.constant('2025-02-30'));
    const recurrence = fc.option(fc.record({
      pattern: fc.option(fc.record({ type: fc.constantFrom('weekly', 'absoluteMonthly', 'daily', ''), interval: fc.integer({ min: -2, max: 40 }) }, { requiredKeys: [] })),
      range: fc.option(fc.record({ type: fc.constantFrom('noEnd', 'endDate', 'numbered', 'x'), startDate: day, endDate: day,
        numberOfOccurrences: fc.integer({ min: -1, max: 1000 }) }, { requiredKeys: [] })),
    }, { requiredKeys: [] }));
    fc.assert(fc.property(recurrence, fc.option(fc.integer({ min: -10, max: 100_000 })), (shape, duration) => {
      const definition = { ...echoed(settings()), settings: { ...(shape === null ? {} : { recurrence: shape }), ...(duration === null ? {} : { instanceDurationInDays: duration }) } } as ReviewDefinition;
      const rows = describeDefinitionSettings(definition, groups, users);
      expect(rows.every((row) => typeof row.value === 'string' && row.value !== '')).toBe(true);
    }));
  });

  test('the names a definition needs: its group, reviewer groups, named and fallback users', () => {
    const definition = { ...echoed(settings()), reviewers: [{ query: `/v1.0/groups/${OTHER}/owners` }, { query: `/users/${USER.toUpperCase()}` }] } as ReviewDefinition;
    expect(namesNeeded(definition)).toEqual({ groups: [GROUP, OTHER], users: [USER] });
  });
});

describe('describeReviewers and the current run', () => {
  const base = echoed(settings());
  test.each([
    [[], 'Each person reviews their own access'],
    [[{ query: `/v1.0/groups/${GROUP}/owners` }], 'Group owners'],
    [[{ query: `/groups/${OTHER}/transitiveOwners` }], 'Owners of Auditors'],
    [[{ query: './manager', queryRoot: 'decisions' }, { query: `/users/${USER}` }], "Each person's manager and 1 named person"],
    [[{ query: './owners' }], 'The owners of each group'],
    [[{ query: `/users/${USER}` }, { query: `/v1.0/users/${OTHER}` }], '2 named people'],
  ])('%j → %s', (reviewers, words) => {
    expect(describeReviewers({ ...base, reviewers }, groups)).toBe(words);
  });

  test('the running run that started last, else the one that ended last; all-groups runs counted', () => {
    const runs = [
      { id: 'a', status: 'Completed', startDateTime: '2025-01-01T00:00:00Z', endDateTime: '2025-01-15T00:00:00Z' },
      { id: 'b', status: 'InProgress', startDateTime: '2025-06-01T00:00:00Z', endDateTime: '2025-06-15T00:00:00Z' },
      { id: 'c', status: 'InProgress', startDateTime: '2025-06-02T00:00:00Z', endDateTime: '2025-06-16T00:00:00Z' },
    ];
    expect(currentInstance(runs)?.id).toBe('c');
    expect(describeCurrentRun(runs)).toBe('Current run ends Monday 16 June 2025 (1 other run at the same time)');
    expect(describeCurrentRun(runs.slice(0, 1))).toBe('Last run ended Wednesday 15 January 2025');
    expect(describeCurrentRun([])).toBe('No run yet');
    expect(describeCurrentRun(undefined)).toBe('Runs could not be read');
  });
});

describe('decision tally', () => {
  test('counts as pages arrive; the service recognised by name or by the zero id on an item it acted on', () => {
    const tally = newTally();
    const zero = { id: '00000000-0000-0000-0000-000000000000', displayName: '' };
    addToTally(tally, [
      { decision: 'Approve', recommendation: 'Approve', applyResult: 'New', reviewedBy: { id: 'u', displayName: 'Megan' } },
      { decision: 'Deny', recommendation: 'Approve', applyResult: 'New', reviewedBy: { id: 'u', displayName: 'Megan' } },
    ]);
    addToTally(tally, [
      { decision: 'Deny', recommendation: 'Deny', applyResult: 'AppliedSuccessfully', reviewedBy: zero, appliedBy: { displayName: 'AAD Access Reviews' } },
      { decision: 'NotReviewed', recommendation: 'NoInfoAvailable', applyResult: 'New', reviewedBy: zero, appliedBy: zero },
      { decision: 'Maybe', recommendation: null, applyResult: 'ApplyNotSupported' },
    ]);
    expect(tallyLines(tally, true)).toEqual([
      { label: 'Items', value: '5' },
      { label: 'Decisions', value: 'Approved 1 · Denied 2 · Not reviewed 1 · Maybe 1' },
      { label: 'Recommendations', value: 'Approve 2 · Deny 1 · No information 1 · None 1' },
      { label: 'Applied results', value: 'Not applied yet 3 · Applied 1 · Not supported 1' },
      { label: 'Follow the recommendation', value: '2 of 3 decisions with one' },
      { label: 'Decided automatically by Microsoft Entra', value: '1 decided, 1 applied' },
    ]);
    expect(tallyLines(tally, false)[0]).toEqual({ label: 'Items', value: 'At least: 5' });
  });
});

describe('waitingLine', () => {
  test('whole names while they fit, then how many are left', () => {
    expect(waitingLine([])).toBe('');
    expect(waitingLine(['Megan Bowen', 'Alex Wilber'])).toBe('Waiting on Megan Bowen, Alex Wilber');
    expect(waitingLine(Array.from({ length: 40 }, (_, n) => `Reviewer ${n + 1}`), 60)).toBe('Waiting on Reviewer 1, Reviewer 2, Reviewer 3 and 37 more');
    expect(waitingLine(['x'.repeat(500)])).toBe(`Waiting on ${'x'.repeat(59)}…`);
  });

  test('any names: within the budget (one name at least), every name shown or counted, never cut inside a name', () => {
    fc.assert(fc.property(fc.array(fc.string({ unit: 'grapheme', maxLength: 90 }), { maxLength: 300 }), fc.integer({ min: 40, max: 400 }), (names, budget) => {
      const line = waitingLine(names, budget);
      if (names.length === 0) return expect(line).toBe('');
      const match = /^Waiting on (.*?)(?: and ([\d,]+) more)?$/su.exec(line);
      expect(match).not.toBeNull();
      const left = Number((match?.[2] ?? '0').replace(/,/g, ''));
      expect([...line].length <= budget || left === names.length - 1).toBe(true);
      const shown = names.length - left;
      expect(shown).toBeGreaterThanOrEqual(1);
      expect(match?.[1]?.startsWith(names[0]?.trim().slice(0, 5) ?? '')).toBe(true);
    }));
  });
});
