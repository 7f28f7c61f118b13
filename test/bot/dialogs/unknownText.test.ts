import { buildBot, GROUP_CHAT, PEOPLE, type BotHarness } from '../support/botHarness';

/** Free text that is no command gets a way forward, not only "I didn't understand" (issue 10, item 14). */
let bot: BotHarness;
beforeEach(() => {
  bot = buildBot();
});
afterEach(async () => {
  await bot.close();
});

const textOf = async (text: string, scope = GROUP_CHAT): Promise<string> => String((await bot.say(PEOPLE.adele, text, scope))[0]?.text);

test('a sentence asking for a review points to the wizard and to quick create', async () => {
  expect(await textOf('please make me a review of finance every two weeks')).toBe('I didn\'t understand `please`. To create a review, type `create review` ' +
    'for the step-by-step wizard, or one line such as `review "Finance" members monthly`. Type `help` for more.');
});

test('a sentence naming another command that works here suggests it; one that is not available yet is not suggested', async () => {
  expect(await textOf('could you list all reviews')).toBe('I didn\'t understand `could`. Did you mean `reviews`? Type `help` to see what I can do.');
  expect(await textOf('please edit everything')).toBe('I didn\'t understand `please`. Did you mean `edit`? Type `help` to see what I can do.');
  expect(await textOf('please summary everything')).toBe('I didn\'t understand `please`. Type `help` to see what I can do.');
});
