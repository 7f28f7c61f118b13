import { AppError } from '../../../bot/errors';
import type { ReviewDefinition } from '../../../bot/graph/apis';
import { IDS, smallTenant } from '../../support/fakeGraph';
import { oauthCardOf } from '../../support/teamsActivities';
import {
  buildBot, buttonsOf, cardOf, cardTexts, CHANNEL, NOW, PEOPLE, ssoTokenFor, type BotHarness, type Reply,
} from '../support/botHarness';

/**
 * The one sign-in policy of the bot's dialogs (bot/dialogs/signedInDialog.ts; issue 8, item 4): sign in first,
 * re-ask once when Graph refuses the token mid-way and go back to where the dialog was, every AppError said in
 * plain words. Driven through the whole bot (createBot) on the Graph fake, in SSO_MODE=teams so that a renewed
 * sign-in is visible as a new OAuthCard.
 */

const refused = (): AppError => new AppError('SignInRequired', 'Please sign in again.', { status: 401 });

const DEFINITION: ReviewDefinition = {
  id: 'def-sales', displayName: 'Sales Team guests', status: 'InProgress', settings: {},
  scope: { '@odata.type': '#microsoft.graph.accessReviewQueryScope', query: `/groups/${IDS.sales}/transitiveMembers/microsoft.graph.user/?$count=true`, queryType: 'MicrosoftGraph' },
};

let bot: BotHarness;
afterEach(async () => {
  await bot.close();
});

function harness(): BotHarness {
  const tenant = smallTenant(() => NOW);
  tenant.definitions.push(DEFINITION);
  return buildBot({ tenant, env: { SSO_MODE: 'teams' }, signedIn: [IDS.adele] });
}

const titleOf = (replies: Reply[]): string | undefined => cardTexts(cardOf(replies.find((reply) => cardOf(reply) !== undefined)))[0];
const textsOf = (replies: Reply[]): string[] => replies.map((reply) => reply.text).filter((text): text is string => typeof text === 'string');

/** Signs Adele in from the OAuthCard in `replies` (Teams' silent exchange); what the bot sent after it. */
async function signInFrom(replies: Reply[]): Promise<Reply[]> {
  const request = oauthCardOf(replies.find((reply) => oauthCardOf(reply) !== undefined));
  if (!request) throw new Error(`no OAuthCard in ${JSON.stringify(replies)}`);
  const { invoke, replies: after } = await bot.invoke(PEOPLE.adele, 'signin/tokenExchange',
    { id: request.id, connectionName: request.connectionName, token: ssoTokenFor(IDS.adele) });
  expect(invoke?.status).toBe(200);
  return after;
}

describe('a one-answer command', () => {
  test('Graph refuses the token: it is forgotten, the user signs in again and the command runs as her', async () => {
    bot = harness();
    bot.tenant.failNext('definitionsFrom', refused());
    const first = await bot.say(PEOPLE.adele, 'reviews');
    expect(bot.tokens.signedOut).toEqual([IDS.adele]);
    const after = await signInFrom(first);
    expect(titleOf(after)).toBe('Access reviews');
    expect(bot.tenant.calls.filter((call) => call.method === 'definitionsFrom').map((call) => call.as)).toEqual([IDS.adele, IDS.adele]);
  });

  test('refused again right after signing in again: said once, no third sign-in', async () => {
    bot = harness();
    bot.tenant.failNext('definitionsFrom', refused()).failNext('definitionsFrom', refused());
    const after = await signInFrom(await bot.say(PEOPLE.adele, 'reviews'));
    expect(textsOf(after)).toEqual(['Microsoft Graph refused your sign-in again, so I stopped here: nothing was changed. Type `sign out`, then send the command again.']);
    expect(after.some((reply) => oauthCardOf(reply) !== undefined)).toBe(false);
    expect(bot.tokens.signedOut).toEqual([IDS.adele]);
  });

  test('typing something else instead of signing in runs that instead', async () => {
    bot = harness();
    bot.tenant.failNext('definitionsFrom', refused());
    await bot.say(PEOPLE.adele, 'reviews');
    expect(titleOf(await bot.say(PEOPLE.adele, 'help'))).toBe('What I can do here');
  });
});

