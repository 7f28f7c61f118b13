import fc from 'fast-check';
import { EmulatorCore } from '../../dev/graph/emulator';
import type { Actor } from '../../dev/graph/store/decisionStore';
import { ALL, TRUE_SQL } from '../../dev/graph/store/paging';
import { DEMO_TENANT, GROUP, USER } from '../../dev/tenant/tenant';
import { toDefinition, type DefinitionBody } from '../../reviews/definition';
import {
  DEFAULT_OPTIONS, type Frequency, type RecurrenceEnd, type ReviewerChoice, type ReviewOptions, type ReviewScope, type ReviewSettings,
} from '../../reviews/settings';
import { maxDurationDays, validateSettings } from '../../reviews/validateSettings';

/**
 * toDefinition against the reference's recipes (graph-access-reviews.md §2.2, §2.3, §3; traps 17–22, 24): every scope ×
 * reviewer kind × frequency gives the documented body fragments, and the Graph emulator (which validates like Graph)
 * accepts every one of them. Expected strings are written out here, not imported from the module under test.
 */

/** 2026-12-01 09:00 UTC: the emulator's clock; reviews start a week later. */
const NOW = new Date(Date.UTC(2026, 11, 1, 9, 0));
const TODAY = '2026-12-01';
const START = '2026-12-07';
const ADELE: Actor = { id: USER.adele, displayName: 'Adele Vance', userPrincipalName: 'adele@contoso.local' };
const adele = { id: USER.adele, displayName: 'Adele Vance' };
const megan = { id: USER.megan, displayName: 'Megan Bowen' };
const lee = { id: USER.lee, displayName: 'Lee Gu' };

/** The day `n` days after NOW, `YYYY-MM-DD` (negative: before). */
const dayAfterNow = (n: number): string => new Date(NOW.getTime() + n * 86_400_000).toISOString().slice(0, 10);

const QUERY_SCOPE = '#microsoft.graph.accessReviewQueryScope';
const Q = 'MicrosoftGraph';
const usersOf = (id: string): string => `/groups/${id}/transitiveMembers/microsoft.graph.user`;

const SCOPES: Array<[string, ReviewScope, { scope: object; instanceEnumerationScope: object }]> = [
  ['members', { kind: 'members', group: { id: GROUP.financeApps, displayName: 'Finance Apps' } }, {
    scope: { '@odata.type': QUERY_SCOPE, query: usersOf(GROUP.financeApps), queryType: Q },
    instanceEnumerationScope: { '@odata.type': QUERY_SCOPE, query: `/groups/${GROUP.financeApps}`, queryType: Q },
  }],
  ['guests', { kind: 'guests', group: { id: GROUP.salesTeam, displayName: 'Sales Team', isMicrosoft365: true } }, {
    scope: { '@odata.type': QUERY_SCOPE, query: `${usersOf(GROUP.salesTeam)}/?$filter=(userType eq 'Guest')`, queryType: Q },
    instanceEnumerationScope: { '@odata.type': QUERY_SCOPE, query: `/groups/${GROUP.salesTeam}`, queryType: Q },
  }],
  ['inactive', { kind: 'inactive', group: { id: GROUP.projectFalcon, displayName: 'Project Falcon' }, inactiveDays: 90 }, {
    scope: {
      '@odata.type': '#microsoft.graph.accessReviewInactiveUsersQueryScope', query: usersOf(GROUP.projectFalcon), queryType: Q,
      inactiveDuration: 'P90D',
    },
    instanceEnumerationScope: { '@odata.type': QUERY_SCOPE, query: `/groups/${GROUP.projectFalcon}`, queryType: Q },
  }],
  ['allGroupsGuests', { kind: 'allGroupsGuests' }, {
    scope: { '@odata.type': QUERY_SCOPE, query: "./members/microsoft.graph.user/?$filter=(userType eq 'Guest')", queryType: Q },
    instanceEnumerationScope: { '@odata.type': QUERY_SCOPE, query: "/groups?$filter=(groupTypes/any(c:c eq 'Unified'))", queryType: Q },
  }],
];

const REVIEWERS: Array<[string, ReviewerChoice]> = [
  ['owners', { kind: 'owners' }],
  ['managers', { kind: 'managers' }],
  ['users', { kind: 'users', users: [megan, lee] }],
  ['self', { kind: 'self' }],
];

