import { REVIEW_EDIT_CANCEL, REVIEW_EDIT_CONFIRM } from '../../../cards/verbs';
import { AppError } from '../../../bot/errors';
import type { ReviewDefinition } from '../../../bot/graph/apis';
import { IDS, smallTenant } from '../../support/fakeGraph';
import {
  buildBot, CHANNEL, PEOPLE, PERSONAL, type BotHarness, type Person,
} from '../support/botHarness';
import type { Scope } from '../../support/teamsActivities';
import { askConfirmation, pressConfirmation, type Confirmation } from '../support/confirmations';

/**
 * Issue 11, item 5: `edit <review> <changes>` on the harness (Graph fake, fixed clock 2025-06-02): the card shows
 * before → after, Save PUTs the whole definition with only the asked fields changed, once; what Graph forbids is
 * refused before any PUT; someone else's card, 403 and a deleted review.
 */

const DEF = 'dddddddd-0000-4000-8000-000000000001';
const NAME = 'Sales Team guest review';

function definition(overrides: Partial<ReviewDefinition> = {}): ReviewDefinition {
  return {
    id: DEF, displayName: NAME, status: 'InProgress', descriptionForAdmins: 'Quarterly guest check', descriptionForReviewers: 'Please review the guests',
    scope: { '@odata.type': '#microsoft.graph.accessReviewQueryScope', query: `/groups/${IDS.sales}/transitiveMembers/microsoft.graph.user`, queryType: 'MicrosoftGraph' },
    reviewers: [{ query: `/groups/${IDS.sales}/owners`, queryType: 'MicrosoftGraph' }],
    fallbackReviewers: [{ query: `/users/${IDS.adele}`, queryType: 'MicrosoftGraph' }],
    settings: {
      mailNotificationsEnabled: true, reminderNotificationsEnabled: true, justificationRequiredOnApproval: true, defaultDecisionEnabled: false,
      defaultDecision: 'None', instanceDurationInDays: 14, autoApplyDecisionsEnabled: false, recommendationsEnabled: true,
      recurrence: { pattern: { type: 'absoluteMonthly', interval: 3, dayOfMonth: 0 }, range: { type: 'noEnd', startDate: '2025-05-26' } },
    },
    ...overrides,
  };
}

let bot: BotHarness;
afterEach(async () => bot.close());

const start = (overrides?: Partial<ReviewDefinition>): void => {
  const tenant = smallTenant();
  tenant.definitions.push(definition(overrides));
  bot = buildBot({ tenant, signedIn: [IDS.adele, IDS.megan] });
};

const ask = (user: Person, text: string, scope: Scope = PERSONAL): Promise<Confirmation> => askConfirmation(bot, REVIEW_EDIT_CONFIRM, user, text, scope);
const press = (user: Person, data: unknown, verb: string = REVIEW_EDIT_CONFIRM, scope: Scope = PERSONAL): Promise<string> => pressConfirmation(bot, user, data, verb, scope);

const puts = (): unknown[][] => bot.tenant.calls.filter((call) => call.method === 'updateDefinition').map((call) => call.args);
const stored = (): ReviewDefinition => bot.tenant.definitions.find((d) => d.id === DEF) as ReviewDefinition;

test('the card shows before → after; Save PUTs the whole object with only those fields changed, once', async () => {
  start();
  const before = structuredClone(stored());
  const card = await ask(PEOPLE.adele, `edit "${NAME}" duration 21 days name "Sales guests (quarterly)" auto-apply on`);
  const text = card.texts.join('\n');
  expect(text).toContain('Duration');
  expect(text).toContain('14 days → 21 days');
  expect(text).toContain(`"${NAME}" → "Sales guests (quarterly)"`);
  expect(text).toContain('off → on');
  expect(puts()).toEqual([]);

  const answer = await press(PEOPLE.adele, card.data);
  expect(answer).toContain('Saved');
  expect(answer).toContain('14 days → 21 days');
  expect(puts()).toHaveLength(1);
  const after = stored();
  expect(after.displayName).toBe('Sales guests (quarterly)');
  expect(after.settings?.instanceDurationInDays).toBe(21);
  expect(after.settings?.autoApplyDecisionsEnabled).toBe(true);
  // Everything else as it was: the PUT carried the whole object.
  const { displayName: _a, settings: s1, ...restBefore } = before;
  const { displayName: _b, settings: s2, ...restAfter } = after;
  expect(restAfter).toEqual(restBefore);
  expect({ ...s2, instanceDurationInDays: 14, autoApplyDecisionsEnabled: false }).toEqual(s1);

  expect(await press(PEOPLE.adele, card.data)).toContain('Already done: Saved');
  expect(puts()).toHaveLength(1);
});

