import { useLocalStack } from '../support/localStack';
import { personalChatId, SALES_TEAM, USERS, type Scope, type SentActivity } from '../support/teamsClient';

/**
 * Issue 7, item 2: in channels and group chats a wizard belongs to its user, not to the conversation. Before the
 * fix Alex answered steps of Adele's `create review` and it moved on, Megan's `cancel` ended it, and an answer
 * from someone without a token signed Adele out. Teams SSO mode (not local): a sign-out would show as a new
 * sign-in request.
 */
const stack = useLocalStack();

const CHANNEL: Scope = { kind: 'channel', teamId: SALES_TEAM.id, channelId: SALES_TEAM.channels[0]?.id };
const json = (value: unknown): string => JSON.stringify(value);
const TITLE = { scope: '1 of 5: what to review?', group: '2 of 5: which group?', reviewers: '3 of 5: who reviews?' };

/** The next activity the bot sends after `from` sent activities. */
const nextSent = (from: number): Promise<SentActivity> => stack.teams.waitFor(() => stack.teams.sent[from], 10_000);
/** The latest card of wizard step `title` sent from index `from` on. */
const stepCard = (title: string, from = 0): Promise<SentActivity> =>
  stack.teams.waitFor(() => stack.teams.sent.slice(from).filter((s) => json(s.activity).includes(title)).at(-1), 10_000);
const signInRequests = (from: number): SentActivity[] => stack.teams.sent.slice(from).filter((s) => /card\.oauth|Continue as me|loginRequest/.test(json(s.activity)));

test('only Adele answers, cancels or moves her own wizard in the channel; others neither move it nor sign her out', async () => {
  // Adele signs in once in personal chat (Teams SSO), so the channel can use her token.
  await stack.teams.message(USERS.adele, 'help');
  await stack.teams.message(USERS.adele, 'reviews');
  await stack.teams.signInFromOAuthCard(USERS.adele, await stack.teams.waitForOAuthCard(personalChatId(USERS.adele)), stack.tenant);
  await stack.teams.waitFor(() => stack.teams.sent.find((s) => json(s.activity).includes('Sales Team guest review')));

  const start = stack.teams.sent.length;
  await stack.teams.message(USERS.adele, 'create review', CHANNEL);
  const scopeCard = await stepCard(TITLE.scope, start);
  // Everyone answers in the thread of Adele's post, as people do in Teams (a new post starts a new thread).
  const thread: Scope = { ...CHANNEL, threadId: /;messageid=(.+)$/.exec(scopeCard.conversationId)?.[1] ?? '' };

  // Alex presses a button of Adele's question: refused, and her wizard stays where it was.
  let before = stack.teams.sent.length;
  await stack.teams.submit(USERS.alex, scopeCard.id, { wizard: 'wizard.scope', choice: 'guests' });
  expect(stack.teams.textOf(await nextSent(before))).toContain('not yours');
  expect(stack.teams.sent.slice(before).some((s) => json(s.activity).includes(TITLE.group))).toBe(false);

  before = stack.teams.sent.length;
  await stack.teams.submit(USERS.adele, scopeCard.id, { wizard: 'wizard.scope', choice: 'members' });
  await stepCard(TITLE.group, before);

  // Alex (no token) types an answer to the group question, Megan types cancel: neither touches Adele's wizard.
  before = stack.teams.sent.length;
  await stack.teams.message(USERS.alex, 'Finance Apps', thread);
  const alexReply = stack.teams.textOf(await nextSent(before));
  expect(alexReply).toContain('didn');
  before = stack.teams.sent.length;
  await stack.teams.message(USERS.megan, 'cancel', thread);
  expect(stack.teams.textOf(await nextSent(before))).toContain('nothing in progress');

  before = stack.teams.sent.length;
  await stack.teams.message(USERS.adele, 'Finance Apps', thread);
  await stepCard(TITLE.reviewers, before);
  // Adele was never signed out: no sign-in was asked of anyone since her wizard started.
  expect(signInRequests(start)).toEqual([]);
  expect(stack.teams.sent.slice(start).some((s) => stack.teams.textOf(s).includes('Cancelled'))).toBe(false);
});

test('in a group chat too, a wizard is per user: Megan\'s own wizard and Adele\'s run side by side', async () => {
  const group: Scope = { kind: 'groupChat' };
  await stack.teams.message(USERS.megan, 'reviews');
  await stack.teams.signInFromOAuthCard(USERS.megan, await stack.teams.waitForOAuthCard(personalChatId(USERS.megan)), stack.tenant);
  await stack.teams.waitFor(() => stack.teams.sent.filter((s) => s.conversationId === personalChatId(USERS.megan)).length > 1);

  let before = stack.teams.sent.length;
  await stack.teams.message(USERS.adele, 'create review', group);
  const adeles = await stepCard(TITLE.scope, before);
  before = stack.teams.sent.length;
  await stack.teams.message(USERS.megan, 'create review', group);
  const megans = await stepCard(TITLE.scope, before);

  before = stack.teams.sent.length;
  await stack.teams.submit(USERS.megan, megans.id, { wizard: 'wizard.scope', choice: 'guests' });
  await stepCard(TITLE.group, before);
  before = stack.teams.sent.length;
  await stack.teams.submit(USERS.adele, adeles.id, { wizard: 'wizard.scope', choice: 'members' });
  await stepCard(TITLE.group, before);
  // Megan's cancel ends Megan's wizard only: Adele's goes on.
  before = stack.teams.sent.length;
  await stack.teams.message(USERS.megan, 'cancel', group);
  expect(stack.teams.textOf(await nextSent(before))).toContain('Cancelled');
  before = stack.teams.sent.length;
  await stack.teams.message(USERS.adele, 'Finance Apps', group);
  await stepCard(TITLE.reviewers, before);
});
