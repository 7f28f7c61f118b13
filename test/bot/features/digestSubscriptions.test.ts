import type { TurnContext } from 'botbuilder';
import { fixedClock } from '../../../bot/clock';
import { SubscriptionStore } from '../../../bot/digests/subscriptions';
import { AppError } from '../../../bot/errors';
import { unsubscribeFeature } from '../../../bot/features/digestSubscriptions';
import type { ReviewDefinition } from '../../../bot/graph/apis';
import { SqliteStorage } from '../../../bot/storage/sqliteStorage';
import { IDS, smallTenant, type FakeTenant } from '../../support/fakeGraph';
import { invokeActivity } from '../../support/teamsActivities';
import {
  buildBot, buttonsOf, cardOf, CHANNEL, executeValue, invokeText, NOW, only, PEOPLE, ssoTokenFor, textOf, type BotHarness,
} from '../support/botHarness';

/**
 * `subscribe`, `subscriptions`, `unsubscribe` in a team channel (issue 12, item 2): created only when the subscriber's
 * own token reads what it covers, in the subscriber's time zone; the channel rule of every <review> command; the
 * person who set a digest up removes it (no Graph call), anyone else only with an administrator role read with their
 * own token (Global Administrator, Identity Governance Administrator, User Administrator).
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

const ROLE = {
  globalAdministrator: '62e90394-69f5-4237-9190-012177145e10',
  identityGovernanceAdministrator: '45d8d3c5-c802-45c6-b32a-1d70b5e1e86e',
  userAdministrator: 'fe930be7-5e62-47db-91af-98c3a49a38b1',
  globalReader: 'f2ef992c-3afb-46b9-b7cf-a126ee74c451',
} as const;
const ONLY_ADELE_OR_ADMIN = "Only Adele Vance, who set up this channel's digest of all reviews, or an administrator " +
  '(Global Administrator, Identity Governance Administrator or User Administrator) can remove it.';
const NO_DIGEST = 'This channel gets no scheduled digest. `subscribe all weekly` sets one up.';

test('the person who set a digest up removes it without any Graph call; someone without an administrator role cannot', async () => {
  bot = buildBot({ signedIn: [IDS.adele, IDS.megan], tenant: tenant() });
  bot.tenant.directoryRoles.set(IDS.megan, { roleTemplateIds: [ROLE.globalReader] });
  await bot.say(PEOPLE.adele, 'subscribe all weekly', CHANNEL);
  bot.tenant.calls.length = 0;
  expect(textOf(await bot.say(PEOPLE.megan, 'unsubscribe all', CHANNEL))).toBe(`${ONLY_ADELE_OR_ADMIN} Nothing was changed.`);
  // Megan is not the creator: her own token read her roles, once.
  expect(bot.tenant.calls.map((call) => [call.as, call.method])).toEqual([[IDS.megan, 'myDirectoryRoles']]);
  expect(textOf(await bot.say(PEOPLE.adele, 'unsubscribe "Sales Team guests"', CHANNEL))).toBe('This channel has no digest of `sales team guests`. `subscriptions` lists them.');
  bot.tenant.calls.length = 0;
  expect(textOf(await bot.say(PEOPLE.adele, 'unsubscribe all', CHANNEL))).toBe('Unsubscribed: this channel no longer gets the digest of all reviews.');
  expect(bot.tenant.calls).toEqual([]);
  expect(textOf(await bot.say(PEOPLE.adele, 'subscriptions', CHANNEL))).toBe(NO_DIGEST);
});

test.each([
  ['Identity Governance Administrator', [ROLE.identityGovernanceAdministrator]],
  ['User Administrator', [ROLE.globalReader, ROLE.userAdministrator.toUpperCase()]],
  ['Global Administrator', [ROLE.identityGovernanceAdministrator, ROLE.globalAdministrator]],
])('an administrator (%s) removes a digest someone else set up, and the answer says so', async (roleName, roleTemplateIds) => {
  bot = buildBot({ signedIn: [IDS.adele, IDS.megan], tenant: tenant() });
  bot.tenant.directoryRoles.set(IDS.megan, { roleTemplateIds });
  await bot.say(PEOPLE.adele, 'subscribe all weekly', CHANNEL);
  expect(textOf(await bot.say(PEOPLE.megan, 'unsubscribe all', CHANNEL))).toBe(
    `Unsubscribed: this channel no longer gets the digest of all reviews (set up by Adele Vance; removed by you as ${roleName}).`);
  expect(textOf(await bot.say(PEOPLE.adele, 'subscriptions', CHANNEL))).toBe(NO_DIGEST);
});

test('an administrator removes one review\'s digest by name; the other digest stays', async () => {
  bot = buildBot({ signedIn: [IDS.adele, IDS.alex], tenant: tenant() });
  bot.tenant.defaultDirectoryRoles = { roleTemplateIds: [ROLE.userAdministrator] };
  await bot.say(PEOPLE.adele, 'subscribe all weekly', CHANNEL);
  await bot.say(PEOPLE.adele, 'subscribe "Sales Team guests" daily', CHANNEL);
  expect(textOf(await bot.say(PEOPLE.alex, 'unsubscribe "sales team', CHANNEL))).toBe(
    'Unsubscribed: this channel no longer gets the digest of "Sales Team guests" (set up by Adele Vance; removed by you as User Administrator).');
  expect(textOf(await bot.say(PEOPLE.alex, 'subscriptions', CHANNEL))).toMatch(/^This channel's digests:\n\n1\. all reviews every Monday at 09:00 \(Etc\/UTC\), set up by Adele Vance on Monday 2 June 2025$/);
});

test.each([
  ['a directory role Graph returns with limited information (no roleTemplateId)', { roleTemplateIds: [ROLE.globalReader], unnamed: 1 }],
  ['memberships left unread past the page bound', { roleTemplateIds: [], complete: false }],
])('%s: the role could not be confirmed, and nothing changes', async (_case, roles) => {
  bot = buildBot({ signedIn: [IDS.adele, IDS.megan], tenant: tenant() });
  bot.tenant.directoryRoles.set(IDS.megan, roles);
  await bot.say(PEOPLE.adele, 'subscribe all weekly', CHANNEL);
  expect(textOf(await bot.say(PEOPLE.megan, 'unsubscribe all', CHANNEL))).toBe(
    `${ONLY_ADELE_OR_ADMIN} I could not confirm your administrator role: Microsoft Graph did not name every directory role you hold. Nothing was changed.`);
  expect(textOf(await bot.say(PEOPLE.adele, 'subscriptions', CHANNEL))).toMatch(/^This channel's digests:\n\n1\. all reviews /);
});

test('Graph refusing to read the roles leaves them unconfirmed; Graph busy is said as such; nothing changes either way', async () => {
  bot = buildBot({ signedIn: [IDS.adele, IDS.megan], tenant: tenant() });
  bot.tenant.directoryRoles.set(IDS.megan, { roleTemplateIds: [ROLE.identityGovernanceAdministrator] });
  await bot.say(PEOPLE.adele, 'subscribe all weekly', CHANNEL);
  bot.tenant.failNext('myDirectoryRoles', new AppError('Forbidden', 'Microsoft Graph refused to read your directory roles. Your account cannot read this part of the directory.', { status: 403 }));
  expect(textOf(await bot.say(PEOPLE.megan, 'unsubscribe all', CHANNEL))).toContain('I could not confirm your administrator role');
  bot.tenant.failNext('myDirectoryRoles');
  expect(textOf(await bot.say(PEOPLE.megan, 'unsubscribe all', CHANNEL))).toBe('Microsoft Graph is busy, so I could not do that. Try again in 30 seconds.');
  expect(textOf(await bot.say(PEOPLE.adele, 'subscriptions', CHANNEL))).toMatch(/^This channel's digests:\n\n1\. all reviews /);
});

test('unsubscribe signs in first: in a channel without a token, "Continue as me" (nothing read or removed before), then it runs as the presser', async () => {
  bot = buildBot({ env: { SSO_MODE: 'teams' }, signedIn: [IDS.adele], tenant: tenant() });
  bot.tenant.directoryRoles.set(IDS.megan, { roleTemplateIds: [ROLE.globalAdministrator] });
  await bot.say(PEOPLE.adele, 'subscribe all weekly', CHANNEL);
  bot.tenant.calls.length = 0;
  const [button] = buttonsOf(cardOf(only(await bot.say(PEOPLE.megan, 'unsubscribe all', CHANNEL))));
  expect(button?.title).toBe('Continue as me');
  expect(bot.tenant.calls).toEqual([]);
  expect(textOf(await bot.say(PEOPLE.adele, 'subscriptions', CHANNEL))).toMatch(/^This channel's digests:\n\n1\. all reviews /);
  // Megan presses it: signed in silently (Universal Actions), her role read with her token, the digest removed.
  const authentication = { id: 'exchange-1', connectionName: bot.config.sso.connectionName, token: ssoTokenFor(IDS.megan) };
  const { invoke } = await bot.turn(invokeActivity(bot.wire, PEOPLE.megan, 'adaptiveCard/action', executeValue(button?.verb ?? '', button?.data, authentication), CHANNEL, 'sign-in-card'));
  expect(invokeText(invoke?.body as Parameters<typeof invokeText>[0]))
    .toBe('Unsubscribed: this channel no longer gets the digest of all reviews (set up by Adele Vance; removed by you as Global Administrator).');
  expect(bot.tenant.calls.map((call) => [call.method, call.as])).toEqual([['myDirectoryRoles', IDS.megan]]);
  expect(textOf(await bot.say(PEOPLE.adele, 'subscriptions', CHANNEL))).toBe('This channel gets no scheduled digest. `subscribe all weekly` sets one up.');
});

test('an administrator\'s removal is logged with who removed what (ids only)', async () => {
  const clock = fixedClock(NOW);
  const storage = new SqliteStorage(':memory:', { now: () => clock.now() });
  const subscriptions = new SubscriptionStore(storage, clock);
  const info = jest.fn();
  const conversationId = '19:general@thread.tacv2';
  const subscription = await subscriptions.create({
    conversationId, teamId: 'team', groupId: IDS.sales, target: { kind: 'all' },
    cadence: { every: 'week', weekday: 1, time: '09:00', timeZone: 'Etc/UTC' }, createdBy: { id: IDS.adele, name: 'Adele Vance' },
  });
  const fake = tenant();
  fake.directoryRoles.set(IDS.megan, { roleTemplateIds: [ROLE.identityGovernanceAdministrator] });
  const turn = { activity: { conversation: { id: conversationId } } } as unknown as TurnContext;
  try {
    const reply = await unsubscribeFeature({ subscriptions, clock, log: { info } }).run({
      turn, scope: 'channel', userId: IDS.megan, args: 'all', graph: fake.forUser(IDS.megan), teamGroupId: IDS.sales,
    });
    expect(reply).toEqual({ text: 'Unsubscribed: this channel no longer gets the digest of all reviews (set up by Adele Vance; removed by you as Identity Governance Administrator).' });
    expect(info).toHaveBeenCalledTimes(1);
    expect(info).toHaveBeenCalledWith({
      subscriptionId: subscription.id, conversationId, target: 'all', createdBy: IDS.adele, removedBy: IDS.megan,
      roleTemplateId: ROLE.identityGovernanceAdministrator, alreadyRemoved: false,
    }, 'digest subscription removed by an administrator');
    expect(await subscriptions.listByConversation(conversationId)).toEqual([]);
  } finally {
    await storage.close();
  }
});
