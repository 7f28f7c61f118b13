import { REVIEW_ACTION_CANCEL, REVIEW_ACTION_CONFIRM } from '../../../cards/verbs';
import { AppError } from '../../../bot/errors';
import type { ReviewDefinition } from '../../../bot/graph/apis';
import { IDS, smallTenant, type FakeRun, type FakeTenant } from '../../support/fakeGraph';
import {
  buildBot, buttonsOf, cardOf, cardTexts, CHANNEL, invokeCard, PEOPLE, PERSONAL, type BotHarness, type Person,
} from '../support/botHarness';
import type { Scope } from '../../support/teamsActivities';
import { askConfirmation, pressConfirmation, type Confirmation } from '../support/confirmations';

/**
 * Issue 11, item 4: stop, remind, apply, reset and delete on the harness (Graph fake, fixed clock): the preconditions
 * in words, the confirmation card's numbers, one action per card however often it is pressed, outdated cards, a
 * review deleted between card and press, someone else's card, and Graph's refusals.
 */

const DEF = 'cccccccc-0000-4000-8000-000000000001';
const NAME = 'Sales Team guest review';
const SCOPE_QUERY = `/v1.0/groups/${IDS.sales}/transitiveMembers/microsoft.graph.user/?$count=true&$filter=(userType eq 'Guest')`;

function tenantWith(status: string, options: { autoApply?: boolean; defaultDecision?: string } = {}): { tenant: FakeTenant; run: FakeRun } {
  const tenant = smallTenant();
  const definition: ReviewDefinition = {
    id: DEF, displayName: NAME, status,
    scope: { '@odata.type': '#microsoft.graph.accessReviewQueryScope', query: `/groups/${IDS.sales}/transitiveMembers/microsoft.graph.user`, queryType: 'MicrosoftGraph' },
    settings: {
      autoApplyDecisionsEnabled: options.autoApply ?? false, defaultDecisionEnabled: options.defaultDecision !== undefined,
      defaultDecision: options.defaultDecision ?? 'None',
    },
  };
  tenant.definitions.push(definition);
  const run: FakeRun = {
    id: 'run-1', definitionId: DEF, status, startDateTime: '2025-05-26T09:00:00Z', endDateTime: '2025-06-09T08:00:00Z', scope: { query: SCOPE_QUERY },
    items: [
      { principalId: IDS.guestA, decision: 'Deny' }, { principalId: IDS.guestB, decision: 'NotReviewed' },
      { principalId: IDS.megan, decision: 'Approve' }, { principalId: IDS.adele, decision: 'NotReviewed' },
    ],
  };
  tenant.runs.push(run);
  return { tenant, run };
}

let bot: BotHarness;
afterEach(async () => bot.close());

const start = (status: string, options?: Parameters<typeof tenantWith>[1]): FakeRun => {
  const { tenant, run } = tenantWith(status, options);
  bot = buildBot({ tenant, signedIn: [IDS.adele, IDS.megan] });
  return run;
};

const ask = (user: Person, text: string, scope: Scope = PERSONAL): Promise<Confirmation> => askConfirmation(bot, REVIEW_ACTION_CONFIRM, user, text, scope);
const press = (user: Person, data: unknown, verb: string = REVIEW_ACTION_CONFIRM, scope: Scope = PERSONAL): Promise<string> => pressConfirmation(bot, user, data, verb, scope);

const actions = (): unknown[][] => bot.tenant.calls.filter((call) => call.method === 'instanceAction' || call.method === 'deleteDefinition').map((call) => call.args);

