import { GraphError, type Client } from '@microsoft/microsoft-graph-client';
import { GROUP, USER } from '../../../dev/tenant/tenant';
import type { DecisionChoice, RecordOutcome, ReviewerApi, ReviewerItem } from '../../../bot/graph/apis';
import { GraphClientFactory } from '../../../bot/graph/graphClient';
import { graphApisOver } from '../../../bot/graph/graphSeam';
import { myItems, recordDecisions } from '../../../bot/graph/reviewerDecisions';
import { appToken, control, graph, graphItems, REVIEWS, startLocalTenant, userToken, type LocalTenant } from '../../support/localTenant';

/**
 * Issue 13: the reviewer's seam (bot/graph/reviewerDecisions.ts) against the Graph emulator over HTTP, with each user's
 * own delegated token: the three-level filterByCurrentUser walk checked against the emulator's own lists read as Adele
 * (an administrator), the item filters and pages, decisions recorded per item in `$batch` requests (counted in
 * `/_emulator/stats`), Graph's refusals per item, injected 429s, acceptRecommendations and app tokens.
 */

const DAY = 86_400_000;
const ZERO_ID = '00000000-0000-0000-0000-000000000000';

interface Item { id: string; decision: string; recommendation: string; justification: string | null; reviewedBy: { id: string }; principal: { id: string; userPrincipalName: string } }
interface Review { definitionId: string; instanceId: string; path: string }

let tenant: LocalTenant;
let factory: GraphClientFactory;
const token: Record<'adele' | 'megan' | 'alex' | 'app', string> = { adele: '', megan: '', alex: '', app: '' };
const seam = (who: keyof typeof token): ReviewerApi => graphApisOver(() => Promise.resolve(factory.forToken(token[who]))).reviewer;

beforeAll(async () => {
  tenant = await startLocalTenant();
  factory = new GraphClientFactory({ baseUrl: tenant.graph, retryDelaySeconds: 1 });
  const [adele, megan, alex, app] = await Promise.all([userToken(tenant, 'adele@contoso.local'), userToken(tenant, 'megan@contoso.local'),
    userToken(tenant, 'alex@contoso.local'), appToken(tenant)]);
  Object.assign(token, { adele, megan, alex, app });
}, 60_000);
afterAll(async () => {
  await tenant.dispose();
});

/** Every item of an instance as the emulator holds it (Adele reads all). */
const itemsOf = (review: Review): Promise<Item[]> => graphItems<Item>(tenant, token.adele, `${review.path}/decisions`);
const ofPrincipal = (items: Item[], principalId: string): Item => {
  const found = items.find((item) => item.principal.id === principalId);
  if (found === undefined) throw new Error(`no item for ${principalId}`);
  return found;
};
const ids = (items: ReadonlyArray<{ id: string }>): string[] => items.map((item) => item.id).sort();
interface Stats { requests: number; batches: number; inBatches: number; faults: number; byRoute: Record<string, number> }
/** `/_emulator/stats` with the count of answers replaced by injected faults. */
const stats = async (): Promise<Stats> => ({
  ...((await control(tenant, 'GET', '/stats')).body as Omit<Stats, 'faults'>), faults: Number((await control(tenant, 'GET', '/stats/faults')).body.faults),
});
const PATCH_ROUTE = 'PATCH /identityGovernance/accessReviews/definitions/{definitionId}/instances/{instanceId}/decisions/{decisionId}';

async function reviewOf(definitionId: string): Promise<Review> {
  const [instance] = await graphItems<{ id: string }>(tenant, token.adele, `${REVIEWS}/${definitionId}/instances`);
  const instanceId = instance?.id ?? 'missing';
  return { definitionId, instanceId, path: `${REVIEWS}/${definitionId}/instances/${instanceId}` };
}

