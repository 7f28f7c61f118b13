import { DEMO_TENANT, GROUP, USER, type TenantUser } from '../../../dev/tenant/tenant';
import { control, graph, REVIEWS, startLocalTenant, userToken, type LocalTenant, expectGraphStatus, graphItems } from '../../support/localTenant';

/**
 * The review lifecycle of the Graph emulator against the contract (spec/local-tenant.md, "Semantics") and the
 * reference (graph-access-reviews.md 1.2, 1.3, 2.5, 2.6, 4, 7): the seeded reviews, instances started by the
 * emulator clock with a snapshot of decision items, completion with default decisions, applying decisions,
 * and persistence across a restart. One local tenant for the file; the describe blocks run in order, and the
 * clock only moves forward, so time-sensitive checks come first and the destructive auto-apply comes last.
 */

const ZERO_ID = '00000000-0000-0000-0000-000000000000';
const SYSTEM_NAME = 'AAD Access Reviews';
const DAY = 86_400_000;

interface Identity { id: string; displayName?: string | null }
interface Definition { id: string; displayName: string; status: string }
interface Instance { id: string; status: string; startDateTime: string; endDateTime: string; scope: { query: string } }
interface DecisionItem {
  id: string; accessReviewId: string; decision: string; recommendation: string; justification: string | null;
  applyResult: string; reviewedBy: Identity; principal: Identity; resource: Identity | null;
}

let tenant: LocalTenant;
let adele: string;
let megan: string;

beforeAll(async () => {
  tenant = await startLocalTenant();
  [adele, megan] = await Promise.all([userToken(tenant, 'adele@contoso.local'), userToken(tenant, 'megan@contoso.local')]);
});
afterAll(async () => {
  await tenant.dispose();
});

// ---- helpers -------------------------------------------------------------------------------------------

const demoUser = (id: string): TenantUser => {
  const user = DEMO_TENANT.users.find((u) => u.id === id);
  if (!user) throw new Error(`no demo user ${id}`);
  return user;
};
const demoMembers = (groupId: string): string[] => DEMO_TENANT.groups.find((g) => g.id === groupId)?.members ?? [];
/** The recommendation the contract derives from the last sign-in (only while the clock is at the seed time). */
const recommendationFor = (id: string): string => {
  const days = demoUser(id).lastSignInDaysAgo;
  return days === null ? 'NoInfoAvailable' : days > 30 ? 'Deny' : 'Approve';
};
const sorted = (values: string[]): string[] => [...values].sort();

const expectStatus = expectGraphStatus;
const list = <T>(token: string, path: string): Promise<T[]> => graphItems<T>(tenant, token, path);

const instancesPath = (definitionId: string): string => `${REVIEWS}/${definitionId}/instances`;
const instancePath = (definitionId: string, instanceId: string): string => `${instancesPath(definitionId)}/${instanceId}`;
const instancesOf = async (definitionId: string): Promise<Instance[]> =>
  (await list<Instance>(adele, instancesPath(definitionId))).sort((a, b) => a.startDateTime.localeCompare(b.startDateTime));
const decisionsOf = (definitionId: string, instanceId: string): Promise<DecisionItem[]> =>
  list<DecisionItem>(adele, `${instancePath(definitionId, instanceId)}/decisions`);
const memberIds = async (groupId: string): Promise<string[]> => (await list<Identity>(adele, `/groups/${groupId}/members`)).map((m) => m.id);

async function onlyInstance(definitionId: string): Promise<Instance> {
  const instances = await instancesOf(definitionId);
  expect(instances).toHaveLength(1);
  const [instance] = instances;
  if (!instance) throw new Error(`no instance of ${definitionId}`);
  return instance;
}

function itemOf(items: DecisionItem[], principalId: string): DecisionItem {
  const item = items.find((d) => d.principal.id === principalId);
  if (!item) throw new Error(`no decision item for ${principalId} in ${JSON.stringify(items.map((d) => d.principal.id))}`);
  return item;
}

async function definitionNamed(name: string): Promise<Definition> {
  const definition = (await list<Definition>(adele, REVIEWS)).find((d) => d.displayName === name);
  if (!definition) throw new Error(`no definition named ${name}`);
  return definition;
}

async function emulatorNow(): Promise<Date> {
  const response = await control(tenant, 'GET', '/clock');
  expect(response.status).toBe(200);
  return new Date(String(response.body.now));
}

async function advanceClock(duration: string): Promise<void> {
  expect((await control(tenant, 'POST', '/clock', { advance: duration })).status).toBe(200);
}

