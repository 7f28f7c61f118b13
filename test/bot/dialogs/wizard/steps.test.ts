import { DialogTurnStatus } from '../../../../bot/dialogs/dialogLib';
import { GroupStep } from '../../../../bot/dialogs/wizard/groupStep';
import { InactiveDaysStep } from '../../../../bot/dialogs/wizard/inactiveDaysStep';
import { ReviewersStep } from '../../../../bot/dialogs/wizard/reviewersStep';
import { ScheduleStep } from '../../../../bot/dialogs/wizard/scheduleStep';
import { ScopeStep } from '../../../../bot/dialogs/wizard/scopeStep';
import { SettingsStep } from '../../../../bot/dialogs/wizard/settingsStep';
import { WhichSettingStep } from '../../../../bot/dialogs/wizard/whichSettingStep';
import type { StepOptions, WizardState } from '../../../../bot/dialogs/wizard/wizardState';
import type { WizardStep } from '../../../../bot/dialogs/wizard/wizardStep';
import { addDays } from '../../../../reviews/defaults';
import { DEFAULT_OPTIONS, type GroupRef } from '../../../../reviews/settings';
import { GROUP, USER } from '../../../../dev/tenant/tenant';
import {
  ADELE, buttonsOf, cardOf, contextFor, problemOf, startWorld, stepOptions, textOf, titleOf, WizardChat, type Reply, type WizardWorld,
} from './wizardHarness';

/** Each wizard step as its own dialog (product spec, "Creation wizard"), against the local tenant's Graph. */
let world: WizardWorld;
beforeAll(async () => {
  world = await startWorld();
});
afterAll(async () => {
  await world.tenant.dispose();
});

const SALES: GroupRef = { id: GROUP.salesTeam, displayName: 'Sales Team' };
const FINANCE: GroupRef = { id: GROUP.financeApps, displayName: 'Finance Apps' };
const MEMBERS: WizardState = { scopeKind: 'members', group: FINANCE };
const OWNERS: WizardState = { ...MEMBERS, reviewers: { kind: 'owners' }, fallbackReviewers: [ADELE] };
const SCHEDULED: WizardState = { ...OWNERS, schedule: { frequency: 'monthly', startDate: '2030-01-01', durationDays: 14, end: { kind: 'never' } } };
const COMPLETE: WizardState = { ...SCHEDULED, options: DEFAULT_OPTIONS, name: 'Finance review', descriptionForReviewers: 'Please review.' };

async function open(step: WizardStep, state: WizardState = {}, extra: Partial<StepOptions> = {}): Promise<{ chat: WizardChat; card: ReturnType<typeof cardOf> }> {
  const chat = new WizardChat(step, stepOptions(world, state, extra));
  return { chat, card: WizardChat.card(await chat.say('create review')) };
}

/** Title and buttons of a choice card: the choices, then Back and Cancel, all carrying this step's id. */
function expectChoiceCard(replies: Reply[], stepId: string, title: string, choices: string[]): void {
  const card = WizardChat.card(replies);
  expect(titleOf(card)).toBe(title);
  expect(buttonsOf(card).map((b) => b.data)).toEqual([...choices, 'back', 'cancel'].map((choice) => ({ wizard: stepId, choice })));
}

/** The step asked again: same question, the reason on the card, still waiting. */
function expectRetry(chat: WizardChat, replies: Reply[], title: string, reason: string): void {
  expect(replies).toHaveLength(1);
  expect(titleOf(WizardChat.card(replies))).toBe(title);
  expect(problemOf(WizardChat.card(replies))).toContain(reason);
  expect(chat.result.status).toBe(DialogTurnStatus.waiting);
}

function expectNext(chat: WizardChat, state: WizardState): void {
  expect(chat.stepResult).toEqual({ outcome: 'next', state });
}