/** A one-time review of the Sales Team's eight members starting today, created by Adele with these reviewers. */
async function salesMembersReview(name: string, reviewers: object[], justificationRequiredOnApproval: boolean): Promise<Review> {
  const today = String((await control(tenant, 'GET', '/clock')).body.now).slice(0, 10);
  const response = await graph(tenant, token.adele, 'POST', REVIEWS, {
    displayName: name, descriptionForAdmins: 'test/bot/graph/reviewerDecisions.test.ts', descriptionForReviewers: 'Please review.',
    scope: { '@odata.type': '#microsoft.graph.accessReviewQueryScope', query: `/groups/${GROUP.salesTeam}/transitiveMembers/microsoft.graph.user`, queryType: 'MicrosoftGraph' },
    reviewers, fallbackReviewers: [{ query: `/users/${USER.adele}`, queryType: 'MicrosoftGraph' }],
    settings: {
      mailNotificationsEnabled: false, reminderNotificationsEnabled: false, justificationRequiredOnApproval, defaultDecisionEnabled: false,
      autoApplyDecisionsEnabled: false, recommendationsEnabled: true, instanceDurationInDays: 7,
      recurrence: { pattern: null, range: { type: 'numbered', numberOfOccurrences: 0, startDate: today, endDate: new Date(Date.parse(today) + 7 * DAY).toISOString().slice(0, 10) } },
    },
  });
  expect(response.status).toBe(201);
  return reviewOf(String(response.body.id));
}
const OWNERS = [{ query: `/groups/${GROUP.salesTeam}/owners`, queryType: 'MicrosoftGraph' }];
const MANAGERS = [{ query: './manager', queryType: 'MicrosoftGraph', queryRoot: 'decisions' }];

const choose = (item: Item, decision: DecisionChoice['decision'], justification?: string): DecisionChoice =>
  ({ itemId: item.id, decision, ...(justification === undefined ? {} : { justification }) });

describe("the reviewer's walk (seeded Sales Team guest review, reviewed by its owner Megan)", () => {
  let sales: Review;
  beforeAll(async () => {
    const definitions = await graphItems<{ id: string; displayName: string }>(tenant, token.adele, REVIEWS);
    sales = await reviewOf(definitions.find((d) => d.displayName === 'Sales Team guest review')?.id ?? 'missing');
  });

  test('Megan gets the review, its instance and exactly her items; Alex (no reviewer) gets nothing', async () => {
    const megan = seam('megan');
    const mine = await megan.myDefinitions();
    expect(mine).toMatchObject({ complete: true });
    expect(mine.definitions.map((d) => d.id)).toEqual([sales.definitionId]);
    expect(mine.definitions[0]?.displayName).toBe('Sales Team guest review');
    const instances = await megan.myInstances([sales.definitionId, 'f0f0f0f0-0000-4000-8000-00000000dead']);
    expect([...instances.keys()]).toEqual([sales.definitionId]);
    expect(instances.get(sales.definitionId)?.map((i) => i.id)).toEqual([sales.instanceId]);

    const all = await itemsOf(sales);
    const items = await megan.allMyItems(sales.definitionId, sales.instanceId);
    expect(ids(items)).toEqual(ids(all));
    expect(items.map((i) => i.principal.id).sort()).toEqual([USER.ramesh, USER.lynne].sort());
    const lynne = items.find((i) => i.principal.id === USER.lynne) as ReviewerItem;
    expect(lynne).toMatchObject({ decision: 'Approve', recommendation: 'Approve', resourceId: GROUP.salesTeam,
      principal: { type: 'user', displayName: expect.stringContaining('Lynne Robbins') as string, userPrincipalName: expect.stringContaining('#EXT#') as string } });
    expect(typeof lynne.principal.lastUserSignInDateTime).toBe('string');
    expect(await megan.myItemCounts([{ definitionId: sales.definitionId, instanceId: sales.instanceId }])).toEqual([{ total: 2, undecided: 1 }]);

    expect(await seam('alex').myDefinitions()).toEqual({ definitions: [], complete: true });
  });

  test('myItemCounts: one entry per instance, in order; one Graph cannot find is undefined', async () => {
    const counts = await seam('megan').myItemCounts([
      { definitionId: sales.definitionId, instanceId: 'f0f0f0f0-0000-4000-8000-00000000dead' },
      { definitionId: sales.definitionId, instanceId: sales.instanceId },
    ]);
    expect(counts).toEqual([undefined, { total: 2, undecided: 1 }]);
  });
});