test('end of recurrence, default decision, mail and descriptions', async () => {
  start();
  const card = await ask(PEOPLE.adele, `edit ${DEF} ending 2026-06-30 if no response deny mail off description "Check every guest" admin description "x"`);
  expect(card.texts.join('\n')).toContain('never → on Tuesday 30 June 2026');
  expect(card.texts.join('\n')).toContain('no change → deny');
  await press(PEOPLE.adele, card.data);
  const settings = stored().settings as Record<string, unknown>;
  expect(settings.recurrence).toEqual({ pattern: { type: 'absoluteMonthly', interval: 3, dayOfMonth: 0 }, range: { type: 'endDate', startDate: '2025-05-26', endDate: '2026-06-30' } });
  expect(settings.defaultDecisionEnabled).toBe(true);
  expect(settings.defaultDecision).toBe('Deny');
  expect(settings.mailNotificationsEnabled).toBe(false);
  expect(stored().descriptionForReviewers).toBe('Check every guest');
  expect(stored().descriptionForAdmins).toBe('x');
});

test('an unquoted name ends at the first option word', async () => {
  start();
  const card = await ask(PEOPLE.adele, 'edit Sales Team guest review reminders off');
  expect(card.texts.join('\n')).toContain('Reminders');
  expect(card.data).toBeDefined();
});

test('an unquoted name may hold option-like words that start no change (guests, for, after)', async () => {
  start({ displayName: 'Access for guests after audit' });
  const card = await ask(PEOPLE.adele, 'edit Access for guests after audit duration 10 days');
  expect(card.texts.join('\n')).toContain('14 days → 10 days');
});

test('an unquoted name followed by a refused word gets the reason', async () => {
  start();
  const answer = await ask(PEOPLE.adele, 'edit Sales Team guest review members');
  expect(answer.text).toContain('cannot be changed once it exists');
  expect(puts()).toEqual([]);
});

test.each([
  ['scope', `edit "${NAME}" members`, 'scope'],
  ['reviewers', `edit "${NAME}" by managers`, 'who reviews'],
  ['frequency', `edit "${NAME}" monthly`, 'how often'],
  ['too long for the period', `edit "${NAME}" duration 120 days`, 'at most 92 days'],
  ['end before start', `edit "${NAME}" ending 2025-05-01`, 'must come after the first run'],
  ['end in the past', `edit "${NAME}" ending 2025-06-01`, 'in the past'],
  ['unknown word', `edit "${NAME}" colour blue`, 'I did not understand'],
  ['nothing asked', `edit "${NAME}"`, 'What should change?'],
])('refused before any PUT: %s', async (_what, command, reason) => {
  start();
  const answer = await ask(PEOPLE.adele, command);
  expect(answer.data).toBeUndefined();
  expect(answer.text).toContain(reason);
  expect(answer.text).toContain('Nothing was changed');
  expect(puts()).toEqual([]);
});

test('a one-time review has no series to end', async () => {
  start({ settings: { ...definition().settings, recurrence: { pattern: null, range: { type: 'numbered', numberOfOccurrences: 0, startDate: '2025-05-26', endDate: '2025-06-09' } } } });
  const answer = await ask(PEOPLE.adele, `edit "${NAME}" after 3 runs`);
  expect(answer.text).toContain('one-time review');
  expect(puts()).toEqual([]);
});

