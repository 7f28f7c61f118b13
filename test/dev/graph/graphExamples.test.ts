import { randomUUID } from 'node:crypto';
import { decisionJson, signInText, ZERO_ID } from '../../../dev/graph/reviewJson';
import type { DecisionRow } from '../../../dev/graph/store/decisionStore';
import { SEEDED_REVIEWS } from '../../../dev/tenant/seed';
import { GROUP, USER } from '../../../dev/tenant/tenant';
import { control, graph, graphItems, REVIEWS, startLocalTenant, userToken, type GraphResponse, type LocalTenant } from '../../support/localTenant';

/**
 * Microsoft's published v1.0 request and response examples for access reviews, replayed against the emulator over HTTP.
 * Each test names the page it comes from (learn.microsoft.com/graph/api/<page>, or the tutorials "Review access to
 * security groups" = tutorial-accessreviews-securitygroup and "Review guest access to Microsoft 365 groups" =
 * tutorial-accessreviews-m365group). Doc bodies are shortened and their ids stitched, so ids and dates are ours.
 */
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let tenant: LocalTenant;
let adele: string;
let megan: string;
let today: string;
const DAY = 86_400_000;
const plusDays = (date: string, days: number): string => new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);
const get = (token: string, path: string): Promise<GraphResponse> => graph(tenant, token, 'GET', path);
const metadata = (fragment: string): string => `${tenant.graph}/v1.0/$metadata#${fragment}`;
const q = (text: string): string => encodeURIComponent(text);

async function definitionNamed(name: string): Promise<Json> {
  const found = (await graphItems<Json>(tenant, adele, REVIEWS)).find((d) => d.displayName === name);
  if (!found) throw new Error(`no definition named ${name}`);
  return found;
}

/** Graph's error envelope with `code`, and a message naming `names`. */
function expectRefusal(response: GraphResponse, code: string, names?: string): void {
  expect(response.status).toBe(400);
  expect(response.body.error).toMatchObject({ code, message: expect.any(String), innerError: expect.objectContaining({ 'request-id': expect.any(String) }) });
  if (names !== undefined) expect(response.body.error.message).toContain(names);
}

/** The security group tutorial's one-time self-review of a group, starting today (its shape, our group and dates). */
function tutorialOneTime(groupId: string): Json {
  return {
    displayName: `One-time self-review ${randomUUID().slice(0, 8)}`,
    descriptionForAdmins: 'One-time self-review for members of the group', descriptionForReviewers: 'One-time self-review',
    scope: { query: `/groups/${groupId}/transitiveMembers`, queryType: 'MicrosoftGraph' },
    instanceEnumerationScope: { query: `/groups/${groupId}`, queryType: 'MicrosoftGraph' },
    settings: {
      mailNotificationsEnabled: true, reminderNotificationsEnabled: true, justificationRequiredOnApproval: true,
      defaultDecisionEnabled: true, defaultDecision: 'Deny', instanceDurationInDays: 5, autoApplyDecisionsEnabled: true,
      recommendationsEnabled: true,
      recurrence: { pattern: null, range: { type: 'numbered', numberOfOccurrences: 0, recurrenceTimeZone: null, startDate: today, endDate: plusDays(today, 5) } },
    },
  };
}

beforeAll(async () => {
  tenant = await startLocalTenant();
  today = String((await control(tenant, 'GET', '/clock')).body.now).slice(0, 10);
  [adele, megan] = await Promise.all([userToken(tenant, 'adele@contoso.local'), userToken(tenant, 'megan@contoso.local')]);
}, 60_000);
afterAll(async () => {
  await tenant.dispose();
});

