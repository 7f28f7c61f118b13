import { EmulatorCore } from '../../../dev/graph/emulator';
import { SYSTEM_ACTOR, ZERO_ID } from '../../../dev/graph/reviewJson';
import type { Actor, DecisionRow } from '../../../dev/graph/store/decisionStore';
import { ALL, TRUE_SQL } from '../../../dev/graph/store/paging';
import type { DefinitionRow, InstanceRow } from '../../../dev/graph/store/reviewStore';
import { SEEDED_REVIEWS } from '../../../dev/tenant/seed';
import { DEMO_TENANT, FINANCE_APPS_DENIED, GROUP, staffId, USER } from '../../../dev/tenant/tenant';

type Json = Record<string, unknown>;

/** 2026-12-01 09:00 UTC: the emulator's "real" time for every test. */
const NOW = new Date(Date.UTC(2026, 11, 1, 9, 0));
const DAY = 86_400_000;
const at = (days: number): Date => new Date(NOW.getTime() + days * DAY);

const ADELE: Actor = { id: USER.adele, displayName: 'Adele Vance', userPrincipalName: 'adele@contoso.local' };
const MEGAN: Actor = { id: USER.megan, displayName: 'Megan Bowen', userPrincipalName: 'megan@contoso.local' };

let core: EmulatorCore;
beforeEach(() => {
  core = new EmulatorCore({ dbFile: ':memory:', tenant: DEMO_TENANT, realNow: () => NOW.getTime() });
  core.reset();
});
afterEach(() => core.close());

const definitions = (): DefinitionRow[] => core.reviews.definitions(TRUE_SQL, ALL).items;
const definitionNamed = (name: string): DefinitionRow | undefined => definitions().find((d) => d.display_name === name);
const instancesOf = (definitionId: string): InstanceRow[] => core.reviews.instances(definitionId, TRUE_SQL, ALL).items;
const itemsOf = (instanceId: string): DecisionRow[] => core.decisions.decisions(instanceId, TRUE_SQL, ALL).items;
const byPrincipal = (instanceId: string): Map<string, DecisionRow> => new Map(itemsOf(instanceId).map((d) => [d.principal_id, d]));
const members = (groupId: string): number => core.directory.countRelated(groupId, 'member');
const count = (sql: string, ...params: string[]): number => (core.db.prepare(sql).get(...params) as { n: number }).n;

function onlyInstance(definitionId: string): InstanceRow {
  const [instance, ...rest] = instancesOf(definitionId);
  expect(rest).toHaveLength(0);
  if (!instance) throw new Error('no instance');
  return instance;
}

/** A definition body; `settings` extends defaults (one-time, starting today, 14 days). */
function review(scope: string, reviewers: Json[], settings: Json = {}): Json {
  return {
    displayName: `Test review of ${scope}`, descriptionForAdmins: 'Test', descriptionForReviewers: 'Test',
    scope: { '@odata.type': '#microsoft.graph.accessReviewQueryScope', query: scope, queryType: 'MicrosoftGraph' },
    reviewers, fallbackReviewers: [{ query: `/users/${USER.adele}`, queryType: 'MicrosoftGraph' }],
    settings: {
      instanceDurationInDays: 14, recommendationsEnabled: true,
      recurrence: { pattern: null, range: { type: 'numbered', numberOfOccurrences: 0, startDate: '2026-12-01' } },
      ...settings,
    },
  };
}
const owners = (groupId: string): Json[] => [{ query: `/groups/${groupId}/owners`, queryType: 'MicrosoftGraph' }];
const salesMembers = `/groups/${GROUP.salesTeam}/transitiveMembers/microsoft.graph.user`;
const salesGuests = `${salesMembers}/?$filter=(userType eq 'Guest')`;

/** Creates a review now and runs the lifecycle to now (so a review starting today has its instance). */
function createNow(body: Json): DefinitionRow {
  const row = core.service.create(body, ADELE, NOW);
  core.tick();
  return row;
}

