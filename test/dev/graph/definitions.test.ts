import { randomUUID } from 'node:crypto';
import { GROUP, USER } from '../../../dev/tenant/tenant';
import {
  appToken, control, graph, REVIEWS, startLocalTenant, userToken, type GraphResponse, type LocalTenant, graphItems,
} from '../../support/localTenant';

/**
 * Access-review definitions on the Graph emulator, over real HTTP, checked against Microsoft Graph's behaviour
 * (reference graph-access-reviews.md sections 1, 2, 3 and 7) and the local-tenant contract.
 */

interface QueryScope { '@odata.type'?: string; query?: string; queryType?: string; queryRoot?: string | null; inactiveDuration?: string }
interface Recurrence {
  pattern?: { type: string; interval: number } | null;
  range?: { type?: string; startDate?: string; endDate?: string; numberOfOccurrences?: number };
}
interface Settings {
  mailNotificationsEnabled?: boolean; reminderNotificationsEnabled?: boolean; justificationRequiredOnApproval?: boolean;
  defaultDecisionEnabled?: boolean; defaultDecision?: string; autoApplyDecisionsEnabled?: boolean;
  recommendationsEnabled?: boolean; instanceDurationInDays?: number; recurrence?: Recurrence;
}
interface DefinitionInput {
  displayName?: string; descriptionForAdmins?: string; descriptionForReviewers?: string;
  scope?: QueryScope; instanceEnumerationScope?: QueryScope; reviewers?: QueryScope[]; fallbackReviewers?: QueryScope[];
  settings?: Settings; [extra: string]: unknown;
}

let tenant: LocalTenant;
let today: string;
const tokens: Record<string, string> = {};
const DAY = 86_400_000;
const plusDays = (date: string, days: number): string => new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);
const start = (): string => plusDays(today, 7);

const Q = 'MicrosoftGraph';
const QUERY_SCOPE = '#microsoft.graph.accessReviewQueryScope';
const members = (groupId: string): string => `/groups/${groupId}/transitiveMembers`;
const guestsOf = (groupId: string): string => `/groups/${groupId}/transitiveMembers/microsoft.graph.user/?$filter=(userType eq 'Guest')`;
const ALL_M365 = "/groups?$filter=(groupTypes/any(c:c eq 'Unified'))";
const ALL_GUESTS = "./members/microsoft.graph.user/?$filter=(userType eq 'Guest')";
const scopeOf = (query: string): QueryScope => ({ '@odata.type': QUERY_SCOPE, query, queryType: Q });
const reviewer = (query: string, queryRoot?: string): QueryScope => ({ query, queryType: Q, ...(queryRoot ? { queryRoot } : {}) });
const ownersOf = (groupId: string): QueryScope => reviewer(`/groups/${groupId}/owners`);
const userReviewer = (userId: string): QueryScope => reviewer(`/users/${userId}`);
const recurring = (type: string, interval: number, range: Recurrence['range'] = { type: 'noEnd', startDate: start() }): Recurrence =>
  ({ pattern: { type, interval }, range });

/** A valid one-time review of the Sales Team members by the group owners, starting in a week. */
function body(overrides: DefinitionInput = {}, settings: Settings = {}): DefinitionInput {
  return {
    displayName: `Definition test ${randomUUID().slice(0, 8)}`,
    descriptionForAdmins: 'Conformance test review.',
    descriptionForReviewers: 'Please review these members.',
    scope: scopeOf(members(GROUP.salesTeam)),
    reviewers: [ownersOf(GROUP.salesTeam)],
    settings: {
      mailNotificationsEnabled: true, reminderNotificationsEnabled: true, justificationRequiredOnApproval: true,
      defaultDecisionEnabled: false, autoApplyDecisionsEnabled: false, recommendationsEnabled: true, instanceDurationInDays: 14,
      recurrence: { pattern: null, range: { type: 'numbered', numberOfOccurrences: 0, startDate: start(), endDate: plusDays(start(), 14) } },
      ...settings,
    },
    ...overrides,
  };
}

const versionless = (query: unknown): string => String(query).replace(/^\/(?:v1\.0|beta)(?=\/)/, '');
const queries = (scopes: QueryScope[] | undefined): string[] => (scopes ?? []).map((s) => versionless(s.query));