const groupMembersScope = (groupId: string, guestsOnly = false): object => ({
  '@odata.type': '#microsoft.graph.accessReviewQueryScope',
  query: `/groups/${groupId}/transitiveMembers/microsoft.graph.user${guestsOnly ? "/?$filter=(userType eq 'Guest')" : ''}`,
  queryType: 'MicrosoftGraph',
});
const ownersOf = (groupId: string): object => ({ query: `/groups/${groupId}/owners`, queryType: 'MicrosoftGraph' });
const userReviewer = (id: string): object => ({ query: `/users/${id}`, queryType: 'MicrosoftGraph' });

interface ReviewOptions {
  /** Top-level properties replacing the defaults (Sales Team members, owners review, fallback Adele). */
  definition?: Record<string, unknown>;
  settings?: Record<string, unknown>;
  /** null = one-time review (the default). */
  pattern?: Record<string, unknown> | null;
  durationDays?: number;
}

/** Creates a review starting today (emulator clock) as Adele; checks 201 + NotStarted and returns its id. */
async function createReview(displayName: string, options: ReviewOptions = {}): Promise<string> {
  const startDate = (await emulatorNow()).toISOString().slice(0, 10);
  const durationDays = options.durationDays ?? 7;
  const pattern = options.pattern ?? null;
  const endDate = new Date(Date.parse(`${startDate}T00:00:00Z`) + durationDays * DAY).toISOString().slice(0, 10);
  const range = pattern === null ? { type: 'numbered', numberOfOccurrences: 0, startDate, endDate } : { type: 'noEnd', startDate };
  const body = {
    displayName,
    descriptionForAdmins: 'Created by test/dev/graph/lifecycle.test.ts',
    descriptionForReviewers: 'Please review these members.',
    scope: groupMembersScope(GROUP.salesTeam),
    reviewers: [ownersOf(GROUP.salesTeam)],
    fallbackReviewers: [userReviewer(USER.adele)],
    ...options.definition,
    settings: {
      mailNotificationsEnabled: false, reminderNotificationsEnabled: false, justificationRequiredOnApproval: false,
      defaultDecisionEnabled: false, autoApplyDecisionsEnabled: false, recommendationsEnabled: true,
      instanceDurationInDays: durationDays, recurrence: { pattern, range }, ...options.settings,
    },
  };
  const response = await graph(tenant, adele, 'POST', REVIEWS, body);
  expectStatus(response, 201);
  expect(response.body.status).toBe('NotStarted');
  return String(response.body.id);
}

// ---- tests ---------------------------------------------------------------------------------------------

describe('seeded reviews', () => {
  test("'Sales Team guest review' is in progress with Ramesh not reviewed and Lynne approved by Megan", async () => {
    const definition = await definitionNamed('Sales Team guest review');
    const instance = await onlyInstance(definition.id);
    expect(instance.status).toBe('InProgress');
    const items = await decisionsOf(definition.id, instance.id);
    expect(sorted(items.map((d) => d.principal.id))).toEqual(sorted([USER.ramesh, USER.lynne]));
    expect(itemOf(items, USER.ramesh)).toMatchObject({
      accessReviewId: instance.id, recommendation: 'Deny', decision: 'NotReviewed', applyResult: 'New', reviewedBy: { id: ZERO_ID },
    });
    const lynne = itemOf(items, USER.lynne);
    expect(lynne).toMatchObject({ recommendation: 'Approve', decision: 'Approve', reviewedBy: { id: USER.megan } });
    expect(lynne.justification?.trim()).toBeTruthy();
  });

  test("'Finance Apps annual review' completed and applied, with denials removed and system default decisions", async () => {
    const definition = await definitionNamed('Finance Apps annual review');
    const instance = await onlyInstance(definition.id);
    // Applied, as in Microsoft's instance examples (accessreviewinstance-filterbycurrentuser) once decisions are applied.
    expect(instance.status).toBe('Applied');
    const items = await decisionsOf(definition.id, instance.id);
    const denied = items.filter((d) => d.decision === 'Deny');
    expect(denied.length).toBeGreaterThan(0);
    for (const item of denied) expect(item.applyResult).toBe('AppliedSuccessfully');
    const byDefault = items.filter((d) => d.reviewedBy.id === ZERO_ID);
    expect(byDefault.length).toBeGreaterThan(0);
    for (const item of byDefault) {
      expect(item.reviewedBy.displayName).toBe(SYSTEM_NAME);
      expect(item.decision).not.toBe('NotReviewed');
    }
    const members = await memberIds(GROUP.financeApps);
    expect(members).toHaveLength(30);
    for (const item of denied) expect(members).not.toContain(item.principal.id);
  });

  test("'Project Falcon guests' has not started and has no instances", async () => {
    const definition = await definitionNamed('Project Falcon guests');
    expect(definition.status).toBe('NotStarted');
    expect(await instancesOf(definition.id)).toEqual([]);
  });
});

