import { DEMO_TENANT, GROUP, USER } from '../../../dev/tenant/tenant';
import { appToken, graph, control, REVIEWS, startLocalTenant, userToken, type GraphResponse, type LocalTenant, expectGraphStatus, graphItems } from '../../support/localTenant';

/**
 * Who may see and decide what in an access review of the Graph emulator, against the contract
 * (spec/local-tenant.md, "Auth" and "Semantics") and the reference (graph-access-reviews.md 1.2, 1.3, 1.6, 4.3, 7):
 * reviewer-only decision recording, the instance actions, filterByCurrentUser at three levels, owner, manager and
 * self reviewers, and PUT on an instance. The clock never moves in this file.
 */

const ZERO_ID = '00000000-0000-0000-0000-000000000000';
const DAY = 86_400_000;
const BY_REVIEWER = "filterByCurrentUser(on='reviewer')";

interface Identity { id: string; displayName?: string | null }
interface Definition { id: string; displayName: string }
interface ReviewerScope { query: string; queryType: string; queryRoot?: string | null }
interface Instance { id: string; status: string; scope: Record<string, unknown>; reviewers: ReviewerScope[]; fallbackReviewers: ReviewerScope[] }
interface DecisionItem { id: string; decision: string; recommendation: string; justification: string | null; reviewedBy: Identity; principal: Identity }

let tenant: LocalTenant;
const tokens: Record<'adele' | 'megan' | 'alex' | 'grady' | 'automation', string> = { adele: '', megan: '', alex: '', grady: '', automation: '' };

beforeAll(async () => {
  tenant = await startLocalTenant();
  const [adele, megan, alex, grady, automation] = await Promise.all([
    userToken(tenant, 'adele@contoso.local'), userToken(tenant, 'megan@contoso.local'), userToken(tenant, 'alex@contoso.local'),
    userToken(tenant, 'grady@contoso.local'), appToken(tenant, 'automation'),
  ]);
  Object.assign(tokens, { adele, megan, alex, grady, automation });
});
afterAll(async () => {
  await tenant.dispose();
});

// ---- helpers -------------------------------------------------------------------------------------------

const salesMembers = DEMO_TENANT.groups.find((g) => g.id === GROUP.salesTeam)?.members ?? [];
const salesMembersWhere = (managerId: string | null): string[] =>
  salesMembers.filter((id) => DEMO_TENANT.users.find((u) => u.id === id)?.managerId === managerId);
const sorted = (values: string[]): string[] => [...values].sort();
const principals = (items: DecisionItem[]): string[] => sorted(items.map((d) => d.principal.id));

const expectStatus = expectGraphStatus;
const list = <T>(token: string, path: string): Promise<T[]> => graphItems<T>(tenant, token, path);

/** A review's one instance, with the paths the tests call. */
interface Review { definitionId: string; instanceId: string; path: string }

async function reviewOf(definitionId: string): Promise<Review> {
  const instances = await list<Instance>(tokens.adele, `${REVIEWS}/${definitionId}/instances`);
  expect(instances).toHaveLength(1);
  const instanceId = instances[0]?.id ?? '';
  return { definitionId, instanceId, path: `${REVIEWS}/${definitionId}/instances/${instanceId}` };
}

const decisionsOf = (review: Review, token = tokens.adele): Promise<DecisionItem[]> => list<DecisionItem>(token, `${review.path}/decisions`);
const myDecisions = (review: Review, token: string): Promise<DecisionItem[]> => list<DecisionItem>(token, `${review.path}/decisions/${BY_REVIEWER}`);

function itemOf(items: DecisionItem[], principalId: string): DecisionItem {
  const item = items.find((d) => d.principal.id === principalId);
  if (!item) throw new Error(`no decision item for ${principalId}`);
  return item;
}

const decide = (review: Review, token: string, itemId: string, body: object): Promise<GraphResponse> =>
  graph(tenant, token, 'PATCH', `${review.path}/decisions/${itemId}`, body);
const action = (review: Review, token: string, name: string, body?: object): Promise<GraphResponse> =>
  graph(tenant, token, 'POST', `${review.path}/${name}`, body);