/** Every definition the caller can list, following `@odata.nextLink` to the end. */
const listAll = (token: string, query = ''): Promise<Array<Record<string, unknown>>> => graphItems(tenant, token, `${REVIEWS}${query}`);

const create = (definition: unknown, token = tokens.adele): Promise<GraphResponse> => graph(tenant, token, 'POST', REVIEWS, definition);
async function created(definition: DefinitionInput, token = tokens.adele): Promise<Record<string, unknown>> {
  const response = await create(definition, token);
  expect(response.status).toBe(201);
  return response.body as Record<string, unknown>;
}
/** The id of the definition named `displayName` (no `displayName eq` filter: the docs do not list one). */
const idOf = async (displayName: string): Promise<string> =>
  String((await listAll(tokens.adele)).find((d) => d.displayName === displayName)?.id);

/** Graph's error envelope, with a message that names `field`. */
function expectGraphError(response: GraphResponse, status: number, field?: string): void {
  expect(response.status).toBe(status);
  expect(response.body).toEqual({
    error: {
      code: expect.any(String), message: expect.any(String),
      innerError: expect.objectContaining({ date: expect.any(String), 'request-id': expect.any(String), 'client-request-id': expect.any(String) }),
    },
  });
  if (field !== undefined) expect(response.body.error.message).toContain(field);
}

beforeAll(async () => {
  tenant = await startLocalTenant();
  today = String((await control(tenant, 'GET', '/clock')).body.now).slice(0, 10);
  for (const name of ['adele', 'lee', 'megan', 'diego', 'grady'] as const) tokens[name] = await userToken(tenant, `${name}@contoso.local`);
  tokens.userRead = await userToken(tenant, 'adele@contoso.local', 'https://graph.microsoft.com/User.Read');
  tokens.bot = await appToken(tenant, 'bot');
  tokens.automation = await appToken(tenant, 'automation');
}, 60_000);
afterAll(async () => {
  await tenant.dispose();
});

describe('definitions CRUD', () => {
  let definition: DefinitionInput;
  let id: string;

  test('POST creates a NotStarted definition by the caller, echoes it and answers its Location', async () => {
    definition = body();
    const response = await create(definition);
    expect(response.status).toBe(201);
    id = String(response.body.id);
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.headers.get('location')).toBe(`${tenant.graph}/v1.0${REVIEWS}/${id}`);
    expect(response.body).toMatchObject({
      status: 'NotStarted', displayName: definition.displayName, descriptionForAdmins: definition.descriptionForAdmins,
      createdBy: { id: USER.adele, userPrincipalName: 'adele@contoso.local' }, settings: definition.settings,
    });
  });

  test('GET by id and GET list return it', async () => {
    const one = await graph(tenant, tokens.adele, 'GET', `${REVIEWS}/${id}`);
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ id, displayName: definition.displayName, status: 'NotStarted' });
    expect((await listAll(tokens.adele)).map((d) => d.id)).toContain(id);
  });

  test('$select=id,displayName returns only those properties', async () => {
    const items = await listAll(tokens.adele, '?$select=id,displayName');
    expect(items.length).toBeGreaterThan(0);
    for (const item of items) expect(Object.keys(item).filter((k) => !k.startsWith('@odata')).sort()).toEqual(['displayName', 'id']);
  });

  test("$filter=status eq 'NotStarted' keeps only not-started definitions", async () => {
    const items = await listAll(tokens.adele, `?$filter=${encodeURIComponent("status eq 'NotStarted'")}`);
    expect(items.map((d) => d.id)).toContain(id);
    expect(items.every((d) => d.status === 'NotStarted')).toBe(true);
    expect(items.map((d) => d.displayName)).not.toContain('Sales Team guest review');
  });

  test('$filter=contains(scope/microsoft.graph.accessReviewQueryScope/query, ...) finds the reviews of a group', async () => {
    const filter = `contains(scope/microsoft.graph.accessReviewQueryScope/query, '/groups/${GROUP.salesTeam}')`;
    const items = await listAll(tokens.adele, `?$filter=${encodeURIComponent(filter)}`);
    expect(items.map((d) => d.displayName)).toEqual(expect.arrayContaining(['Sales Team guest review', definition.displayName]));
    expect(items.map((d) => d.displayName)).not.toContain('Finance Apps annual review');
  });

  test('PUT with the full object changes displayName and settings (204)', async () => {
    const changed = { ...definition, displayName: `${String(definition.displayName)} (renamed)`,
      settings: { ...definition.settings, reminderNotificationsEnabled: false, defaultDecisionEnabled: true, defaultDecision: 'Deny' } };
    const put = await graph(tenant, tokens.adele, 'PUT', `${REVIEWS}/${id}`, changed);
    expect(put.status).toBe(204);
    expect(put.body).toBeUndefined();
    const after = await graph(tenant, tokens.adele, 'GET', `${REVIEWS}/${id}`);
    expect(after.body).toMatchObject({ displayName: changed.displayName, settings: { reminderNotificationsEnabled: false, defaultDecisionEnabled: true, defaultDecision: 'Deny' } });
  });

  test('DELETE answers 204, then GET answers 404', async () => {
    expect((await graph(tenant, tokens.adele, 'DELETE', `${REVIEWS}/${id}`)).status).toBe(204);
    expectGraphError(await graph(tenant, tokens.adele, 'GET', `${REVIEWS}/${id}`), 404);
  });
});

