import { graph400 } from '../../support/graphError';
import type { ReviewerSpec, ScopeSpec } from '../../../dev/graph/reviews/queries';
import type { StoredRecurrence } from '../../../dev/graph/reviews/schedule';
import { checkUpdate, validateDefinition, type DirectoryLookup, type ValidDefinition } from '../../../dev/graph/reviews/validate';

type Json = Record<string, unknown>;

const G = 'bbbbbbbb-0000-4000-8000-00000000000a';
const G2 = 'bbbbbbbb-0000-4000-8000-00000000000b';
const U = 'aaaaaaaa-0000-4000-8000-000000000001';
const U2 = 'aaaaaaaa-0000-4000-8000-000000000002';
const NOBODY = 'dddddddd-0000-4000-8000-000000000000';
const QUERY_SCOPE = '#microsoft.graph.accessReviewQueryScope';
const INACTIVE_SCOPE = '#microsoft.graph.accessReviewInactiveUsersQueryScope';
const UNIFIED = "/groups?$filter=(groupTypes/any(c:c eq 'Unified'))";
const TODAY = '2026-12-01';

const groups = new Set([G, G2]);
const users = new Set([U, U2]);
const directory: DirectoryLookup = { groupExists: (id) => groups.has(id), userExists: (id) => users.has(id) };
const create = { today: TODAY, mode: 'create' as const };

const q = (query: string, extra: Json = {}): Json => ({ '@odata.type': QUERY_SCOPE, query, queryType: 'MicrosoftGraph', ...extra });
const reviewer = (query: string, queryRoot?: string): Json => ({ query, queryType: 'MicrosoftGraph', ...(queryRoot ? { queryRoot } : {}) });

interface ScopeCase { name: string; scope: Json; enumeration?: Json; spec: ScopeSpec }
const SCOPES: ScopeCase[] = [
  { name: 'members of one group (tutorial, with instanceEnumerationScope)', scope: q(`/groups/${G}/transitiveMembers`), enumeration: q(`/groups/${G}`),
    spec: { kind: 'group', groupId: G, guestsOnly: false, inactiveDays: undefined } },
  { name: 'direct members, echoed with /v1.0', scope: q(`/v1.0/groups/${G.toUpperCase()}/members`),
    spec: { kind: 'group', groupId: G, guestsOnly: false, inactiveDays: undefined } },
  { name: 'guests of one group', scope: q(`/groups/${G}/transitiveMembers/microsoft.graph.user/?$filter=(userType eq 'Guest')`),
    spec: { kind: 'group', groupId: G, guestsOnly: true, inactiveDays: undefined } },
  { name: 'guests in all Microsoft 365 groups', scope: q("./members/microsoft.graph.user/?$filter=(userType eq 'Guest')"), enumeration: q(UNIFIED),
    spec: { kind: 'allGroups', teamsOnly: false, guestsOnly: true, inactiveDays: undefined } },
  { name: 'all M365 groups, doc variant with + and $count', scope: q("./members/microsoft.graph.user/?$count=true&$filter=(userType eq 'Guest')"),
    enumeration: q("/groups?$filter=(groupTypes/any(c:c+eq+'Unified'))&$count=true"),
    spec: { kind: 'allGroups', teamsOnly: false, guestsOnly: true, inactiveDays: undefined } },
  { name: 'all users in all teams', scope: q('./members/microsoft.graph.user'),
    enumeration: q("/groups?$filter=(groupTypes/any(c:c eq 'Unified') and resourceProvisioningOptions/Any(x:x eq 'Team'))"),
    spec: { kind: 'allGroups', teamsOnly: true, guestsOnly: false, inactiveDays: undefined } },
  { name: 'inactive users of one group', scope: { ...q(`/groups/${G}/transitiveMembers/microsoft.graph.user`), '@odata.type': INACTIVE_SCOPE, inactiveDuration: 'P30D' },
    spec: { kind: 'group', groupId: G, guestsOnly: false, inactiveDays: 30 } },
];

interface ReviewerCase { name: string; reviewers: Json[]; specs: ReviewerSpec[]; needsEnumeration?: boolean }
const REVIEWERS: ReviewerCase[] = [
  { name: 'group owners', reviewers: [reviewer(`/groups/${G2}/owners`)], specs: [{ kind: 'groupOwners', groupId: G2 }] },
  { name: './owners', reviewers: [reviewer('./owners')], specs: [{ kind: 'enumeratedGroupOwners' }], needsEnumeration: true },
  { name: './manager', reviewers: [reviewer('./manager', 'decisions')], specs: [{ kind: 'managers' }] },
  { name: 'specific users', reviewers: [reviewer(`/users/${U}`), reviewer(`/v1.0/users/${U2}`)], specs: [{ kind: 'user', userId: U }, { kind: 'user', userId: U2 }] },
  { name: 'self-review', reviewers: [], specs: [] },
];