/** The reviewers recipe (§3.6) for a reviewer kind on a scope. */
function expectedReviewers(kind: string, scope: ReviewScope): object[] {
  if (kind === 'owners') {
    return scope.kind === 'allGroupsGuests'
      ? [{ query: './owners', queryType: Q, queryRoot: null }]
      : [{ query: `/groups/${scope.group.id}/owners`, queryType: Q }];
  }
  if (kind === 'managers') return [{ query: './manager', queryType: Q, queryRoot: 'decisions' }];
  if (kind === 'users') return [{ query: `/users/${USER.megan}`, queryType: Q }, { query: `/users/${USER.lee}`, queryType: Q }];
  return [];
}

const noEnd = { type: 'noEnd', startDate: START };
const monthly = (interval: number): object => ({ type: 'absoluteMonthly', interval, dayOfMonth: 7 });
const FREQUENCIES: Array<[Frequency, RecurrenceEnd, object]> = [
  ['once', { kind: 'never' }, { pattern: null, range: { type: 'numbered', numberOfOccurrences: 0, startDate: START, endDate: '2026-12-14' } }],
  ['weekly', { kind: 'never' }, { pattern: { type: 'weekly', interval: 1 }, range: noEnd }],
  ['monthly', { kind: 'never' }, { pattern: monthly(1), range: noEnd }],
  ['quarterly', { kind: 'never' }, { pattern: monthly(3), range: noEnd }],
  ['semiannually', { kind: 'never' }, { pattern: monthly(6), range: noEnd }],
  ['annually', { kind: 'never' }, { pattern: monthly(12), range: noEnd }],
];
const END_VARIANTS: Array<[Frequency, RecurrenceEnd, object]> = [
  ['monthly', { kind: 'date', date: '2027-06-30' }, { pattern: monthly(1), range: { type: 'endDate', startDate: START, endDate: '2027-06-30' } }],
  ['monthly', { kind: 'count', count: 4 }, { pattern: monthly(1), range: { type: 'numbered', numberOfOccurrences: 4, startDate: START } }],
];

function settingsOf(scope: ReviewScope, reviewers: ReviewerChoice, frequency: Frequency, end: RecurrenceEnd,
  options: Partial<ReviewOptions> = {}): ReviewSettings {
  const needsFallback = reviewers.kind === 'owners' || reviewers.kind === 'managers';
  return {
    scope, reviewers, fallbackReviewers: needsFallback ? [adele] : [],
    schedule: { frequency, startDate: START, durationDays: 7, end },
    options: { ...DEFAULT_OPTIONS, ...options },
    name: `Test ${scope.kind} ${reviewers.kind} ${frequency} ${end.kind}`,
    descriptionForReviewers: 'Please review.', descriptionForAdmins: 'Test review.',
  };
}

const CASES = SCOPES.flatMap(([scopeName, scope, scopeBody]) => REVIEWERS.flatMap(([reviewerName, reviewers]) =>
  [...FREQUENCIES, ...(scopeName === 'guests' && reviewerName === 'owners' ? END_VARIANTS : [])].map(([frequency, end, recurrence]) => ({
    title: `${scopeName} × ${reviewerName} × ${frequency} (end ${end.kind})`,
    settings: settingsOf(scope, reviewers, frequency, end),
    expected: { ...scopeBody, reviewers: expectedReviewers(reviewerName, scope), recurrence },
  }))));

let core: EmulatorCore;
beforeAll(() => {
  core = new EmulatorCore({ dbFile: ':memory:', tenant: DEMO_TENANT, realNow: () => NOW.getTime() });
  core.reset();
});
afterAll(() => core.close());