interface StepCase { id: string; make: () => WizardStep; state: WizardState; title: string; choices?: string[]; help: string; other: string }
const STEPS: StepCase[] = [
  { id: 'wizard.scope', make: () => new ScopeStep(), state: {}, title: 'New access review · 1 of 5: what to review?',
    choices: ['members', 'guests', 'allGroupsGuests', 'inactive'], help: 'Inactive:', other: 'wizard.group' },
  { id: 'wizard.inactiveDays', make: () => new InactiveDaysStep(), state: { scopeKind: 'inactive' }, title: 'New access review · 1 of 5: inactive for how many days?',
    choices: ['30', '60', '90', '180'], help: 'last sign-in', other: 'wizard.scope' },
  { id: 'wizard.group', make: () => new GroupStep(world.graphFor), state: { scopeKind: 'members' }, title: 'New access review · 2 of 5: which group?',
    choices: [], help: 'display name', other: 'wizard.scope' },
  { id: 'wizard.reviewers', make: () => new ReviewersStep(world.graphFor), state: MEMBERS, title: 'New access review · 3 of 5: who reviews?',
    choices: ['owners', 'managers', 'users', 'self'], help: 'Owners:', other: 'wizard.group' },
  { id: 'wizard.schedule', make: () => new ScheduleStep(), state: OWNERS, title: 'New access review · 4 of 5: how often?',
    choices: ['once', 'weekly', 'monthly', 'quarterly', 'semiannually', 'annually'], help: 'One time reviews', other: 'wizard.reviewers' },
  { id: 'wizard.settings', make: () => new SettingsStep(), state: SCHEDULED, title: 'New access review · 5 of 5: settings', help: 'Justification', other: 'wizard.schedule' },
  { id: 'wizard.which', make: () => new WhichSettingStep(), state: COMPLETE, title: 'Change a setting',
    choices: ['wizard.scope', 'wizard.group', 'wizard.reviewers', 'wizard.schedule', 'wizard.settings'], help: 'answer only that part', other: 'wizard.settings' },
];

describe.each(STEPS)('$id: first card and navigation', ({ id, make, state, title, choices, help, other }) => {
  test('its first card: the title, the choices, then Back and Cancel, all with this step\'s id', async () => {
    const chat = new WizardChat(make(), stepOptions(world, state));
    const replies = await chat.say('create review');
    if (choices) expectChoiceCard(replies, id, title, choices);
    const nav = buttonsOf(WizardChat.card(replies)).filter((b) => ['Back', 'Cancel'].includes(b.title)).map((b) => b.data);
    expect(nav).toEqual([{ wizard: id, choice: 'back' }, { wizard: id, choice: 'cancel' }]);
  });

  test.each([['typed', 'cancel'], ['typed', 'back'], ['pressed', 'cancel'], ['pressed', 'back']])('%s %s leaves the step with that outcome, state unchanged', async (how, word) => {
    const { chat } = await open(make(), state);
    expect(await (how === 'typed' ? chat.say(word) : chat.press(id, word))).toEqual([]);
    expect(chat.stepResult).toEqual({ outcome: word, state });
  });

  test('help explains the step, then asks the same question again', async () => {
    const { chat } = await open(make(), state);
    const replies = await chat.say('help');
    expect(replies).toHaveLength(2);
    expect(replies[0]?.text).toContain(help);
    expect(titleOf(cardOf(replies[1]))).toBe(title);
    expect(problemOf(cardOf(replies[1]))).toBe('');
    expect(chat.result.status).toBe(DialogTurnStatus.waiting);
  });

  test('a button of another step\'s card is refused and the step waits', async () => {
    const { chat } = await open(make(), state);
    expectRetry(chat, await chat.press(other, 'cancel'), title, 'belongs to an earlier question');
    expect(await chat.say('cancel')).toEqual([]);
    expect(chat.stepResult?.outcome).toBe('cancel');
  });
});

describe('scope', () => {
  const TITLE = 'New access review · 1 of 5: what to review?';

  test.each([['guests', 'guests'], ['1', 'members'], ['Inactive users', 'inactive']] as const)('typed %s → %s', async (text, kind) => {
    const { chat } = await open(new ScopeStep(), { group: SALES });
    await chat.say(text);
    expectNext(chat, { group: SALES, scopeKind: kind });
  });

  test('a button answers too; all groups forgets a group chosen before', async () => {
    const { chat } = await open(new ScopeStep(), { scopeKind: 'guests', group: SALES });
    await chat.press('wizard.scope', 'allGroupsGuests');
    expectNext(chat, { scopeKind: 'allGroupsGuests' });
  });

  test('anything else names the answer and the choices', async () => {
    const { chat } = await open(new ScopeStep());
    expectRetry(chat, await chat.say('Everything'), TITLE, '`everything` is not one of the choices: members, guests, all groups or inactive.');
  });
});

