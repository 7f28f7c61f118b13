import type { Caller } from '../../../dev/graph/auth';
import { ROUTES } from '../../../dev/graph/dispatch';
import { EmulatorCore } from '../../../dev/graph/emulator';
import { GraphError } from '../../../dev/graph/errors';
import { match, type RouteResult } from '../../../dev/graph/router';
import type { Actor } from '../../../dev/graph/store/decisionStore';
import { ALL, TRUE_SQL } from '../../../dev/graph/store/paging';
import type { DefinitionRow, InstanceRow } from '../../../dev/graph/store/reviewStore';
import { SEEDED_REVIEWS } from '../../../dev/tenant/seed';
import { DEMO_TENANT, GROUP, USER } from '../../../dev/tenant/tenant';

/**
 * The documented status vocabulary, ids, durations and role rules, on the emulator core with a fixed clock.
 *
 * Statuses: resources/accessreviewinstance and resources/accessreviewscheduledefinition list Initializing, NotStarted,
 * Starting, InProgress, Completing, Completed, AutoReviewing, AutoReviewed; accessreviewscheduledefinition-get shows a
 * definition "Applying"; accessreviewinstance-filterbycurrentuser an instance "Applied" (and the privileged roles
 * tutorial: "After the decisions have been applied, the status of the access review instance will be Applied").
 */
type Json = Record<string, unknown>;

const NOW = new Date(Date.UTC(2026, 11, 1, 9, 0));
const DAY = 86_400_000;
const ADELE: Actor = { id: USER.adele, displayName: 'Adele Vance', userPrincipalName: 'adele@contoso.local' };
const MEGAN: Actor = { id: USER.megan, displayName: 'Megan Bowen', userPrincipalName: 'megan@contoso.local' };
const LEE: Actor = { id: USER.lee, displayName: 'Lee Gu', userPrincipalName: 'lee@contoso.local' };

let core: EmulatorCore;
beforeEach(() => {
  core = new EmulatorCore({ dbFile: ':memory:', tenant: DEMO_TENANT, realNow: () => NOW.getTime() });
  core.reset();
});
afterEach(() => core.close());

const salesMembers = `/groups/${GROUP.salesTeam}/transitiveMembers/microsoft.graph.user`;
const owners = (groupId: string): Json[] => [{ query: `/groups/${groupId}/owners`, queryType: 'MicrosoftGraph' }];

function review(settings: Json = {}, top: Json = {}): Json {
  return {
    displayName: 'Status test review', descriptionForAdmins: 'Test', descriptionForReviewers: 'Test',
    scope: { '@odata.type': '#microsoft.graph.accessReviewQueryScope', query: salesMembers, queryType: 'MicrosoftGraph' },
    reviewers: owners(GROUP.salesTeam), fallbackReviewers: [{ query: `/users/${USER.adele}`, queryType: 'MicrosoftGraph' }],
    settings: {
      instanceDurationInDays: 14, recommendationsEnabled: true,
      recurrence: { pattern: null, range: { type: 'numbered', numberOfOccurrences: 0, startDate: '2026-12-01' } },
      ...settings,
    },
    ...top,
  };
}

const instancesOf = (id: string): InstanceRow[] => core.reviews.instances(id, TRUE_SQL, ALL).items;
const definition = (id: string): DefinitionRow | undefined => core.reviews.definition(id);
/** Moves the emulator clock to `ms` after NOW and runs the lifecycle (the "real" time stays NOW). */
function at(ms: number): void {
  core.clock.moveTo(new Date(NOW.getTime() + ms));
  core.tick();
}
/** [instance status, definition status] now. */
function statuses(id: string): [string | undefined, string | undefined] {
  return [instancesOf(id)[0]?.status, definition(id)?.status];
}