describe('scope, reviewer and recurrence recipes (reference section 3)', () => {
  const S = GROUP.salesTeam;
  const recipes: Array<[string, () => DefinitionInput]> = [
    ['members of a group', () => body({ scope: scopeOf(members(S)) })],
    ['guests of a group', () => body({ scope: scopeOf(guestsOf(S)) })],
    ['guests in all Microsoft 365 groups, owners review', () => body({
      instanceEnumerationScope: scopeOf(ALL_M365), scope: scopeOf(ALL_GUESTS),
      reviewers: [reviewer('./owners')], fallbackReviewers: [userReviewer(USER.adele)],
    })],
    ['inactive users', () => body({ scope: { '@odata.type': '#microsoft.graph.accessReviewInactiveUsersQueryScope',
      query: `${members(S)}/microsoft.graph.user`, queryType: Q, inactiveDuration: 'P30D' } })],
    ['group owners review', () => body({ reviewers: [ownersOf(GROUP.financeApps)], scope: scopeOf(members(GROUP.financeApps)) })],
    ["managers review, with a fallback", () => body({ reviewers: [reviewer('./manager', 'decisions')], fallbackReviewers: [userReviewer(USER.adele)] })],
    ['two specific users review', () => body({ reviewers: [userReviewer(USER.megan), userReviewer(USER.diego)] })],
    ['self-review', () => body({ reviewers: [] })],
  ];

  test.each(recipes)('%s: 201 and its queries echoed', async (_name, make) => {
    const sent = make();
    const echoed = await created(sent);
    const scope = echoed.scope as QueryScope;
    expect(versionless(scope.query)).toBe(sent.scope?.query);
    expect(scope['@odata.type']).toBe(sent.scope?.['@odata.type']);
    if (sent.scope?.inactiveDuration) expect(scope.inactiveDuration).toBe(sent.scope.inactiveDuration);
    if (sent.instanceEnumerationScope) expect(versionless((echoed.instanceEnumerationScope as QueryScope).query)).toBe(sent.instanceEnumerationScope.query);
    expect(queries(echoed.reviewers as QueryScope[])).toEqual(queries(sent.reviewers));
    expect(queries(echoed.fallbackReviewers as QueryScope[])).toEqual(queries(sent.fallbackReviewers));
    (sent.reviewers ?? []).forEach((r, i) => {
      if (r.queryRoot) expect((echoed.reviewers as QueryScope[])[i]?.queryRoot).toBe(r.queryRoot);
    });
  });

  const patterns: Array<[string, string, number, number]> = [
    ['weekly', 'weekly', 1, 7],
    ['monthly', 'absoluteMonthly', 1, 14],
    ['quarterly', 'absoluteMonthly', 3, 14],
    ['semi-annual', 'absoluteMonthly', 6, 14],
    ['annual', 'absoluteMonthly', 12, 14],
  ];
  test.each(patterns)('%s recurrence: 201 with its pattern', async (_name, type, interval, days) => {
    const recurrence = recurring(type, interval);
    const echoed = await created(body({}, { recurrence, instanceDurationInDays: days }));
    expect((echoed.settings as Settings).recurrence?.pattern).toMatchObject({ type: recurrence.pattern?.type, interval: recurrence.pattern?.interval });
  });

  test('one-time review: pattern null', async () => {
    expect(((await created(body())).settings as Settings).recurrence?.pattern).toBeNull();
  });

  // accessreviewset-post-definitions, example 1: noEnd comes back noEnd, 0 occurrences, endDate null.
  test('noEnd is echoed as noEnd with 0 occurrences and no end date (create example 1)', async () => {
    const echoed = await created(body({}, { recurrence: recurring('absoluteMonthly', 1) }));
    expect((echoed.settings as Settings).recurrence?.range).toEqual({ type: 'noEnd', numberOfOccurrences: 0, recurrenceTimeZone: null, startDate: start(), endDate: null });
  });

  test('endDate and numbered ranges are echoed', async () => {
    const endDate = plusDays(start(), 90);
    const byDate = await created(body({}, { recurrence: recurring('weekly', 1, { type: 'endDate', startDate: start(), endDate }), instanceDurationInDays: 5 }));
    expect((byDate.settings as Settings).recurrence?.range).toMatchObject({ type: 'endDate', startDate: start(), endDate });
    const numbered = await created(body({}, { recurrence: recurring('absoluteMonthly', 1, { type: 'numbered', startDate: start(), numberOfOccurrences: 4 }) }));
    expect((numbered.settings as Settings).recurrence?.range).toMatchObject({ type: 'numbered', numberOfOccurrences: 4, startDate: start() });
  });

  test('a start date sent as a timestamp is echoed as a date', async () => {
    const echoed = await created(body({}, { recurrence: recurring('absoluteMonthly', 1, { type: 'noEnd', startDate: `${start()}T12:02:30.667Z` }) }));
    expect((echoed.settings as Settings).recurrence?.range?.startDate).toBe(start());
  });
});