describe('stop', () => {
  test('the card says what stopping does in numbers; one press stops the run, a second press only repeats the result', async () => {
    const run = start('InProgress', { defaultDecision: 'Deny' });
    const card = await ask(PEOPLE.adele, `stop "${NAME}"`);
    expect(card.texts.join('\n')).toContain('stop: the current run of');
    expect(card.texts.join('\n')).toContain('2 of 4 items');
    expect(card.texts.join('\n')).toContain('The 2 items nobody reviewed will be denied automatically.');
    expect(actions()).toEqual([]);

    expect(await press(PEOPLE.adele, card.data)).toContain('Stopped the current run of');
    expect(run.status).toBe('Completed');
    expect(await press(PEOPLE.adele, card.data)).toContain('Already done: Stopped');
    expect(actions()).toEqual([[DEF, 'run-1', 'stop']]);
  });

  test('only while the run is in progress: otherwise the precondition in words, no card, nothing called', async () => {
    start('Completed');
    const answer = await ask(PEOPLE.adele, `stop ${DEF}`);
    expect(answer.data).toBeUndefined();
    expect(answer.text).toContain('works only while a run is in progress');
    expect(answer.text).toContain('Nothing was changed.');
    expect(actions()).toEqual([]);
  });

  test('an outdated card is refreshed and nothing is done; Cancel is final', async () => {
    const run = start('InProgress');
    const card = await ask(PEOPLE.adele, `stop ${DEF}`);
    const outdated = await bot.press(PEOPLE.adele, REVIEW_ACTION_CONFIRM, { ...card.data, revision: 7 });
    expect(cardTexts(invokeCard(outdated)).join('\n')).toContain('This card was out of date');
    expect(await press(PEOPLE.adele, card.data, REVIEW_ACTION_CANCEL)).toContain('Cancelled: nothing was changed.');
    expect(await press(PEOPLE.adele, card.data)).toContain('This was cancelled');
    expect(run.status).toBe('InProgress');
    expect(actions()).toEqual([]);
  });

  test('a confirmation expires after a day: the press changes nothing', async () => {
    const run = start('InProgress');
    const card = await ask(PEOPLE.adele, `stop ${DEF}`);
    bot.clock.advance(25 * 3600 * 1000);
    expect(await press(PEOPLE.adele, card.data)).toContain('This confirmation has expired or is unknown: nothing was changed.');
    expect(run.status).toBe('InProgress');
    expect(actions()).toEqual([]);
  });

  test("Megan cannot press the Stop on Adele's card: refused before sign-in, the review keeps running", async () => {
    const run = start('InProgress');
    const card = await ask(PEOPLE.adele, `stop ${DEF}`, CHANNEL);
    bot.tokens.signedIn.delete(IDS.megan);
    const answer = await press(PEOPLE.megan, card.data, REVIEW_ACTION_CONFIRM, CHANNEL);
    expect(answer).toContain("This is Adele Vance's confirmation");
    expect(answer).toContain('Nothing was changed.');
    expect(run.status).toBe('InProgress');
    expect(bot.tenant.methods(IDS.megan)).toEqual([]);
  });

  test("in a team channel only the team group's reviews: another group's review is neither named nor acted on", async () => {
    const run = start('InProgress');
    const definition = bot.tenant.definitions[0];
    definition.scope = { ...definition.scope, query: `/groups/${IDS.finance}/transitiveMembers/microsoft.graph.user` };
    for (const typed of [`stop ${DEF}`, `stop "${NAME}"`]) {
      const sent = await ask(PEOPLE.adele, typed, CHANNEL);
      expect(sent.data).toBeUndefined();
      expect(sent.text).toBe("This channel is shared with the whole team, so here I only show and act on the reviews of the team's own group. " +
        'Send `stop` and the review\'s name to me in personal chat.');
    }
    expect(run.status).toBe('InProgress');
    expect(actions()).toEqual([]);
  });

  test('Graph refusing the presser (403) names the operation and the role; nothing changed, the press may be retried', async () => {
    const run = start('InProgress');
    const card = await ask(PEOPLE.megan, `stop ${DEF}`);
    bot.tenant.failNext('instanceAction', new AppError('Forbidden', 'Microsoft Graph refused to stop the current run of the access review. ' +
      'Creating or changing access reviews needs the Identity Governance Administrator or User Administrator role.', { status: 403 }));
    const answer = await press(PEOPLE.megan, card.data);
    expect(answer).toContain('refused to stop the current run');
    expect(answer).toContain('Identity Governance Administrator');
    expect(answer).toContain('Nothing was changed.');
    expect(run.status).toBe('InProgress');
  });

  test('Megan typing stop herself, refused a read on the way (no role): the answer names stopping and its role, no card', async () => {
    const run = start('InProgress');
    bot.tenant.failNext('reviewInstances', new AppError('Forbidden', 'Microsoft Graph refused to read the runs of the access review. ' +
      'Reading access reviews needs the Identity Governance Administrator, User Administrator, Global Reader, Security Reader or Security Administrator role, or being the creator of the review.', { status: 403 }));
    const answer = await ask(PEOPLE.megan, `stop ${DEF}`);
    expect(answer.data).toBeUndefined();
    expect(answer.text).toContain('Stopping a review needs the Identity Governance Administrator or User Administrator role. Nothing was changed.');
    expect(run.status).toBe('InProgress');
  });

  test('Graph busy while re-reading the review on the press: nothing changed, and a later press acts', async () => {
    const run = start('InProgress');
    const card = await ask(PEOPLE.adele, `stop ${DEF}`);
    bot.tenant.failNext('getDefinition');
    const busy = await press(PEOPLE.adele, card.data);
    expect(busy).toContain('Microsoft Graph is busy');
    expect(busy).toContain('Nothing was changed.');
    expect(run.status).toBe('InProgress');
    expect(await press(PEOPLE.adele, card.data)).toContain('Stopped the current run of');
  });

  test('a 5xx after the write: the bot looks and says the change was made; before the write: nothing changed, press again', async () => {
    const run = start('InProgress');
    const card = await ask(PEOPLE.adele, `stop ${DEF}`);
    bot.tenant.failNext('instanceAction');
    expect(await press(PEOPLE.adele, card.data)).toContain('Microsoft Graph is busy: nothing was changed.');
    expect(run.status).toBe('InProgress');
    bot.tenant.failNext('instanceAction', undefined, 'after');
    expect(await press(PEOPLE.adele, card.data)).toContain('but the change was made');
    expect(run.status).toBe('Completed');
    expect(await press(PEOPLE.adele, card.data)).toContain('Already done');
    expect(actions()).toHaveLength(2);
  });
});

