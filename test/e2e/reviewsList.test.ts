import { control, graphPages, REVIEWS, userToken } from '../support/localTenant';
import { nodes, type Node } from '../cards/cardNodes';
import { useLocalStack } from '../support/localStack';
import { SALES_TEAM, USERS, type Scope } from '../support/teamsClient';

/**
 * `reviews` as a paged list over real HTTP (issue 11, item 1): the seeded tenant plus 130 synthetic reviews (more
 * than one Graph page of 100), paged 10 at a time with Next / Previous; the expected names are read from the
 * emulator with Adele's own token, following Graph's nextLinks.
 */
const stack = useLocalStack({ env: { SSO_MODE: 'local' } });
const CHANNEL: Scope = { kind: 'channel', teamId: SALES_TEAM.id, channelId: SALES_TEAM.channels[0]?.id };
const ACTIVE = new Set(['notstarted', 'initializing', 'starting', 'inprogress', 'completing', 'autoreviewing']);
const FINISHED = new Set(['completed', 'autoreviewed', 'applying', 'applied']);

/** The review names of a list card: its rows' bold TextRuns. */
const rowNames = (card: unknown): string[] => nodes(card).filter((n) => n.type === 'TextRun' && n.weight === 'Bolder').map((n) => String(n.text));
const buttonNamed = (card: unknown, title: string): Node | undefined => nodes(card).find((n) => n.type === 'Action.Execute' && n.title === title);
const cardOfInvoke = (body: unknown): unknown => (body as { value?: unknown }).value;

/** What Graph says Adele can read, in Graph's order, through every page. */
async function expectedNames(filter: 'all' | 'active' | 'completed', query = ''): Promise<string[]> {
  const token = await userToken(stack.tenant, 'adele@contoso.local');
  const pages = await graphPages(stack.tenant, token, `${REVIEWS}?$top=100&$select=id,displayName,status${query}`);
  return pages.flatMap((page) => page.body.value as Array<{ displayName: string; status: string }>)
    .filter((d) => filter === 'all' || !(filter === 'active' ? FINISHED : ACTIVE).has(d.status.toLowerCase()))
    .map((d) => d.displayName);
}

/** Pages through the list from `text` in `scope` with Next, then back with Previous; the names of each page. */
async function pageThrough(text: string, scope: Scope = { kind: 'personal' }): Promise<{ pages: string[][]; back: string[][] }> {
  const { teams } = stack;
  await teams.message(USERS.adele, text, scope);
  const sent = await teams.waitFor(() => teams.sent.find((s) => JSON.stringify(s.activity).includes('"type":"AdaptiveCard"')), 15_000);
  let card: unknown = teams.adaptiveCards(sent.conversationId).at(-1);
  const pages = [rowNames(card)];
  for (let next = buttonNamed(card, 'Next'); next !== undefined; next = buttonNamed(card, 'Next')) {
    const answer = await teams.cardAction(USERS.adele, sent.id, String(next.verb), next.data, scope);
    expect(answer.status).toBe(200);
    card = cardOfInvoke(answer.body);
    pages.push(rowNames(card));
  }
  const back: string[][] = [];
  for (let previous = buttonNamed(card, 'Previous'); previous !== undefined; previous = buttonNamed(card, 'Previous')) {
    card = cardOfInvoke((await teams.cardAction(USERS.adele, sent.id, String(previous.verb), previous.data, scope)).body);
    back.unshift(rowNames(card));
  }
  return { pages, back };
}

beforeAll(async () => {
  const seeded = await control(stack.tenant, 'POST', '/seed', { definitions: 130 });
  expect(seeded.status).toBe(200);
}, 60_000);

test.each(['all', 'active'] as const)('`reviews %s` pages through every review Adele can read, each once, 10 a page, and back', async (filter) => {
  const expected = await expectedNames(filter);
  expect(expected.length).toBeGreaterThan(100);
  const { pages, back } = await pageThrough(`reviews ${filter}`);
  expect(pages.flat()).toEqual(expected);
  expect(pages.slice(0, -1).every((page) => page.length === 10)).toBe(true);
  expect(back).toEqual(pages.slice(0, -1));
}, 120_000);

test('one page costs three HTTP requests to Graph (the page, the group names, the runs of its 10 reviews in one $batch), and shows each row\'s runs', async () => {
  const { teams, tenant } = stack;
  expect((await control(tenant, 'POST', '/stats/reset')).status).toBeLessThan(300);
  await teams.message(USERS.adele, 'reviews');
  await teams.waitFor(() => teams.adaptiveCards().length > 0, 15_000);
  const card = JSON.stringify(teams.adaptiveCards().at(-1));
  // The emulator counts each request inside a $batch: 1 page + 1 group names + 10 runs, in one $batch HTTP request.
  const stats = (await control(tenant, 'GET', '/stats')).body as { requests: number; batches: number };
  expect({ requests: stats.requests, batches: stats.batches }).toEqual({ requests: 12, batches: 1 });
  expect(card).toMatch(/Reviewers: Group owners · Current run ends \w+day \d+ \w+ \d{4}/);
}, 60_000);

test('in a team channel every page lists only the team group\'s reviews', async () => {
  const expected = await expectedNames('all', `&$filter=${encodeURIComponent(`contains(scope/microsoft.graph.accessReviewQueryScope/query, '/groups/${SALES_TEAM.aadGroupId}')`)}`);
  expect(expected.length).toBeGreaterThan(0);
  const { pages } = await pageThrough('reviews', CHANNEL);
  expect(pages.flat()).toEqual(expected);
}, 60_000);

test('40 days later, `reviews completed` pages through the finished ones (filtered over Graph pages), and `active` has none of them', async () => {
  expect((await control(stack.tenant, 'POST', '/clock', { advance: 'P40D' })).status).toBe(200);
  const expected = await expectedNames('completed');
  expect(expected.length).toBeGreaterThan(100);
  const { pages, back } = await pageThrough('reviews completed');
  expect(pages.flat()).toEqual(expected);
  expect(back).toEqual(pages.slice(0, -1));
  const active = await pageThrough('reviews active');
  expect(active.pages.flat()).toEqual(await expectedNames('active'));
  expect(active.pages.flat().filter((name) => expected.includes(name))).toEqual([]);
}, 120_000);
