import { blockTexts as texts, nodes, type Node } from '../cards/cardNodes';
import { useLocalStack } from '../support/localStack';
import { control, graphItems, REVIEWS, userToken } from '../support/localTenant';
import { USERS } from '../support/teamsClient';

/**
 * Bulk decisions on the decision card over real HTTP (issue 13, item 3): the real bot, the simulated Teams client and the
 * Graph emulator, on synthetic 2,500-item reviews (`POST /_emulator/seed`; their reviewer is the group owner, Adele).
 * "Approve all recommended approve" records every such item once, in ⌈n/20⌉ `$batch` requests of PATCHes; "Accept all
 * recommendations" in one request. Request counts come from `/_emulator/stats`: the Confirm press is compared with the
 * press that asked, which reads the same (the definition, the runs, the items, the card's page and counts), so the
 * difference is what recording cost.
 */
const stack = useLocalStack({ env: { SSO_MODE: 'local' } });

const ITEMS = 2500;
const PATCH = 'PATCH /identityGovernance/accessReviews/definitions/{definitionId}/instances/{instanceId}/decisions/{decisionId}';
const ACCEPT = 'POST /identityGovernance/accessReviews/definitions/{definitionId}/instances/{instanceId}/acceptRecommendations';

interface Item { id: string; decision: string; recommendation: string; justification: string | null; reviewedBy: { id: string } }
interface Stats { requests: number; batches: number; inBatches: number; byRoute: Record<string, number> }
interface Review { definitionId: string; instanceId: string }

let seeded: Review[] = [];
beforeAll(async () => {
  const answer = await control(stack.tenant, 'POST', '/seed', { definitions: 2, decisionsPerInstance: ITEMS });
  expect(answer.status).toBe(200);
  const { definitions, instances } = answer.body as { definitions: string[]; instances: string[] };
  seeded = definitions.map((definitionId, n) => ({ definitionId, instanceId: instances[n] ?? '' }));
}, 60_000);

const itemsOf = async (review: Review): Promise<Item[]> =>
  graphItems<Item>(stack.tenant, await userToken(stack.tenant, 'adele@contoso.local'), `${REVIEWS}/${review.definitionId}/instances/${review.instanceId}/decisions?$top=100`);
const stats = async (): Promise<Stats> => (await control(stack.tenant, 'GET', '/stats')).body as Stats;
/** HTTP round trips to Graph: requests outside a `$batch`, plus the `$batch` requests. */
const roundTrips = (s: Stats): number => s.requests - s.inBatches + s.batches;

/** Adele's decision card of `review`, as `decide <id>` sends it. */
async function openCard(review: Review): Promise<{ card: unknown; activityId: string }> {
  const { teams } = stack;
  teams.clear();
  await teams.message(USERS.adele, `decide ${review.definitionId}`);
  const sent = await teams.waitFor(() => teams.sent.find((s) => JSON.stringify(s.activity).includes('"type":"AdaptiveCard"')), 30_000);
  return { card: teams.adaptiveCards(sent.conversationId).at(-1), activityId: sent.id };
}

/** Presses the card's button titled `title` as Adele; the replacement card and the Graph requests the press made. */
async function press(card: unknown, activityId: string, title: string): Promise<{ card: unknown; stats: Stats }> {
  const button = nodes(card).find((n: Node) => n.type === 'Action.Execute' && n.title === title);
  if (button === undefined) throw new Error(`no button "${title}": ${nodes(card).filter((n) => n.type === 'Action.Execute').map((n) => n.title).join(', ')}`);
  await control(stack.tenant, 'POST', '/stats/reset');
  const answer = await stack.teams.cardAction(USERS.adele, activityId, String(button.verb), { ...button.data, justification: '' });
  expect(answer.status).toBe(200);
  return { card: (answer.body as { value?: unknown }).value, stats: await stats() };
}