describe('inactive days', () => {
  const TITLE = 'New access review · 1 of 5: inactive for how many days?';

  test.each([['45', 45], ['90 days', 90], ['730', 730], ['1', 1]])('typed %s → %i days', async (text, days) => {
    const { chat } = await open(new InactiveDaysStep(), { scopeKind: 'inactive' });
    await chat.say(text);
    expectNext(chat, { scopeKind: 'inactive', inactiveDays: days });
  });

  test('a button answers too', async () => {
    const { chat } = await open(new InactiveDaysStep(), { scopeKind: 'inactive' });
    await chat.press('wizard.inactiveDays', '180');
    expectNext(chat, { scopeKind: 'inactive', inactiveDays: 180 });
  });

  test.each(['0', '731', 'ten', '-5', '1.5'])('%s is re-asked: from 1 to 730', async (text) => {
    const { chat } = await open(new InactiveDaysStep(), { scopeKind: 'inactive' });
    expectRetry(chat, await chat.say(text), TITLE, 'The number of days must be a whole number from 1 to 730.');
    await chat.say('60');
    expectNext(chat, { scopeKind: 'inactive', inactiveDays: 60 });
  });
});

describe('group', () => {
  const TITLE = 'New access review · 2 of 5: which group?';
  const PICK = 'New access review · 2 of 5: which of these groups?';
  const ALL_STAFF: GroupRef = { id: GROUP.allStaff, displayName: 'All Staff', isDynamic: true };
  const ADMINS: GroupRef = { id: 'bbbbbbbb-0000-4000-8000-0000000000ff', displayName: 'Admins', isAssignableToRole: true };
  const pick = { start: { phase: 'pick', extra: { matches: [SALES, FINANCE, ALL_STAFF, ADMINS], query: 'x' } } };


  test.each([['Sales', SALES], ['"Finance Apps"', FINANCE], ['all staff', ALL_STAFF]])('typed %s finds the group in the directory', async (text, group) => {
    const { chat } = await open(new GroupStep(world.graphFor), { scopeKind: 'guests' });
    await chat.say(text);
    expect(chat.stepResult).toMatchObject({ outcome: 'next', state: { scopeKind: 'guests', group } });
  });

  test.each([
    ['a', 'Type at least two letters of the group\'s name.'],
    ['Zebra Crossing', 'No group\'s name starts with `Zebra Crossing`.'],
    ['this team', '"This team" only works in a team channel.'],
  ])('%s is re-asked with the reason', async (text, reason) => {
    const { chat } = await open(new GroupStep(world.graphFor), { scopeKind: 'members' });
    expectRetry(chat, await chat.say(text), TITLE, reason);
  });

  test('in a team, "This team" is a button and picks the team\'s group', async () => {
    const step = new GroupStep(world.graphFor);
    const chat = new WizardChat(step, { state: { scopeKind: 'guests' }, context: contextFor(world, { teamGroupId: GROUP.salesTeam }) });
    expectChoiceCard(await chat.say('hi'), 'wizard.group', TITLE, ['this team']);
    await chat.press('wizard.group', 'this team');
    expect(chat.stepResult).toMatchObject({ outcome: 'next', state: { scopeKind: 'guests', group: { ...SALES, isMicrosoft365: true } } });
  });

  test('several matches: a choice card of them, dynamic and role-assignable groups flagged', async () => {
    const { card } = await open(new GroupStep(world.graphFor), { scopeKind: 'members' }, pick);
    expect(titleOf(card)).toBe(PICK);
    expect(textOf(card)).toContain('Groups whose name starts with `x`.');
    expect(buttonsOf(card).map((b) => b.title)).toEqual(['Sales Team', 'Finance Apps', 'All Staff (dynamic: auto-apply not supported)', 'Admins (role-assignable)',
      'Back', 'Cancel']);
    expect(buttonsOf(card).map((b) => b.data)).toEqual([GROUP.salesTeam, GROUP.financeApps, GROUP.allStaff, ADMINS.id, 'back', 'cancel'].map((choice) => ({ wizard: 'wizard.group', choice })));
  });

  test.each([['pressed', GROUP.financeApps, FINANCE], ['typed', 'sales team', SALES], ['typed', '3', ALL_STAFF]])('a match %s (%s) is the answer', async (how, answer, group) => {
    const { chat } = await open(new GroupStep(world.graphFor), { scopeKind: 'members' }, pick);
    await (how === 'typed' ? chat.say(answer) : chat.press('wizard.group', answer));
    expectNext(chat, { scopeKind: 'members', group });
  });

  test('another name while choosing searches again; back returns to the name question', async () => {
    const { chat } = await open(new GroupStep(world.graphFor), { scopeKind: 'members' }, pick);
    expectRetry(chat, await chat.say('Qq'), PICK, 'No group\'s name starts with `Qq`.');
    const back = await chat.say('back');
    expect(titleOf(WizardChat.card(back))).toBe(TITLE);
    expect(chat.result.status).toBe(DialogTurnStatus.waiting);
    await chat.say('Project');
    expect(chat.stepResult).toMatchObject({ outcome: 'next', state: { group: { id: GROUP.projectFalcon, displayName: 'Project Falcon' } } });
  });
});