describe('toDefinition: every scope × reviewer kind × recurrence', () => {
  test('the table covers 4 scopes × 4 reviewer kinds × 6 frequencies, plus 2 end variants', () => {
    expect(CASES).toHaveLength(4 * 4 * 6 + 2);
  });

  test.each(CASES)('$title: the reference recipe', ({ settings, expected }) => {
    const body = toDefinition(settings);
    expect(body.scope).toStrictEqual(expected.scope);
    expect(body.instanceEnumerationScope).toStrictEqual(expected.instanceEnumerationScope);
    expect(body.reviewers).toStrictEqual(expected.reviewers);
    expect(body.fallbackReviewers).toStrictEqual(settings.fallbackReviewers.map((u) => ({ query: `/users/${u.id}`, queryType: Q })));
    expect(body.settings.recurrence).toStrictEqual(expected.recurrence);
    expect(body.settings.instanceDurationInDays).toBe(7);
    expect(validateSettings(settings, TODAY)).toEqual([]);
  });

  test.each(CASES)('$title: the Graph emulator accepts it (201)', ({ settings }) => {
    const body: DefinitionBody = toDefinition(settings);
    const row = core.service.create(JSON.parse(JSON.stringify(body)), ADELE, NOW);
    expect(row.status).toBe('NotStarted');
    expect(row.next_run_at).toBe(`${START}T00:00:00.000Z`);
  });

  test('on the start date the emulator starts every one of them, with at least one instance', () => {
    // A core of its own: this test does not depend on the ones above having run.
    const fresh = new EmulatorCore({ dbFile: ':memory:', tenant: DEMO_TENANT, realNow: () => NOW.getTime() });
    try {
      fresh.reset();
      const rows = CASES.map(({ title, settings }) => ({ title, row: fresh.service.create(toDefinition(settings), ADELE, NOW) }));
      fresh.lifecycle.runUntil(new Date(Date.UTC(2026, 11, 7, 12)));
      const notStarted = rows
        .map(({ title, row }) => ({
          title, status: fresh.reviews.definition(row.id)?.status, instances: fresh.reviews.instances(row.id, TRUE_SQL, ALL).items.length,
        }))
        .filter((d) => d.status !== 'InProgress' || d.instances === 0);
      expect(notStarted).toEqual([]);
    } finally {
      fresh.close();
    }
  });
});

describe('toDefinition: names, descriptions and options', () => {
  const guests = SCOPES[1]?.[1] ?? { kind: 'allGroupsGuests' };
  const members = SCOPES[0]?.[1] ?? { kind: 'allGroupsGuests' };

  test('names and descriptions are passed as they are', () => {
    const body = toDefinition(settingsOf(guests, { kind: 'owners' }, 'once', { kind: 'never' }));
    expect(body).toMatchObject({
      displayName: 'Test guests owners once never', descriptionForReviewers: 'Please review.', descriptionForAdmins: 'Test review.',
    });
  });

  test('the defaults map to the settings of reference body (a), without defaultDecision', () => {
    const { recurrence: _recurrence, ...settings } = toDefinition(settingsOf(members, { kind: 'owners' }, 'once', { kind: 'never' })).settings;
    expect(settings).toStrictEqual({
      mailNotificationsEnabled: true, reminderNotificationsEnabled: true, justificationRequiredOnApproval: true,
      defaultDecisionEnabled: false, autoApplyDecisionsEnabled: false, recommendationsEnabled: true, instanceDurationInDays: 7,
      applyActions: [{ '@odata.type': '#microsoft.graph.removeAccessApplyAction' }],
    });
  });

  test('every option turned the other way', () => {
    const options: Partial<ReviewOptions> = {
      justificationRequired: false, showRecommendations: false, defaultDecision: 'approve', autoApply: true, mailNotifications: false, reminders: false,
    };
    expect(toDefinition(settingsOf(guests, { kind: 'owners' }, 'once', { kind: 'never' }, options)).settings).toMatchObject({
      mailNotificationsEnabled: false, reminderNotificationsEnabled: false, justificationRequiredOnApproval: false,
      defaultDecisionEnabled: true, defaultDecision: 'Approve', autoApplyDecisionsEnabled: true, recommendationsEnabled: false,
    });
  });

  test.each<[ReviewOptions['defaultDecision'], string | undefined]>([
    ['none', undefined], ['approve', 'Approve'], ['deny', 'Deny'], ['recommendation', 'Recommendation'],
  ])('if no response: %s → defaultDecision %s', (decision, expected) => {
    const settings = toDefinition(settingsOf(guests, { kind: 'owners' }, 'once', { kind: 'never' }, { defaultDecision: decision })).settings;
    expect(settings.defaultDecisionEnabled).toBe(expected !== undefined);
    expect('defaultDecision' in settings).toBe(expected !== undefined);
    expect(settings.defaultDecision).toBe(expected);
  });

  test.each(SCOPES)('%s: denied guests "block then delete" → the apply action (guest scopes only)', (name, scope) => {
    const settings = settingsOf(scope, { kind: 'owners' }, 'once', { kind: 'never' }, { deniedGuests: 'blockThenDelete', autoApply: true });
    const expected = name === 'guests' || name === 'allGroupsGuests'
      ? '#microsoft.graph.disableAndDeleteUserApplyAction' : '#microsoft.graph.removeAccessApplyAction';
    const body = toDefinition(settings);
    expect(body.settings.applyActions).toStrictEqual([{ '@odata.type': expected }]);
    // Not valid settings for member scopes (validateSettings says so), but the body stays one Graph accepts.
    expect(() => core.service.create(JSON.parse(JSON.stringify(body)), ADELE, NOW)).not.toThrow();
  });

  test('the last day of a month starts a one-time review ending in the next month', () => {
    const base = settingsOf(members, { kind: 'self' }, 'once', { kind: 'never' });
    const settings = { ...base, schedule: { ...base.schedule, startDate: '2027-01-31', durationDays: 30 } };
    expect(toDefinition(settings).settings.recurrence.range)
      .toStrictEqual({ type: 'numbered', numberOfOccurrences: 0, startDate: '2027-01-31', endDate: '2027-03-02' });
  });
});

