import { useLocalStack } from '../support/localStack';
import { USERS, type SentActivity } from '../support/teamsClient';

/**
 * A command typed in the middle of the wizard (issue 8, item 4): a one-answer command is answered and the wizard
 * asks its question again; a conversation (create review, review …) replaces it, and the user is told;
 * cancel, back and help keep their meaning in the step; an answer that is a valid answer stays an answer.
 */
const stack = useLocalStack({ env: { SSO_MODE: 'local' } });

const json = (value: unknown): string => JSON.stringify(value);
const TITLE = { scope: '1 of 5: what to review?', group: '2 of 5: which group?', reviewers: '3 of 5: who reviews?' };
/** Everything the bot sent from index `from` on, once it has sent at least `count` activities there. */
const sentFrom = (from: number, count: number): Promise<SentActivity[]> => stack.teams.waitFor(() => (stack.teams.sent.length >= from + count ? stack.teams.sent.slice(from) : undefined), 10_000);
const says = (activities: SentActivity[], text: string): boolean => activities.some((s) => json(s.activity).includes(text));

async function say(text: string, expected: number): Promise<SentActivity[]> {
  const before = stack.teams.sent.length;
  await stack.teams.message(USERS.adele, text);
  return sentFrom(before, expected);
}

test('reviews typed at a step is answered, then the same question is asked again; the wizard goes on', async () => {
  expect(says(await say('create review', 1), TITLE.scope)).toBe(true);
  expect(says(await say('members', 1), TITLE.group)).toBe(true);
  const answer = await say('reviews active', 3);
  expect(says(answer, 'Sales Team guest review')).toBe(true);
  expect(says(answer, 'Back to what you were creating')).toBe(true);
  expect(says(answer.slice(-1), TITLE.group)).toBe(true);
  expect(says(await say('Finance Apps', 1), TITLE.reviewers)).toBe(true);
});

test('create review typed inside a wizard starts a new one and says the old one was left', async () => {
  await say('create review', 1);
  await say('guests', 1);
  const answer = await say('create review', 2);
  expect(says(answer, 'I left what you were creating there: nothing was created.')).toBe(true);
  expect(says(answer.slice(-1), TITLE.scope)).toBe(true);
  await say('cancel', 1);
});

test('help, back and cancel keep their step meaning; an answer that is also a group name stays an answer', async () => {
  await say('create review', 1);
  await say('members', 1);
  const help = await say('help', 2);
  expect(says(help, TITLE.group)).toBe(true);
  expect(says(help, 'reviews [active')).toBe(false);
  expect(says(await say('back', 1), TITLE.scope)).toBe(true);
  await say('members', 1);
  // "Sales" is no command: it searches the groups as always.
  expect(says(await say('Sales', 1), TITLE.reviewers)).toBe(true);
  expect(says(await say('cancel', 1), 'Cancelled: nothing was created.')).toBe(true);
});
