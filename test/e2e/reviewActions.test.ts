import { GROUP, USER } from '../../dev/tenant/tenant';
import { confirmationFor, textAnswerTo, type Confirmation } from '../support/cardAnswers';
import { useLocalStack } from '../support/localStack';
import { control, expectGraphStatus, graph, graphItems, REVIEWS, userToken } from '../support/localTenant';
import { SALES_TEAM, USERS, type Delivery, type Scope, type TeamsUser } from '../support/teamsClient';

/**
 * Issue 11, item 4 over real HTTP with the local tenant: stop then apply on a manual-apply review removes exactly the
 * denied members (numbers read from the emulator), the Graph requests of an apply press, Megan and Adele's Stop card,
 * and a review deleted between the card and the press. The emulator clock never moves in this file.
 */
const stack = useLocalStack({ env: { SSO_MODE: 'local' } });
let adele = '';
beforeAll(async () => {
  adele = await userToken(stack.tenant, 'adele@contoso.local');
});

const DAY = 86_400_000;
const CHANNEL: Scope = { kind: 'channel', teamId: SALES_TEAM.id, channelId: SALES_TEAM.channels[0]?.id };
const json = (value: unknown): string => JSON.stringify(value);
const items = <T>(path: string): Promise<T[]> => graphItems<T>(stack.tenant, adele, path);

const ask = (user: TeamsUser, text: string, scope?: Scope): Promise<Confirmation> => confirmationFor(stack.teams, user, text, 'reviewAction.confirm', scope);
const answerTo = (user: TeamsUser, text: string): Promise<string> => textAnswerTo(stack.teams, user, text);

const press = (user: TeamsUser, card: Confirmation, scope?: Scope, verb = 'reviewAction.confirm'): Promise<Delivery> =>
  stack.teams.cardAction(user, card.sent.id, verb, { verb, confirmationId: card.confirmationId, revision: card.revision }, scope);

/** Creates (as Adele, straight through Graph) a one-time manual-apply review of Finance Apps' members that Adele reviews. */
async function financeReview(name: string): Promise<{ definitionId: string; instanceId: string }> {
  const startDate = String((await control(stack.tenant, 'GET', '/clock')).body.now).slice(0, 10);
  const endDate = new Date(Date.parse(`${startDate}T00:00:00Z`) + 7 * DAY).toISOString().slice(0, 10);
  const created = await graph(stack.tenant, adele, 'POST', REVIEWS, {
    displayName: name, descriptionForAdmins: 'test/e2e/reviewActions.test.ts', descriptionForReviewers: 'Please review.',
    scope: { '@odata.type': '#microsoft.graph.accessReviewQueryScope', query: `/groups/${GROUP.financeApps}/transitiveMembers/microsoft.graph.user`, queryType: 'MicrosoftGraph' },
    reviewers: [{ query: `/users/${USER.adele}`, queryType: 'MicrosoftGraph' }],
    settings: {
      mailNotificationsEnabled: false, reminderNotificationsEnabled: false, justificationRequiredOnApproval: false,
      defaultDecisionEnabled: false, autoApplyDecisionsEnabled: false, recommendationsEnabled: true, instanceDurationInDays: 7,
      recurrence: { pattern: null, range: { type: 'numbered', numberOfOccurrences: 0, startDate, endDate } },
    },
  });
  expectGraphStatus(created, 201);
  const definitionId = String(created.body.id);
  const instances = await items<{ id: string }>(`${REVIEWS}/${definitionId}/instances`);
  return { definitionId, instanceId: instances[0]?.id ?? '' };
}

const instanceStatus = async (definitionId: string, instanceId: string): Promise<string> =>
  String((await graph(stack.tenant, adele, 'GET', `${REVIEWS}/${definitionId}/instances/${instanceId}`)).body.status);
const memberIds = async (groupId: string): Promise<string[]> => (await items<{ id: string }>(`/groups/${groupId}/members`)).map((m) => m.id).sort();

test('stop then apply on a manual-apply review removes exactly the denied members; the apply press costs 3 Graph requests', async () => {
  const { definitionId, instanceId } = await financeReview('Finance Apps stop-and-apply');
  const path = `${REVIEWS}/${definitionId}/instances/${instanceId}`;
  const before = await memberIds(GROUP.financeApps);
  // Adele (the reviewer) denies three members and approves two.
  const decided = before.slice(0, 5);
  for (const [index, principalId] of decided.entries()) {
    expectGraphStatus(await graph(stack.tenant, adele, 'POST', `${path}/batchRecordDecisions`,
      { decision: index < 3 ? 'Deny' : 'Approve', justification: 'Checked.', principalId }), 204);
  }
  const denied = (await items<{ principal: { id: string } }>(`${path}/decisions?$filter=decision eq 'Deny'`)).map((d) => d.principal.id).sort();
  expect(denied).toHaveLength(3);

  const stop = await ask(USERS.adele, `stop ${definitionId}`);
  expect(stop.card).toContain('stop: the current run of');
  expect((await press(USERS.adele, stop)).status).toBe(200);
  expect(await instanceStatus(definitionId, instanceId)).toBe('Completed');

  const apply = await ask(USERS.adele, `apply ${definitionId}`);
  expect(apply.card).toContain(`apply: ${denied.length} denied members will be removed from`);
  expect(apply.card).toContain('Finance Apps');
  expect(await memberIds(GROUP.financeApps)).toEqual(before);

  await control(stack.tenant, 'POST', '/stats/reset');
  const applied = await press(USERS.adele, apply);
  expect(json(applied.body)).toContain(`${denied.length} denied members are being removed`);
  const stats = (await control(stack.tenant, 'GET', '/stats')).body as { requests: number; byRoute: Record<string, number> };
  // Re-read the review and its run (ids re-checked as the presser), then the one POST.
  expect(stats.requests).toBe(3);
  expect(Object.keys(stats.byRoute).filter((route) => route.startsWith('POST'))).toHaveLength(1);

  expect(await memberIds(GROUP.financeApps)).toEqual(before.filter((id) => !denied.includes(id)));
  expect(['Applying', 'Applied']).toContain(await instanceStatus(definitionId, instanceId));
  // A second press acts no more.
  await control(stack.tenant, 'POST', '/stats/reset');
  expect(json((await press(USERS.adele, apply)).body)).toContain('Already done');
  expect((await control(stack.tenant, 'GET', '/stats')).body.requests).toBe(0);
});