const ownersOf = (groupId: string): ReviewerScope => ({ query: `/groups/${groupId}/owners`, queryType: 'MicrosoftGraph' });
const userReviewer = (id: string): ReviewerScope => ({ query: `/users/${id}`, queryType: 'MicrosoftGraph' });

/** Creates (as Adele) a one-time 7-day review of the Sales Team members starting today, and returns its instance. */
async function createSalesReview(displayName: string, reviewers: ReviewerScope[], fallbackReviewers: ReviewerScope[],
  settings: Record<string, unknown> = {}): Promise<Review> {
  const clock = await control(tenant, 'GET', '/clock');
  const startDate = String(clock.body.now).slice(0, 10);
  const endDate = new Date(Date.parse(`${startDate}T00:00:00Z`) + 7 * DAY).toISOString().slice(0, 10);
  const response = await graph(tenant, tokens.adele, 'POST', REVIEWS, {
    displayName, descriptionForAdmins: 'Created by test/dev/graph/reviewerActions.test.ts', descriptionForReviewers: 'Please review.',
    scope: { '@odata.type': '#microsoft.graph.accessReviewQueryScope', query: `/groups/${GROUP.salesTeam}/transitiveMembers/microsoft.graph.user`, queryType: 'MicrosoftGraph' },
    reviewers, fallbackReviewers,
    settings: {
      mailNotificationsEnabled: false, reminderNotificationsEnabled: false, justificationRequiredOnApproval: false,
      defaultDecisionEnabled: false, autoApplyDecisionsEnabled: false, recommendationsEnabled: true, instanceDurationInDays: 7,
      recurrence: { pattern: null, range: { type: 'numbered', numberOfOccurrences: 0, startDate, endDate } }, ...settings,
    },
  });
  expectStatus(response, 201);
  expect(response.body.status).toBe('NotStarted');
  return reviewOf(String(response.body.id));
}

// ---- tests ---------------------------------------------------------------------------------------------

describe("filterByCurrentUser(on='reviewer') and reviewer reads (seeded Sales Team guest review)", () => {
  let sales: Review;
  beforeAll(async () => {
    const definition = (await list<Definition>(tokens.adele, REVIEWS)).find((d) => d.displayName === 'Sales Team guest review');
    sales = await reviewOf(definition?.id ?? 'missing');
  });

  test('Megan gets what she reviews at the three levels', async () => {
    const definitions = await list<Definition>(tokens.megan, `${REVIEWS}/${BY_REVIEWER}`);
    expect(definitions.map((d) => d.id)).toEqual([sales.definitionId]);
    const instances = await list<Instance>(tokens.megan, `${REVIEWS}/${sales.definitionId}/instances/${BY_REVIEWER}`);
    expect(instances.map((i) => i.id)).toEqual([sales.instanceId]);
    expect(principals(await myDecisions(sales, tokens.megan))).toEqual(sorted([USER.ramesh, USER.lynne]));
  });

  test('Megan (no directory role) cannot list all instances or decisions, but can read the instance she reviews', async () => {
    expectStatus(await graph(tenant, tokens.megan, 'GET', `${sales.path}/decisions`), 403);
    expectStatus(await graph(tenant, tokens.megan, 'GET', `${REVIEWS}/${sales.definitionId}/instances`), 403);
    const instance = await graph(tenant, tokens.megan, 'GET', sales.path);
    expectStatus(instance, 200);
    expect(instance.body.id).toBe(sales.instanceId);
  });

  test('the contacted reviewers of the Sales instance are its owner Megan', async () => {
    const reviewers = await list<Identity>(tokens.adele, `${sales.path}/contactedReviewers`);
    expect(reviewers.map((r) => r.id)).toEqual([USER.megan]);
  });
});