describe('myItems: filters and pages (Sales Team members, owner Megan reviews)', () => {
  let review: Review;
  let all: Item[];
  beforeAll(async () => {
    review = await salesMembersReview('Sales members, reviewer seam pages', OWNERS, false);
    all = await itemsOf(review);
  });
  const page = (filter: 'all' | 'undecided' | 'recommendedDeny' | 'guests', skip: number, size: number): Promise<{ items: ReviewerItem[]; total: number }> =>
    seam('megan').myItems(review.definitionId, review.instanceId, { filter, skip, size });

  test('all: pages of 3 cover the eight items once each, in Graph\'s order', async () => {
    const pages = await Promise.all([0, 3, 6].map((skip) => page('all', skip, 3)));
    expect(pages.map((p) => p.total)).toEqual([8, 8, 8]);
    expect(pages.map((p) => p.items.length)).toEqual([3, 3, 2]);
    expect(pages.flatMap((p) => p.items.map((i) => i.id))).toEqual(all.map((i) => i.id));
  });

  test('recommendedDeny: the items Graph recommends to deny (Ramesh, 200 days; Johanna, 45 days)', async () => {
    const denied = await page('recommendedDeny', 0, 10);
    expect(ids(denied.items)).toEqual(ids(all.filter((i) => i.recommendation === 'Deny')));
    expect(denied.items.map((i) => i.principal.id).sort()).toEqual([USER.ramesh, USER.johanna].sort());
    expect(denied.total).toBe(2);
  });

  test('guests: the #EXT# accounts only, paged here', async () => {
    const guests = await page('guests', 0, 10);
    expect(guests.items.map((i) => i.principal.id).sort()).toEqual([USER.ramesh, USER.lynne].sort());
    expect(guests.total).toBe(2);
    const second = await page('guests', 1, 1);
    expect(second).toMatchObject({ total: 2, items: [{ id: guests.items[1]?.id }] });
  });

  test('undecided: eight, then seven once Megan decided one (the decided one is gone from the list)', async () => {
    expect((await page('undecided', 0, 100)).total).toBe(8);
    const alex = ofPrincipal(all, USER.alex);
    expect(await seam('megan').recordDecisions(review.definitionId, review.instanceId, [choose(alex, 'Approve', 'On my team.')]))
      .toMatchObject({ recorded: [alex.id], failed: [], requests: 1 });
    const undecided = await page('undecided', 0, 100);
    expect(undecided.total).toBe(7);
    expect(undecided.items.map((i) => i.id)).not.toContain(alex.id);
    expect(undecided.items.every((i) => i.decision === 'NotReviewed')).toBe(true);
  });
});

