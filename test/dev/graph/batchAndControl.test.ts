import { randomUUID } from 'node:crypto';
import type { BatchItem } from '../../../dev/graph/dispatch';
import { SEEDED_REVIEWS } from '../../../dev/tenant/seed';
import { GROUP, USER } from '../../../dev/tenant/tenant';
import { appToken, control, graph, REVIEWS, startLocalTenant, userToken, type GraphResponse, type LocalTenant, graphPages } from '../../support/localTenant';

/**
 * Conformance of the Graph emulator's `$batch` endpoint and its `/_emulator` control routes
 * (spec/local-tenant.md "Batching", "Control routes", "Paging"; reference section 5).
 */
let tenant: LocalTenant;
let adele: string;
let megan: string;
beforeAll(async () => {
  tenant = await startLocalTenant();
  [adele, megan] = await Promise.all([userToken(tenant, USER.adele), userToken(tenant, USER.megan)]);
});
afterAll(async () => {
  await tenant.dispose();
});
// No test leaves faults behind for the next one.
afterEach(async () => {
  await setFaults({});
});

interface BatchResponse {
  id: string;
  status: number;
  headers?: Record<string, string>;
  // Inner bodies are loosely typed Graph JSON, like GraphResponse.body.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body?: any;
}

const DAY = 86_400_000;
const UNKNOWN_USER = '0f0f0f0f-0000-4000-8000-00000000dead';

const batch = (token: string, requests: BatchItem[]): Promise<GraphResponse> => graph(tenant, token, 'POST', '/$batch', { requests });

/** The inner responses of a 200 batch answer, by id. */
function byId(response: GraphResponse): Map<string, BatchResponse> {
  expect(response.status).toBe(200);
  const responses = response.body.responses as BatchResponse[];
  return new Map(responses.map((r) => [r.id, r]));
}

function inner(responses: Map<string, BatchResponse>, id: string): BatchResponse {
  const found = responses.get(id);
  if (!found) throw new Error(`no inner response '${id}'`);
  return found;
}

/** An inner response header, case-insensitively (batch headers are a plain JSON object). */
const innerHeader = (response: BatchResponse, name: string): string | undefined =>
  Object.entries(response.headers ?? {}).find(([key]) => key.toLowerCase() === name.toLowerCase())?.[1];

/** A valid one-time review of Sales Team members by its owners, starting in 60 days (so nothing starts). */
const definition = (displayName: string): Record<string, unknown> => ({
  displayName,
  descriptionForAdmins: 'Conformance test review',
  descriptionForReviewers: 'Conformance test review',
  scope: { '@odata.type': '#microsoft.graph.accessReviewQueryScope', query: `/groups/${GROUP.salesTeam}/transitiveMembers`, queryType: 'MicrosoftGraph' },
  reviewers: [{ query: `/groups/${GROUP.salesTeam}/owners`, queryType: 'MicrosoftGraph' }],
  settings: {
    instanceDurationInDays: 7,
    recurrence: { pattern: null, range: { type: 'numbered', startDate: new Date(Date.now() + 60 * DAY).toISOString().slice(0, 10) } },
  },
});
const uniqueName = (label: string): string => `${label} ${randomUUID()}`;

/** Definitions named `name`, read from every page (the docs list no `displayName eq` filter on definitions). */
async function definitionsNamed(name: string): Promise<Array<Record<string, unknown>>> {
  return (await pageAll(REVIEWS)).items.filter((d) => d.displayName === name);
}

async function setFaults(config: Record<string, unknown>): Promise<void> {
  expect((await control(tenant, 'PUT', '/faults', config)).status).toBe(200);
}

/** Follows `@odata.nextLink` to the end; returns the items and the size of each page. */
async function pageAll(path: string): Promise<{ items: Array<Record<string, unknown>>; pageSizes: number[] }> {
  const pages = await graphPages(tenant, adele, path);
  const values = pages.map((page) => page.body.value as Array<Record<string, unknown>>);
  return { items: values.flat(), pageSizes: values.map((value) => value.length) };
}

/** Graph's error envelope (reference 5.1), with `code` when given. */
const expectEnvelope = (body: GraphResponse['body'], code?: string): void => {
  expect(body.error).toMatchObject({ code: code ?? expect.any(String), message: expect.any(String) });
};

