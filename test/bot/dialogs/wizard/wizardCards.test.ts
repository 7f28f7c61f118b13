import { IDS, smallTenant } from '../../../support/fakeGraph';
import {
  buildBot, buttonsOf, cardOf, cardTexts, NOW, PEOPLE, SALES_TEAM, type BotHarness, type Reply,
} from '../../support/botHarness';

/**
 * The wizard's cards as a new admin meets them (issue 10, item 11 and 15): every question carries the step header,
 * Back is offered only where it leads somewhere, and a card no longer asked is updated in place to its answer, with
 * no buttons left — so a few `back`s never leave a stack of live cards.
 */

let bot: BotHarness;
beforeEach(() => {
  bot = buildBot({ tenant: smallTenant(() => NOW), signedIn: [IDS.adele] });
});
afterEach(async () => {
  await bot.close();
});

const card = (replies: Reply[]): ReturnType<typeof cardOf> => cardOf(replies.find((reply) => cardOf(reply) !== undefined));
const titleOf = (replies: Reply[]): string | undefined => cardTexts(card(replies))[0];
const buttons = (replies: Reply[]): string[] => buttonsOf(card(replies)).map((button) => button.title ?? '');
/** The answered form of the card with activity id `id`: its texts and how many buttons it still has. */
function answered(id: string | undefined): { texts: string[]; buttons: number } | undefined {
  const update = bot.updates.filter((u) => u.id === id).at(-1);
  return update === undefined ? undefined : { texts: cardTexts(cardOf(update)), buttons: buttonsOf(cardOf(update)).length };
}
const idOf = (replies: Reply[]): string | undefined => replies.find((reply) => cardOf(reply) !== undefined)?.id;

test('the first question offers no Back, and a typed back says there is nothing before it', async () => {
  const first = await bot.say(PEOPLE.adele, 'create review');
  expect(buttons(first)).toEqual(['Members of a group', 'Guests of a group', 'Guests in all Microsoft 365 groups', 'Inactive users of a group', 'Cancel']);
  const again = await bot.say(PEOPLE.adele, 'back');
  expect(titleOf(again)).toBe('New access review · 1 of 5: what to review?');
  expect(cardTexts(card(again))).toContain('This is the first question: there is nothing to go back to. Type cancel to stop.');
  expect(answered(idOf(first))).toEqual({ texts: ['New access review · 1 of 5: what to review?', 'Asked again below.'], buttons: 0 });
});

test('sub-questions keep the step header; later questions offer Back', async () => {
  await bot.say(PEOPLE.adele, 'create review');
  const days = await bot.say(PEOPLE.adele, 'inactive');
  expect(titleOf(days)).toBe('New access review · 1 of 5: inactive for how many days?');
  expect(buttons(days)).toEqual(['30 days', '60 days', '90 days', '180 days', 'Back', 'Cancel']);
});

test('an answered card shows its answer and has no buttons; a typed group name says which group it found', async () => {
  const scope = await bot.say(PEOPLE.adele, 'create review');
  const group = await bot.say(PEOPLE.adele, 'members');
  expect(answered(idOf(scope))).toEqual({ texts: ['New access review · 1 of 5: what to review?', '✓ Members of a group'], buttons: 0 });
  await bot.say(PEOPLE.adele, 'Fin');
  expect(answered(idOf(group))).toEqual({ texts: ['New access review · 2 of 5: which group?', '✓ Finance'], buttons: 0 });
});

test('back and cancel close the card they leave; no card of the wizard is left live', async () => {
  const sent: Reply[] = [];
  const say = async (text: string): Promise<Reply[]> => {
    const replies = await bot.say(PEOPLE.adele, text);
    sent.push(...replies.filter((reply) => cardOf(reply) !== undefined));
    return replies;
  };
  await say('create review');
  const group = await say('guests');
  await say('Zzz'); // no such group: asked again
  await say('back');
  expect(answered(idOf(group))?.texts).toEqual(['New access review · 2 of 5: which group?', 'Asked again below.']);
  const scopeAgain = await say('back');
  await say('cancel');
  expect(answered(idOf(scopeAgain))).toEqual({ texts: ['New access review · 1 of 5: what to review?', 'Cancelled.'], buttons: 0 });
  expect(sent.length).toBeGreaterThanOrEqual(4);
  for (const card of sent) expect(answered(card.id)?.buttons).toBe(0);
});

test('in a channel the footer says typed answers need an @mention', async () => {
  const thread = { kind: 'channel' as const, teamId: SALES_TEAM.id, channelId: SALES_TEAM.channels[0]?.id, threadId: '1700000000002' };
  const first = await bot.say(PEOPLE.adele, 'create review', thread);
  expect(cardTexts(card(first)).at(-1)).toBe('In this channel, @mention me with each typed answer (e.g. @Access Reviews Sales). Type cancel, back or help at any time.');
});
