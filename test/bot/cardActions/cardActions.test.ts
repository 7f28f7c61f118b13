import { REVIEW_CANCEL, REVIEW_CHANGE, REVIEW_CREATE } from '../../../cards/verbs';
import { AppError } from '../../../bot/errors';
import { IDS } from '../../support/fakeGraph';
import { LOGIN_REQUEST, loginRequestOf } from '../../support/teamsActivities';
import {
  buildBot, buttonsOf, cardOf, cardTexts, CHANNEL, executeValue, GROUP_CHAT, GROUP_CHAT_ID, invokeCard, invokeText, PEOPLE, PERSONAL,
  ssoTokenFor, type BotHarness, type Button,
} from '../support/botHarness';

/**
 * Action.Execute buttons (bot/cardActions, bot/creation/creationActions), unit level: the verb registry, who a
 * press acts as, Universal Actions sign-in, and the confirmation card's Create on the confirm-then-act rules.
 * Over the in-memory Graph fake and a fake TokenProvider, driven through TeamsBot by TestAdapter.
 */

let bot: BotHarness;
afterEach(async () => {
  await bot.close();
});

const DAY = 24 * 3600 * 1000;

describe('the verb registry', () => {
  test('an unknown verb gets an explicit 400 error response, and nothing runs', async () => {
    bot = buildBot({ signedIn: [IDS.adele] });
    const { invoke } = await bot.invoke(PEOPLE.adele, 'adaptiveCard/action', executeValue('reviews.delete-everything', {}));
    expect(invoke?.status).toBe(400);
    expect(invoke?.body).toEqual({ statusCode: 400, type: 'application/vnd.microsoft.error',
      value: { code: 'BadRequest', message: 'This button is not one I know (it may come from an older version of the bot).' } });
    expect(bot.tenant.calls).toEqual([]);
  });

  test('a known command verb pressed by Megan on a card sent to Adele runs with Megan\'s Graph identity', async () => {
    bot = buildBot({ signedIn: [IDS.adele, IDS.megan] });
    const help = cardOf((await bot.say(PEOPLE.adele, 'help', CHANNEL))[0]);
    const show = buttonsOf(help).find((b) => b.title === 'Show reviews');
    expect(show?.verb).toBe('reviews.list');
    const response = await bot.press(PEOPLE.megan, show?.verb ?? '', show?.data, CHANNEL);
    expect(response.statusCode).toBe(200);
    expect(cardTexts(invokeCard(response))[0]).toBe('Access reviews');
    expect(bot.tenant.calls.length).toBeGreaterThan(0);
    expect(new Set(bot.tenant.calls.map((call) => call.as))).toEqual(new Set([IDS.megan]));
  });

  test('Sign out pressed by Megan signs out Megan, not the card\'s recipient', async () => {
    bot = buildBot({ signedIn: [IDS.adele, IDS.megan] });
    const response = await bot.press(PEOPLE.megan, 'auth.signOut', { verb: 'auth.signOut' }, GROUP_CHAT);
    expect(invokeText(response)).toMatch(/^You are signed out\./);
    expect(bot.tokens.signedOut).toEqual([IDS.megan]);
    expect(bot.tokens.signedIn.has(IDS.adele)).toBe(true);
  });

  test('a button replays its command only where the command works: a crafted Sign out in a channel is refused', async () => {
    bot = buildBot({ signedIn: [IDS.megan] });
    const response = await bot.press(PEOPLE.megan, 'auth.signOut', { verb: 'auth.signOut' }, CHANNEL);
    expect(invokeText(response)).toMatch(/works only in personal chat with me or group chats/);
    expect(bot.tokens.signedOut).toEqual([]);
  });

  test('card data is untrusted: the args of a press are capped and used as text only', async () => {
    bot = buildBot({ signedIn: [IDS.adele] });
    const response = await bot.press(PEOPLE.adele, 'reviews.list', { args: 'x'.repeat(5000) });
    expect(invokeText(response)).toMatch(/^I didn't understand .* after "reviews"\./);
    expect(invokeText(response).length).toBeLessThan(300);
    expect(bot.tenant.calls).toEqual([]);
  });
});

describe('Universal Actions sign-in (SSO_MODE=teams)', () => {
  test('a needs-Graph verb without a token answers 401 loginRequest, and no Graph call is made', async () => {
    bot = buildBot({ env: { SSO_MODE: 'teams' } });
    const { invoke } = await bot.invoke(PEOPLE.megan, 'adaptiveCard/action', executeValue('reviews.list', { args: '' }), CHANNEL);
    expect(invoke?.status).toBe(401);
    expect(invoke?.body).toMatchObject({ statusCode: 401, type: LOGIN_REQUEST, value: { connectionName: bot.config.sso.connectionName } });
    expect(loginRequestOf(invoke?.body)).toEqual({ id: expect.any(String) as string, connectionName: bot.config.sso.connectionName, uri: bot.config.sso.appIdUri });
    expect(bot.tenant.calls).toEqual([]);
  });

  test('a verb that needs no Graph (help) answers at once without a token', async () => {
    bot = buildBot({ env: { SSO_MODE: 'teams' } });
    const response = await bot.press(PEOPLE.megan, 'help.show', {}, CHANNEL);
    expect(response.statusCode).toBe(200);
    expect(cardTexts(invokeCard(response))[0]).toBe('What I can do here');
  });

  test('the retry carrying another user\'s SSO token is answered loginRequest again, without an exchange', async () => {
    bot = buildBot({ env: { SSO_MODE: 'teams' } });
    const authentication = { id: 'x-1', connectionName: bot.config.sso.connectionName, token: ssoTokenFor(IDS.adele) };
    const response = await bot.press(PEOPLE.megan, 'reviews.list', {}, CHANNEL, authentication);
    expect(response).toMatchObject({ statusCode: 401, type: LOGIN_REQUEST });
    expect(bot.tokens.exchanged).toEqual([]);
    expect(bot.tokens.signedIn.size).toBe(0);
    expect(bot.tenant.calls).toEqual([]);
  });

  test('Graph refusing the cached token: the presser is signed out and asked to sign in again (loginRequest)', async () => {
    bot = buildBot({ env: { SSO_MODE: 'teams' }, signedIn: [IDS.megan] });
    bot.tenant.failNext('definitionsFrom', new AppError('SignInRequired', 'Your sign-in has expired. Please sign in again.', { status: 401 }));
    const response = await bot.press(PEOPLE.megan, 'reviews.list', {}, CHANNEL);
    expect(response).toMatchObject({ statusCode: 401, type: LOGIN_REQUEST });
    expect(bot.tokens.signedOut).toEqual([IDS.megan]);
  });
});

describe('Create on the confirmation card', () => {
  /** Adele asks for a review in the group chat and gets its confirmation card; the card's buttons by verb. */
  async function confirmationCard(harness: BotHarness, line = 'review "Sales Team" members'): Promise<Record<string, Button>> {
    const replies = await harness.say(PEOPLE.adele, line, GROUP_CHAT);
    const card = cardOf(replies.at(-1));
    const buttons = Object.fromEntries(buttonsOf(card).map((button) => [button.verb ?? button.title, button]));
    expect(Object.keys(buttons)).toEqual([REVIEW_CREATE, REVIEW_CHANGE, REVIEW_CANCEL]);
    return buttons;
  }
  const createdId = (card: Record<string, unknown> | undefined): string => cardTexts(card).find((t) => t.startsWith('definition-')) ?? '';
  const writes = (): number => bot.tenant.methods().filter((m) => m === 'createDefinition').length;

  test('pressed by its owner: the review is made as Adele, from the stored draft, tagged with the request', async () => {
    bot = buildBot({ env: { SSO_MODE: 'teams' }, signedIn: [IDS.adele] });
    const { [REVIEW_CREATE]: create } = await confirmationCard(bot);
    // Card data cannot change what is created: only the id and revision are read.
    const response = await bot.press(PEOPLE.adele, REVIEW_CREATE, { ...create?.data, name: 'Something else' }, GROUP_CHAT);
    expect(cardTexts(invokeCard(response))[0]).toBe('Access review created');
    expect(bot.tenant.definitions).toHaveLength(1);
    const [made] = bot.tenant.definitions;
    expect(made).toMatchObject({ displayName: expect.stringContaining('Sales Team') as string, createdBy: { id: IDS.adele } });
    expect(made?.descriptionForAdmins).toContain(`(Created in Microsoft Teams, request ${String(create?.data.confirmationId)}.)`);
    expect(bot.tenant.calls.filter((c) => c.method === 'createDefinition').map((c) => c.as)).toEqual([IDS.adele]);
  });

  test('pressed twice: one review; the second press gets the created card', async () => {
    bot = buildBot({ env: { SSO_MODE: 'teams' }, signedIn: [IDS.adele] });
    const { [REVIEW_CREATE]: create } = await confirmationCard(bot);
    const first = await bot.press(PEOPLE.adele, REVIEW_CREATE, create?.data, GROUP_CHAT);
    const second = await bot.press(PEOPLE.adele, REVIEW_CREATE, create?.data, GROUP_CHAT);
    expect(bot.tenant.definitions).toHaveLength(1);
    expect(writes()).toBe(1);
    expect(cardTexts(invokeCard(second))[0]).toBe('Access review created');
    expect(createdId(invokeCard(second))).toBe(createdId(invokeCard(first)));
    expect(createdId(invokeCard(first))).toBe(bot.tenant.definitions[0]?.id);
  });

  test('on a stale revision: the refreshed card with the out-of-date notice, and no Graph write', async () => {
    bot = buildBot({ env: { SSO_MODE: 'teams' }, signedIn: [IDS.adele] });
    const { [REVIEW_CREATE]: create } = await confirmationCard(bot);
    const id = String(create?.data.confirmationId);
    const draft = await bot.drafts.open({ id, revision: create?.data.revision }, { userId: IDS.adele, conversationId: GROUP_CHAT_ID });
    if (draft.kind !== 'open') throw new Error(`draft is ${draft.kind}`);
    const settings = { ...draft.action.payload.settings, name: 'Sales Team members, renamed' };
    const revised = await bot.drafts.revise(id, { userId: IDS.adele, conversationId: GROUP_CHAT_ID }, { ...draft.action.payload, settings });
    expect(revised).toMatchObject({ kind: 'open', action: { revision: 2 } });

    const response = await bot.press(PEOPLE.adele, REVIEW_CREATE, create?.data, GROUP_CHAT);
    const card = invokeCard(response);
    expect(cardTexts(card).slice(0, 2)).toEqual(['This card was out of date: here is the draft as it is now. Nothing was done.', 'Sales Team members, renamed']);
    expect(buttonsOf(card).map((b) => b.data)).toEqual([REVIEW_CREATE, REVIEW_CHANGE, REVIEW_CANCEL]
      .map((verb) => ({ verb, confirmationId: id, revision: 2 })));
    expect(writes()).toBe(0);
    expect(bot.tenant.definitions).toEqual([]);
  });

  test('by someone else: "This is Adele Vance\'s draft", no sign-in asked even without a token, nothing read or written', async () => {
    bot = buildBot({ env: { SSO_MODE: 'teams' }, signedIn: [IDS.adele] });
    const { [REVIEW_CREATE]: create, [REVIEW_CANCEL]: cancel } = await confirmationCard(bot);
    const calls = bot.tenant.calls.length;
    for (const button of [create, cancel]) {
      const { invoke } = await bot.invoke(PEOPLE.megan, 'adaptiveCard/action', executeValue(button?.verb ?? '', button?.data), GROUP_CHAT);
      expect(invoke?.status).toBe(200);
      expect(loginRequestOf(invoke?.body)).toBeUndefined();
      expect(invokeText(invoke?.body as Parameters<typeof invokeText>[0])).toBe("This is Adele Vance's draft: only Adele Vance can change, cancel or " +
        'confirm it, in the conversation where it was asked for. Nothing was changed.');
    }
    expect(bot.tokens.exchanged).toEqual([]);
    expect(bot.tenant.calls).toHaveLength(calls);
    // The draft is untouched: Adele can still create it.
    expect(cardTexts(invokeCard(await bot.press(PEOPLE.adele, REVIEW_CREATE, create?.data, GROUP_CHAT)))[0]).toBe('Access review created');
  });

  test('by its owner in another conversation: refused like anyone else', async () => {
    bot = buildBot({ signedIn: [IDS.adele] });
    const { [REVIEW_CREATE]: create } = await confirmationCard(bot);
    expect(invokeText(await bot.press(PEOPLE.adele, REVIEW_CREATE, create?.data, PERSONAL))).toMatch(/^This is Adele Vance's draft/);
    expect(writes()).toBe(0);
  });

  test('by its owner without a token: 401 loginRequest (the owner passes the rules, then signs in)', async () => {
    bot = buildBot({ env: { SSO_MODE: 'teams' }, signedIn: [IDS.adele] });
    const { [REVIEW_CREATE]: create } = await confirmationCard(bot);
    bot.tokens.signedIn.clear();
    expect(await bot.press(PEOPLE.adele, REVIEW_CREATE, create?.data, GROUP_CHAT)).toMatchObject({ statusCode: 401, type: LOGIN_REQUEST });
    expect(writes()).toBe(0);
    const authentication = { id: 'x-2', connectionName: bot.config.sso.connectionName, token: ssoTokenFor(IDS.adele) };
    const retried = await bot.press(PEOPLE.adele, REVIEW_CREATE, create?.data, GROUP_CHAT, authentication);
    expect(cardTexts(invokeCard(retried))[0]).toBe('Access review created');
  });

  test('a lost create answer is found by its tag: the created card, one review', async () => {
    bot = buildBot({ signedIn: [IDS.adele] });
    const { [REVIEW_CREATE]: create } = await confirmationCard(bot);
    bot.tenant.failNext('createDefinition', undefined, 'after');
    const response = await bot.press(PEOPLE.adele, REVIEW_CREATE, create?.data, GROUP_CHAT);
    expect(cardTexts(invokeCard(response))[0]).toBe('Access review created');
    expect(bot.tenant.definitions).toHaveLength(1);
    expect(bot.tenant.methods()).toEqual(expect.arrayContaining(['createDefinition', 'findDefinitionsByName']));
  });

  test('create and look-up both failing: "could not confirm", Try again offered, and the retry creates it once', async () => {
    bot = buildBot({ signedIn: [IDS.adele] });
    const { [REVIEW_CREATE]: create } = await confirmationCard(bot);
    bot.tenant.failNext('createDefinition').failNext('findDefinitionsByName');
    const failed = invokeCard(await bot.press(PEOPLE.adele, REVIEW_CREATE, create?.data, GROUP_CHAT));
    expect(cardTexts(failed).slice(0, 2)).toEqual(['Microsoft Graph is busy',
      'Microsoft Graph is busy and I could not confirm whether the review was created. Type `reviews` in a minute to check before trying again.']);
    const retry = buttonsOf(failed).find((b) => b.title === 'Try again');
    expect(retry?.data).toEqual(create?.data);
    expect(bot.tenant.definitions).toEqual([]);
    expect(cardTexts(invokeCard(await bot.press(PEOPLE.adele, REVIEW_CREATE, retry?.data, GROUP_CHAT)))[0]).toBe('Access review created');
    expect(bot.tenant.definitions).toHaveLength(1);
  });

  test('a start date that has passed by the time of the press: not created, the problem named', async () => {
    bot = buildBot({ signedIn: [IDS.adele] });
    const { [REVIEW_CREATE]: create } = await confirmationCard(bot);
    bot.clock.advance(DAY);
    const card = invokeCard(await bot.press(PEOPLE.adele, REVIEW_CREATE, create?.data, GROUP_CHAT));
    expect(cardTexts(card).slice(0, 2)).toEqual(['This review cannot be created as it is',
      'The start date 2025-06-02 is in the past: choose today (2025-06-03) or a later date.']);
    expect(writes()).toBe(0);
  });

  test('an expired draft (a week later) or an unknown id: "expired or unknown", nothing created', async () => {
    bot = buildBot({ signedIn: [IDS.adele] });
    const { [REVIEW_CREATE]: create } = await confirmationCard(bot);
    const unknown = 'This confirmation has expired or is unknown: nothing was created. Start again with "create review".';
    expect(invokeText(await bot.press(PEOPLE.adele, REVIEW_CREATE, { confirmationId: 'not-an-id', revision: 1 }, GROUP_CHAT))).toBe(unknown);
    expect(invokeText(await bot.press(PEOPLE.adele, REVIEW_CREATE, null, GROUP_CHAT))).toBe(unknown);
    bot.clock.advance(8 * DAY);
    expect(invokeText(await bot.press(PEOPLE.adele, REVIEW_CREATE, create?.data, GROUP_CHAT))).toBe(unknown);
    expect(writes()).toBe(0);
  });

  test('Cancel, then Create: nothing created', async () => {
    bot = buildBot({ signedIn: [IDS.adele] });
    const { [REVIEW_CREATE]: create, [REVIEW_CANCEL]: cancel } = await confirmationCard(bot);
    expect(invokeText(await bot.press(PEOPLE.adele, REVIEW_CANCEL, cancel?.data, GROUP_CHAT))).toBe('Cancelled: nothing was created.');
    expect(invokeText(await bot.press(PEOPLE.adele, REVIEW_CREATE, create?.data, GROUP_CHAT))).toBe('This review was cancelled: nothing was created.');
    expect(writes()).toBe(0);
  });

  test('Change a setting opens the owner\'s wizard at "which setting" in the same turn', async () => {
    bot = buildBot({ signedIn: [IDS.adele] });
    const { [REVIEW_CHANGE]: change } = await confirmationCard(bot);
    const { invoke, replies } = await bot.invoke(PEOPLE.adele, 'adaptiveCard/action', executeValue(REVIEW_CHANGE, change?.data), GROUP_CHAT);
    expect(invokeText(invoke?.body as Parameters<typeof invokeText>[0])).toBe('Which setting would you like to change? (see below)');
    expect(replies).toHaveLength(1);
    const card = cardOf(replies[0]);
    expect(cardTexts(card).slice(0, 2)).toEqual(['Change a setting', 'What would you like to change?']);
    expect(buttonsOf(card).map((b) => b.title)).toEqual(expect.arrayContaining(['What to review', 'The group', 'Who reviews']));
  });
});
