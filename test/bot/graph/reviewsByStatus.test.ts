import { Client, type Context, type Middleware } from '@microsoft/microsoft-graph-client';
import { findDefinitionsByName, listDefinitions } from '../../../bot/graph/accessReviews';
import { isAppError } from '../../../bot/errors';
import type { ReviewDefinition } from '../../../bot/graph/apis';
import { IDS, smallTenant } from '../../support/fakeGraph';
import { buildBot, cardOf, cardTexts, PEOPLE, type BotHarness } from '../support/botHarness';

/**
 * Issue 9, item 9: `reviews active` = not yet finished (NotStarted, Initializing, Starting, InProgress, Completing,
 * AutoReviewing), `reviews completed` = finished (Completed, AutoReviewed, Applying, Applied); statuses in words; an
 * unknown status shown as it came and never hidden. The vocabulary: resources/accessreviewscheduledefinition (eight
 * values), accessreviewscheduledefinition-get ("Applying"), accessreviewinstance-filterbycurrentuser ("Applied").
 */
const ACTIVE = ['NotStarted', 'Initializing', 'Starting', 'InProgress', 'Completing', 'AutoReviewing'];
const FINISHED = ['Completed', 'AutoReviewed', 'Applying', 'Applied'];
const UNKNOWN = 'Scheduled';
const ALL = [...ACTIVE, ...FINISHED, UNKNOWN];

const review = (status: string): ReviewDefinition => ({
  id: `def-${status}`, displayName: `Review ${status}`, status,
  scope: { '@odata.type': '#microsoft.graph.accessReviewQueryScope', query: `/groups/${IDS.sales}/transitiveMembers/microsoft.graph.user` },
});

/** A Graph client serving `definitions` in pages of `size` linked by `@odata.nextLink`; records each URL asked for. */
function pagedClient(definitions: ReviewDefinition[], size: number): { client: Client; urls: URL[] } {
  const urls: URL[] = [];
  const middleware: Middleware = {
    execute: (context: Context): Promise<void> => {
      const url = new URL(typeof context.request === 'string' ? context.request : context.request.url);
      urls.push(url);
      const start = Number(url.searchParams.get('$skiptoken') ?? 0);
      const next = start + size < definitions.length ? `https://graph.example.test/v1.0/identityGovernance/accessReviews/definitions?$skiptoken=${start + size}` : undefined;
      const body = { '@odata.count': definitions.length, value: definitions.slice(start, start + size), ...(next ? { '@odata.nextLink': next } : {}) };
      context.response = new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
      return Promise.resolve();
    },
  };
  return { client: Client.initWithMiddleware({ middleware, baseUrl: 'https://graph.example.test/', defaultVersion: 'v1.0' }), urls };
}

const statusesOf = (definitions: ReviewDefinition[]): string[] => definitions.map((d) => String(d.status));