describe('scopes (snapshot at the start, before the clock moves)', () => {
  test('a guests-in-all-Microsoft-365-groups review has one instance per group with guests, each with only its guests', async () => {
    const id = await createReview('Guests in all Microsoft 365 groups', {
      definition: {
        instanceEnumerationScope: { '@odata.type': '#microsoft.graph.accessReviewQueryScope', query: "/groups?$filter=(groupTypes/any(c:c eq 'Unified'))", queryType: 'MicrosoftGraph' },
        scope: { '@odata.type': '#microsoft.graph.accessReviewQueryScope', query: "./members/microsoft.graph.user/?$filter=(userType eq 'Guest')", queryType: 'MicrosoftGraph' },
        reviewers: [{ query: './owners', queryType: 'MicrosoftGraph' }],
      },
    });
    const instances = await instancesOf(id);
    expect(instances).toHaveLength(2);
    const groups: string[] = [];
    for (const instance of instances) {
      expect(instance.status).toBe('InProgress');
      const items = await decisionsOf(id, instance.id);
      const groupId = items[0]?.resource?.id ?? '';
      groups.push(groupId);
      expect(instance.scope.query).toContain(groupId);
      for (const item of items) expect(item.resource?.id).toBe(groupId);
      const guests = demoMembers(groupId).filter((member) => demoUser(member).userType === 'Guest');
      expect(sorted(items.map((d) => d.principal.id))).toEqual(sorted(guests));
      for (const item of items) {
        expect(item).toMatchObject({ decision: 'NotReviewed', recommendation: recommendationFor(item.principal.id) });
      }
      // Owners of each group review it; Project Falcon has no owner, so the fallback reviewer does.
      const reviewers = await list<Identity>(adele, `${instancePath(id, instance.id)}/contactedReviewers`);
      expect(reviewers.map((r) => r.id)).toEqual([groupId === GROUP.projectFalcon ? USER.adele : USER.megan]);
    }
    expect(sorted(groups)).toEqual(sorted([GROUP.salesTeam, GROUP.projectFalcon]));
  });

  test('an inactive-users scope (P30D) on Sales Team members holds Ramesh (200 days) and not Lynne (yesterday)', async () => {
    const id = await createReview('Inactive Sales Team members', {
      definition: {
        scope: {
          '@odata.type': '#microsoft.graph.accessReviewInactiveUsersQueryScope',
          query: `/groups/${GROUP.salesTeam}/transitiveMembers/microsoft.graph.user`, queryType: 'MicrosoftGraph', inactiveDuration: 'P30D',
        },
      },
    });
    const instance = await onlyInstance(id);
    const principals = (await decisionsOf(id, instance.id)).map((d) => d.principal.id);
    expect(principals).toContain(USER.ramesh);
    expect(principals).not.toContain(USER.lynne);
    expect(principals).not.toContain(USER.alex);
  });
});

describe('recurrence', () => {
  test('a monthly review produces its second instance', async () => {
    const today = (await emulatorNow()).toISOString().slice(0, 10);
    const id = await createReview('Monthly Sales Team review', {
      pattern: { type: 'absoluteMonthly', interval: 1, dayOfMonth: Number(today.slice(8, 10)) },
    });
    const first = await onlyInstance(id);
    expect(first.status).toBe('InProgress');
    const items = await decisionsOf(id, first.id);
    expect(sorted(items.map((d) => d.principal.id))).toEqual(sorted(demoMembers(GROUP.salesTeam)));
    for (const item of items) expect(item).toMatchObject({ decision: 'NotReviewed', recommendation: recommendationFor(item.principal.id) });
    expect((await graph(tenant, adele, 'GET', `${REVIEWS}/${id}`)).body.status).toBe('InProgress');

    await advanceClock('P1M1D');
    const instances = await instancesOf(id);
    expect(instances.map((i) => i.status)).toEqual(['Completed', 'InProgress']);
    expect(instances[0]?.id).toBe(first.id);
    expect(await decisionsOf(id, instances[1]?.id ?? '')).toHaveLength(demoMembers(GROUP.salesTeam).length);
  });
});