const patterned = (type: string, interval: number, dayOfMonth: number, daysOfWeek: unknown): StoredRecurrence['pattern'] =>
  ({ type, interval, month: 0, dayOfMonth, daysOfWeek, firstDayOfWeek: 'sunday', index: 'first' } as StoredRecurrence['pattern']);
/** noEnd is echoed as sent, filled in (accessreviewset-post-definitions, example 1 response). */
const noEnd = (startDate: string): StoredRecurrence['range'] =>
  ({ type: 'noEnd', numberOfOccurrences: 0, recurrenceTimeZone: null, startDate, endDate: null });

interface RecurrenceCase { name: string; duration: number; recurrence: Json; stored: StoredRecurrence }
const RECURRENCES: RecurrenceCase[] = [
  { name: 'one-time', duration: 14,
    recurrence: { pattern: null, range: { type: 'numbered', numberOfOccurrences: 0, startDate: '2027-03-02T12:02:30.667Z', endDate: '2027-03-16' } },
    stored: { pattern: null, range: { type: 'numbered', numberOfOccurrences: 0, recurrenceTimeZone: null, startDate: '2027-03-02', endDate: '2027-03-16' } } },
  { name: 'weekly', duration: 7, recurrence: { pattern: { type: 'weekly', interval: 1 }, range: { type: 'noEnd', startDate: '2027-03-01' } },
    stored: { pattern: patterned('weekly', 1, 0, expect.any(Array)), range: noEnd('2027-03-01') } },
  { name: 'monthly', duration: 7, recurrence: { pattern: { type: 'absoluteMonthly', interval: 1, dayOfMonth: 2 }, range: { type: 'noEnd', startDate: '2027-03-02' } },
    stored: { pattern: patterned('absoluteMonthly', 1, 2, []), range: noEnd('2027-03-02') } },
  { name: 'quarterly (until an end date)', duration: 21,
    recurrence: { pattern: { type: 'absoluteMonthly', interval: 3 }, range: { type: 'endDate', startDate: '2027-01-15T08:00:00Z', endDate: '2027-12-31' } },
    stored: { pattern: patterned('absoluteMonthly', 3, 15, []),
      range: { type: 'endDate', numberOfOccurrences: 0, recurrenceTimeZone: null, startDate: '2027-01-15', endDate: '2027-12-31' } } },
  { name: 'semi-annual (4 occurrences)', duration: 30,
    recurrence: { pattern: { type: 'absoluteMonthly', interval: 6 }, range: { type: 'numbered', numberOfOccurrences: 4, startDate: '2027-02-01' } },
    stored: { pattern: patterned('absoluteMonthly', 6, 1, []),
      range: { type: 'numbered', numberOfOccurrences: 4, recurrenceTimeZone: null, startDate: '2027-02-01', endDate: null } } },
  { name: 'annual', duration: 28, recurrence: { pattern: { type: 'absoluteMonthly', interval: 12 }, range: { type: 'noEnd', startDate: '2027-01-31' } },
    stored: { pattern: patterned('absoluteMonthly', 12, 31, []), range: noEnd('2027-01-31') } },
];

function body(scope: ScopeCase, reviewers: Json[], recurrence: Json, duration: number, settings: Json = {}): Json {
  return {
    displayName: 'Review', descriptionForAdmins: 'For admins', descriptionForReviewers: 'For reviewers',
    scope: scope.scope, ...(scope.enumeration ? { instanceEnumerationScope: scope.enumeration } : {}),
    reviewers, fallbackReviewers: [reviewer(`/users/${U}`)],
    settings: { mailNotificationsEnabled: true, instanceDurationInDays: duration, recurrence, ...settings },
  };
}

const valid = SCOPES.flatMap((scope) => REVIEWERS.filter((r) => !r.needsEnumeration || scope.enumeration !== undefined)
  .flatMap((rev) => RECURRENCES.map((rec) => ({ title: `${scope.name} × ${rev.name} × ${rec.name}`, scope, rev, rec }))));