describe('bad bodies: 400 with Graph\'s envelope, nothing stored', () => {
  const unknownId = 'dddddddd-0000-4000-8000-00000000ffff';
  const set = (change: (d: DefinitionInput) => void) => (): DefinitionInput => {
    const d = body();
    change(d);
    return d;
  };
  const recurrence = (r: () => Recurrence, days = 14) => set((d) => {
    d.settings = { ...d.settings, recurrence: r(), instanceDurationInDays: days };
  });
  const range = (startDate: string, endDate?: string) => recurrence(() => ({ pattern: null, range: { type: 'numbered', startDate, ...(endDate ? { endDate } : {}) } }));
  const cases: Array<[string, () => unknown, string]> = [
    ['no displayName', set((d) => delete d.displayName), 'displayName'],
    ['no descriptionForAdmins', set((d) => delete d.descriptionForAdmins), 'descriptionForAdmins'],
    ['no descriptionForReviewers', set((d) => delete d.descriptionForReviewers), 'descriptionForReviewers'],
    ['no scope', set((d) => delete d.scope), 'scope'],
    ['no scope.query', set((d) => delete d.scope?.query), 'query'],
    ['no settings', set((d) => delete d.settings), 'settings'],
    ['no settings.recurrence', set((d) => delete d.settings?.recurrence), 'recurrence'],
    ['no recurrence.range', set((d) => delete d.settings?.recurrence?.range), 'range'],
    ['no range.startDate', set((d) => delete d.settings?.recurrence?.range?.startDate), 'startDate'],
    ['daily pattern', recurrence(() => recurring('daily', 1)), 'pattern'],
    ['relativeMonthly pattern', recurrence(() => recurring('relativeMonthly', 1)), 'pattern'],
    ['interval 0', recurrence(() => recurring('absoluteMonthly', 0)), 'interval'],
    ["start date '2026-13-45'", range('2026-13-45'), 'startDate'],
    ["start date 'tomorrow'", range('tomorrow'), 'startDate'],
    ['end date before start date', () => range(start(), plusDays(start(), -1))(), 'endDate'],
    ['start date in the past', () => range(plusDays(today, -1))(), 'startDate'],
    ['weekly with 8 days', recurrence(() => recurring('weekly', 1), 8), 'instanceDurationInDays'],
    ['monthly with 40 days', recurrence(() => recurring('absoluteMonthly', 1), 40), 'instanceDurationInDays'],
    ['unknown group in scope', set((d) => { d.scope = scopeOf(members(unknownId)); }), 'scope'],
    ['unknown user as reviewer', set((d) => { d.reviewers = [userReviewer(unknownId)]; }), 'reviewers'],
    ['./manager without queryRoot', set((d) => { d.reviewers = [reviewer('./manager')]; }), 'queryRoot'],
    ['unknown top-level property', set((d) => { d.favouriteColour = 'blue'; }), 'favouriteColour'],
    ['stageSettings', set((d) => { d.stageSettings = [{ stageId: '1', durationInDays: 7, recommendationsEnabled: true, reviewers: [] }]; }), 'stageSettings'],
    ["defaultDecision 'Maybe'", set((d) => { d.settings = { ...d.settings, defaultDecisionEnabled: true, defaultDecision: 'Maybe' }; }), 'defaultDecision'],
  ];

  test.each(cases)('%s', async (_name, make, field) => {
    const before = (await listAll(tokens.adele)).length;
    expectGraphError(await create(make()), 400, field);
    expect((await listAll(tokens.adele)).length).toBe(before);
  });

  test.each([['not JSON', () => '{"displayName": "broken'], ['a JSON array', () => JSON.stringify([body()])]])('a body that is %s', async (_name, raw) => {
    const before = (await listAll(tokens.adele)).length;
    const response = await fetch(`${tenant.graph}/v1.0${REVIEWS}`, {
      method: 'POST', headers: { authorization: `Bearer ${tokens.adele}`, 'content-type': 'application/json' }, body: raw(),
    });
    expectGraphError({ status: response.status, headers: response.headers, body: await response.json() }, 400);
    expect((await listAll(tokens.adele)).length).toBe(before);
  });
});

