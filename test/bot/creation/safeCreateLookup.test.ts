import { randomUUID } from 'node:crypto';
import { createOnce } from '../../../bot/creation/safeCreate';
import { AppError, isAppError } from '../../../bot/errors';
import { createDefinition, findDefinitionsByName, scopeFilter } from '../../../bot/graph/accessReviews';
import type { AccessReviewsApi } from '../../../bot/graph/apis';
import { GraphClientFactory } from '../../../bot/graph/graphClient';
import { toAppError } from '../../../bot/graph/graphErrors';
import { createLogger } from '../../../bot/logger';
import { completeSettings } from '../../../reviews/defaults';
import { toDefinition, type DefinitionBody } from '../../../reviews/definition';
import type { ReviewScope } from '../../../reviews/settings';
import { GROUP, USER } from '../../../dev/tenant/tenant';
import { control, graph, REVIEWS, startLocalTenant, userToken, type LocalTenant } from '../../support/localTenant';

/**
 * Issue 9, item 10: safe create's lost-answer look-up, against the Graph emulator, uses only the query options Microsoft
 * documents for listing definitions (accessreviewset-list-definitions; the `contains` values of
 * api-reference/includes/accessreviews-definition-filter-scope.md) and reads every page; the undocumented
 * `displayName eq` it used before is refused by the emulator (400), as a real tenant may.
 */
let tenant: LocalTenant;
let factory: GraphClientFactory;
let token: string;
let today: string;
const log = createLogger('silent');
const ADELE = { id: USER.adele, displayName: 'Adele Vance' };

beforeAll(async () => {
  tenant = await startLocalTenant();
  factory = new GraphClientFactory({ baseUrl: tenant.graph, retryDelaySeconds: 0 });
  token = await userToken(tenant, 'adele@contoso.local');
  today = String((await control(tenant, 'GET', '/clock')).body.now).slice(0, 10);
}, 60_000);
afterAll(async () => {
  await tenant.dispose();
});

const sales = { id: GROUP.salesTeam, displayName: 'Sales Team' };
const SCOPES: Array<[string, ReviewScope]> = [
  ['guests of one group', { kind: 'guests', group: sales }],
  ['members of one group', { kind: 'members', group: sales }],
  ['guests in all Microsoft 365 groups', { kind: 'allGroupsGuests' }],
  ['inactive users of one group (no $filter is documented for this scope type)', { kind: 'inactive', group: sales, inactiveDays: 30 }],
];

/** The body the bot posts for `scope`, with a name and a request tag of its own. */
function bodyFor(scope: ReviewScope): DefinitionBody {
  const settings = completeSettings({ scope }, ADELE, today);
  return { ...toDefinition(settings), displayName: `Lookup ${randomUUID().slice(0, 8)}`, descriptionForAdmins: `Tag ${randomUUID()}` };
}

test.each(SCOPES)('%s: the review just created is found among those of its scope', async (_name, scope) => {
  const client = factory.forToken(token);
  const body = bodyFor(scope);
  const created = await createDefinition(client, body);
  await control(tenant, 'POST', '/stats/reset');
  const found = await findDefinitionsByName(client, body.displayName, body.scope);
  expect(found.map((d) => d.id)).toEqual([created.id]);
  expect(found[0]).toMatchObject({ descriptionForAdmins: body.descriptionForAdmins, createdBy: { id: USER.adele } });
  // Every request of the look-up was a plain list of definitions the emulator accepted (it answers 400 otherwise).
  const stats = (await control(tenant, 'GET', '/stats')).body as { byRoute: Record<string, number> };
  expect(Object.keys(stats.byRoute)).toEqual([`GET ${REVIEWS}`]);
});

test('with more than a page of reviews, the look-up follows @odata.nextLink to the last page', async () => {
  expect((await control(tenant, 'POST', '/seed', { definitions: 120, decisionsPerInstance: 1 })).status).toBe(200);
  const client = factory.forToken(token);
  const body = bodyFor({ kind: 'inactive', group: sales, inactiveDays: 30 });
  const created = await createDefinition(client, body);
  await control(tenant, 'POST', '/stats/reset');
  expect((await findDefinitionsByName(client, body.displayName, body.scope)).map((d) => d.id)).toEqual([created.id]);
  expect(((await control(tenant, 'GET', '/stats')).body as { byRoute: Record<string, number> }).byRoute).toEqual({ [`GET ${REVIEWS}`]: 2 });
}, 30_000);