describe('applying decisions', () => {
  test('applyDecisions by hand: refused while in progress, then applies the denial after stop', async () => {
    const id = await createReview('Sales Team guests, applied by hand', { definition: { scope: groupMembersScope(GROUP.salesTeam, true) } });
    const instance = await onlyInstance(id);
    const ramesh = itemOf(await decisionsOf(id, instance.id), USER.ramesh);
    expectStatus(await graph(tenant, megan, 'PATCH', `${instancePath(id, instance.id)}/decisions/${ramesh.id}`,
      { decision: 'Deny', justification: 'The project with Fabrikam ended.' }), 204);

    expectStatus(await graph(tenant, adele, 'POST', `${instancePath(id, instance.id)}/applyDecisions`), 400);
    expect(await memberIds(GROUP.salesTeam)).toContain(USER.ramesh);

    expectStatus(await graph(tenant, adele, 'POST', `${instancePath(id, instance.id)}/stop`), 204);
    expect((await graph(tenant, adele, 'GET', instancePath(id, instance.id))).body.status).toBe('Completed');
    expect(await memberIds(GROUP.salesTeam)).toContain(USER.ramesh);

    expectStatus(await graph(tenant, adele, 'POST', `${instancePath(id, instance.id)}/applyDecisions`), 204);
    const members = await memberIds(GROUP.salesTeam);
    expect(members).not.toContain(USER.ramesh);
    expect(members).toContain(USER.lynne);
    expect(itemOf(await decisionsOf(id, instance.id), USER.ramesh)).toMatchObject({ decision: 'Deny', applyResult: 'AppliedSuccessfully' });

    expectStatus(await graph(tenant, adele, 'POST', `${instancePath(id, instance.id)}/stop`), 400);
  });

  test('a completed auto-apply review with default decision Deny removes the unreviewed members from the group', async () => {
    const id = await createReview('Sales Team members, deny by default', {
      settings: { defaultDecisionEnabled: true, defaultDecision: 'Deny', autoApplyDecisionsEnabled: true },
    });
    const instance = await onlyInstance(id);
    const before = await decisionsOf(id, instance.id);
    expect(before.length).toBeGreaterThan(1);
    expectStatus(await graph(tenant, megan, 'PATCH', `${instancePath(id, instance.id)}/decisions/${itemOf(before, USER.alex).id}`,
      { decision: 'Approve', justification: 'Alex runs the northern accounts.' }), 204);

    await advanceClock('P8D');
    // Auto-applied results: the instance ends Applied (privileged roles tutorial, step 5).
    expect((await graph(tenant, adele, 'GET', instancePath(id, instance.id))).body.status).toBe('Applied');
    const items = await decisionsOf(id, instance.id);
    expect(itemOf(items, USER.alex)).toMatchObject({ decision: 'Approve', reviewedBy: { id: USER.megan } });
    const others = items.filter((d) => d.principal.id !== USER.alex);
    expect(others).toHaveLength(before.length - 1);
    for (const item of others) {
      expect(item).toMatchObject({ decision: 'Deny', reviewedBy: { id: ZERO_ID, displayName: SYSTEM_NAME }, applyResult: 'AppliedSuccessfully' });
    }
    expect(await memberIds(GROUP.salesTeam)).toEqual([USER.alex]);
  });
});

describe('persistence', () => {
  test('definitions, decisions, the directory and the advanced clock survive a restart on the same data directory', async () => {
    const definitions = await list<Definition>(adele, REVIEWS);
    const monthly = definitions.find((d) => d.displayName === 'Monthly Sales Team review');
    const denyByDefault = definitions.find((d) => d.displayName === 'Sales Team members, deny by default');
    if (!monthly || !denyByDefault) throw new Error('the reviews created above are missing');
    const instance = await onlyInstance(denyByDefault.id);
    const decisions = await decisionsOf(denyByDefault.id, instance.id);
    const clockBefore = await emulatorNow();
    expect(clockBefore.getTime() - Date.now()).toBeGreaterThan(30 * DAY);

    await tenant.stop();
    tenant = await startLocalTenant({ dataDir: tenant.dataDir });
    [adele, megan] = await Promise.all([userToken(tenant, 'adele@contoso.local'), userToken(tenant, 'megan@contoso.local')]);

    const clockAfter = await emulatorNow();
    expect(clockAfter.getTime()).toBeGreaterThanOrEqual(clockBefore.getTime());
    expect(clockAfter.getTime() - Date.now()).toBeGreaterThan(30 * DAY);
    expect(sorted((await list<Definition>(adele, REVIEWS)).map((d) => d.id))).toEqual(sorted(definitions.map((d) => d.id)));
    expect((await instancesOf(monthly.id)).map((i) => i.status)).toEqual(['Completed', 'Completed']);
    const after = await decisionsOf(denyByDefault.id, instance.id);
    const view = (items: DecisionItem[]): string[] => sorted(items.map((d) => [d.id, d.principal.id, d.decision, d.reviewedBy.id, d.applyResult].join(' ')));
    expect(view(after)).toEqual(view(decisions));
    expect(await memberIds(GROUP.salesTeam)).toEqual([USER.alex]);
  });
});
