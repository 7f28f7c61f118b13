import { GROUP, USER } from '../../../dev/tenant/tenant';
import { control, expectGraphStatus, graph, graphItems, REVIEWS, startLocalTenant, userToken, type LocalTenant } from '../../support/localTenant';

/**
 * Issue 13: the emulator's rules for recording decisions, as the reviewer seam relies on them (reference 1.2, 1.3, 4.3,
 * 7.11, 7.12; accessreviewinstancedecisionitem-update: "for which the user is the reviewer"; batchRecordDecisions reviews
 * the caller's items that match the principal/resource given): the instance must be InProgress; a reviewer changes only
 * their own items (batchRecordDecisions matching none of them changes nothing, PATCH on one is 403); a non-reviewer
 * gets 403; approvals need a justification when the review says so; synthetic reviews are reviewed by their group's
 * owner; and `/_emulator/stats/faults` counts the answers replaced by injected faults.
 */

const BY_REVIEWER = "filterByCurrentUser(on='reviewer')";
const ZERO_ID = '00000000-0000-0000-0000-000000000000';
const DAY = 86_400_000;

interface Item { id: string; decision: string; reviewedBy: { id: string }; principal: { id: string } }
interface Review { definitionId: string; path: string }

let tenant: LocalTenant;
const token: Record<'adele' | 'megan' | 'alex' | 'diego', string> = { adele: '', megan: '', alex: '', diego: '' };

beforeAll(async () => {
  tenant = await startLocalTenant();
  const users = ['adele', 'megan', 'alex', 'diego'] as const;
  const tokens = await Promise.all(users.map((name) => userToken(tenant, `${name}@contoso.local`)));
  users.forEach((name, n) => { token[name] = tokens[n] ?? ''; });
}, 60_000);
afterAll(async () => {
  await tenant.dispose();
});

async function reviewNamed(name: string): Promise<Review> {
  const definition = (await graphItems<{ id: string; displayName: string }>(tenant, token.adele, REVIEWS)).find((d) => d.displayName === name);
  return reviewOf(definition?.id ?? 'missing');
}
async function reviewOf(definitionId: string): Promise<Review> {
  const [instance] = await graphItems<{ id: string }>(tenant, token.adele, `${REVIEWS}/${definitionId}/instances`);
  return { definitionId, path: `${REVIEWS}/${definitionId}/instances/${instance?.id ?? 'missing'}` };
}
const itemsOf = (review: Review): Promise<Item[]> => graphItems<Item>(tenant, token.adele, `${review.path}/decisions`);
const state = async (review: Review): Promise<string[]> => (await itemsOf(review)).map((i) => `${i.principal.id} ${i.decision} ${i.reviewedBy.id}`).sort();
const itemOf = (items: Item[], principalId: string): Item => items.find((i) => i.principal.id === principalId) ?? { id: 'missing', decision: '', reviewedBy: { id: '' }, principal: { id: '' } };
const post = (who: keyof typeof token, review: Review, action: string, body?: object) => graph(tenant, token[who], 'POST', `${review.path}/${action}`, body);
const patch = (who: keyof typeof token, review: Review, itemId: string, body: object) => graph(tenant, token[who], 'PATCH', `${review.path}/decisions/${itemId}`, body);

test('the instance must be InProgress: PATCH, batchRecordDecisions and acceptRecommendations on a completed one → 400, nothing changes', async () => {
  const finance = await reviewNamed('Finance Apps annual review');
  const instance = await graph(tenant, token.adele, 'GET', finance.path);
  expect(instance.body.status).not.toBe('InProgress');
  const before = await state(finance);
  const [first] = await itemsOf(finance);
  for (const response of [
    await patch('diego', finance, first?.id ?? '', { decision: 'Deny', justification: 'Late.' }),
    await post('diego', finance, 'batchRecordDecisions', { decision: 'Deny', justification: 'Late.' }),
    await post('diego', finance, 'acceptRecommendations'),
  ]) {
    expectGraphStatus(response, 400);
    expect(response.body.error.code).toBe('InvalidReviewState');
  }
  expect(await state(finance)).toEqual(before);
});

test('a user who reviews nothing in the instance (Alex) → 403 for every way of deciding; nothing changes', async () => {
  const sales = await reviewNamed('Sales Team guest review');
  const before = await state(sales);
  const ramesh = itemOf(await itemsOf(sales), USER.ramesh);
  expectGraphStatus(await patch('alex', sales, ramesh.id, { decision: 'Deny', justification: 'No.' }), 403);
  expectGraphStatus(await post('alex', sales, 'batchRecordDecisions', { decision: 'Deny', justification: 'No.' }), 403);
  expectGraphStatus(await post('alex', sales, 'acceptRecommendations'), 403);
  expect(await state(sales)).toEqual(before);
});

test('approval without justification where the review requires one → 400 JustificationRequired (PATCH and batch)', async () => {
  const sales = await reviewNamed('Sales Team guest review');
  const ramesh = itemOf(await itemsOf(sales), USER.ramesh);
  for (const response of [
    await patch('megan', sales, ramesh.id, { decision: 'Approve' }),
    await post('megan', sales, 'batchRecordDecisions', { decision: 'Approve', justification: ' ', principalId: USER.ramesh }),
  ]) {
    expectGraphStatus(response, 400);
    expect(response.body.error.code).toBe('JustificationRequired');
  }
  expect(itemOf(await itemsOf(sales), USER.ramesh).decision).toBe('NotReviewed');
});