describe('$batch', () => {
  test('answers each inner request with its own status, body and headers inside a 200', async () => {
    const name = uniqueName('Batch created');
    const responses = byId(await batch(adele, [
      { id: 'me', method: 'GET', url: '/me' },
      { id: 'unknown', method: 'GET', url: `/users/${UNKNOWN_USER}` },
      { id: 'invalid', method: 'POST', url: REVIEWS, headers: { 'Content-Type': 'application/json' }, body: { displayName: 'No scope, no settings' } },
      { id: 'created', method: 'POST', url: REVIEWS, headers: { 'Content-Type': 'application/json' }, body: definition(name) },
    ]));
    expect(responses.size).toBe(4);
    expect(inner(responses, 'me')).toMatchObject({ status: 200, body: { id: USER.adele, userPrincipalName: 'adele@contoso.local' } });
    expect(inner(responses, 'unknown').status).toBe(404);
    expectEnvelope(inner(responses, 'unknown').body);
    expect(inner(responses, 'invalid').status).toBe(400);
    expectEnvelope(inner(responses, 'invalid').body);
    const created = inner(responses, 'created');
    expect(created).toMatchObject({ status: 201, body: { displayName: name, status: 'NotStarted' } });
    expect(innerHeader(created, 'location')).toMatch(new RegExp(`${REVIEWS}/${String(created.body.id)}$`));
    expect((await graph(tenant, adele, 'GET', `${REVIEWS}/${String(created.body.id)}`)).status).toBe(200);
  });

  test('authorises each inner request with the caller: Megan (no role) reads /me but cannot create', async () => {
    const name = uniqueName('Batch refused');
    const responses = byId(await batch(megan, [
      { id: '1', method: 'GET', url: '/me' },
      { id: '2', method: 'POST', url: REVIEWS, headers: { 'Content-Type': 'application/json' }, body: definition(name) },
    ]));
    expect(inner(responses, '1')).toMatchObject({ status: 200, body: { id: USER.megan } });
    expect(inner(responses, '2').status).toBe(403);
    expectEnvelope(inner(responses, '2').body);
    expect(await definitionsNamed(name)).toHaveLength(0);
  });

  test('a request that depends on a failed one answers 424; on a successful one it runs', async () => {
    const responses = byId(await batch(adele, [
      { id: '1', method: 'GET', url: `/users/${UNKNOWN_USER}` },
      { id: '2', method: 'GET', url: '/me', dependsOn: ['1'] },
      { id: '3', method: 'GET', url: '/me' },
      { id: '4', method: 'GET', url: `/users/${USER.megan}`, dependsOn: ['3'] },
    ]));
    expect(inner(responses, '1').status).toBe(404);
    expect(inner(responses, '2').status).toBe(424);
    expect(inner(responses, '3').status).toBe(200);
    expect(inner(responses, '4')).toMatchObject({ status: 200, body: { id: USER.megan } });
  });

  test.each<[string, BatchItem[]]>([
    ['21 requests', Array.from({ length: 21 }, (_, i) => ({ id: String(i + 1), method: 'GET', url: '/me' }))],
    ['duplicate ids', [{ id: '1', method: 'GET', url: '/me' }, { id: '1', method: 'GET', url: `/users/${USER.megan}` }]],
    ['an absolute url', [{ id: '1', method: 'GET', url: 'https://graph.microsoft.com/v1.0/me' }]],
  ])('%s → 400 with the error envelope', async (_label, requests) => {
    const response = await batch(adele, requests);
    expect(response.status).toBe(400);
    expectEnvelope(response.body);
    expect(response.body.responses).toBeUndefined();
  });

  test('counts every inner request in stats (requests, byRoute) and the batch in batches', async () => {
    expect((await control(tenant, 'POST', '/stats/reset')).status).toBeLessThan(300);
    byId(await batch(adele, [
      { id: '1', method: 'GET', url: '/me' },
      { id: '2', method: 'GET', url: '/me' },
      { id: '3', method: 'GET', url: `/users/${USER.megan}` },
    ]));
    const stats = (await control(tenant, 'GET', '/stats')).body;
    expect(stats.batches).toBe(1);
    expect(stats.byRoute).toMatchObject({ 'GET /me': 2, 'GET /users/{id}': 1 });
    const counted = Object.values(stats.byRoute as Record<string, number>).reduce((a, b) => a + b, 0);
    expect(stats.requests).toBe(counted);
    expect(stats.requests).toBeGreaterThanOrEqual(3);
  });

  test('throttles inner requests on their own: each is a 429 with its Retry-After, the batch a 200', async () => {
    await setFaults({ errorRate: 1, statuses: [429], retryAfterSeconds: 2, seed: 1 });
    const responses = byId(await batch(adele, [
      { id: '1', method: 'GET', url: '/me' },
      { id: '2', method: 'GET', url: `/users/${USER.megan}` },
      { id: '3', method: 'GET', url: REVIEWS },
    ]));
    expect(responses.size).toBe(3);
    for (const response of responses.values()) {
      expect(response.status).toBe(429);
      expect(innerHeader(response, 'Retry-After')).toBe('2');
      expectEnvelope(response.body, 'TooManyRequests');
    }
  });
});

