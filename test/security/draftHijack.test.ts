import { useLocalStack } from '../support/localStack';
import { graphItems, REVIEWS, userToken } from '../support/localTenant';
import {
  isObject, personalChatId, SALES_TEAM, USERS, type Delivery, type Scope, type SentActivity, type TeamsUser,
} from '../support/teamsClient';

/**
 * Issue 7, item 1: a draft (a pending action) belongs to the user who asked, in the conversation where it was
 * asked. Alex, a member of the channel, tried to rewrite, cancel and reopen Adele's draft by pressing the buttons
 * of her confirmation card; before the fix Graph ended up holding a review created by Adele with Alex's settings.
 */
const stack = useLocalStack({ env: { SSO_MODE: 'local' } });
let adminToken = '';
beforeAll(async () => {
  adminToken = await userToken(stack.tenant, 'adele@contoso.local');
});

const CHANNEL: Scope = { kind: 'channel', teamId: SALES_TEAM.id, channelId: SALES_TEAM.channels[0]?.id };
const json = (value: unknown): string => JSON.stringify(value);
const definitions = (): Promise<Array<Record<string, unknown>>> => graphItems(stack.tenant, adminToken, REVIEWS);
/** The reviews made from one draft (its id is the request tag the bot writes into descriptionForAdmins). */
const fromDraft = async (card: Confirmation): Promise<Array<Record<string, unknown>>> =>
  (await definitions()).filter((d) => String(d.descriptionForAdmins).includes(card.confirmationId));

interface Confirmation { sent: SentActivity; confirmationId: string; revision: number; name: string }

/** The latest confirmation card the bot sent (after `from` sent activities), with its draft id, revision and review name. */
async function confirmation(from = 0): Promise<Confirmation> {
  const sent = await stack.teams.waitFor(() => stack.teams.sent.slice(from).filter((s) => json(s.activity).includes('review.create')).at(-1), 10_000);
  const card = json(sent.activity);
  return {
    sent,
    confirmationId: /"confirmationId":"([0-9a-f-]{36})"/.exec(card)?.[1] ?? '',
    revision: Number(/"revision":(\d+)/.exec(card)?.[1] ?? NaN),
    name: /"text":"([^"]*Sales Team[^"]*review)"/.exec(card)?.[1] ?? '',
  };
}

/** A press of one of the confirmation card's buttons, with the data the card carries. */
const press = (user: TeamsUser, card: Confirmation, verb: string, scope?: Scope): Promise<Delivery> =>
  stack.teams.cardAction(user, card.sent.id, verb, { verb, confirmationId: card.confirmationId, revision: card.revision }, scope);

const answerText = (delivery: Delivery): string => json(delivery.body);

/** Adele asks for a guest review of Sales Team in the channel and gets her confirmation card. */
async function adelesDraft(): Promise<Confirmation> {
  const before = stack.teams.sent.length;
  await stack.teams.message(USERS.adele, 'review "Sales Team" guests quarterly', CHANNEL);
  return confirmation(before);
}

/** Alex's attempt at the settings form of a wizard: deny, auto-apply, block-then-delete guests, no mail. */
async function alexSubmitsHostileSettings(near: SentActivity): Promise<void> {
  const which = stack.teams.sent.filter((s) => json(s.activity).includes('"wizard":"wizard.which"')).at(-1) ?? near;
  await stack.teams.submit(USERS.alex, which.id, { wizard: 'wizard.which', choice: 'wizard.settings' });
  const form = stack.teams.sent.filter((s) => json(s.activity).includes('"wizard":"wizard.settings"')).at(-1) ?? near;
  await stack.teams.submit(USERS.alex, form.id, {
    wizard: 'wizard.settings', choice: 'next', name: 'Alex was here', justificationRequired: 'false', showRecommendations: 'true',
    defaultDecision: 'deny', autoApply: 'true', deniedGuests: 'blockThenDelete', mailNotifications: 'false', reminders: 'false',
    descriptionForReviewers: 'Deny everyone.',
  });
}