describe('reviewers', () => {
  const TITLE = 'New access review · 3 of 5: who reviews?';
  const MEGAN = { id: USER.megan, displayName: 'Megan Bowen' };
  const ALEX = { id: USER.alex, displayName: 'Alex Wilber' };


  test('owners → the fallback question → me: the requester is the fallback', async () => {
    const { chat } = await open(new ReviewersStep(world.graphFor), MEMBERS);
    const fallback = await chat.press('wizard.reviewers', 'owners');
    expectChoiceCard(fallback, 'wizard.reviewers', 'New access review · 3 of 5: fallback reviewer', ['me']);
    expect(textOf(WizardChat.card(fallback))).toContain('Who reviews when the group has no owner?');
    expect(buttonsOf(WizardChat.card(fallback))[0]?.title).toBe('Me (Adele Vance)');
    await chat.say('me');
    expectNext(chat, { ...MEMBERS, reviewers: { kind: 'owners' }, fallbackReviewers: [ADELE] });
  });

  test('managers with a typed fallback address', async () => {
    const { chat } = await open(new ReviewersStep(world.graphFor), MEMBERS);
    expect(textOf(WizardChat.card(await chat.say('managers')))).toContain('a user has no manager');
    await chat.say('megan@contoso.local');
    expect(chat.stepResult).toMatchObject({ outcome: 'next', state: { reviewers: { kind: 'managers' }, fallbackReviewers: [MEGAN] } });
  });

  test('specific people: typed addresses become users, with no fallback', async () => {
    const { chat } = await open(new ReviewersStep(world.graphFor), MEMBERS);
    expectChoiceCard(await chat.say('users'), 'wizard.reviewers', 'New access review · 3 of 5: which people review?', []);
    await chat.say('megan@contoso.local, alex@contoso.local');
    const result = chat.stepResult;
    expect(result).toMatchObject({ outcome: 'next', state: { ...MEMBERS, reviewers: { kind: 'users' }, fallbackReviewers: [] } });
    const users = result?.state.reviewers?.kind === 'users' ? result.state.reviewers.users : [];
    expect([...users].sort((a, b) => a.id.localeCompare(b.id))).toEqual([expect.objectContaining(MEGAN), expect.objectContaining(ALEX)]);
  });

  test('self: everyone reviews themselves, no fallback', async () => {
    const { chat } = await open(new ReviewersStep(world.graphFor), MEMBERS);
    await chat.press('wizard.reviewers', 'self');
    expectNext(chat, { ...MEMBERS, reviewers: { kind: 'self' }, fallbackReviewers: [] });
  });

  test.each([
    ['everyone', [], 'Choose owners, managers, specific people or self.'],
    ['nobody@contoso.local', ['users'], 'No user in the directory has the address `nobody@contoso.local`.'],
    ['megan', ['users'], '`megan` is not an email address.'],
    ['nobody@contoso.local', ['owners'], 'No user in the directory has the address `nobody@contoso.local`.'],
  ])('%s (after %j) is re-asked with the reason', async (text, before, reason) => {
    const { chat } = await open(new ReviewersStep(world.graphFor), MEMBERS);
    let title = TITLE;
    for (const answer of before) title = titleOf(WizardChat.card(await chat.say(answer)));
    expectRetry(chat, await chat.say(text), title, reason);
  });

  test.each([
    ['a@bücher.de', '`a@bücher.de` is not an email address.'],
    ['a@x..com', '`a@x..com` is not an email address.'],
    [Array.from({ length: 16 }, (_, i) => `user${i}@contoso.local`).join('; '), 'At most 15 people, please.'],
  ])('specific people: %s is re-asked (reviews/vocabulary: the same addresses as quick create)', async (text, reason) => {
    const { chat } = await open(new ReviewersStep(world.graphFor), MEMBERS);
    await chat.say('users');
    expectRetry(chat, await chat.say(text), 'New access review · 3 of 5: which people review?', reason);
  });

  test('back from the fallback question returns to the reviewers question', async () => {
    const { chat } = await open(new ReviewersStep(world.graphFor), MEMBERS);
    await chat.say('owners');
    expect(titleOf(WizardChat.card(await chat.say('back')))).toBe(TITLE);
    expect(chat.result.status).toBe(DialogTurnStatus.waiting);
    await chat.say('back');
    expect(chat.stepResult?.outcome).toBe('back');
  });
});