describe('faults', () => {
  test('429 with Retry-After and TooManyRequests; 503 with serviceNotAvailable; {} turns them off', async () => {
    await setFaults({ errorRate: 1, statuses: [429], retryAfterSeconds: 3, seed: 7 });
    const throttled = await graph(tenant, adele, 'GET', '/me');
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toBe('3');
    expectEnvelope(throttled.body, 'TooManyRequests');

    await setFaults({ errorRate: 1, statuses: [503], seed: 7 });
    const unavailable = await graph(tenant, adele, 'GET', '/me');
    expect(unavailable.status).toBe(503);
    expectEnvelope(unavailable.body, 'serviceNotAvailable');

    await setFaults({});
    expect((await control(tenant, 'GET', '/faults')).body).toEqual({});
    expect((await graph(tenant, adele, 'GET', '/me')).status).toBe(200);
  });

  test('GET /_emulator/faults shows the current configuration', async () => {
    const config = { errorRate: 1, statuses: [429], retryAfterSeconds: 3, seed: 7 };
    await setFaults(config);
    const current = await control(tenant, 'GET', '/faults');
    expect(current.status).toBe(200);
    expect(current.body).toMatchObject(config);
  });

  test('the same seed replays the same sequence of faults; another seed gives another', async () => {
    const sequence = async (config: Record<string, unknown>): Promise<number[]> => {
      await setFaults(config);
      const statuses: number[] = [];
      for (let i = 0; i < 30; i += 1) statuses.push((await graph(tenant, adele, 'GET', '/me')).status);
      return statuses;
    };
    const config = { errorRate: 0.5, statuses: [429, 503], seed: 42 };
    const first = await sequence(config);
    const second = await sequence(config);
    expect(second).toEqual(first);
    expect(new Set(first)).toEqual(new Set([200, 429, 503]));
    expect(await sequence({ ...config, seed: 43 })).not.toEqual(first);
  });

  test('latencyMs delays every Graph answer by at least that much', async () => {
    await setFaults({ latencyMs: 300 });
    const started = performance.now();
    const response = await graph(tenant, adele, 'GET', '/me');
    expect(performance.now() - started).toBeGreaterThanOrEqual(300);
    expect(response.status).toBe(200);
  });

  test.each<[string, Record<string, unknown>]>([
    ['errorRate above 1', { errorRate: 2 }],
    ['an unknown key', { errorRate: 0.1, burst: true }],
  ])('an invalid configuration (%s) → 400, and the previous one stays', async (_label, config) => {
    await setFaults({ errorRate: 1, statuses: [503], seed: 5 });
    const response = await control(tenant, 'PUT', '/faults', config);
    expect(response.status).toBe(400);
    expectEnvelope(response.body);
    expect((await control(tenant, 'GET', '/faults')).body).toMatchObject({ errorRate: 1, statuses: [503], seed: 5 });
  });
});

describe('lost writes (faults.ts lostWriteRatio)', () => {
  test('with lostWriteRatio 1 a 503 POST was nevertheless executed', async () => {
    const name = uniqueName('Lost write');
    await setFaults({ errorRate: 1, statuses: [503], lostWriteRatio: 1, seed: 3 });
    const response = await graph(tenant, adele, 'POST', REVIEWS, definition(name));
    expect(response.status).toBe(503);
    expectEnvelope(response.body, 'serviceNotAvailable');
    await setFaults({});
    expect(await definitionsNamed(name)).toHaveLength(1);
  });

  test('with lostWriteRatio 0 a 503 POST creates nothing', async () => {
    const name = uniqueName('Refused write');
    await setFaults({ errorRate: 1, statuses: [503], lostWriteRatio: 0, seed: 3 });
    expect((await graph(tenant, adele, 'POST', REVIEWS, definition(name))).status).toBe(503);
    await setFaults({});
    expect(await definitionsNamed(name)).toHaveLength(0);
  });

  test('a 429 never executes the write, whatever lostWriteRatio says', async () => {
    const name = uniqueName('Throttled write');
    await setFaults({ errorRate: 1, statuses: [429], lostWriteRatio: 1, seed: 3 });
    expect((await graph(tenant, adele, 'POST', REVIEWS, definition(name))).status).toBe(429);
    await setFaults({});
    expect(await definitionsNamed(name)).toHaveLength(0);
  });
});