test('asking for what is already set: no card, nothing to change', async () => {
  start();
  const answer = await ask(PEOPLE.adele, `edit "${NAME}" duration 14 days reminders on`);
  expect(answer.data).toBeUndefined();
  expect(answer.text).toContain('nothing to change');
});

test("Megan cannot press Save on Adele's card; Cancel is final", async () => {
  start();
  const card = await ask(PEOPLE.adele, `edit ${DEF} duration 21 days`, CHANNEL);
  const answer = await press(PEOPLE.megan, card.data, REVIEW_EDIT_CONFIRM, CHANNEL);
  expect(answer).toContain("This is Adele Vance's confirmation");
  expect(await press(PEOPLE.adele, card.data, REVIEW_EDIT_CANCEL, CHANNEL)).toContain('Cancelled: nothing was changed.');
  expect(await press(PEOPLE.adele, card.data, REVIEW_EDIT_CONFIRM, CHANNEL)).toContain('This was cancelled');
  expect(puts()).toEqual([]);
});

test('Graph refusing the PUT (403) names the role; nothing changed, the press may be retried', async () => {
  start();
  const card = await ask(PEOPLE.adele, `edit ${DEF} duration 21 days`);
  bot.tenant.failNext('updateDefinition', new AppError('Forbidden', 'Microsoft Graph refused to change the access review.', { status: 403 }));
  const answer = await press(PEOPLE.adele, card.data);
  expect(answer).toContain('Identity Governance Administrator or User Administrator');
  expect(answer).toContain('Nothing was changed.');
  expect(stored().settings?.instanceDurationInDays).toBe(14);
  expect(await press(PEOPLE.adele, card.data)).toContain('Saved');
});

test('a review deleted between the card and the press: it no longer exists, nothing changed', async () => {
  start();
  const card = await ask(PEOPLE.adele, `edit ${DEF} duration 21 days`);
  bot.tenant.definitions.splice(0, bot.tenant.definitions.length);
  expect(await press(PEOPLE.adele, card.data)).toContain('no longer exists');
  expect(puts()).toEqual([]);
});

test('the press keeps what changed meanwhile in other fields (the changes are made to the definition as it is then)', async () => {
  start();
  const card = await ask(PEOPLE.adele, `edit ${DEF} duration 21 days`);
  stored().displayName = 'Renamed elsewhere';
  await press(PEOPLE.adele, card.data);
  expect(stored().displayName).toBe('Renamed elsewhere');
  expect(stored().settings?.instanceDurationInDays).toBe(21);
});

test('a user whose token cannot read the review (403) is told which role changing reviews needs; no card, no PUT', async () => {
  start();
  bot.tenant.failNext('getDefinition', new AppError('Forbidden', 'Microsoft Graph refused to read the access review.', { status: 403 }));
  const answer = await ask(PEOPLE.megan, `edit ${DEF} duration 21 days`);
  expect(answer.data).toBeUndefined();
  expect(answer.text).toContain('Changing a review needs the Identity Governance Administrator or User Administrator role.');
  expect(puts()).toEqual([]);
});

test('Graph busy on the PUT (after retries): said, nothing final; the whole-object PUT is safe to press again', async () => {
  start();
  const card = await ask(PEOPLE.adele, `edit ${DEF} duration 21 days`);
  bot.tenant.failNext('updateDefinition');
  expect(await press(PEOPLE.adele, card.data)).toContain('press Save changes again');
  expect(await press(PEOPLE.adele, card.data)).toContain('Saved');
  expect(stored().settings?.instanceDurationInDays).toBe(21);
});

test('review names and typed text are escaped on the card (no markdown links)', async () => {
  start({ displayName: '[click me](https://evil.example)' });
  const card = await ask(PEOPLE.adele, `edit ${DEF} name "**bold** [x](https://evil.example)"`);
  const replies = card.texts.join('\n');
  expect(replies).toContain('[click me]');
  expect(replies).not.toContain('](');
});
