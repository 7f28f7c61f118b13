import type { ReviewDefinition } from '../../../bot/graph/apis';
import { validateCard } from '../../../cards/validate';
import { IDS, smallTenant, type FakeTenant } from '../../support/fakeGraph';
import { buildBot, buttonsOf, cardOf, cardTexts, CHANNEL, executeValue, invokeCard, invokeText, NOW, PEOPLE, type BotHarness } from '../support/botHarness';

/**
 * `reviews [active|completed|all]` as a paged list (issue 11, item 1): 10 per page, Next / Previous carried by the
 * Graph page position in the button's args (re-checked on every press), the channel rule kept on every page.
 */

const STATUSES = ['InProgress', 'Completed', 'NotStarted', 'Applied', 'SomethingNew'];
const query = (group: string): string => `/v1.0/groups/${group}/transitiveMembers/microsoft.graph.user/?$count=true`;

/** `count` reviews of Sales Team (even) and Finance (odd), statuses in turn; names "Review 001"... */
function tenantWith(count: number): FakeTenant {
  const tenant = smallTenant(() => NOW);
  for (let n = 1; n <= count; n += 1) {
    const group = n % 2 === 0 ? IDS.sales : IDS.finance;
    const definition: ReviewDefinition = {
      id: `def-${n}`, displayName: `Review ${String(n).padStart(3, '0')}`, status: STATUSES[n % STATUSES.length] ?? null,
      scope: { '@odata.type': '#microsoft.graph.accessReviewQueryScope', query: query(group), queryType: 'MicrosoftGraph' },
      reviewers: [{ query: `/v1.0/groups/${group}/owners`, queryType: 'MicrosoftGraph' }], settings: {},
    };
    tenant.definitions.push(definition);
  }
  return tenant;
}

const names = (card: ReturnType<typeof cardOf>): string[] => cardTexts(card).filter((text) => /^Review \d{3}$/.test(text));
const button = (card: ReturnType<typeof cardOf>, title: string): { verb: string; data: unknown } | undefined => {
  const found = buttonsOf(card).find((b) => b.title === title);
  return found === undefined ? undefined : { verb: found.verb ?? '', data: found.data };
};

let bot: BotHarness;
afterEach(async () => {
  await bot.close();
});

