import { SEEDED_REVIEWS } from '../../dev/tenant/seed';
import { graph, graphPages, REVIEWS, userToken } from '../support/localTenant';
import { blockTexts as texts, nodes } from '../cards/cardNodes';
import { useLocalStack } from '../support/localStack';
import { SALES_TEAM, USERS, type Scope } from '../support/teamsClient';
import { MAX_CARD_BYTES, validateCard } from '../../cards/validate';

/**
 * `summary <review>` in the Sales Team channel over real HTTP (issue 12, item 1): every number on the card is read
 * from the emulator with Adele's own token, no principal name or justification reaches the channel, and after Megan
 * records a decision with her own token, Refresh updates the posted card in place (the same activity id).
 */
const stack = useLocalStack({ env: { SSO_MODE: 'local' } });
const CHANNEL: Scope = { kind: 'channel', teamId: SALES_TEAM.id, channelId: SALES_TEAM.channels[0]?.id };
const ZERO = '00000000-0000-0000-0000-000000000000';

interface Identity { id?: string; displayName?: string }
interface Item {
  id: string; decision: string; recommendation?: string; applyResult?: string; justification?: string | null;
  reviewedBy?: Identity; appliedBy?: Identity; principal?: { displayName?: string; userPrincipalName?: string };
}

const isService = (who: Identity | undefined, acted: boolean): boolean => who?.displayName === 'AAD Access Reviews' || (acted && who?.id === ZERO);

/** The Sales Team guest review's current run and its items, as Graph gives them to Adele. */
async function fromGraph(): Promise<{ definitionId: string; path: string; items: Item[] }> {
  const token = await userToken(stack.tenant, 'adele@contoso.local');
  const list = (await graph(stack.tenant, token, 'GET', `${REVIEWS}?$select=id,displayName`)).body.value as Array<{ id: string; displayName: string }>;
  const definitionId = list.find((d) => d.displayName === SEEDED_REVIEWS.salesGuests)?.id ?? '';
  const instances = (await graph(stack.tenant, token, 'GET', `${REVIEWS}/${definitionId}/instances`)).body.value as Array<{ id: string; status: string }>;
  const running = instances.filter((instance) => instance.status === 'InProgress');
  expect(running).toHaveLength(1);
  const path = `${REVIEWS}/${definitionId}/instances/${running[0]?.id ?? ''}`;
  const items = (await graphPages(stack.tenant, token, `${path}/decisions?$top=100`)).flatMap((page) => page.body.value as Item[]);
  return { definitionId, path, items };
}

/** What the card must say, computed here from Graph's items. */
function expectedLines(items: Item[]): { progress: string; tiles: string[]; follow: string; applied: string; automatic: string } {
  const by = (decision: string): number => items.filter((item) => item.decision === decision).length;
  const reviewed = items.length - by('NotReviewed');
  const withRecommendation = items.filter((item) => ['Approve', 'Deny'].includes(item.decision) && ['Approve', 'Deny'].includes(item.recommendation ?? ''));
  const result = (...values: string[]): number => items.filter((item) => values.includes(item.applyResult ?? '')).length;
  return {
    progress: `${reviewed} of ${items.length} reviewed (${Math.floor((reviewed / items.length) * 100)}%)`,
    tiles: [`Approved ${by('Approve')}`, `Denied ${by('Deny')}`, `Don't know ${by('DontKnow')}`, `Not reviewed ${by('NotReviewed')}`],
    follow: `${withRecommendation.filter((item) => item.decision === item.recommendation).length} of ${withRecommendation.length} decisions with a recommendation`,
    applied: `Applied ${result('AppliedSuccessfully', 'AppliedSuccessfullyButObjectNotFound')} · Failed ${result('AppliedWithUnknownFailure')} · Not supported ${result('ApplyNotSupported')}`,
    automatic: `${items.filter((item) => isService(item.reviewedBy, item.decision !== 'NotReviewed')).length} decided, ` +
      `${items.filter((item) => isService(item.appliedBy, (item.applyResult ?? 'New') !== 'New')).length} applied`,
  };
}