describe('envelopes: @odata.context with key segments, @odata.count on every collection', () => {
  let sales: Json;
  let instance: Json;
  beforeAll(async () => {
    sales = await definitionNamed(SEEDED_REVIEWS.salesGuests);
    [instance = {}] = (await get(adele, `${REVIEWS}/${String(sales.id)}/instances`)).body.value as Json[];
  });
  const instancePath = (): string => `${REVIEWS}/${String(sales.id)}/instances/${String(instance.id)}`;

  test('accessreviewset-list-definitions: context …#identityGovernance/accessReviews/definitions and @odata.count without $count', async () => {
    const page = await get(adele, `${REVIEWS}?$top=2`);
    expect(page.body['@odata.context']).toBe(metadata('identityGovernance/accessReviews/definitions'));
    expect(page.body['@odata.count']).toBe((await graphItems(tenant, adele, REVIEWS)).length);
    expect(page.body.value).toHaveLength(2);
  });

  test('accessreviewset-post-definitions / accessreviewscheduledefinition-get: a definition is …/definitions/$entity', async () => {
    const created = await graph(tenant, adele, 'POST', REVIEWS, tutorialOneTime(GROUP.projectFalcon));
    expect(created.status).toBe(201);
    expect(created.body['@odata.context']).toBe(metadata('identityGovernance/accessReviews/definitions/$entity'));
    expect((await get(adele, `${REVIEWS}/${String(created.body.id)}`)).body['@odata.context'])
      .toBe(metadata('identityGovernance/accessReviews/definitions/$entity'));
  });

  test("accessreviewscheduledefinition-list-instances / accessreviewinstance-get: …definitions('{id}')/instances and …/instances/$entity", async () => {
    const list = await get(adele, `${REVIEWS}/${String(sales.id)}/instances`);
    expect(list.body['@odata.context']).toBe(metadata(`identityGovernance/accessReviews/definitions('${String(sales.id)}')/instances`));
    expect(list.body['@odata.count']).toBe(1);
    expect((await get(adele, instancePath())).body['@odata.context'])
      .toBe(metadata(`identityGovernance/accessReviews/definitions('${String(sales.id)}')/instances/$entity`));
  });

  test("accessreviewinstance-list-decisions / accessreviewinstancedecisionitem-get: …instances('{id}')/decisions and …/decisions/$entity", async () => {
    const list = await get(adele, `${instancePath()}/decisions`);
    const decisions = `identityGovernance/accessReviews/definitions('${String(sales.id)}')/instances('${String(instance.id)}')/decisions`;
    expect(list.body['@odata.context']).toBe(metadata(decisions));
    expect(list.body['@odata.count']).toBe(2);
    const one = await get(adele, `${instancePath()}/decisions/${String(list.body.value[0].id)}`);
    expect(one.body['@odata.context']).toBe(metadata(`${decisions}/$entity`));
  });

  test("accessreviewinstance-list-contactedreviewers: …instances('{id}')/contactedReviewers with @odata.count", async () => {
    const list = await get(adele, `${instancePath()}/contactedReviewers`);
    expect(list.body['@odata.context'])
      .toBe(metadata(`identityGovernance/accessReviews/definitions('${String(sales.id)}')/instances('${String(instance.id)}')/contactedReviewers`));
    expect(list.body['@odata.count']).toBe(list.body.value.length);
  });

  test('the three filterByCurrentUser pages: Collection(<type>) contexts, @odata.count, items with their @odata.type', async () => {
    const mine = "filterByCurrentUser(on='reviewer')";
    const levels: Array<[string, string]> = [
      [`${REVIEWS}/${mine}`, 'accessReviewScheduleDefinition'],
      [`${REVIEWS}/${String(sales.id)}/instances/${mine}`, 'accessReviewInstance'],
      [`${instancePath()}/decisions/${mine}`, 'accessReviewInstanceDecisionItem'],
    ];
    for (const [path, type] of levels) {
      const page = await get(megan, path);
      expect(page.status).toBe(200);
      expect(page.body['@odata.context']).toBe(metadata(`Collection(${type})`));
      expect(page.body['@odata.count']).toBe(page.body.value.length);
      expect(page.body.value.length).toBeGreaterThan(0);
      for (const item of page.body.value as Json[]) expect(item['@odata.type']).toBe(`#microsoft.graph.${type}`);
    }
  });
});