describe('a reviewer of some items (./manager: Megan reviews her reports Alex, Isaiah, Johanna)', () => {
  let review: Review;
  beforeAll(async () => {
    const today = String((await control(tenant, 'GET', '/clock')).body.now).slice(0, 10);
    const created = await graph(tenant, token.adele, 'POST', REVIEWS, {
      displayName: 'Sales members, managers, reviewer rules', descriptionForAdmins: 'test/dev/graph/reviewerRules.test.ts', descriptionForReviewers: 'Review.',
      scope: { '@odata.type': '#microsoft.graph.accessReviewQueryScope', query: `/groups/${GROUP.salesTeam}/transitiveMembers/microsoft.graph.user`, queryType: 'MicrosoftGraph' },
      reviewers: [{ query: './manager', queryType: 'MicrosoftGraph', queryRoot: 'decisions' }], fallbackReviewers: [{ query: `/users/${USER.adele}`, queryType: 'MicrosoftGraph' }],
      settings: {
        mailNotificationsEnabled: false, reminderNotificationsEnabled: false, justificationRequiredOnApproval: false, defaultDecisionEnabled: false,
        autoApplyDecisionsEnabled: false, recommendationsEnabled: true, instanceDurationInDays: 7,
        recurrence: { pattern: null, range: { type: 'numbered', numberOfOccurrences: 0, startDate: today, endDate: new Date(Date.parse(today) + 7 * DAY).toISOString().slice(0, 10) } },
      },
    });
    expectGraphStatus(created, 201);
    review = await reviewOf(String(created.body.id));
  });

  test("batchRecordDecisions naming someone else's principal answers 204 and changes nothing (why the seam PATCHes by item)", async () => {
    const before = await state(review);
    expectGraphStatus(await post('megan', review, 'batchRecordDecisions', { decision: 'Deny', justification: 'Not mine.', principalId: USER.ramesh }), 204);
    expect(await state(review)).toEqual(before);
    const ramesh = itemOf(await itemsOf(review), USER.ramesh);
    expectGraphStatus(await patch('megan', review, ramesh.id, { decision: 'Deny', justification: 'Not mine.' }), 403);
    expect(itemOf(await itemsOf(review), USER.ramesh)).toMatchObject({ decision: 'NotReviewed', reviewedBy: { id: ZERO_ID } });
  });

  test('batchRecordDecisions without ids decides every item of hers and no other', async () => {
    expectGraphStatus(await post('megan', review, 'batchRecordDecisions', { decision: 'Approve', justification: 'My team.' }), 204);
    const items = await itemsOf(review);
    const hers = [USER.alex, USER.isaiah, USER.johanna] as string[];
    for (const item of items) {
      if (hers.includes(item.principal.id)) expect(item).toMatchObject({ decision: 'Approve', reviewedBy: { id: USER.megan } });
      else expect(item).toMatchObject({ decision: 'NotReviewed', reviewedBy: { id: ZERO_ID } });
    }
    const mine = await graphItems<Item>(tenant, token.megan, `${review.path}/decisions/${BY_REVIEWER}`);
    expect(mine.map((i) => i.principal.id).sort()).toEqual([...hers].sort());
  });
});

test('a synthetic review (POST /_emulator/seed) is reviewed by its group owner Adele at all three levels, not by Megan', async () => {
  const seeded = await control(tenant, 'POST', '/seed', { definitions: 1, decisionsPerInstance: 150 });
  const review = await reviewOf(String(seeded.body.definitions[0]));
  const [definitions, instances, items] = await Promise.all([
    graphItems<{ id: string }>(tenant, token.adele, `${REVIEWS}/${BY_REVIEWER}`),
    graphItems<{ id: string }>(tenant, token.adele, `${REVIEWS}/${review.definitionId}/instances/${BY_REVIEWER}`),
    graphItems<Item>(tenant, token.adele, `${review.path}/decisions/${BY_REVIEWER}`),
  ]);
  expect(definitions.map((d) => d.id)).toContain(review.definitionId);
  expect(instances).toHaveLength(1);
  expect(items).toHaveLength(150);
  expect((await graphItems<{ id: string }>(tenant, token.megan, `${REVIEWS}/${BY_REVIEWER}`)).map((d) => d.id)).not.toContain(review.definitionId);
});

test('/_emulator/stats/faults counts the answers replaced by injected faults (not other errors), and resets them', async () => {
  await control(tenant, 'POST', '/stats/reset');
  expectGraphStatus(await graph(tenant, token.adele, 'GET', `${REVIEWS}/f0f0f0f0-0000-4000-8000-00000000dead`), 404);
  await control(tenant, 'PUT', '/faults', { errorRate: 1, statuses: [429], retryAfterSeconds: 0 });
  try {
    expectGraphStatus(await graph(tenant, token.adele, 'GET', REVIEWS), 429);
    expectGraphStatus(await graph(tenant, token.adele, 'GET', REVIEWS), 429);
  } finally {
    await control(tenant, 'PUT', '/faults', {});
  }
  expect((await control(tenant, 'GET', '/stats')).body).toMatchObject({ requests: 3 });
  expect((await control(tenant, 'GET', '/stats/faults')).body).toEqual({ faults: 2 });
  await control(tenant, 'POST', '/stats/reset');
  expect((await control(tenant, 'GET', '/stats/faults')).body).toEqual({ faults: 0 });
});
