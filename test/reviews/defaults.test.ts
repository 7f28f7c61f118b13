import fc from 'fast-check';
import {
  addDays, addMonths, completeSettings, daysBetween, defaultDescriptions, generateName,
} from '../../reviews/defaults';
import { isIsoDate } from '../../reviews/vocabulary';
import { DEFAULT_OPTIONS, type Frequency, type ReviewScope } from '../../reviews/settings';
import { validateSettings } from '../../reviews/validateSettings';

/** Defaults of the wizard and quick create (product spec): names, descriptions, completed drafts, and the date helpers. */

const TODAY = '2026-03-02';
const adele = { id: 'aaaaaaaa-0000-4000-8000-000000000001', displayName: 'Adele Vance' };
const megan = { id: 'aaaaaaaa-0000-4000-8000-000000000003', displayName: 'Megan Bowen' };
const sales = { id: 'bbbbbbbb-0000-4000-8000-000000000001', displayName: 'Sales Team' };
const finance = { id: 'bbbbbbbb-0000-4000-8000-000000000002', displayName: 'Finance Apps' };

const SCOPES: ReviewScope[] = [
  { kind: 'members', group: sales }, { kind: 'guests', group: sales }, { kind: 'inactive', group: finance, inactiveDays: 90 }, { kind: 'allGroupsGuests' },
];

describe('generateName', () => {
  test.each<[string, ReviewScope, Frequency]>([
    ['Sales Team guests – quarterly review', { kind: 'guests', group: sales }, 'quarterly'],
    ['Guests in all Microsoft 365 groups – one-time review', { kind: 'allGroupsGuests' }, 'once'],
    ['Finance Apps inactive members (90 days) – monthly review', { kind: 'inactive', group: finance, inactiveDays: 90 }, 'monthly'],
    ['Finance Apps members – weekly review', { kind: 'members', group: finance }, 'weekly'],
    ['Finance Apps members – semi-annual review', { kind: 'members', group: finance }, 'semiannually'],
    ['Sales Team guests – annual review', { kind: 'guests', group: sales }, 'annually'],
  ])('%s', (name, scope, frequency) => {
    expect(generateName(scope, frequency)).toBe(name);
  });

  test('a 256-character group name is cut so the review name stays within 256 characters', () => {
    const name = generateName({ kind: 'inactive', group: { id: sales.id, displayName: 'G'.repeat(256) }, inactiveDays: 730 }, 'semiannually');
    expect(name).toHaveLength(256);
    expect(name).toMatch(/^G+… inactive members \(730 days\) – semi-annual review$/);
  });
});

describe('defaultDescriptions', () => {
  test.each(SCOPES)('$kind: both descriptions, the reviewers one within 256 characters', (scope) => {
    const { descriptionForReviewers, descriptionForAdmins } = defaultDescriptions(scope);
    expect(descriptionForReviewers.length).toBeGreaterThan(20);
    expect(descriptionForReviewers.length).toBeLessThanOrEqual(256);
    expect(descriptionForAdmins).toMatch(/Teams/);
    if (scope.kind !== 'allGroupsGuests') {
      expect(descriptionForReviewers).toContain(scope.group.displayName);
      expect(descriptionForAdmins).toContain(scope.group.id);
    }
  });

  test('inactive: says for how long', () => {
    expect(defaultDescriptions(SCOPES[2] ?? { kind: 'allGroupsGuests' }).descriptionForReviewers).toContain('90 days');
  });

  test('any group name keeps the reviewers description within 256 characters', () => {
    fc.assert(fc.property(fc.string({ maxLength: 256 }), fc.constantFrom('members', 'guests', 'inactive'), (displayName, kind) => {
      const group = { id: sales.id, displayName };
      const scope: ReviewScope = kind === 'inactive' ? { kind, group, inactiveDays: 730 } : { kind, group };
      expect(defaultDescriptions(scope).descriptionForReviewers.length).toBeLessThanOrEqual(256);
      expect(generateName(scope, 'semiannually').length).toBeLessThanOrEqual(256);
    }));
  });
});