describe('who may do what (reference 1.6, contract auth)', () => {
  let sales: string;
  let finance: string;
  beforeAll(async () => {
    sales = await idOf('Sales Team guest review');
    finance = await idOf('Finance Apps annual review');
  });
  const get = (token: string | undefined, path: string): Promise<GraphResponse> => graph(tenant, token, 'GET', path);
  const mine = `${REVIEWS}/filterByCurrentUser(on='reviewer')`;

  test('Adele (Identity Governance Administrator) and Lee (User Administrator) may create', async () => {
    expect((await create(body(), tokens.adele)).status).toBe(201);
    expect((await create(body(), tokens.lee)).status).toBe(201);
  });

  test('Megan (no role) may not create or list, but reads the review she is a reviewer of', async () => {
    expectGraphError(await create(body(), tokens.megan), 403);
    expectGraphError(await get(tokens.megan, REVIEWS), 403);
    const one = await get(tokens.megan, `${REVIEWS}/${sales}`);
    expect(one.status).toBe(200);
    expect(one.body.displayName).toBe('Sales Team guest review');
    const reviewing = await get(tokens.megan, mine);
    expect(reviewing.status).toBe(200);
    expect(reviewing.body.value.map((d: { id: string }) => d.id)).toContain(sales);
  });

  // accessreviewscheduledefinition-get: reading needs the creator, a reading role, or being a reviewer of it.
  test('Megan (no role) is no reviewer of Finance Apps: GET of that definition by id is 403', async () => {
    expectGraphError(await get(tokens.megan, `${REVIEWS}/${finance}`), 403);
    expectGraphError(await get(tokens.megan, `${REVIEWS}/${finance}/instances`), 403);
  });

  test('Diego sees the Finance Apps review among those he reviews', async () => {
    const reviewing = await get(tokens.diego, mine);
    expect(reviewing.status).toBe(200);
    expect(reviewing.body.value.map((d: { id: string }) => d.id)).toContain(finance);
  });

  test('Grady (Global Reader) reads but may not write', async () => {
    expect((await get(tokens.grady, REVIEWS)).status).toBe(200);
    expect((await get(tokens.grady, `${REVIEWS}/${sales}`)).status).toBe(200);
    expectGraphError(await create(body(), tokens.grady), 403);
    const current = (await get(tokens.adele, `${REVIEWS}/${finance}`)).body;
    expectGraphError(await graph(tenant, tokens.grady, 'PUT', `${REVIEWS}/${finance}`, current), 403);
    expectGraphError(await graph(tenant, tokens.grady, 'DELETE', `${REVIEWS}/${finance}`), 403);
  });

  test('the bot app token (AccessReview.Read.All) reads but may not create', async () => {
    expect((await get(tokens.bot, REVIEWS)).status).toBe(200);
    expect((await get(tokens.bot, `${REVIEWS}/${sales}`)).status).toBe(200);
    expectGraphError(await create(body(), tokens.bot), 403);
  });

  test('the automation app token (AccessReview.ReadWrite.All) may create', async () => {
    expect((await create(body(), tokens.automation)).status).toBe(201);
  });

  test('a user token with only User.Read may not list', async () => {
    expectGraphError(await get(tokens.userRead, REVIEWS), 403);
  });

  test('filterByCurrentUser with an app token is refused', async () => {
    expectGraphError(await get(tokens.bot, mine), 403);
  });
});