describe('members Graph always returns', () => {
  test('accessreviewset-post-definitions example 2 / accessreviewscheduledefinition-get: scopes echo queryRoot null; createdBy has type null', async () => {
    const created = (await graph(tenant, adele, 'POST', REVIEWS, tutorialOneTime(GROUP.projectFalcon))).body as Json;
    expect(created.scope).toMatchObject({ query: `/groups/${GROUP.projectFalcon}/transitiveMembers`, queryRoot: null });
    expect(created.instanceEnumerationScope).toMatchObject({ query: `/groups/${GROUP.projectFalcon}`, queryRoot: null });
    // Security group tutorial, step 3 response: "createdBy": { id, displayName, "type": null, userPrincipalName }.
    expect(created.createdBy).toEqual({ id: USER.adele, displayName: 'Adele Vance', type: null, userPrincipalName: 'adele@contoso.local' });
  });

  test('security group tutorial, step 5: NotReviewed items, userIdentity types, locale sign-in strings, the group as resource', async () => {
    const created = (await graph(tenant, adele, 'POST', REVIEWS, tutorialOneTime(GROUP.salesTeam))).body as Json;
    const id = String(created.id);
    const items = (await get(adele, `${REVIEWS}/${id}/instances/${id}/decisions`)).body.value as Json[];
    expect(items.length).toBe(8);
    for (const item of items) {
      expect(item).toMatchObject({
        accessReviewId: id, decision: 'NotReviewed', justification: '', reviewedDateTime: null, appliedDateTime: null, applyResult: 'New',
        reviewedBy: { id: ZERO_ID, displayName: '', type: null, userPrincipalName: '' },
        appliedBy: { id: ZERO_ID, displayName: '', type: null, userPrincipalName: '' },
        resource: { id: GROUP.salesTeam, displayName: 'Sales Team', type: 'group' },
        resourceLink: `${tenant.graph}/v1.0/groups/${GROUP.salesTeam}`,
      });
      expect(item.principal).toMatchObject({ '@odata.type': '#microsoft.graph.userIdentity', type: 'user' });
      expect(item.principalLink).toBe(`${tenant.graph}/v1.0/users/${String(item.principal.id)}`);
    }
    const signIn = (user: string): unknown => items.find((d) => d.principal.id === user)?.principal.lastUserSignInDateTime;
    // "2/11/2022 5:31:37 PM +00:00" in the tutorial; "" for a user who never signed in (Joni).
    expect(signIn(USER.ramesh)).toMatch(/^\d{1,2}\/\d{1,2}\/\d{4} \d{1,2}:\d{2}:\d{2} [AP]M \+00:00$/);
    expect(signIn(USER.joni)).toBe('');
  });

  // Privileged roles tutorial, step 5: a group principal is { id, displayName, "type": "group" }, no @odata.type.
  test('a group principal carries type "group", no @odata.type, and a /groups principalLink', () => {
    const row: DecisionRow = {
      id: 'd-1', instance_id: 'i-1', definition_id: 'def-1', principal_id: GROUP.financeApps, principal_name: 'Finance Apps', principal_upn: null,
      principal_type: 'group', resource_id: null, resource_name: null, decision: 'NotReviewed', justification: '', recommendation: 'NoInfoAvailable',
      reviewed_by_id: null, reviewed_by_name: null, reviewed_by_upn: null, reviewed_at: null, applied_by_id: null, applied_by_name: null,
      applied_by_upn: null, applied_at: null, apply_result: 'New', principal_last_sign_in: null,
    };
    const json = decisionJson(row, 'http://127.0.0.1:3982');
    expect(json.principal).toEqual({ id: GROUP.financeApps, displayName: 'Finance Apps', type: 'group' });
    expect(json).toMatchObject({ principalLink: `http://127.0.0.1:3982/v1.0/groups/${GROUP.financeApps}`, resource: null, resourceLink: null });
  });

  test('signInText writes the tutorial\'s form: month/day/year, 12-hour clock, AM/PM, +00:00', () => {
    expect(signInText('2022-02-11T17:31:37Z')).toBe('2/11/2022 5:31:37 PM +00:00');
    expect(signInText('2022-12-01T00:05:09.123Z')).toBe('12/1/2022 12:05:09 AM +00:00');
    expect(signInText('2022-12-01T12:00:00Z')).toBe('12/1/2022 12:00:00 PM +00:00');
    expect(signInText(null)).toBe('');
    expect(signInText('not a date')).toBe('');
  });
});

describe('ids and statuses', () => {
  test('security group tutorial, step 4: the only instance of a one-time review of one group has the definition id', async () => {
    const { id } = (await graph(tenant, adele, 'POST', REVIEWS, tutorialOneTime(GROUP.salesTeam))).body as Json;
    const instances = (await get(adele, `${REVIEWS}/${String(id)}/instances`)).body.value as Json[];
    expect(instances.map((i): unknown[] => [i.id, i.status])).toEqual([[id, 'InProgress']]);
    expect(instances[0]?.scope).toMatchObject({ query: `/v1.0/groups/${GROUP.salesTeam}/transitiveMembers/microsoft.graph.user`, queryRoot: null });
  });

  test('accessreviewinstance-filterbycurrentuser: the seeded Finance Apps instance, applied, reads "Applied"', async () => {
    const finance = await definitionNamed(SEEDED_REVIEWS.financeAnnual);
    expect((await get(adele, `${REVIEWS}/${String(finance.id)}/instances`)).body.value.map((i: Json) => String(i.status))).toEqual(['Applied']);
  });
});