describe('the seeded demo tenant', () => {
  test('three definitions in three states', () => {
    expect(definitions().map((d) => d.display_name).sort()).toEqual(Object.values(SEEDED_REVIEWS).sort());
    expect(definitionNamed(SEEDED_REVIEWS.falconGuests)?.status).toBe('NotStarted');
    expect(instancesOf(definitionNamed(SEEDED_REVIEWS.falconGuests)?.id ?? '')).toHaveLength(0);
  });

  test('Finance Apps has 30 members after its annual review removed the two denied ones', () => {
    expect(members(GROUP.financeApps)).toBe(30);
    const instance = onlyInstance(definitionNamed(SEEDED_REVIEWS.financeAnnual)?.id ?? '');
    // An instance whose decisions were applied ends Applied (accessreviewinstance-filterbycurrentuser example; privileged roles tutorial).
    expect(instance).toMatchObject({ status: 'Applied', applied: 1 });
    const items = byPrincipal(instance.id);
    expect(items.size).toBe(32);
    for (const id of FINANCE_APPS_DENIED) {
      expect(core.directory.hasRelation(GROUP.financeApps, id, 'member')).toBe(false);
      expect(items.get(id)).toMatchObject({ decision: 'Deny', apply_result: 'AppliedSuccessfully' });
    }
    expect(items.get(staffId(20))).toMatchObject({ decision: 'Approve', reviewed_by_id: ZERO_ID, reviewed_by_name: 'AAD Access Reviews' });
  });

  test('the Sales guest review is InProgress with 2 items, Lynne approved by Megan', () => {
    const instance = onlyInstance(definitionNamed(SEEDED_REVIEWS.salesGuests)?.id ?? '');
    expect(instance.status).toBe('InProgress');
    expect(core.decisions.countItems(instance.id)).toBe(2);
    const items = byPrincipal(instance.id);
    expect(items.get(USER.lynne)).toMatchObject({ decision: 'Approve', reviewed_by_id: USER.megan });
    expect(items.get(USER.ramesh)).toMatchObject({ decision: 'NotReviewed', reviewed_by_id: null, apply_result: 'New' });
  });
});

describe('driving time', () => {
  test('a weekly review over 3 weeks yields 3 instances starting on the right dates', () => {
    const row = createNow(review(salesMembers, owners(GROUP.salesTeam), {
      instanceDurationInDays: 7,
      recurrence: { pattern: { type: 'weekly', interval: 1 }, range: { type: 'noEnd', startDate: '2026-12-07' } },
    }));
    expect(core.reviews.definition(row.id)?.status).toBe('NotStarted');
    expect(instancesOf(row.id)).toHaveLength(0);
    core.clock.moveTo(new Date('2026-12-27T12:00:00Z'));
    core.tick();
    const instances = instancesOf(row.id);
    expect(instances.map((i) => [i.start_at, i.end_at, i.status])).toEqual([
      ['2026-12-07T00:00:00.000Z', '2026-12-14T00:00:00.000Z', 'Completed'],
      ['2026-12-14T00:00:00.000Z', '2026-12-21T00:00:00.000Z', 'Completed'],
      ['2026-12-21T00:00:00.000Z', '2026-12-28T00:00:00.000Z', 'InProgress'],
    ]);
    expect(instances.map((i) => core.decisions.countItems(i.id))).toEqual([8, 8, 8]);
    expect(core.reviews.definition(row.id)?.status).toBe('InProgress');
  });

  test('a review starting today begins at creation time, not at midnight', () => {
    const instance = onlyInstance(createNow(review(salesMembers, owners(GROUP.salesTeam))).id);
    expect(instance.start_at).toBe(NOW.toISOString());
    expect(instance.end_at).toBe('2026-12-15T00:00:00.000Z');
  });
});

