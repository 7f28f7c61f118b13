import { BOT_APP_ID, TENANT_ID } from '../../dev/tenant/tenant';
import { startBot, type BotProcess } from '../support/botProcess';
import { startLocalTenant, type LocalTenant } from '../support/localTenant';
import { personalChatId, SALES_TEAM, TeamsClient, USERS, type Scope, type SentActivity } from '../support/teamsClient';

/**
 * Issue 7, item 2: in channels and group chats a wizard belongs to its user, not to the conversation. Before the
 * fix Alex answered steps of Adele's `create review` and it moved on, Megan's `cancel` ended it, and an answer
 * from someone without a token signed Adele out. Teams SSO mode (not local): a sign-out would show as a new
 * sign-in request.
 */
let tenant: LocalTenant;
let bot: BotProcess;
let teams: TeamsClient;

beforeAll(async () => {
  tenant = await startLocalTenant();
  bot = await startBot(tenant);
  teams = await TeamsClient.start({ botUrl: bot.messagesUrl, tenantId: TENANT_ID, botId: BOT_APP_ID });
});
afterAll(async () => {
  await teams.stop();
  await bot.stop();
  await tenant.dispose();
});

const CHANNEL: Scope = { kind: 'channel', teamId: SALES_TEAM.id, channelId: SALES_TEAM.channels[0]?.id };
const json = (value: unknown): string => JSON.stringify(value);
const TITLE = { scope: '1 of 5: what to review?', group: '2 of 5: which group?', reviewers: '3 of 5: who reviews?' };

/** The next activity the bot sends after `from` sent activities. */
const nextSent = (from: number): Promise<SentActivity> => teams.waitFor(() => teams.sent[from], 10_000);
/** The latest card of wizard step `title` sent from index `from` on. */
const stepCard = (title: string, from = 0): Promise<SentActivity> =>
  teams.waitFor(() => teams.sent.slice(from).filter((s) => json(s.activity).includes(title)).at(-1), 10_000);
const signInRequests = (from: number): SentActivity[] => teams.sent.slice(from).filter((s) => /card\.oauth|Continue as me|loginRequest/.test(json(s.activity)));

test('only Adele answers, cancels or moves her own wizard in the channel; others neither move it nor sign her out', async () => {
  // Adele signs in once in personal chat (Teams SSO), so the channel can use her token.
  await teams.message(USERS.adele, 'help');
  await teams.message(USERS.adele, 'reviews');
  await teams.signInFromOAuthCard(USERS.adele, await teams.waitForOAuthCard(personalChatId(USERS.adele)), tenant);
  await teams.waitFor(() => teams.sent.find((s) => json(s.activity).includes('Sales Team guest review')));

  const start = teams.sent.length;
  await teams.message(USERS.adele, 'create review', CHANNEL);
  const scopeCard = await stepCard(TITLE.scope, start);
  // Everyone answers in the thread of Adele's post, as people do in Teams (a new post starts a new thread).
  const thread: Scope = { ...CHANNEL, threadId: /;messageid=(.+)$/.exec(scopeCard.conversationId)?.[1] ?? '' };

  // Alex presses a button of Adele's question: refused, and her wizard stays where it was.
  let before = teams.sent.length;
  await teams.submit(USERS.alex, scopeCard.id, { wizard: 'wizard.scope', choice: 'guests' });
  expect(teams.textOf(await nextSent(before))).toContain('not yours');
  expect(teams.sent.slice(before).some((s) => json(s.activity).includes(TITLE.group))).toBe(false);

  before = teams.sent.length;
  await teams.submit(USERS.adele, scopeCard.id, { wizard: 'wizard.scope', choice: 'members' });
  await stepCard(TITLE.group, before);

  // Alex (no token) types an answer to the group question, Megan types cancel: neither touches Adele's wizard.
  before = teams.sent.length;
  await teams.message(USERS.alex, 'Finance Apps', thread);
  const alexReply = teams.textOf(await nextSent(before));
  expect(alexReply).toContain('didn');
  before = teams.sent.length;
  await teams.message(USERS.megan, 'cancel', thread);
  expect(teams.textOf(await nextSent(before))).toContain('nothing in progress');

  before = teams.sent.length;
  await teams.message(USERS.adele, 'Finance Apps', thread);
  await stepCard(TITLE.reviewers, before);
  // Adele was never signed out: no sign-in was asked of anyone since her wizard started.
  expect(signInRequests(start)).toEqual([]);
  expect(teams.sent.slice(start).some((s) => teams.textOf(s).includes('Cancelled'))).toBe(false);
});

test('in a group chat too, a wizard is per user: Megan\'s own wizard and Adele\'s run side by side', async () => {
  const group: Scope = { kind: 'groupChat' };
  await teams.message(USERS.megan, 'reviews');
  await teams.signInFromOAuthCard(USERS.megan, await teams.waitForOAuthCard(personalChatId(USERS.megan)), tenant);
  await teams.waitFor(() => teams.sent.filter((s) => s.conversationId === personalChatId(USERS.megan)).length > 1);

  let before = teams.sent.length;
  await teams.message(USERS.adele, 'create review', group);
  const adeles = await stepCard(TITLE.scope, before);
  before = teams.sent.length;
  await teams.message(USERS.megan, 'create review', group);
  const megans = await stepCard(TITLE.scope, before);

  before = teams.sent.length;
  await teams.submit(USERS.megan, megans.id, { wizard: 'wizard.scope', choice: 'guests' });
  await stepCard(TITLE.group, before);
  before = teams.sent.length;
  await teams.submit(USERS.adele, adeles.id, { wizard: 'wizard.scope', choice: 'members' });
  await stepCard(TITLE.group, before);
  // Megan's cancel ends Megan's wizard only: Adele's goes on.
  before = teams.sent.length;
  await teams.message(USERS.megan, 'cancel', group);
  expect(teams.textOf(await nextSent(before))).toContain('Cancelled');
  before = teams.sent.length;
  await teams.message(USERS.adele, 'Finance Apps', group);
  await stepCard(TITLE.reviewers, before);
});