describe('create: what Graph accepts, and its rewrites', () => {
  // Microsoft 365 group tutorial, step 4: quarterly, instanceDurationInDays 0, a numbered range with an end date → 201.
  test('M365 group tutorial: the quarterly all-groups guest review with instanceDurationInDays 0 is created', async () => {
    const body = {
      displayName: 'Group owners review guest across Microsoft 365 groups in the tenant (Quarterly)',
      descriptionForAdmins: '', descriptionForReviewers: '',
      scope: { query: "./members/microsoft.graph.user/?$count=true&$filter=(userType eq 'Guest')", queryType: 'MicrosoftGraph' },
      instanceEnumerationScope: { query: "/groups?$filter=(groupTypes/any(c:c+eq+'Unified'))&$count=true", queryType: 'MicrosoftGraph' },
      reviewers: [{ query: './owners', queryType: 'MicrosoftGraph', queryRoot: null }],
      fallbackReviewers: [{ query: `/users/${USER.adele}`, queryType: 'MicrosoftGraph', queryRoot: null }],
      settings: {
        mailNotificationsEnabled: true, reminderNotificationsEnabled: true, justificationRequiredOnApproval: true,
        defaultDecisionEnabled: true, defaultDecision: 'Approve', instanceDurationInDays: 0, autoApplyDecisionsEnabled: true,
        recommendationsEnabled: true,
        recurrence: {
          pattern: { type: 'absoluteMonthly', interval: 3, month: 0, dayOfMonth: 0, daysOfWeek: [], firstDayOfWeek: 'sunday', index: 'first' },
          range: { type: 'numbered', numberOfOccurrences: 0, recurrenceTimeZone: null, startDate: plusDays(today, 1), endDate: plusDays(today, 680) },
        },
        applyActions: [{ '@odata.type': '#microsoft.graph.removeAccessApplyAction' }],
      },
    };
    const created = await graph(tenant, adele, 'POST', REVIEWS, body);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'NotStarted', settings: { instanceDurationInDays: 0, recurrence: { range: { type: 'numbered', endDate: plusDays(today, 680) } } } });
  });

  test('accessreviewset-post-definitions example 1: noEnd stays noEnd; a timestamp start date comes back a date', async () => {
    const body = tutorialOneTime(GROUP.salesTeam);
    body.settings.instanceDurationInDays = 1;
    body.settings.recurrence = { pattern: { type: 'weekly', interval: 1 }, range: { type: 'noEnd', startDate: `${plusDays(today, 3)}T12:02:30.667Z` } };
    const created = await graph(tenant, adele, 'POST', REVIEWS, body);
    expect(created.body.settings.recurrence).toEqual({
      pattern: { type: 'weekly', interval: 1, month: 0, dayOfMonth: 0, daysOfWeek: [], firstDayOfWeek: 'sunday', index: 'first' },
      range: { type: 'noEnd', numberOfOccurrences: 0, recurrenceTimeZone: null, startDate: plusDays(today, 3), endDate: null },
    });
  });
});

describe('update (accessreviewscheduledefinition-update: PUT the full object, 204)', () => {
  test('a definition PUT back exactly as GET answered it (envelope, type null, queryRoot null, noEnd) is accepted', async () => {
    const body = tutorialOneTime(GROUP.salesTeam);
    body.settings.recurrence = { pattern: { type: 'absoluteMonthly', interval: 3 }, range: { type: 'noEnd', startDate: plusDays(today, 2) } };
    const { id } = (await graph(tenant, adele, 'POST', REVIEWS, body)).body as Json;
    const read = (await get(adele, `${REVIEWS}/${String(id)}`)).body as Json;
    expect((await graph(tenant, adele, 'PUT', `${REVIEWS}/${String(id)}`, { ...read, displayName: `${String(read.displayName)} (renamed)` })).status).toBe(204);
    expect((await get(adele, `${REVIEWS}/${String(id)}`)).body).toMatchObject({ displayName: `${String(read.displayName)} (renamed)`, settings: read.settings });
  });
});

