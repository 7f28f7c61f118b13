import { TEAMS_CONVERSATION_LIMITS, TEAMS_TENANT_LIMITS } from '../../bot/proactive/limits';
import { blockTexts as texts } from '../cards/cardNodes';
import { connectorRates } from '../support/connectorLimits';
import { control } from '../support/localTenant';
import { useLocalStack } from '../support/localStack';
import { SALES_TEAM, USERS, type Scope, type TeamsTeam } from '../support/teamsClient';

/**
 * Issue 12's fan-out over real HTTP, through the bot's own scheduler: 100 channels of one team subscribe to a daily
 * digest at the same minute; one clock advance makes all 100 due at once. Every digest is delivered once, the
 * connector's injected 429s are retried after Retry-After, and Teams' rates are never exceeded, measured at the
 * simulated connector (which also refuses, with 429, any call past them).
 */

const CHANNELS = 100;
/** The Sales Team (its group has reviews in the demo tenant) with 100 channels. */
const BIG_SALES: TeamsTeam = {
  ...SALES_TEAM,
  channels: Array.from({ length: CHANNELS }, (_, n) => SALES_TEAM.channels[n] ?? { id: `19:sales-${n}@thread.tacv2`, name: `Channel ${n}` }),
};
const DIGEST_TITLE = "Active access reviews of this team's group";
const channelScope = (channelId: string): Scope => ({ kind: 'channel', teamId: BIG_SALES.id, channelId });

jest.setTimeout(150_000);

const stack = useLocalStack({ env: { SSO_MODE: 'local' }, teams: [BIG_SALES] });

/** The bot's answer to one message in a channel (its text). */
async function sayIn(channelId: string, text: string): Promise<string> {
  const { teams } = stack;
  const before = teams.sent.length;
  await teams.message(USERS.adele, text, channelScope(channelId));
  const reply = await teams.waitFor(() => teams.sent.slice(before).find((sent) => sent.conversationId.startsWith(channelId) && typeof sent.activity.text === 'string'), 20_000);
  return String(reply.activity.text);
}

/** Digest posts (new activities, not updates) per conversation. */
function digestPosts(): Map<string, number> {
  const { teams } = stack;
  const posts = new Map<string, number>();
  for (const sent of teams.activities) {
    if (sent.kind === 'update' || !texts(sent.activity).includes(DIGEST_TITLE)) continue;
    const conversation = sent.conversationId.split(';')[0] ?? '';
    posts.set(conversation, (posts.get(conversation) ?? 0) + 1);
  }
  return posts;
}

test('100 channels due at the same minute: each gets its digest once, 429s retried, Teams\' rates never exceeded', async () => {
  const { teams, tenant } = stack;
  // Subscribing goes one channel after another (each answer read), as people would.
  for (const channel of BIG_SALES.channels) {
    expect(await sayIn(channel.id, 'subscribe all daily at 09:00')).toMatch(/^Subscribed: this channel gets a digest of all reviews every day at 09:00 /);
  }
  teams.clear();
  await control(tenant, 'POST', '/stats/reset');
  // Six posts are refused with 429 and Retry-After: 1 s, as Teams does past its limits.
  teams.failNext(429, 6, 1, ({ method }) => method === 'POST');
  expect((await control(tenant, 'POST', '/clock', { advance: 'P1D' })).status).toBe(200);

  await teams.waitFor(() => (digestPosts().size === CHANNELS ? true : undefined), 90_000);
  // A few more scheduler ticks (2 s each in local mode): a late duplicate would show now.
  await new Promise((resolve) => setTimeout(resolve, 5_000));

  const posts = digestPosts();
  expect([...posts.keys()].sort()).toEqual(BIG_SALES.channels.map((channel) => channel.id).sort());
  expect([...posts.values()].every((count) => count === 1)).toBe(true);

  // Each injected 429 was retried: its conversation got its digest accepted afterwards.
  const injected = teams.calls.filter((call) => call.injected);
  expect(injected).toHaveLength(6);
  for (const call of injected) {
    const conversation = call.path.split('/')[3] ?? '';
    expect(teams.acceptedPosts().some((accepted) => accepted.path.split('/')[3] === conversation && accepted.at > call.at)).toBe(true);
  }
  // The bot's own buckets keep every call (retries included) inside Teams' limits: the connector never had to throttle.
  expect(teams.calls.filter((call) => call.throttled)).toEqual([]);
  const measured = connectorRates(teams.calls, TEAMS_CONVERSATION_LIMITS.map((limit) => limit.windowMs));
  for (const limit of TEAMS_TENANT_LIMITS) expect(measured.tenantPerSecond).toBeLessThanOrEqual(limit.max);
  for (const limit of TEAMS_CONVERSATION_LIMITS) expect(measured.conversation[limit.windowMs]).toBeLessThanOrEqual(limit.max);
  // The digests were read with the app's identity, and only with it after the clock moved.
  const stats = (await control(tenant, 'GET', '/stats')).body as { byCaller: { app: number; user: number } };
  expect(stats.byCaller.app).toBeGreaterThan(0);
  expect(stats.byCaller.user).toBe(0);
  if (process.env.FANOUT_NUMBERS) {
    const accepted = teams.acceptedPosts().map((call) => call.at);
    process.stdout.write(`fan-out: ${CHANNELS} digests, first to last post ${Math.max(...accepted) - Math.min(...accepted)} ms, ` +
      `${teams.calls.length} connector calls, ${stats.byCaller.app} Graph requests as the app, rates ${JSON.stringify(measured)}\n`);
  }
});