describe('recordDecisions', () => {
  test('three choices: one $batch request; the emulator shows each decision, justification and Megan as reviewer', async () => {
    const review = await salesMembersReview('Sales members, three choices', OWNERS, true);
    const before = await itemsOf(review);
    const choices = [choose(ofPrincipal(before, USER.ramesh), 'Deny', 'Contract ended.'), choose(ofPrincipal(before, USER.lynne), 'Approve', 'Q4 campaign.'),
      choose(ofPrincipal(before, USER.miriam), 'DontKnow', '  Not sure.  ')];
    await control(tenant, 'POST', '/stats/reset');
    const outcome = await seam('megan').recordDecisions(review.definitionId, review.instanceId, choices);
    expect(outcome).toEqual({ recorded: choices.map((c) => c.itemId), failed: [], requests: 1 });
    expect(await stats()).toMatchObject({ batches: 1, inBatches: 3, requests: 3 });
    const after = await itemsOf(review);
    expect(ofPrincipal(after, USER.ramesh)).toMatchObject({ decision: 'Deny', justification: 'Contract ended.', reviewedBy: { id: USER.megan } });
    expect(ofPrincipal(after, USER.lynne)).toMatchObject({ decision: 'Approve', justification: 'Q4 campaign.', reviewedBy: { id: USER.megan } });
    expect(ofPrincipal(after, USER.miriam)).toMatchObject({ decision: 'DontKnow', justification: 'Not sure.', reviewedBy: { id: USER.megan } });
    expect(after.filter((i) => i.decision !== 'NotReviewed')).toHaveLength(3);
  });

  test('an approval without justification where one is required fails with Graph\'s reason; the others are recorded', async () => {
    const review = await salesMembersReview('Sales members, justification required', OWNERS, true);
    const before = await itemsOf(review);
    const bare = choose(ofPrincipal(before, USER.alex), 'Approve');
    const blank = choose(ofPrincipal(before, USER.isaiah), 'Approve', '   ');
    const deny = choose(ofPrincipal(before, USER.joni), 'Deny');
    const outcome = await seam('megan').recordDecisions(review.definitionId, review.instanceId, [bare, blank, deny]);
    expect(outcome.recorded).toEqual([deny.itemId]);
    expect(outcome.failed.map((f) => f.itemId)).toEqual([bare.itemId, blank.itemId]);
    for (const { error } of outcome.failed) {
      expect(error).toMatchObject({ code: 'BadRequest', status: 400 });
      expect(error.userMessage).toMatch(/justification is required/i);
    }
    const after = await itemsOf(review);
    expect(ofPrincipal(after, USER.alex).decision).toBe('NotReviewed');
    expect(ofPrincipal(after, USER.isaiah).decision).toBe('NotReviewed');
  });

  test('managers review: a choice on an item that is not Megan\'s fails (403) and changes nothing; hers in the same batch is recorded', async () => {
    const review = await salesMembersReview('Sales members, managers, not hers', MANAGERS, false);
    const before = await itemsOf(review);
    const mine = choose(ofPrincipal(before, USER.alex), 'Approve', 'On my team.');
    const notMine = choose(ofPrincipal(before, USER.ramesh), 'Deny', 'Not my report.');
    const outcome = await seam('megan').recordDecisions(review.definitionId, review.instanceId, [notMine, mine]);
    expect(outcome).toMatchObject({ recorded: [mine.itemId], requests: 1 });
    expect(outcome.failed).toEqual([{ itemId: notMine.itemId, error: expect.objectContaining({ code: 'Forbidden', status: 403 }) as unknown }]);
    expect(ofPrincipal(await itemsOf(review), USER.ramesh)).toMatchObject({ decision: 'NotReviewed', reviewedBy: { id: ZERO_ID } });
  });

  test('a user who reviews nothing here (Alex), an app token, an unknown item: failed per item, nothing changed', async () => {
    const review = await salesMembersReview('Sales members, refused', OWNERS, false);
    const before = await itemsOf(review);
    const choices = [choose(ofPrincipal(before, USER.lynne), 'Deny', 'No.'), choose(ofPrincipal(before, USER.miriam), 'Deny', 'No.')];
    for (const who of ['alex', 'app'] as const) {
      const outcome = await seam(who).recordDecisions(review.definitionId, review.instanceId, choices);
      expect(outcome.recorded).toEqual([]);
      expect(outcome.failed.map((f) => [f.itemId, f.error.code, f.error.status])).toEqual(choices.map((c) => [c.itemId, 'Forbidden', 403]));
    }
    await expect(seam('app').acceptRecommendations(review.definitionId, review.instanceId)).rejects.toMatchObject({ code: 'Forbidden', status: 403 });
    const unknown = await seam('megan').recordDecisions(review.definitionId, review.instanceId,
      [{ itemId: 'f0f0f0f0-0000-4000-8000-00000000beef', decision: 'Deny' }, { itemId: ' ', decision: 'Deny' }]);
    expect(unknown.failed.map((f) => f.error.code)).toEqual(['InvalidInput', 'NotFound']);
    expect((await itemsOf(review)).every((i) => i.decision === 'NotReviewed')).toBe(true);
  });
});