describe('paging', () => {
  test.each([['all', () => true], ['active', (s: string) => ['InProgress', 'NotStarted', 'SomethingNew'].includes(s)],
    ['completed', (s: string) => ['Completed', 'Applied', 'SomethingNew'].includes(s)]] as const)(
    '`reviews %s`: Next reaches every matching review once, in order, 10 a page, then Previous walks back', async (filter, matches) => {
      bot = buildBot({ signedIn: [IDS.adele], tenant: tenantWith(237) });
      const expected = bot.tenant.definitions.filter((d) => matches(d.status ?? '')).map((d) => d.displayName);
      let card = cardOf((await bot.say(PEOPLE.adele, `reviews ${filter}`))[0]);
      const pages: string[][] = [names(card)];
      for (let next = button(card, 'Next'); next !== undefined; next = button(card, 'Next')) {
        expect(validateCard(card ?? {})).toEqual([]);
        card = invokeCard(await bot.press(PEOPLE.adele, next.verb, next.data));
        pages.push(names(card));
      }
      expect(pages.flat()).toEqual(expected);
      expect(pages.slice(0, -1).every((page) => page.length === 10)).toBe(true);
      expect(cardTexts(card).at(-1)).toBe(`Page ${pages.length}. Type **show** and a review name for details.`);
      // Back to the first page, one page at a time, each page as it was.
      for (let index = pages.length - 2; index >= 0; index -= 1) {
        const previous = button(card, 'Previous');
        expect(previous).toBeDefined();
        card = invokeCard(await bot.press(PEOPLE.adele, previous?.verb ?? '', previous?.data));
        expect(names(card)).toEqual(pages[index]);
      }
      expect(button(card, 'Previous')).toBeUndefined();
      // Never everything at once: one Graph list call per card page.
      expect(bot.tenant.methods().filter((m) => m === 'definitionsFrom')).toHaveLength(2 * pages.length - 1);
    });

  test('a short list has no paging buttons and counts its rows', async () => {
    bot = buildBot({ signedIn: [IDS.adele], tenant: tenantWith(4) });
    const card = cardOf((await bot.say(PEOPLE.adele, 'reviews'))[0]);
    expect(names(card)).toEqual(['Review 001', 'Review 002', 'Review 003', 'Review 004']);
    expect(cardTexts(card).at(-1)).toBe('Showing 4 of 4 access reviews. Type **show** and a review name for details.');
    // Each row's Details (show <id>) and Decisions (personal chat); no Previous / Next.
    expect(buttonsOf(card).map((b) => `${b.title} ${String((b.data as { args?: string }).args)}`)).toEqual(['Details def-1', 'Decisions def-1', 'Details def-2', 'Decisions def-2', 'Details def-3', 'Decisions def-3', 'Details def-4', 'Decisions def-4']);
  });

  test('an altered page position is refused in words, and Graph is not asked', async () => {
    bot = buildBot({ signedIn: [IDS.adele], tenant: tenantWith(30) });
    for (const args of ['all page 2 999', 'all page 2 5s-1', 'all page 1 5', 'all page x 5', 'all page 3 5t<script> 6']) {
      const answer = invokeText(await bot.press(PEOPLE.adele, 'reviews.list', { verb: 'reviews.list', args }));
      expect(answer).toBe('That page of the list is no longer valid (the list changed, or the button was altered). Type "reviews" to start again.');
    }
    expect(bot.tenant.calls).toEqual([]);
  });

  test('a page token Graph no longer takes (400) gets the same answer, not an error', async () => {
    bot = buildBot({ signedIn: [IDS.adele], tenant: tenantWith(30) });
    const answer = invokeText(await bot.press(PEOPLE.adele, 'reviews.list', { verb: 'reviews.list', args: 'all page 2 0tabc' }));
    expect(answer).toBe('That page of the list is no longer valid (the list changed, or the button was altered). Type "reviews" to start again.');
    expect(bot.tenant.methods()).toEqual(['definitionsFrom']);
  });
});

