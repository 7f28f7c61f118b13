import { cardTexts, type BotHarness } from '../support/botHarness';
import { adminBot, answers, lastCard, problemOf } from './adminTenant';

/**
 * Issue 10, item 13: `2026-02-30` is written YYYY-MM-DD; the wizard must not call it "not a date written YYYY-MM-DD"
 * but say it is not a real calendar date (and why), while text that is not written as a date keeps the format hint.
 */

let bot: BotHarness;
beforeEach(() => {
  bot = adminBot();
});
afterEach(async () => {
  await bot.close();
});

/** Adele's wizard, up to the question "Starting when?" of a monthly review of Finance Apps. */
const toStartDate = (): Promise<unknown> => answers(bot, 'create review', 'members', 'Finance Apps', 'owners', 'me', 'monthly');
/** The question asked again (its title, whatever step header it carries) and the reason (the Attention text). */
const askedAgain = (card: Record<string, unknown> | undefined): [string, string] => [(cardTexts(card)[0] ?? '').replace(/^.*: /, '').toLowerCase(), problemOf(card)];

test('a start date of 2026-02-30: not a real calendar date, February 2026 has 28 days', async () => {
  await toStartDate();
  const card = lastCard(await answers(bot, '2026-02-30'));
  expect(askedAgain(card)).toEqual(['starting when?', '`2026-02-30` is not a real calendar date: February 2026 has 28 days.']);
});

test('a start date not written as a date keeps the format hint', async () => {
  await toStartDate();
  expect(askedAgain(lastCard(await answers(bot, 'next friday')))).toEqual(['starting when?', '`next friday` is not a date written YYYY-MM-DD.']);
});

test('the last date of a series, 2027-04-31: not a real calendar date either, and what to type instead', async () => {
  await toStartDate();
  const card = lastCard(await answers(bot, 'today', '14', 'date', '2027-04-31'));
  expect(askedAgain(card)).toEqual(['last date',
    '`2027-04-31` is not a real calendar date: April 2027 has 30 days. Type a date after 2025-06-02, e.g. 2026-06-02.']);
});
