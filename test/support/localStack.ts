import { BOT_APP_ID, TENANT_ID } from '../../dev/tenant/tenant';
import { startBot, type BotProcess } from './botProcess';
import { startLocalTenant, type LocalTenant } from './localTenant';
import { TeamsClient, type TeamsTeam } from './teamsClient';

/** The local tenant, the real bot and a simulated Teams client, for the tests of one file or describe block. */
export interface LocalStack {
  readonly tenant: LocalTenant;
  readonly bot: BotProcess;
  readonly teams: TeamsClient;
  /** Kills the bot (SIGKILL: nothing flushed) and starts it again on the same state, with a new Teams client. */
  restart(): Promise<void>;
}

/**
 * Starts the stack before the tests of the enclosing block (bot settings in `env`, e.g. SSO_MODE; the client's `teams`), clears the
 * Teams client's records before each test and stops everything after. The fields are set once beforeAll ran.
 */
export function useLocalStack(options: { env?: Record<string, string>; teams?: TeamsTeam[] } = {}): LocalStack {
  const client = (bot: BotProcess): Promise<TeamsClient> =>
    TeamsClient.start({ botUrl: bot.messagesUrl, tenantId: TENANT_ID, botId: BOT_APP_ID, ...(options.teams ? { teams: options.teams } : {}) });
  const stack = {
    restart: async () => {
      await stack.bot.stop('SIGKILL');
      stack.bot = await startBot(stack.tenant, { dataDir: stack.bot.dataDir, ...(options.env ? { env: options.env } : {}) });
      await stack.teams.stop();
      stack.teams = await client(stack.bot);
    },
  } as { tenant: LocalTenant; bot: BotProcess; teams: TeamsClient; restart(): Promise<void> };
  beforeAll(async () => {
    stack.tenant = await startLocalTenant();
    stack.bot = await startBot(stack.tenant, options.env ? { env: options.env } : {});
    stack.teams = await client(stack.bot);
  });
  afterAll(async () => {
    await stack.teams?.stop();
    await stack.bot?.stop();
    await stack.tenant?.dispose();
  });
  beforeEach(() => stack.teams?.clear());
  return stack;
}