test(`approve all recommended approve, then deny all recommended deny, on a ${ITEMS.toLocaleString('en-US')}-item review: every such item recorded once, in ⌈n/20⌉ $batch requests`, async () => {
  const review = seeded[0];
  const before = await itemsOf(review);
  expect(before).toHaveLength(ITEMS);
  const wanted = before.filter((item) => item.decision === 'NotReviewed' && item.recommendation === 'Approve');
  const n = wanted.length;
  expect(n).toBeGreaterThan(0);
  expect(n).toBeLessThan(ITEMS);
  const { card, activityId } = await openCard(review);

  const asked = await press(card, activityId, 'Approve all recommended approve');
  const confirm = `Approve ${n.toLocaleString('en-US')} items`;
  expect(texts(asked.card)).toContain(`Approve all recommended approve: this records Approve for ${n.toLocaleString('en-US')} of your undecided items. ` +
    `Items already decided and your other pending choices stay as they are. Press ${confirm} to record them, or Back.`);
  // Asking writes nothing.
  expect(asked.stats.byRoute[PATCH]).toBeUndefined();

  const started = performance.now();
  const done = await press(asked.card, activityId, confirm);
  const ms = performance.now() - started;
  expect(texts(done.card)).toContain(`Approved ${n.toLocaleString('en-US')} items recommended for approval.`);
  expect(texts(done.card)).toContain(`You: ${(ITEMS - n).toLocaleString('en-US')} of ${ITEMS.toLocaleString('en-US')} to decide · 0 pending`);
  // Each item once: one PATCH per item, all in $batch requests of 20, and nothing else than what asking read.
  expect(done.stats.byRoute[PATCH]).toBe(n);
  expect(done.stats.batches - asked.stats.batches).toBe(Math.ceil(n / 20));
  expect(done.stats.inBatches - asked.stats.inBatches).toBe(n);
  expect(done.stats.requests - asked.stats.requests).toBe(n);
  expect(roundTrips(done.stats) - roundTrips(asked.stats)).toBe(Math.ceil(n / 20));

  const after = new Map((await itemsOf(review)).map((item) => [item.id, item]));
  const adele = USERS.adele.aadObjectId;
  for (const item of wanted) expect(after.get(item.id)).toMatchObject({ decision: 'Approve', reviewedBy: { id: adele } });
  const untouched = before.filter((item) => !wanted.includes(item));
  expect(untouched.every((item) => after.get(item.id)?.decision === item.decision)).toBe(true);
  process.stdout.write(`bulk approve ${n} of ${ITEMS} items: ${done.stats.batches - asked.stats.batches} $batch requests for the PATCHes; ` +
    `confirm press ${roundTrips(done.stats)} Graph round trips in all (asking: ${roundTrips(asked.stats)}), ${Math.round(ms)} ms\n`);

  // The same Confirm again: nothing left to approve, nothing recorded twice.
  const again = await press(asked.card, activityId, confirm);
  expect(texts(again.card)).toContain('None of your undecided items is recommended for approval: there is nothing to approve. Nothing was recorded.');
  expect(again.stats.byRoute[PATCH]).toBeUndefined();

  // Then deny all recommended deny: the rest of the recommended items, each once; only those without a recommendation stay undecided.
  const denied = before.filter((item) => item.decision === 'NotReviewed' && item.recommendation === 'Deny');
  const d = denied.length;
  const askedDeny = await press(again.card, activityId, 'Deny all recommended deny');
  const doneDeny = await press(askedDeny.card, activityId, `Deny ${d.toLocaleString('en-US')} items`);
  expect(texts(doneDeny.card)).toContain(`Denied ${d.toLocaleString('en-US')} items recommended for denial.`);
  expect(doneDeny.stats.byRoute[PATCH]).toBe(d);
  expect(doneDeny.stats.batches - askedDeny.stats.batches).toBe(Math.ceil(d / 20));
  const final = await itemsOf(review);
  const recommended = before.filter((item) => item.decision === 'NotReviewed' && ['Approve', 'Deny'].includes(item.recommendation));
  expect(n + d).toBe(recommended.length);
  expect(final.filter((item) => item.decision !== 'NotReviewed').map((item) => item.id).sort()).toEqual(recommended.map((item) => item.id).sort());
  expect(final.filter((item) => item.decision === 'Deny').map((item) => item.id).sort()).toEqual(denied.map((item) => item.id).sort());
  process.stdout.write(`bulk deny ${d} of ${ITEMS} items: ${doneDeny.stats.batches - askedDeny.stats.batches} $batch requests for the PATCHes\n`);
}, 120_000);

test(`accept all recommendations on a ${ITEMS.toLocaleString('en-US')}-item review: one acceptRecommendations request`, async () => {
  const review = seeded[1];
  const before = await itemsOf(review);
  const wanted = before.filter((item) => item.decision === 'NotReviewed' && ['Approve', 'Deny'].includes(item.recommendation));
  const approve = wanted.filter((item) => item.recommendation === 'Approve').length;
  const n = wanted.length;
  expect(approve).toBeGreaterThan(0);
  expect(n - approve).toBeGreaterThan(0);
  const { card, activityId } = await openCard(review);

  const asked = await press(card, activityId, 'Accept all recommendations');
  const confirm = `Accept ${n.toLocaleString('en-US')} recommendations`;
  expect(texts(asked.card)).toContain(`Accept all recommendations: this records the recommended decision for ${n.toLocaleString('en-US')} of your undecided items ` +
    `(${approve.toLocaleString('en-US')} approve, ${(n - approve).toLocaleString('en-US')} deny). Items already decided and your other pending choices stay as they are. ` +
    `Press ${confirm} to record them, or Back.`);
  const done = await press(asked.card, activityId, confirm);
  expect(texts(done.card)).toContain(`Accepted the recommendation for ${n.toLocaleString('en-US')} items: ${approve.toLocaleString('en-US')} approved, ` +
    `${(n - approve).toLocaleString('en-US')} denied.`);
  expect(done.stats.byRoute[ACCEPT]).toBe(1);
  expect(done.stats.byRoute[PATCH]).toBeUndefined();
  expect(done.stats.batches - asked.stats.batches).toBe(0);
  expect(roundTrips(done.stats) - roundTrips(asked.stats)).toBe(1);

  const after = new Map((await itemsOf(review)).map((item) => [item.id, item]));
  for (const item of wanted) expect(after.get(item.id)).toMatchObject({ decision: item.recommendation, reviewedBy: { id: USERS.adele.aadObjectId } });
  // The emulator records no justification for accepted recommendations (Graph's acceptRecommendations has no body).
  expect(wanted.every((item) => (after.get(item.id)?.justification ?? '') === '')).toBe(true);
  process.stdout.write(`bulk accept ${n} of ${ITEMS} items: ${roundTrips(done.stats) - roundTrips(asked.stats)} Graph request for the decisions; ` +
    `confirm press ${roundTrips(done.stats)} Graph round trips in all\n`);
}, 120_000);