describe('the lifecycle passes through the documented statuses', () => {
  test('without injected latency the transitional statuses are passed at once: InProgress, then Applied', () => {
    const { id } = core.service.create(review({ defaultDecisionEnabled: true, defaultDecision: 'Deny', autoApplyDecisionsEnabled: true }), ADELE, NOW);
    expect(definition(id)?.status).toBe('NotStarted');
    core.tick();
    expect(statuses(id)).toEqual(['InProgress', 'InProgress']);
    at(15 * DAY);
    expect(statuses(id)).toEqual(['Applied', 'Completed']);
  });

  test('with latency each transitional status holds twice the latency: start, then end with default decisions and auto-apply', () => {
    core.faults.configure({ latencyMs: 1000, errorRate: 0, statuses: [503], seed: 1, lostWriteRatio: 0.5 });
    const { id } = core.service.create(review({ defaultDecisionEnabled: true, defaultDecision: 'Approve', autoApplyDecisionsEnabled: true }), ADELE, NOW);
    core.tick();
    expect(statuses(id)).toEqual(['Initializing', 'Initializing']);
    at(2000);
    expect(statuses(id)).toEqual(['Starting', 'Starting']);
    at(3999);
    expect(statuses(id)).toEqual(['Starting', 'Starting']);
    at(4000);
    expect(statuses(id)).toEqual(['InProgress', 'InProgress']);

    const instance = instancesOf(id)[0];
    if (!instance) throw new Error('no instance');
    core.service.stop(instance, new Date(NOW.getTime() + 10_000));
    const seen: string[] = [];
    for (let ms = 10_000; ms <= 22_000; ms += 2000) {
      at(ms);
      seen.push(statuses(id).join('/'));
    }
    expect(seen).toEqual([
      'Completing/Completing', 'AutoReviewing/AutoReviewing', 'AutoReviewed/AutoReviewed', 'Completed/Completed',
      'Applying/Applying', 'Applied/Completed', 'Applied/Completed',
    ]);
  });

  test('a reviewer cannot decide while the instance is Initializing or Completing', () => {
    core.faults.configure({ latencyMs: 1000, errorRate: 0, statuses: [503], seed: 1, lostWriteRatio: 0.5 });
    const { id } = core.service.create(review(), ADELE, NOW);
    core.tick();
    const starting = instancesOf(id)[0];
    if (!starting) throw new Error('no instance');
    expect(() => core.service.batchRecord(starting, { decision: 'Approve', justification: 'ok' }, MEGAN, NOW))
      .toThrow(/is Initializing, not InProgress/);
    at(4000);
    const running = instancesOf(id)[0];
    if (!running) throw new Error('no instance');
    core.service.stop(running, new Date(NOW.getTime() + 4000));
    const completing = instancesOf(id)[0];
    if (!completing) throw new Error('no instance');
    expect(completing.status).toBe('Completing');
    expect(() => core.service.batchRecord(completing, { decision: 'Approve', justification: 'ok' }, MEGAN, NOW)).toThrow(/is Completing/);
  });

  test('applyDecisions by hand: Completed → Applying → Applied, and a second apply is refused', () => {
    core.faults.configure({ latencyMs: 500, errorRate: 0, statuses: [503], seed: 1, lostWriteRatio: 0.5 });
    const { id } = core.service.create(review(), ADELE, NOW);
    at(2000);
    const running = instancesOf(id)[0];
    if (!running) throw new Error('no instance');
    core.service.stop(running, new Date(NOW.getTime() + 2000));
    at(3000);
    const completed = instancesOf(id)[0];
    expect(completed?.status).toBe('Completed');
    if (!completed) throw new Error('no instance');
    core.service.applyDecisions(completed, ADELE, new Date(NOW.getTime() + 3000));
    expect(statuses(id)).toEqual(['Applying', 'Applying']);
    at(4000);
    expect(statuses(id)).toEqual(['Applied', 'Completed']);
    const applied = instancesOf(id)[0];
    if (!applied) throw new Error('no instance');
    expect(() => core.service.applyDecisions(applied, ADELE, NOW)).toThrow(/is Applied, not Completed/);
  });

  test('the seeded Finance Apps instance was applied: Applied, its annual series still InProgress', () => {
    const finance = core.reviews.definitions(TRUE_SQL, ALL).items.find((d) => d.display_name === SEEDED_REVIEWS.financeAnnual);
    expect(finance?.status).toBe('InProgress');
    expect(instancesOf(finance?.id ?? '').map((i) => i.status)).toEqual(['Applied']);
  });
});