describe('schedule', () => {
  const TITLE = 'New access review · 4 of 5: how often?';
  const after = async (answers: string[], state: WizardState = OWNERS): Promise<{ chat: WizardChat; last: Reply[] }> => {
    const { chat } = await open(new ScheduleStep(), state);
    let last: Reply[] = [];
    for (const answer of answers) last = await chat.say(answer);
    return { chat, last };
  };


  test('monthly, from today (button), 14 days, never', async () => {
    const { chat } = await open(new ScheduleStep(), OWNERS);
    expectChoiceCard(await chat.press('wizard.schedule', 'monthly'), 'wizard.schedule', 'New access review · 4 of 5: starting when?', [world.today]);
    const duration = await chat.press('wizard.schedule', world.today);
    expect(titleOf(WizardChat.card(duration))).toBe('New access review · 4 of 5: how long does each run last?');
    expectChoiceCard(await chat.say('14'), 'wizard.schedule', 'New access review · 4 of 5: when does the series end?', ['never', 'date', 'count']);
    await chat.press('wizard.schedule', 'never');
    expectNext(chat, { ...OWNERS, schedule: { frequency: 'monthly', startDate: world.today, durationDays: 14, end: { kind: 'never' } } });
  });

  test('once, typed: no question about the end', async () => {
    const { chat } = await after(['once', 'today', '7 days']);
    expectNext(chat, { ...OWNERS, schedule: { frequency: 'once', startDate: world.today, durationDays: 7, end: { kind: 'never' } } });
  });

  test('quarterly ending on a date, and weekly ending after 4 runs', async () => {
    const last = addDays(world.today, 200);
    const byDate = await after(['quarterly', addDays(world.today, 1), '30', 'date', last]);
    expectNext(byDate.chat, { ...OWNERS, schedule: { frequency: 'quarterly', startDate: addDays(world.today, 1), durationDays: 30, end: { kind: 'date', date: last } } });
    const byCount = await after(['weekly', 'today', '7', 'count', '4']);
    expectNext(byCount.chat, { ...OWNERS, schedule: { frequency: 'weekly', startDate: world.today, durationDays: 7, end: { kind: 'count', count: 4 } } });
  });

  test.each([
    [[], 'fortnightly', TITLE, 'Choose one time, weekly, monthly, quarterly, semi-annually or annually.'],
    [['monthly'], 'tomorrow', 'New access review · 4 of 5: starting when?', '`tomorrow` is not a date written YYYY-MM-DD.'],
    [['monthly'], '2030-02-30', 'New access review · 4 of 5: starting when?', '`2030-02-30` is not a real calendar date: February 2030 has 28 days.'],
    [['weekly', 'today'], '8', 'New access review · 4 of 5: how long does each run last?', 'Each run must last from 1 to 7 days.'],
    [['weekly', 'today'], '0', 'New access review · 4 of 5: how long does each run last?', 'Each run must last from 1 to 7 days.'],
    [['monthly', 'today', '14'], 'sometimes', 'New access review · 4 of 5: when does the series end?', 'Choose never, on a date, or after a number of runs.'],
    [['monthly', 'today', '14', 'count'], '0', 'New access review · 4 of 5: how many runs?', 'Type a number of runs from 1 to 999.'],
  ])('after %j, %s is re-asked with the reason', async (before, text, title, reason) => {
    const { chat } = await after(before);
    expectRetry(chat, await chat.say(text), title, reason);
  });

  test.each([['One time', 'once'], ['yearly', 'annually'], ['Half-yearly', 'semiannually'], ['semi-annually', 'semiannually'], ['QUARTER', 'quarterly']] as const)(
    'the frequency %s (a label, keyword or synonym of reviews/vocabulary) is %s', async (word, frequency) => {
      const { chat } = await after([word]);
      await chat.say('back');
      await chat.say('back');
      expect(chat.stepResult).toEqual({ outcome: 'back', state: { ...OWNERS, schedule: { frequency } } });
    });

  test.each([['14 days', 14], ['1 day', 1], [' 30 ', 30]] as const)('a duration of %j is %i days', async (text, days) => {
    const { chat } = await after(['once', 'today', text]);
    expectNext(chat, { ...OWNERS, schedule: { frequency: 'once', startDate: world.today, durationDays: days, end: { kind: 'never' } } });
  });

  test('a start date in the past names the date and today', async () => {
    const { chat } = await after(['monthly']);
    const past = addDays(world.today, -1);
    expectRetry(chat, await chat.say(past), 'New access review · 4 of 5: starting when?', `${past} is in the past; the earliest start is today, ${world.today}.`);
  });

  test('an end date not after the start names the start', async () => {
    const { chat } = await after(['monthly', 'today', '14', 'date']);
    expectRetry(chat, await chat.say(world.today), 'New access review · 4 of 5: last date', `Type a date after ${world.today}`);
  });

  test('back walks the phases: duration → start → frequency → leaves the step', async () => {
    const { chat } = await after(['weekly', 'today']);
    expect(titleOf(WizardChat.card(await chat.say('back')))).toBe('New access review · 4 of 5: starting when?');
    expect(titleOf(WizardChat.card(await chat.press('wizard.schedule', 'back')))).toBe(TITLE);
    expect(chat.result.status).toBe(DialogTurnStatus.waiting);
    await chat.say('back');
    expect(chat.stepResult).toEqual({ outcome: 'back', state: { ...OWNERS, schedule: { frequency: 'weekly', startDate: world.today } } });
  });
});