describe('the seam: listDefinitions filters the whole vocabulary over the pages it reads', () => {
  test('each status lands in the right list; an unknown status in both; no $filter is sent (no `or` is documented)', async () => {
    const { client, urls } = pagedClient(ALL.map(review), 4);
    expect(statusesOf((await listDefinitions(client, 'active', 20)).definitions)).toEqual([...ACTIVE, UNKNOWN]);
    expect(statusesOf((await listDefinitions(pagedClient(ALL.map(review), 4).client, 'completed', 20)).definitions)).toEqual([...FINISHED, UNKNOWN]);
    // `all` is Graph's own page, as it comes, with its link.
    const all = await listDefinitions(pagedClient(ALL.map(review), 4).client, 'all', 20);
    expect({ statuses: statusesOf(all.definitions), more: all.nextLink !== undefined }).toEqual({ statuses: ALL.slice(0, 4), more: true });
    expect(urls).toHaveLength(3);
    expect(urls.every((url) => url.searchParams.get('$filter') === null)).toBe(true);
    expect(urls[0]?.searchParams.get('$top')).toBe('100');
  });

  test('the casing Graph uses does not matter', async () => {
    const { client } = pagedClient([review('inprogress'), review('APPLIED')], 100);
    expect(statusesOf((await listDefinitions(client, 'active', 11)).definitions)).toEqual(['inprogress']);
  });

  test('more matches than asked for: `top` of them and a link saying more follow; all read and fewer: no link', async () => {
    const many = Array.from({ length: 30 }, (_, i) => review(i % 2 === 0 ? 'InProgress' : 'Completed'));
    const page = await listDefinitions(pagedClient(many, 10).client, 'active', 11);
    expect(page.definitions).toHaveLength(11);
    expect(page.nextLink).toEqual(expect.any(String));
    const few = await listDefinitions(pagedClient(many.slice(0, 10), 10).client, 'active', 11);
    expect(few).toEqual({ definitions: many.slice(0, 10).filter((_, i) => i % 2 === 0), nextLink: undefined });
  });

  test('a status-filtered list reads at most five pages, then says more may follow', async () => {
    const completed = Array.from({ length: 60 }, () => review('Completed'));
    const { client, urls } = pagedClient([...completed, review('InProgress')], 10);
    const page = await listDefinitions(client, 'active', 11);
    expect(urls).toHaveLength(5);
    expect(page).toEqual({ definitions: [], nextLink: expect.stringContaining('$skiptoken=50') });
  });
});

describe('the lost-answer look-up reads every page, up to a bound', () => {
  test('ten pages are read to the end; past ten it answers GraphUnavailable, never "not there"', async () => {
    const named = (n: number): ReviewDefinition[] => Array.from({ length: n }, (_, i) => ({ ...review('NotStarted'), id: `d-${i}`, displayName: i === n - 1 ? 'Mine' : `Other ${i}` }));
    const tenPages = pagedClient(named(1000), 100);
    expect((await findDefinitionsByName(tenPages.client, 'Mine')).map((d) => d.id)).toEqual(['d-999']);
    expect(tenPages.urls).toHaveLength(10);
    const error = await findDefinitionsByName(pagedClient(named(1001), 100).client, 'Mine').then(() => undefined, (e: unknown) => e);
    expect(isAppError(error, 'GraphUnavailable')).toBe(true);
  });
});

describe('the command: `reviews active|completed|all` lists by the whole vocabulary, statuses in words', () => {
  let bot: BotHarness;
  beforeEach(() => {
    const tenant = smallTenant();
    tenant.definitions.push(...ALL.map(review));
    bot = buildBot({ tenant, signedIn: [IDS.adele] });
  });
  afterEach(async () => {
    await bot.close();
  });

  const rows = async (command: string): Promise<string[]> =>
    cardTexts(cardOf((await bot.say(PEOPLE.adele, command))[0])).filter((text) => text.startsWith('Guests of') || text.startsWith('Members of'));
  const names = async (command: string): Promise<string[]> =>
    cardTexts(cardOf((await bot.say(PEOPLE.adele, command))[0])).filter((text) => text.startsWith('Review '));

  test('reviews active: the six not-yet-finished statuses and the unknown one', async () => {
    expect(await names('reviews active')).toEqual([...ACTIVE, UNKNOWN].map((s) => `Review ${s}`));
  });

  test('reviews completed: the four finished statuses and the unknown one', async () => {
    expect(await names('reviews completed')).toEqual([...FINISHED, UNKNOWN].map((s) => `Review ${s}`));
  });

  test('statuses are shown in words; the unknown one as it came', async () => {
    expect(await rows('reviews active')).toEqual(['Not started', 'Initializing', 'Starting', 'In progress', 'Completing', 'Auto-reviewing', UNKNOWN]
      .map((words) => `Members of Sales Team · ${words} · One time`));
    expect(await rows('reviews completed')).toEqual(['Completed', 'Auto-reviewed', 'Applying', 'Applied', UNKNOWN]
      .map((words) => `Members of Sales Team · ${words} · One time`));
  });
});
