import { GROUP, USER } from '../../dev/tenant/tenant';
import { confirmationFor, textAnswerTo, type Confirmation } from '../support/cardAnswers';
import { useLocalStack } from '../support/localStack';
import { control, expectGraphStatus, graph, REVIEWS, userToken } from '../support/localTenant';
import { USERS, type Delivery, type TeamsUser } from '../support/teamsClient';

/**
 * Issue 11, item 5 over real HTTP with the local tenant: `edit` changes only what was asked (the stored definition is
 * read from the emulator before and after the PUT), a change Graph forbids is refused before any PUT, a user without
 * the role is refused by Graph (403, the role named), and a review deleted before the press is said to be gone.
 */
const stack = useLocalStack({ env: { SSO_MODE: 'local' } });
let adele = '';
beforeAll(async () => {
  adele = await userToken(stack.tenant, 'adele@contoso.local');
});

const json = (value: unknown): string => JSON.stringify(value);

const ask = (user: TeamsUser, text: string): Promise<Confirmation> => confirmationFor(stack.teams, user, text, 'reviewEdit.confirm');
const answerTo = (user: TeamsUser, text: string): Promise<string> => textAnswerTo(stack.teams, user, text);

const press = (user: TeamsUser, card: Confirmation, verb = 'reviewEdit.confirm'): Promise<Delivery> =>
  stack.teams.cardAction(user, card.sent.id, verb, { verb, confirmationId: card.confirmationId, revision: card.revision });

/** A quarterly review of Finance Apps' members (as Adele, straight through Graph) that starts today. */
async function quarterlyReview(name: string): Promise<string> {
  const startDate = String((await control(stack.tenant, 'GET', '/clock')).body.now).slice(0, 10);
  const created = await graph(stack.tenant, adele, 'POST', REVIEWS, {
    displayName: name, descriptionForAdmins: 'test/e2e/editReview.test.ts', descriptionForReviewers: 'Please review.',
    scope: { '@odata.type': '#microsoft.graph.accessReviewQueryScope', query: `/groups/${GROUP.financeApps}/transitiveMembers/microsoft.graph.user`, queryType: 'MicrosoftGraph' },
    reviewers: [{ query: `/groups/${GROUP.financeApps}/owners`, queryType: 'MicrosoftGraph' }],
    fallbackReviewers: [{ query: `/users/${USER.adele}`, queryType: 'MicrosoftGraph' }],
    settings: {
      mailNotificationsEnabled: true, reminderNotificationsEnabled: true, justificationRequiredOnApproval: true,
      defaultDecisionEnabled: false, defaultDecision: 'None', autoApplyDecisionsEnabled: false, recommendationsEnabled: true, instanceDurationInDays: 14,
      recurrence: { pattern: { type: 'absoluteMonthly', interval: 3 }, range: { type: 'noEnd', startDate } },
    },
  });
  expectGraphStatus(created, 201);
  return String(created.body.id);
}

const stored = async (id: string): Promise<Record<string, unknown>> => {
  const answer = await graph(stack.tenant, adele, 'GET', `${REVIEWS}/${id}`);
  expectGraphStatus(answer, 200);
  const { lastModifiedDateTime: _l, '@odata.context': _c, ...definition } = answer.body as Record<string, unknown>;
  return definition;
};
const putCount = async (): Promise<number> => {
  const stats = (await control(stack.tenant, 'GET', '/stats')).body as { byRoute?: Record<string, number> };
  return Object.entries(stats.byRoute ?? {}).filter(([route]) => route.startsWith('PUT') && route.includes('definitions')).reduce((n, [, count]) => n + count, 0);
};

test('edit changes only what was asked: the stored definition before and after differs in exactly those fields', async () => {
  const id = await quarterlyReview('Finance Apps quarterly (edit)');
  const before = await stored(id);
  await control(stack.tenant, 'POST', '/stats/reset');
  const card = await ask(USERS.adele, 'edit "Finance Apps quarterly (edit)" duration 21 days name "Finance Apps (edited)" auto-apply on reminders off');
  expect(card.card).toContain('14 days → 21 days');
  expect(card.card).toContain('off → on');
  expect(await stored(id)).toEqual(before);

  const saved = await press(USERS.adele, card);
  expect(saved.status).toBe(200);
  expect(json(saved.body)).toContain('Saved');
  expect(await putCount()).toBe(1);
  const after = await stored(id);
  const settingsBefore = before.settings as Record<string, unknown>;
  expect(after).toEqual({
    ...before, displayName: 'Finance Apps (edited)',
    settings: { ...settingsBefore, instanceDurationInDays: 21, autoApplyDecisionsEnabled: true, reminderNotificationsEnabled: false },
  });
  expect(json((await press(USERS.adele, card)).body)).toContain('Already done');
});

test('a change Graph forbids is refused before any PUT, with the reason', async () => {
  const id = await quarterlyReview('Finance Apps quarterly (forbidden)');
  await control(stack.tenant, 'POST', '/stats/reset');
  const scope = await answerTo(USERS.adele, `edit ${id} guests`);
  expect(scope).toContain('cannot be changed once it exists');
  const reviewers = await answerTo(USERS.adele, `edit ${id} by managers`);
  expect(reviewers).toContain('who reviews');
  const tooLong = await answerTo(USERS.adele, `edit ${id} duration 200 days`);
  expect(tooLong).toContain('Each run must end before the next one starts');
  expect(await putCount()).toBe(0);
});

test('a user without the role: Graph refuses (403) and the answer names the role; nothing changed', async () => {
  const id = await quarterlyReview('Finance Apps quarterly (403)');
  const before = await stored(id);
  // Grady (Global Reader) can read the review, so he gets the card; Graph refuses his PUT.
  const card = await ask(USERS.grady, `edit ${id} duration 21 days`);
  const refused = await press(USERS.grady, card);
  expect(json(refused.body)).toContain('Identity Governance Administrator or User Administrator');
  expect(json(refused.body)).toContain('Nothing was changed.');
  // Megan (no role) cannot even read it.
  const megan = await answerTo(USERS.megan, `edit ${id} duration 21 days`);
  expect(megan).toContain('Identity Governance Administrator or User Administrator');
  expect(await stored(id)).toEqual(before);
});

test('a review deleted between the card and the press: 404, said, nothing changed', async () => {
  const id = await quarterlyReview('Finance Apps quarterly (deleted)');
  const card = await ask(USERS.adele, `edit ${id} mail off`);
  expectGraphStatus(await graph(stack.tenant, adele, 'DELETE', `${REVIEWS}/${id}`), 204);
  const answer = await press(USERS.adele, card);
  expect(json(answer.body)).toContain('no longer exists');
  expect(json(answer.body)).toContain('Nothing was changed.');
});