describe('completeSettings', () => {
  test('a bare scope gets the product defaults', () => {
    const settings = completeSettings({ scope: { kind: 'guests', group: sales } }, adele, TODAY);
    expect(settings).toEqual({
      scope: { kind: 'guests', group: sales },
      reviewers: { kind: 'owners' },
      fallbackReviewers: [adele],
      schedule: { frequency: 'once', startDate: TODAY, durationDays: 14, end: { kind: 'never' } },
      options: DEFAULT_OPTIONS,
      name: 'Sales Team guests – one-time review',
      ...defaultDescriptions({ kind: 'guests', group: sales }),
    });
    expect(validateSettings(settings, TODAY)).toEqual([]);
  });

  test.each(SCOPES)('$kind: defaults are valid settings', (scope) => {
    expect(validateSettings(completeSettings({ scope }, adele, TODAY), TODAY)).toEqual([]);
  });

  test('managers: the requester is the fallback; named people and self-review get none', () => {
    const scope: ReviewScope = { kind: 'members', group: sales };
    expect(completeSettings({ scope, reviewers: { kind: 'managers' } }, adele, TODAY).fallbackReviewers).toEqual([adele]);
    expect(completeSettings({ scope, reviewers: { kind: 'users', users: [megan] } }, adele, TODAY).fallbackReviewers).toEqual([]);
    expect(completeSettings({ scope, reviewers: { kind: 'self' } }, adele, TODAY).fallbackReviewers).toEqual([]);
  });

  test('a chosen fallback is kept; an empty one is replaced by the requester for owners', () => {
    const scope: ReviewScope = { kind: 'members', group: sales };
    expect(completeSettings({ scope, fallbackReviewers: [megan] }, adele, TODAY).fallbackReviewers).toEqual([megan]);
    expect(completeSettings({ scope, fallbackReviewers: [] }, adele, TODAY).fallbackReviewers).toEqual([adele]);
  });

  test('the draft wins over the defaults, field by field; the name follows the chosen frequency', () => {
    const settings = completeSettings({
      scope: { kind: 'allGroupsGuests' },
      schedule: { frequency: 'quarterly', durationDays: 21, startDate: undefined },
      options: { autoApply: true, defaultDecision: 'recommendation', reminders: undefined },
      descriptionForReviewers: 'Mine.',
    }, adele, TODAY);
    expect(settings.schedule).toEqual({ frequency: 'quarterly', startDate: TODAY, durationDays: 21, end: { kind: 'never' } });
    expect(settings.options).toEqual({ ...DEFAULT_OPTIONS, autoApply: true, defaultDecision: 'recommendation' });
    expect(settings.name).toBe('Guests in all Microsoft 365 groups – quarterly review');
    expect(settings.descriptionForReviewers).toBe('Mine.');
  });

  test('a chosen name is kept as it is', () => {
    expect(completeSettings({ scope: { kind: 'allGroupsGuests' }, name: 'Q1 guests' }, adele, TODAY).name).toBe('Q1 guests');
  });
});

describe('calendar dates', () => {
  test.each([['2026-03-02', 14, '2026-03-16'], ['2026-12-25', 7, '2027-01-01'], ['2028-02-28', 1, '2028-02-29'], ['2026-03-29', 0, '2026-03-29']] as const)(
    'addDays(%s, %i) = %s', (date, n, expected) => {
      expect(addDays(date, n)).toBe(expected);
    });

  test.each([['2027-01-31', 1, '2027-02-28'], ['2028-01-31', 1, '2028-02-29'], ['2026-11-30', 3, '2027-02-28'], ['2026-03-02', 12, '2027-03-02']] as const)(
    'addMonths(%s, %i) = %s (clamped to the last day)', (date, n, expected) => {
      expect(addMonths(date, n)).toBe(expected);
    });

  test('daysBetween', () => {
    expect(daysBetween('2026-03-02', '2026-04-02')).toBe(31);
    expect(daysBetween('2026-03-29', '2026-03-30')).toBe(1);
    expect(daysBetween('2026-03-02', '2026-03-01')).toBe(-1);
  });

  test.each([['2026-03-02', true], ['2028-02-29', true], ['2027-02-29', false], ['2026-13-01', false], ['2026-3-2', false], ['', false],
    ['2026-03-02T00:00:00Z', false]] as const)('isIsoDate(%p) = %p (reviews/vocabulary)', (text, expected) => {
    expect(isIsoDate(text)).toBe(expected);
  });
});