describe('validateDefinition: valid bodies', () => {
  test.each(valid)('$title', ({ scope, rev, rec }) => {
    const result = validateDefinition(body(scope, rev.reviewers, rec.recurrence, rec.duration), directory, create);
    expect(result.scope).toEqual(scope.spec);
    expect(result.reviewers).toEqual(rev.specs);
    expect(result.fallbackReviewers).toEqual([{ kind: 'user', userId: U }]);
    expect(result.body.settings.recurrence).toEqual(rec.stored);
    expect(result.body.settings.instanceDurationInDays).toBe(rec.duration);
  });

  test('echoes Graph defaults for omitted settings and the scope @odata.type', () => {
    const scope: ScopeCase = { ...SCOPES[2], scope: { query: `/groups/${G}/members`, queryType: 'MicrosoftGraph' } };
    const result = validateDefinition(body(scope, [], RECURRENCES[0].recurrence, 14), directory, create);
    expect(result.body.scope['@odata.type']).toBe(QUERY_SCOPE);
    expect(result.body.instanceEnumerationScope).toBeNull();
    expect(result.body.backupReviewers).toEqual(result.body.fallbackReviewers);
    expect(result.body.settings).toMatchObject({
      mailNotificationsEnabled: true, reminderNotificationsEnabled: false, justificationRequiredOnApproval: false,
      defaultDecisionEnabled: false, defaultDecision: 'None', autoApplyDecisionsEnabled: false, recommendationsEnabled: false,
      recommendationLookBackDuration: null, applyActions: [],
    });
  });

  test('a weekly pattern echoes daysOfWeek with its default [] (Graph ignores it; the weekday comes from startDate)', () => {
    const weekly = RECURRENCES[1];
    const result = validateDefinition(body(SCOPES[0], [], weekly.recurrence, 7), directory, create);
    expect(result.body.settings.recurrence.pattern?.daysOfWeek).toEqual([]);
  });

  test('a one-time review without an end date ends instanceDurationInDays after its start', () => {
    const recurrence = { pattern: null, range: { type: 'numbered', numberOfOccurrences: 0, startDate: '2027-03-02' } };
    expect(validateDefinition(body(SCOPES[0], [], recurrence, 10), directory, create).body.settings.recurrence.range.endDate).toBe('2027-03-12');
  });
});

/** A baseline valid body (guests of G, owners of G, monthly) that each invalid case breaks in one place. */
const base = (): Json => body(SCOPES[2], [reviewer(`/groups/${G}/owners`)], RECURRENCES[2].recurrence, 7);
const settingsOf = (b: Json): Json => b.settings as Json;
const recurrenceOf = (b: Json): Json => settingsOf(b).recurrence as Json;
const rangeOf = (b: Json): Json => recurrenceOf(b).range as Json;
const edit = (change: (b: Json) => void): Json => {
  const b = structuredClone(base());
  change(b);
  return b;
};


