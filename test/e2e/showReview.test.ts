import { SEEDED_REVIEWS } from '../../dev/tenant/seed';
import { control, graph, graphPages, REVIEWS, userToken } from '../support/localTenant';
import { blockTexts as texts, nodes } from '../cards/cardNodes';
import { useLocalStack } from '../support/localStack';
import { USERS } from '../support/teamsClient';

/**
 * `show <review>` over real HTTP (issue 11, item 2), on the seeded tenant and a synthetic 2,500-decision review:
 * every number on the card is read from the emulator with Adele's own token.
 */
const stack = useLocalStack({ env: { SSO_MODE: 'local' } });


async function showCard(text: string): Promise<{ card: unknown; id: string }> {
  const { teams } = stack;
  teams.clear();
  await teams.message(USERS.adele, text);
  const sent = await teams.waitFor(() => teams.sent.find((s) => JSON.stringify(s.activity).includes('"type":"AdaptiveCard"')), 20_000);
  return { card: teams.adaptiveCards(sent.conversationId).at(-1), id: sent.id };
}

/** Progress of an instance as Graph has it: decided items, all items, and the contacted reviewers who decided nothing. */
async function progressFromGraph(definitionId: string): Promise<{ reviewed: number; total: number; waiting: string[]; start: string }> {
  const token = await userToken(stack.tenant, 'adele@contoso.local');
  const instances = (await graph(stack.tenant, token, 'GET', `${REVIEWS}/${definitionId}/instances`)).body.value as Array<{ id: string; startDateTime: string }>;
  const instance = instances[0];
  if (instance === undefined) throw new Error('no instance');
  const base = `${REVIEWS}/${definitionId}/instances/${instance.id}`;
  const items = (await graphPages(stack.tenant, token, `${base}/decisions?$top=100`))
    .flatMap((page) => page.body.value as Array<{ decision: string; reviewedBy?: { id?: string } }>);
  const decided = items.filter((item) => item.decision !== 'NotReviewed');
  const deciders = new Set(decided.map((item) => item.reviewedBy?.id));
  const contacted = (await graph(stack.tenant, token, 'GET', `${base}/contactedReviewers`)).body.value as Array<{ id: string; displayName: string }>;
  return { reviewed: decided.length, total: items.length, waiting: contacted.filter((r) => !deciders.has(r.id)).map((r) => r.displayName), start: instance.startDateTime };
}

test('the seeded Sales Team guest review: its settings in words, and its run\'s progress and waiting reviewers as Graph has them', async () => {
  const token = await userToken(stack.tenant, 'adele@contoso.local');
  const list = (await graph(stack.tenant, token, 'GET', `${REVIEWS}?$select=id,displayName`)).body.value as Array<{ id: string; displayName: string }>;
  const id = list.find((d) => d.displayName === SEEDED_REVIEWS.salesGuests)?.id ?? '';
  const expected = await progressFromGraph(id);
  expect(expected.total).toBeGreaterThan(expected.reviewed);
  const { card } = await showCard(`show "${SEEDED_REVIEWS.salesGuests}"`);
  const lines = texts(card);
  expect(lines.slice(0, 2)).toEqual([SEEDED_REVIEWS.salesGuests, 'In progress · Quarterly']);
  for (const [label, value] of [['What', 'Guests of a group'], ['Group', 'Sales Team'], ['Reviewers', 'The group owners'], ['Fallback', 'Adele Vance'],
    ['Each run lasts', '21 days'], ['Justification', 'Required to approve']]) {
    expect(lines[lines.indexOf(label ?? '') + 1]).toBe(value);
  }
  expect(lines).toContain('Current run · In progress');
  expect(lines).toContain(`${expected.reviewed} of ${expected.total} reviewed (${Math.floor((expected.reviewed / expected.total) * 100)}%)`);
  // The owners who have decided nothing yet (the seed has Megan decide one guest): none here means no such line.
  expect(lines.filter((line) => line.startsWith('Waiting on'))).toEqual(expected.waiting.length === 0 ? [] : [`Waiting on ${expected.waiting.join(', ')}`]);
}, 60_000);

test('a 2,500-decision run: every item counted, 20 pages to a $batch (two batches), and Refresh gives the same card', async () => {
  const seeded = await control(stack.tenant, 'POST', '/seed', { definitions: 1, decisionsPerInstance: 2500 });
  const id = (seeded.body as { definitions: string[] }).definitions[0] ?? '';
  const expected = await progressFromGraph(id);
  expect(expected.total).toBe(2500);
  await control(stack.tenant, 'POST', '/stats/reset');
  const { card, id: activityId } = await showCard(`show ${id}`);
  expect(texts(card)).toContain(`${expected.reviewed} of 2,500 reviewed (0%)`);
  const stats = (await control(stack.tenant, 'GET', '/stats')).body as { batches: number };
  expect(stats.batches).toBe(2);
  const refresh = nodes(card).find((n) => n.type === 'Action.Execute' && n.title === 'Refresh');
  const answer = await stack.teams.cardAction(USERS.adele, activityId, String(refresh?.verb), refresh?.data);
  expect(texts((answer.body as { value?: unknown }).value)).toEqual(texts(card));
}, 120_000);

test('a review deleted between the list and Details: the review is gone, nothing changed', async () => {
  const token = await userToken(stack.tenant, 'adele@contoso.local');
  const seeded = await control(stack.tenant, 'POST', '/seed', { definitions: 1 });
  const id = (seeded.body as { definitions: string[] }).definitions[0] ?? '';
  expect((await graph(stack.tenant, token, 'DELETE', `${REVIEWS}/${id}`)).status).toBe(204);
  const answer = await stack.teams.cardAction(USERS.adele, 'x', 'reviews.show', { verb: 'reviews.show', args: id });
  expect(JSON.stringify(answer.body)).toContain(`No access review has the id \\"${id}\\" (it may have been deleted). Nothing changed.`);
}, 60_000);