test("Megan pressing Stop on the card Adele received is refused (Adele's confirmation); her own stop gets the role explanation; the review keeps running", async () => {
  const sales = (await items<{ id: string; displayName: string }>(REVIEWS)).find((d) => d.displayName === 'Sales Team guest review');
  const definitionId = sales?.id ?? 'missing';
  const [instance] = await items<{ id: string; status: string }>(`${REVIEWS}/${definitionId}/instances`);
  expect(instance?.status).toBe('InProgress');

  const card = await ask(USERS.adele, `stop ${definitionId}`, CHANNEL);
  const megansPress = await press(USERS.megan, card, CHANNEL);
  expect(megansPress.status).toBe(200);
  expect(json(megansPress.body)).toContain("This is Adele Vance's confirmation");
  expect(json(megansPress.body)).toContain('Nothing was changed.');
  expect(await instanceStatus(definitionId, instance?.id ?? '')).toBe('InProgress');

  // Typing it herself: Graph refuses Megan (no role), and the answer names the role writes need.
  const own = await answerTo(USERS.megan, `stop ${definitionId}`);
  expect(own).toContain('Microsoft Graph refused');
  expect(own).toContain('Stopping a review needs the Identity Governance Administrator or User Administrator role.');
  expect(own).toContain('Nothing was changed.');
  expect(await instanceStatus(definitionId, instance?.id ?? '')).toBe('InProgress');
  // Adele cancels her card: the review keeps running.
  expect(json((await press(USERS.adele, card, CHANNEL, 'reviewAction.cancel')).body)).toContain('Cancelled');
});

test('a review deleted between the card and the press gets the not-found answer, and nothing changed', async () => {
  const { definitionId, instanceId } = await financeReview('Finance Apps deleted meanwhile');
  const card = await ask(USERS.adele, `reset ${definitionId}`);
  expectGraphStatus(await graph(stack.tenant, adele, 'DELETE', `${REVIEWS}/${definitionId}`), 204);
  await control(stack.tenant, 'POST', '/stats/reset');
  const answer = await press(USERS.adele, card);
  expect(json(answer.body)).toContain('no longer exists');
  expect(json(answer.body)).toContain('Nothing was changed.');
  const stats = (await control(stack.tenant, 'GET', '/stats')).body as { byRoute: Record<string, number> };
  expect(Object.keys(stats.byRoute).filter((route) => !route.startsWith('GET'))).toEqual([]);
  expect(instanceId).not.toBe('');
});

test('delete asks first, then deletes the definition (read back from the emulator)', async () => {
  const { definitionId } = await financeReview('Finance Apps to delete');
  const card = await ask(USERS.adele, `delete ${definitionId}`);
  expect(card.card).toContain('will be deleted with its 1 run and all their decisions');
  expect(json((await press(USERS.adele, card)).body)).toContain('Deleted');
  expect((await graph(stack.tenant, adele, 'GET', `${REVIEWS}/${definitionId}`)).status).toBe(404);
});

test('remind acts at once and says how many items wait', async () => {
  const { definitionId, instanceId } = await financeReview('Finance Apps remind');
  const waiting = (await items<{ id: string }>(`${REVIEWS}/${definitionId}/instances/${instanceId}/decisions?$filter=decision eq 'NotReviewed'`)).length;
  const text = await answerTo(USERS.adele, `remind ${definitionId}`);
  expect(text).toContain('Reminders sent');
  expect(text).toContain(`${waiting} items not reviewed`);
});

test('with injected 503s (some after the write was made), what the bot says about a stop always matches the emulator', async () => {
  const claims: Array<{ said: string; status: string }> = [];
  for (let round = 1; round <= 5; round += 1) {
    const { definitionId, instanceId } = await financeReview(`Finance Apps faults ${round}`);
    const card = await ask(USERS.adele, `stop ${definitionId}`);
    await control(stack.tenant, 'PUT', '/faults', { errorRate: 0.5, statuses: [503], retryAfterSeconds: 0, seed: round, lostWriteRatio: 0.5 });
    let said = '';
    try {
      said = json((await press(USERS.adele, card)).body);
    } finally {
      await control(stack.tenant, 'PUT', '/faults', {});
    }
    claims.push({ said, status: await instanceStatus(definitionId, instanceId) });
  }
  for (const { said, status } of claims) {
    if (said.includes('Stopped the current run')) expect(status).toBe('Completed');
    else if (said.includes('could not tell')) expect(['InProgress', 'Completed']).toContain(status);
    else {
      expect(said).toMatch(/[Nn]othing was changed/);
      expect(status).toBe('InProgress');
    }
  }
  // Faults are not off by accident: at least one press met one.
  expect(claims.some(({ said }) => !said.includes('Stopped the current run') || said.includes('but the change was made'))).toBe(true);
});
