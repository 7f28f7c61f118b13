import { useLocalStack } from '../support/localStack';
import { SALES_TEAM, USERS, type Scope } from '../support/teamsClient';

/**
 * "this team" in a real team channel (issue 10, item 1). Teams sends a channel message's team as `{ id, name }`
 * only — the simulated client does the same — so the bot asks the connector for the team's details
 * (GET /v3/teams/{teamId}: `aadGroupId`) once per team, and both quick create and the wizard find the team's group.
 */
const stack = useLocalStack({ env: { SSO_MODE: 'local' } });

const CHANNEL: Scope = { kind: 'channel', teamId: SALES_TEAM.id, channelId: SALES_TEAM.channels[0]?.id };
const teamLookups = (): number => stack.teams.calls.filter((call) => call.method === 'GET' && /^\/v3\/teams\/[^/]+$/.test(call.path)).length;

test('quick create with `this team` in a channel reviews the team\'s group; the connector is asked once per team', async () => {
  const first = await stack.teams.message(USERS.adele, 'review this team guests monthly', CHANNEL);
  expect(first.activity.channelData?.team).toEqual({ id: SALES_TEAM.id, name: 'Sales Team' });
  const card = JSON.stringify(await stack.teams.waitFor(() => stack.teams.sent.find((s) => JSON.stringify(s.activity).includes('review.create')), 10_000));
  expect(card).toContain('"text":"Group","weight":"Bolder"}]}]},{"type":"Column","width":3,"items":[{"type":"RichTextBlock","inlines":[{"type":"TextRun","text":"Sales Team"');
  expect(teamLookups()).toBe(1);

  await stack.teams.message(USERS.megan, 'review this team members quarterly', CHANNEL);
  await stack.teams.waitFor(() => stack.teams.sent.filter((s) => JSON.stringify(s.activity).includes('review.create')).length === 2 || undefined, 10_000);
  expect(teamLookups()).toBe(1);
});

test('the wizard in a channel offers "This team" at the group step, and it is the team\'s group', async () => {
  const thread: Scope = { ...CHANNEL, threadId: '1700000000123' };
  await stack.teams.message(USERS.adele, 'create review', thread);
  const scope = await stack.teams.waitFor(() => stack.teams.sent.find((s) => JSON.stringify(s.activity).includes('"wizard":"wizard.scope"')), 10_000);
  expect((await stack.teams.submit(USERS.adele, scope.id, { wizard: 'wizard.scope', choice: 'guests' }, thread)).status).toBe(200);
  const group = await stack.teams.waitFor(() => stack.teams.sent.find((s) => JSON.stringify(s.activity).includes('"wizard":"wizard.group"')), 10_000);
  expect(JSON.stringify(group.activity)).toContain('"title":"This team"');
  // "This team" is taken only when the bot knows the team's group: the next question comes.
  expect((await stack.teams.submit(USERS.adele, group.id, { wizard: 'wizard.group', choice: 'this team' }, thread)).status).toBe(200);
  await stack.teams.waitFor(() => stack.teams.sent.find((s) => JSON.stringify(s.activity).includes('"wizard":"wizard.reviewers"')), 10_000);
});