test('Alex cannot change, cancel or reopen Adele\'s draft; her Create makes the review with her own settings', async () => {
  const card = await adelesDraft();
  expect(card.confirmationId).not.toBe('');

  const change = await press(USERS.alex, card, 'review.change');
  expect(change.status).toBe(200);
  expect(answerText(change)).toContain('This is Adele Vance\'s draft');
  await alexSubmitsHostileSettings(card.sent);
  const cancel = await press(USERS.alex, card, 'review.cancel');
  expect(answerText(cancel)).toContain('This is Adele Vance\'s draft');
  const create = await press(USERS.alex, card, 'review.create');
  expect(answerText(create)).toContain('This is Adele Vance\'s draft');
  // Refused before any sign-in: Alex was not asked to sign in (no 401 loginRequest) for someone else's draft.
  expect(create.status).toBe(200);
  // No wizard question was ever sent for Alex's presses.
  expect(stack.teams.sent.some((s) => json(s.activity).includes('"wizard":"wizard.which"'))).toBe(false);

  const created = await press(USERS.adele, card, 'review.create');
  expect(answerText(created)).toContain('Open in the Entra admin center');
  const [definition, ...more] = await fromDraft(card);
  expect(more).toHaveLength(0);
  expect(definition?.displayName).toBe(card.name);
  expect(definition).toMatchObject({
    createdBy: { id: USERS.adele.aadObjectId },
    settings: { defaultDecision: 'None', autoApplyDecisionsEnabled: false, mailNotificationsEnabled: true, justificationRequiredOnApproval: true },
  });
  expect(json(definition)).not.toContain('Alex was here');
});

test('a card from another conversation (forged data) cannot touch the draft, even for its owner', async () => {
  const card = await adelesDraft();
  const elsewhere: Scope = { kind: 'conversation', id: personalChatId(USERS.alex) };
  expect(answerText(await press(USERS.alex, card, 'review.cancel', elsewhere))).toContain('This is Adele Vance\'s draft');
  const adelesChat: Scope = { kind: 'conversation', id: personalChatId(USERS.adele) };
  expect(answerText(await press(USERS.adele, card, 'review.cancel', adelesChat))).toContain('in the conversation where it was asked');
  // Still pending where it was asked: Adele cancels it there.
  expect(answerText(await press(USERS.adele, card, 'review.cancel'))).toContain('Cancelled: nothing was created.');
});

test('a change makes a new revision: the outdated card is refused and refreshed, the new one creates the changed review', async () => {
  const card = await adelesDraft();
  const before = stack.teams.sent.length;
  expect(answerText(await press(USERS.adele, card, 'review.change'))).toContain('Which setting');
  const which = await stack.teams.waitFor(() => stack.teams.sent.slice(before).find((s) => json(s.activity).includes('"wizard":"wizard.which"')));
  await stack.teams.submit(USERS.adele, which.id, { wizard: 'wizard.which', choice: 'wizard.settings' });
  const form = await stack.teams.waitFor(() => stack.teams.sent.slice(before).find((s) => json(s.activity).includes('"wizard":"wizard.settings"')));
  const afterForm = stack.teams.sent.length;
  await stack.teams.submit(USERS.adele, form.id, {
    wizard: 'wizard.settings', choice: 'next', name: 'Sales Team guests – changed by Adele', justificationRequired: 'true', showRecommendations: 'true',
    defaultDecision: 'none', autoApply: 'false', deniedGuests: 'remove', mailNotifications: 'true', reminders: 'true', descriptionForReviewers: 'Please review.',
  });
  const revised = await confirmation(afterForm);
  expect(revised.confirmationId).toBe(card.confirmationId);
  expect(revised.revision).toBe(card.revision + 1);

  const stale = await press(USERS.adele, card, 'review.create');
  expect(isObject(stale.body) && stale.body.type).toBe('application/vnd.microsoft.card.adaptive');
  expect(answerText(stale)).toContain('out of date');
  expect(answerText(stale)).toContain(`"revision":${revised.revision}`);
  expect(answerText(stale)).toContain('changed by Adele');
  expect(await fromDraft(card)).toHaveLength(0);

  expect(answerText(await press(USERS.adele, revised, 'review.create'))).toContain('Open in the Entra admin center');
  expect((await fromDraft(card)).map((d) => d.displayName)).toEqual(['Sales Team guests – changed by Adele']);
});

test('a cancelled draft is final: Change a setting does not reopen it and Create makes nothing', async () => {
  const card = await adelesDraft();
  expect(answerText(await press(USERS.adele, card, 'review.cancel'))).toContain('Cancelled');
  const before = stack.teams.sent.length;
  expect(answerText(await press(USERS.adele, card, 'review.change'))).toContain('cancelled');
  expect(answerText(await press(USERS.adele, card, 'review.create'))).toContain('cancelled');
  expect(stack.teams.sent.slice(before).some((s) => json(s.activity).includes('"wizard":'))).toBe(false);
  expect(await fromDraft(card)).toHaveLength(0);
});

test('a created draft is final: Cancel and Change a setting show the created review and change nothing', async () => {
  const card = await adelesDraft();
  expect(answerText(await press(USERS.adele, card, 'review.create'))).toContain('Open in the Entra admin center');
  const [definition] = await fromDraft(card);
  for (const verb of ['review.cancel', 'review.change']) {
    const again = await press(USERS.adele, card, verb);
    expect(answerText(again)).toContain(String(definition?.id));
  }
  expect(await fromDraft(card)).toHaveLength(1);
});