describe('the channel rule on every page', () => {
  test('Next in a team channel lists only the team group\'s reviews, whatever the card says', async () => {
    bot = buildBot({ signedIn: [IDS.megan], tenant: tenantWith(60) });
    const salesNames = bot.tenant.definitions.filter((d) => (d.scope as { query: string }).query.includes(IDS.sales)).map((d) => d.displayName);
    const first = cardOf((await bot.say(PEOPLE.megan, 'reviews', CHANNEL))[0]);
    const next = button(first, 'Next');
    const second = invokeCard(await bot.press(PEOPLE.megan, next?.verb ?? '', next?.data, CHANNEL));
    const third = invokeCard(await bot.press(PEOPLE.megan, 'reviews.list', button(second, 'Next')?.data, CHANNEL));
    expect([...names(first), ...names(second), ...names(third)]).toEqual(salesNames);
    expect(bot.tenant.calls.filter((c) => c.method === 'definitionsFrom').every((c) => c.args[2] === IDS.sales)).toBe(true);
    expect(cardTexts(second)[1]).toMatch(/^Only the reviews of this team's group, Sales Team/);
  });
});

describe('each row', () => {
  test('reviewers and the current run in words, read from the queries Graph echoes', async () => {
    const tenant = smallTenant(() => NOW);
    const scope = (q: string): ReviewDefinition['scope'] => ({ '@odata.type': '#microsoft.graph.accessReviewQueryScope', query: q, queryType: 'MicrosoftGraph' });
    tenant.definitions.push(
      { id: 'd1', displayName: 'Owners review', status: 'InProgress', scope: scope(query(IDS.sales)), reviewers: [{ query: `/groups/${IDS.sales}/owners` }], settings: {} },
      { id: 'd2', displayName: 'Managers review', status: 'Completed', scope: scope(`/groups/${IDS.finance}/members`),
        reviewers: [{ query: './manager', queryRoot: 'decisions' }, { query: `/users/${IDS.megan}` }, { query: `/users/${IDS.alex}` }], settings: {} },
      { id: 'd3', displayName: 'All groups', status: 'InProgress', scope: scope("./members/microsoft.graph.user/?$count=true&$filter=(userType eq 'Guest')"),
        reviewers: [{ query: './owners' }], settings: { recurrence: { pattern: { type: 'absoluteMonthly', interval: 3 }, range: { type: 'noEnd', startDate: '2025-04-01' } } } },
    );
    tenant.runs.push(
      { definitionId: 'd1', id: 'i1', status: 'InProgress', startDateTime: '2025-06-01T08:00:00Z', endDateTime: '2025-06-15T08:00:00Z', items: [] },
      { definitionId: 'd2', id: 'i2', status: 'Completed', startDateTime: '2025-05-01T08:00:00Z', endDateTime: '2025-05-15T08:00:00Z', items: [] },
      { definitionId: 'd3', id: 'i3a', status: 'InProgress', startDateTime: '2025-04-01T08:00:00Z', endDateTime: '2025-04-15T08:00:00Z', items: [] },
      { definitionId: 'd3', id: 'i3b', status: 'InProgress', startDateTime: '2025-06-01T08:00:00Z', endDateTime: '2025-06-20T08:00:00Z', items: [] },
    );
    bot = buildBot({ signedIn: [IDS.adele], tenant });
    const texts = cardTexts(cardOf((await bot.say(PEOPLE.adele, 'reviews'))[0]));
    expect(texts).toEqual(['Access reviews',
      'Owners review', 'Members of Sales Team · In progress · One time', 'Reviewers: Group owners · Current run ends Sunday 15 June 2025',
      'Managers review', 'Members of Finance · Completed · One time', "Reviewers: Each person's manager and 2 named people · Last run ended Thursday 15 May 2025",
      'All groups', 'Guests in all Microsoft 365 groups · In progress · Quarterly',
      'Reviewers: The owners of each group · Current run ends Friday 20 June 2025 (1 other run at the same time)',
      'Showing 3 of 3 access reviews. Type **show** and a review name for details.']);
    // The runs of the whole page in one call (one $batch on Graph).
    expect(bot.tenant.methods()).toEqual(['definitionsFrom', 'groupNames', 'instancesOf']);
  });
});

test('Details and Decisions on the list post their card below and leave the list as it was; Next replaces the list', async () => {
  const tenant = tenantWith(12);
  const first = tenant.definitions[0];
  first.id = '6f1d7e1c-0d6b-4c4e-9d4e-2f6a3b9c1a01'; // `show` resolves an id only when it looks like one
  bot = buildBot({ signedIn: [IDS.adele], tenant });
  const list = cardOf((await bot.say(PEOPLE.adele, 'reviews all')).at(-1));
  const details = button(list, 'Details');
  expect(details?.data).toEqual({ verb: 'reviews.show', args: first.id, open: 'below' });
  const pressed = await bot.invoke(PEOPLE.adele, 'adaptiveCard/action', executeValue(details?.verb ?? '', details?.data));
  const answer = pressed.invoke?.body as Parameters<typeof invokeText>[0];
  expect(invokeText(answer)).toBe('Opened below.');
  expect(pressed.replies).toHaveLength(1);
  expect(cardTexts(cardOf(pressed.replies[0]))).toContain('Review 001');
  const next = button(list, 'Next');
  const paged = await bot.invoke(PEOPLE.adele, 'adaptiveCard/action', executeValue(next?.verb ?? '', next?.data));
  expect(paged.replies).toHaveLength(0);
  expect(names(invokeCard(paged.invoke?.body as Parameters<typeof invokeCard>[0]))).toEqual(['Review 011', 'Review 012']);
});