describe('ids and durations as in the tutorials', () => {
  // Both tutorials ("review access to security groups", "guests in Microsoft 365 groups"): the one instance of a
  // one-time review of one group has the definition's id.
  test('a one-time review of one group: its only instance has the definition id', () => {
    const { id } = core.service.create(review(), ADELE, NOW);
    core.tick();
    expect(instancesOf(id).map((i) => i.id)).toEqual([id]);
  });

  test('a recurring review: instances have ids of their own', () => {
    const { id } = core.service.create(review({
      instanceDurationInDays: 7, recurrence: { pattern: { type: 'weekly', interval: 1 }, range: { type: 'noEnd', startDate: '2026-12-01' } },
    }), ADELE, NOW);
    at(8 * DAY);
    const ids = instancesOf(id).map((i) => i.id);
    expect(ids).toHaveLength(2);
    expect(ids).not.toContain(id);
  });

  // The Microsoft 365 group tutorial creates a quarterly review with instanceDurationInDays 0 and a numbered range
  // ending on a date (201). 0 is taken as "no duration of its own": each instance lasts until the next occurrence.
  test('quarterly with instanceDurationInDays 0: each instance lasts its whole quarter', () => {
    const { id } = core.service.create(review({
      instanceDurationInDays: 0,
      recurrence: { pattern: { type: 'absoluteMonthly', interval: 3 }, range: { type: 'numbered', numberOfOccurrences: 0, startDate: '2026-12-01', endDate: '2027-12-21' } },
    }), ADELE, NOW);
    at(100 * DAY);
    expect(instancesOf(id).map((i) => [i.start_at.slice(0, 10), i.end_at.slice(0, 10), i.status])).toEqual([
      ['2026-12-01', '2027-03-01', 'Completed'],
      ['2027-03-01', '2027-06-01', 'InProgress'],
    ]);
  });
});

/** Runs a Graph route as `user` (delegated, AccessReview.ReadWrite.All) on the core: the routes' own access rules. */
function call(user: string, method: string, path: string): RouteResult | GraphError {
  const found = match(ROUTES, method, path);
  if (!found || !('route' in found)) throw new Error(`no route for ${method} ${path}`);
  const row = core.directory.user(user);
  if (!row) throw new Error(`no user ${user}`);
  const caller: Caller = { kind: 'user', user: row, appId: 'test', scopes: new Set(['AccessReview.ReadWrite.All']) };
  const url = new URL(`http://127.0.0.1/v1.0${path}`);
  try {
    return found.route.handler({ method, url, params: found.params, query: url.searchParams, headers: {}, body: undefined, caller, now: NOW }, core);
  } catch (error) {
    if (error instanceof GraphError) return error;
    throw error;
  }
}
const statusOf = (result: RouteResult | GraphError): number => result.status;

// rbac-access-reviews-apis-read (accessreviewscheduledefinition-get): to read access reviews of a group, "the creator of
// the access review; Global Reader, Security Reader, User Administrator, Identity Governance Administrator, Security
// Administrator"; a reviewer can read the reviews they review.
describe('who may read a definition by id (accessreviewscheduledefinition-get)', () => {
  const REVIEWS = '/identityGovernance/accessReviews/definitions';

  test('a user with no role who is not a reviewer gets 403; the reviewer (Megan) 200', () => {
    const finance = core.reviews.definitions(TRUE_SQL, ALL).items.find((d) => d.display_name === SEEDED_REVIEWS.financeAnnual);
    const sales = core.reviews.definitions(TRUE_SQL, ALL).items.find((d) => d.display_name === SEEDED_REVIEWS.salesGuests);
    expect(statusOf(call(USER.megan, 'GET', `${REVIEWS}/${finance?.id ?? ''}`))).toBe(403);
    expect(statusOf(call(USER.alex, 'GET', `${REVIEWS}/${sales?.id ?? ''}`))).toBe(403);
    expect(statusOf(call(USER.megan, 'GET', `${REVIEWS}/${sales?.id ?? ''}`))).toBe(200);
  });

  test('the creator reads the review they created without any role; others without a role do not', () => {
    // A review created by Megan (she has no role today: the role may have been removed since, or held through PIM).
    const mine = core.service.create(review({}, { displayName: "Megan's review" }), MEGAN, NOW);
    const lees = core.service.create(review({}, { displayName: "Lee's review", reviewers: [{ query: `/users/${USER.diego}`, queryType: 'MicrosoftGraph' }] }), LEE, NOW);
    expect(statusOf(call(USER.megan, 'GET', `${REVIEWS}/${mine.id}`))).toBe(200);
    expect(statusOf(call(USER.alex, 'GET', `${REVIEWS}/${mine.id}`))).toBe(403);
    expect(statusOf(call(USER.megan, 'GET', `${REVIEWS}/${lees.id}`))).toBe(403);
    expect(statusOf(call(USER.lee, 'GET', `${REVIEWS}/${lees.id}`))).toBe(200);
    // The creator also lists the instances of their review, which a stranger may not.
    core.tick();
    expect(statusOf(call(USER.megan, 'GET', `${REVIEWS}/${mine.id}/instances`))).toBe(200);
    expect(statusOf(call(USER.alex, 'GET', `${REVIEWS}/${mine.id}/instances`))).toBe(403);
  });
});