describe('several reviews match the typed name', () => {
  test('a choice card whose buttons replay the command with the chosen review\'s id, then the confirmation card', async () => {
    const run = start('InProgress');
    bot.tenant.definitions.push({ ...bot.tenant.definitions[0], id: 'cccccccc-0000-4000-8000-000000000002', displayName: `${NAME} 2025` });
    const replies = await bot.say(PEOPLE.adele, 'stop Sales Team guest');
    const choice = cardOf(replies.find((reply) => cardOf(reply) !== undefined));
    const button = buttonsOf(choice).find((b) => b.title.startsWith(`${NAME} ·`));
    expect(button?.verb).toBe('reviews.stop');
    const confirmation = invokeCard(await bot.press(PEOPLE.adele, button?.verb ?? '', button?.data));
    const act = buttonsOf(confirmation).find((b) => b.verb === REVIEW_ACTION_CONFIRM);
    expect(await press(PEOPLE.adele, act?.data)).toContain('Stopped the current run of');
    expect(run.status).toBe('Completed');
  });
});

describe('a review deleted between the card and the press', () => {
  test('gets the not-found answer and nothing changes', async () => {
    start('InProgress');
    const card = await ask(PEOPLE.adele, `stop ${DEF}`);
    bot.tenant.definitions.splice(0, bot.tenant.definitions.length);
    const answer = await press(PEOPLE.adele, card.data);
    expect(answer).toContain('no longer exists');
    expect(answer).toContain('Nothing was changed.');
    expect(actions()).toEqual([]);
  });
});

