import { blockTexts as texts } from '../cards/cardNodes';
import { control } from '../support/localTenant';
import { useLocalStack } from '../support/localStack';
import { SALES_TEAM, USERS, type Scope } from '../support/teamsClient';

/**
 * Scheduled channel digests over real HTTP (issue 12, items 2 and 3): Adele subscribes the Sales Team channel with her
 * own token; nothing uses the app identity until the schedule comes due; one `POST /_emulator/clock {"advance":"P7D"}`
 * moves the tenant and the bot, and the scheduler posts the digest of the team group's reviews into the channel with
 * the bot's own identity, once for the period.
 */
const stack = useLocalStack({ env: { SSO_MODE: 'local' } });
const CHANNEL: Scope = { kind: 'channel', teamId: SALES_TEAM.id, channelId: SALES_TEAM.channels[0]?.id };
const DIGEST_TITLE = "Active access reviews of this team's group";

interface Stats { byCaller: { app: number; user: number }; appByRoute: Record<string, number> }
const stats = async (): Promise<Stats> => (await control(stack.tenant, 'GET', '/stats')).body as Stats;

async function say(text: string): Promise<string> {
  const { teams } = stack;
  teams.clear();
  await teams.message(USERS.adele, text, CHANNEL);
  const sent = await teams.waitFor(() => teams.sent.find((s) => typeof s.activity.text === 'string'), 20_000);
  return String(sent.activity.text);
}

/** The digests the bot posted into the channel so far (proactive posts, not replies to a message). */
const digestsPosted = (): number => stack.teams.activities.filter((s) => s.kind !== 'update' && texts(s.activity).includes(DIGEST_TITLE)).length;

test('subscribe, list, then the scheduled digest arrives once a period, read with the app identity only then; none after the app is removed', async () => {
  await control(stack.tenant, 'POST', '/stats/reset');
  expect(await say('subscribe all weekly on monday at 09:00')).toMatch(/^Subscribed: this channel gets a digest of all reviews every Monday at 09:00 \(Etc\/UTC\), the first on Monday /);
  expect(await say('subscriptions')).toMatch(/^This channel's digests:\n\n1\. all reviews every Monday at 09:00 \(Etc\/UTC\), set up by Adele Vance on /);
  expect(await say('subscribe all daily')).toBe('This channel already gets digests of all reviews every Monday at 09:00 (Etc/UTC). Unsubscribe first to change that.');
  // Commands ran as Adele: the app's own identity has not called Graph.
  expect((await stats()).byCaller.app).toBe(0);

  stack.teams.clear();
  expect((await control(stack.tenant, 'POST', '/clock', { advance: 'P7D' })).status).toBe(200);
  await stack.teams.waitFor(() => (digestsPosted() > 0 ? true : undefined), 30_000);
  const after = await stats();
  expect(after.byCaller.app).toBeGreaterThan(0);
  expect(Object.keys(after.appByRoute).every((route) => route.startsWith('GET ') || route === 'POST /$batch')).toBe(true);
  // Three more ticks in the same period: no second post.
  await new Promise((resolve) => setTimeout(resolve, 7_000));
  expect(digestsPosted()).toBe(1);


  // The app is removed from the team (as Teams says it): the next week's digest is not posted, and the subscription
  // is gone when the app comes back.
  await stack.teams.uninstall(CHANNEL);
  expect((await control(stack.tenant, 'POST', '/clock', { advance: 'P7D' })).status).toBe(200);
  await new Promise((resolve) => setTimeout(resolve, 7_000));
  expect(digestsPosted()).toBe(1);
  await stack.teams.install(CHANNEL);
  expect(await say('subscriptions')).toBe('This channel gets no scheduled digest. `subscribe all weekly` sets one up.');
}, 120_000);