describe('stats', () => {
  test('counts requests since the last reset, by route template', async () => {
    expect((await control(tenant, 'POST', '/stats/reset')).status).toBeLessThan(300);
    await graph(tenant, adele, 'GET', '/me');
    await graph(tenant, adele, 'GET', '/me');
    await graph(tenant, adele, 'GET', `/users/${USER.megan}`);
    await graph(tenant, adele, 'GET', `/users/${USER.alex}`);
    await graph(tenant, adele, 'GET', `/users/${UNKNOWN_USER}`);
    const stats = await control(tenant, 'GET', '/stats');
    expect(stats.status).toBe(200);
    expect(stats.body).toEqual({ requests: 5, byRoute: { 'GET /me': 2, 'GET /users/{id}': 3 }, batches: 0, inBatches: 0, byCaller: { app: 0, user: 5 }, appByRoute: {} });
  });

  test('tells requests of the app on its own (client credentials) from those made for a user, by route', async () => {
    expect((await control(tenant, 'POST', '/stats/reset')).status).toBeLessThan(300);
    const bot = await appToken(tenant, 'bot');
    await graph(tenant, bot, 'GET', `${REVIEWS}?$top=1`);
    await graph(tenant, bot, 'GET', `/users/${USER.megan}`);
    await graph(tenant, adele, 'GET', `${REVIEWS}?$top=1`);
    await graph(tenant, 'not-a-token', 'GET', '/me');
    const stats = (await control(tenant, 'GET', '/stats')).body as { requests: number; byCaller: unknown; appByRoute: unknown };
    expect(stats.requests).toBe(4);
    expect(stats.byCaller).toEqual({ app: 2, user: 1 });
    expect(stats.appByRoute).toEqual({ 'GET /identityGovernance/accessReviews/definitions': 1, 'GET /users/{id}': 1 });
  });
});

describe('clock', () => {
  const readClock = async (): Promise<number> => {
    const response = await control(tenant, 'GET', '/clock');
    expect(response.status).toBe(200);
    expect(typeof response.body.now).toBe('string');
    return Date.parse(String(response.body.now));
  };

  test('GET reads the time; POST {advance: P3D} moves it three days', async () => {
    const before = await readClock();
    expect(Number.isNaN(before)).toBe(false);
    const moved = await control(tenant, 'POST', '/clock', { advance: 'P3D' });
    expect(moved.status).toBe(200);
    const after = Date.parse(String(moved.body.now));
    expect(Math.abs(after - before - 3 * DAY)).toBeLessThanOrEqual(60_000);
    expect(Math.abs((await readClock()) - after)).toBeLessThanOrEqual(60_000);
  });

  test.each<[string, unknown]>([
    ['a time in the past', { now: new Date(Date.now() - DAY).toISOString() }],
    ['a duration that is not ISO 8601', { advance: '3 days' }],
    ['an empty body', {}],
  ])('POST with %s → 400, and the clock does not move', async (_label, body) => {
    const before = await readClock();
    const response = await control(tenant, 'POST', '/clock', body);
    expect(response.status).toBe(400);
    expectEnvelope(response.body);
    expect(Math.abs((await readClock()) - before)).toBeLessThanOrEqual(60_000);
  });
});

