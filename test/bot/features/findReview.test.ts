import { TestAdapter, TurnContext } from 'botbuilder';
import { REVIEWS_LIST } from '../../../cards/verbs';
import { findReview, type FoundReview } from '../../../bot/features/findReview';
import type { ReviewDefinition } from '../../../bot/graph/apis';
import { IDS, smallTenant, type FakeTenant } from '../../support/fakeGraph';
import { buttonsOf, cardTexts, type Button } from '../support/botHarness';

/** `<review>` of a command → one review as the user sees it, a choice, or the closest names (issue 11, on the issue 8 resolver). */

const definition = (id: string, displayName: string, status = 'InProgress'): ReviewDefinition => ({
  id, displayName, status, settings: {},
  scope: { '@odata.type': '#microsoft.graph.accessReviewQueryScope', query: `/groups/${IDS.sales}/transitiveMembers/microsoft.graph.user/?$count=true`, queryType: 'MicrosoftGraph' },
});
const ID_1 = '11111111-aaaa-4aaa-8aaa-000000000001';
const ID_2 = '11111111-aaaa-4aaa-8aaa-000000000002';

let tenant: FakeTenant;
beforeEach(() => {
  tenant = smallTenant();
  tenant.definitions.push(definition(ID_1, 'Sales Team guests'), definition(ID_2, 'Sales Team members', 'Completed'), definition('x-3', 'Finance Apps annual'));
});

const turn = new TurnContext(new TestAdapter(), {
  type: 'message', conversation: { id: 'c', conversationType: 'personal', isGroup: false, name: '' }, from: { id: '29:a', name: 'A' }, recipient: { id: '28:b', name: 'B' },
});
const find = (args: string, verb = true): Promise<FoundReview> => findReview(
  { turn, scope: 'personal', userId: IDS.adele, args, graph: tenant.forUser(IDS.adele) },
  { phrase: 'show', ...(verb ? { verb: REVIEWS_LIST } : {}), trailingKeywords: ['pending'] },
);
const text = (found: FoundReview): string => (found.kind === 'answer' && 'text' in found.reply ? found.reply.text : '');

test('a quoted name, a prefix, an id: one review, re-read as the user; words after the name are left for the command', async () => {
  expect(await find('"Sales Team guests"')).toMatchObject({ kind: 'found', review: { id: ID_1 }, rest: '' });
  expect(await find('Finance')).toMatchObject({ kind: 'found', review: { id: 'x-3' } });
  expect(await find('Sales Team guests pending')).toMatchObject({ kind: 'found', review: { id: ID_1 }, rest: 'pending' });
  expect(await find(ID_2)).toMatchObject({ kind: 'found', review: { id: ID_2 } });
  expect(tenant.calls.filter((call) => call.method === 'getDefinition').map((call) => [call.as, call.args])).toEqual([[IDS.adele, [ID_2]]]);
});

test('several matches: a choice card whose buttons replay the command with each id; without a verb, a list', async () => {
  const found = await find('Sales');
  const card = found.kind === 'answer' && 'card' in found.reply ? found.reply.card : undefined;
  expect(cardTexts(card)[0]).toBe('2 reviews match `Sales`');
  expect(buttonsOf(card).map((button: Button) => [button.title, button.data])).toEqual([
    ['Sales Team guests · In progress', { verb: REVIEWS_LIST, args: ID_1 }],
    ['Sales Team members · Completed', { verb: REVIEWS_LIST, args: ID_2 }],
  ]);
  expect(text(await find('Sales', false))).toBe('2 reviews match `Sales`: "Sales Team guests", "Sales Team members". Type the whole name in quotes, or the id.');
});

test('nothing, a typo, a deleted id: a clear answer, never a guess', async () => {
  expect(text(await find(''))).toMatch(/^Which review\? Type `show <review>`/);
  expect(text(await find('Sales Taem guests'))).toBe('No access review you can read is called `Sales Taem guests`. Did you mean "Sales Team guests"? Type `reviews` to see them.');
  expect(text(await find('99999999-aaaa-4aaa-8aaa-000000000009'))).toBe('No access review has the id `99999999-aaaa-4aaa-8aaa-000000000009` (it may have been deleted). Nothing changed.');
});
