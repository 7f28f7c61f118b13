import type { AccessReviewInactiveUsersQueryScope, AccessReviewScheduleDefinition, PatternedRecurrence } from '@microsoft/microsoft-graph-types';
import { describeRecurrence, describeScope, reviewedGroupId } from '../../reviews/describe';

/**
 * Plain-words descriptions of definitions, over the query shapes Graph stores and echoes (reference §3 and
 * trap 14: optional /v1.0 prefix, casts, $count, URL-encoded or '+'-spaced filters).
 */

const GROUP = '0f4c6b1e-8d2a-4e3b-9c5d-7a1b2c3d4e5f';
const NAMES: ReadonlyMap<string, string> = new Map([[GROUP, 'Sales Team']]);

type Scope = AccessReviewInactiveUsersQueryScope & { '@odata.type'?: string };

const definition = (scope: Scope | undefined): AccessReviewScheduleDefinition => ({ scope });
const queryScope = (query: string): Scope => ({ '@odata.type': '#microsoft.graph.accessReviewQueryScope', query, queryType: 'MicrosoftGraph' });
const inactiveScope = (query: string, inactiveDuration: string): Scope =>
  ({ '@odata.type': '#microsoft.graph.accessReviewInactiveUsersQueryScope', query, queryType: 'MicrosoftGraph', inactiveDuration });
const scopeOf = (query: string): string => describeScope(definition(queryScope(query)), NAMES);

describe('describeScope', () => {
  test.each([
    `/groups/${GROUP}/transitiveMembers`,
    `/groups/${GROUP}/transitiveMembers/microsoft.graph.user`,
    `/groups/${GROUP}/members`,
    `/v1.0/groups/${GROUP}/transitiveMembers/microsoft.graph.user`,
    `/v1.0/groups/${GROUP}/transitiveMembers/microsoft.graph.user/?$count=true`,
    `/beta/groups/${GROUP}/transitiveMembers`,
    `/groups/${GROUP.toUpperCase()}/transitiveMembers`,
  ])('members of a group: %s', (query) => {
    expect(scopeOf(query)).toBe('Members of Sales Team');
  });

  test.each([
    `/groups/${GROUP}/transitiveMembers/microsoft.graph.user/?$filter=(userType eq 'Guest')`,
    `/groups/${GROUP}/transitiveMembers/?$filter=(userType eq 'Guest')`,
    `/v1.0/groups/${GROUP}/transitiveMembers/microsoft.graph.user/?$count=true&$filter=(userType eq 'Guest')`,
    `/v1.0/groups/${GROUP}/transitiveMembers/microsoft.graph.user/?%24filter=%28userType%20eq%20%27Guest%27%29`,
    `/groups/${GROUP}/transitiveMembers/microsoft.graph.user/?$filter=(userType+eq+'Guest')`,
    `/groups/${GROUP}/transitiveMembers/microsoft.graph.user/?$filter=(userType eq 'guest')`,
  ])('guests of a group: %s', (query) => {
    expect(scopeOf(query)).toBe('Guests of Sales Team');
  });

  test('a member-type filter is not a guest review', () => {
    expect(scopeOf(`/groups/${GROUP}/transitiveMembers/microsoft.graph.user/?$filter=(userType eq 'Member')`)).toBe('Members of Sales Team');
  });

  test.each<[string, string]>([
    ["./members/microsoft.graph.user/?$filter=(userType eq 'Guest')", 'Guests in all Microsoft 365 groups'],
    ["./members/microsoft.graph.user/?$count=true&$filter=(userType eq 'Guest')", 'Guests in all Microsoft 365 groups'],
    ['./members/microsoft.graph.user/?$filter=(userType+eq+%27Guest%27)', 'Guests in all Microsoft 365 groups'],
    ['./members/microsoft.graph.user', 'Members in all Microsoft 365 groups'],
  ])('all Microsoft 365 groups: %s', (query, expected) => {
    expect(scopeOf(query)).toBe(expected);
  });

  test('inactive users of a group (P30D)', () => {
    const text = describeScope(definition(inactiveScope(`/groups/${GROUP}/transitiveMembers/microsoft.graph.user`, 'P30D')), NAMES);
    expect(text).toMatch(/^Inactive users \(30 days\)/);
    expect(text).toContain('Sales Team');
  });

  test('inactive guests in all Microsoft 365 groups', () => {
    const text = describeScope(definition(inactiveScope("./members/microsoft.graph.user/?$filter=(userType eq 'Guest')", 'P90D')), NAMES);
    expect(text).toBe('Inactive guests (90 days) in all Microsoft 365 groups');
  });

  test('an inactivity that is not a number of days still says inactive', () => {
    const text = describeScope(definition(inactiveScope(`/groups/${GROUP}/transitiveMembers`, 'PT0S')), NAMES);
    expect(text).toMatch(/inactive/i);
    expect(text).toContain('Sales Team');
  });

  test('a group whose name is unknown is "a group"', () => {
    const other = 'ffffffff-1111-4222-8333-444444444444';
    expect(scopeOf(`/groups/${other}/transitiveMembers`)).toBe('Members of a group');
    expect(scopeOf(`/v1.0/groups/${other}/transitiveMembers/?$filter=(userType eq 'Guest')`)).toBe('Guests of a group');
  });

  test.each<[string, Scope | undefined]>([
    ['no scope', undefined],
    ['empty scope', {}],
    ['access package assignments', queryScope("/identityGovernance/entitlementManagement/accessPackageAssignments?$filter=(accessPackageId eq 'p1')")],
    ['a directory role', queryScope('/roleManagement/directory/roleDefinitions/62e90394-69f5-4237-9190-012177145e10')],
    ['all users', queryScope('/users')],
    ['principal/resource memberships', { '@odata.type': '#microsoft.graph.principalResourceMembershipsScope' }],
  ])('other resources: %s', (_name, scope) => {
    expect(describeScope(definition(scope), NAMES)).toBe('Other resources');
  });

  test('a stray percent sign in a stored query does not throw', () => {
    expect(scopeOf(`/groups/${GROUP}/transitiveMembers/?$filter=(displayName eq '100%')`)).toBe('Members of Sales Team');
  });
});

