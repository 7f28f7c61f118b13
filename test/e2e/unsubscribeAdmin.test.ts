import { control } from '../support/localTenant';
import { useLocalStack } from '../support/localStack';
import { SALES_TEAM, USERS, type Scope, type TeamsUser } from '../support/teamsClient';

/**
 * `unsubscribe` over real HTTP against the local tenant (issue 12: "a subscriber can remove theirs, an admin role can
 * remove any"): the presser's directory roles are read with their own token from `GET /me/transitiveMemberOf`, only
 * when they did not set the digest up. Seeded roles: Adele Identity Governance Administrator, Lee User
 * Administrator, Grady Global Reader (reads reviews, not an administrator), Megan none.
 */
const stack = useLocalStack({ env: { SSO_MODE: 'local' } });
const CHANNEL: Scope = { kind: 'channel', teamId: SALES_TEAM.id, channelId: SALES_TEAM.channels[0]?.id };
const ROLE_READ = 'GET /me/transitiveMemberOf';
const ONLY_ADELE = "Only Adele Vance, who set up this channel's digest of all reviews, or an administrator " +
  '(Global Administrator, Identity Governance Administrator or User Administrator) can remove it. Nothing was changed.';

interface Stats { requests: number; byCaller: { app: number; user: number }; byRoute: Record<string, number> }
const stats = async (): Promise<Stats> => (await control(stack.tenant, 'GET', '/stats')).body as Stats;

async function say(user: TeamsUser, text: string): Promise<string> {
  const { teams } = stack;
  teams.clear();
  await teams.message(user, text, CHANNEL);
  const sent = await teams.waitFor(() => teams.sent.find((s) => typeof s.activity.text === 'string'), 20_000);
  return String(sent.activity.text);
}

test('non-administrators cannot remove a digest someone else set up; a User Administrator can; the creator removes theirs without reading roles', async () => {
  expect(await say(USERS.adele, 'subscribe all weekly on monday at 09:00')).toMatch(/^Subscribed: this channel gets a digest of all reviews /);
  expect(await say(USERS.grady, 'subscribe "Sales Team guest review" daily at 08:00')).toMatch(/^Subscribed: this channel gets a digest of "Sales Team guest review" every day at 08:00/);

  // Megan (no role) and Grady (Global Reader) are not administrators: Adele's digest stays. Each read their own roles once.
  await control(stack.tenant, 'POST', '/stats/reset');
  expect(await say(USERS.megan, 'unsubscribe all')).toBe(ONLY_ADELE);
  expect(await say(USERS.grady, 'unsubscribe all')).toBe(ONLY_ADELE);
  expect((await stats()).byRoute[ROLE_READ]).toBe(2);
  expect(await say(USERS.megan, 'subscriptions')).toMatch(/^This channel's digests:\n\n1\. all reviews .*set up by Adele Vance on .*\n2\. "Sales Team guest review" .*set up by Grady Archie on /);

  // Lee (User Administrator) removes Grady's digest: the answer names the role, the removal is logged with ids.
  const logFrom = stack.bot.lines.length;
  expect(await say(USERS.lee, 'unsubscribe "Sales Team guest review"')).toBe(
    'Unsubscribed: this channel no longer gets the digest of "Sales Team guest review" (set up by Grady Archie; removed by you as User Administrator).');
  const logged = JSON.parse(await stack.bot.waitForLine((line) => line.includes('digest subscription removed by an administrator'), { from: logFrom })) as Record<string, unknown>;
  expect(logged).toMatchObject({ level: 30, createdBy: USERS.grady.aadObjectId, removedBy: USERS.lee.aadObjectId, roleTemplateId: 'fe930be7-5e62-47db-91af-98c3a49a38b1', target: 'review' });
  expect(await say(USERS.lee, 'subscriptions')).toMatch(/^This channel's digests:\n\n1\. all reviews .*set up by Adele Vance on [^\n]*$/);

  // Adele removes her own: no role read (she holds one, but the creator path never asks Graph), no Graph call at all.
  await control(stack.tenant, 'POST', '/stats/reset');
  expect(await say(USERS.adele, 'unsubscribe all')).toBe('Unsubscribed: this channel no longer gets the digest of all reviews.');
  const creator = await stats();
  expect(creator.byRoute[ROLE_READ]).toBeUndefined();
  expect(creator.requests).toBe(0);
  expect(await say(USERS.adele, 'subscriptions')).toBe('This channel gets no scheduled digest. `subscribe all weekly` sets one up.');
  // No token went to the logs.
  expect(stack.bot.lines.filter((line) => /eyJ[A-Za-z0-9_-]{5,}\./.test(line))).toEqual([]);
}, 120_000);
