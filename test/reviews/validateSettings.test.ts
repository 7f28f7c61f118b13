import { maxDurationDays, validateSettings } from '../../reviews/validateSettings';
import { DEFAULT_OPTIONS, type ReviewerChoice, type ReviewSchedule, type ReviewScope, type ReviewSettings, type SettingsField } from '../../reviews/settings';

/** validateSettings: each rule names the right field with a plain reason saying what is allowed; valid settings give []. */

const TODAY = '2026-03-02';
const adele = { id: 'aaaaaaaa-0000-4000-8000-000000000001', displayName: 'Adele Vance' };
const sales = { id: 'bbbbbbbb-0000-4000-8000-000000000001', displayName: 'Sales Team', isMicrosoft365: true };
const allStaff = { id: 'bbbbbbbb-0000-4000-8000-000000000004', displayName: 'All Staff', isDynamic: true };
const admins = { id: 'bbbbbbbb-0000-4000-8000-000000000009', displayName: 'Tier 0 Admins', isAssignableToRole: true };

function valid(overrides: Partial<ReviewSettings> = {}, schedule: Partial<ReviewSchedule> = {}): ReviewSettings {
  return {
    scope: { kind: 'guests', group: sales }, reviewers: { kind: 'owners' }, fallbackReviewers: [adele],
    schedule: { frequency: 'once', startDate: TODAY, durationDays: 14, end: { kind: 'never' }, ...schedule },
    options: DEFAULT_OPTIONS, name: 'Sales Team guests – one-time review', descriptionForReviewers: 'Please review.',
    descriptionForAdmins: 'Created in Teams.', ...overrides,
  };
}

/** The one problem expected: its field, and its reason matched against `reason`. */
function expectOne(settings: ReviewSettings, field: SettingsField, reason: RegExp): void {
  const problems = validateSettings(settings, TODAY);
  expect(problems.map((p) => p.field)).toEqual([field]);
  expect(problems[0]?.reason).toMatch(reason);
}

describe('validateSettings: valid settings', () => {
  const scopes: ReviewScope[] = [
    { kind: 'members', group: sales }, { kind: 'guests', group: sales }, { kind: 'inactive', group: sales, inactiveDays: 90 }, { kind: 'allGroupsGuests' },
  ];
  test.each(scopes)('$kind with owners, managers, named people or self-review → []', (scope) => {
    const choices: ReviewerChoice[] = [{ kind: 'owners' }, { kind: 'managers' }, { kind: 'users', users: [adele] }, { kind: 'self' }];
    for (const reviewers of choices) {
      expect(validateSettings(valid({ scope, reviewers }), TODAY)).toEqual([]);
    }
  });

  test('named people and self-review need no fallback', () => {
    expect(validateSettings(valid({ reviewers: { kind: 'users', users: [adele] }, fallbackReviewers: [] }), TODAY)).toEqual([]);
    expect(validateSettings(valid({ reviewers: { kind: 'self' }, fallbackReviewers: [] }), TODAY)).toEqual([]);
  });

  test('the end of a one-time review is ignored, whatever it says', () => {
    expect(validateSettings(valid({}, { end: { kind: 'count', count: 0 } }), TODAY)).toEqual([]);
    expect(validateSettings(valid({}, { end: { kind: 'date', date: 'soon' } }), TODAY)).toEqual([]);
  });

  test('auto-apply on an ordinary group and block-then-delete on guests are fine', () => {
    expect(validateSettings(valid({ options: { ...DEFAULT_OPTIONS, autoApply: true, deniedGuests: 'blockThenDelete' } }), TODAY)).toEqual([]);
    expect(validateSettings(valid({ scope: { kind: 'allGroupsGuests' }, options: { ...DEFAULT_OPTIONS, autoApply: true, deniedGuests: 'blockThenDelete' } }),
      TODAY)).toEqual([]);
  });

  test('limits included: 1 and 730 inactive days, a 256-character name and description', () => {
    expect(validateSettings(valid({ scope: { kind: 'inactive', group: sales, inactiveDays: 1 } }), TODAY)).toEqual([]);
    expect(validateSettings(valid({ scope: { kind: 'inactive', group: sales, inactiveDays: 730 } }), TODAY)).toEqual([]);
    expect(validateSettings(valid({ name: 'n'.repeat(256), descriptionForReviewers: 'd'.repeat(256) }), TODAY)).toEqual([]);
  });
});

