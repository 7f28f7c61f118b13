import { AppError } from '../../../bot/errors';
import type { ReviewDefinition } from '../../../bot/graph/apis';
import { IDS, smallTenant, type FakeTenant } from '../../support/fakeGraph';
import { buildBot, CHANNEL, NOW, PEOPLE, textOf, type BotHarness } from '../support/botHarness';

/**
 * `subscribe`, `subscriptions`, `unsubscribe` in a team channel (issue 12, item 2): created only when the subscriber's
 * own token reads what it covers, in the subscriber's time zone; the channel rule of every <review> command; only
 * the person who set a digest up removes it.
 */

const SALES_REVIEW = '6f1d7e1c-0d6b-4c4e-9d4e-2f6a3b9c1a11';
const FINANCE_REVIEW = '6f1d7e1c-0d6b-4c4e-9d4e-2f6a3b9c1a12';
const scopeOf = (group: string): ReviewDefinition['scope'] =>
  ({ '@odata.type': '#microsoft.graph.accessReviewQueryScope', query: `/groups/${group}/transitiveMembers/microsoft.graph.user`, queryType: 'MicrosoftGraph' });

function tenant(): FakeTenant {
  const t = smallTenant(() => NOW);
  t.definitions.push({ id: SALES_REVIEW, displayName: 'Sales Team guests', status: 'InProgress', scope: scopeOf(IDS.sales), settings: {} },
    { id: FINANCE_REVIEW, displayName: 'Finance members', status: 'InProgress', scope: scopeOf(IDS.finance), settings: {} });
  return t;
}

let bot: BotHarness;
afterEach(async () => bot.close());

test('subscribe all, then one review; the list says what, when, in whose time zone and by whom; a second one to the same target is refused', async () => {
  bot = buildBot({ signedIn: [IDS.adele], tenant: tenant() });
  expect(textOf(await bot.say(PEOPLE.adele, 'subscribe all weekly on friday at 17:30', CHANNEL))).toBe(
    'Subscribed: this channel gets a digest of all reviews every Friday at 17:30 (Etc/UTC), the first on Friday 6 June 2025. ' +
    'Digests are read with the bot\'s own identity and show counts only, never who decided what. `unsubscribe all` stops it.');
  // The subscriber's own token read the team's reviews before anything was stored.
  expect(bot.tenant.calls.map((call) => [call.as, call.method, call.args[2]])).toEqual([[IDS.adele, 'listDefinitions', IDS.sales]]);
  expect(textOf(await bot.say(PEOPLE.adele, 'subscribe "Sales Team guests" daily at 8', CHANNEL))).toMatch(/^Subscribed: this channel gets a digest of "Sales Team guests" every day at 08:00 \(Etc\/UTC\), the first on Tuesday 3 June 2025\./);
  expect(textOf(await bot.say(PEOPLE.adele, 'subscriptions', CHANNEL))).toBe("This channel's digests:\n\n" +
    '1. all reviews every Friday at 17:30 (Etc/UTC), set up by Adele Vance on Monday 2 June 2025\n' +
    '2. "Sales Team guests" every day at 08:00 (Etc/UTC), set up by Adele Vance on Monday 2 June 2025');
  expect(textOf(await bot.say(PEOPLE.adele, 'subscribe all daily', CHANNEL))).toBe('This channel already gets digests of all reviews every Friday at 17:30 (Etc/UTC). Unsubscribe first to change that.');
});

test("another group's review is not subscribed in this team's channel; bad schedule words are said and nothing is stored", async () => {
  bot = buildBot({ signedIn: [IDS.adele], tenant: tenant() });
  expect(textOf(await bot.say(PEOPLE.adele, `subscribe ${FINANCE_REVIEW} weekly`, CHANNEL))).toContain("here I only show and act on the reviews of the team's own group");
  const bad = textOf(await bot.say(PEOPLE.adele, 'subscribe all fortnightly', CHANNEL));
  expect(bad).toContain('For example `subscribe all weekly on monday at 09:00`.');
  expect(textOf(await bot.say(PEOPLE.adele, 'subscriptions', CHANNEL))).toBe('This channel gets no scheduled digest. `subscribe all weekly` sets one up.');
});

test('someone whose own token cannot read the reviews cannot subscribe: the role is named, nothing is stored', async () => {
  bot = buildBot({ signedIn: [IDS.megan], tenant: tenant() });
  bot.tenant.failNext('listDefinitions', new AppError('Forbidden', 'Microsoft Graph refused to read the access reviews. Reading them needs one of these roles: Global Reader, Identity Governance Administrator.', { status: 403 }));
  expect(textOf(await bot.say(PEOPLE.megan, 'subscribe all weekly', CHANNEL))).toContain('Identity Governance Administrator');
  expect(textOf(await bot.say(PEOPLE.megan, 'subscriptions', CHANNEL))).toBe('This channel gets no scheduled digest. `subscribe all weekly` sets one up.');
});

test('only the person who set a digest up removes it', async () => {
  bot = buildBot({ signedIn: [IDS.adele, IDS.megan], tenant: tenant() });
  await bot.say(PEOPLE.adele, 'subscribe all weekly', CHANNEL);
  expect(textOf(await bot.say(PEOPLE.megan, 'unsubscribe all', CHANNEL))).toBe('Only Adele Vance, who set up this channel\'s digest of all reviews, can remove it. Nothing was changed.');
  expect(textOf(await bot.say(PEOPLE.adele, 'unsubscribe "Sales Team guests"', CHANNEL))).toBe('This channel has no digest of `sales team guests`. `subscriptions` lists them.');
  expect(textOf(await bot.say(PEOPLE.adele, 'unsubscribe all', CHANNEL))).toBe('Unsubscribed: this channel no longer gets the digest of all reviews.');
  expect(textOf(await bot.say(PEOPLE.adele, 'subscriptions', CHANNEL))).toBe('This channel gets no scheduled digest. `subscribe all weekly` sets one up.');
});