describe('remind', () => {
  test('acts at once (no card) and says what it did', async () => {
    const run = start('InProgress');
    const answer = await ask(PEOPLE.adele, `remind ${DEF}`);
    expect(answer.data).toBeUndefined();
    expect(answer.text).toContain('Reminders sent');
    expect(answer.text).toContain('2 items not reviewed');
    expect(run.reminders).toBe(1);
  });

  test('only while the run is in progress', async () => {
    const run = start('NotStarted');
    expect((await ask(PEOPLE.adele, `remind ${DEF}`)).text).toContain('has not started yet');
    expect(run.reminders).toBeUndefined();
  });

  test('a 429 (after the retries) on the reminder: Graph did nothing, and the answer says so', async () => {
    const run = start('InProgress');
    bot.tenant.failNext('instanceAction', new AppError('Throttled', 'Microsoft Graph is busy, so I could not send reminders for the access review. Try again in 5 seconds.',
      { status: 429, retryAfterSeconds: 5 }));
    const text = (await ask(PEOPLE.adele, `remind ${DEF}`)).text;
    expect(text).toContain('Try again in 5 seconds. Nothing was changed.');
    expect(run.reminders).toBeUndefined();
  });

  test('a 5xx after asking says it cannot tell whether reminders went out', async () => {
    start('InProgress');
    bot.tenant.failNext('instanceAction', undefined, 'after');
    expect((await ask(PEOPLE.adele, `remind ${DEF}`)).text).toContain('cannot tell whether they went out');
  });
});

describe('apply', () => {
  test('the card counts the denied members; the press removes exactly them, once', async () => {
    const run = start('Completed');
    const card = await ask(PEOPLE.adele, `apply ${DEF}`);
    expect(card.texts.join('\n')).toContain('apply: 1 denied member will be removed from');
    expect(card.texts.join('\n')).toContain('Sales Team');
    expect(await press(PEOPLE.adele, card.data)).toContain('1 denied member is being removed');
    expect(bot.tenant.groups.find((g) => g.id === IDS.sales)?.members).toEqual([IDS.adele, IDS.megan, IDS.guestB]);
    expect(run.status).toBe('Applied');
    await press(PEOPLE.adele, card.data);
    expect(actions()).toEqual([[DEF, 'run-1', 'applyDecisions']]);
  });

  test('not on a run in progress, not when auto-apply is on, not twice', async () => {
    start('InProgress');
    expect((await ask(PEOPLE.adele, `apply ${DEF}`)).text).toContain('works only on a finished run');
    await bot.close();
    start('Completed', { autoApply: true });
    expect((await ask(PEOPLE.adele, `apply ${DEF}`)).text).toContain('auto-apply is on');
    await bot.close();
    start('Applied');
    expect((await ask(PEOPLE.adele, `apply ${DEF}`)).text).toContain('already been applied');
    expect(actions()).toEqual([]);
  });

  test('the run changed since the card (applied meanwhile): the precondition again, nothing done', async () => {
    const run = start('Completed');
    const card = await ask(PEOPLE.adele, `apply ${DEF}`);
    run.status = 'Applied';
    expect(await press(PEOPLE.adele, card.data)).toBe('The review changed since the card was sent. The decisions of the current run of ' +
      `"${NAME}" have already been applied. Nothing was changed.`);
    // A later press repeats the answer, without "Already done" (nothing was done).
    expect(await press(PEOPLE.adele, card.data)).toMatch(/^The review changed since the card was sent\./);
    expect(actions()).toEqual([]);
  });
});

describe('reset', () => {
  test('the card counts the recorded decisions; the press clears them', async () => {
    const run = start('InProgress');
    const card = await ask(PEOPLE.adele, `reset ${DEF}`);
    expect(card.texts.join('\n')).toContain('reset: 2 recorded decisions of the current run');
    expect(await press(PEOPLE.adele, card.data)).toContain('every item is back to Not reviewed');
    expect(run.items.every((item) => item.decision === 'NotReviewed')).toBe(true);
  });
});

describe('delete', () => {
  test('the card says what goes with it; the press deletes the definition once', async () => {
    start('Completed');
    const card = await ask(PEOPLE.adele, `delete "${NAME}"`);
    expect(card.texts.join('\n')).toContain('will be deleted with its 1 run and all their decisions');
    expect(await press(PEOPLE.adele, card.data)).toContain('Deleted');
    expect(bot.tenant.definitions).toEqual([]);
    expect(await press(PEOPLE.adele, card.data)).toContain('Already done: Deleted');
    expect(actions()).toEqual([[DEF]]);
  });

  test('a 5xx on delete: it looks whether the review is gone before answering', async () => {
    start('Completed');
    const card = await ask(PEOPLE.adele, `delete ${DEF}`);
    bot.tenant.failNext('deleteDefinition', undefined, 'after');
    expect(await press(PEOPLE.adele, card.data)).toContain('but the change was made');
  });
});