describe('validateDefinition: invalid bodies → Graph 400 naming the field', () => {
  const invalid: Array<[string, Json, string]> = [
    ['missing displayName', edit((b) => delete b.displayName), 'displayName'],
    ['empty displayName', edit((b) => { b.displayName = '  '; }), 'displayName'],
    ['missing descriptionForAdmins', edit((b) => delete b.descriptionForAdmins), 'descriptionForAdmins'],
    ['missing descriptionForReviewers', edit((b) => delete b.descriptionForReviewers), 'descriptionForReviewers'],
    ['missing scope', edit((b) => delete b.scope), 'scope'],
    ['scope without queryType', edit((b) => { b.scope = { query: `/groups/${G}/members` }; }), 'scope.queryType'],
    ['unsupported scope type', edit((b) => { b.scope = q('/users', { '@odata.type': '#microsoft.graph.principalResourceMembershipsScope' }); }), 'scope.@odata.type'],
    ['missing settings', edit((b) => delete b.settings), 'settings'],
    ['missing recurrence', edit((b) => delete settingsOf(b).recurrence), 'settings.recurrence'],
    ['missing range', edit((b) => delete recurrenceOf(b).range), 'settings.recurrence.range'],
    ['missing startDate', edit((b) => delete rangeOf(b).startDate), 'settings.recurrence.range.startDate'],
    ['daily pattern', edit((b) => { recurrenceOf(b).pattern = { type: 'daily', interval: 1 }; }), 'settings.recurrence.pattern.type'],
    ['relativeMonthly pattern', edit((b) => { recurrenceOf(b).pattern = { type: 'relativeMonthly', interval: 1 }; }), 'settings.recurrence.pattern.type'],
    ['interval 0', edit((b) => { recurrenceOf(b).pattern = { type: 'weekly', interval: 0 }; }), 'settings.recurrence.pattern.interval'],
    ['bad date (Feb 30)', edit((b) => { rangeOf(b).startDate = '2027-02-30'; }), 'settings.recurrence.range.startDate'],
    ['bad date (month 13)', edit((b) => { rangeOf(b).startDate = '2027-13-01'; }), 'settings.recurrence.range.startDate'],
    ['bad date (month 00)', edit((b) => { rangeOf(b).startDate = '2027-00-10'; }), 'settings.recurrence.range.startDate'],
    ['bad date (words)', edit((b) => { rangeOf(b).startDate = 'next monday'; }), 'settings.recurrence.range.startDate'],
    ['bad endDate', edit((b) => Object.assign(rangeOf(b), { type: 'endDate', endDate: '2027/12/31' })), 'settings.recurrence.range.endDate'],
    ['endDate before startDate', edit((b) => Object.assign(rangeOf(b), { type: 'endDate', endDate: '2027-03-01' })), 'settings.recurrence.range.endDate'],
    ['endDate range without endDate', edit((b) => { rangeOf(b).type = 'endDate'; }), 'settings.recurrence.range.endDate'],
    ['unknown range type', edit((b) => { rangeOf(b).type = 'forever'; }), 'settings.recurrence.range.type'],
    ['past start date', edit((b) => { rangeOf(b).startDate = '2026-11-30'; }), 'settings.recurrence.range.startDate'],
    ['weekly, 8 days', edit((b) => { recurrenceOf(b).pattern = { type: 'weekly', interval: 1 }; settingsOf(b).instanceDurationInDays = 8; }), 'settings.instanceDurationInDays'],
    ['monthly from Jan 31, 29 days', edit((b) => { rangeOf(b).startDate = '2027-01-31'; settingsOf(b).instanceDurationInDays = 29; }), 'settings.instanceDurationInDays'],
    ['one-time without duration or end date', edit((b) => { recurrenceOf(b).pattern = null; settingsOf(b).instanceDurationInDays = 0; }), 'settings.instanceDurationInDays'],
    ['unknown group in scope', edit((b) => { b.scope = q(`/groups/${NOBODY}/transitiveMembers`); }), 'scope.query'],
    ['unknown group of owners', edit((b) => { b.reviewers = [reviewer(`/groups/${NOBODY}/owners`)]; }), 'reviewers[0].query'],
    ['unknown user', edit((b) => { b.reviewers = [reviewer(`/users/${NOBODY}`)]; }), 'reviewers[0].query'],
    ['unknown fallback user', edit((b) => { b.fallbackReviewers = [reviewer(`/users/${NOBODY}`)]; }), 'fallbackReviewers[0].query'],
    ['unsupported reviewer query', edit((b) => { b.reviewers = [reviewer('/servicePrincipals/x/owners')]; }), 'reviewers[0].query'],
    ['./manager without queryRoot', edit((b) => { b.reviewers = [reviewer('./manager')]; }), 'reviewers[0].queryRoot'],
    ['./manager as a fallback reviewer', edit((b) => { b.fallbackReviewers = [reviewer('./manager', 'decisions')]; }), 'fallbackReviewers[0].query'],
    ['./owners without instanceEnumerationScope', edit((b) => { b.reviewers = [reviewer('./owners')]; }), 'reviewers[0]'],
    ['relative scope without instanceEnumerationScope', edit((b) => { b.scope = q("./members/microsoft.graph.user/?$filter=(userType eq 'Guest')"); }), 'instanceEnumerationScope'],
    ['enumeration of another group', edit((b) => { b.instanceEnumerationScope = q(`/groups/${G2}`); }), 'instanceEnumerationScope.query'],
    ['enumeration without the Unified filter', edit((b) => {
      b.scope = q('./members'); b.instanceEnumerationScope = q('/groups?$filter=(securityEnabled eq true)');
    }), 'instanceEnumerationScope.query'],
    ['unsupported filter in scope query', edit((b) => { b.scope = q(`/groups/${G}/members/microsoft.graph.user/?$filter=(userType eq 'Member')`); }), 'scope.query'],
    ['other filter in scope query', edit((b) => { b.scope = q(`/groups/${G}/members?$filter=startswith(displayName,'A')`); }), 'scope.query'],
    ['unsupported query option in scope', edit((b) => { b.scope = q(`/groups/${G}/members?$top=5`); }), 'scope.query'],
    ['inactiveDuration P1M', edit((b) => { b.scope = { ...q(`/groups/${G}/members`), '@odata.type': INACTIVE_SCOPE, inactiveDuration: 'P1M' }; }), 'scope.inactiveDuration'],
    ['inactiveDuration PT5H', edit((b) => { b.scope = { ...q(`/groups/${G}/members`), '@odata.type': INACTIVE_SCOPE, inactiveDuration: 'PT5H' }; }), 'scope.inactiveDuration'],
    ['stageSettings', edit((b) => { b.stageSettings = [{ stageId: '1', durationInDays: 2, recommendationsEnabled: false }]; }), 'stageSettings'],
    ['unknown property', edit((b) => { b.reviewPeriod = 7; }), 'reviewPeriod'],
    ['unknown settings property', edit((b) => { settingsOf(b).autoReviewEnabled = true; }), 'settings.autoReviewEnabled'],
    ['defaultDecision missing when enabled', edit((b) => { settingsOf(b).defaultDecisionEnabled = true; }), 'settings.defaultDecision'],
    ['defaultDecision None when enabled', edit((b) => Object.assign(settingsOf(b), { defaultDecisionEnabled: true, defaultDecision: 'None' })), 'settings.defaultDecision'],
    ['applyActions with an unknown @odata.type', edit((b) => { settingsOf(b).applyActions = [{ '@odata.type': '#microsoft.graph.deleteEverythingApplyAction' }]; }), 'settings.applyActions'],
    ['non-boolean flag', edit((b) => { settingsOf(b).autoApplyDecisionsEnabled = 'yes'; }), 'settings.autoApplyDecisionsEnabled'],
    ['bad recommendationLookBackDuration', edit((b) => { settingsOf(b).recommendationLookBackDuration = '30 days'; }), 'settings.recommendationLookBackDuration'],
  ];
  test.each(invalid)('%s', (_name, input, field) => {
    expect(graph400(() => validateDefinition(input, directory, create)).message).toContain(field);
  });

  test('the baseline body itself is valid', () => {
    expect(validateDefinition(base(), directory, create).scope).toEqual(SCOPES[2].spec);
  });

  test('a past start date is allowed when updating an existing definition', () => {
    const past = edit((b) => { rangeOf(b).startDate = '2026-06-01'; });
    expect(validateDefinition(past, directory, { today: TODAY, mode: 'update' }).body.settings.recurrence.range.startDate).toBe('2026-06-01');
  });

  test('a start date of today is not in the past', () => {
    expect(() => validateDefinition(edit((b) => { rangeOf(b).startDate = TODAY; }), directory, create)).not.toThrow();
  });
});

