import { BOT_APP_ID, TENANT_ID } from '../../dev/tenant/tenant';
import { startBot, type BotProcess } from './botProcess';
import { startLocalTenant, type LocalTenant } from './localTenant';
import { TeamsClient, type TeamsTeam } from './teamsClient';

/** The local tenant, the real bot and a simulated Teams client, for the tests of one file or describe block. */
export interface LocalStack {
  readonly tenant: LocalTenant;
  readonly bot: BotProcess;
  readonly teams: TeamsClient;
}

/**
 * Starts the stack before the tests of the enclosing block (bot settings in `env`, e.g. SSO_MODE; the client's `teams`), clears the
 * Teams client's records before each test and stops everything after. The fields are set once beforeAll ran.
 */
export function useLocalStack(options: { env?: Record<string, string>; teams?: TeamsTeam[] } = {}): LocalStack {
  const stack = {} as { tenant: LocalTenant; bot: BotProcess; teams: TeamsClient };
  beforeAll(async () => {
    stack.tenant = await startLocalTenant();
    stack.bot = await startBot(stack.tenant, options.env ? { env: options.env } : {});
    stack.teams = await TeamsClient.start({ botUrl: stack.bot.messagesUrl, tenantId: TENANT_ID, botId: BOT_APP_ID, ...(options.teams ? { teams: options.teams } : {}) });
  });
  afterAll(async () => {
    await stack.teams?.stop();
    await stack.bot?.stop();
    await stack.tenant?.dispose();
  });
  beforeEach(() => stack.teams?.clear());
  return stack;
}