describe('recordDecisions at scale (synthetic review of 2,500 items; its group owner Adele reviews)', () => {
  let review: Review;
  let items: ReviewerItem[];
  beforeAll(async () => {
    const seeded = await control(tenant, 'POST', '/seed', { definitions: 1, decisionsPerInstance: 2500 });
    expect(seeded.status).toBe(200);
    review = await reviewOf(String(seeded.body.definitions[0]));
    items = await seam('adele').allMyItems(review.definitionId, review.instanceId);
  }, 60_000);

  test('2,500 choices: 125 $batch requests of 20, each decision recorded once', async () => {
    expect(items).toHaveLength(2500);
    await control(tenant, 'POST', '/stats/reset');
    const started = performance.now();
    const outcome = await seam('adele').recordDecisions(review.definitionId, review.instanceId,
      items.map((item) => ({ itemId: item.id, decision: 'Deny', justification: 'Left the company.' })));
    const ms = performance.now() - started;
    expect(outcome.failed).toEqual([]);
    expect(ids(outcome.recorded.map((id) => ({ id })))).toEqual(ids(items));
    expect(outcome.requests).toBe(125);
    const counted = await stats();
    expect(counted).toMatchObject({ batches: 125, inBatches: 2500, requests: 2500, faults: 0 });
    expect(counted.byRoute[PATCH_ROUTE]).toBe(2500);
    expect(await seam('adele').myItemCounts([review])).toEqual([{ total: 2500, undecided: 0 }]);
    process.stdout.write(`recordDecisions 2,500 items: ${outcome.requests} $batch requests, ${Math.round(ms)} ms\n`);
  }, 60_000);

  test('inner 429s (injected) are re-sent after Retry-After: all recorded, each PATCH run once', async () => {
    await control(tenant, 'POST', '/stats/reset');
    expect((await control(tenant, 'PUT', '/faults', { errorRate: 0.05, statuses: [429], retryAfterSeconds: 0, seed: 13 })).status).toBe(200);
    let outcome: RecordOutcome | undefined;
    try {
      outcome = await seam('adele').recordDecisions(review.definitionId, review.instanceId,
        items.map((item) => ({ itemId: item.id, decision: 'Approve', justification: 'Back again.' })));
    } finally {
      await control(tenant, 'PUT', '/faults', {});
    }
    expect(outcome?.failed).toEqual([]);
    expect(outcome?.recorded).toHaveLength(2500);
    const counted = await stats();
    expect(counted.faults).toBeGreaterThan(0);
    // Every PATCH that was not refused ran exactly once: nothing recorded was sent again.
    expect(counted.byRoute[PATCH_ROUTE]).toBe(2500 + counted.faults);
    expect(counted.inBatches).toBe(2500 + counted.faults);
    expect(outcome?.requests).toBe(counted.batches);
    expect(outcome?.requests).toBeGreaterThan(125);
    expect(await seam('adele').myItemCounts([review])).toEqual([{ total: 2500, undecided: 0 }]);
    const approved = await graphItems<Item>(tenant, token.adele, `${review.path}/decisions?$filter=decision eq 'Approve'&$select=id`);
    expect(approved).toHaveLength(2500);
  }, 60_000);
});

describe('acceptRecommendations', () => {
  test('as Megan in a managers review: only her NotReviewed items with an Approve/Deny recommendation change', async () => {
    const review = await salesMembersReview('Sales members, managers, accept', MANAGERS, false);
    const before = await itemsOf(review);
    await seam('megan').recordDecisions(review.definitionId, review.instanceId, [choose(ofPrincipal(before, USER.isaiah), 'Deny', 'Moved teams.')]);
    const decided = await itemsOf(review);
    await seam('megan').acceptRecommendations(review.definitionId, review.instanceId);
    const after = await itemsOf(review);
    const hers = new Set<string>([USER.alex, USER.isaiah, USER.johanna]);
    for (const old of decided) {
      const now = ofPrincipal(after, old.principal.id);
      if (hers.has(old.principal.id) && old.decision === 'NotReviewed' && ['Approve', 'Deny'].includes(old.recommendation)) {
        expect(now).toMatchObject({ decision: old.recommendation, reviewedBy: { id: USER.megan } });
      } else {
        expect({ decision: now.decision, reviewedBy: now.reviewedBy.id }).toEqual({ decision: old.decision, reviewedBy: old.reviewedBy.id });
      }
    }
    expect(ofPrincipal(after, USER.alex).decision).toBe('Approve');
    expect(ofPrincipal(after, USER.johanna).decision).toBe('Deny');
    expect(ofPrincipal(after, USER.isaiah).decision).toBe('Deny');
    expect(ofPrincipal(after, USER.ramesh).decision).toBe('NotReviewed');
  });
});