describe('the creation wizard', () => {
  test('the group search is refused: after signing in again (a later turn) the same question is asked, the earlier answers kept', async () => {
    bot = harness();
    expect(titleOf(await bot.say(PEOPLE.adele, 'create review'))).toBe('New access review · 1 of 5: what to review?');
    expect(titleOf(await bot.say(PEOPLE.adele, 'members'))).toBe('New access review · 2 of 5: which group?');
    bot.tenant.failNext('searchGroups', refused());
    const renewed = await signInFrom(await bot.say(PEOPLE.adele, 'Sales Team'));
    expect(textsOf(renewed)).toEqual(['You are signed in again. Please answer this once more:']);
    expect(titleOf(renewed)).toBe('New access review · 2 of 5: which group?');
    expect(titleOf(await bot.say(PEOPLE.adele, 'Sales Team'))).toBe('New access review · 3 of 5: who reviews?');
  });

  test('in a channel, where Teams cannot show a sign-in card: the user is told where to sign in and the wizard ends', async () => {
    bot = harness();
    // One thread of the channel: a reply carries the thread's root message id in its conversation id.
    const thread = { ...CHANNEL, threadId: '1700000000001' };
    expect(titleOf(await bot.say(PEOPLE.adele, 'create review', thread))).toBe('New access review · 1 of 5: what to review?');
    expect(titleOf(await bot.say(PEOPLE.adele, 'members', thread))).toBe('New access review · 2 of 5: which group?');
    bot.tenant.failNext('searchGroups', refused());
    const replies = await bot.say(PEOPLE.adele, 'Sales Team', thread);
    expect(textsOf(replies)).toEqual(['Your sign-in expired. To run `create review` as you I need to sign you in again, which Teams only does in personal chat: send it to me there.']);
    expect(replies.some((reply) => oauthCardOf(reply) !== undefined)).toBe(false);
    // Nothing is left waiting for an answer in the channel.
    expect(textsOf(await bot.say(PEOPLE.adele, 'Sales Team', thread))[0]).toMatch(/^I didn't understand/);
  });
});

describe('quick create', () => {
  test('refused while preparing the confirmation after a group was picked: after signing in again the confirmation comes', async () => {
    bot = harness();
    const choice = await bot.say(PEOPLE.adele, 'review Sales members monthly');
    expect(titleOf(choice)).toBe('Which of these groups?');
    bot.tenant.failNext('countGroupUsers', refused());
    const renewed = await signInFrom(await bot.say(PEOPLE.adele, 'Sales Team'));
    expect(buttonsOf(cardOf(renewed.find((reply) => cardOf(reply) !== undefined))).map((button) => button.verb)).toContain('review.create');
    expect(bot.tokens.signedOut).toEqual([IDS.adele]);
  });

  test('Graph busy: its message in plain words, nothing waiting afterwards', async () => {
    bot = harness();
    bot.tenant.failNext('searchGroups');
    expect(textsOf(await bot.say(PEOPLE.adele, 'review Sales members monthly'))).toEqual(['Microsoft Graph is busy, so I could not do that. Try again in 30 seconds.']);
    expect(textsOf(await bot.say(PEOPLE.adele, 'Sales Team'))[0]).toMatch(/^I didn't understand/);
  });
});

test('the personal chat pointer names the command (a command with no card verb, signed out, in a channel)', async () => {
  bot = buildBot({ env: { SSO_MODE: 'teams' } });
  expect(textsOf(await bot.say(PEOPLE.adele, 'review Sales members', CHANNEL)))
    .toEqual(['To run `review` as you I need to sign you in, which Teams only does in personal chat: send it to me there.']);
});