describe('recommendations', () => {
  const recommendations = (lookBack?: string): Record<string, string> => {
    const row = createNow(review(salesMembers, owners(GROUP.salesTeam), lookBack ? { recommendationLookBackDuration: lookBack } : {}));
    const items = itemsOf(onlyInstance(row.id).id);
    return Object.fromEntries(items.map((d) => [d.principal_name?.split(' ')[0] ?? '', d.recommendation]));
  };

  test('default look-back of 30 days: older sign-ins → Deny, never signed in → NoInfoAvailable', () => {
    expect(recommendations()).toEqual({
      Alex: 'Approve', Ramesh: 'Deny', Lynne: 'Approve', Isaiah: 'Approve', Johanna: 'Deny', Joni: 'NoInfoAvailable',
      Lidia: 'Approve', Miriam: 'Approve',
    });
  });

  test('recommendationLookBackDuration P7D turns 10- and 12-day-old sign-ins into Deny', () => {
    expect(recommendations('P7D')).toEqual({
      Alex: 'Approve', Ramesh: 'Deny', Lynne: 'Approve', Isaiah: 'Deny', Johanna: 'Deny', Joni: 'NoInfoAvailable',
      Lidia: 'Approve', Miriam: 'Deny',
    });
  });

  test('the look-back window is measured from the instance start, so Lynne (1 day ago) is Deny in a review starting 2 weeks later', () => {
    const row = core.service.create(review(salesGuests, owners(GROUP.salesTeam), {
      recommendationLookBackDuration: 'P7D', instanceDurationInDays: 7,
      recurrence: { pattern: null, range: { type: 'numbered', numberOfOccurrences: 0, startDate: '2026-12-15' } },
    }), ADELE, NOW);
    core.lifecycle.runUntil(new Date('2026-12-15T00:00:00Z'));
    const items = byPrincipal(onlyInstance(row.id).id);
    expect(items.get(USER.lynne)?.recommendation).toBe('Deny');
    expect(items.get(USER.ramesh)?.recommendation).toBe('Deny');
  });
});

describe('completion', () => {
  test("stop → Completed; default decision 'Recommendation' fills unreviewed items, NoInfoAvailable stays NotReviewed", () => {
    const row = createNow(review(salesMembers, owners(GROUP.salesTeam), { defaultDecisionEnabled: true, defaultDecision: 'Recommendation' }));
    const instance = onlyInstance(row.id);
    core.service.batchRecord(instance, { decision: 'Deny', justification: 'Left the team', principalId: USER.alex }, MEGAN, at(0.01));
    const stopAt = at(0.5);
    core.service.stop(instance, stopAt);
    const after = onlyInstance(row.id);
    expect(after).toMatchObject({ status: 'Completed', end_at: stopAt.toISOString(), applied: 0 });
    const items = byPrincipal(instance.id);
    expect(items.get(USER.alex)).toMatchObject({ decision: 'Deny', reviewed_by_id: USER.megan });
    expect(items.get(USER.joni)).toMatchObject({ recommendation: 'NoInfoAvailable', decision: 'NotReviewed', reviewed_by_id: null });
    for (const [id, decision] of [[USER.ramesh, 'Deny'], [USER.johanna, 'Deny'], [USER.lynne, 'Approve'], [USER.miriam, 'Approve']]) {
      expect(items.get(id ?? '')).toMatchObject({
        decision, reviewed_by_id: SYSTEM_ACTOR.id, reviewed_by_name: 'AAD Access Reviews', reviewed_at: stopAt.toISOString(), apply_result: 'New',
      });
    }
    expect(members(GROUP.salesTeam)).toBe(8);
    expect(() => core.service.stop(after, at(1))).toThrow(/not InProgress/);
  });

  test('auto-apply on the dynamic group All Staff: ApplyNotSupported, nobody removed', () => {
    const row = createNow(review(`/groups/${GROUP.allStaff}/transitiveMembers`, [{ query: `/users/${USER.adele}`, queryType: 'MicrosoftGraph' }], {
      defaultDecisionEnabled: true, defaultDecision: 'Deny', autoApplyDecisionsEnabled: true,
    }));
    const instance = onlyInstance(row.id);
    expect(core.decisions.countItems(instance.id)).toBe(200);
    core.service.stop(instance, at(1));
    const items = itemsOf(instance.id);
    expect(new Set(items.map((d) => `${d.decision}/${d.apply_result}`))).toEqual(new Set(['Deny/ApplyNotSupported']));
    expect(onlyInstance(row.id).applied).toBe(1);
    expect(members(GROUP.allStaff)).toBe(200);
    expect(core.directory.user(staffId(1))?.account_enabled).toBe(1);
  });

  test('disableAndDeleteUserApplyAction: the denied guest is removed and disabled, then deleted 30 days later', () => {
    const row = createNow(review(salesGuests, owners(GROUP.salesTeam), {
      autoApplyDecisionsEnabled: true, applyActions: [{ '@odata.type': '#microsoft.graph.disableAndDeleteUserApplyAction' }],
    }));
    const instance = onlyInstance(row.id);
    core.service.batchRecord(instance, { decision: 'Deny', justification: 'Contract ended', principalId: USER.ramesh }, MEGAN, at(0.1));
    const stopAt = at(1);
    core.service.stop(instance, stopAt);

    expect(byPrincipal(instance.id).get(USER.ramesh)).toMatchObject({ decision: 'Deny', apply_result: 'AppliedSuccessfully', applied_by_id: ZERO_ID });
    expect(byPrincipal(instance.id).get(USER.lynne)).toMatchObject({ decision: 'NotReviewed', apply_result: 'New' });
    expect(core.directory.hasRelation(GROUP.salesTeam, USER.ramesh, 'member')).toBe(false);
    expect(core.directory.user(USER.ramesh)).toMatchObject({ account_enabled: 0, delete_after: new Date(stopAt.getTime() + 30 * DAY).toISOString() });
    expect(core.directory.user(USER.lynne)).toMatchObject({ account_enabled: 1, delete_after: null });
    expect(core.directory.hasRelation(GROUP.salesTeam, USER.lynne, 'member')).toBe(true);

    core.lifecycle.runUntil(new Date(stopAt.getTime() + 29 * DAY));
    expect(core.directory.user(USER.ramesh)?.account_enabled).toBe(0);
    core.lifecycle.runUntil(new Date(stopAt.getTime() + 31 * DAY));
    expect(core.directory.user(USER.ramesh)).toBeUndefined();
    expect(count('SELECT count(*) AS n FROM memberships WHERE member_id = ?', USER.ramesh)).toBe(0);
    expect(core.directory.user(USER.lynne)?.account_enabled).toBe(1);
  });

  test('disableAndDeleteUserApplyAction never disables a denied member (only B2B guests)', () => {
    const row = createNow(review(salesMembers, owners(GROUP.salesTeam), {
      autoApplyDecisionsEnabled: true, applyActions: [{ '@odata.type': '#microsoft.graph.disableAndDeleteUserApplyAction' }],
    }));
    const instance = onlyInstance(row.id);
    core.service.batchRecord(instance, { decision: 'Deny', justification: 'Moved', principalId: USER.alex }, MEGAN, at(0.1));
    core.service.stop(instance, at(1));
    expect(core.directory.hasRelation(GROUP.salesTeam, USER.alex, 'member')).toBe(false);
    expect(core.directory.user(USER.alex)).toMatchObject({ account_enabled: 1, delete_after: null });
  });
});