describe('settings', () => {
  const FIELDS = { justificationRequired: 'false', showRecommendations: 'false', defaultDecision: 'deny', autoApply: 'true',
    deniedGuests: 'blockThenDelete', mailNotifications: 'false', reminders: 'false', name: 'Q3 Finance review', descriptionForReviewers: 'Keep it short.' };

  test('the form shows the defaults and a generated name, with Next, Back and Cancel', async () => {
    const { card } = await open(new SettingsStep(), SCHEDULED);
    expect(titleOf(card)).toBe('New access review · 5 of 5: settings');
    expect(JSON.stringify(card)).toContain('"value":"Finance Apps members – monthly review"');
    expect(buttonsOf(card).map((b) => [b.title, b.data])).toEqual([['Next', 'next'], ['Back', 'back'], ['Cancel', 'cancel']]
      .map(([t, choice]) => [t, { wizard: 'wizard.settings', choice }]));
    expect(JSON.stringify(card)).not.toContain('deniedGuests');
  });

  test('a dynamic group hides auto-apply, which stays off', async () => {
    const dynamic: WizardState = { ...SCHEDULED, group: { id: GROUP.allStaff, displayName: 'All Staff', isDynamic: true } };
    const { chat, card } = await open(new SettingsStep(), dynamic);
    expect(textOf(card)).toContain('Not available for a dynamic group');
    expect(JSON.stringify(card)).not.toContain('"autoApply"');
    const { autoApply: _hidden, ...shown } = FIELDS;
    await chat.press('wizard.settings', 'next', shown);
    expect(chat.stepResult?.state.options?.autoApply).toBe(false);
  });

  test('typed next keeps the defaults', async () => {
    const { chat } = await open(new SettingsStep(), SCHEDULED);
    await chat.say('next');
    expectNext(chat, { ...SCHEDULED, options: DEFAULT_OPTIONS, name: 'Finance Apps members – monthly review',
      descriptionForReviewers: 'Please confirm who still needs to be a member of Finance Apps. Deny access for anyone who no longer needs it.' });
  });

  test('Next with the form\'s fields takes every field', async () => {
    const { chat } = await open(new SettingsStep(), { ...SCHEDULED, scopeKind: 'guests' });
    expect(JSON.stringify(WizardChat.card(await chat.say('help')))).toContain('"deniedGuests"');
    await chat.press('wizard.settings', 'next', FIELDS);
    expectNext(chat, { ...SCHEDULED, scopeKind: 'guests', name: 'Q3 Finance review', descriptionForReviewers: 'Keep it short.', options: {
      justificationRequired: false, showRecommendations: false, defaultDecision: 'deny', autoApply: true, deniedGuests: 'blockThenDelete',
      mailNotifications: false, reminders: false } });
  });

  test.each([
    ['an empty name', { name: '' }, 'The name must have 1 to 256 characters.'],
    ['a blank name', { name: '   ' }, 'The name must have 1 to 256 characters.'],
    ['a 257-character name', { name: 'n'.repeat(257) }, 'The name must have 1 to 256 characters.'],
    ['a 257-character description', { descriptionForReviewers: 'd'.repeat(257) }, 'at most 256 characters'],
  ])('%s is re-asked with the reason', async (_label, change, reason) => {
    const { chat } = await open(new SettingsStep(), SCHEDULED);
    expectRetry(chat, await chat.press('wizard.settings', 'next', { ...FIELDS, ...change }), 'New access review · 5 of 5: settings', reason);
  });

  test('other typed text asks for the form', async () => {
    const { chat } = await open(new SettingsStep(), SCHEDULED);
    expectRetry(chat, await chat.say('auto-apply please'), 'New access review · 5 of 5: settings', 'Change the settings in the form and press Next, or type next to keep them.');
  });
});

describe('which setting', () => {
  test('for all groups, no group to change', async () => {
    const allGroups = new WizardChat(new WhichSettingStep(), stepOptions(world, { ...COMPLETE, scopeKind: 'allGroupsGuests' }));
    expectChoiceCard(await allGroups.say('hi'), 'wizard.which', 'Change a setting', ['wizard.scope', 'wizard.reviewers', 'wizard.schedule', 'wizard.settings']);
  });

  test.each([['typed', 'when', 'wizard.schedule'], ['typed', 'name', 'wizard.settings'], ['pressed', 'wizard.reviewers', 'wizard.reviewers']] as const)(
    '%s %s → %s', async (how, answer, step) => {
      const { chat } = await open(new WhichSettingStep(), COMPLETE);
      await (how === 'typed' ? chat.say(answer) : chat.press('wizard.which', answer));
      expectNext(chat, { ...COMPLETE, changeStep: step });
    });

  test('anything else is re-asked', async () => {
    const { chat } = await open(new WhichSettingStep(), COMPLETE);
    expectRetry(chat, await chat.say('colour'), 'Change a setting', 'Choose what, group, reviewers, when or settings.');
  });
});