describe('validateSettings and the emulator agree on schedules', () => {
  const scope = SCOPES[1]?.[1] ?? { kind: 'allGroupsGuests' };
  const recurring = fc.constantFrom<Frequency>('weekly', 'monthly', 'quarterly', 'semiannually', 'annually');
  const startDate = fc.integer({ min: 0, max: 800 }).map(dayAfterNow);

  test('the longest run validateSettings allows is the longest the emulator accepts', () => {
    fc.assert(fc.property(recurring, startDate, (frequency, start) => {
      const max = maxDurationDays(frequency, start);
      const at = (durationDays: number): ReviewSettings => {
        const base = settingsOf(scope, { kind: 'owners' }, frequency, { kind: 'never' });
        return { ...base, schedule: { ...base.schedule, startDate: start, durationDays } };
      };
      expect(validateSettings(at(max), TODAY)).toEqual([]);
      expect(() => core.service.create(toDefinition(at(max)), ADELE, NOW)).not.toThrow();
      expect(validateSettings(at(max + 1), TODAY).map((p) => p.field)).toEqual(['durationDays']);
      expect(() => core.service.create(toDefinition(at(max + 1)), ADELE, NOW)).toThrow(/instanceDurationInDays/);
    }), { numRuns: 60 });
  });

  test('any settings validateSettings finds nothing wrong with, the emulator accepts', () => {
    const end = fc.oneof(
      fc.constant<RecurrenceEnd>({ kind: 'never' }),
      fc.integer({ min: -2, max: 400 }).map((n): RecurrenceEnd => ({ kind: 'date', date: dayAfterNow(n + 6) })),
      fc.integer({ min: 0, max: 12 }).map((count): RecurrenceEnd => ({ kind: 'count', count })),
    );
    const options = fc.record<ReviewOptions>({
      justificationRequired: fc.boolean(), showRecommendations: fc.boolean(),
      defaultDecision: fc.constantFrom('none', 'approve', 'deny', 'recommendation'), autoApply: fc.boolean(),
      deniedGuests: fc.constantFrom('remove', 'blockThenDelete'), mailNotifications: fc.boolean(), reminders: fc.boolean(),
    });
    const settings = fc.record({
      scope: fc.constantFrom(...SCOPES.map(([, scope]) => scope)), reviewers: fc.constantFrom(...REVIEWERS.map(([, r]) => r)),
      frequency: fc.constantFrom<Frequency>('once', 'weekly', 'monthly', 'quarterly', 'semiannually', 'annually'),
      start: fc.integer({ min: -3, max: 400 }).map(dayAfterNow),
      duration: fc.integer({ min: 0, max: 400 }), end, options, name: fc.string({ maxLength: 300 }), withFallback: fc.boolean(),
    }).map((a): ReviewSettings => {
      const base = settingsOf(a.scope, a.reviewers, a.frequency, a.end, a.options);
      const schedule = { ...base.schedule, startDate: a.start, durationDays: a.duration };
      return { ...base, name: a.name, fallbackReviewers: a.withFallback ? [adele] : [], schedule };
    });
    let accepted = 0;
    fc.assert(fc.property(settings, (candidate) => {
      if (validateSettings(candidate, TODAY).length > 0) return;
      accepted += 1;
      expect(() => core.service.create(toDefinition(candidate), ADELE, NOW)).not.toThrow();
    }), { numRuns: 400 });
    expect(accepted).toBeGreaterThan(20);
  });
});