describe('only documented query options; anything else is a 400 in Graph\'s envelope', () => {
  test('definitions: status eq and contains(scope/…/query, documented value) work; $orderby displayName desc orders', async () => {
    const inProgress = await get(adele, `${REVIEWS}?$filter=${q("status eq 'InProgress'")}`);
    expect(inProgress.status).toBe(200);
    expect(inProgress.body.value.every((d: Json) => d.status === 'InProgress')).toBe(true);
    // api-reference/includes/accessreviews-definition-filter-scope: '/groups/{group id}' lists the reviews of that group.
    const ofSales = await get(adele, `${REVIEWS}?$filter=${q(`contains(scope/microsoft.graph.accessReviewQueryScope/query, '/groups/${GROUP.salesTeam}')`)}`);
    expect(ofSales.status).toBe(200);
    expect(ofSales.body.value.map((d: Json) => String(d.displayName))).toContain(SEEDED_REVIEWS.salesGuests);
    expect(ofSales.body.value.map((d: Json) => String(d.displayName))).not.toContain(SEEDED_REVIEWS.financeAnnual);
    expect(ofSales.body['@odata.count']).toBe(ofSales.body.value.length);
    const ordered = await get(adele, `${REVIEWS}?$orderby=${q('displayName desc')}&$top=100`);
    const names = ordered.body.value.map((d: Json) => String(d.displayName).toLowerCase());
    expect(names).toEqual([...names].sort().reverse());
  });

  test('the all-groups filter (./members) and an ordered list paged through $skiptoken', async () => {
    const allGroups = await get(adele, `${REVIEWS}?$filter=${q("contains(scope/microsoft.graph.accessReviewQueryScope/query, './members')")}`);
    expect(allGroups.status).toBe(200);
    expect(allGroups.body.value.length).toBeGreaterThan(0); // the tutorial's review created above
    expect(allGroups.body.value.every((d: Json) => String(d.scope.query).startsWith('./members'))).toBe(true);
    const all = await graphItems<Json>(tenant, adele, `${REVIEWS}?$orderby=displayName&$top=2`);
    expect(all.length).toBe((await graphItems(tenant, adele, REVIEWS)).length);
    expect(new Set(all.map((d): unknown => d.id)).size).toBe(all.length);
  });

  test.each<[string, string, string]>([
    ['displayName eq (not documented on definitions)', `${REVIEWS}?$filter=${q("displayName eq 'Sales Team guest review'")}`, 'displayName'],
    ['status ne', `${REVIEWS}?$filter=${q("status ne 'Completed'")}`, 'ne'],
    ['two conditions with or', `${REVIEWS}?$filter=${q("status eq 'InProgress' or status eq 'NotStarted'")}`, 'or'],
    ['contains with an undocumented value', `${REVIEWS}?$filter=${q("contains(scope/microsoft.graph.accessReviewQueryScope/query, '/users')")}`, '/users'],
    ['contains on the un-cast scope/query (history definitions only)', `${REVIEWS}?$filter=${q("contains(scope/query, '/groups')")}`, 'contains'],
    ['$orderby createdDateTime (the v1.0 resource page lists $select only)', `${REVIEWS}?$orderby=createdDateTime desc`, 'createdDateTime'],
    ['$count', `${REVIEWS}?$count=true`, '$count'],
    ['$expand', `${REVIEWS}?$expand=instances`, '$expand'],
    ['$search', `${REVIEWS}?$search=${q('"Sales"')}`, '$search'],
  ])('definitions: %s → 400', async (_name, path, names) => {
    expectRefusal(await get(adele, path), 'BadRequest', names);
  });

  test('decisions (resources/accessreviewinstancedecisionitem): eq and $orderby on decision, recommendation, applyResult; nothing else', async () => {
    const sales = await definitionNamed(SEEDED_REVIEWS.salesGuests);
    const [instance = {}] = (await get(adele, `${REVIEWS}/${String(sales.id)}/instances`)).body.value as Json[];
    const decisions = `${REVIEWS}/${String(sales.id)}/instances/${String(instance.id)}/decisions`;
    const approved = await get(adele, `${decisions}?$filter=${q("decision eq 'Approve'")}`);
    expect(approved.body.value.map((d: Json) => String(d.principal.id))).toEqual([USER.lynne]);
    expect(approved.body['@odata.count']).toBe(1);
    expect((await get(adele, `${decisions}?$filter=${q("applyResult eq 'New'")}`)).body.value).toHaveLength(2);
    const byRecommendation = await get(adele, `${decisions}?$orderby=recommendation desc`);
    expect(byRecommendation.body.value.map((d: Json) => String(d.recommendation))).toEqual(['Deny', 'Approve']);
    expectRefusal(await get(adele, `${decisions}?$filter=${q("decision ne 'NotReviewed'")}`), 'BadRequest', 'ne');
    expectRefusal(await get(adele, `${decisions}?$filter=${q(`id eq '${randomUUID()}'`)}`), 'BadRequest', 'id');
    expectRefusal(await get(adele, `${decisions}?$orderby=reviewedDateTime`), 'BadRequest', 'reviewedDateTime');
  });

  test('instances (resources/accessreviewinstance): status eq works; id eq is refused', async () => {
    const sales = await definitionNamed(SEEDED_REVIEWS.salesGuests);
    const instances = `${REVIEWS}/${String(sales.id)}/instances`;
    expect((await get(adele, `${instances}?$filter=${q("status eq 'InProgress'")}`)).body.value).toHaveLength(1);
    expect((await get(adele, `${instances}?$filter=${q("status eq 'Completed'")}`)).body.value).toHaveLength(0);
    expectRefusal(await get(adele, `${instances}?$filter=${q(`id eq '${String(sales.id)}'`)}`), 'BadRequest', 'id');
  });
});