/** The same lines as the card says them. */
function cardLines(card: unknown): ReturnType<typeof expectedLines> {
  const all = texts(card);
  const after = (label: string): string => all[all.indexOf(label) + 1] ?? '';
  return {
    progress: all.find((line) => / reviewed \(\d+%\)$/.test(line)) ?? '',
    tiles: ['Approved', 'Denied', "Don't know", 'Not reviewed'].map((label) => `${label} ${all[all.indexOf(label) - 1] ?? '?'}`),
    follow: after('Follow the recommendation'),
    applied: after('Applied results'),
    automatic: after('Done automatically by Microsoft Entra'),
  };
}

test('the Sales Team channel: the seeded run\'s exact counts, no principal or justification; Refresh after Megan decides updates the card in place', async () => {
  const { teams } = stack;
  const before = await fromGraph();
  expect(before.items.some((item) => item.decision !== 'NotReviewed')).toBe(true);
  await teams.message(USERS.adele, `summary "${SEEDED_REVIEWS.salesGuests}"`, CHANNEL);
  const posted = await teams.waitFor(() => teams.sent.find((s) => JSON.stringify(s.activity).includes('"type":"AdaptiveCard"')), 20_000);
  const card = teams.adaptiveCards(posted.conversationId).at(-1);
  expect(posted.conversationId.startsWith(SALES_TEAM.channels[0]?.id ?? '?')).toBe(true);
  expect(validateCard(card ?? {})).toEqual([]);
  expect(Buffer.byteLength(JSON.stringify(card))).toBeLessThanOrEqual(MAX_CARD_BYTES);
  expect(texts(card)[0]).toBe(SEEDED_REVIEWS.salesGuests);
  expect(cardLines(card)).toEqual(expectedLines(before.items));
  // Per-principal data never reaches the channel: no principal's name or address, no justification.
  const json = JSON.stringify(card);
  const secrets = before.items.flatMap((item) => [item.principal?.displayName, item.principal?.userPrincipalName, item.justification ?? undefined])
    .filter((text): text is string => typeof text === 'string' && text !== '');
  expect(secrets.length).toBeGreaterThan(before.items.length);
  expect(secrets.filter((secret) => json.includes(secret))).toEqual([]);

  // Megan (an owner of Sales Team, a reviewer of the run) denies one guest with her own token.
  const pending = before.items.find((item) => item.decision === 'NotReviewed');
  if (pending === undefined) throw new Error('the seeded run has no undecided item');
  const megan = await userToken(stack.tenant, 'megan@contoso.local');
  expect((await graph(stack.tenant, megan, 'PATCH', `${before.path}/decisions/${pending.id}`, { decision: 'Deny', justification: 'No longer works with us.' })).status).toBe(204);
  const after = await fromGraph();
  expect(expectedLines(after.items)).not.toEqual(expectedLines(before.items));

  const refresh = nodes(card).find((n) => n.type === 'Action.Execute' && n.title === 'Refresh');
  const answer = await teams.cardAction(USERS.adele, posted.id, String(refresh?.verb), refresh?.data);
  expect(answer.status).toBe(200);
  const refreshed = (answer.body as { value?: unknown }).value;
  expect(cardLines(refreshed)).toEqual(expectedLines(after.items));
  // The posted message itself was replaced for everyone: a PUT of the same activity id with the same card.
  const update = await teams.waitForUpdate((u) => u.id === posted.id, 10_000);
  expect(update.conversationId).toBe(posted.conversationId);
  expect(teams.adaptiveCards(posted.conversationId).at(-1)).toEqual(refreshed);
  expect(JSON.stringify(refreshed)).not.toContain('No longer works with us.');
}, 120_000);

test('`summary all` in the channel: one digest of the team group\'s active reviews with their progress', async () => {
  const { teams } = stack;
  const { items } = await fromGraph();
  await teams.message(USERS.adele, 'summary all', CHANNEL);
  const posted = await teams.waitFor(() => teams.sent.find((s) => JSON.stringify(s.activity).includes('"type":"AdaptiveCard"')), 20_000);
  const card = teams.adaptiveCards(posted.conversationId).at(-1);
  expect(validateCard(card ?? {})).toEqual([]);
  const lines = texts(card);
  expect(lines[0]).toBe("Active access reviews of this team's group");
  expect(lines).toContain(SEEDED_REVIEWS.salesGuests);
  // Reviews of other groups are not in a team channel's digest.
  expect(lines).not.toContain(SEEDED_REVIEWS.financeAnnual);
  expect(lines).toContain(expectedLines(items).progress);
}, 60_000);