describe('deleting a definition', () => {
  test('removes its instances, decisions and reviewer assignments, and nothing else', () => {
    const row = core.service.create(review(salesMembers, [], {
      instanceDurationInDays: 7, recurrence: { pattern: { type: 'weekly', interval: 1 }, range: { type: 'noEnd', startDate: '2026-12-01' } },
    }), ADELE, NOW);
    core.clock.moveTo(at(10));
    core.tick();
    expect(instancesOf(row.id)).toHaveLength(2);
    const tables: Array<[string, string]> = [
      ['definitions', 'id = ?'],
      ['instances', 'definition_id = ?'],
      ['decisions', 'definition_id = ?'],
      ['instance_reviewers', 'instance_id IN (SELECT id FROM instances WHERE definition_id = ?)'],
      ['item_reviewers', 'decision_seq IN (SELECT seq FROM decisions WHERE definition_id = ?)'],
    ];
    const totals = (): number[] => tables.map(([t]) => count(`SELECT count(*) AS n FROM ${t}`));
    const mine = tables.map(([t, where]) => count(`SELECT count(*) AS n FROM ${t} WHERE ${where}`, row.id));
    expect(mine).toEqual([1, 2, 16, 16, 16]);
    const expected = totals().map((n, i) => n - (mine[i] ?? 0));

    core.service.remove(row);
    expect(core.reviews.definition(row.id)).toBeUndefined();
    expect(instancesOf(row.id)).toHaveLength(0);
    expect(tables.map(([t, where]) => count(`SELECT count(*) AS n FROM ${t} WHERE ${where}`, row.id))).toEqual([0, 0, 0, 0, 0]);
    expect(totals()).toEqual(expected);
    expect(definitions()).toHaveLength(3);
    core.clock.moveTo(at(30));
    expect(() => core.tick()).not.toThrow();
    expect(instancesOf(row.id)).toHaveLength(0);
  });
});