describe('honest refusals: what is not emulated answers 400 NotSupported naming it', () => {
  test.each<[string, string]>([
    ['/identityGovernance/accessReviews/historyDefinitions', 'historyDefinitions'],
    [`/identityGovernance/accessReviews/historyDefinitions/${randomUUID()}/instances`, 'historyDefinitions'],
  ])('GET %s', async (path, segment) => {
    expectRefusal(await get(adele, path), 'NotSupported', `'${segment}'`);
  });

  test('the stages of an instance (multi-stage reviews)', async () => {
    const sales = await definitionNamed(SEEDED_REVIEWS.salesGuests);
    const [instance = {}] = (await get(adele, `${REVIEWS}/${String(sales.id)}/instances`)).body.value as Json[];
    expectRefusal(await get(adele, `${REVIEWS}/${String(sales.id)}/instances/${String(instance.id)}/stages`), 'NotSupported', "'stages'");
  });

  test('an unknown segment is Graph\'s own 400, naming that segment (not the first one)', async () => {
    expectRefusal(await get(adele, '/identityGovernance/accessReviews/decisions'), 'BadRequest', "Resource not found for the segment 'decisions'");
  });

  test.each<[string, () => Json, string]>([
    // accessreviewset-post-definitions, example 3: users' access to an application.
    ['a principalResourceMembershipsScope (applications)', () => ({
      ...tutorialOneTime(GROUP.salesTeam),
      scope: { '@odata.type': '#microsoft.graph.principalResourceMembershipsScope',
        principalScopes: [{ '@odata.type': '#microsoft.graph.accessReviewQueryScope', query: '/users', queryType: 'MicrosoftGraph' }],
        resourceScopes: [{ '@odata.type': '#microsoft.graph.accessReviewQueryScope', query: `/servicePrincipals/${randomUUID()}`, queryType: 'MicrosoftGraph' }] },
      instanceEnumerationScope: undefined,
    }), 'principalResourceMembershipsScope'],
    ['an access package assignments scope', () => ({
      ...tutorialOneTime(GROUP.salesTeam),
      scope: { '@odata.type': '#microsoft.graph.accessReviewQueryScope', queryType: 'MicrosoftGraph',
        query: `/identityGovernance/entitlementManagement/accessPackageAssignments?$filter=(accessPackageId eq '${randomUUID()}')` },
      instanceEnumerationScope: undefined,
    }), 'access package'],
    ['a directory role scope', () => ({
      ...tutorialOneTime(GROUP.salesTeam),
      scope: { '@odata.type': '#microsoft.graph.accessReviewQueryScope', queryType: 'MicrosoftGraph', query: `/roleManagement/directory/roleDefinitions/${randomUUID()}` },
      instanceEnumerationScope: undefined,
    }), 'directory role'],
  ])('create with %s', async (_name, make, names) => {
    expectRefusal(await graph(tenant, adele, 'POST', REVIEWS, make()), 'NotSupported', names);
  });
});