describe('reviewer actions (owners review, justification required on approval)', () => {
  let review: Review;
  let alexItem: DecisionItem;
  beforeAll(async () => {
    review = await createSalesReview('Sales Team members, reviewer actions', [ownersOf(GROUP.salesTeam)], [userReviewer(USER.adele)],
      { justificationRequiredOnApproval: true });
    alexItem = itemOf(await decisionsOf(review), USER.alex);
  });

  test('the reviewer records a decision with PATCH (204) and becomes reviewedBy', async () => {
    expectStatus(await decide(review, tokens.megan, alexItem.id, { decision: 'Approve', justification: 'Alex runs the northern accounts.' }), 204);
    const item = await graph(tenant, tokens.adele, 'GET', `${review.path}/decisions/${alexItem.id}`);
    expect(item.body).toMatchObject({ decision: 'Approve', justification: 'Alex runs the northern accounts.', reviewedBy: { id: USER.megan } });
  });

  test('a Global Reader, an administrator who is not a reviewer and an app cannot decide, in any form (403)', async () => {
    const body = { decision: 'Deny', justification: 'Not mine to decide.' };
    for (const token of [tokens.grady, tokens.adele, tokens.automation]) expectStatus(await decide(review, token, alexItem.id, body), 403);
    expectStatus(await action(review, tokens.automation, 'acceptRecommendations'), 403);
    // The contract: no app token records decisions, batchRecordDecisions included.
    expectStatus(await action(review, tokens.automation, 'batchRecordDecisions', { decision: 'Deny', justification: 'Bulk.' }), 403);
    expect(itemOf(await decisionsOf(review), USER.alex)).toMatchObject({ decision: 'Approve', reviewedBy: { id: USER.megan } });
  });

  test('invalid decisions: Approve without justification → 400, Maybe → 400, unknown item → 404', async () => {
    const lynne = itemOf(await decisionsOf(review), USER.lynne);
    expectStatus(await decide(review, tokens.megan, lynne.id, { decision: 'Approve' }), 400);
    expectStatus(await decide(review, tokens.megan, lynne.id, { decision: 'Maybe', justification: 'Not sure.' }), 400);
    expectStatus(await decide(review, tokens.megan, 'f0f0f0f0-0000-4000-8000-00000000abcd', { decision: 'Deny', justification: 'Gone.' }), 404);
    expect(itemOf(await decisionsOf(review), USER.lynne).decision).toBe('NotReviewed');
  });

  test('acceptRecommendations gives the reviewer\'s NotReviewed items their Approve/Deny recommendation', async () => {
    const lynne = itemOf(await decisionsOf(review), USER.lynne);
    expect(lynne.recommendation).toBe('Approve');
    expectStatus(await decide(review, tokens.megan, lynne.id, { decision: 'Deny', justification: 'Contract over.' }), 204);
    const before = await decisionsOf(review);
    expect(before.some((d) => d.decision === 'NotReviewed' && d.recommendation === 'NoInfoAvailable')).toBe(true);
    expect(before.some((d) => d.decision === 'NotReviewed' && d.recommendation === 'Deny')).toBe(true);

    expectStatus(await action(review, tokens.megan, 'acceptRecommendations'), 204);
    const after = await decisionsOf(review);
    for (const old of before) {
      const item = itemOf(after, old.principal.id);
      if (old.decision !== 'NotReviewed') expect(item.decision).toBe(old.decision);
      else if (old.recommendation === 'Approve' || old.recommendation === 'Deny') {
        expect(item).toMatchObject({ decision: old.recommendation, reviewedBy: { id: USER.megan } });
      } else expect(item).toMatchObject({ decision: 'NotReviewed', reviewedBy: { id: ZERO_ID } });
    }
  });

  test('batchRecordDecisions with a principalId decides only that principal\'s item', async () => {
    const before = await decisionsOf(review);
    expectStatus(await action(review, tokens.megan, 'batchRecordDecisions',
      { decision: 'Deny', justification: 'Moved to another department.', principalId: USER.miriam }), 204);
    const after = await decisionsOf(review);
    expect(itemOf(after, USER.miriam)).toMatchObject({ decision: 'Deny', reviewedBy: { id: USER.megan } });
    const unchanged = (items: DecisionItem[]): string[] =>
      sorted(items.filter((d) => d.principal.id !== USER.miriam).map((d) => `${d.id} ${d.decision} ${d.reviewedBy.id}`));
    expect(unchanged(after)).toEqual(unchanged(before));
  });

  test('sendReminder: an administrator 204, the reviewer without a role 403', async () => {
    expectStatus(await action(review, tokens.adele, 'sendReminder'), 204);
    expectStatus(await action(review, tokens.megan, 'sendReminder'), 403);
  });

  test('resetDecisions by an administrator puts every item back to NotReviewed', async () => {
    expect((await decisionsOf(review)).some((d) => d.decision !== 'NotReviewed')).toBe(true);
    expectStatus(await action(review, tokens.adele, 'resetDecisions'), 204);
    const items = await decisionsOf(review);
    expect(items).toHaveLength(salesMembers.length);
    for (const item of items) expect(item.decision).toBe('NotReviewed');
  });
});

