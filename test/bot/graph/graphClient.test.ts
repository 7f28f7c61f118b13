import type { PageCollection } from '@microsoft/microsoft-graph-client';
import { isAppError } from '../../../bot/errors';
import { GraphClientFactory } from '../../../bot/graph/graphClient';
import { listDefinitions } from '../../../bot/graph/accessReviews';
import { batchGet, collectPages } from '../../../bot/graph/requests';
import { USER } from '../../../dev/tenant/tenant';
import { control, REVIEWS, startLocalTenant, userToken, type LocalTenant } from '../../support/localTenant';

/**
 * The bot's Graph layer against the emulator: the token goes on every request (also on http hosts),
 * the library's retry honours Retry-After, writes are not retried on 5xx, paging and $batch work.
 */
let tenant: LocalTenant;
let factory: GraphClientFactory;
let token: string;

beforeAll(async () => {
  tenant = await startLocalTenant();
  factory = new GraphClientFactory({ baseUrl: tenant.graph, retryDelaySeconds: 0 });
  token = await userToken(tenant, 'adele@contoso.local');
});
afterAll(async () => {
  await tenant.dispose();
});
afterEach(async () => {
  await control(tenant, 'PUT', '/faults', {});
});

const requests = async (): Promise<number> => (await control(tenant, 'GET', '/stats')).body.requests as number;
const resetStats = (): Promise<unknown> => control(tenant, 'POST', '/stats/reset');

test('the bearer token reaches the http emulator and a typed call works', async () => {
  const me = (await factory.forToken(token).api('/me').get()) as { id: string };
  expect(me.id).toBe(USER.adele);
});

test('429 with Retry-After is retried by the library until it succeeds', async () => {
  // Seed 13 at 60 % throttles the first three requests and lets the fourth through (the faults are deterministic).
  await control(tenant, 'PUT', '/faults', { errorRate: 0.6, statuses: [429], retryAfterSeconds: 0, seed: 13 });
  await resetStats();
  const page = await listDefinitions(factory.forToken(token), 'all');
  expect(page.definitions.length).toBeGreaterThan(0);
  expect(await requests()).toBe(4);
});

test('a write answered 503 is not retried (it may have happened): one request, then GraphUnavailable', async () => {
  await control(tenant, 'PUT', '/faults', { errorRate: 1, statuses: [503], lostWriteRatio: 0, seed: 1 });
  await resetStats();
  const error = await factory.forToken(token).api(REVIEWS).post({}).then(() => undefined, (e: unknown) => e);
  expect(await requests()).toBe(1);
  expect(error).toMatchObject({ statusCode: 503 });
});

test('persistent throttling ends as a Throttled AppError telling the user when to retry', async () => {
  await control(tenant, 'PUT', '/faults', { errorRate: 1, statuses: [429], retryAfterSeconds: 0, seed: 1 });
  const error = await listDefinitions(factory.forToken(token), 'all').then(() => undefined, (e: unknown) => e);
  expect(isAppError(error, 'Throttled')).toBe(true);
  expect(isAppError(error) ? error.userMessage : '').toMatch(/busy.*Try again in \d+ seconds/);
});

test('collectPages follows @odata.nextLink to the end with the PageIterator', async () => {
  await control(tenant, 'POST', '/seed', { definitions: 130, decisionsPerInstance: 1 });
  const client = factory.forToken(token);
  const first = (await client.api(REVIEWS).top(50).select(['id', 'displayName']).get()) as PageCollection;
  const all = await collectPages<{ id: string; displayName: string }>(client, first);
  expect(all.length).toBeGreaterThanOrEqual(133);
  expect(new Set(all.map((d) => d.id)).size).toBe(all.length);
  expect(await collectPages(client, first, 60)).toHaveLength(60);
});

test('batchGet sends 20 per $batch, keeps order, and answers each request on its own', async () => {
  await resetStats();
  const ids = [...Array.from({ length: 44 }, () => USER.megan), 'aaaaaaaa-0000-4000-8000-00000000ffff'];
  const answers = await batchGet(factory.forToken(token), tenant.graph, ids.map((id) => `/users/${id}?$select=id,displayName`));
  expect(answers).toHaveLength(45);
  expect(answers.slice(0, 44).every((a) => a.status === 200 && (a.body as { id: string }).id === USER.megan)).toBe(true);
  expect(answers[44]?.status).toBe(404);
  expect((await control(tenant, 'GET', '/stats')).body.batches).toBe(3);
});

test('batchGet sends throttled inner requests again after their Retry-After', async () => {
  // Seed 4 at 30 % throttles two of the ten inner requests in the first batch and none in the second.
  await control(tenant, 'PUT', '/faults', { errorRate: 0.3, statuses: [429], retryAfterSeconds: 1, seed: 4 });
  await resetStats();
  const answers = await batchGet(factory.forToken(token), tenant.graph, Array.from({ length: 10 }, () => '/me'));
  expect(answers.every((a) => a.status === 200)).toBe(true);
  expect((await control(tenant, 'GET', '/stats')).body).toMatchObject({ batches: 2, requests: 12, inBatches: 12 });
});