describe('PUT rules (reference traps 1-2)', () => {
  const put = (id: string, definition: DefinitionInput): Promise<GraphResponse> => graph(tenant, tokens.adele, 'PUT', `${REVIEWS}/${id}`, definition);

  test('the scope cannot change', async () => {
    const definition = body();
    const { id } = await created(definition);
    expectGraphError(await put(String(id), { ...definition, scope: scopeOf(members(GROUP.financeApps)) }), 400, 'scope');
  });

  test('owner reviewers cannot become a specific user', async () => {
    const definition = body();
    const { id } = await created(definition);
    expectGraphError(await put(String(id), { ...definition, reviewers: [userReviewer(USER.megan)] }), 400, 'reviewers');
  });

  test('a specific-user reviewer can be replaced by another user', async () => {
    const definition = body({ reviewers: [userReviewer(USER.megan)] });
    const { id } = await created(definition);
    expect((await put(String(id), { ...definition, reviewers: [userReviewer(USER.diego)] })).status).toBe(204);
    const after = await graph(tenant, tokens.adele, 'GET', `${REVIEWS}/${String(id)}`);
    expect(queries(after.body.reviewers)).toEqual([`/users/${USER.diego}`]);
  });

  test('a PUT on a missing id answers 404', async () => {
    expectGraphError(await put(randomUUID(), body()), 404);
  });
});

describe('paging', () => {
  test('105 synthetic definitions page by $top=50 through absolute $skiptoken links, with no duplicates', async () => {
    expect((await control(tenant, 'POST', '/seed', { definitions: 105, decisionsPerInstance: 1 })).status).toBe(200);
    const ids: string[] = [];
    const names: string[] = [];
    let next: string | undefined = `${REVIEWS}?$top=50`;
    while (next !== undefined) {
      const page: GraphResponse = await graph(tenant, tokens.adele, 'GET', next);
      expect(page.status).toBe(200);
      expect(page.body.value.length).toBeLessThanOrEqual(50);
      for (const d of page.body.value as Array<{ id: string; displayName: string }>) {
        ids.push(d.id);
        names.push(d.displayName);
      }
      next = page.body['@odata.nextLink'] as string | undefined;
      if (next !== undefined) {
        expect(next).toMatch(/^https?:\/\//);
        expect(new URL(next).searchParams.get('$skiptoken')).toBeTruthy();
      }
    }
    expect(new Set(ids).size).toBe(ids.length);
    expect(names.filter((n) => n.startsWith('Load review ')).length).toBe(105);
  });

  test('$top=500 is capped at 100 per page', async () => {
    const page = await graph(tenant, tokens.adele, 'GET', `${REVIEWS}?$top=500`);
    expect(page.status).toBe(200);
    expect(page.body.value.length).toBe(100);
    expect(page.body['@odata.nextLink']).toEqual(expect.any(String));
  });
});