describe('validateSettings: each rule', () => {
  test.each([0, 731, 2.5, -1])('inactive for %s days → inactiveDays', (days) => {
    expectOne(valid({ scope: { kind: 'inactive', group: sales, inactiveDays: days } }), 'inactiveDays', /whole number of days from 1 to 730/);
  });

  test('no group chosen → group', () => {
    expectOne(valid({ scope: { kind: 'members', group: { id: '', displayName: '' } } }), 'group', /Choose the group/);
  });

  test.each(['02/03/2026', '', '2026-3-2'])('start date %p is not a date → startDate', (date) => {
    expectOne(valid({}, { startDate: date }), 'startDate', /YYYY-MM-DD/);
  });

  test('start date 2026-02-30 is written right but is no calendar day → startDate says so (issue 10, item 13)', () => {
    const problems = validateSettings(valid({}, { startDate: '2026-02-30' }), TODAY);
    expect(problems).toEqual([{ field: 'startDate', reason: 'The start date 2026-02-30 is not a real calendar date: February 2026 has 28 days.' }]);
  });

  test('an end date 2026-04-31 is no calendar day → end says so', () => {
    const problems = validateSettings(valid({}, { frequency: 'weekly', durationDays: 7, end: { kind: 'date', date: '2026-04-31' } }), TODAY);
    expect(problems).toEqual([{ field: 'end', reason: 'The end date 2026-04-31 is not a real calendar date: April 2026 has 30 days.' }]);
  });

  test('start date in the past → startDate, naming today', () => {
    expectOne(valid({}, { startDate: '2026-03-01' }), 'startDate', /in the past: choose today \(2026-03-02\) or a later date/);
  });

  test.each([0, -3, 1.5])('duration %s → durationDays', (days) => {
    expectOne(valid({}, { durationDays: days }), 'durationDays', /at least 1/);
  });

  test('one-time: up to 365 days', () => {
    expect(validateSettings(valid({}, { durationDays: 365 }), TODAY)).toEqual([]);
    expectOne(valid({}, { durationDays: 366 }), 'durationDays', /at most 365 days/);
  });

  test('weekly: up to 7 days', () => {
    expect(validateSettings(valid({}, { frequency: 'weekly', durationDays: 7 }), TODAY)).toEqual([]);
    expectOne(valid({}, { frequency: 'weekly', durationDays: 8 }), 'durationDays', /weekly review must end before the next one starts: at most 7 days \(not 8\)/);
  });

  test.each([
    ['monthly', '2026-03-02', 31], ['monthly', '2026-04-02', 30], ['monthly', '2027-02-02', 28], ['monthly', '2028-02-02', 29],
    ['monthly', '2027-01-31', 28], ['monthly', '2027-01-30', 29],
    ['quarterly', '2026-03-02', 92], ['quarterly', '2026-11-30', 90], ['semiannually', '2026-03-02', 184], ['annually', '2026-03-02', 365],
    ['annually', '2027-03-02', 366],
  ] as const)('%s from %s: up to %i days', (frequency, startDate, max) => {
    expect(maxDurationDays(frequency, startDate)).toBe(max);
    expect(validateSettings(valid({}, { frequency, startDate, durationDays: max }), TODAY)).toEqual([]);
    expectOne(valid({}, { frequency, startDate, durationDays: max + 1 }), 'durationDays', new RegExp(`starting ${startDate} .*at most ${max} days`));
  });

  test('an invalid start date of a monthly review is reported once, not again as a duration', () => {
    expect(validateSettings(valid({}, { frequency: 'monthly', startDate: 'tomorrow', durationDays: 20 }), TODAY).map((p) => p.field)).toEqual(['startDate']);
  });

  test.each(['2026-03-02', '2026-03-01'])('recurring, ending %s (not after the start) → end', (date) => {
    expectOne(valid({}, { frequency: 'monthly', durationDays: 7, end: { kind: 'date', date } }), 'end', /must be after the start date 2026-03-02/);
  });

  test('recurring, ending on a non-date → end', () => {
    expectOne(valid({}, { frequency: 'weekly', durationDays: 7, end: { kind: 'date', date: '2026-13-01' } }), 'end', /2026-13-01 is not a real calendar date: there is no month 13/);
  });

  test.each([0, -1, 2.5])('recurring, ending after %s runs → end', (count) => {
    expectOne(valid({}, { frequency: 'weekly', durationDays: 7, end: { kind: 'count', count } }), 'end', /number of runs must be a whole number, at least 1/);
  });

  test.each(['owners', 'managers'] as const)('%s without a fallback → fallbackReviewers', (kind) => {
    expectOne(valid({ reviewers: { kind }, fallbackReviewers: [] }), 'fallbackReviewers', /at least one fallback reviewer/);
  });

  test('named people, but nobody named → reviewers', () => {
    expectOne(valid({ reviewers: { kind: 'users', users: [] } }), 'reviewers', /at least one person/);
  });

  test.each(['', '   '])('name %p → name', (name) => {
    expectOne(valid({ name }), 'name', /Give the review a name/);
  });

  test('a 257-character name → name', () => {
    expectOne(valid({ name: 'n'.repeat(257) }), 'name', /at most 256 characters \(it has 257\)/);
  });

  test('a 257-character description for reviewers → descriptionForReviewers (mail cuts it)', () => {
    expectOne(valid({ descriptionForReviewers: 'd'.repeat(257) }), 'descriptionForReviewers', /at most 256 characters.*mail/);
  });

  test('auto-apply on a dynamic group → options', () => {
    expectOne(valid({ scope: { kind: 'members', group: allStaff }, options: { ...DEFAULT_OPTIONS, autoApply: true } }), 'options',
      /All Staff is a dynamic group/);
    expect(validateSettings(valid({ scope: { kind: 'members', group: allStaff } }), TODAY)).toEqual([]);
  });

  test('auto-apply on a role-assignable group → options', () => {
    expectOne(valid({ scope: { kind: 'guests', group: admins }, options: { ...DEFAULT_OPTIONS, autoApply: true } }), 'options', /role-assignable/);
  });

  test.each<ReviewScope>([{ kind: 'members', group: sales }, { kind: 'inactive', group: sales, inactiveDays: 30 }])(
    'block then delete on a review of $kind → options', (scope) => {
      expectOne(valid({ scope, options: { ...DEFAULT_OPTIONS, deniedGuests: 'blockThenDelete' } }), 'options', /only applies to reviews of guests/);
    });

  test('two reasons for one field make one problem with both', () => {
    const settings = valid({ scope: { kind: 'members', group: allStaff }, options: { ...DEFAULT_OPTIONS, autoApply: true, deniedGuests: 'blockThenDelete' } });
    const problems = validateSettings(settings, TODAY);
    expect(problems).toHaveLength(1);
    expect(problems[0]?.reason).toMatch(/dynamic group.*only applies to reviews of guests/);
  });

  test('every wrong field at once: one problem each', () => {
    const settings = valid({
      scope: { kind: 'inactive', group: sales, inactiveDays: 0 }, reviewers: { kind: 'managers' }, fallbackReviewers: [], name: '',
      descriptionForReviewers: 'x'.repeat(300), options: { ...DEFAULT_OPTIONS, deniedGuests: 'blockThenDelete' },
    }, { frequency: 'weekly', startDate: '2026-01-01', durationDays: 9, end: { kind: 'count', count: 0 } });
    expect(validateSettings(settings, TODAY).map((p) => p.field).sort()).toEqual(
      ['descriptionForReviewers', 'durationDays', 'end', 'fallbackReviewers', 'inactiveDays', 'name', 'options', 'startDate']);
  });
});