describe('checkUpdate', () => {
  const define = (change: (b: Json) => void): ValidDefinition => validateDefinition(edit(change), directory, { today: TODAY, mode: 'update' });
  const owners = define(() => undefined);
  const withUsers = (...ids: string[]): ValidDefinition => define((b) => { b.reviewers = ids.map((id) => reviewer(`/users/${id}`)); });

  test('the scope of an existing review cannot change', () => {
    const other = define((b) => { b.scope = q(`/groups/${G2}/transitiveMembers/microsoft.graph.user/?$filter=(userType eq 'Guest')`); });
    expect(graph400(() => checkUpdate(owners, other)).message).toContain('scope');
    const allMembers = define((b) => { b.scope = q(`/groups/${G}/transitiveMembers`); });
    expect(graph400(() => checkUpdate(owners, allMembers)).message).toContain('scope');
  });

  test('owners → users is rejected (only individual-user reviewers are updatable)', () => {
    expect(graph400(() => checkUpdate(owners, withUsers(U))).message).toContain('reviewers');
    expect(graph400(() => checkUpdate(withUsers(U), owners)).message).toContain('reviewers');
  });

  test('users → other users is allowed, and so is an unchanged owners reviewer with other edits', () => {
    expect(() => checkUpdate(withUsers(U), withUsers(U2, U))).not.toThrow();
    const renamed = define((b) => { b.displayName = 'Renamed'; settingsOf(b).instanceDurationInDays = 3; });
    expect(() => checkUpdate(owners, renamed)).not.toThrow();
  });
});