describe('reviewer kinds', () => {
  test('./manager: each manager reviews the items of their reports, the fallback reviews those without a manager', async () => {
    const review = await createSalesReview('Sales Team members, managers review',
      [{ query: './manager', queryType: 'MicrosoftGraph', queryRoot: 'decisions' }], [userReviewer(USER.adele)]);
    const megans = await myDecisions(review, tokens.megan);
    expect(principals(megans)).toEqual(sorted(salesMembersWhere(USER.megan)));
    expect(principals(megans)).toContain(USER.alex);
    const fallback = await myDecisions(review, tokens.adele);
    expect(principals(fallback)).toEqual(sorted(salesMembersWhere(null)));
    expect(principals(fallback)).toEqual(expect.arrayContaining([USER.ramesh, USER.lynne]));

    const items = await decisionsOf(review);
    expectStatus(await decide(review, tokens.megan, itemOf(items, USER.alex).id, { decision: 'Approve', justification: 'On my team.' }), 204);
    expectStatus(await decide(review, tokens.megan, itemOf(items, USER.ramesh).id, { decision: 'Deny', justification: 'Not my report.' }), 403);
    expect(itemOf(await decisionsOf(review), USER.alex)).toMatchObject({ decision: 'Approve', reviewedBy: { id: USER.megan } });
  });

  test('self-review (reviewers: []): Alex sees and decides only his own item', async () => {
    const review = await createSalesReview('Sales Team members, self-review', [], []);
    const own = await myDecisions(review, tokens.alex);
    expect(principals(own)).toEqual([USER.alex]);
    expectStatus(await decide(review, tokens.alex, own[0]?.id ?? '', { decision: 'Approve', justification: 'I still work in sales.' }), 204);
    const lynne = itemOf(await decisionsOf(review), USER.lynne);
    expectStatus(await decide(review, tokens.alex, lynne.id, { decision: 'Deny', justification: 'Not me.' }), 403);
  });
});

describe('PUT instance (reviewers of the current round)', () => {
  let review: Review;
  let instance: Instance;
  beforeAll(async () => {
    review = await createSalesReview('Sales Team members, reviewers changed', [ownersOf(GROUP.salesTeam)], [userReviewer(USER.adele)]);
    instance = (await graph(tenant, tokens.adele, 'GET', review.path)).body as Instance;
  });

  test('adding a /users reviewer with the scope unchanged → 200 with the new reviewer', async () => {
    const response = await graph(tenant, tokens.adele, 'PUT', review.path, {
      scope: instance.scope, reviewers: [...instance.reviewers, userReviewer(USER.lee)], fallbackReviewers: instance.fallbackReviewers,
    });
    expectStatus(response, 200);
    expect((response.body.reviewers as ReviewerScope[]).some((r) => r.query.endsWith(`/users/${USER.lee}`))).toBe(true);
    const contacted = await list<Identity>(tokens.adele, `${review.path}/contactedReviewers`);
    expect(contacted.map((r) => r.id)).toEqual(expect.arrayContaining([USER.megan, USER.lee]));
  });

  test('removing the existing fallback reviewer → 409', async () => {
    expectStatus(await graph(tenant, tokens.adele, 'PUT', review.path, { scope: instance.scope, reviewers: instance.reviewers, fallbackReviewers: [] }), 409);
  });

  test('a body without scope → 400', async () => {
    expectStatus(await graph(tenant, tokens.adele, 'PUT', review.path, { reviewers: instance.reviewers, fallbackReviewers: instance.fallbackReviewers }), 400);
  });
});