test('the filter is the documented contains on the scope: the group for one group, ./members for all groups, none for inactive users', () => {
  const decoded = (scope: ReviewScope): string | undefined => {
    const filter = scopeFilter(bodyFor(scope).scope);
    return filter === undefined ? undefined : decodeURIComponent(filter);
  };
  expect(decoded({ kind: 'guests', group: sales })).toBe(`contains(scope/microsoft.graph.accessReviewQueryScope/query, '/groups/${GROUP.salesTeam}')`);
  expect(decoded({ kind: 'allGroupsGuests' })).toBe("contains(scope/microsoft.graph.accessReviewQueryScope/query, './members')");
  expect(decoded({ kind: 'inactive', group: sales, inactiveDays: 30 })).toBeUndefined();
  // Graph may echo the query with /v1.0 in front: the same group filter.
  expect(decodeURIComponent(scopeFilter({ query: `/v1.0/groups/${GROUP.salesTeam.toUpperCase()}/members` }) ?? ''))
    .toBe(`contains(scope/microsoft.graph.accessReviewQueryScope/query, '/groups/${GROUP.salesTeam}')`);
});

test('a create whose answer is lost is found by the look-up on the emulator, and posted once only', async () => {
  const client = factory.forToken(token);
  const body = bodyFor({ kind: 'guests', group: sales });
  let posts = 0;
  // The first create happens, then its answer is lost (what a timeout or a 5xx after the write looks like).
  const reviews: AccessReviewsApi = {
    listDefinitions: () => Promise.reject(new Error('not used')),
    getDefinition: () => Promise.reject(new Error('not used')),
    allDefinitions: () => Promise.reject(new Error('not used')),
    definitionsFrom: () => Promise.reject(new Error('not used')),
    instancesOf: () => Promise.reject(new Error('not used')),
    instancesPage: () => Promise.reject(new Error('not used')),
    contactedReviewers: () => Promise.reject(new Error('not used')),
    decisionsAt: () => Promise.reject(new Error('not used')),
    scanInstances: () => Promise.reject(new Error('not used')),
    updateDefinition: () => Promise.reject(new Error('not used')),
    scanDecisions: () => Promise.reject(new Error('not used')),
    reviewInstances: () => Promise.reject(new Error('not used')),
    reviewInstance: () => Promise.reject(new Error('not used')),
    countInstanceDecisions: () => Promise.reject(new Error('not used')),
    instanceAction: () => Promise.reject(new Error('not used')),
    deleteDefinition: () => Promise.reject(new Error('not used')),
    readInstancesPage: () => Promise.reject(new Error('not used')),
    readDecisionsPage: () => Promise.reject(new Error('not used')),
    createDefinition: async (b) => {
      posts += 1;
      await createDefinition(client, b);
      throw new AppError('GraphUnavailable', 'Microsoft Graph is busy.', { status: 504 });
    },
    findDefinitionsByName: (name, scope) => findDefinitionsByName(client, name, scope),
  };
  const now = Date.parse(String((await control(tenant, 'GET', '/clock')).body.now));
  const outcome = await createOnce(reviews, body, USER.adele, log, { now: () => now, sleep: () => Promise.resolve() });
  expect(posts).toBe(1);
  expect(outcome).toMatchObject({ recovered: true, definition: { displayName: body.displayName, descriptionForAdmins: body.descriptionForAdmins } });
});

test("the old look-up's `displayName eq` filter is not documented: the emulator answers 400 in Graph's envelope", async () => {
  const response = await graph(tenant, token, 'GET', `${REVIEWS}?$filter=${encodeURIComponent("displayName eq 'Sales Team guest review'")}`);
  expect(response.status).toBe(400);
  expect(response.body.error).toMatchObject({ code: 'BadRequest', message: expect.stringContaining('displayName') });
  const error = await factory.forToken(token).api(REVIEWS).filter(encodeURIComponent("displayName eq 'x'")).get().then(() => undefined, (e: unknown) => e);
  expect(isAppError(toAppError(error, 'read', 'check whether the access review was created'), 'BadRequest')).toBe(true);
});