describe('recordDecisions when the $batch request itself fails (a stub client: the emulator does not fail envelopes)', () => {
  /** A client whose `$batch` POST fails `failures` times with `status`, then answers 204 for every inner request. */
  function stub(failures: number, status: number): { client: Client; posts: number } {
    const state = { posts: 0 };
    const client = {
      api: () => ({
        post: (body: { requests: Array<{ id: string }> }) => {
          state.posts += 1;
          if (state.posts <= failures) return Promise.reject(new GraphError(status, 'envelope failed'));
          return Promise.resolve({ responses: body.requests.map((r) => ({ id: r.id, status: 204 })) });
        },
      }),
    } as unknown as Client;
    return { client, get posts() { return state.posts; } };
  }
  const choices = Array.from({ length: 25 }, (_, n): DecisionChoice => ({ itemId: `item-${n}`, decision: 'Deny' }));

  test('a 5xx on the envelope is re-sent once (recording again is harmless): all recorded', async () => {
    const { client } = stub(1, 503);
    const outcome = await recordDecisions(client, 'd', 'i', choices);
    expect(outcome).toMatchObject({ failed: [], requests: 3 });
    expect(outcome.recorded).toHaveLength(25);
  });

  test('twice failing, or a 4xx: nothing more is sent; every choice not recorded fails with that error', async () => {
    const twice = stub(2, 502);
    const outcome = await recordDecisions(twice.client, 'd', 'i', choices.slice(0, 20));
    expect(outcome).toMatchObject({ recorded: [], requests: 2 });
    expect(outcome.failed.map((f) => f.error.code)).toEqual(Array(20).fill('GraphUnavailable'));
    const refused = stub(1, 400);
    expect((await recordDecisions(refused.client, 'd', 'i', choices.slice(0, 5))).failed.map((f) => f.error.code)).toEqual(Array(5).fill('BadRequest'));
    expect(refused.posts).toBe(1);
  });
});

describe('myItems when Graph sends no @odata.count (nothing documents it): a stub client', () => {
  const all = Array.from({ length: 230 }, (_, n) => ({ id: `i${n}`, decision: n % 3 === 0 ? 'NotReviewed' : 'Deny', recommendation: 'Approve' }));
  /** The page GET answers `page` (no count); `$batch` GETs of the reviewer's items answer pages of `all` by `$skip`. */
  function stub(page: object): { client: Client; batches: string[][] } {
    const batches: string[][] = [];
    const request = { top: () => request, skip: () => request, select: () => request, filter: () => request, get: () => Promise.resolve(page) };
    const client = {
      api: (path: string) => (path !== '/$batch' ? request : {
        post: (body: { requests: Array<{ id: string; url: string }> }) => {
          batches.push(body.requests.map((r) => r.url));
          return Promise.resolve({ responses: body.requests.map((r) => {
            const skip = Number(/\$skip=(\d+)/.exec(r.url)?.[1] ?? 0);
            return { id: r.id, status: 200, body: { value: all.slice(skip, skip + 100), ...(skip + 100 < all.length ? { '@odata.nextLink': 'next' } : {}) } };
          }) });
        },
      }),
    } as unknown as Client;
    return { client, batches };
  }

  test('more pages follow: the total comes from reading the caller\'s items (one $batch), counted by the filter', async () => {
    const { client, batches } = stub({ value: all.slice(0, 5), '@odata.nextLink': 'https://graph.microsoft.com/v1.0/next?$skiptoken=x' });
    const page = await myItems(client, 'd', 'i', { filter: 'undecided', skip: 0, size: 5 });
    expect(page.items.map((i) => i.id)).toEqual(['i0', 'i1', 'i2', 'i3', 'i4']);
    expect(page.total).toBe(all.filter((i) => i.decision === 'NotReviewed').length);
    expect(batches).toHaveLength(1);
    expect(batches[0]?.every((url) => url.includes("/decisions/filterByCurrentUser(on='reviewer')?"))).toBe(true);
  });

  test('the last page: total is where it ends, nothing more is read', async () => {
    const { client, batches } = stub({ value: all.slice(0, 4) });
    expect((await myItems(client, 'd', 'i', { filter: 'all', skip: 40, size: 10 })).total).toBe(44);
    expect(batches).toHaveLength(0);
  });
});
