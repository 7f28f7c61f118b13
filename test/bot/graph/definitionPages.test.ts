import { definitionsFrom, instancesOf } from '../../../bot/graph/definitionPages';
import type { ListPosition, ReviewDefinition } from '../../../bot/graph/apis';
import { GraphClientFactory } from '../../../bot/graph/graphClient';
import { scanDecisions } from '../../../bot/graph/reviewReads';
import { isAppError } from '../../../bot/errors';
import { control, graphPages, REVIEWS, startLocalTenant, userToken, type LocalTenant } from '../../support/localTenant';

/**
 * The seam's reads for `reviews`, `show` and `decisions` against the emulator: a status filter that matches nothing
 * for more than five Graph pages stops there and offers the position to read on from; decisions are scanned in $batch
 * requests of 20 pages; an altered page token is a BadRequest.
 */
let tenant: LocalTenant;
let factory: GraphClientFactory;
let token: string;

beforeAll(async () => {
  tenant = await startLocalTenant();
  factory = new GraphClientFactory({ baseUrl: tenant.graph, retryDelaySeconds: 0 });
  token = await userToken(tenant, 'adele@contoso.local');
  // 620 one-time reviews, finished 40 days later: with the 3 seeded ones, more than six Graph pages where only the
  // seeded recurring reviews are still active.
  expect((await control(tenant, 'POST', '/seed', { definitions: 620 })).status).toBe(200);
  expect((await control(tenant, 'POST', '/clock', { advance: 'P40D' })).status).toBe(200);
}, 120_000);
afterAll(async () => {
  await tenant.dispose();
});

test('`active` over rare matches: five Graph pages at most per card page, then Next from where it stopped, until every match', async () => {
  const all = (await graphPages(tenant, token, `${REVIEWS}?$top=100&$select=id,status`)).flatMap((page) => page.body.value as Array<{ id: string; status: string }>);
  const active = all.filter((d) => !['completed', 'autoreviewed', 'applying', 'applied'].includes(d.status.toLowerCase())).map((d) => d.id);
  expect(active.length).toBeGreaterThan(0);
  expect(active.length).toBeLessThan(10);
  const client = factory.forToken(token);
  const found: string[] = [];
  let from: ListPosition | undefined = { offset: 0 };
  let cardPages = 0;
  for (; from !== undefined; cardPages += 1) {
    await control(tenant, 'POST', '/stats/reset');
    const page: { definitions: ReviewDefinition[]; next: ListPosition | undefined; more: boolean } = await definitionsFrom(client, 'active', 10, undefined, from);
    expect(((await control(tenant, 'GET', '/stats')).body as { requests: number }).requests).toBeLessThanOrEqual(5);
    found.push(...page.definitions.map((d) => d.id));
    from = page.next;
  }
  expect(found).toEqual(active);
  expect(cardPages).toBe(Math.ceil(all.length / 500));
}, 60_000);

test('an altered page token is a BadRequest (the card says the page is no longer valid)', async () => {
  const error = await definitionsFrom(factory.forToken(token), 'all', 10, undefined, { offset: 0, skiptoken: 'bm90LWEtdG9rZW4' }).then(() => undefined, (e: unknown) => e);
  expect(isAppError(error, 'BadRequest')).toBe(true);
});

test('the runs of 10 reviews in one $batch; decisions 20 pages to a $batch, every item once', async () => {
  const client = factory.forToken(token);
  const seeded = (await control(tenant, 'POST', '/seed', { definitions: 1, decisionsPerInstance: 2050 })).body as { definitions: string[]; instances: string[] };
  const id = seeded.definitions[0] ?? '';
  const runs = await instancesOf(client, [id, 'missing-definition']);
  expect([...runs.keys()]).toEqual([id]);
  const instance = runs.get(id)?.[0]?.id ?? '';
  const ids: string[] = [];
  const scan = await scanDecisions(client, id, instance, { select: ['id'] }, (items) => ids.push(...items.map((item) => item.id)));
  // 20 full pages in the first $batch, then the next pages in a second: page 21 is short and the last.
  expect(scan).toEqual({ complete: true, requests: 2 });
  expect(ids).toHaveLength(2050);
  expect(new Set(ids).size).toBe(2050);
  const capped = await scanDecisions(client, id, instance, { select: ['id'], maxItems: 1000 }, () => undefined);
  expect(capped).toEqual({ complete: false, requests: 1 });
}, 60_000);
