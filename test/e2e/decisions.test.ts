import { SEEDED_REVIEWS } from '../../dev/tenant/seed';
import { control, graph, graphPages, REVIEWS, userToken } from '../support/localTenant';
import { blockTexts as texts, nodes } from '../cards/cardNodes';
import { useLocalStack } from '../support/localStack';
import { USERS } from '../support/teamsClient';

/**
 * `decisions <review>` over real HTTP (issue 11, item 3): counts and items read from the emulator with Adele's own
 * token; a 2,500-decision run paged through to the end reaches every item once; the Graph requests are counted.
 */
const stack = useLocalStack({ env: { SSO_MODE: 'local' } });

/** The value of a count row. */
const countOf = (card: unknown, label: string): string => {
  const all = texts(card);
  return all[all.indexOf(label) + 1] ?? '';
};
const ZERO = '00000000-0000-0000-0000-000000000000';

interface Item { id: string; decision: string; reviewedBy?: { id?: string; displayName?: string }; appliedBy?: { id?: string; displayName?: string };
  applyResult?: string; principal?: { displayName?: string } }

async function itemsFromGraph(definitionId: string): Promise<Item[]> {
  const token = await userToken(stack.tenant, 'adele@contoso.local');
  const instances = (await graph(stack.tenant, token, 'GET', `${REVIEWS}/${definitionId}/instances`)).body.value as Array<{ id: string }>;
  const pages = await graphPages(stack.tenant, token, `${REVIEWS}/${definitionId}/instances/${instances[0]?.id ?? ''}/decisions?$top=100`);
  return pages.flatMap((page) => page.body.value as Item[]);
}

async function decisionsCard(text: string): Promise<{ card: unknown; id: string }> {
  const { teams } = stack;
  teams.clear();
  await teams.message(USERS.adele, text);
  const sent = await teams.waitFor(() => teams.sent.find((s) => JSON.stringify(s.activity).includes('"type":"AdaptiveCard"')), 20_000);
  return { card: teams.adaptiveCards(sent.conversationId).at(-1), id: sent.id };
}

test('the seeded Finance review: counts as Graph has them, and the service\'s own decisions labelled', async () => {
  const token = await userToken(stack.tenant, 'adele@contoso.local');
  const list = (await graph(stack.tenant, token, 'GET', `${REVIEWS}?$select=id,displayName`)).body.value as Array<{ id: string; displayName: string }>;
  const id = list.find((d) => d.displayName === SEEDED_REVIEWS.financeAnnual)?.id ?? '';
  const items = await itemsFromGraph(id);
  const by = (decision: string): number => items.filter((item) => item.decision === decision).length;
  const automatic = items.filter((item) => item.reviewedBy?.displayName === 'AAD Access Reviews' || (item.decision !== 'NotReviewed' && item.reviewedBy?.id === ZERO)).length;
  expect(automatic).toBeGreaterThan(0);
  const { card } = await decisionsCard(`decisions "${SEEDED_REVIEWS.financeAnnual}"`);
  expect(countOf(card, 'Items')).toBe(String(items.length));
  const decisions = [['Approved', by('Approve')], ['Denied', by('Deny')], ["Don't know", by('DontKnow')], ['Not reviewed', by('NotReviewed')]]
    .filter(([, n]) => n !== 0).map(([name, n]) => `${String(name)} ${String(n)}`).join(' · ');
  expect(countOf(card, 'Decisions')).toBe(decisions);
  expect(countOf(card, 'Decided automatically by Microsoft Entra')).toMatch(new RegExp(`^${automatic} decided, `));
  expect(texts(card)).toContain('Decided automatically by Microsoft Entra');
}, 60_000);

test('a 2,500-decision run: two $batch requests count every item, and Next reaches every item once', async () => {
  const seeded = await control(stack.tenant, 'POST', '/seed', { definitions: 1, decisionsPerInstance: 2500 });
  const id = (seeded.body as { definitions: string[] }).definitions[0] ?? '';
  const items = await itemsFromGraph(id);
  expect(items).toHaveLength(2500);
  await control(stack.tenant, 'POST', '/stats/reset');
  const { card, id: activityId } = await decisionsCard(`decisions ${id}`);
  // The definition (the id re-checked), its runs, the card's 10 items; the count: a first $batch of 20 full pages,
  // then one of the next 20 (page 25 has no @odata.nextLink: the end; 15 pages sent past it).
  const stats = (await control(stack.tenant, 'GET', '/stats')).body as { requests: number; batches: number; inBatches: number };
  expect(stats).toMatchObject({ requests: 3 + 40, batches: 2, inBatches: 40 });
  expect(countOf(card, 'Items')).toBe('2,500');
  expect(countOf(card, 'Decisions')).toBe('Not reviewed 2,500');

  const seen: string[] = [];
  const namesOf = (c: unknown): string[] => nodes(c).filter((n) => n.type === 'TextRun' && n.weight === 'Bolder').map((n) => String(n.text)).filter((t) => t.startsWith('Load User'));
  let current: unknown = card;
  seen.push(...namesOf(current));
  for (let next = nodes(current).find((n) => n.title === 'Next'); next !== undefined; next = nodes(current).find((n) => n.title === 'Next')) {
    const answer = await stack.teams.cardAction(USERS.adele, activityId, String(next.verb), next.data);
    current = (answer.body as { value?: unknown }).value;
    seen.push(...namesOf(current));
  }
  expect(texts(current).at(-1)).toBe('Page 250 of 250. Filters: pending, approved, denied, dontknow.');
  expect(seen).toEqual(items.map((item) => item.principal?.displayName));
  expect(new Set(seen).size).toBe(2500);
}, 300_000);