describe('describeRecurrence', () => {
  const weekly = (interval?: number): PatternedRecurrence => ({ pattern: { type: 'weekly', interval }, range: { type: 'noEnd', startDate: '2026-03-02' } });
  const monthly = (interval: number): PatternedRecurrence =>
    ({ pattern: { type: 'absoluteMonthly', interval, dayOfMonth: 2 }, range: { type: 'numbered', numberOfOccurrences: 0, endDate: '9999-12-31' } });

  test.each<[string, PatternedRecurrence | null | undefined, string]>([
    ['no recurrence', undefined, 'One time'],
    ['null recurrence', null, 'One time'],
    ['pattern null', { pattern: null, range: { type: 'numbered', numberOfOccurrences: 0, startDate: '2026-03-02', endDate: '2026-03-16' } }, 'One time'],
    ['pattern undefined', { range: { type: 'numbered', numberOfOccurrences: 0 } }, 'One time'],
    ['weekly', weekly(1), 'Weekly'],
    ['weekly without interval', weekly(), 'Weekly'],
    ['every 2 weeks', weekly(2), 'Every 2 weeks'],
    ['monthly', monthly(1), 'Monthly'],
    ['quarterly', monthly(3), 'Quarterly'],
    ['semi-annually', monthly(6), 'Semi-annually'],
    ['annually', monthly(12), 'Annually'],
    ['every 5 months', monthly(5), 'Every 5 months'],
  ])('%s', (_name, recurrence, expected) => {
    expect(describeRecurrence(recurrence)).toBe(expected);
  });

  test('a pattern type access reviews do not support is still "Recurring"', () => {
    expect(describeRecurrence({ pattern: { type: 'daily', interval: 1 } })).toBe('Recurring');
  });
});

describe('reviewedGroupId', () => {
  test.each<[string, string]>([
    [`/groups/${GROUP}/transitiveMembers`, GROUP],
    [`/v1.0/groups/${GROUP.toUpperCase()}/transitiveMembers/microsoft.graph.user/?$count=true&$filter=(userType eq 'Guest')`, GROUP],
    [`/beta/groups/${GROUP}/members`, GROUP],
    [`/groups/${GROUP.toUpperCase()}/members`, GROUP],
  ])('%s → the group id in lower case', (query, expected) => {
    expect(reviewedGroupId(definition(queryScope(query)))).toBe(expected);
  });

  test.each<[string, Scope | undefined]>([
    ['no scope', undefined],
    ['all groups', queryScope("./members/microsoft.graph.user/?$filter=(userType eq 'Guest')")],
    ['the all-groups enumeration', queryScope("/groups?$filter=(groupTypes/any(c:c eq 'Unified'))")],
    ['a directory role', queryScope('/roleManagement/directory/roleDefinitions/62e90394-69f5-4237-9190-012177145e10')],
  ])('%s → undefined', (_name, scope) => {
    expect(reviewedGroupId(definition(scope))).toBeUndefined();
  });
});
