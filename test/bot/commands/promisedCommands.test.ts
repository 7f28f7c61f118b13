import { commandNamed, worksIn, type Scope as CommandScope } from '../../../bot/commands';
import { parseCommand } from '../../../bot/commands/commandParser';
import { IDS, smallTenant } from '../../support/fakeGraph';
import { installActivities, type Scope } from '../../support/teamsActivities';
import { buildBot, cardTexts, cardOf, GROUP_CHAT, SALES_TEAM, NOW, PEOPLE, PERSONAL, type BotHarness, type Reply } from '../support/botHarness';

/**
 * Cards, help and answers never promise a command this version does not have, or one that does not work where
 * they are shown (issue 10, items 3 and 10): every code span or bold word in what the bot says that reads as a
 * command must be a command of the catalogue that works in that scope.
 */

const SCOPES: ReadonlyArray<[CommandScope, Scope]> = [['personal', PERSONAL], ['groupChat', GROUP_CHAT], ['channel', { kind: 'channel', teamId: SALES_TEAM.id, channelId: SALES_TEAM.channels[0]?.id, threadId: '1700000000001' }]];

/** Every text of the replies: message text and card texts. */
const textsOf = (replies: Reply[]): string[] =>
  replies.flatMap((reply) => [...(typeof reply.text === 'string' ? [reply.text] : []), ...cardTexts(cardOf(reply))]);

/** The code spans and bold words of a text (where the bot names commands). */
const marked = (text: string): string[] => [...text.matchAll(/`([^`]+)`|\*\*([^*]+)\*\*/g)].map((match) => match[1] ?? match[2] ?? '');

/** Marked words that read as a command, with the command they name. */
function promisedCommands(texts: string[]): Array<{ said: string; name: string }> {
  return texts.flatMap(marked).flatMap((said) => {
    const parsed = parseCommand(said);
    return parsed.kind === 'command' ? [{ said, name: parsed.name }] : [];
  });
}

let bot: BotHarness;
afterEach(async () => {
  await bot.close();
});

describe.each(SCOPES)('in %s', (scope, where) => {
  /** What the bot says on the first-ten-minutes path in this scope. */
  async function firstTenMinutes(): Promise<string[]> {
    const tenant = smallTenant(() => NOW);
    tenant.definitions.push({
      id: 'def-sales', displayName: 'Sales Team guests', status: 'InProgress', settings: {},
      scope: { '@odata.type': '#microsoft.graph.accessReviewQueryScope', query: `/groups/${IDS.sales}/transitiveMembers/microsoft.graph.user/?$count=true`, queryType: 'MicrosoftGraph' },
    });
    bot = buildBot({ tenant, signedIn: [IDS.adele] });
    const said: string[] = [];
    for (const activity of installActivities(bot.wire, PEOPLE.adele, where, 'add')) said.push(...textsOf((await bot.turn(activity)).replies));
    // (`sign out` where it works: a command typed outside its scope is answered with where it works, not suggested.)
    for (const text of ['help', 'reviews', 'reviews yesterday', 'hello', 'create review', 'cancel', 'review Sales members fortnightly',
      ...(scope === 'personal' ? ['sign out'] : [])]) {
      said.push(...textsOf(await bot.say(PEOPLE.adele, text, where)));
    }
    return said;
  }

  test('every command the bot suggests exists in this version and works here', async () => {
    const said = await firstTenMinutes();
    const promised = promisedCommands(said);
    expect(promised.map((p) => p.name)).toEqual(expect.arrayContaining(['help']));
    const broken = promised.filter((p) => !worksIn(commandNamed(p.name), scope));
    expect(broken).toEqual([]);
  });
});

// Issue 10, item 10: the help card's quick-create example works where the card is shown (`this team` only in a team channel).
test.each(SCOPES)('the help card\'s quick-create example fits %s', async (scope, where) => {
  bot = buildBot();
  const texts = textsOf(await bot.say(PEOPLE.adele, 'help', where));
  const example = texts.find((text) => text.includes('create in one line, e.g. '));
  expect(example).toBe(`review <target> [options] — create in one line, e.g. ${scope === 'channel' ? 'review this team guests monthly' : 'review "Sales Team" guests quarterly'}`);
});