describe('reset', () => {
  test('brings back the seeded tenant: created data gone, seeded reviews back, clock real, faults off', async () => {
    const name = uniqueName('Before reset');
    const created = await graph(tenant, adele, 'POST', REVIEWS, definition(name));
    expect(created.status).toBe(201);
    const [falcon = {}] = await definitionsNamed(SEEDED_REVIEWS.falconGuests);
    expect((await graph(tenant, adele, 'DELETE', `${REVIEWS}/${String(falcon.id)}`)).status).toBe(204);
    expect((await control(tenant, 'POST', '/clock', { advance: 'P10D' })).status).toBe(200);
    await setFaults({ errorRate: 1, statuses: [503], seed: 9 });

    expect((await control(tenant, 'POST', '/reset')).status).toBe(200);

    expect((await control(tenant, 'GET', '/faults')).body).toEqual({});
    const now = Date.parse(String((await control(tenant, 'GET', '/clock')).body.now));
    expect(Math.abs(now - Date.now())).toBeLessThanOrEqual(60_000);
    expect((await graph(tenant, adele, 'GET', `${REVIEWS}/${String(created.body.id)}`)).status).toBe(404);
    const names = (await pageAll(REVIEWS)).items.map((d) => d.displayName);
    expect(names).toEqual(expect.arrayContaining(Object.values(SEEDED_REVIEWS)));
    expect(names).not.toContain(name);
  });
});

describe('synthetic seed', () => {
  test('adds groups, definitions and in-progress instances with the requested sizes', async () => {
    const seeded = await control(tenant, 'POST', '/seed', { groups: 2, membersPerGroup: 150, definitions: 2, decisionsPerInstance: 250 });
    expect(seeded.status).toBe(200);
    const { groups, definitions, instances } = seeded.body as { groups: string[]; definitions: string[]; instances: string[] };
    expect(groups).toHaveLength(2);
    expect(definitions).toHaveLength(2);
    expect(instances).toHaveLength(2);

    for (const groupId of groups) {
      const count = await graph(tenant, adele, 'GET', `/groups/${groupId}/members/$count`, undefined, { ConsistencyLevel: 'eventual' });
      expect(count.status).toBe(200);
      expect(Number(count.body)).toBe(150);
    }

    for (const definitionId of definitions) {
      const listed = await graph(tenant, adele, 'GET', `${REVIEWS}/${definitionId}/instances`);
      expect(listed.status).toBe(200);
      const instanceIds = (listed.body.value as Array<{ id: string }>).map((i) => i.id);
      expect(instanceIds).toHaveLength(1);
      const instanceId = instanceIds[0] ?? '';
      expect(instances).toContain(instanceId);
      const decisions = `${REVIEWS}/${definitionId}/instances/${instanceId}/decisions`;

      const all = await pageAll(`${decisions}?$top=100`);
      expect(all.pageSizes).toEqual([100, 100, 50]);
      expect(new Set(all.items.map((d) => d.id)).size).toBe(250);

      const filtered = async (filter: string): Promise<Array<Record<string, unknown>>> =>
        (await pageAll(`${decisions}?$filter=${encodeURIComponent(filter)}`)).items;
      // Decisions support $filter with eq only (resources/accessreviewinstancedecisionitem): one list per value.
      const notReviewed = await filtered("decision eq 'NotReviewed'");
      expect(notReviewed.every((d) => d.decision === 'NotReviewed')).toBe(true);
      expect(notReviewed).toHaveLength(250);
      expect(await filtered("decision eq 'Approve'")).toEqual([]);
      const byRecommendation = await Promise.all(['Approve', 'Deny', 'NoInfoAvailable'].map((r) => filtered(`recommendation eq '${r}'`)));
      const [, deny = []] = byRecommendation;
      expect(deny.length).toBeGreaterThan(0);
      expect(deny.every((d) => d.recommendation === 'Deny')).toBe(true);
      expect(byRecommendation.reduce((n, items) => n + items.length, 0)).toBe(250);
    }
  });

  test.each<[string, Record<string, unknown>]>([
    ['a negative number', { groups: -1, membersPerGroup: 10 }],
    ['an unknown key', { groups: 1, owners: 3 }],
  ])('a bad body (%s) → 400', async (_label, body) => {
    const response = await control(tenant, 'POST', '/seed', body);
    expect(response.status).toBe(400);
    expectEnvelope(response.body);
  });
});

describe('control routes', () => {
  test('an unknown control route → 404', async () => {
    expect((await control(tenant, 'GET', '/nothing-here')).status).toBe(404);
    expect((await control(tenant, 'DELETE', '/stats')).status).toBe(404);
  });

  test('need no token (the Graph routes do)', async () => {
    expect((await graph(tenant, undefined, 'GET', '/me')).status).toBe(401);
    for (const path of ['/stats', '/clock', '/faults']) expect((await control(tenant, 'GET', path)).status).toBe(200);
  });
});
